package middleware_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/webstatic/webstatic/middleware"
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
