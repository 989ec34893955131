package middleware

import (
	"io"
	"net/http"
	"strconv"
	"sync"

	"github.com/webstatic/webstatic/staticfs/conn"
)

// HeaderLog writes, for every request, the request line and header lines
// the client sent, in their order and letter case, as one block: a
// separator line naming the connection, the request's number on it and
// the remote address, then the head in the chosen Format. The Article
// format has no separator: it prints exactly what the article's Python
// server prints.
//
// The raw head exists only where the connection layer captured it (a
// conn.Listener with capture on). Elsewhere (HTTP/2, httptest, a server
// without the layer) the block is rebuilt from the parsed request, with
// canonical names in sorted order, and the separator says so.
//
// Values of the DefaultRedacted headers and of Redact are replaced by
// [REDACTED]; control bytes and invalid UTF-8 are escaped, so a client
// cannot forge log lines or drive the terminal. Blocks of concurrent
// requests never interleave. A HeaderLog must not be copied once used.
type HeaderLog struct {
	// Out receives the blocks, one Write each; nil means os.Stderr.
	Out io.Writer

	// Format is Raw (the default), Lines, Bytes or Article.
	Format Format

	// Redact names more headers whose values are hidden, besides
	// those of DefaultRedacted.
	Redact []string

	// ShowCredentials logs the values of the DefaultRedacted headers. Keep it
	// off outside a development machine: logs travel further than the
	// requests did.
	ShowCredentials bool

	once     sync.Once
	redactor redactor
	mu       sync.Mutex // serialises writes to Out
}

// Wrap returns a handler that logs each request's head, then calls next.
// Its signature makes it a middleware: h = log.Wrap(h).
func (l *HeaderLog) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.log(r)
		next.ServeHTTP(w, r)
	})
}

func (l *HeaderLog) log(r *http.Request) {
	l.once.Do(func() { l.redactor = newRedactor(l.Redact, l.ShowCredentials) })
	lp := linesPool.Get().(*[]line)
	lines, note := requestHead((*lp)[:0], r)
	rec := newRecord()
	*rec = l.appendBlock(*rec, r, lines, note)
	writeRecord(&l.mu, l.Out, rec)
	if cap(lines) <= maxPooledLines {
		clear(lines) // drop the references to the head's bytes
		*lp = lines[:0]
		linesPool.Put(lp)
	}
}

// appendBlock appends the separator line and the redacted head in the
// log's format.
func (l *HeaderLog) appendBlock(dst []byte, r *http.Request, lines []line, note string) []byte {
	l.redactor.apply(lines)
	if l.Format != Article {
		dst = l.Format.endSeparator(appendSeparator(dst, r, note), lines)
	}
	return l.Format.appendHead(dst, lines)
}

// requestHead appends the head's lines to lines as captured, or rebuilt
// with a note that says why.
func requestHead(lines []line, r *http.Request) ([]line, string) {
	if head, ok := conn.RawHeader(r); ok {
		return splitHead(lines, head), ""
	}
	var note string
	switch {
	case r.ProtoMajor >= 2:
		note = "reconstructed: " + r.Proto + " has no raw head"
	default:
		if _, ok := conn.FromContext(r.Context()); ok {
			note = "reconstructed: capture unavailable on this connection"
		} else {
			note = "reconstructed: no connection capture"
		}
	}
	return reconstruct(lines, r), note
}

// appendSeparator appends ">>>> conn 7 request 3 127.0.0.1:51234", with
// "-" for numbers the connection layer did not give, and the note.
func appendSeparator(dst []byte, r *http.Request, note string) []byte {
	info, ok := conn.FromContext(r.Context())
	return appendSeparatorFor(dst, info, ok, r.RemoteAddr, note)
}

// appendSeparatorFor is appendSeparator for a connection's info, if ok,
// and a remote address.
func appendSeparatorFor(dst []byte, info conn.Info, ok bool, remote, note string) []byte {
	dst = append(dst, ">>>> conn "...)
	if ok {
		dst = strconv.AppendUint(dst, info.ID, 10)
	} else {
		dst = append(dst, '-')
	}
	dst = append(dst, " request "...)
	if ok && info.Request > 0 {
		dst = strconv.AppendUint(dst, info.Request, 10)
	} else {
		dst = append(dst, '-')
	}
	dst = append(dst, ' ')
	dst = appendEscaped(dst, []byte(remote))
	if note != "" {
		dst = append(dst, " ("...)
		dst = append(dst, note...) // the log's own words, or escaped by the caller
		dst = append(dst, ')')
	}
	return append(dst, '\n')
}
