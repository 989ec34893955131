package staticfs

import (
	"bytes"
	"io"
	"io/fs"
	"net/http"
	"strconv"
	"time"

	"github.com/webstatic/webstatic/internal/coding"
	"github.com/webstatic/webstatic/staticfs/conn"
)

// representation is everything one response of a file sends: the file
// itself or one of its sidecars, with the header values that go with it.
// It is decided in one place, describe, whether the small-file cache
// keeps it or a single request builds it, and written in one place,
// serve. Header values are slices of length and capacity 1, shared by
// every response of a cached representation: an append by a later
// handler copies them.
type representation struct {
	name   string      // the clean URL name it answers for
	info   fs.FileInfo // the file's own (not a sidecar's), for the Headers hook
	real   string      // the name of what is sent, links followed
	coding string      // "" for the file itself
	made   bool        // compressed by the Handler, not a sidecar: streamed when body is nil
	tag    string      // the opaque part of the ETag, "" for none
	stamp  stamp       // what revalidation compares

	modTime      time.Time
	size         int64
	contentType  []string
	etag         []string // nil: none
	lastModified []string // nil: none
	cacheControl []string // nil: none
	encoding     []string // Content-Encoding; nil for the file itself
	length       []string // Content-Length
	vary         bool     // the file has other representations: Vary: Accept-Encoding
	noTransform  bool     // cacheControl says no-transform: the Handler compresses nothing

	body []byte // the bytes, when held in memory; nil: read from the file
}

// describe builds the representation of f, an open regular file, for
// the file base it answers for: base itself (coding "") or one of its
// sidecars. The body is read into memory when it is at most keep bytes;
// otherwise it is left to be read from f, or from the filesystem later.
func (h *Handler) describe(base, f *file, enc, ctype, cacheControl string, vary bool, keep int64) (representation, error) {
	rep := representation{
		name:        base.name,
		info:        base.info,
		real:        f.real,
		coding:      enc,
		stamp:       stampOf(f.info),
		modTime:     f.info.ModTime(),
		size:        f.info.Size(),
		contentType: one(ctype),
		length:      one(strconv.FormatInt(f.info.Size(), 10)),
		vary:        vary,
	}
	if rep.size <= keep {
		rep.body = make([]byte, rep.size)
		if _, err := io.ReadFull(f.content(), rep.body); err != nil {
			return representation{}, err
		}
	}
	tag, err := h.etag(f, rep.body)
	if err != nil {
		return representation{}, err
	}
	rep.tag = tag
	if tag = quoteTag(tag, enc); tag != "" {
		rep.etag = one(tag)
	}
	if !isZeroTime(rep.modTime) {
		rep.lastModified = one(rep.modTime.UTC().Format(http.TimeFormat))
	}
	if cacheControl != "" {
		rep.cacheControl = one(cacheControl)
		rep.noTransform = coding.NoTransform(cacheControl)
	}
	if enc != "" {
		rep.encoding = one(enc)
	}
	return rep, nil
}

// isZeroTime is http.ServeContent's test for a modification time it does
// not send: the zero time or the Unix epoch.
func isZeroTime(t time.Time) bool {
	return t.IsZero() || t.Equal(time.Unix(0, 0))
}

func one(s string) []string { return []string{s}[:1:1] }

var (
	nosniffValue       = one("nosniff")
	acceptRangesValue  = one("bytes")
	varyAcceptEncoding = one("Accept-Encoding")
)

// serve writes the response for rep, whose body is rep.body or, when that
// is nil, content, an open file at offset 0. It is the one place that
// sets a file's headers: Content-Type, ETag, Vary, Cache-Control, then
// the Headers hook. A plain GET or HEAD is written directly, exactly as
// http.ServeContent would write it (without its two seeks to learn the
// size); every other request goes through http.ServeContent, which
// answers ranges and conditional requests.
func (h *Handler) serve(w http.ResponseWriter, r *http.Request, rep *representation, content io.ReadSeeker) {
	hdr := w.Header()
	plain := !isConditional(r)
	var before http.Header // the headers as the outer handlers left them
	if !plain && mayFail(r, rep) {
		before = hdr.Clone()
	}
	hdr["Content-Type"] = rep.contentType
	if rep.etag != nil {
		hdr["Etag"] = rep.etag
	}
	if rep.vary {
		if _, ok := hdr["Vary"]; ok {
			coding.AddVary(hdr, "Accept-Encoding")
		} else {
			hdr["Vary"] = varyAcceptEncoding
		}
	}
	if rep.cacheControl != nil {
		hdr["Cache-Control"] = rep.cacheControl
	}
	if h.Headers != nil {
		h.Headers(w, r, rep.name, rep.info)
	}
	if rep.size >= corkMinSize && r.Method != http.MethodHead && conn.Cork(r) {
		defer conn.Uncork(r)
	}
	if plain {
		writeWhole(w, r, rep, content)
		return
	}
	aw := &answerWriter{ResponseWriter: w, encoding: rep.encoding}
	if rep.body != nil {
		content = bytes.NewReader(rep.body)
	} else if rep.made {
		// Compressed as it is sent: set now, Content-Encoding makes
		// ServeContent leave out the Content-Length it cannot know.
		hdr["Content-Encoding"] = rep.encoding
		aw.encoding, aw.encode = nil, rep.coding
		defer aw.close()
	}
	http.ServeContent(aw, withRFCRange(r), rep.name, rep.modTime, content)
	if aw.failed != 0 {
		h.serveContentError(w, r, rep, before, aw.failed)
	}
}

