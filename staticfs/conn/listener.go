package conn

import (
	"net"
	"net/http"
	"sync"
	"sync/atomic"
)

// Listener is a net.Listener that enforces a [Policy]. Create it with
// [Policy.Wrap]; its methods are safe for concurrent use.
type Listener struct {
	inner  net.Listener
	policy Policy
	limit  *limit // nil when MaxConns is not set

	lastID         atomic.Uint64 // last connection ID handed out; IDs start at 1
	maxHeaderBytes atomic.Int64  // the server's MaxHeaderBytes, for the capture
	stats          counters
	closeOnce      sync.Once
}

func newListener(ln net.Listener, p Policy) *Listener {
	l := &Listener{inner: ln, policy: p, limit: newLimit(p.MaxConns)}
	l.maxHeaderBytes.Store(http.DefaultMaxHeaderBytes)
	return l
}

// Accept waits for a free connection slot when MaxConns is set, then for
// the next connection, and returns it as a *[Conn].
func (l *Listener) Accept() (net.Conn, error) {
	if !l.limit.acquire() {
		// Closed while waiting: the inner listener is closed too, so its
		// Accept returns at once with the error net/http expects.
		return l.inner.Accept()
	}
	c, err := l.inner.Accept()
	if err != nil {
		l.limit.release()
		return nil, err
	}
	l.stats.accepted.Add(1)
	l.stats.open.Add(1)
	return newConn(c, l, l.lastID.Add(1)), nil
}

// Close closes the inner listener and wakes any Accept waiting for a slot.
// Connections already accepted stay open.
func (l *Listener) Close() error {
	l.closeOnce.Do(l.limit.stop)
	return l.inner.Close()
}

// Addr returns the inner listener's address.
func (l *Listener) Addr() net.Addr { return l.inner.Addr() }

// Policy returns the policy l enforces.
func (l *Listener) Policy() Policy { return l.policy }

// Stats returns a snapshot of l's counters.
func (l *Listener) Stats() Stats { return l.stats.snapshot() }
