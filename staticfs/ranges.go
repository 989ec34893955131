package staticfs

import (
	"net/http"
	"strings"
)

// withRFCRange returns r, or a copy of r whose Range header
// http.ServeContent reads as RFC 9110 says it must be read, where the two
// differ:
//
//   - a range unit other than "bytes", or none, is ignored (section
//     14.2: "An origin server MUST ignore a Range header field that
//     contains a range unit it does not understand"), where ServeContent
//     answers 416; the unit's letter case does not matter (section 14.1);
//   - a suffix range of length zero ("bytes=-0") is unsatisfiable (section
//     14.1.1: "a suffix-range is satisfiable if it has a non-zero
//     suffix-length"), where ServeContent answers 206 with the invalid
//     "Content-Range: bytes 404-403/404". It is dropped from the set, and
//     a set left with no range answers 416 (section 15.5.17).
//
// Everything else, including malformed byte ranges, is left to
// ServeContent (416; serveContentError adds the length it leaves out).
func withRFCRange(r *http.Request) *http.Request {
	values := r.Header["Range"]
	if len(values) == 0 {
		return r
	}
	unit, set, ok := strings.Cut(values[0], "=")
	if !ok || !strings.EqualFold(unit, "bytes") {
		return withRange(r, "")
	}
	kept, dropped := dropEmptySuffixes(set)
	if unit == "bytes" && !dropped {
		return r
	}
	if dropped && strings.Trim(kept, " \t,") == "" {
		// Every range was empty: a start past any length makes
		// ServeContent answer 416 with the length, as for any
		// unsatisfiable set.
		kept = unsatisfiable
	}
	return withRange(r, "bytes="+kept)
}

// unsatisfiable is a range that starts past the end of every file.
const unsatisfiable = "9223372036854775807-"

// dropEmptySuffixes removes the suffix ranges of length zero ("-0",
// "-000") from a range set and reports whether it removed any.
func dropEmptySuffixes(set string) (string, bool) {
	if !strings.Contains(set, "-0") {
		return set, false
	}
	var kept []string
	dropped := false
	for _, spec := range strings.Split(set, ",") {
		s := strings.TrimSpace(spec)
		if len(s) > 1 && s[0] == '-' && strings.Trim(s[1:], "0") == "" {
			dropped = true
			continue
		}
		kept = append(kept, spec)
	}
	return strings.Join(kept, ","), dropped
}

// withRange returns a shallow copy of r with its own header map, whose
// Range is v, or absent when v is "".
func withRange(r *http.Request, v string) *http.Request {
	r2 := new(http.Request)
	*r2 = *r
	r2.Header = r.Header.Clone()
	if v == "" {
		r2.Header.Del("Range")
	} else {
		r2.Header.Set("Range", v)
	}
	return r2
}