// writeWhole answers a plain GET or HEAD with the headers
// http.ServeContent would set: Last-Modified, Accept-Ranges, and
// Content-Length unless an outer handler set Content-Encoding (its sign
// that it encodes the body on the fly, so the length would be wrong).
// The body is rep.body, or rep.size bytes of content, copied as
// ServeContent copies them (with sendfile from an *os.File).
func writeWhole(w http.ResponseWriter, r *http.Request, rep *representation, content io.Reader) {
	hdr := w.Header()
	if rep.lastModified != nil {
		hdr["Last-Modified"] = rep.lastModified
	}
	hdr["Accept-Ranges"] = acceptRangesValue
	if ce := hdr["Content-Encoding"]; rep.length != nil && (len(ce) == 0 || ce[0] == "") {
		hdr["Content-Length"] = rep.length
	}
	if rep.encoding != nil {
		hdr["Content-Encoding"] = rep.encoding
	}
	w.WriteHeader(http.StatusOK)
	switch {
	case r.Method == http.MethodHead:
	case rep.body != nil:
		w.Write(rep.body)
	case rep.made:
		s := coding.NewStream(rep.coding, w)
		io.CopyN(s, content, rep.size)
		s.Close()
	default:
		io.CopyN(w, content, rep.size)
	}
}

// mayFail reports whether http.ServeContent can answer r for rep with
// an error (412, 416, or 500 when a file cannot be sized), for which serve
// must keep the headers as they were: only If-Match, If-Unmodified-Since
// and Range can fail a request, and only a file can fail to seek. A
// revalidation of a body in memory (If-None-Match, If-Modified-Since)
// answers 200 or 304 and needs no copy.
func mayFail(r *http.Request, rep *representation) bool {
	if rep.body == nil {
		return true
	}
	for _, k := range [...]string{"If-Match", "If-Unmodified-Since", "Range"} {
		if _, ok := r.Header[k]; ok {
			return true
		}
	}
	return false
}

// conditionalHeaders are the request headers http.ServeContent acts on.
var conditionalHeaders = []string{"If-Match", "If-None-Match", "If-Modified-Since", "If-Unmodified-Since", "Range", "If-Range"}

func isConditional(r *http.Request) bool {
	for _, k := range conditionalHeaders {
		if _, ok := r.Header[k]; ok {
			return true
		}
	}
	return false
}

// serveContentError answers in place of an error status that
// http.ServeContent wrote (412, 416, or 500 when the file cannot be
// read): with the headers the outer handlers had set, none of the
// file's, through the Handler's error path. A 416 keeps the
// Content-Range that gives the representation's length (RFC 9110,
// section 15.5.17).
func (h *Handler) serveContentError(w http.ResponseWriter, r *http.Request, rep *representation, before http.Header, status int) {
	hdr := w.Header()
	contentRange := hdr.Get("Content-Range")
	if before != nil { // nil only where mayFail saw no way to fail
		clear(hdr)
		for k, v := range before {
			hdr[k] = v
		}
	}
	var err error
	switch status {
	case http.StatusPreconditionFailed:
		err = ErrPreconditionFailed
	case http.StatusRequestedRangeNotSatisfiable:
		err = ErrRangeNotSatisfiable
		if contentRange == "" { // a malformed range: ServeContent gave no length
			contentRange = "bytes */" + strconv.FormatInt(rep.size, 10)
		}
		hdr.Set("Content-Range", contentRange)
	default:
		err = &fs.PathError{Op: "serve", Path: rep.real, Err: errUnreadable}
	}
	h.serveError(w, r, rep.name, err)
}

// answerWriter stands between http.ServeContent and the client. It sets
// Content-Encoding when a 200 or 206 is written (set before the call, the
// header would make ServeContent leave Content-Length out, its guard for
// on-the-fly compressors), or compresses the body as it is written, and
// it holds back an error status and its body, so that the Handler
// answers errors itself. ReadFrom keeps net/http's sendfile path for
// bodies it does not compress.
type answerWriter struct {
	http.ResponseWriter
	encoding []string       // set on a 200 or 206; nil for the file itself
	encode   string         // the coding to compress the body with, or ""
	stream   *coding.Stream // encode's encoder, made at the first Write
	failed   int            // the error status ServeContent wrote, or 0
}

func (w *answerWriter) WriteHeader(code int) {
	if code >= 400 {
		w.failed = code
		return
	}
	if w.encoding != nil && (code == http.StatusOK || code == http.StatusPartialContent) {
		w.Header()["Content-Encoding"] = w.encoding
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *answerWriter) Write(p []byte) (int, error) {
	switch {
	case w.failed != 0:
		return len(p), nil
	case w.encode != "":
		if w.stream == nil {
			w.stream = coding.NewStream(w.encode, w.ResponseWriter)
		}
		return w.stream.Write(p)
	}
	return w.ResponseWriter.Write(p)
}

// ReadFrom hands the copy to the wrapped writer's own ReadFrom: io.Copy
// finds it there, and with it sendfile.
func (w *answerWriter) ReadFrom(src io.Reader) (int64, error) {
	switch {
	case w.failed != 0:
		return io.Copy(io.Discard, src)
	case w.encode != "":
		if w.stream == nil {
			w.stream = coding.NewStream(w.encode, w.ResponseWriter)
		}
		return w.stream.ReadFrom(src)
	}
	return io.Copy(w.ResponseWriter, src)
}

// close ends the compressed stream, if one was begun.
func (w *answerWriter) close() {
	if w.stream != nil {
		w.stream.Close()
		w.stream = nil
	}
}

// Unwrap lets http.ResponseController reach the wrapped writer.
func (w *answerWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
