package conn

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
)

// Configure prepares srv to serve l, keeping what srv already has:
//
//   - ConnContext stores the connection in each request's context (after
//     calling srv's own ConnContext, if any), found under a *tls.Conn too;
//   - Handler is wrapped to number requests, to count them, and to set
//     "Connection: close" on the response that ends a connection under the
//     policy (every response in Short mode, the MaxRequests-th in KeepAlive
//     mode) before the handler runs; a nil Handler means
//     http.DefaultServeMux, as in net/http;
//   - IdleTimeout is set to the policy's IdleTimeout when that is positive;
//   - srv.MaxHeaderBytes bounds the heads the capture keeps;
//   - ConnState closes a Short-mode HTTP/1 connection that goes idle (after
//     calling srv's own ConnState, if any), in case a handler removed the
//     "Connection: close" header or never ran (OPTIONS *).
//
// Call Configure once, before srv.Serve (twice would count every request
// twice). A server configured by one Listener may also serve other
// listeners: requests on connections no Listener accepted pass through
// the wrapper untouched and carry no [Info]. Configure does not call
// srv.SetKeepAlivesEnabled: with keep-alives disabled, net/http answers an
// HTTP/1.0 "Connection: keep-alive" request with "Connection: keep-alive"
// and then closes the connection anyway.
func (l *Listener) Configure(srv *http.Server) {
	srv.ConnContext = chainConnContext(srv.ConnContext)
	srv.ConnState = chainConnState(srv.ConnState)
	srv.Handler = wrapHandler(srv.Handler)
	if l.policy.IdleTimeout > 0 {
		srv.IdleTimeout = l.policy.IdleTimeout
	}
	if srv.MaxHeaderBytes > 0 {
		l.maxHeaderBytes.Store(int64(srv.MaxHeaderBytes))
	}
}

func chainConnContext(prev func(context.Context, net.Conn) context.Context) func(context.Context, net.Conn) context.Context {
	return func(ctx context.Context, nc net.Conn) context.Context {
		if prev != nil {
			ctx = prev(ctx, nc)
		}
		if c := unwrap(nc); c != nil {
			ctx = context.WithValue(ctx, connKey{}, c)
		}
		return ctx
	}
}

func chainConnState(prev func(net.Conn, http.ConnState)) func(net.Conn, http.ConnState) {
	return func(nc net.Conn, state http.ConnState) {
		if prev != nil {
			prev(nc, state)
		}
		if state != http.StateIdle {
			return
		}
		if c := unwrap(nc); c != nil && c.l.policy.Mode == Short && !isHTTP2(nc) {
			c.policyClose.Store(true)
			c.Close()
		}
	}
}

// isHTTP2 reports whether nc negotiated HTTP/2 with ALPN. An HTTP/2
// connection is idle before its first stream too; the handler's
// "Connection: close" makes the HTTP/2 server send GOAWAY instead.
func isHTTP2(nc net.Conn) bool {
	tc, ok := nc.(*tls.Conn)
	return ok && tc.ConnectionState().NegotiatedProtocol == "h2"
}
