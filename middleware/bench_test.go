package middleware_test

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/webstatic/webstatic/internal/tcpbench"
	"github.com/webstatic/webstatic/middleware"
	"github.com/webstatic/webstatic/staticfs/conn"
)

// BenchmarkMiddleware measures what each log adds to a request served by
// a handler that writes 1 KiB, into a writer that keeps nothing.
func BenchmarkMiddleware(b *testing.B) {
	body := make([]byte, 1024)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(body) })
	for _, bc := range []struct {
		name string
		h    http.Handler
	}{
		{"none", h},
		{"HeaderLog", (&middleware.HeaderLog{Out: io.Discard}).Wrap(h)},
		{"HeaderLog/Lines", (&middleware.HeaderLog{Out: io.Discard, Format: middleware.Lines}).Wrap(h)},
		{"HeaderLog/Bytes", (&middleware.HeaderLog{Out: io.Discard, Format: middleware.Bytes}).Wrap(h)},
		{"HeaderLog/Article", (&middleware.HeaderLog{Out: io.Discard, Format: middleware.Article}).Wrap(h)},
		{"AccessLog", (&middleware.AccessLog{Out: io.Discard}).Wrap(h)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			r := httptest.NewRequest("GET", "/style.css", nil)
			r.Header.Set("User-Agent", "bench/1.0")
			r.Header.Set("Accept", "*/*")
			w := httptest.NewRecorder()
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				w.Body.Reset()
				bc.h.ServeHTTP(w, r)
			}
		})
	}
}

// BenchmarkOverTCP measures the logs where they run in production: a
// keep-alive HTTP/1.1 client over loopback, the connection layer with
// header capture, and the log writing to a writer that keeps nothing.
// allocs/op counts the server's and the client's allocations; the
// differences between the sub-benchmarks are the logs' own.
func BenchmarkOverTCP(b *testing.B) {
	body := make([]byte, 1024)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(body) })
	for _, bc := range []struct {
		name    string
		h       http.Handler
		capture bool
	}{
		{"none", h, false},
		{"capture", h, true},
		{"capture+HeaderLog", (&middleware.HeaderLog{Out: io.Discard}).Wrap(h), true},
		{"AccessLog", (&middleware.AccessLog{Out: io.Discard}).Wrap(h), false},
	} {
		b.Run(bc.name, func(b *testing.B) {
			serve := func(srv *http.Server, ln net.Listener) error {
				return conn.Policy{CaptureHeaders: bc.capture}.Serve(srv, ln)
			}
			tcpbench.Run(b, bc.h, serve, []byte("GET /style.css HTTP/1.1\r\nHost: bench\r\nUser-Agent: bench/1.0\r\nAccept: */*\r\nCookie: s=1\r\n\r\n"))
		})
	}
}
