package conn

import "time"

// limit is a counting semaphore for connection slots. The nil *limit
// (no cap) always grants a slot.
type limit struct {
	slots chan struct{} // one element per connection being served
	done  chan struct{} // closed by stop; wakes acquirers
}

func newLimit(n int) *limit {
	if n <= 0 {
		return nil
	}
	return &limit{slots: make(chan struct{}, n), done: make(chan struct{})}
}

// acquire waits for a free slot. It reports false, without taking a slot,
// once stop has been called.
func (l *limit) acquire() bool {
	if l == nil {
		return true
	}
	select {
	case <-l.done:
		return false
	default:
	}
	select {
	case <-l.done:
		return false
	case l.slots <- struct{}{}:
		return true
	}
}

// tryAcquire takes a free slot if there is one, without waiting.
func (l *limit) tryAcquire() bool {
	if l == nil {
		return true
	}
	select {
	case l.slots <- struct{}{}:
		return true
	default:
		return false
	}
}

// acquireWithin waits at most d for a free slot. It reports whether it
// took one, and stopped once stop has been called.
func (l *limit) acquireWithin(d time.Duration) (ok, stopped bool) {
	if l == nil {
		return true, false
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-l.done:
		return false, true
	case l.slots <- struct{}{}:
		return true, false
	case <-t.C:
		return false, false
	}
}

// release frees a slot taken by acquire. Each acquire is matched by
// exactly one release; callers guarantee that with sync.Once.
func (l *limit) release() {
	if l == nil {
		return
	}
	<-l.slots
}

// stop wakes every acquire waiting now or later. Call it once.
func (l *limit) stop() {
	if l == nil {
		return
	}
	close(l.done)
}
