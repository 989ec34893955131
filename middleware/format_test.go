package middleware

import (
	"flag"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// goldenHead is a head as a client might send it: mixed case, duplicates,
// a bare-LF line, obs-text, an obs-fold, credentials and bytes that would
// forge a line or drive a terminal if printed as they are.
const goldenHead = "GET /search?q=caf%C3%A9 HTTP/1.1\r\n" +
	"host: example.test\r\n" +
	"User-Agent: curl/8.5.0\r\n" +
	"ACCEPT: */*\r\n" +
	"x-dup: one\r\n" +
	"X-Dup: two\n" +
	"Authorization: Basic dXNlcjpwYXNz\r\n" +
	"Cookie: session=abc; theme=dark\r\n" +
	"X-Folded: first\r\n" +
	"\tcontinued\r\n" +
	"X-Latin1: caf\xe9\r\n" +
	"X-Evil: ok\x1b[2J\r>>>> conn 9 request 9 forged\r\n" +
	"X-Quote: it's \"quoted\" \\ here\r\n" +
	"X-Bidi: \u202eevil\r\n" +
	"\r\n"

func TestFormatsGolden(t *testing.T) {
	for _, format := range []Format{Raw, Lines, Bytes, Article} {
		t.Run(format.String(), func(t *testing.T) {
			l := &HeaderLog{Format: format, Redact: []string{"X-Folded"}}
			l.once.Do(func() { l.redactor = newRedactor(l.Redact, l.ShowCredentials) })
			r := httptest.NewRequest("GET", "/search", nil)
			got := l.appendBlock(nil, r, splitHead(nil, []byte(goldenHead)), "")
			golden := filepath.Join("testdata", "headerlog."+format.String()+".golden")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("(-%s +got):\n%s", golden, diff)
			}
		})
	}
}

