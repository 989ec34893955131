// Package metrics exposes a file server's work to Prometheus: requests by
// method and status class, response bytes, latency and requests in
// flight, from [Metrics.Wrap], and, what no peer exposes, the connection
// layer's view, from [Connections]: connections accepted and open, closed
// by the policy, shed, refused and over the per-client cap, requests, the
// histogram of requests per connection, and the header bytes captured.
//
// It is a module of its own, so that importing staticfs or middleware
// brings no Prometheus client:
//
//	reg := prometheus.NewRegistry()
//	m := metrics.New(reg)
//	l := conn.NewListener(tcp, policy)
//	reg.MustRegister(metrics.Connections(l))
//	srv.Handler = m.Wrap(&staticfs.Handler{FS: fsys})
//	go http.ListenAndServe("127.0.0.1:9100", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
//
// Serve the metrics on a listener of their own, so that no file of the
// site can shadow them.
package metrics
