package staticfs

import (
	"net/http"
	"strconv"
	"strings"
)

// eachQ calls fn for every element of a comma-separated header list with
// its lower-cased token and q-value (RFC 9110, section 12.4.2). Elements
// with a malformed q-value are skipped, as if the client had not sent
// them.
func eachQ(list string, fn func(token string, q float64)) {
	for list != "" {
		var elem string
		elem, list, _ = strings.Cut(list, ",")
		token, params, _ := strings.Cut(elem, ";")
		token = strings.ToLower(strings.TrimSpace(token))
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

// codingWeights is a parsed Accept-Encoding.
type codingWeights struct {
	explicit map[string]float64
	star     float64 // weight of "*", for codings not listed
}

func parseAcceptEncoding(r *http.Request) codingWeights {
	var w codingWeights
	eachQ(strings.Join(r.Header.Values("Accept-Encoding"), ","), func(token string, q float64) {
		if token == "*" {
			w.star = q
			return
		}
		if token == "x-gzip" { // RFC 9110, section 8.4.1.3
			token = "gzip"
		}
		if w.explicit == nil {
			w.explicit = make(map[string]float64)
		}
		w.explicit[token] = q
	})
	return w
}

// weight is how much the client wants the coding: 0 refuses it. No
// Accept-Encoding at all means identity only, as every browser and
// client that decompresses says so.
func (w codingWeights) weight(coding string) float64 {
	if q, ok := w.explicit[coding]; ok {
		return q
	}
	return w.star
}

// mediaWeight returns the q-value the Accept header gives the exact media
// type (no wildcards), and 0 when it is not listed.
func mediaWeight(r *http.Request, mediaType string) float64 {
	weight := 0.0
	eachQ(strings.Join(r.Header.Values("Accept"), ","), func(token string, q float64) {
		if token == mediaType && q > weight {
			weight = q
		}
	})
	return weight
}
