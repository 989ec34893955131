package conn

import (
	"errors"
	"log"
	"net"
	"os"
	"syscall"
	"time"
)

// exhaustedLogEvery bounds the log lines about running out of
// descriptors: one per this interval, however fast accepts fail.
const exhaustedLogEvery = 10 * time.Second

// isExhausted reports whether an Accept error means the process or the
// system has no file descriptor left.
func isExhausted(err error) bool {
	return errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE)
}

// acceptInner accepts from the inner listener. When that fails for lack
// of descriptors it makes room instead of returning the error, which
// would make http.Server sleep up to a second per retry with clients
// waiting in the kernel's accept queue: it accepts the next pending
// connection into the spare descriptor, then keeps it when it can shed
// another (see acceptSpare), or closes it at once, so that clients are
// answered instead of left waiting.
func (l *Listener) acceptInner() (net.Conn, error) {
	var wait time.Duration
	for {
		nc, err := l.inner.Accept()
		if err == nil || !isExhausted(err) {
			return nc, err
		}
		l.stats.exhausted.Add(1)
		l.enterPressure(int(l.stats.open.Load()))
		l.reportExhausted(err)
		nc, refused, err := l.acceptSpare()
		switch {
		case err != nil:
			return nil, err
		case nc != nil:
			return nc, nil
		case refused:
			wait = 0
			continue
		}
		// No spare descriptor: wait for connections to close.
		wait = min(max(2*wait, 5*time.Millisecond), 500*time.Millisecond)
		if !l.sleep(wait) {
			return nil, l.errClosed()
		}
	}
}

// acceptSpare frees the spare descriptor and accepts into it the next
// pending connection (waiting for one). It keeps that connection when a
// descriptor comes free for the spare again or a connection old enough
// can be shed, waiting up to ShedAge for either; otherwise, when every
// other connection is being served or too young, it closes the new one,
// counts it in Refused and reports refused. With no spare descriptor it
// returns neither. It takes the spare descriptor again before returning.
func (l *Listener) acceptSpare() (nc net.Conn, refused bool, err error) {
	l.spareMu.Lock()
	defer l.spareMu.Unlock()
	if l.spare == nil {
		l.openSpareLocked()
		if l.spare == nil {
			return nil, false, nil
		}
	}
	l.spare.Close()
	l.spare = nil
	defer l.openSpareLocked()
	nc, err = l.inner.Accept()
	switch {
	case err != nil && isExhausted(err):
		return nil, false, nil // another goroutine took the descriptor
	case err != nil:
		return nil, false, err
	}
	for waited := time.Duration(0); ; waited += recheck {
		// A connection that closed by itself (after a flood, dead ones
		// from the accept queue do at once) gives the spare back without
		// shedding anyone.
		if l.openSpareLocked(); l.spare != nil || l.shedOne(l.shedAge) {
			return nc, false, nil
		}
		if waited >= l.shedAge || !l.sleep(recheck) {
			break
		}
	}
	nc.Close()
	l.stats.refused.Add(1)
	return nil, true, nil
}

// sleep waits for d, or less when the Listener is closed; it reports
// false then.
func (l *Listener) sleep(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-l.done:
		return false
	case <-t.C:
		return true
	}
}

// openSpare takes the spare descriptor that acceptSpare accepts into.
func (l *Listener) openSpare() {
	l.spareMu.Lock()
	l.openSpareLocked()
	l.spareMu.Unlock()
}

func (l *Listener) openSpareLocked() {
	if l.spare != nil || l.closing.Load() {
		return
	}
	if f, err := l.openFile(os.DevNull); err == nil {
		l.spare = f
	}
}

// closeSpare gives the spare descriptor back, for good: Close calls it
// after setting closing.
func (l *Listener) closeSpare() {
	l.spareMu.Lock()
	if l.spare != nil {
		l.spare.Close()
		l.spare = nil
	}
	l.spareMu.Unlock()
}

// reportExhausted logs that accepting ran out of descriptors, at most
// once per exhaustedLogEvery, through the server's ErrorLog as net/http
// logs its own accept errors.
func (l *Listener) reportExhausted(err error) {
	now := l.now()
	l.logMu.Lock()
	if !l.lastLog.IsZero() && now.Sub(l.lastLog) < exhaustedLogEvery {
		l.logMu.Unlock()
		return
	}
	l.lastLog = now
	l.logMu.Unlock()
	s := l.stats.snapshot()
	l.logf("conn: %v: out of file descriptors (%d times so far, %d connections shed, %d refused); serving on by shedding; raise the limit (ulimit -n) or set Policy.MaxConns below it; next report in %v at the earliest",
		err, s.Exhausted, s.Shed, s.Refused, exhaustedLogEvery)
}

// logf logs to the server's ErrorLog, or the log package's standard
// logger when it has none.
func (l *Listener) logf(format string, args ...any) {
	if l.logHook != nil {
		l.logHook(format, args...)
		return
	}
	if s := l.serving.Load(); s != nil && s.srv != nil && s.srv.ErrorLog != nil {
		s.srv.ErrorLog.Printf(format, args...)
		return
	}
	log.Printf(format, args...)
}
