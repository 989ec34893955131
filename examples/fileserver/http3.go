package main

// -http3: HTTP/3 over QUIC (quic-go's http3.Server) on the UDP port of
// the same number as the TCP listener, advertised on the TCP responses
// with Alt-Svc, as Caddy does.
//
// The connection layer (staticfs/conn) sees TCP connections only: QUIC
// connections are quic-go's, and of the policy only this applies to them:
//
//   - -idle-timeout: quic.Config.MaxIdleTimeout (no packet for that
//     long) and http3.Server.IdleTimeout (no request in flight that long).
//   - -conn short is refused with -http3 (see contradictions): quic-go
//     has no way to end a connection after its first response.
//   - -max-requests, -max-conns, -wait-when-full, -max-conns-per-ip and
//     the pressure flags do not apply: quic-go has no connection cap. What
//     bounds one QUIC connection is quic-go's: at most 100 concurrent
//     request streams (quic.Config.MaxIncomingStreams) and a 5 s
//     handshake (HandshakeIdleTimeout).
//   - -header-timeout does not apply: a request head is one HEADERS
//     frame, at most 64 KiB (MaxHeaderBytes, as over TCP), and a stream
//     that sends nothing keeps its connection from being idle.
//   - The header log has no raw head to print: it rebuilds it and says
//     "(reconstructed: HTTP/3.0 has no raw head)", as for HTTP/2; the
//     separator's connection and request numbers are "-".
//
// 0-RTT stays off (quic.Config.Allow0RTT false): early data can be
// replayed, and the saving is one round trip on a resumed connection.

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/felixge/httpsnoop"
	"github.com/quic-go/quic-go"
	"github.com/quic-go/quic-go/http3"
)

// altSvcMaxAge is how long, in seconds, a client may remember the
// Alt-Svc advertisement: a day (quic-go's own SetQUICHeaders says 30).
const altSvcMaxAge = 86400

// http3Server is the -http3 server and the UDP socket it serves. A nil
// *http3Server, for a server without -http3, does nothing: its methods
// are safe to call and advertise passes the handler through.
type http3Server struct {
	srv    *http3.Server
	pc     net.PacketConn
	altSvc string     // the Alt-Svc value for the TCP responses
	errc   chan error // Serve's error, once it returns; then closed

	requests, conns atomic.Uint64 // served over HTTP/3

	closeOnce sync.Once
}

// listenHTTP3 binds UDP on the host of -addr and the port the TCP
// listener tcp got, and serves h there over HTTP/3 with tlsConf. It
// returns nil, nil without -http3.
func (c config) listenHTTP3(tcp net.Listener, tlsConf *tls.Config, h http.Handler, logOut io.Writer) (*http3Server, error) {
	if !c.http3 {
		return nil, nil
	}
	host, _, _ := net.SplitHostPort(c.addr) // checked by parseFlags
	port := tcp.Addr().(*net.TCPAddr).Port
	pc, err := net.ListenPacket("udp", net.JoinHostPort(host, strconv.Itoa(port)))
	if err != nil {
		return nil, fmt.Errorf("-http3: %w", err)
	}
	s := &http3Server{
		pc:     pc,
		altSvc: fmt.Sprintf(`%s=":%d"; ma=%d`, http3.NextProtoH3, port, altSvcMaxAge),
		errc:   make(chan error, 1),
	}
	s.srv = &http3.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			s.requests.Add(1)
			h.ServeHTTP(withoutEmptyLength(w), r)
		}),
		// A clone: quic-go sets up session tickets on the config it is
		// given, while the TCP server clones the original.
		TLSConfig: tlsConf.Clone(),
		QUICConfig: &quic.Config{
			MaxIdleTimeout: c.policy.IdleTimeout,
		},
		IdleTimeout:    c.policy.IdleTimeout,
		MaxHeaderBytes: 64 << 10,
		ConnContext: func(ctx context.Context, _ *quic.Conn) context.Context {
			s.conns.Add(1)
			return ctx
		},
		Logger: slog.New(slog.NewTextHandler(logOut, &slog.HandlerOptions{Level: slog.LevelWarn})),
	}
	go func() {
		defer close(s.errc)
		if err := s.srv.Serve(pc); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.errc <- fmt.Errorf("-http3: %w", err)
		}
	}()
	return s, nil
}

// advertise sets Alt-Svc on every response of h, so that clients that
// came over TCP learn of HTTP/3 on the same port number.
func (s *http3Server) advertise(h http.Handler) http.Handler {
	if s == nil {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Alt-Svc"] = []string{s.altSvc}
		h.ServeHTTP(w, r)
	})
}

// withoutEmptyLength keeps quic-go from adding "Content-Length: 0" to a
// 304 or a 204, as it does for any response whose handler wrote no body
// (quic-go v0.61.0, server_conn.go): RFC 9110 §8.6 forbids it on a 204,
// and on a 304 allows only the 200's length. A nil Content-Length, set
// before the status, is one quic-go sees as present and writes as
// nothing. httpsnoop keeps w's other interfaces.
func withoutEmptyLength(w http.ResponseWriter) http.ResponseWriter {
	return httpsnoop.Wrap(w, httpsnoop.Hooks{
		WriteHeader: func(next httpsnoop.WriteHeaderFunc) httpsnoop.WriteHeaderFunc {
			return func(code int) {
				if code == http.StatusNotModified || code == http.StatusNoContent {
					if _, ok := w.Header()["Content-Length"]; !ok {
						w.Header()["Content-Length"] = nil
					}
				}
				next(code)
			}
		},
	})
}

// printTo prints the line that says where HTTP/3 is served.
func (s *http3Server) printTo(w io.Writer) {
	if s != nil {
		fmt.Fprintf(w, "http3: on udp %s, advertised as Alt-Svc: %s\n", s.pc.LocalAddr(), s.altSvc)
	}
}

// failed delivers the error that stopped the HTTP/3 server early; it
// never delivers for a nil s.
func (s *http3Server) failed() <-chan error {
	if s == nil {
		return nil
	}
	return s.errc
}

// Shutdown sends GOAWAY on every HTTP/3 connection and waits, until ctx
// is done, for their requests to finish; then it closes the server and
// its socket.
func (s *http3Server) Shutdown(ctx context.Context) error {
	if s == nil {
		return nil
	}
	err := s.srv.Shutdown(ctx)
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	return err
}

// Close closes the server at once, then the UDP socket (quic-go leaves a
// socket it was given open), and waits for Serve to return.
func (s *http3Server) Close() error {
	if s == nil {
		return nil
	}
	var err error
	s.closeOnce.Do(func() {
		err = s.srv.Close()
		if cerr := s.pc.Close(); err == nil {
			err = cerr
		}
		for range s.errc {
		}
	})
	return err
}

// stats says what HTTP/3 served, for the line printed at the end, or ""
// without -http3.
func (s *http3Server) stats() string {
	if s == nil {
		return ""
	}
	return fmt.Sprintf(", and %d requests on %d QUIC connections over HTTP/3", s.requests.Load(), s.conns.Load())
}
