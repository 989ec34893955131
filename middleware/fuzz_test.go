package middleware

import (
	"bytes"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzHeaderLog formats arbitrary head bytes in every format. A block
// must be valid UTF-8, hold no control byte but its line endings (LF, or
// CR right before LF in raw), start with its own separator, and not
// depend on a credential's value.
func FuzzHeaderLog(f *testing.F) {
	f.Add([]byte("GET / HTTP/1.1\r\nHost: x\r\nAuthorization: Basic c2VjcmV0\r\n\r\n"), "c2VjcmV0")
	f.Add([]byte("GET / HTTP/1.1\nCookie: a=SECRET\n\tSECRET\n\n"), "SECRET")
	f.Add([]byte("GET /\x1b[2J HTTP/1.1\r\nX: \xff\xfe\u202e\r>>>> conn 1\r\n\r\n"), "")
	f.Fuzz(func(t *testing.T, head []byte, secret string) {
		for _, format := range []Format{Raw, Lines, Bytes, Article} {
			l := &HeaderLog{Format: format}
			l.once.Do(func() { l.redactor = newRedactor(nil, false) })
			render := func(secret string) []byte {
				lines := splitHead(nil, bytes.Clone(head))
				withSecret := []line{{text: []byte("GET / HTTP/1.1"), eol: crlf}, {text: []byte("Proxy-Authorization: " + secret), eol: crlf}}
				return l.appendBlock(nil, httptest.NewRequest("GET", "/", nil), append(withSecret, lines...), "")
			}
			block := render(secret)
			if !utf8.Valid(block) {
				t.Fatalf("%v block is not UTF-8: %q", format, block)
			}
			for i, c := range block {
				if c == '\n' || (c == '\r' && format == Raw && i+1 < len(block) && block[i+1] == '\n') {
					continue
				}
				if c < 0x20 || c == 0x7f {
					t.Fatalf("%v block holds control byte %#x at %d: %q", format, c, i, block)
				}
			}
			start := []byte(">>>> ")
			if format == Article {
				start = []byte("\n" + articleRule + "[")
			}
			if bytes.Count(block, []byte("\n>>>> ")) != 0 || !bytes.HasPrefix(block, start) {
				t.Fatalf("%v block forges a separator: %q", format, block)
			}
			// The credential's value must not reach the block at all: with
			// any other value in its place the block is the same. (Looking
			// for the value in the block is no test: escaping the rest of
			// the head can spell it.)
			other := strings.Repeat("#", len(secret))
			if other == secret {
				other = strings.Repeat("%", len(secret))
			}
			if other := render(other); !bytes.Equal(block, other) {
				t.Fatalf("%v block depends on the credential %q:\n%q\n%q", format, secret, block, other)
			}
		}
	})
}
