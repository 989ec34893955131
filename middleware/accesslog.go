package middleware

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/webstatic/webstatic/internal/meter"
	"github.com/webstatic/webstatic/staticfs/conn"
)

// AccessLog records one line per request: remote address, method,
// target, protocol, status, bytes written, duration, and the connection
// ID and request number the connection layer gave it ("-" without the
// layer).
//
// By default the line is in Common Log Format with three fields added:
//
//	127.0.0.1 - - [24/Nov/2026:20:21:09 +0000] "GET /app.js HTTP/1.1" 200 812 0.000153 conn=7 req=3
//
// With Logger set, each request is instead one slog record with the same
// fields as attributes.
//
// A request whose handler panics is logged before the panic goes on to
// net/http, with the status written before the panic, or 0 when none was:
// net/http then closes the connection without a response.
//
// The response writer is wrapped with github.com/felixge/httpsnoop, which
// keeps every optional interface of the writer it wraps (io.ReaderFrom,
// so sendfile; http.Flusher; http.Hijacker; Unwrap for
// http.ResponseController). An AccessLog must not be copied once used.
type AccessLog struct {
	// Out receives Common Log Format lines, one Write each; nil means
	// os.Stderr. Unused when Logger is set.
	Out io.Writer

	// Logger, when set, receives one Info record per request.
	Logger *slog.Logger

	// Combined adds the Referer and User-Agent request headers, escaped
	// and quoted, after the size, as Apache's combined format does (and
	// as "referer" and "user_agent" attributes of a Logger's record).
	Combined bool

	mu sync.Mutex // serialises writes to Out
}

// Wrap returns a handler that calls next and then logs the request.
func (l *AccessLog) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Read what is logged before next runs: a handler may rewrite
		// r.URL (http.StripPrefix does), but the log shows what the client
		// asked.
		e := accessEntry{
			start:  time.Now(),
			remote: r.RemoteAddr,
			method: r.Method,
			target: r.RequestURI,
			proto:  r.Proto,
		}
		if l.Combined {
			e.referer, e.userAgent = r.Referer(), r.UserAgent()
		}
		if e.target == "" {
			e.target = r.URL.RequestURI()
		}
		if info, ok := conn.FromContext(r.Context()); ok {
			e.conn, e.req = info.ID, info.Request
		}
		// Deferred, so that a request whose handler panics is logged
		// too; the panic goes on to net/http.
		var res meter.Result
		defer func() {
			e.status, e.bytes = res.Status, res.Written
			e.duration = time.Since(e.start)
			if r.Method == http.MethodHead {
				e.bytes = 0 // net/http sends no body, whatever the handler wrote
			}
			l.record(r.Context(), &e)
		}()
		meter.Serve(next, w, r, &res)
	})
}

type accessEntry struct {
	start          time.Time
	remote, method string
	target, proto  string
	referer        string // with Combined only
	userAgent      string // with Combined only
	conn, req      uint64
	status         int
	bytes          int64
	duration       time.Duration
}

func (l *AccessLog) record(ctx context.Context, e *accessEntry) {
	if l.Logger != nil {
		attrs := []slog.Attr{
			slog.String("remote", e.remote),
			slog.String("method", e.method),
			slog.String("target", e.target),
			slog.String("proto", e.proto),
			slog.Int("status", e.status),
			slog.Int64("bytes", e.bytes),
			slog.Duration("duration", e.duration),
			slog.Uint64("conn", e.conn),
			slog.Uint64("request", e.req),
		}
		if l.Combined {
			attrs = append(attrs, slog.String("referer", e.referer), slog.String("user_agent", e.userAgent))
		}
		l.Logger.LogAttrs(ctx, slog.LevelInfo, "request", attrs...)
		return
	}
	rec := newRecord()
	*rec = appendCommonLog(*rec, e, l.Combined)
	writeRecord(&l.mu, l.Out, rec)
}

// appendCommonLog formats e as a Common Log Format line (combined: with
// the referer and user agent) with duration, connection and request
// fields added.
func appendCommonLog(dst []byte, e *accessEntry, combined bool) []byte {
	host, _, err := net.SplitHostPort(e.remote)
	if err != nil {
		host = e.remote
	}
	dst = appendQuotable(dst, host)
	dst = append(dst, " - - ["...)
	dst = appendCLFTime(dst, e.start)
	dst = append(dst, "] \""...)
	dst = appendQuotable(dst, e.method)
	dst = append(dst, ' ')
	dst = appendQuotable(dst, e.target)
	dst = append(dst, ' ')
	dst = appendQuotable(dst, e.proto)
	dst = append(dst, "\" "...)
	dst = strconv.AppendInt(dst, int64(e.status), 10)
	dst = append(dst, ' ')
	dst = strconv.AppendInt(dst, e.bytes, 10)
	if combined {
		dst = append(dst, " \""...)
		dst = appendQuotable(dst, orDash(e.referer))
		dst = append(dst, "\" \""...)
		dst = appendQuotable(dst, orDash(e.userAgent))
		dst = append(dst, '"')
	}
	dst = append(dst, ' ')
	dst = strconv.AppendFloat(dst, e.duration.Seconds(), 'f', 6, 64)
	dst = append(dst, " conn="...)
	dst = appendID(dst, e.conn)
	dst = append(dst, " req="...)
	dst = appendID(dst, e.req)
	return append(dst, '\n')
}

// orDash is s, or "-" for a header the request did not carry.
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func appendID(dst []byte, id uint64) []byte {
	if id == 0 {
		return append(dst, '-')
	}
	return strconv.AppendUint(dst, id, 10)
}

// appendQuotable escapes s for a field of a log line, double quotes
// included.
func appendQuotable(dst []byte, s string) []byte {
	return appendEscapedQuote(dst, []byte(s), '"')
}

// clfSecond is one second formatted for Common Log Format.
type clfSecond struct {
	unix int64
	zone string // the location's name, so a zone change is noticed
	text []byte
}

// lastSecond caches the formatting of the latest second logged: under
// load, thousands of lines share it, and time formatting is a fifth of a
// line's cost.
var lastSecond atomic.Pointer[clfSecond]

func appendCLFTime(dst []byte, t time.Time) []byte {
	zone, _ := t.Zone()
	if s := lastSecond.Load(); s != nil && s.unix == t.Unix() && s.zone == zone {
		return append(dst, s.text...)
	}
	text := t.AppendFormat(nil, "02/Jan/2006:15:04:05 -0700")
	lastSecond.Store(&clfSecond{unix: t.Unix(), zone: zone, text: text})
	return append(dst, text...)
}
