package conn

import "time"

// pressureLevel returns the number of open connections from which the
// layer is under pressure, following Policy.PressureLevel's defaults; 0
// means only running out of descriptors puts it under pressure.
func pressureLevel(p Policy) int {
	switch {
	case p.PressureLevel > 0:
		return p.PressureLevel
	case p.MaxConns > 0:
		return max(1, p.MaxConns*3/4)
	}
	return int(descriptorLimit() * 3 / 4)
}

// connCap returns the connections the Listener serves at once:
// MaxConns, or without it the descriptor limit less a sixteenth of it
// (at least 16), so that handlers keep descriptors to open files with
// however many clients connect; 0 (no cap) when there is no known limit.
func connCap(p Policy) int {
	if p.MaxConns > 0 {
		return p.MaxConns
	}
	lim := int(descriptorLimit())
	if lim <= 0 {
		return 0
	}
	return max(1, lim-max(16, lim/16))
}

// checkPressure puts the layer under pressure when open connections
// reach the pressure level.
func (l *Listener) checkPressure(open uint64) {
	if l.pressureAt > 0 && open >= uint64(l.pressureAt) && !l.pressure.Load() {
		l.enterPressure(l.pressureAt)
	}
}

// enterPressure puts the layer under pressure until fewer than 7/8 of
// at connections are open, and shortens the read deadline of every
// connection waiting for or reading a head. It does nothing without a
// PressureHeaderTimeout.
func (l *Listener) enterPressure(at int) {
	if l.policy.PressureHeaderTimeout <= 0 || l.pressure.Load() {
		return
	}
	l.pressureExit.Store(int64(at - at/8))
	if !l.pressure.CompareAndSwap(false, true) {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for c := range l.conns {
		// Under c's deadline lock, so that a connection cannot start
		// serving between the look at its phase and the clamp.
		c.deadlineMu.Lock()
		if p := c.phase.Load(); p == phaseNew || p == phaseHead {
			c.clamped.Store(true)
			c.inner.SetReadDeadline(c.pressureDeadline(decodeDeadline(c.readDeadline.Load())))
		}
		c.deadlineMu.Unlock()
	}
}

// relievePressure ends the pressure once open connections are below its
// exit level.
func (l *Listener) relievePressure(open uint64) {
	if l.pressure.Load() && int64(open) < l.pressureExit.Load() {
		l.pressure.Store(false)
	}
}

// pressureDeadline returns the read deadline for c under pressure: t,
// or the end of the pressure header timeout when c is waiting for its
// first request or reading a head and t is later (or none).
func (c *Conn) pressureDeadline(t time.Time) time.Time {
	if p := c.phase.Load(); p != phaseNew && p != phaseHead {
		return t
	}
	limit := time.Unix(0, c.since.Load()).Add(c.l.policy.PressureHeaderTimeout)
	if t.IsZero() || t.After(limit) {
		c.clamped.Store(true)
		return limit
	}
	return t
}

// unclamp restores the read deadline net/http last asked for, once the
// head that the pressure timeout was for has been read.
func (c *Conn) unclamp() {
	c.clamped.Store(false)
	c.inner.SetReadDeadline(decodeDeadline(c.readDeadline.Load()))
}

// encodeDeadline and decodeDeadline keep a deadline in an int64: 0 for
// none, else nanoseconds since the Unix epoch.
func encodeDeadline(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func decodeDeadline(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n)
}
