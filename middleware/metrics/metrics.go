package metrics

import (
	"net/http"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/webstatic/webstatic/internal/meter"
)

// Metrics counts the requests of the handlers it wraps. Make it with New.
type Metrics struct {
	requests *prometheus.CounterVec // by method and status class
	bytes    prometheus.Counter
	latency  *prometheus.HistogramVec // by method
	inFlight prometheus.Gauge

	// The children of requests and latency, looked up once each: a
	// lookup hashes the label values under a lock, on every request.
	// They are made at first use, so that a series appears once it
	// counts something.
	byStatus [len(methods)][len(classes)]atomic.Pointer[prometheus.Counter]
	byMethod [len(methods)]atomic.Pointer[prometheus.Observer]
}

// methods and classes are the label values; the last of each stands for
// all the others.
var (
	methods = [...]string{http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch, "other"}
	classes = [...]string{"1xx", "2xx", "3xx", "4xx", "5xx", "other"}
)

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
		var res meter.Result
		meter.Serve(next, w, r, &res)
		method := methodIndex(r.Method)
		m.requestCounter(method, classIndex(res.Status)).Inc()
		m.bytes.Add(float64(res.Written))
		m.latencyObserver(method).Observe(time.Since(start).Seconds())
	})
}

// requestCounter returns the child of requests for methods[method] and
// classes[class].
func (m *Metrics) requestCounter(method, class int) prometheus.Counter {
	p := &m.byStatus[method][class]
	if c := p.Load(); c != nil {
		return *c
	}
	c := m.requests.WithLabelValues(methods[method], classes[class])
	p.Store(&c) // a racing Store holds the same child
	return c
}

// latencyObserver returns the child of latency for methods[method].
func (m *Metrics) latencyObserver(method int) prometheus.Observer {
	p := &m.byMethod[method]
	if o := p.Load(); o != nil {
		return *o
	}
	o := m.latency.WithLabelValues(methods[method])
	p.Store(&o)
	return o
}

// methodIndex is the index in methods of the label of method m.
func methodIndex(m string) int {
	for i, name := range methods[:len(methods)-1] {
		if m == name {
			return i
		}
	}
	return len(methods) - 1
}

// classIndex is the index in classes of the label of status code:
// "2xx" for 200 to 299, and so on.
func classIndex(code int) int {
	if code < 100 || code > 599 {
		return len(classes) - 1
	}
	return code/100 - 1
}
