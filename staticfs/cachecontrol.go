package staticfs

import (
	"net/http"
	"path"
	"strings"
)

// CacheControlRule sets the Cache-Control response header of the files
// whose name matches Pattern. Names are the clean URL paths the Handler sees
// ("/assets/app.3f9c.js"). Pattern is one of:
//
//   - a directory prefix ending in "/": "/assets/" matches every file
//     below /assets;
//   - a pattern with a slash, matched against the whole name with
//     path.Match: "/img/*.png";
//   - a pattern without a slash, matched against the base name:
//     "*.html".
type CacheControlRule struct {
	Pattern string
	Value   string // the Cache-Control value, e.g. "no-cache"
}

// matches reports whether the rule applies to the clean name.
func (c CacheControlRule) matches(name string) bool {
	switch {
	case strings.HasSuffix(c.Pattern, "/"):
		return strings.HasPrefix(name, c.Pattern)
	case strings.Contains(c.Pattern, "/"):
		ok, _ := path.Match(c.Pattern, name)
		return ok
	default:
		ok, _ := path.Match(c.Pattern, path.Base(name))
		return ok
	}
}

// ruleFor returns the Cache-Control of the first rule that matches the
// clean name, "" for none.
func (h *Handler) ruleFor(name string) string {
	for _, rule := range h.CacheControl {
		if rule.matches(name) {
			return rule.Value
		}
	}
	return ""
}

// fileHeaders are headers set for a file that an error response must not
// carry: they describe a representation the error is not.
var fileHeaders = []string{"Cache-Control", "Content-Encoding", "Etag", "Last-Modified"}

func clearFileHeaders(hdr http.Header) {
	for _, k := range fileHeaders {
		hdr.Del(k)
	}
}
