package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/webstatic/webstatic/middleware/metrics"
	"github.com/webstatic/webstatic/staticfs/conn"
)

// metricsServer is the -metrics server: Prometheus's exposition of the
// request metrics and of the connection layer's, on a listener of its
// own, so that no file of the site can shadow /metrics. A nil
// *metricsServer, for a server without -metrics, does nothing: its
// methods are safe to call and wrap passes the handler through.
type metricsServer struct {
	reg  *prometheus.Registry
	m    *metrics.Metrics
	ln   net.Listener
	srv  *http.Server
	errc chan error // Serve's error, if it stops early
}

// listenMetrics listens on -metrics ADDR. It returns nil, nil without
// -metrics. The server starts with serve, once the connection layer's
// listener exists.
func (c config) listenMetrics() (*metricsServer, error) {
	if c.metricsAddr == "" {
		return nil, nil
	}
	ln, err := net.Listen("tcp", c.metricsAddr)
	if err != nil {
		return nil, fmt.Errorf("-metrics: %w", err)
	}
	reg := prometheus.NewRegistry()
	return &metricsServer{reg: reg, m: metrics.New(reg), ln: ln, errc: make(chan error, 1)}, nil
}

// wrap returns h counted by the request metrics.
func (s *metricsServer) wrap(h http.Handler) http.Handler {
	if s == nil {
		return h
	}
	return s.m.Wrap(h)
}

// serve adds l's counters to the exposition and serves /metrics, and
// only /metrics, until Shutdown.
func (s *metricsServer) serve(l *conn.Listener, logOut io.Writer) {
	if s == nil {
		return
	}
	s.reg.MustRegister(metrics.Connections(l))
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.reg, promhttp.HandlerOpts{}))
	s.srv = &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		ErrorLog:          log.New(logOut, "fileserver: -metrics: ", log.LstdFlags),
	}
	go func() {
		if err := s.srv.Serve(s.ln); !errors.Is(err, http.ErrServerClosed) {
			s.errc <- fmt.Errorf("-metrics: %w", err)
		}
	}()
}

// printTo prints the line that says where the metrics are served.
func (s *metricsServer) printTo(w io.Writer) {
	if s != nil {
		fmt.Fprintf(w, "metrics on http://%s/metrics\n", s.ln.Addr())
	}
}

// failed delivers the error that stopped the metrics server early; it
// never delivers for a nil s.
func (s *metricsServer) failed() <-chan error {
	if s == nil {
		return nil
	}
	return s.errc
}

// Shutdown stops the metrics server gracefully, until ctx is done, and
// closes its listener.
func (s *metricsServer) Shutdown(ctx context.Context) error {
	if s == nil {
		return nil
	}
	if s.srv == nil { // never served
		return s.ln.Close()
	}
	return s.srv.Shutdown(ctx)
}

// Close closes the metrics server at once, or only its listener if it
// never served.
func (s *metricsServer) Close() error {
	if s == nil {
		return nil
	}
	if s.srv == nil {
		return s.ln.Close()
	}
	return s.srv.Close()
}

// checkMetricsAddr says, in one line, why -metrics addr cannot be used
// beside -addr: not a host:port, or the same address (the same port on
// the same host, or either host unspecified), where the site would
// answer instead.
func checkMetricsAddr(addr, siteAddr string) error {
	if err := checkAddr(addr); err != nil {
		return fmt.Errorf("-metrics %q: %v", addr, err)
	}
	host, port, _ := net.SplitHostPort(addr)
	siteHost, sitePort, _ := net.SplitHostPort(siteAddr) // checked by parseFlags
	if port == "0" || port != sitePort {
		return nil
	}
	if host == siteHost || unspecified(host) || unspecified(siteHost) {
		return fmt.Errorf("-metrics %q: the same address as -addr %q; give the metrics a port of their own", addr, siteAddr)
	}
	return nil
}

// unspecified reports whether host listens on every address.
func unspecified(host string) bool {
	if host == "" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsUnspecified()
}
