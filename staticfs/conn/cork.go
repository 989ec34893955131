package conn

import (
	"io"
	"net"
	"net/http"
	"sync"
)

// Cork makes the response to r leave in as few writes and segments as it
// can, as nginx's tcp_nopush does, until [Uncork]. net/http writes a
// response head on its own, in the 4 KiB flush that also holds the start
// of the body, and the rest of a large body in a second write; corked,
// the Conn holds a first write of at most 8 KiB and sends it with the
// next one in a single writev(2), so that a head and a body held in
// memory leave in one system call and, on loopback, one segment. When
// more follows (a file sent with sendfile, a body compressed as it is
// sent), it sets TCP_CORK on Linux for the rest, so that the kernel
// sends only full segments. A handler about to send a body of some size
// calls Cork and defers Uncork; the staticfs Handler does so for bodies
// of 4 KiB and more.
//
// Cork reports whether it corked: only HTTP/1 requests on a TCP
// connection accepted by a [Listener] can be corked. Always Uncork: a
// held write goes out at the next write or at Uncork, and the kernel
// holds a partial segment for up to 200 ms. (A connection still corked
// when net/http has finished the response is uncorked then.)
func Cork(r *http.Request) bool {
	c := connOf(r)
	if c == nil || r.ProtoMajor != 1 {
		return false
	}
	if _, ok := c.inner.(*net.TCPConn); !ok {
		return false
	}
	c.cork = corkHolding
	return true
}

// Uncork ends what [Cork] began: it sends a write still held, and lifts
// TCP_CORK, which sends any partial segment the kernel holds. It does
// nothing on a connection that Cork did not cork.
func Uncork(r *http.Request) {
	if c := connOf(r); c != nil && c.cork != corkOff {
		c.uncork()
	}
}

// connOf returns the *Conn r arrived on, or nil.
func connOf(r *http.Request) *Conn {
	c, _ := r.Context().Value(connKey{}).(*Conn)
	return c
}

// The states of a Conn's cork. Cork, Uncork and the writes between them
// all run on the goroutine serving the request, so the state needs no
// lock.
const (
	corkOff     uint8 = iota // writes go straight through
	corkHolding              // corked, nothing written yet: the first write of at most holdMax is held
	corkHeld                 // a write is held in c.held
	corkPassing              // the held write is gone; later writes go through, under TCP_CORK if kernelCorked
)

// holdMax is the largest write Cork holds: net/http's 4 KiB buffer of a
// head and the start of a body, with room for a larger head.
const holdMax = 8 << 10

var holdPool = sync.Pool{New: func() any { b := make([]byte, 0, holdMax); return &b }}

// corkedWrite is Write between Cork and Uncork.
func (c *Conn) corkedWrite(b []byte) (int, error) {
	switch c.cork {
	case corkHolding:
		if len(b) > holdMax {
			c.cork = corkPassing
			c.kernelCork()
			return c.inner.Write(b)
		}
		c.held = holdPool.Get().(*[]byte)
		*c.held = append((*c.held)[:0], b...)
		c.cork = corkHeld
		return len(b), nil
	case corkHeld:
		// The held write and this one leave in one writev. Any write
		// after them goes under TCP_CORK.
		held := len(*c.held)
		bufs := net.Buffers{*c.held, b}
		n, err := bufs.WriteTo(c.inner)
		c.releaseHeld()
		c.cork = corkPassing
		return int(max(0, n-int64(held))), err
	default: // corkPassing
		c.kernelCork()
		return c.inner.Write(b)
	}
}

// corkedReadFrom is ReadFrom between Cork and Uncork: a held write goes
// first, under TCP_CORK, so that it shares segments with what r sends
// (sendfile's pages).
func (c *Conn) corkedReadFrom(r io.Reader) (int64, error) {
	c.kernelCork()
	if c.cork == corkHeld {
		_, err := c.inner.Write(*c.held)
		c.releaseHeld()
		if err != nil {
			c.cork = corkPassing
			return 0, err
		}
	}
	c.cork = corkPassing
	return c.inner.(io.ReaderFrom).ReadFrom(r)
}

// kernelCork sets TCP_CORK once per cork, where the kernel has it.
func (c *Conn) kernelCork() {
	if !c.kernelCorked {
		c.kernelCorked = setCork(c.inner, true)
	}
}

// uncork sends a held write and lifts TCP_CORK.
func (c *Conn) uncork() {
	if c.cork == corkHeld {
		c.inner.Write(*c.held) // an error shows at net/http's next write
		c.releaseHeld()
	}
	if c.kernelCorked {
		setCork(c.inner, false)
		c.kernelCorked = false
	}
	c.cork = corkOff
}

func (c *Conn) releaseHeld() {
	if cap(*c.held) <= holdMax {
		holdPool.Put(c.held)
	}
	c.held = nil
}
