package staticfs

import (
	"net/http"
	"strings"

	"github.com/webstatic/webstatic/internal/coding"
)

// acceptEncoding is the request's Accept-Encoding list, its field lines
// joined.
func acceptEncoding(r *http.Request) string {
	switch v := r.Header["Accept-Encoding"]; len(v) {
	case 0:
		return ""
	case 1:
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
// by the CacheControl rules (noTransform) or by an outer handler.
func bestCoding(w http.ResponseWriter, r *http.Request, n int, cand func(int) (c string, made bool), noTransform bool) int {
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
	accepted := coding.ParseAccept(ae)
	best := pickCoding(accepted, n, cand, true)
	if best >= 0 {
		// no-transform is looked for only when it could matter: when
		// the winner is one the Handler would make.
		if _, made := cand(best); made && (noTransform || coding.NoTransform(hdr["Cache-Control"]...)) {
			best = pickCoding(accepted, n, cand, false)
		}
	}
	return best
}

// pickCoding returns the index of the candidate accepted weighs highest,
// leaving out those the Handler makes unless made is true.
func pickCoding(accepted coding.Accepted, n int, cand func(int) (string, bool), made bool) int {
	best, bestQ := -1, 0.0
	for i := 0; i < n; i++ {
		c, isMade := cand(i)
		if isMade && !made {
			continue
		}
		if q := accepted.Weight(c); q > bestQ {
			best, bestQ = i, q
		}
	}
	return best
}