func TestSplitHeadKeepsLineEndings(t *testing.T) {
	type l struct{ Text, EOL string }
	var got []l
	for _, ln := range splitHead(nil, []byte("GET / HTTP/1.1\r\nA: 1\nB: 2\r\n\r\nbody")) {
		got = append(got, l{string(ln.text), string(ln.eol)})
	}
	want := []l{{"GET / HTTP/1.1", "\r\n"}, {"A: 1", "\n"}, {"B: 2", "\r\n"}, {"", "\r\n"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestEscaping(t *testing.T) {
	tests := []struct{ in, escaped, repr string }{
		{"plain text", "plain text", "'plain text'"},
		{"tab\there", `tab\there`, `'tab\there'`},
		{"new\nline\rcr", `new\nline\rcr`, `'new\nline\rcr'`},
		{"esc\x1b[31mred", `esc\x1b[31mred`, `'esc\x1b[31mred'`},
		{"nul\x00del\x7f", `nul\x00del\x7f`, `'nul\x00del\x7f'`},
		{"back\\slash", `back\\slash`, `'back\\slash'`},
		{"it's", "it's", `"it's"`},
		{`it's "both"`, `it's "both"`, `'it\'s "both"'`},
		{"café", "café", "'café'"},
		{"latin1 caf\xe9", `latin1 caf\xe9`, `'latin1 caf\udce9'`},
		{"c1 \u0085 next", `c1 \x85 next`, `'c1 \x85 next'`},
		{"bidi \u202e rtl", `bidi \u202e rtl`, `'bidi \u202e rtl'`},
		{"sep \u2028 line", `sep \u2028 line`, `'sep \u2028 line'`},
		// Python escapes what str.isprintable() rejects; raw keeps today's set.
		{"nbsp\u00a0shy\u00ad", "nbsp\u00a0shy\u00ad", `'nbsp\xa0shy\xad'`},
		{"zw\u200b\u200d bom\ufeff", "zw\u200b\u200d bom\ufeff", `'zw\u200b\u200d bom\ufeff'`},
		{"ideo\u3000pua\ue000", "ideo\u3000pua\ue000", `'ideo\u3000pua\ue000'`},
		{"tag\U000e0041 max\U0010ffff", "tag\U000e0041 max\U0010ffff", `'tag\U000e0041 max\U0010ffff'`},
		{"emoji \U0001f600 ä", "emoji \U0001f600 ä", "'emoji \U0001f600 ä'"},
		{"surrogate \xed\xa0\x80", `surrogate \xed\xa0\x80`, `'surrogate \udced\udca0\udc80'`},
	}
	for _, tt := range tests {
		if got := string(appendEscaped(nil, []byte(tt.in))); got != tt.escaped {
			t.Errorf("appendEscaped(%q) = %s, want %s", tt.in, got, tt.escaped)
		}
		if got := string(appendPyRepr(nil, []byte(tt.in))); got != tt.repr {
			t.Errorf("appendPyRepr(%q) = %s, want %s", tt.in, got, tt.repr)
		}
	}
}

func TestPythonFormats(t *testing.T) {
	tests := []struct{ head, lines, bytes string }{
		{"GET / HTTP/1.1\r\nHost: h\r\n\r\n",
			`['GET / HTTP/1.1', 'Host: h', '']`,
			`b'GET / HTTP/1.1\r\nHost: h\r\n\r\n'`},
		{"GET / HTTP/1.1\nHost: h\n\n",
			`['GET / HTTP/1.1', 'Host: h', '']`,
			`b'GET / HTTP/1.1\nHost: h\n\n'`},
		{"GET / HTTP/1.1\r\nX: a\vb\fc\x1cd\x1de\x1ef\rg\u0085h\u2028i\u2029j\r\n\r\n",
			`['GET / HTTP/1.1', 'X: a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', '']`,
			`b'GET / HTTP/1.1\r\nX: a\x0bb\x0cc\x1cd\x1de\x1ef\rg\xc2\x85h\xe2\x80\xa8i\xe2\x80\xa9j\r\n\r\n'`},
		{"GET / HTTP/1.1\r\nX: end\v\r\nY: cr\r\r\n\r\n",
			`['GET / HTTP/1.1', 'X: end', '', 'Y: cr', '', '']`,
			`b'GET / HTTP/1.1\r\nX: end\x0b\r\nY: cr\r\r\n\r\n'`},
		{"GET / HTTP/1.1\r\nX: it's\r\n\r\n",
			`['GET / HTTP/1.1', "X: it's", '']`,
			`b"GET / HTTP/1.1\r\nX: it's\r\n\r\n"`},
		{"GET / HTTP/1.1\r\nX: it's \"q\"\r\n\r\n",
			`['GET / HTTP/1.1', 'X: it\'s "q"', '']`,
			`b'GET / HTTP/1.1\r\nX: it\'s "q"\r\n\r\n'`},
		{"GET / HTTP/1.1\r\nX: caf\xe9 \x85\r\n\r\n", // a lone 0x85 byte is no boundary
			`['GET / HTTP/1.1', 'X: caf\udce9 \udc85', '']`,
			`b'GET / HTTP/1.1\r\nX: caf\xe9 \x85\r\n\r\n'`},
		{"GET / HTTP/1.1\r\nX: cut", // no blank line: no final ''
			`['GET / HTTP/1.1', 'X: cut']`,
			`b'GET / HTTP/1.1\r\nX: cut'`},
		{"GET / HTTP/1.1\r\nX: cut\v", `['GET / HTTP/1.1', 'X: cut']`, `b'GET / HTTP/1.1\r\nX: cut\x0b'`},
	}
	for _, tt := range tests {
		lines := splitHead(nil, []byte(tt.head))
		if got := string(Lines.appendHead(nil, lines)); got != tt.lines+"\n" {
			t.Errorf("Lines %q:\n got %s want %s", tt.head, got, tt.lines)
		}
		if got := string(Bytes.appendHead(nil, lines)); got != tt.bytes+"\n" {
			t.Errorf("Bytes %q:\n got %s want %s", tt.head, got, tt.bytes)
		}
		if got, want := string(Article.appendHead(nil, lines)), "\n"+strings.Repeat(">>", 50)+"\n"+tt.lines+"\n"; got != want {
			t.Errorf("Article %q:\n got %s want %s", tt.head, got, want)
		}
	}
}

func TestFormatNames(t *testing.T) {
	for _, f := range []Format{Raw, Lines, Bytes, Article} {
		var got Format = -1
		if err := got.Set(f.String()); err != nil || got != f {
			t.Errorf("Set(%q) = %v, %v; want %v", f.String(), got, err, f)
		}
	}
	var f Format
	if err := f.Set("json"); err == nil {
		t.Errorf("Set(json) succeeded")
	}
	if got, want := Format(9).String(), "Format(9)"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
}

func TestRedaction(t *testing.T) {
	head := "GET / HTTP/1.1\r\nauthorization: Bearer t0ken\r\nProxy-Authorization: Basic eA==\r\n" +
		"COOKIE: a=1\r\nX-Api-Key: k3y\r\n  folded k3y\r\nX-Other: visible\r\n\r\n"
	tests := []struct {
		name            string
		redact          []string
		showCredentials bool
		want            []string
	}{
		{"default", nil, false, []string{"GET / HTTP/1.1", "authorization: [REDACTED]", "Proxy-Authorization: [REDACTED]",
			"COOKIE: [REDACTED]", "X-Api-Key: k3y", "  folded k3y", "X-Other: visible", ""}},
		{"extra", []string{"x-api-key"}, false, []string{"GET / HTTP/1.1", "authorization: [REDACTED]",
			"Proxy-Authorization: [REDACTED]", "COOKIE: [REDACTED]", "X-Api-Key: [REDACTED]", " [REDACTED]", "X-Other: visible", ""}},
		{"ShowCredentials", nil, true, []string{"GET / HTTP/1.1", "authorization: Bearer t0ken",
			"Proxy-Authorization: Basic eA==", "COOKIE: a=1", "X-Api-Key: k3y", "  folded k3y", "X-Other: visible", ""}},
	}
	for _, tt := range tests {
		lines := splitHead(nil, []byte(head))
		newRedactor(tt.redact, tt.showCredentials).apply(lines)
		var got []string
		for _, l := range lines {
			got = append(got, string(l.text))
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
}
