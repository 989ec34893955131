package conn

import (
	"net"
	"net/http"
	"sync/atomic"
)

// Listener is a net.Listener that enforces a [Policy] on the connections
// it accepts. Create it with [NewListener] and serve it with
// [Listener.Serve] or [Listener.ServeTLS]; its methods are safe for
// concurrent use.
type Listener struct {
	inner  net.Listener
	policy Policy
	limit  *limit // nil when MaxConns is not set

	// started is set by the first Serve or ServeTLS; serving, once that
	// has configured the server, to what it configured. Accept refuses
	// to hand out connections until serving is set.
	started atomic.Bool
	serving atomic.Pointer[serving]
	// closing is set by Close, before it wakes waiting Accepts: from then
	// on Accept returns no connection.
	closing atomic.Bool

	lastID         atomic.Uint64 // last connection ID handed out; IDs start at 1
	maxHeaderBytes atomic.Int64  // the server's MaxHeaderBytes, for the capture
	stats          counters
}

// NewListener returns a Listener that accepts connections from ln and
// enforces p. It does not check p: [Listener.Serve] does, and returns an
// error for an invalid policy before it accepts anything.
func NewListener(ln net.Listener, p Policy) *Listener {
	l := &Listener{inner: ln, policy: p, limit: newLimit(p.MaxConns)}
	l.maxHeaderBytes.Store(http.DefaultMaxHeaderBytes)
	return l
}

// Accept waits for a free connection slot when MaxConns is set, then for
// the next connection, and returns it as a *[Conn].
//
// Accept is meant to be called by the http.Server that [Listener.Serve]
// configured. Called on a Listener that is not serving, or after the
// server's Handler, ConnState, ConnContext or IdleTimeout was changed
// behind the Listener's back, it returns an error (see [ErrNotConfigured]
// and [ErrServerChanged]) that makes http.Server.Serve return. After
// [Listener.Close] it returns an error that wraps net.ErrClosed and never
// a connection.
func (l *Listener) Accept() (net.Conn, error) {
	s := l.serving.Load()
	if s == nil {
		return nil, ErrNotConfigured
	}
	if err := s.check(); err != nil {
		return nil, err
	}
	if l.closing.Load() || !l.limit.acquire() {
		// Closed, maybe while waiting for a slot. The inner listener may
		// not be closed yet, so its Accept could still return a
		// connection: do not call it.
		return nil, l.errClosed()
	}
	c, err := l.inner.Accept()
	if err != nil {
		l.limit.release()
		return nil, err
	}
	if l.closing.Load() {
		// Close ran while the inner Accept returned this connection.
		c.Close()
		l.limit.release()
		return nil, l.errClosed()
	}
	l.stats.accepted.Add(1)
	l.stats.open.Add(1)
	return newConn(c, l, l.lastID.Add(1)), nil
}

// errClosed is Accept's error on a closed Listener, worded as the net
// package words its own.
func (l *Listener) errClosed() error {
	addr := l.inner.Addr()
	return &net.OpError{Op: "accept", Net: addr.Network(), Addr: addr, Err: net.ErrClosed}
}

// Close closes the inner listener and wakes any Accept waiting for a slot;
// no Accept returns a connection after Close has been called. Connections
// already accepted stay open.
func (l *Listener) Close() error {
	if l.closing.CompareAndSwap(false, true) {
		l.limit.stop()
	}
	return l.inner.Close()
}

// Addr returns the inner listener's address.
func (l *Listener) Addr() net.Addr { return l.inner.Addr() }

// Policy returns the policy l enforces.
func (l *Listener) Policy() Policy { return l.policy }

// Stats returns a snapshot of l's counters.
func (l *Listener) Stats() Stats { return l.stats.snapshot() }
