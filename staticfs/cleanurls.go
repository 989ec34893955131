package staticfs

import (
	"fmt"
	"net/http"
	"net/url"
	"path"
	"strings"
)

// TrailingSlash says what a Handler does with a request for a file whose
// URL ends in "/" ("/about.html/").
type TrailingSlash int

const (
	// TrailingSlashRedirect, the default, answers 301 to the URL without
	// the slash, as net/http's FileServer does, so each file has one URL.
	TrailingSlashRedirect TrailingSlash = iota

	// TrailingSlashNotFound answers 404: a file is not a directory
	// (nginx, and Caddy's file_server, do so).
	TrailingSlashNotFound

	// TrailingSlashServe serves the file as if the slash were not there
	// (Express's static and serve-static do so).
	TrailingSlashServe
)

// String returns "redirect", "404" or "serve", the names
// [TrailingSlash.Set] accepts.
func (t TrailingSlash) String() string {
	switch t {
	case TrailingSlashRedirect:
		return "redirect"
	case TrailingSlashNotFound:
		return "404"
	case TrailingSlashServe:
		return "serve"
	}
	return fmt.Sprintf("TrailingSlash(%d)", int(t))
}

// Set parses "redirect", "404" or "serve" into t; with String it makes
// *TrailingSlash a flag.Value.
func (t *TrailingSlash) Set(s string) error {
	switch s {
	case "redirect":
		*t = TrailingSlashRedirect
	case "404":
		*t = TrailingSlashNotFound
	case "serve":
		*t = TrailingSlashServe
	default:
		return fmt.Errorf("staticfs: unknown trailing-slash policy %q (want redirect, 404 or serve)", s)
	}
	return nil
}

// serveWithExtension answers a name that matched nothing with the first
// file named name plus one of Extensions ("/about" served from
// "/about.html"), cached under the URL path asked for, and reports
// whether there was one. Names with a trailing slash ask for a
// directory and are left alone.
func (h *Handler) serveWithExtension(w http.ResponseWriter, r *http.Request, rt *root, name string) bool {
	if len(h.Extensions) == 0 || name == "/" || strings.HasSuffix(r.URL.Path, "/") {
		return false
	}
	for _, ext := range h.Extensions {
		f, err := rt.open(name + ext)
		if err != nil {
			continue
		}
		if !f.info.Mode().IsRegular() {
			f.Close()
			continue
		}
		defer f.Close()
		f.name = name // the URL it answers for: rules and hooks see "/about"
		h.serveFile(w, r, rt, f, r.URL.Path, "")
		return true
	}
	return false
}

// redirectExtension sends a request for "/about.html" to "/about" when
// RedirectExtensions is set and "/about" would serve that file (no file
// or directory "about" stands in the way), and reports whether it did.
func (h *Handler) redirectExtension(w http.ResponseWriter, r *http.Request, rt *root, name string) bool {
	if !h.RedirectExtensions {
		return false
	}
	for _, ext := range h.Extensions {
		base, ok := strings.CutSuffix(name, ext)
		if !ok || base == "" || strings.HasSuffix(base, "/") {
			continue
		}
		if _, err := rt.stat(base); err == nil {
			return false // "/about" exists itself: both URLs stay
		}
		localRedirect(w, r, "./"+url.PathEscape(path.Base(base)))
		return true
	}
	return false
}
