package main

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// pythonOracle is the article's own print calls, run by python3.
const pythonOracle = "../../middleware/testdata/python/article.py"

// needPython returns python3's path; outside CI a missing python3 skips
// the test, under CI=true it fails it (.ci/run installs python3-minimal).
func needPython(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("python3")
	if err == nil {
		return path
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("python3 not installed; .ci/run must install python3-minimal")
	}
	t.Skip("python3 not installed (apt-get install python3-minimal): skipping the comparison with Python")
	return ""
}

// pythonPrints returns what article.py prints for heads: version "first"
// is print(request), "later" is the empty line, the >> rule and the list.
func pythonPrints(t *testing.T, version string, heads []string) string {
	t.Helper()
	var in []byte
	for _, h := range heads {
		n := len(h) // a 4-byte big-endian length, then the head
		in = append(in, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
		in = append(in, h...)
	}
	cmd := exec.Command(needPython(t), pythonOracle, "print", version)
	cmd.Env = append(os.Environ(), "PYTHONIOENCODING=utf-8")
	cmd.Stdin = bytes.NewReader(in)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	return string(out)
}

// acceptedHeads are heads net/http serves, covering what the Python
// formats must copy: both line endings, duplicates and letter case,
// quotes, backslashes, obs-text that Python's repr escapes or splits at
// (NEL, U+2028, no-break space, zero-width joiner, BOM, private use,
// tags), invalid UTF-8, and a credential (sent to Python already
// redacted: the log must hide it in every format).
var acceptedHeads = []struct{ sent, logged string }{
	{"GET / HTTP/1.1\r\nHost: h\r\n\r\n", ""},
	{"GET /style.css HTTP/1.1\nhost: h\nX-Dup: 1\nx-dup: 2\n\n", ""},
	{"GET /?q=it's HTTP/1.1\r\nHost: h\r\nX-Quote: it's\r\n\r\n", ""},
	{"GET / HTTP/1.1\r\nHost: h\r\nX-Both: it's \"q\" \\ \r\n\r\n", ""},
	{"GET / HTTP/1.1\r\nHost: h\r\nX-Split: a\u0085b\u2028c\u2029d\r\n\r\n", ""},
	{"GET / HTTP/1.1\r\nHost: h\r\nX-Hidden: \u00a0\u00ad\u200b\u200d\ufeff\u3000\ue000\U000e0041\r\n\r\n", ""},
	{"GET / HTTP/1.1\r\nHost: h\r\nX-Text: caf\u00e9 \u4e2d \U0001f600 caf\xe9 \xff\x85\r\n\r\n", ""},
	{"GET / HTTP/1.1\r\nHost: h\r\nCookie: session=s3cret\r\n\r\n", "GET / HTTP/1.1\r\nHost: h\r\nCookie: [REDACTED]\r\n\r\n"},
}

// TestHeaderLogMatchesPython sends acceptedHeads, pipelined, to the
// reference server with -log-headers article and bytes, and compares its
// stderr byte for byte with what Python 3 prints for the same heads.
func TestHeaderLogMatchesPython(t *testing.T) {
	var sent strings.Builder
	var logged []string
	for _, h := range acceptedHeads {
		sent.WriteString(h.sent)
		if h.logged == "" {
			h.logged = h.sent
		}
		logged = append(logged, h.logged)
	}
	for _, tt := range []struct{ format, version string }{{"article", "later"}, {"bytes", "first"}} {
		t.Run(tt.format, func(t *testing.T) {
			want := pythonPrints(t, tt.version, logged)
			s := start(t, "-log-headers", tt.format)
			rawRequests(t, s.addr, sent.String(), len(acceptedHeads))
			s.stop(t, syscall.SIGINT)
			got := s.stderr.String()
			if tt.format == "bytes" { // drop the separator lines
				var kept []string
				for _, line := range strings.SplitAfter(got, "\n") {
					if !strings.HasPrefix(line, ">>>> conn ") {
						kept = append(kept, line)
					}
				}
				got = strings.Join(kept, "")
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("-log-headers %s (-python3 +server):\n%s", tt.format, diff)
			}
			if strings.Contains(s.stderr.String(), "s3cret") {
				t.Errorf("-log-headers %s logs a cookie's value", tt.format)
			}
		})
	}
}

// rawRequests writes raw on one connection and reads n responses.
func rawRequests(t *testing.T, addr, raw string, n int) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(c, raw); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(c)
	for i := range n {
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("response %d: %v", i+1, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}
