package conn

import (
	"errors"
	"fmt"
	"net"
	"net/http"
)

// Errors that say a Listener was wired wrong. Each is returned before a
// request is served, wrapped with what to do instead; test for them with
// errors.Is.
var (
	// ErrNotConfigured is what Accept returns, and so what
	// http.Server.Serve returns, when a Listener is served without its
	// own Serve or ServeTLS: the server would not apply the policy.
	ErrNotConfigured = errors.New("conn: Listener served without being configured: call l.Serve(srv) or l.ServeTLS(srv, certFile, keyFile) instead of srv.Serve(l)")

	// ErrConfiguredTwice is returned by Serve and ServeTLS for a Listener
	// that was already served, or for an http.Server that another
	// Listener already serves.
	ErrConfiguredTwice = errors.New("conn: configured twice")

	// ErrServerChanged is what Accept returns, and so what Serve returns,
	// once the server's Handler, ConnState, ConnContext or IdleTimeout no
	// longer holds what Serve set: connections would escape the policy.
	ErrServerChanged = errors.New("conn: server changed after Serve")
)

// Serve configures srv to apply l's policy and serves l with it, as
// http.Server.Serve does: it returns when l is closed (by srv.Shutdown or
// srv.Close, with http.ErrServerClosed) or Accept fails, and it closes l.
//
// Serve keeps what srv already has. It wraps srv.Handler (nil means
// http.DefaultServeMux) to number and count requests, to keep their raw
// heads for [RawHeader], and to set "Connection: close" on the response
// that ends a connection under the policy; it chains srv.ConnContext (to
// put the connection in the request context) and srv.ConnState (to close
// an idle Short-mode connection); it sets srv.IdleTimeout to the policy's
// when that is positive; and srv.MaxHeaderBytes bounds the heads the
// capture keeps. Set every field of srv before calling Serve and do not
// change them afterwards (net/http forbids that anyway): a Handler,
// ConnState, ConnContext or IdleTimeout replaced later makes Accept fail
// with [ErrServerChanged] instead of serving connections outside the
// policy.
//
// Serve returns an error without serving when the policy is invalid (see
// [Policy.Validate]) and [ErrConfiguredTwice] when l was already served or
// srv is already served through another Listener. Only the second
// Serve on one Listener leaves l open, for the first.
//
// The server may serve other listeners too, with srv.Serve: requests on
// connections no Listener accepted pass through untouched and carry no
// [Info].
func (l *Listener) Serve(srv *http.Server) error {
	if err := l.start(srv); err != nil {
		return err
	}
	return srv.Serve(l)
}

// ServeTLS is [Listener.Serve] over TLS, as http.Server.ServeTLS: it puts
// tls.NewListener over l, with srv.TLSConfig (cloned) and the certificate
// and key in certFile and keyFile when srv.TLSConfig has none (both may
// then be ""), and offers HTTP/2 through ALPN unless srv disables it.
// The policy applies per stream on HTTP/2 connections; see the package
// documentation's TLS section for what that order means.
func (l *Listener) ServeTLS(srv *http.Server, certFile, keyFile string) error {
	if err := l.start(srv); err != nil {
		return err
	}
	return srv.ServeTLS(l, certFile, keyFile)
}

// start configures srv for l, once per Listener. On a configuration error
// it closes l, as http.Server.Serve closes its listener whatever it
// returns; a second call leaves l open for the first.
func (l *Listener) start(srv *http.Server) error {
	if !l.started.CompareAndSwap(false, true) {
		return fmt.Errorf("%w: Serve was already called on this Listener; a Listener serves one http.Server once, so make a new one with NewListener", ErrConfiguredTwice)
	}
	if err := l.configure(srv); err != nil {
		l.Close()
		return err
	}
	l.openSpare()
	return nil
}

// Serve serves ln through a new Listener that enforces p: it is
// NewListener(ln, p).Serve(srv), for servers that need no [Stats].
func (p Policy) Serve(srv *http.Server, ln net.Listener) error {
	return NewListener(ln, p).Serve(srv)
}

// ServeTLS serves ln over TLS through a new Listener that enforces p: it
// is NewListener(ln, p).ServeTLS(srv, certFile, keyFile).
func (p Policy) ServeTLS(srv *http.Server, ln net.Listener, certFile, keyFile string) error {
	return NewListener(ln, p).ServeTLS(srv, certFile, keyFile)
}
