package staticfs

import (
	"bytes"
	"io"
	"io/fs"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"
)

// cacheEntry is a small file in memory, with its sidecars and the header
// values every response of it carries. Header values are slices of
// length and capacity 1, shared by all responses: an append by a later
// handler copies them.
type cacheEntry struct {
	name         string // clean request name, for CacheRules and Headers
	info         fs.FileInfo
	contentType  []string
	cacheControl []string // nil: none
	vary         bool     // the file has sidecars
	variants     []cachedVariant
	bytes        int64        // memory accounted for
	checked      atomic.Int64 // when the files were last found unchanged (UnixNano)
}

// cachedVariant is the file itself (coding "") or one of its sidecars.
type cachedVariant struct {
	coding   string
	fsName   string // as the filesystem knows it, for revalidation
	stamp    stamp  // what revalidation compares
	modTime  time.Time
	body     []byte
	etag     []string // nil: none
	lastMod  []string // nil: none
	length   []string
	encoding []string // nil for the file itself
}

func one(s string) []string { return []string{s}[:1:1] }

var (
	nosniffValue      = one("nosniff")
	acceptRangesValue = one("bytes")
	varyValue         = "Accept-Encoding"
)

// loadEntry reads the regular file f, already checked by the policies,
// and its sidecars into a cache entry. It returns nil when the file or a
// sidecar is too large, or changed while it was read.
func (h *Handler) loadEntry(c *fileCache, rt *root, f *file, ctype string) *cacheEntry {
	if f.info.Size() > c.maxFile {
		return nil
	}
	e := &cacheEntry{name: f.name, info: f.info, contentType: one(ctype)}
	if cc := h.ruleFor(f.name); cc != "" {
		e.cacheControl = one(cc)
	}
	v, ok := h.readVariant(rt, f, "", c.maxFile)
	if !ok {
		return nil
	}
	e.variants = append(e.variants, v)
	for _, enc := range h.encodings() {
		real := f.real + enc.Ext
		if _, err := rt.sidecarInfo(real); err != nil {
			continue
		}
		e.vary = true
		sc, err := rt.openSidecar(f.name, real)
		if err != nil {
			return nil
		}
		v, ok := h.readVariant(rt, sc, enc.Coding, c.maxFile)
		sc.Close()
		if !ok {
			return nil
		}
		e.variants = append(e.variants, v)
	}
	for _, v := range e.variants {
		e.bytes += int64(len(v.body)) + 512
	}
	e.checked.Store(time.Now().UnixNano())
	return e
}

// readVariant reads an open file whole, and computes its headers.
func (h *Handler) readVariant(rt *root, f *file, coding string, max int64) (cachedVariant, bool) {
	size := f.info.Size()
	if size > max {
		return cachedVariant{}, false
	}
	body := make([]byte, size)
	if _, err := io.ReadFull(f.content(), body); err != nil {
		return cachedVariant{}, false
	}
	v := cachedVariant{
		coding:  coding,
		fsName:  rt.fsName(f.real),
		stamp:   stampOf(f.info),
		modTime: f.info.ModTime(),
		body:    body,
		length:  one(strconv.FormatInt(size, 10)),
	}
	if tag := h.etagOfBytes(f.info, coding, body); tag != "" {
		v.etag = one(tag)
	}
	if mt := f.info.ModTime(); !mt.IsZero() && mt.Unix() != 0 {
		v.lastMod = one(mt.UTC().Format(http.TimeFormat))
	}
	if coding != "" {
		v.encoding = one(coding)
	}
	return v, true
}

// defaultCacheTTL is CacheTTL's zero value.
const defaultCacheTTL = time.Millisecond

// fresh reports whether the entry may answer now: within CacheTTL of its
// last check, or when a Stat of the file and of the variant about to be
// sent finds them as they were read.
func (h *Handler) fresh(e *cacheEntry, v *cachedVariant) bool {
	now := time.Now().UnixNano()
	ttl := h.CacheTTL
	if ttl == 0 {
		ttl = defaultCacheTTL
	}
	if ttl > 0 && now-e.checked.Load() < int64(ttl) {
		return true
	}
	if !unchanged(h.FS, &e.variants[0]) || (v != &e.variants[0] && !unchanged(h.FS, v)) {
		return false
	}
	e.checked.Store(now)
	return true
}

func unchanged(fsys interface {
	Stat(string) (fs.FileInfo, error)
}, v *cachedVariant) bool {
	info, err := fsys.Stat(v.fsName)
	return err == nil && stampOf(info) == v.stamp
}

// stamp is a copy of what a Stat says of a version of a file. Some
// filesystems (MemMapFs) hand out FileInfos that change with the file,
// so the values are copied when the file is read.
type stamp struct {
	size    int64
	modTime int64 // UnixNano
	mode    fs.FileMode
}

func stampOf(info fs.FileInfo) stamp {
	return stamp{info.Size(), info.ModTime().UnixNano(), info.Mode()}
}

// pick returns the variant the request's Accept-Encoding prefers.
func (e *cacheEntry) pick(r *http.Request) *cachedVariant {
	best, bestQ := &e.variants[0], 0.0
	if len(e.variants) == 1 {
		return best
	}
	ae := acceptEncoding(r)
	for i := 1; i < len(e.variants); i++ {
		if q := codingWeight(ae, e.variants[i].coding); q > bestQ {
			best, bestQ = &e.variants[i], q
		}
	}
	return best
}

// conditionalHeaders are the request headers http.ServeContent acts on.
var conditionalHeaders = []string{"If-Match", "If-None-Match", "If-Modified-Since", "If-Unmodified-Since", "Range", "If-Range"}

// serveEntry answers from memory. Plain GET and HEAD requests are written
// directly; conditional and range requests go through http.ServeContent
// over the cached bytes.
func (h *Handler) serveEntry(w http.ResponseWriter, r *http.Request, e *cacheEntry, v *cachedVariant) {
	hdr := w.Header()
	hdr["Content-Type"] = e.contentType
	if v.etag != nil {
		hdr["Etag"] = v.etag
	}
	if e.vary {
		hdr.Add("Vary", varyValue)
	}
	if e.cacheControl != nil {
		hdr["Cache-Control"] = e.cacheControl
	}
	if h.Headers != nil {
		h.Headers(w, r, e.name, e.info)
	}
	for _, k := range conditionalHeaders {
		if _, ok := r.Header[k]; ok {
			if v.coding != "" {
				w = &encodedWriter{ResponseWriter: w, coding: v.coding}
			}
			http.ServeContent(w, r, e.name, v.modTime, bytes.NewReader(v.body))
			return
		}
	}
	if v.lastMod != nil {
		hdr["Last-Modified"] = v.lastMod
	}
	hdr["Accept-Ranges"] = acceptRangesValue
	hdr["Content-Length"] = v.length
	if v.encoding != nil {
		hdr["Content-Encoding"] = v.encoding
	}
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(v.body)
	}
}
