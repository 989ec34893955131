package middleware

import (
	"bytes"
	"strings"

	"github.com/webstatic/webstatic/internal/ascii"
)

// DefaultRedacted returns the headers whose values a log hides unless
// told otherwise: credentials and session state, as Caddy does.
func DefaultRedacted() []string {
	return []string{"Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie"}
}

// redactedValue replaces a hidden header's value; the name stays, so the
// log still shows that the client sent it.
const redactedValue = "[REDACTED]"

// redactor holds the names of the headers whose values are hidden.
type redactor []string

func newRedactor(extra []string, showCredentials bool) redactor {
	var r redactor
	if !showCredentials {
		r = append(r, DefaultRedacted()...)
	}
	for _, n := range extra {
		r = append(r, strings.TrimSpace(n))
	}
	return r
}

// hides reports whether a header named name (letter case aside) is
// hidden.
func (rd redactor) hides(name []byte) bool {
	for _, n := range rd {
		if ascii.EqualFold(name, n) {
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
