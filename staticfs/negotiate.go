package staticfs

import (
	"net/http"
	"strings"

	"github.com/webstatic/webstatic/internal/coding"
)

// acceptEncoding is the request's Accept-Encoding list, its field lines
// joined.
func acceptEncoding(r *http.Request) string {
	if v := r.Header["Accept-Encoding"]; len(v) == 1 {
		return v[0]
	}
	return strings.Join(r.Header.Values("Accept-Encoding"), ",")
}

// mediaWeight returns the q-value the Accept header gives the exact media
// type (no wildcards), and 0 when it is not listed.
func mediaWeight(r *http.Request, mediaType string) float64 {
	weight := 0.0
	coding.EachQ(strings.Join(r.Header.Values("Accept"), ","), func(token string, q float64) {
		if token == mediaType && q > weight {
			weight = q
		}
	})
	return weight
}

// bestCoding returns the index, among n representations, of the one the
// client's Accept-Encoding weighs highest (ties go to the earlier), or
// -1 for the file itself: when the client accepts none of them, or when
// an outer handler has set Content-Encoding, the sign that it encodes
// the body itself. A representation the Handler compresses itself
// (made) is left out when the response says Cache-Control: no-transform,
// in cacheControl or in what an outer handler set.
func bestCoding(w http.ResponseWriter, r *http.Request, n int, cand func(int) (c string, made bool), cacheControl string) int {
	if n == 0 {
		return -1
	}
	hdr := w.Header()
	if ce := hdr["Content-Encoding"]; len(ce) > 0 && ce[0] != "" {
		return -1
	}
	ae := acceptEncoding(r)
	if ae == "" {
		return -1
	}
	transform := !coding.NoTransform(cacheControl) && !coding.NoTransform(hdr["Cache-Control"]...)
	best, bestQ := -1, 0.0
	for i := 0; i < n; i++ {
		c, made := cand(i)
		if made && !transform {
			continue
		}
		if q := coding.Weight(ae, c); q > bestQ {
			best, bestQ = i, q
		}
	}
	return best
}
