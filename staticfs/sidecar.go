package staticfs

import (
	"io/fs"
	"strings"
)

// Encoding names a content coding served from precompressed sidecar
// files: for "app.js", the file "app.js" + Ext.
type Encoding struct {
	Coding string // the Content-Encoding token, e.g. "br"
	Ext    string // the sidecar's suffix, e.g. ".br"
}

// DefaultEncodings returns the sidecars looked for when Handler.Encodings
// is nil, in order of preference: Brotli, Zstandard, gzip.
func DefaultEncodings() []Encoding {
	return []Encoding{
		{Coding: "br", Ext: ".br"},
		{Coding: "zstd", Ext: ".zst"},
		{Coding: "gzip", Ext: ".gz"},
	}
}

var defaultEncodings = DefaultEncodings()

func (h *Handler) encodings() []Encoding {
	if h.Encodings == nil {
		return defaultEncodings
	}
	return h.Encodings
}

// sidecars appends to dst the encodings whose sidecar exists beside the
// resolved, link-free name real, in the order of encs.
func (rt *root) sidecars(dst []Encoding, encs []Encoding, real string) []Encoding {
	for _, e := range encs {
		if _, err := rt.sidecarInfo(real + e.Ext); err == nil {
			dst = append(dst, e)
		}
	}
	return dst
}

// sidecarInfo stats a sidecar beside a resolved, link-free name. Only
// regular files count: a link or a directory in a sidecar's place is
// ignored, so the check costs one Lstat and no walk.
func (rt *root) sidecarInfo(real string) (fs.FileInfo, error) {
	var info fs.FileInfo
	var err error
	if rt.lstater != nil {
		info, _, err = rt.lstater.LstatIfPossible(real)
	} else {
		info, err = rt.fs.Stat(real)
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
	f, err := rt.fs.Open(real)
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
