package staticfs

// state is what a Handler builds on its first request and keeps.
type state struct {
	etags *etagCache
}

// defaultETagCacheEntries bounds the content ETag cache when
// Handler.ETagCacheEntries is 0: about 100 bytes an entry.
const defaultETagCacheEntries = 16384

func (h *Handler) state() *state {
	h.once.Do(func() {
		n := h.ETagCacheEntries
		if n <= 0 {
			n = defaultETagCacheEntries
		}
		h.st = &state{etags: newETagCache(n)}
	})
	return h.st
}
