package conn

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"reflect"
	"time"
)

// serving records what configure set on a server, so that Accept can
// tell when it has been changed since.
type serving struct {
	srv         *http.Server // nil only in this package's tests, which Accept by hand
	handler     http.Handler
	connState   uintptr // code pointers of the funcs configure installed
	connContext uintptr
	idleTimeout time.Duration // what configure set srv.IdleTimeout to; 0 if it left it
}

// configure prepares srv to serve l, keeping what srv already has:
//
//   - ConnContext stores the connection in each request's context (after
//     calling srv's own ConnContext, if any), found under a *tls.Conn too;
//   - Handler is wrapped to number requests, to count them, to take their
//     raw heads, and to set "Connection: close" on the response that ends
//     a connection under the policy (every response in Short mode, the
//     MaxRequests-th in KeepAlive mode) before the handler runs; a nil
//     Handler means http.DefaultServeMux, as in net/http;
//   - IdleTimeout is set to the policy's IdleTimeout when that is positive;
//   - srv.MaxHeaderBytes bounds the heads the capture keeps;
//   - ConnState closes a Short-mode HTTP/1 connection that goes idle (after
//     calling srv's own ConnState, if any), in case a handler removed the
//     "Connection: close" header or never ran (OPTIONS *).
//
// It does not call srv.SetKeepAlivesEnabled: with keep-alives disabled,
// net/http answers an HTTP/1.0 "Connection: keep-alive" request with
// "Connection: keep-alive" and then closes the connection anyway.
func (l *Listener) configure(srv *http.Server) error {
	if err := l.policy.Validate(); err != nil {
		return err
	}
	if _, ok := srv.Handler.(*handler); ok {
		return fmt.Errorf("%w: this http.Server is already served through a Listener; give each Listener its own http.Server", ErrConfiguredTwice)
	}
	srv.ConnContext = chainConnContext(srv.ConnContext)
	srv.ConnState = chainConnState(srv.ConnState)
	srv.Handler = &handler{next: srv.Handler}
	if l.policy.IdleTimeout > 0 {
		srv.IdleTimeout = l.policy.IdleTimeout
	}
	if srv.MaxHeaderBytes > 0 {
		l.maxHeaderBytes.Store(int64(srv.MaxHeaderBytes))
	}
	s := &serving{
		srv:         srv,
		handler:     srv.Handler,
		connState:   funcPointer(srv.ConnState),
		connContext: funcPointer(srv.ConnContext),
	}
	if l.policy.IdleTimeout > 0 {
		s.idleTimeout = l.policy.IdleTimeout
	}
	l.serving.Store(s)
	return nil
}

// check reports, with ErrServerChanged, a server field that no longer
// holds what configure set: requests would then escape the policy.
// net/http reads these fields for every connection or request, so
// changing them while the server runs is a data race anyway; check makes
// the usual form of that mistake (setting srv.Handler in another
// goroutine after starting Serve) fail before a connection is served.
func (s *serving) check() error {
	if s.srv == nil {
		return nil
	}
	field := ""
	switch {
	case s.srv.Handler != s.handler:
		field = "Handler"
	case funcPointer(s.srv.ConnState) != s.connState:
		field = "ConnState"
	case funcPointer(s.srv.ConnContext) != s.connContext:
		field = "ConnContext"
	case s.idleTimeout > 0 && s.srv.IdleTimeout != s.idleTimeout:
		field = "IdleTimeout"
	default:
		return nil
	}
	return fmt.Errorf("%w: srv.%s was replaced after Listener.Serve configured the server; set it before calling Serve, which wraps it", ErrServerChanged, field)
}

// funcPointer returns the code pointer of f, or 0 for nil. Two closures
// made by the same function literal share it, which is enough to tell
// configure's hooks from any other.
func funcPointer(f any) uintptr {
	v := reflect.ValueOf(f)
	if v.IsNil() {
		return 0
	}
	return v.Pointer()
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
		c := unwrap(nc)
		if c == nil {
			return
		}
		c.observe(state)
		if state == http.StateIdle && c.l.policy.Mode == Short && !isHTTP2(nc) {
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
