package conn

import (
	"net"
	"net/http"
	"net/netip"
	"os"
	"time"
)

// AcceptByHand lets a test call l.Accept itself, without a server, as
// the tests of Conn's methods and of Close do. It also takes the spare
// descriptor, as Serve does.
func AcceptByHand(l *Listener) *Listener {
	l.started.Store(true)
	l.serving.Store(&serving{})
	l.openSpare()
	return l
}

// SetClock makes l read the time from now, for shedding and pressure.
func SetClock(l *Listener, now func() time.Time) { l.now = now }

// SetLog makes l log through logf instead of the server's ErrorLog.
func SetLog(l *Listener, logf func(format string, a ...any)) { l.logHook = logf }

// Observe tells c what net/http's ConnState hook would.
func Observe(c net.Conn, state http.ConnState) { c.(*Conn).observe(state) }

// ClientKey is clientKey.
func ClientKey(a net.Addr) (netip.Addr, bool) { return clientKey(a) }

// Victim returns the ID of the connection l would shed now, or 0.
func Victim(l *Listener) uint64 {
	if c, _ := l.victim(l.shedAge); c != nil {
		return c.id
	}
	return 0
}

// UnderPressure reports whether the pressure header timeout applies.
func UnderPressure(l *Listener) bool { return l.pressure.Load() }

// SetOpenFile makes l open its spare descriptor with open.
func SetOpenFile(l *Listener, open func(string) (*os.File, error)) {
	l.spareMu.Lock()
	l.openFile = open
	l.spareMu.Unlock()
}
