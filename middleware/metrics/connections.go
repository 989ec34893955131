package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/webstatic/webstatic/staticfs/conn"
)

// Connections returns a collector of the Listener's counters (its
// Stats, read at each scrape): webstatic_conn_accepted_total,
// webstatic_conn_open, webstatic_conn_requests_total,
// webstatic_conn_closed_by_policy_total, webstatic_conn_shed_total,
// webstatic_conn_refused_total, webstatic_conn_rejected_per_client_total,
// webstatic_conn_descriptor_exhausted_total,
// webstatic_conn_header_bytes_total (heads captured, with
// Policy.CaptureHeaders) and the histogram
// webstatic_conn_requests_per_connection, of the requests served on each
// closed connection, in the buckets of [conn.RequestsBounds].
func Connections(l *conn.Listener) prometheus.Collector { return connections{l} }

type connections struct{ l *conn.Listener }

type connMetric struct {
	desc  *prometheus.Desc
	kind  prometheus.ValueType
	value func(conn.Stats) uint64
}

var connMetrics = []connMetric{
	{prometheus.NewDesc("webstatic_conn_accepted_total", "Connections accepted.", nil, nil),
		prometheus.CounterValue, func(s conn.Stats) uint64 { return s.Accepted }},
	{prometheus.NewDesc("webstatic_conn_open", "Connections open now.", nil, nil),
		prometheus.GaugeValue, func(s conn.Stats) uint64 { return s.Open }},
	{prometheus.NewDesc("webstatic_conn_requests_total", "Requests served through the connection layer.", nil, nil),
		prometheus.CounterValue, func(s conn.Stats) uint64 { return s.Requests }},
	{prometheus.NewDesc("webstatic_conn_closed_by_policy_total", "Connections the policy ended: short mode, MaxRequests.", nil, nil),
		prometheus.CounterValue, func(s conn.Stats) uint64 { return s.ClosedByPolicy }},
	{prometheus.NewDesc("webstatic_conn_shed_total", "Idle or stalled connections closed to make room.", nil, nil),
		prometheus.CounterValue, func(s conn.Stats) uint64 { return s.Shed }},
	{prometheus.NewDesc("webstatic_conn_refused_total", "Connections accepted and closed at once, with no room for them.", nil, nil),
		prometheus.CounterValue, func(s conn.Stats) uint64 { return s.Refused }},
	{prometheus.NewDesc("webstatic_conn_rejected_per_client_total", "Connections closed at once for a client over MaxConnsPerClient.", nil, nil),
		prometheus.CounterValue, func(s conn.Stats) uint64 { return s.RejectedPerClient }},
	{prometheus.NewDesc("webstatic_conn_descriptor_exhausted_total", "Accepts that found the process out of file descriptors.", nil, nil),
		prometheus.CounterValue, func(s conn.Stats) uint64 { return s.Exhausted }},
	{prometheus.NewDesc("webstatic_conn_header_bytes_total", "Bytes of request heads captured and handed to their requests (Policy.CaptureHeaders).", nil, nil),
		prometheus.CounterValue, func(s conn.Stats) uint64 { return s.HeaderBytes }},
}

var requestsPerConn = prometheus.NewDesc("webstatic_conn_requests_per_connection",
	"Requests served on each closed connection.", nil, nil)

// requestsHistogram is h as a Prometheus histogram: cumulative buckets
// keyed by upper bound.
func requestsHistogram(h conn.RequestsHistogram) prometheus.Metric {
	bounds := conn.RequestsBounds()
	buckets := make(map[float64]uint64, len(bounds))
	var cum uint64
	for i, b := range bounds {
		cum += h.Buckets[i]
		buckets[float64(b)] = cum
	}
	return prometheus.MustNewConstHistogram(requestsPerConn, h.Count(), float64(h.Sum), buckets)
}

func (c connections) Describe(ch chan<- *prometheus.Desc) {
	for _, m := range connMetrics {
		ch <- m.desc
	}
	ch <- requestsPerConn
}

func (c connections) Collect(ch chan<- prometheus.Metric) {
	s := c.l.Stats()
	for _, m := range connMetrics {
		ch <- prometheus.MustNewConstMetric(m.desc, m.kind, float64(m.value(s)))
	}
	ch <- requestsHistogram(s.RequestsPerConn)
}
