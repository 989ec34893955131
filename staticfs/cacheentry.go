package staticfs

import (
	"io/fs"
	"net/http"
	"sync/atomic"

	"github.com/webstatic/webstatic/internal/coding"
)

// cacheEntry is what a URL path answers with: the representations of a
// file and of its sidecars, as describe built them. The bodies of small
// ones are held in memory; larger ones are opened when sent. An entry is
// immutable but for checked.
type cacheEntry struct {
	reps    []representation // the file first, then its sidecars in Encodings order
	bytes   int64            // memory accounted for
	checked atomic.Int64     // when the files were last found unchanged (UnixNano)
}

// entryOverhead is the memory a representation is accounted for beside
// its body: its headers and bookkeeping.
const entryOverhead = 512

// loadEntry describes the regular file f, already checked by the
// policies, and its sidecars into a cache entry. It returns nil when a
// sidecar cannot be read; the request is then served without the cache.
func (h *Handler) loadEntry(c *fileCache, rt *root, f *file, ctype, cacheControl string) *cacheEntry {
	var buf [8]Encoding
	sidecars := rt.sidecars(buf[:0], h.encodings(), f.real)
	rep, err := h.describe(f, f, "", ctype, cacheControl, false, c.keep)
	if err != nil {
		return nil
	}
	e := &cacheEntry{reps: make([]representation, 1, 1+len(sidecars)+len(h.compressCodings()))}
	e.reps[0] = rep
	for _, enc := range sidecars {
		sc, err := rt.openSidecar(f.name, f.real+enc.Ext)
		if err != nil {
			return nil
		}
		rep, err := h.describe(f, sc, enc.Coding, ctype, cacheControl, false, c.keep)
		sc.Close()
		if err != nil {
			return nil
		}
		e.reps = append(e.reps, rep)
	}
	h.addCompressed(e, sidecars)
	for i := range e.reps {
		e.reps[i].vary = len(e.reps) > 1
		e.bytes += int64(len(e.reps[i].body)) + entryOverhead
	}
	e.checked.Store(h.state().now())
	return e
}

// addCompressed adds to e the representations the Handler compresses
// itself, for the codings of Compress that no sidecar gives: compressed
// once when the file's bytes are in memory, else as they are sent.
func (h *Handler) addCompressed(e *cacheEntry, sidecars []Encoding) {
	id := &e.reps[0]
	if !h.compressible(id) {
		return
	}
	for _, c := range h.compressCodings() {
		switch {
		case hasCoding(sidecars, c) || !coding.Known(c):
		case id.body != nil:
			if rep, ok := h.compressedOnce(id, c); ok {
				e.reps = append(e.reps, rep)
			}
		case coding.Streamable(c):
			e.reps = append(e.reps, h.made(id, c))
		}
		id = &e.reps[0] // append may have moved it
	}
}

// pick returns the representation the request prefers.
func (e *cacheEntry) pick(w http.ResponseWriter, r *http.Request) *representation {
	i := bestCoding(w, r, len(e.reps)-1, func(i int) (string, bool) {
		return e.reps[i+1].coding, e.reps[i+1].made
	}, e.reps[0].noTransform)
	if rep := &e.reps[i+1]; !streamedFromIdentity(rep, r) {
		return rep
	}
	return &e.reps[0]
}

// serveEntry answers with rep, a representation of a cache entry: from
// memory, or from the file it names, opened now unless it is f, the
// open file the entry was just loaded from. It reports false, having
// written nothing, when that file is gone or no longer the one described.
func (h *Handler) serveEntry(w http.ResponseWriter, r *http.Request, rt *root, rep *representation, f *file) bool {
	if rep.body != nil {
		h.serve(w, r, rep, nil)
		return true
	}
	if f != nil && rep.real == f.real {
		h.serve(w, r, rep, f.content())
		return true
	}
	fd, err := rt.fs.Open(rep.real)
	if err != nil {
		return false
	}
	defer fd.Close()
	info, err := fd.Stat()
	if err != nil || stampOf(info) != rep.stamp {
		return false
	}
	h.serve(w, r, rep, (&file{File: fd}).content())
	return true
}

// fresh reports whether the entry may answer now with rep: within the
// revalidation interval of its last check, or when a Stat of the file,
// and of the sidecar about to be sent, finds them as they were read. A
// representation sent from its file is checked when it is opened
// instead.
func (h *Handler) fresh(e *cacheEntry, rep *representation) bool {
	st := h.state()
	now := st.now()
	if st.revalidate > 0 && now-e.checked.Load() < int64(st.revalidate) {
		return true
	}
	file := &e.reps[0]
	if (file != rep || rep.body != nil) && !unchanged(st.fs, file) {
		return false
	}
	// A sidecar is a file of its own; what the Handler made from the
	// file has the file's stamp, checked above.
	if rep != file && !rep.made && rep.body != nil && !unchanged(st.fs, rep) {
		return false
	}
	e.checked.Store(now)
	return true
}

func unchanged(fsys interface {
	Stat(string) (fs.FileInfo, error)
}, rep *representation) bool {
	info, err := fsys.Stat(rep.real)
	return err == nil && stampOf(info) == rep.stamp
}

// stamp is a copy of what a Stat says of a version of a file. Some
// filesystems (MemMapFs) hand out FileInfos that change with the file,
// so the values are copied when the file is read.
type stamp struct {
	size    int64
	modTime int64 // UnixNano
	mode    fs.FileMode
	tag     string // the filesystem's own ETag (ETagger), "" for none
}

func stampOf(info fs.FileInfo) stamp {
	return stamp{info.Size(), info.ModTime().UnixNano(), info.Mode(), ownTag(info)}
}
