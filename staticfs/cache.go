package staticfs

import (
	"sync"
)

// fileCache keeps the cache entries of served files, keyed by the URL
// path they answered. Entries are immutable once stored; the cache evicts
// arbitrary entries (Go's map order) when a new one would pass its byte
// budget, which costs no bookkeeping on hits.
type fileCache struct {
	maxBytes int64
	keep     int64 // the largest body held in memory; -1: none

	mu      sync.RWMutex // guards entries and bytes
	entries map[string]*cacheEntry
	bytes   int64
}

func newFileCache(maxBytes, keep int64) *fileCache {
	return &fileCache{maxBytes: maxBytes, keep: keep, entries: make(map[string]*cacheEntry)}
}
func (c *fileCache) get(key string) *cacheEntry {
	c.mu.RLock()
	e := c.entries[key]
	c.mu.RUnlock()
	return e
}

// put stores e under key, replacing what was there and evicting others
// until the budget holds it.
func (c *fileCache) put(key string, e *cacheEntry) {
	if e.bytes > c.maxBytes {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.entries[key]; ok {
		c.bytes -= old.bytes
		delete(c.entries, key)
	}
	for k, old := range c.entries {
		if c.bytes+e.bytes <= c.maxBytes {
			break
		}
		c.bytes -= old.bytes
		delete(c.entries, k)
	}
	c.entries[key] = e
	c.bytes += e.bytes
}

// remove drops key if it still holds e.
func (c *fileCache) remove(key string, e *cacheEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries[key] == e {
		c.bytes -= e.bytes
		delete(c.entries, key)
	}
}

// size reports the entries and bytes held.
func (c *fileCache) size() (int, int64) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.entries), c.bytes
}
