package staticfs

import (
	"errors"
	"net/http"
	"path"
)

// serveMissing answers a name that failed to open: with the SPA page when
// the fallback applies, else with the error.
func (h *Handler) serveMissing(w http.ResponseWriter, r *http.Request, rt *root, name string, err error) {
	if errorIsNotFound(err) && !errors.Is(err, ErrHidden) && h.serveWithExtension(w, r, rt, name) {
		return
	}
	if h.SPAPage != "" && h.spaApplies(r, name, err) {
		if pageName, perr := cleanPath(h.SPAPage); perr == nil {
			if f, perr := rt.open(pageName); perr == nil {
				defer f.Close()
				h.serveFile(w, r, rt, f, "", "no-cache")
				return
			}
		}
	}
	h.serveError(w, r, name, err)
}

// spaApplies reports whether a request for a missing name is an app route
// the SPA page answers: a navigation that accepts HTML, to a name without
// extension that is missing (not hidden by a policy, nor invalid).
func (h *Handler) spaApplies(r *http.Request, name string, err error) bool {
	return errorIsNotFound(err) && !errors.Is(err, ErrHidden) &&
		path.Ext(name) == "" && mediaWeight(r, "text/html") > 0
}
