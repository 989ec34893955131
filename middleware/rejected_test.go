package middleware_test

import (
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/webstatic/webstatic/middleware"
	"github.com/webstatic/webstatic/staticfs/conn"
)

// rejectedHeads are heads net/http refuses before any handler runs, with
// the status line it answers.
var rejectedHeads = []struct{ name, head, status string }{
	{"control byte", "GET /a HTTP/1.1\r\nHost: h\r\nX-Ctl: a\x01b\r\n\r\n", "400 Bad Request"},
	{"NUL", "GET /a HTTP/1.1\r\nHost: h\r\nX-Nul: a\x00b\r\n\r\n", "400 Bad Request"},
	{"escape", "GET /a HTTP/1.1\r\nHost: h\r\nX-Esc: \x1b[2J\r\n\r\n", "400 Bad Request"},
	{"VT FF FS GS RS", "GET /a HTTP/1.1\r\nHost: h\r\nX-Breaks: a\vb\fc\x1cd\x1de\x1ef\r\n\r\n", "400 Bad Request"},
	{"lone CR", "GET /a HTTP/1.1\r\nHost: h\r\nX-CR: a\rb\r\n\r\n", "400 Bad Request"},
	{"DEL", "GET /a HTTP/1.1\r\nHost: h\r\nX-Del: \x7f\r\n\r\n", "400 Bad Request"},
	{"no Host", "GET /a HTTP/1.1\r\nUser-Agent: t\r\n\r\n", "400 Bad Request: missing required Host header"},
	{"two Hosts", "GET /a HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "400 Bad Request"},
	{"bad name", "GET /a HTTP/1.1\r\nHost: h\r\nBad Name: x\r\n\r\n", "400 Bad Request: invalid header name"},
	{"no colon", "GET /a HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n", "400 Bad Request"},
	{"HTTP/3.0", "GET /a HTTP/3.0\r\nHost: h\r\n\r\n", "505 HTTP Version Not Supported: unsupported protocol version"},
	{"no version", "GET /a\r\nHost: h\r\n\r\n", "400 Bad Request"},
	{"two lengths", "POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", "400 Bad Request"},
	{"gzip coding", "POST /a HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n", "501 Not Implemented"},
	{"cookie", "GET /a HTTP/1.1\r\nCookie: s3cret\r\n\r\n", "400 Bad Request: missing required Host header"},
}

// serveRejecting serves ok behind the capturing layer, the header log
// wired to report rejected heads, with a small MaxHeaderBytes.
func serveRejecting(t *testing.T, log *middleware.HeaderLog) string {
	t.Helper()
	tcp, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: log.Wrap(ok), ReadHeaderTimeout: 5 * time.Second, MaxHeaderBytes: 1024}
	p := conn.Policy{CaptureHeaders: true, OnRejected: log.LogRejected}
	done := make(chan struct{})
	go func() { p.Serve(srv, tcp); close(done) }()
	t.Cleanup(func() { srv.Close(); <-done })
	return tcp.Addr().String()
}

var addrRE = regexp.MustCompile(`127\.0\.0\.1:\d+`)

// TestRejectedHeads sends each refused head pipelined behind a good
// request: both are logged, once each, the refused one with the status
// net/http answered and its head as sent (credentials redacted).
func TestRejectedHeads(t *testing.T) {
	for _, tt := range rejectedHeads {
		t.Run(tt.name, func(t *testing.T) {
			var out syncBuffer
			addr := serveRejecting(t, &middleware.HeaderLog{Out: &out, Format: middleware.Lines})
			rawRoundTrip(t, addr, "GET /good HTTP/1.1\r\nHost: h\r\n\r\n"+tt.head, 0)
			want := ">>>> conn 1 request 1 ADDR\n['GET /good HTTP/1.1', 'Host: h', '']\n" +
				">>>> conn 1 request 2 ADDR (rejected: " + tt.status + ")\n" +
				pyList(strings.ReplaceAll(tt.head, "s3cret", "[REDACTED]"))
			got := waitLog(t, &out, 2)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestRejectedTooLarge: a head over MaxHeaderBytes is answered 431 and
// logged cut short at conn.MaxRejectedHead bytes, without its blank line.
func TestRejectedTooLarge(t *testing.T) {
	t.Parallel()
	// net/http answers 431, shuts down writing and lingers 500 ms before
	// it closes (closeWriteAndWait): outwait it, for goleak.
	t.Cleanup(func() { time.Sleep(600 * time.Millisecond) })
	var out syncBuffer
	addr := serveRejecting(t, &middleware.HeaderLog{Out: &out, Format: middleware.Raw})
	head := "GET /big HTTP/1.1\r\nHost: h\r\nX-Big: " + strings.Repeat("b", 20<<10) + "\r\n\r\n"
	rawRoundTrip(t, addr, head, 0)
	got := waitLog(t, &out, 1)
	sep, block, _ := strings.Cut(got, "\n")
	if want := ">>>> conn 1 request 1 ADDR (rejected: 431 Request Header Fields Too Large)\r"; sep != want {
		t.Errorf("separator %q, want %q", sep, want)
	}
	if !strings.HasPrefix(block, head[:100]) || len(block) > conn.MaxRejectedHead+2 || strings.Count(got, ">>>> ") != 1 {
		t.Errorf("block of %d bytes, want the head's first %d bytes: %.120q…", len(block), conn.MaxRejectedHead, block)
	}
}

// TestRejectedNoise: bytes that are no request line (a TLS hello) are
// answered 400 and logged with an empty head.
func TestRejectedNoise(t *testing.T) {
	var out syncBuffer
	addr := serveRejecting(t, &middleware.HeaderLog{Out: &out, Format: middleware.Bytes})
	rawRoundTrip(t, addr, "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 0)
	want := ">>>> conn 1 request 1 ADDR (rejected: 400 Bad Request; nothing captured)\nb''\n"
	if diff := cmp.Diff(want, waitLog(t, &out, 1)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// waitLog waits for n blocks in out (a rejection is logged as the
// server answers, which the client may see first) and returns the log
// with addresses replaced by ADDR.
func waitLog(t *testing.T, out *syncBuffer, n int) string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for strings.Count(out.String(), ">>>> conn") < n && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	return addrRE.ReplaceAllString(out.String(), "ADDR")
}

// pyList is what Python prints for head.decode().splitlines(), for the
// heads of these tests: ASCII, with control bytes as \xNN and Python's
// line boundaries.
func pyList(head string) string {
	var b strings.Builder
	b.WriteString("[")
	elems := regexp.MustCompile("\r\n|[\n\v\f\x1c\x1d\x1e\r]").Split(head, -1)
	elems = elems[:len(elems)-1] // splitlines drops the empty remainder
	for i, e := range elems {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("'")
		for _, c := range []byte(e) {
			switch {
			case c == '\'' || c == '\\':
				b.WriteString("\\" + string(c))
			case c == '\t':
				b.WriteString(`\t`)
			case c < 0x20 || c >= 0x7f:
				b.WriteString(`\x` + "0123456789abcdef"[c>>4:c>>4+1] + "0123456789abcdef"[c&15:c&15+1])
			default:
				b.WriteByte(c)
			}
		}
		b.WriteString("'")
	}
	b.WriteString("]\n")
	return b.String()
}
