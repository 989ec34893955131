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
	"github.com/webstatic/webstatic/staticfs/conn"
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

// rejectedHeads are heads net/http refuses before any handler runs,
// among them the control bytes that are Python line boundaries; the log
// shows them too. The one over -max-header-bytes is logged cut short at
// conn.MaxRejectedHead bytes, and Python is given those bytes.
var rejectedHeads = []struct{ sent, logged string }{
	{"GET /ctl HTTP/1.1\r\nHost: h\r\nX-Ctl: a\x01\x1b[2J\x7f\r\n\r\n", ""},
	{"GET /breaks HTTP/1.1\r\nHost: h\r\nX-Breaks: a\vb\fc\x1cd\x1de\x1ef\rg\r\n\r\n", ""},
	{"GET /nohost HTTP/1.1\r\nCookie: s3cret\r\n\r\n", "GET /nohost HTTP/1.1\r\nCookie: [REDACTED]\r\n\r\n"},
	{"GET /v HTTP/3.0\r\nHost: h\r\n\r\n", ""},
	{bigHead, bigHead[:conn.MaxRejectedHead]},
}

var bigHead = "GET /big HTTP/1.1\r\nHost: h\r\nX-Big: " + strings.Repeat("\u00a0b", 40<<10) + "\r\n\r\n"

// TestHeaderLogMatchesPython sends acceptedHeads, pipelined, then each of
// rejectedHeads on its own connection behind a good request, to the
// reference server with -log-headers article and bytes, and compares its
// stderr byte for byte with what Python 3 prints for the same heads.
func TestHeaderLogMatchesPython(t *testing.T) {
	const good = "GET /good HTTP/1.1\r\nHost: h\r\n\r\n"
	var sent strings.Builder
	var logged []string
	for _, h := range acceptedHeads {
		sent.WriteString(h.sent)
		if h.logged == "" {
			h.logged = h.sent
		}
		logged = append(logged, h.logged)
	}
	for _, h := range rejectedHeads {
		if h.logged == "" {
			h.logged = h.sent
		}
		logged = append(logged, good, h.logged)
	}
	for _, tt := range []struct{ format, version string }{{"article", "later"}, {"bytes", "first"}} {
		t.Run(tt.format, func(t *testing.T) {
			t.Parallel()
			want := pythonPrints(t, tt.version, logged)
			s := start(t, "-log-headers", tt.format)
			rawRequests(t, s.addr, sent.String(), len(acceptedHeads))
			for _, h := range rejectedHeads {
				rawRequests(t, s.addr, good+h.sent, -1)
			}
			s.stop(t, syscall.SIGINT)
			got := s.stderr.String()
			if tt.format == "bytes" { // drop the separator lines, once they say what was rejected
				for _, mark := range []string{" request 2 127.0.0.1:", "(rejected: 400 Bad Request)\n",
					"(rejected: 400 Bad Request: missing required Host header)\n",
					"(rejected: 505 HTTP Version Not Supported: unsupported protocol version)\n",
					"(rejected: 431 Request Header Fields Too Large)\n"} {
					if !strings.Contains(got, mark) {
						t.Errorf("no separator line holds %q", mark)
					}
				}
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

// rawRequests writes raw on one connection and reads n responses, or
// with n < 0, everything until the server closes.
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
	if n < 0 {
		io.Copy(io.Discard, br)
		return
	}
	for i := range n {
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("response %d: %v", i+1, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}
