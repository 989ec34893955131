package metrics_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/webstatic/webstatic/middleware/metrics"
)

// TestWrapKeepsInterfaces: the writer a wrapped handler gets over
// HTTP/1.1 keeps net/http's optional interfaces (ReadFrom, so sendfile;
// Flush; Hijack) and unwraps for http.ResponseController; and an interim
// 103 is not the status counted.
func TestWrapKeepsInterfaces(t *testing.T) {
	type caps struct{ ReaderFrom, Flusher, Hijacker, ControllerFlush bool }
	seen := make(chan caps, 1)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var c caps
		_, c.ReaderFrom = w.(io.ReaderFrom)
		_, c.Flusher = w.(http.Flusher)
		_, c.Hijacker = w.(http.Hijacker)
		w.WriteHeader(http.StatusEarlyHints)
		w.WriteHeader(http.StatusNotFound)
		c.ControllerFlush = http.NewResponseController(w).Flush() == nil
		seen <- c // the flush lets the client return before the handler does
	})
	reg := prometheus.NewRegistry()
	srv := httptest.NewServer(metrics.New(reg).Wrap(h))
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if diff := cmp.Diff(caps{true, true, true, true}, <-seen); diff != "" {
		t.Errorf("interfaces (-want +got):\n%s", diff)
	}
	srv.Close() // waits for the handler, and the metrics it records after it
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != "webstatic_http_requests_total" {
			continue
		}
		var labels []string
		for _, m := range f.GetMetric() {
			for _, lp := range m.GetLabel() {
				labels = append(labels, lp.GetName()+"="+lp.GetValue())
			}
		}
		if diff := cmp.Diff([]string{"class=4xx", "method=GET"}, labels); diff != "" {
			t.Errorf("requests counted (-want +got):\n%s", diff)
		}
	}
}
