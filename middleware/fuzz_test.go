package middleware

import (
	"bytes"
	"net/http/httptest"
	"testing"
	"unicode/utf8"
)

// FuzzHeaderLog formats arbitrary head bytes in both formats. A block
// must be valid UTF-8, hold no control byte but its line endings (LF, or
// CR right before LF in raw), start with its own separator, and never
// show a credential's value.
func FuzzHeaderLog(f *testing.F) {
	f.Add([]byte("GET / HTTP/1.1\r\nHost: x\r\nAuthorization: Basic c2VjcmV0\r\n\r\n"), "c2VjcmV0")
	f.Add([]byte("GET / HTTP/1.1\nCookie: a=SECRET\n\tSECRET\n\n"), "SECRET")
	f.Add([]byte("GET /\x1b[2J HTTP/1.1\r\nX: \xff\xfe\u202e\r>>>> conn 1\r\n\r\n"), "")
	f.Fuzz(func(t *testing.T, head []byte, secret string) {
		for _, format := range []Format{Raw, Lines} {
			l := &HeaderLog{Format: format}
			l.once.Do(func() { l.redactor = newRedactor(nil, false) })
			lines := splitHead(nil, bytes.Clone(head))
			withSecret := []line{{text: []byte("GET / HTTP/1.1"), eol: crlf}, {text: []byte("Proxy-Authorization: " + secret), eol: crlf}}
			block := l.appendBlock(nil, httptest.NewRequest("GET", "/", nil), append(withSecret, lines...), "")
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
			if bytes.Count(block, []byte("\n>>>> ")) != 0 || !bytes.HasPrefix(block, []byte(">>>> ")) {
				t.Fatalf("%v block forges a separator: %q", format, block)
			}
			if len(secret) >= 4 && bytes.Contains(block, []byte(secret)) && !bytes.Contains(head, []byte(secret)) {
				t.Fatalf("%v block shows the credential %q: %q", format, secret, block)
			}
		}
	})
}
