package middleware

import (
	"bytes"
	"net/textproto"
)

// DefaultRedacted lists the headers whose values a log hides unless told
// otherwise: credentials and session state, as Caddy does.
var DefaultRedacted = []string{"Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie"}

// redactedValue replaces a hidden header's value; the name stays, so the
// log still shows that the client sent it.
const redactedValue = "[REDACTED]"

// redactor knows which header names to hide, in canonical form.
type redactor map[string]bool

func newRedactor(extra []string, showCredentials bool) redactor {
	r := redactor{}
	if !showCredentials {
		for _, n := range DefaultRedacted {
			r[textproto.CanonicalMIMEHeaderKey(n)] = true
		}
	}
	for _, n := range extra {
		r[textproto.CanonicalMIMEHeaderKey(n)] = true
	}
	return r
}

// apply hides the values of the block's hidden headers, and the obs-fold
// continuation lines after them, keeping each line's name and ending.
func (rd redactor) apply(lines []line) {
	hiding := false
	for i := 1; i < len(lines); i++ {
		text := lines[i].text
		if len(text) > 0 && (text[0] == ' ' || text[0] == '\t') {
			if hiding {
				lines[i].text = []byte(" " + redactedValue)
			}
			continue
		}
		name, _, ok := bytes.Cut(text, []byte(":"))
		hiding = ok && rd[textproto.CanonicalMIMEHeaderKey(string(bytes.TrimSpace(name)))]
		if hiding {
			lines[i].text = append(append(name[:len(name):len(name)], ": "...), redactedValue...)
		}
	}
}
