package staticfs

// state is what a Handler builds on its first request and keeps.
type state struct {
	etags *etagCache
	files *fileCache // nil when CacheBytes < 0
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
		if h.CacheBytes >= 0 {
			max, file := h.CacheBytes, h.CacheFileSize
			if max == 0 {
				max = defaultCacheBytes
			}
			if file <= 0 {
				file = defaultCacheFileSize
			}
			h.st.files = newFileCache(max, file)
		}
	})
	return h.st
}
