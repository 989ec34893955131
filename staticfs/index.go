package staticfs

import (
	"path"
	"slices"
)

var defaultIndexNames = []string{"index.html"}

func (h *Handler) indexNames() []string {
	if h.IndexNames == nil {
		return defaultIndexNames
	}
	return h.IndexNames
}

// openIndex opens the index file that the directory dir serves: the first
// of IndexNames that is a regular file. The error wraps fs.ErrNotExist
// when there is none.
func (h *Handler) openIndex(rt *root, dir string) (*file, error) {
	for _, n := range h.indexNames() {
		f, err := rt.open(path.Join(dir, n))
		if err != nil {
			if errorIsNotFound(err) {
				continue
			}
			return nil, err
		}
		if f.info.Mode().IsRegular() {
			return f, nil
		}
		f.Close()
	}
	return nil, errNoIndex
}

// isServedIndex reports whether the clean name is the index file its
// directory would serve, so that its URL has a shorter twin.
func (h *Handler) isServedIndex(rt *root, name string) bool {
	base := path.Base(name)
	if !slices.Contains(h.indexNames(), base) {
		return false
	}
	f, err := h.openIndex(rt, path.Dir(name))
	if err != nil {
		return false
	}
	f.Close()
	return path.Base(f.name) == base
}
