package metrics_test

import (
	"net"
	"net/http"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/spf13/afero"

	"github.com/webstatic/webstatic/internal/tcpbench"
	"github.com/webstatic/webstatic/middleware/metrics"
	"github.com/webstatic/webstatic/staticfs"
	"github.com/webstatic/webstatic/staticfs/conn"
)

// benchSite is a staticfs.Handler over a 1 KiB file in memory.
func benchSite() http.Handler {
	fsys := afero.NewMemMapFs()
	afero.WriteFile(fsys, "/file.txt", make([]byte, 1024), 0o644)
	return &staticfs.Handler{FS: fsys}
}

// discardWriter is a ResponseWriter that keeps nothing, so that a
// benchmark in process measures the handler alone.
type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *discardWriter) WriteHeader(int)             {}

// benchCases are the two handlers the benchmarks compare: the bare
// benchSite and the same wrapped by Metrics.
func benchCases() []struct {
	name string
	h    http.Handler
} {
	site := benchSite()
	return []struct {
		name string
		h    http.Handler
	}{
		{"bare", site},
		{"Metrics", metrics.New(prometheus.NewRegistry()).Wrap(site)},
	}
}

// BenchmarkMetrics compares a staticfs.Handler serving a 1 KiB file in
// process with the same handler wrapped by Metrics: the cost of the
// counters, the latency histogram and the writer wrapper per request.
func BenchmarkMetrics(b *testing.B) {
	for _, bc := range benchCases() {
		b.Run(bc.name, func(b *testing.B) {
			r, _ := http.NewRequest("GET", "/file.txt", nil)
			w := &discardWriter{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				bc.h.ServeHTTP(w, r)
			}
		})
	}
}

// BenchmarkMetricsOverTCP measures Metrics where it runs: behind the
// connection layer (whose counters Connections reads at scrape, not per
// request), serving a 1 KiB file to a keep-alive HTTP/1.1 client over
// loopback. ns/op is a whole request, client included; compare with
// "bare".
func BenchmarkMetricsOverTCP(b *testing.B) {
	for _, bc := range benchCases() {
		b.Run(bc.name, func(b *testing.B) {
			serve := func(srv *http.Server, ln net.Listener) error { return conn.NewListener(ln, conn.Policy{}).Serve(srv) }
			tcpbench.Run(b, bc.h, serve, []byte("GET /file.txt HTTP/1.1\r\nHost: bench\r\nUser-Agent: bench/1.0\r\nAccept: */*\r\n\r\n"))
		})
	}
}
