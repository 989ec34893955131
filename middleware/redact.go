package middleware

import (
	"bytes"
	"strings"
)

// DefaultRedacted lists the headers whose values a log hides unless told
// otherwise: credentials and session state, as Caddy does.
var DefaultRedacted = []string{"Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie"}

// redactedValue replaces a hidden header's value; the name stays, so the
// log still shows that the client sent it.
const redactedValue = "[REDACTED]"

// redactor holds the names of the headers whose values are hidden.
type redactor [][]byte

func newRedactor(extra []string, showCredentials bool) redactor {
	var r redactor
	if !showCredentials {
		for _, n := range DefaultRedacted {
			r = append(r, []byte(n))
		}
	}
	for _, n := range extra {
		r = append(r, []byte(strings.TrimSpace(n)))
	}
	return r
}

// hides reports whether a header named name (letter case aside) is
// hidden.
func (rd redactor) hides(name []byte) bool {
	for _, n := range rd {
		if asciiEqualFold(name, n) {
			return true
		}
	}
	return false
}

// redactedLine replaces an obs-fold continuation of a hidden value.
var redactedLine = []byte(" " + redactedValue)

// apply hides the values of the block's hidden headers, and the obs-fold
// continuation lines after them, keeping each line's name and ending.
func (rd redactor) apply(lines []line) {
	hiding := false
	for i := 1; i < len(lines); i++ {
		text := lines[i].text
		if len(text) > 0 && (text[0] == ' ' || text[0] == '\t') {
			if hiding {
				lines[i].text = redactedLine
			}
			continue
		}
		name, _, ok := bytes.Cut(text, []byte(":"))
		hiding = ok && rd.hides(bytes.TrimSpace(name))
		if hiding {
			hidden := make([]byte, 0, len(name)+len(": "+redactedValue))
			lines[i].text = append(append(append(hidden, name...), ": "...), redactedValue...)
		}
	}
}

// asciiEqualFold reports whether a and b are equal under ASCII case
// folding, as header names compare; unlike bytes.EqualFold it does not
// fold non-ASCII letters such as the Kelvin sign into k.
func asciiEqualFold(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if lowerASCII(a[i]) != lowerASCII(b[i]) {
			return false
		}
	}
	return true
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
