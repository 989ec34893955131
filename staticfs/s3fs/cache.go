package s3fs

import (
	"container/list"
	"sync"
	"time"
)

// dirCache keeps directory listings for a while, the least recently used
// dropped first beyond max, and lets concurrent misses of one directory
// share one fetch (single flight). Failed fetches are not kept.
type dirCache struct {
	max int // entries kept; < 0: none once answered
	now func() time.Time

	mu      sync.Mutex // guards entries and lru
	entries map[string]*dirEntry
	lru     list.List // of *dirEntry, most recent first
}

type dirEntry struct {
	key  string
	elem *list.Element // in lru; nil when not in the cache

	done    chan struct{} // closed once l or err is set
	l       *listing
	err     error
	expires time.Time
}

func newDirCache(max int, now func() time.Time) *dirCache {
	return &dirCache{max: max, now: now, entries: make(map[string]*dirEntry)}
}

// get returns the listing of key: a fresh one kept, the one being fetched
// by another lookup, or what fetch returns now.
func (c *dirCache) get(key string, ttl time.Duration, fetch func() (*listing, error)) (*listing, error) {
	c.mu.Lock()
	if e := c.entries[key]; e != nil {
		select {
		case <-e.done:
			if c.now().Before(e.expires) {
				c.lru.MoveToFront(e.elem)
				c.mu.Unlock()
				return e.l, nil
			}
			c.removeLocked(e)
		default:
			c.mu.Unlock()
			<-e.done
			return e.l, e.err
		}
	}
	e := &dirEntry{key: key, done: make(chan struct{})}
	c.entries[key] = e
	e.elem = c.lru.PushFront(e)
	c.mu.Unlock()

	l, err := fetch()

	c.mu.Lock()
	e.l, e.err = l, err
	e.expires = c.now().Add(ttl)
	if err != nil || ttl < 0 || c.max < 0 {
		c.removeLocked(e)
	}
	close(e.done)
	c.evictLocked()
	c.mu.Unlock()
	return l, err
}

// drop forgets the listing of key, if one is kept, so that the next
// lookup lists the directory anew.
func (c *dirCache) drop(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.entries[key]; e != nil {
		select {
		case <-e.done:
			c.removeLocked(e)
		default: // being fetched: that answer is new enough
		}
	}
}

// evictLocked drops the least recently used answered listings beyond max.
func (c *dirCache) evictLocked() {
	for el := c.lru.Back(); el != nil && c.lru.Len() > max(c.max, 0); {
		e := el.Value.(*dirEntry)
		el = el.Prev()
		select {
		case <-e.done:
			c.removeLocked(e)
		default: // in flight: its waiters need it
		}
	}
}

func (c *dirCache) removeLocked(e *dirEntry) {
	if e.elem == nil {
		return
	}
	c.lru.Remove(e.elem)
	e.elem = nil
	if c.entries[e.key] == e {
		delete(c.entries, e.key)
	}
}

// len returns the number of entries kept, for tests.
func (c *dirCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}
