package coding

import (
	"net/http"
	"strings"
)

// AddVary adds a token to Vary unless a Vary field already lists it (or
// "*"), so that it appears once whoever adds it.
func AddVary(hdr http.Header, token string) {
	for _, v := range hdr["Vary"] {
		for v != "" {
			var t string
			t, v, _ = strings.Cut(v, ",")
			if t = strings.TrimSpace(t); t == "*" || strings.EqualFold(t, token) {
				return
			}
		}
	}
	hdr.Add("Vary", token)
}

// NoTransform reports whether Cache-Control values hold the no-transform
// directive (RFC 9111, section 5.2.2.6), which forbids compressing on
// the way.
func NoTransform(cacheControl ...string) bool {
	for _, v := range cacheControl {
		for v != "" {
			var d string
			d, v, _ = strings.Cut(v, ",")
			if strings.EqualFold(strings.TrimSpace(d), "no-transform") {
				return true
			}
		}
	}
	return false
}
