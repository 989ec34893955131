package metrics_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/webstatic/webstatic/middleware/metrics"
)

// Count a handler's requests and expose them on a handler of their own.
func Example() {
	reg := prometheus.NewRegistry()
	files := metrics.New(reg).Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "hello")
	}))
	files.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))

	w := httptest.NewRecorder()
	promhttp.HandlerFor(reg, promhttp.HandlerOpts{}).ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	for _, line := range strings.Split(w.Body.String(), "\n") {
		if strings.HasPrefix(line, "webstatic_http_requests_total") || strings.HasPrefix(line, "webstatic_http_response_bytes_total") {
			fmt.Println(line)
		}
	}
	// Output:
	// webstatic_http_requests_total{class="2xx",method="GET"} 1
	// webstatic_http_response_bytes_total 5
}
