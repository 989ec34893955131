package conn

import (
	"errors"
	"io"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Conn is a connection accepted by a [Listener]. It forwards every call to
// the accepted net.Conn and adds what net/http and the kernel need to see
// through it:
//
//   - ReadFrom delegates to the inner conn, so a *net.TCPConn still sends
//     files with sendfile(2) when a handler serves an *os.File;
//   - CloseWrite, which net/http uses to close gracefully;
//   - SyscallConn, which the os and net packages use for zero-copy paths;
//   - NetConn, an unwrap like *tls.Conn's.
//
// Conn deliberately has no WriteTo (a hijacked io.Copy would bypass Read)
// and no ConnectionState (net/http would take a plaintext conn for TLS).
type Conn struct {
	inner net.Conn
	l     *Listener
	id    uint64

	capture     *capture      // nil unless the policy captures heads
	requests    atomic.Uint64 // requests seen on this conn by the handler wrapper
	policyClose atomic.Bool   // the policy announced Connection: close
	closed      atomic.Bool   // Close has been called

	// For shedding and the pressure header timeout (shed.go, pressure.go).
	client       netip.Addr   // what MaxConnsPerClient counts c for; zero if nothing
	phase        atomic.Int32 // phaseNew, phaseIdle, …
	since        atomic.Int64 // when the phase began (idle, head) or c was accepted (new), in Unix ns of l.now
	readDeadline atomic.Int64 // the read deadline last asked for (encodeDeadline)
	clamped      atomic.Bool  // the inner read deadline is the pressure one, not readDeadline
	// deadlineMu orders the read-deadline changes of the pressure header
	// timeout: net/http's own (SetReadDeadline), the move to serving that
	// lifts the clamp (observe), and enterPressure's clamp from the
	// Accept goroutine, which must never land on a connection that has
	// begun to serve its request. Unused without PressureHeaderTimeout.
	deadlineMu sync.Mutex

	// Cork's state (cork.go), used only by the goroutine serving a
	// request, between Cork and Uncork.
	cork         uint8
	kernelCorked bool    // TCP_CORK is set
	held         *[]byte // the write held in corkHeld
}

func newConn(c net.Conn, l *Listener, id uint64) *Conn {
	conn := &Conn{inner: c, l: l, id: id}
	if l.policy.CaptureHeaders {
		conn.capture = newCapture(int(l.maxHeaderBytes.Load()) + headSlack)
	}
	return conn
}

// ID returns the connection's ID: unique per Listener, starting at 1.
func (c *Conn) ID() uint64 { return c.id }

// NetConn returns the net.Conn that c wraps.
func (c *Conn) NetConn() net.Conn { return c.inner }

// Read reads from the inner conn and, when the policy captures heads,
// hands the bytes read to the connection's framer.
func (c *Conn) Read(b []byte) (int, error) {
	n, err := c.inner.Read(b)
	if n > 0 {
		if p := c.phase.Load(); p == phaseNew || p == phaseIdle {
			c.headStarted(p)
		}
	}
	if c.capture != nil && n > 0 {
		c.capture.feed(b[:n])
	}
	return n, err
}

// Write writes to the inner conn. With a capture, it also reports the
// heads net/http refuses (Policy.OnRejected), seen by its answer.
func (c *Conn) Write(b []byte) (int, error) {
	if c.capture != nil {
		c.checkRejected(b)
	}
	if c.cork != corkOff {
		return c.corkedWrite(b)
	}
	return c.inner.Write(b)
}

// ReadFrom copies r to the inner conn, through the inner conn's own
// ReadFrom when it has one (sendfile and splice for *net.TCPConn).
func (c *Conn) ReadFrom(r io.Reader) (int64, error) {
	if c.cork != corkOff {
		return c.corkedReadFrom(r) // Cork corks *net.TCPConns only
	}
	if rf, ok := c.inner.(io.ReaderFrom); ok {
		return rf.ReadFrom(r)
	}
	return io.Copy(writerOnly{c.inner}, r)
}

// writerOnly hides every method but Write, so io.Copy cannot loop back
// into ReadFrom.
type writerOnly struct{ io.Writer }

// CloseWrite shuts down the writing side of the inner conn, when it has
// one (as *net.TCPConn and *net.UnixConn do); otherwise it returns
// errors.ErrUnsupported.
func (c *Conn) CloseWrite() error {
	if cw, ok := c.inner.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return errors.ErrUnsupported
}

// SyscallConn returns the inner conn's raw connection, when it has one;
// otherwise it returns errors.ErrUnsupported.
func (c *Conn) SyscallConn() (syscall.RawConn, error) {
	if sc, ok := c.inner.(syscall.Conn); ok {
		return sc.SyscallConn()
	}
	return nil, errors.ErrUnsupported
}

// Close closes the inner conn. The first call also releases the
// connection's slot and updates the Listener's counters; later calls only
// return the inner conn's error for a second close.
func (c *Conn) Close() error {
	err := c.inner.Close()
	if c.closed.CompareAndSwap(false, true) {
		c.l.closed(c)
	}
	return err
}

// LocalAddr returns the inner conn's local address.
func (c *Conn) LocalAddr() net.Addr { return c.inner.LocalAddr() }

// RemoteAddr returns the inner conn's remote address.
func (c *Conn) RemoteAddr() net.Addr { return c.inner.RemoteAddr() }

// SetDeadline sets the inner conn's read and write deadlines. Under
// pressure the read deadline may be earlier; see SetReadDeadline.
func (c *Conn) SetDeadline(t time.Time) error {
	if c.l.policy.PressureHeaderTimeout <= 0 {
		return c.inner.SetDeadline(t)
	}
	c.deadlineMu.Lock()
	defer c.deadlineMu.Unlock()
	c.readDeadline.Store(encodeDeadline(t))
	if c.l.pressure.Load() {
		c.inner.SetWriteDeadline(t)
		return c.inner.SetReadDeadline(c.pressureDeadline(t))
	}
	return c.inner.SetDeadline(t)
}

// SetReadDeadline sets the inner conn's read deadline. While the
// Listener is under pressure (Policy.PressureHeaderTimeout), a
// connection waiting for its first request or reading a head gets the
// earlier of t and the end of its pressure header timeout.
func (c *Conn) SetReadDeadline(t time.Time) error {
	if c.l.policy.PressureHeaderTimeout <= 0 {
		return c.inner.SetReadDeadline(t)
	}
	c.deadlineMu.Lock()
	defer c.deadlineMu.Unlock()
	c.readDeadline.Store(encodeDeadline(t))
	if c.l.pressure.Load() {
		t = c.pressureDeadline(t)
	}
	return c.inner.SetReadDeadline(t)
}

// SetWriteDeadline sets the inner conn's write deadline.
func (c *Conn) SetWriteDeadline(t time.Time) error { return c.inner.SetWriteDeadline(t) }

// closed does the bookkeeping for a conn's first Close.
func (l *Listener) closed(c *Conn) {
	l.unregister(c)
	l.limit.release()
	l.relievePressure(l.stats.open.Add(^uint64(0)))
	if c.policyClose.Load() {
		l.stats.closedByPolicy.Add(1)
	}
	l.stats.requestsPerConn.observe(c.requests.Load())
}

// unwrap finds the *Conn in c or under it, following NetConn methods such
// as *tls.Conn's. It returns nil if there is none.
func unwrap(c net.Conn) *Conn {
	for c != nil {
		if cc, ok := c.(*Conn); ok {
			return cc
		}
		u, ok := c.(interface{ NetConn() net.Conn })
		if !ok {
			return nil
		}
		c = u.NetConn()
	}
	return nil
}
