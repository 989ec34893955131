package conn

import (
	"net/http"
	"net/netip"
	"time"
)

// A connection's phase tells the Listener whether it may be shed and
// whether the pressure header timeout applies to it. It moves
//
//	new → head → serving → idle → head → serving → …
//
// from the bytes Read returns and the states net/http reports through
// ConnState; shed and hijacked are final.
const (
	phaseNew      int32 = iota // accepted, no byte of a request read yet
	phaseIdle                  // kept alive between requests, no byte of the next read yet
	phaseHead                  // reading a request head: bytes read, request not yet being served
	phaseServing               // a request is being served: from StateActive to StateIdle
	phaseHijacked              // taken over by a handler; never shed
	phaseShed                  // chosen to be shed and closed
)

const (
	// defaultShedAge is ShedAge's zero-value meaning.
	defaultShedAge = 100 * time.Millisecond
	// idleShedFactor: an idle connection may be shed once idle for this
	// many ShedAges, and so may a new one that has sent no byte yet. A
	// busy keep-alive client (a load generator, a proxy) can take a
	// while to send its next request on each of its connections, and on
	// a saturated machine a new connection's goroutine can take a while
	// to read the request already waiting in its socket.
	idleShedFactor = 10
	// recheck is how often an Accept that found nothing to shed looks
	// again, as connections age or go idle.
	recheck = 20 * time.Millisecond
)

// setPhase moves c to p unless c has been shed or hijacked.
func (c *Conn) setPhase(p int32) {
	for {
		old := c.phase.Load()
		if old == phaseShed || old == phaseHijacked || c.phase.CompareAndSwap(old, p) {
			return
		}
	}
}

// headStarted records that the first bytes of a request head arrived on
// c, which was new or idle (from).
func (c *Conn) headStarted(from int32) {
	if c.phase.CompareAndSwap(from, phaseHead) {
		c.since.Store(c.l.now().UnixNano())
	}
}

// observe follows the states net/http reports for c.
func (c *Conn) observe(state http.ConnState) {
	switch state {
	case http.StateActive:
		c.deadlineMu.Lock()
		c.setPhase(phaseServing)
		if c.clamped.Load() {
			c.unclamp()
		}
		c.deadlineMu.Unlock()
	case http.StateIdle:
		if c.cork != corkOff {
			c.uncork() // a handler that corked and never uncorked
		}
		c.since.Store(c.l.now().UnixNano())
		c.setPhase(phaseIdle)
	case http.StateHijacked:
		c.setPhase(phaseHijacked)
	}
}

// register adds c to the connections that may be shed.
func (l *Listener) register(c *Conn) {
	l.mu.Lock()
	l.conns[c] = struct{}{}
	l.mu.Unlock()
}

// unregister removes c from the Listener's books: the connections that
// may be shed and its client's count.
func (l *Listener) unregister(c *Conn) {
	l.mu.Lock()
	delete(l.conns, c)
	l.forgetClientLocked(c.client)
	l.mu.Unlock()
}

// victim picks the connection to shed, among those reading a head for
// at least minAge and those idle or waiting for their first byte for
// ten times that,
// of clients holding at least half as many connections as the client
// holding the most (a lone visitor is not shed for a flood's sake): an
// idle one before the others, and within each kind one of the client
// holding the most connections, the oldest of those. It returns nil
// when there is none, and the phase it saw.
func (l *Listener) victim(minAge time.Duration) (*Conn, int32) {
	now := l.now().UnixNano()
	var (
		best      *Conn
		bestPhase int32
		bestRank  int
		bestN     int
		bestSince int64
	)
	l.mu.Lock()
	defer l.mu.Unlock()
	heaviest := 1
	for _, n := range l.clients {
		heaviest = max(heaviest, n)
	}
	for c := range l.conns {
		p := c.phase.Load()
		rank, age := 0, int64(minAge)
		switch p {
		case phaseIdle:
			rank, age = 2, idleShedFactor*age
		case phaseNew:
			// No byte yet: on a busy machine a connection whose request
			// is already in its socket buffer can wait longer than
			// ShedAge for its goroutine to read it; a slowloris head
			// (phaseHead) has shown what it is.
			rank, age = 1, idleShedFactor*age
		case phaseHead:
			rank = 1
		default:
			continue
		}
		since := c.since.Load()
		if now-since < age {
			continue
		}
		n := max(1, l.clients[c.client])
		if 2*n < heaviest {
			continue
		}
		better := rank > bestRank ||
			rank == bestRank && (n > bestN || n == bestN && since < bestSince)
		if better {
			best, bestPhase, bestRank, bestN, bestSince = c, p, rank, n, since
		}
	}
	return best, bestPhase
}

// shedOne closes the connection victim picks, if any, and reports
// whether it closed one. A connection that starts serving a request
// between the pick and the close is left alone and another is picked.
func (l *Listener) shedOne(minAge time.Duration) bool {
	for {
		c, p := l.victim(minAge)
		if c == nil {
			return false
		}
		if c.phase.CompareAndSwap(p, phaseShed) {
			l.stats.shed.Add(1)
			c.Close()
			return true
		}
	}
}

// makeRoom takes a connection slot for a connection just accepted from
// client, shedding to free one when the cap is reached, or waiting when
// nothing can be shed yet. It returns roomTaken, roomRefused when it
// closes the new connection instead (its client floods stalled heads,
// see stalling), or roomClosed when the Listener is closed first.
func (l *Listener) makeRoom(client netip.Addr) room {
	if l.limit == nil {
		return roomTaken
	}
	for {
		if l.limit.tryAcquire() {
			return roomTaken
		}
		if l.shedOne(l.shedAge) {
			continue
		}
		if l.stalling(client) {
			return roomRefused
		}
		ok, stopped := l.limit.acquireWithin(recheck)
		if ok {
			return roomTaken
		}
		if stopped {
			return roomClosed
		}
	}
}

// room is what makeRoom did.
type room int

const (
	roomTaken   room = iota // the connection has a slot
	roomRefused             // the connection is to be closed at once
	roomClosed              // the Listener was closed
)

// stalling reports whether client holds the most connections, two at
// least, and half of them have been reading a head for a quarter of
// ShedAge: a client flooding stalled heads (slowloris). At the cap, with
// nothing old enough to shed, its new connections are closed at once
// instead of waited for, so that the kernel's accept queue, which the
// flood fills, drains to the clients behind it. A busy client sends its
// heads whole: on a saturated machine a few of its connections can be
// caught between reading a head and serving it, never half.
func (l *Listener) stalling(client netip.Addr) bool {
	if !client.IsValid() {
		return false
	}
	now, minAge := l.now().UnixNano(), int64(l.shedAge/4)
	l.mu.Lock()
	defer l.mu.Unlock()
	n := l.clients[client]
	if n < 2 {
		return false
	}
	for _, m := range l.clients {
		if m > n {
			return false
		}
	}
	heads := 0
	for c := range l.conns {
		if c.client == client && c.phase.Load() == phaseHead && now-c.since.Load() >= minAge {
			heads++
		}
	}
	return 2*heads >= n
}
