package conn

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// framerCases are connection byte streams and the heads a framer must
// find in them, in order. A framer that must stop says so with stop.
var framerCases = []struct {
	name   string
	stream string
	heads  []string
}{
	{"one request", "GET / HTTP/1.1\r\nHost: x\r\n\r\n", []string{"GET / HTTP/1.1\r\nHost: x\r\n\r\n"}},
	{"bare LF and mixed endings", "GET /a HTTP/1.1\nHost: x\r\nX-A: 1\n\n", []string{"GET /a HTTP/1.1\nHost: x\r\nX-A: 1\n\n"}},
	{"case, duplicates, obs-text", "GET / HTTP/1.1\r\nhOsT: x\r\nX-D: 1\r\nx-d: 2\r\nX-L: caf\xe9\r\n\r\n",
		[]string{"GET / HTTP/1.1\r\nhOsT: x\r\nX-D: 1\r\nx-d: 2\r\nX-L: caf\xe9\r\n\r\n"}},
	{"pipelined with Content-Length",
		"POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nGET /fake\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n",
		[]string{"POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n", "GET /b HTTP/1.1\r\nHost: x\r\n\r\n"}},
	{"chunked with extensions and trailers",
		"POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;a=b\r\nGET /\r\n0\r\nX-T: 1\r\n\r\nGET /d HTTP/1.1\r\nHost: x\r\n\r\n",
		[]string{"POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n", "GET /d HTTP/1.1\r\nHost: x\r\n\r\n"}},
	{"chunked with CL validated and ignored",
		"POST /c HTTP/1.1\r\nHost: x\r\nContent-Length: 99\r\nTransfer-Encoding: Chunked\r\n\r\n1\r\nz\r\n0\r\n\r\nGET /e HTTP/1.1\r\nHost: x\r\n\r\n",
		[]string{"POST /c HTTP/1.1\r\nHost: x\r\nContent-Length: 99\r\nTransfer-Encoding: Chunked\r\n\r\n", "GET /e HTTP/1.1\r\nHost: x\r\n\r\n"}},
	{"TE ignored for HTTP/1.0",
		"POST /f HTTP/1.0\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\nabcGET /g HTTP/1.0\r\n\r\n",
		[]string{"POST /f HTTP/1.0\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n", "GET /g HTTP/1.0\r\n\r\n"}},
	{"stray CRLF after POST",
		"POST /h HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nz\r\n\r\nGET /i HTTP/1.1\r\nHost: x\r\n\r\n",
		[]string{"POST /h HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\n", "GET /i HTTP/1.1\r\nHost: x\r\n\r\n"}},
	{"CRLF after GET is no request", "GET /j HTTP/1.1\r\nHost: x\r\n\r\n\r\nGET /k HTTP/1.1\r\n\r\n",
		[]string{"GET /j HTTP/1.1\r\nHost: x\r\n\r\n"}},
	{"duplicate equal Content-Length", "POST /l HTTP/1.1\r\nContent-Length: 2\r\nContent-Length:  2 \r\n\r\nokGET /m HTTP/1.1\r\n\r\n",
		[]string{"POST /l HTTP/1.1\r\nContent-Length: 2\r\nContent-Length:  2 \r\n\r\n", "GET /m HTTP/1.1\r\n\r\n"}},
	{"differing Content-Length stops", "POST /n HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nokGET /o HTTP/1.1\r\n\r\n",
		[]string{"POST /n HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n"}},
	{"bad chunk line stops", "POST /p HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\nz\r\n0\r\n\r\nGET /q HTTP/1.1\r\n\r\n",
		[]string{"POST /p HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"}},
	{"gzip TE stops", "POST /r HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\nGET /s HTTP/1.1\r\n\r\n",
		[]string{"POST /r HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"}},
	{"Upgrade ends framing", "GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\nGET /t HTTP/1.1\r\n\r\n",
		[]string{"GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"}},
	{"CONNECT ends framing", "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\nGET /u HTTP/1.1\r\n\r\n",
		[]string{"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n"}},
	{"h2 preface ends framing", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", []string{"PRI * HTTP/2.0\r\n\r\n"}},
	{"TLS bytes stop at once", "\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03", nil},
	{"folded framing field stops", "POST /v HTTP/1.1\r\nContent-Length: 1\r\n 2\r\n\r\nxGET /w HTTP/1.1\r\n\r\n", nil},
}

func runFramer(stream string, split func(string) []string) (heads []string, halted bool) {
	f := framer{limit: 1 << 20, onHead: func(h []byte) { heads = append(heads, string(h)) }}
	for _, part := range split(stream) {
		f.feed([]byte(part))
	}
	return heads, f.state == stopped
}

// TestFramer feeds each stream whole, byte by byte, and cut at every
// point in two.
func TestFramer(t *testing.T) {
	for _, tt := range framerCases {
		t.Run(tt.name, func(t *testing.T) {
			whole := func(s string) []string { return []string{s} }
			bytewise := func(s string) []string { return strings.Split(s, "") }
			for name, split := range map[string]func(string) []string{"whole": whole, "bytewise": bytewise} {
				got, _ := runFramer(tt.stream, split)
				if diff := cmp.Diff(tt.heads, got); diff != "" {
					t.Errorf("%s (-want +got):\n%s", name, diff)
				}
			}
			for i := 1; i < len(tt.stream); i++ {
				got, _ := runFramer(tt.stream, func(s string) []string { return []string{s[:i], s[i:]} })
				if diff := cmp.Diff(tt.heads, got); diff != "" {
					t.Fatalf("cut at %d (-want +got):\n%s", i, diff)
				}
			}
		})
	}
}

func TestFramerLimits(t *testing.T) {
	long := "GET / HTTP/1.1\r\nX: " + strings.Repeat("a", 200) + "\r\n\r\n"
	f := framer{limit: 100, onHead: func([]byte) { t.Error("a head over the limit was kept") }}
	f.feed([]byte(long))
	if f.state != stopped {
		t.Errorf("framer goes on after a head over its limit")
	}
	chunkLine := "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + strings.Repeat("0", 4095) + "1\r\nz\r\n0\r\n\r\n"
	if _, stopped := runFramer(chunkLine, func(s string) []string { return []string{s} }); !stopped {
		t.Errorf("a chunk-size line of 4098 bytes was accepted")
	}
	trailer := "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: " + strings.Repeat("t", 5000) + "\r\n\r\n"
	if _, stopped := runFramer(trailer, func(s string) []string { return []string{s} }); !stopped {
		t.Errorf("a 5000-byte trailer was accepted")
	}
}

// TestMatchRequestLine checks the allocation-free comparison of a head's
// request line with the method, target and proto net/http parsed from it.
func TestMatchRequestLine(t *testing.T) {
	tests := []struct {
		line, method, target, proto string
		want                        bool
	}{
		{"GET / HTTP/1.1", "GET", "/", "HTTP/1.1", true},
		{"GET /a?b=c HTTP/1.0", "GET", "/a?b=c", "HTTP/1.0", true},
		{"GET / HTTP/1.1 extra", "GET", "/", "HTTP/1.1 extra", true}, // net/http's proto is the rest
		{"GET / HTTP/1.1", "GET", "/", "HTTP/1.0", false},
		{"GET /a HTTP/1.1", "GET", "/b", "HTTP/1.1", false},
		{"PUT / HTTP/1.1", "GET", "/", "HTTP/1.1", false},
		{"GET  / HTTP/1.1", "GET", "", "/ HTTP/1.1", true},
		{"GET / HTTP/1.1", "GET", "/ ", "HTTP/1.1", false},
		{"GETx/xHTTP/1.1", "GET", "/", "HTTP/1.1", false},
		{"", "", "", "", false},
	}
	var got, want []string
	for _, tt := range tests {
		name := fmt.Sprintf("%q = %q %q %q", tt.line, tt.method, tt.target, tt.proto)
		got = append(got, fmt.Sprint(name, " ", matchRequestLine([]byte(tt.line), tt.method, tt.target, tt.proto)))
		want = append(want, fmt.Sprint(name, " ", tt.want))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if n := testing.AllocsPerRun(100, func() {
		matchRequestLine([]byte("GET /index.html HTTP/1.1"), "GET", "/index.html", "HTTP/1.1")
	}); n != 0 {
		t.Errorf("matchRequestLine allocates %v times", n)
	}
}
