package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/felixge/httpsnoop"
	"github.com/prometheus/client_golang/prometheus"
)

// Metrics counts the requests of the handlers it wraps. Make it with New.
type Metrics struct {
	requests *prometheus.CounterVec // by method and status class
	bytes    prometheus.Counter
	latency  *prometheus.HistogramVec // by method
	inFlight prometheus.Gauge
}

// New makes the request metrics and registers them with reg:
// webstatic_http_requests_total{method,class}, webstatic_http_response_bytes_total,
// webstatic_http_request_duration_seconds{method} and
// webstatic_http_requests_in_flight. Methods other than the common ones
// count as "other", so a client cannot grow the label set.
func New(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "webstatic_http_requests_total",
			Help: "HTTP requests answered, by method and status class (2xx, 3xx, ...).",
		}, []string{"method", "class"}),
		bytes: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "webstatic_http_response_bytes_total",
			Help: "Response body bytes written.",
		}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "webstatic_http_request_duration_seconds",
			Help:    "Time from the request's arrival at the handler to the end of its response.",
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"method"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "webstatic_http_requests_in_flight",
			Help: "Requests being answered now.",
		}),
	}
	reg.MustRegister(m.requests, m.bytes, m.latency, m.inFlight)
	return m
}

// Wrap returns a handler that calls next and records its requests. The
// writer next gets keeps the optional interfaces of the one it wraps
// (httpsnoop), ReadFrom and so sendfile included.
func (m *Metrics) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m.inFlight.Inc()
		defer m.inFlight.Dec()
		start := time.Now()
		got := httpsnoop.CaptureMetricsFn(w, func(w http.ResponseWriter) { next.ServeHTTP(w, r) })
		method := methodLabel(r.Method)
		m.requests.WithLabelValues(method, classLabel(got.Code)).Inc()
		m.bytes.Add(float64(got.Written))
		m.latency.WithLabelValues(method).Observe(time.Since(start).Seconds())
	})
}

func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch:
		return m
	}
	return "other"
}

// classLabel is "2xx" for 200 to 299, and so on.
func classLabel(code int) string {
	if code < 100 || code > 599 {
		return "other"
	}
	return strconv.Itoa(code/100) + "xx"
}
