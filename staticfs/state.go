package staticfs

import (
	"time"

	"github.com/spf13/afero"
)

// state is what a Handler builds on its first request and keeps.
type state struct {
	fs         afero.Fs // the FS served, its names rooted (servedFS)
	etags      *etagCache
	files      *fileCache    // nil when MemoryCacheBytes < 0
	revalidate time.Duration // RevalidateInterval in effect; <= 0: every hit
	now        func() int64  // the clock, in UnixNano
}

// Defaults of the options whose zero value means a default.
const (
	defaultETagHashEntries     = 16384 // about 100 bytes an entry
	defaultMemoryCacheBytes    = 32 << 20
	defaultMemoryCacheFileSize = 64 << 10
	defaultRevalidateInterval  = time.Millisecond // on filesystems backed by the OS
)

func (h *Handler) state() *state {
	h.once.Do(func() {
		st := &state{
			fs:    servedFS(h.FS),
			etags: newETagCache(orDefault(h.ETagHashEntries, defaultETagHashEntries)),
		}
		clock := h.clock
		if clock == nil {
			clock = time.Now
		}
		st.now = func() int64 { return clock().UnixNano() }
		if h.MemoryCacheBytes >= 0 {
			st.files = newFileCache(
				orDefault(h.MemoryCacheBytes, defaultMemoryCacheBytes),
				orDefault(h.MemoryCacheFileSize, defaultMemoryCacheFileSize))
		}
		st.revalidate = h.RevalidateInterval
		if st.revalidate == 0 && osBacked(st.fs) {
			st.revalidate = defaultRevalidateInterval
		}
		h.st = st
		if st.fs != nil {
			if _, err := st.fs.Stat("/"); err != nil {
				h.logf("staticfs: the root of Handler.FS cannot be read, every request will fail: %v "+
					"(an io/fs filesystem inside afero's layers needs staticfs.FromIOFS)", err)
			}
		}
	})
	return h.st
}

// orDefault applies the options' convention for numbers: 0 means the
// default, a negative value means none (returned as -1, which no size
// or count reaches).
func orDefault[T int | int64](v, def T) T {
	switch {
	case v == 0:
		return def
	case v < 0:
		return -1
	}
	return v
}

// osBacked reports whether fsys reaches the operating system's files,
// where a Stat is a system call: OsFs and the afero layers over it say so
// from LstatIfPossible.
func osBacked(fsys afero.Fs) bool {
	l, ok := fsys.(afero.Lstater)
	if !ok {
		return false
	}
	_, lstat, _ := l.LstatIfPossible("/")
	return lstat
}
