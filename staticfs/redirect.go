package staticfs

import (
	"net/http"
	"net/url"
	"path"
	"strings"
)

// redirectDir sends a directory requested without its trailing slash to
// the URL with one, so that relative links in its index resolve, and
// reports whether it did.
func redirectDir(w http.ResponseWriter, r *http.Request) bool {
	p := r.URL.Path
	if strings.HasSuffix(p, "/") {
		return false
	}
	if p == "" {
		// http.StripPrefix took the whole path ("/static" under
		// "/static"): the name to append the slash to is in the
		// original request.
		p = originalPath(r)
		if p == "" || strings.HasSuffix(p, "/") {
			return false
		}
	}
	localRedirect(w, r, "./"+url.PathEscape(path.Base(p))+"/")
	return true
}

// redirectFile answers a file requested with a trailing slash as
// FileTrailingSlash says (by default a redirect to the URL without it),
// sends an index file to its directory's URL (unless KeepIndexURLs) and
// "/about.html" to "/about" (RedirectExtensions), and reports whether it
// answered.
func (h *Handler) redirectFile(w http.ResponseWriter, r *http.Request, rt *root, name string) bool {
	if strings.HasSuffix(r.URL.Path, "/") {
		switch h.FileTrailingSlash {
		case TrailingSlashServe:
			return false
		case TrailingSlashNotFound:
			h.serveError(w, r, name, errFileSlash)
			return true
		}
		localRedirect(w, r, "../"+url.PathEscape(path.Base(name)))
		return true
	}
	if h.redirectExtension(w, r, rt, name) {
		return true
	}
	if h.KeepIndexURLs || !h.isServedIndex(rt, name) {
		return false
	}
	localRedirect(w, r, "./")
	return true
}

// localRedirect answers 301 with a Location relative to the request's own
// URL, which stays right behind http.StripPrefix (http.Redirect would make
// it absolute from the stripped path). Targets start with "./" or "../",
// so no segment can read as a scheme or a host ("//evil.example").
func localRedirect(w http.ResponseWriter, r *http.Request, target string) {
	if q := r.URL.RawQuery; q != "" {
		target += "?" + q
	}
	w.Header().Set("Location", target)
	w.WriteHeader(http.StatusMovedPermanently)
}

// originalPath is the decoded path of the request target as the client
// sent it, before any handler rewrote r.URL.
func originalPath(r *http.Request) string {
	u, err := url.ParseRequestURI(r.RequestURI)
	if err != nil {
		return ""
	}
	return u.Path
}
