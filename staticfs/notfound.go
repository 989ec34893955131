package staticfs

import (
	"io"
	"net/http"
	"path"
	"strconv"
	"strings"
)

var defaultNotFoundPages = []string{"404.html"}

// serveNotFoundPage sends the 404 page nearest to the clean name, and
// reports false when there is none to send.
func (h *Handler) serveNotFoundPage(w http.ResponseWriter, r *http.Request, name string) bool {
	pages := h.NotFoundPages
	if pages == nil {
		pages = defaultNotFoundPages
	}
	if len(pages) == 0 {
		return false
	}
	rt := h.root()
	f := rt.nearest(name, pages)
	if f == nil {
		return false
	}
	defer f.Close()
	ctype := h.typeByExtension(f.name)
	if ctype == "" {
		ctype = "text/html; charset=utf-8"
	}
	hdr := w.Header()
	hdr.Set("Content-Type", ctype)
	hdr.Set("Content-Length", strconv.FormatInt(f.info.Size(), 10))
	w.WriteHeader(http.StatusNotFound)
	if r.Method != http.MethodHead {
		io.CopyN(w, f.content(), f.info.Size())
	}
	return true
}

// nearest opens the first of pages in the deepest directory on the way
// from the root to name that has one. It walks down from the root and
// stops at the first segment that is not an existing directory, so a
// long made-up path costs no more lookups than the tree has levels.
func (rt *root) nearest(name string, pages []string) *file {
	best := ""
	dir, rest := "/", name[1:]
	for {
		for _, page := range pages {
			candidate := path.Join(dir, page)
			if info, err := rt.stat(candidate); err == nil && info.Mode().IsRegular() {
				best = candidate
				break
			}
		}
		if rest == "" {
			break
		}
		var seg string
		seg, rest, _ = strings.Cut(rest, "/")
		dir = path.Join(dir, seg)
		if info, err := rt.stat(dir); err != nil || !info.IsDir() {
			break
		}
	}
	if best == "" {
		return nil
	}
	f, err := rt.open(best)
	if err != nil {
		return nil
	}
	if !f.info.Mode().IsRegular() {
		f.Close()
		return nil
	}
	return f
}
