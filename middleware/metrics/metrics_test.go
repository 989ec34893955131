package metrics_test

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
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
// by the short-mode policy).
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
	l := conn.NewListener(tcp, conn.Policy{Mode: conn.Short})
	reg.MustRegister(metrics.Connections(l))
	srv := &http.Server{Handler: m.Wrap(&staticfs.Handler{FS: fsys}), ReadHeaderTimeout: 5 * time.Second}
	done := make(chan error, 1)
	go func() { done <- l.Serve(srv) }()
	defer func() { srv.Close(); <-done }()
	base := "http://" + tcp.Addr().String()

	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
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
				got[key+",count"] = float64(mt.GetHistogram().GetSampleCount())
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
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("metrics (-want +got):\n%s\n%s", diff, w.Body.String())
	}
}
