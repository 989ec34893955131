package metrics_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/spf13/afero"

	"github.com/webstatic/webstatic/middleware/metrics"
	"github.com/webstatic/webstatic/staticfs"
	"github.com/webstatic/webstatic/staticfs/conn"
)

// TestMetrics serves a known mix of requests over short connections and
// checks the exposition, parsed with Prometheus's own text parser: the
// requests by method and class, the bytes, the latency count, and the
// connection layer's counters (one connection per request, each closed
// by the short-mode policy), its histogram of requests per connection,
// every bucket, and the header bytes captured, which must be what the
// client wrote: its requests have no body.
func TestMetrics(t *testing.T) {
	fsys := afero.NewMemMapFs()
	afero.WriteFile(fsys, "/index.html", []byte("<h1>hi</h1>"), 0o644)
	afero.WriteFile(fsys, "/a.txt", []byte("0123456789"), 0o644)
	reg := prometheus.NewRegistry()
	m := metrics.New(reg)
	tcp, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := conn.NewListener(tcp, conn.Policy{Mode: conn.Short, CaptureHeaders: true})
	reg.MustRegister(metrics.Connections(l))
	srv := &http.Server{Handler: m.Wrap(&staticfs.Handler{FS: fsys}), ReadHeaderTimeout: 5 * time.Second}
	done := make(chan error, 1)
	go func() { done <- l.Serve(srv) }()
	defer func() { srv.Close(); <-done }()
	base := "http://" + tcp.Addr().String()

	var written atomic.Int64 // bytes the client wrote: the request heads
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	client := &http.Client{Transport: &http.Transport{
		DisableCompression: true,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := dialer.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return countingConn{c, &written}, nil
		},
	}}
	for _, rq := range []struct{ method, path string }{
		{"GET", "/"}, {"GET", "/a.txt"}, {"GET", "/a.txt"}, {"GET", "/missing"}, {"HEAD", "/a.txt"}, {"POST", "/a.txt"}, {"BREW", "/"},
	} {
		req, _ := http.NewRequest(rq.method, base+rq.path, nil)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	// Short mode: the server closes each connection after its answer.
	for deadline := time.Now().Add(5 * time.Second); l.Stats().Open != 0 && time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
	}

	w := httptest.NewRecorder()
	promhttp.HandlerFor(reg, promhttp.HandlerOpts{}).ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(strings.NewReader(w.Body.String()))
	if err != nil {
		t.Fatalf("exposition does not parse: %v\n%s", err, w.Body.String())
	}
	got := map[string]float64{}
	for name, f := range families {
		for _, mt := range f.GetMetric() {
			key := name
			for _, lp := range mt.GetLabel() {
				key += "," + lp.GetName() + "=" + lp.GetValue()
			}
			switch {
			case mt.Counter != nil:
				got[key] = mt.GetCounter().GetValue()
			case mt.Gauge != nil:
				got[key] = mt.GetGauge().GetValue()
			case mt.Histogram != nil:
				h := mt.GetHistogram()
				got[key+",count"] = float64(h.GetSampleCount())
				if name == "webstatic_conn_requests_per_connection" {
					got[key+",sum"] = h.GetSampleSum()
					for _, b := range h.GetBucket() {
						got[key+",le="+strconv.FormatFloat(b.GetUpperBound(), 'g', -1, 64)] = float64(b.GetCumulativeCount())
					}
				}
			}
		}
	}
	want := map[string]float64{
		"webstatic_http_requests_total,class=2xx,method=GET":         3,
		"webstatic_http_requests_total,class=4xx,method=GET":         1,
		"webstatic_http_requests_total,class=2xx,method=HEAD":        1,
		"webstatic_http_requests_total,class=4xx,method=POST":        1,
		"webstatic_http_requests_total,class=4xx,method=other":       1,
		"webstatic_http_response_bytes_total":                        float64(len("<h1>hi</h1>") + 10 + 10 + len("404 Not Found\n") + 2*len("405 Method Not Allowed\n")),
		"webstatic_http_request_duration_seconds,method=GET,count":   4,
		"webstatic_http_request_duration_seconds,method=HEAD,count":  1,
		"webstatic_http_request_duration_seconds,method=POST,count":  1,
		"webstatic_http_request_duration_seconds,method=other,count": 1,
		"webstatic_http_requests_in_flight":                          0,
		"webstatic_conn_accepted_total":                              7,
		"webstatic_conn_open":                                        0,
		"webstatic_conn_requests_total":                              7,
		"webstatic_conn_closed_by_policy_total":                      7,
		"webstatic_conn_shed_total":                                  0,
		"webstatic_conn_refused_total":                               0,
		"webstatic_conn_rejected_per_client_total":                   0,
		"webstatic_conn_descriptor_exhausted_total":                  0,
		"webstatic_conn_header_bytes_total":                          float64(written.Load()),
		// Seven connections of one request each, cumulative buckets.
		"webstatic_conn_requests_per_connection,count":   7,
		"webstatic_conn_requests_per_connection,sum":     7,
		"webstatic_conn_requests_per_connection,le=0":    0,
		"webstatic_conn_requests_per_connection,le=1":    7,
		"webstatic_conn_requests_per_connection,le=2":    7,
		"webstatic_conn_requests_per_connection,le=5":    7,
		"webstatic_conn_requests_per_connection,le=10":   7,
		"webstatic_conn_requests_per_connection,le=20":   7,
		"webstatic_conn_requests_per_connection,le=50":   7,
		"webstatic_conn_requests_per_connection,le=100":  7,
		"webstatic_conn_requests_per_connection,le=1000": 7,
		"webstatic_conn_requests_per_connection,le=+Inf": 7,
	}
	if written.Load() < 7*int64(len("GET / HTTP/1.1\r\n\r\n")) {
		t.Fatalf("the client wrote %d bytes for 7 requests", written.Load())
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("metrics (-want +got):\n%s\n%s", diff, w.Body.String())
	}
}

// countingConn adds the bytes written through it to n. It counts them
// before the write: the transport writes from a goroutine of its own,
// which may still be on its way back from the system call when the
// response it caused has been read, and the test reads n then.
type countingConn struct {
	net.Conn
	n *atomic.Int64
}

func (c countingConn) Write(b []byte) (int, error) {
	c.n.Add(int64(len(b)))
	n, err := c.Conn.Write(b)
	c.n.Add(int64(n - len(b))) // what did not go out
	return n, err
}
