package staticfs

import (
	"container/list"
	"sync"
)

// etagKey names one version of one file.
type etagKey struct {
	name    string
	size    int64
	modTime int64
}

// etagCache remembers computed ETags, least recently used first out, and
// computes each missing one once however many requests ask at the same
// time.
type etagCache struct {
	max int

	mu       sync.Mutex // guards the fields below
	entries  map[etagKey]*list.Element
	order    *list.List // of *etagEntry, most recent first
	inflight map[etagKey]*etagCall
}

type etagEntry struct {
	key etagKey
	tag string
}

type etagCall struct {
	done chan struct{}
	tag  string
	err  error
}

func newETagCache(max int) *etagCache {
	return &etagCache{
		max:      max,
		entries:  make(map[etagKey]*list.Element),
		order:    list.New(),
		inflight: make(map[etagKey]*etagCall),
	}
}

// get returns the tag for key, calling compute on a miss.
func (c *etagCache) get(key etagKey, compute func() (string, error)) (string, error) {
	c.mu.Lock()
	if el, ok := c.entries[key]; ok {
		c.order.MoveToFront(el)
		c.mu.Unlock()
		return el.Value.(*etagEntry).tag, nil
	}
	if call, ok := c.inflight[key]; ok {
		c.mu.Unlock()
		<-call.done
		return call.tag, call.err
	}
	call := &etagCall{done: make(chan struct{})}
	c.inflight[key] = call
	c.mu.Unlock()

	call.tag, call.err = compute()

	c.mu.Lock()
	delete(c.inflight, key)
	if call.err == nil {
		c.entries[key] = c.order.PushFront(&etagEntry{key, call.tag})
		for c.order.Len() > c.max {
			oldest := c.order.Back()
			c.order.Remove(oldest)
			delete(c.entries, oldest.Value.(*etagEntry).key)
		}
	}
	c.mu.Unlock()
	close(call.done)
	return call.tag, call.err
}

// len reports how many tags are kept.
func (c *etagCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
