package coding

import (
	"strconv"
	"strings"
)

// EachQ calls fn for every element of a comma-separated header list with
// its lower-cased token and q-value (RFC 9110, section 12.4.2). Elements
// with a malformed q-value are skipped, as if the client had not sent
// them.
func EachQ(list string, fn func(token string, q float64)) {
	for list != "" {
		var elem string
		elem, list, _ = strings.Cut(list, ",")
		token, params, _ := strings.Cut(elem, ";")
		token = strings.TrimSpace(token)
		if hasUpper(token) {
			token = strings.ToLower(token)
		}
		if token == "" {
			continue
		}
		q, ok := qValue(params)
		if !ok {
			continue
		}
		fn(token, q)
	}
}

// qValue finds the q parameter among ";"-separated parameters; without
// one the weight is 1.
func qValue(params string) (float64, bool) {
	for params != "" {
		var p string
		p, params, _ = strings.Cut(params, ";")
		name, value, _ := strings.Cut(p, "=")
		if !strings.EqualFold(strings.TrimSpace(name), "q") {
			continue
		}
		q, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
		if err != nil || q < 0 || q > 1 {
			return 0, false
		}
		return q, true
	}
	return 1, true
}

// Weight is how much an Accept-Encoding list wants the coding: its own
// q-value, else that of "*", else 0, which refuses it. No Accept-Encoding
// at all means identity only: every client that decompresses says so.
// "x-gzip" counts as "gzip" (RFC 9110, section 8.4.1.3).
func Weight(acceptEncoding, coding string) float64 {
	explicit, star := -1.0, 0.0
	EachQ(acceptEncoding, func(token string, q float64) {
		switch {
		case token == coding || (coding == "gzip" && token == "x-gzip"):
			explicit = q
		case token == "*":
			star = q
		}
	})
	if explicit >= 0 {
		return explicit
	}
	return star
}

func hasUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			return true
		}
	}
	return false
}
