package conn

import (
	"net"
	"net/http"
	"net/netip"
	"os"
	"sync"
	"sync/atomic"
	"time"
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
	// on Accept returns no connection. done is closed with it.
	closing atomic.Bool
	done    chan struct{}

	lastID         atomic.Uint64 // last connection ID handed out; IDs start at 1
	maxHeaderBytes atomic.Int64  // the server's MaxHeaderBytes, for the capture
	stats          counters

	now     func() time.Time              // the clock for shedding and pressure; time.Now but in tests
	logHook func(format string, a ...any) // nil but in tests

	mu      sync.Mutex         // guards conns and clients
	conns   map[*Conn]struct{} // open connections handed out by Accept
	clients map[netip.Addr]int // open connections per client, under MaxConnsPerClient
	shedAge time.Duration      // Policy.ShedAge or its default

	pressureAt   int          // open connections that start the pressure; 0: only exhaustion does
	pressure     atomic.Bool  // under pressure: the pressure header timeout applies
	pressureExit atomic.Int64 // the pressure ends below this many open connections

	spareMu  sync.Mutex                          // guards spare
	spare    *os.File                            // a descriptor kept to accept into when the process has none left
	openFile func(name string) (*os.File, error) // os.Open but in tests

	logMu   sync.Mutex // guards lastLog
	lastLog time.Time  // when reportExhausted last logged
}

// NewListener returns a Listener that accepts connections from ln and
// enforces p. It does not check p: [Listener.Serve] does, and returns an
// error for an invalid policy before it accepts anything.
func NewListener(ln net.Listener, p Policy) *Listener {
	l := &Listener{
		inner:      ln,
		policy:     p,
		limit:      newLimit(connCap(p)),
		done:       make(chan struct{}),
		now:        time.Now,
		openFile:   os.Open,
		conns:      make(map[*Conn]struct{}),
		clients:    make(map[netip.Addr]int),
		shedAge:    p.ShedAge,
		pressureAt: pressureLevel(p),
	}
	if l.shedAge <= 0 {
		l.shedAge = defaultShedAge
	}
	l.maxHeaderBytes.Store(http.DefaultMaxHeaderBytes)
	return l
}

// Accept takes the next connection and returns it as a *[Conn], once it
// has a connection slot when MaxConns is set.
//
// On the way it applies the policy's defences (see the package
// documentation's Shedding section): it closes at once a connection
// whose client already holds MaxConnsPerClient; at MaxConns it sheds a
// connection to make room, or waits until one can be shed or closes
// (with WaitWhenFull it waits for a slot before taking a connection);
// when the process has no descriptor left it sheds one, or refuses the
// new connection at once, instead of returning the error.
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
	for {
		c, err := l.acceptOne()
		if c != nil || err != nil {
			return c, err
		}
	}
}

// acceptOne accepts one connection. It returns neither a connection nor
// an error when it closed the one it accepted: over MaxConnsPerClient, or
// at the cap from a client flooding stalled heads.
func (l *Listener) acceptOne() (net.Conn, error) {
	wait := l.policy.WaitWhenFull && l.policy.MaxConns > 0
	if l.closing.Load() || (wait && !l.limit.acquire()) {
		// Closed, maybe while waiting for a slot. The inner listener may
		// not be closed yet, so its Accept could still return a
		// connection: do not call it.
		return nil, l.errClosed()
	}
	nc, err := l.acceptInner()
	if err != nil {
		if wait {
			l.limit.release()
		}
		return nil, err
	}
	if l.closing.Load() {
		// Close ran while the inner Accept returned this connection.
		nc.Close()
		if wait {
			l.limit.release()
		}
		return nil, l.errClosed()
	}
	key, ok := l.admitClient(nc)
	if !ok {
		nc.Close()
		if wait {
			l.limit.release()
		}
		l.stats.rejectedPerClient.Add(1)
		return nil, nil
	}
	if !wait {
		switch l.makeRoom(key) {
		case roomRefused:
			nc.Close()
			l.forgetClient(key)
			l.stats.shed.Add(1)
			return nil, nil
		case roomClosed:
			nc.Close()
			l.forgetClient(key)
			return nil, l.errClosed()
		}
	}
	c := newConn(nc, l, l.lastID.Add(1))
	c.client = key
	c.since.Store(l.now().UnixNano())
	l.register(c)
	l.stats.accepted.Add(1)
	l.checkPressure(l.stats.open.Add(1))
	return c, nil
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
	first := l.closing.CompareAndSwap(false, true)
	if first {
		close(l.done)
		l.limit.stop()
	}
	err := l.inner.Close()
	if first {
		l.closeSpare()
	}
	return err
}

// Addr returns the inner listener's address.
func (l *Listener) Addr() net.Addr { return l.inner.Addr() }

// Policy returns the policy l enforces.
func (l *Listener) Policy() Policy { return l.policy }

// Stats returns a snapshot of l's counters.
func (l *Listener) Stats() Stats { return l.stats.snapshot() }
