package staticfs

import (
	"io"
	"io/fs"
	"net/http"
	"strings"
)

// Encoding names a content coding served from precompressed sidecar
// files: for "app.js", the file "app.js" + Ext.
type Encoding struct {
	Coding string // the Content-Encoding token, e.g. "br"
	Ext    string // the sidecar's suffix, e.g. ".br"
}

// DefaultEncodings are the sidecars looked for when Handler.Encodings is
// nil, in order of preference: Brotli, Zstandard, gzip.
var DefaultEncodings = []Encoding{
	{Coding: "br", Ext: ".br"},
	{Coding: "zstd", Ext: ".zst"},
	{Coding: "gzip", Ext: ".gz"},
}

func (h *Handler) encodings() []Encoding {
	if h.Encodings == nil {
		return DefaultEncodings
	}
	return h.Encodings
}

// variant picks what to send for the regular file f: the sidecar of the
// coding the client weighs highest (ties go to the earlier entry of
// Encodings), or f itself. hasSidecars reports whether f has any sidecar,
// so that the response varies with Accept-Encoding. The caller closes a
// returned sidecar.
func (h *Handler) variant(rt *root, r *http.Request, f *file) (v *file, coding string, hasSidecars bool) {
	encs := h.encodings()
	if len(encs) == 0 {
		return f, "", false
	}
	ae := acceptEncoding(r)
	best, bestQ := -1, 0.0
	for i, e := range encs {
		if _, err := rt.sidecarInfo(f.real + e.Ext); err != nil {
			continue
		}
		hasSidecars = true
		if q := codingWeight(ae, e.Coding); q > bestQ {
			best, bestQ = i, q
		}
	}
	if best < 0 {
		return f, "", hasSidecars
	}
	sc, err := rt.openSidecar(f.name, f.real+encs[best].Ext)
	if err != nil {
		return f, "", hasSidecars
	}
	return sc, encs[best].Coding, true
}

// sidecarInfo stats a sidecar beside a resolved, link-free name. Only
// regular files count: a link or a directory in a sidecar's place is
// ignored, so the check costs one Lstat and no walk.
func (rt *root) sidecarInfo(real string) (fs.FileInfo, error) {
	var info fs.FileInfo
	var err error
	if rt.lstater != nil {
		info, _, err = rt.lstater.LstatIfPossible(rt.fsName(real))
	} else {
		info, err = rt.fs.Stat(rt.fsName(real))
	}
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fs.ErrNotExist
	}
	return info, nil
}

// openSidecar opens a sidecar that sidecarInfo found.
func (rt *root) openSidecar(name, real string) (*file, error) {
	f, err := rt.fs.Open(rt.fsName(real))
	if err != nil {
		return nil, err
	}
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		f.Close()
		return nil, fs.ErrNotExist
	}
	return &file{File: f, name: name, real: real, info: info}, nil
}

// isSidecar reports whether the clean name is the sidecar of a regular
// file beside it, which is served in that file's place only.
func (h *Handler) isSidecar(rt *root, name string) bool {
	for _, e := range h.encodings() {
		base, ok := strings.CutSuffix(name, e.Ext)
		if !ok || base == "" || strings.HasSuffix(base, "/") {
			continue
		}
		if info, err := rt.stat(base); err == nil && info.Mode().IsRegular() {
			return true
		}
	}
	return false
}

// encodedWriter sets Content-Encoding when http.ServeContent writes the
// header of a 200 or 206 response. Set before the call, the header would
// make ServeContent leave out Content-Length (its guard for on-the-fly
// compressors), and the response would lose its length: chunked framing,
// no sendfile, no HTTP/1.0 keep-alive. Error answers (416) go out without
// it.
type encodedWriter struct {
	http.ResponseWriter
	coding string
}

func (w *encodedWriter) WriteHeader(code int) {
	if code == http.StatusOK || code == http.StatusPartialContent {
		w.Header().Set("Content-Encoding", w.coding)
	}
	w.ResponseWriter.WriteHeader(code)
}

// ReadFrom keeps net/http's sendfile path: io.Copy hands the file to the
// wrapped writer's own ReadFrom.
func (w *encodedWriter) ReadFrom(src io.Reader) (int64, error) {
	return io.Copy(w.ResponseWriter, src)
}

// Unwrap lets http.ResponseController reach the wrapped writer.
func (w *encodedWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
