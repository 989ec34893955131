package middleware_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/webstatic/webstatic/middleware"
	"github.com/webstatic/webstatic/staticfs/conn"
)

// syncBuffer is an io.Writer safe for the log's concurrent callers to
// share with the test.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var ok = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	io.Copy(io.Discard, r.Body)
	io.WriteString(w, "ok")
})

// rawRoundTrip writes raw bytes on a new connection and reads n responses.
func rawRoundTrip(t *testing.T, addr, raw string, n int) {
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
	if n == 0 { // wait for the server to answer and close
		io.Copy(io.Discard, br)
		return
	}
	for i := 0; i < n; i++ {
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("response %d: %v", i+1, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

// TestReconstructedWithoutTheLayer serves through a plain httptest server:
// the block is rebuilt, sorted and canonical, and says so.
func TestReconstructedWithoutTheLayer(t *testing.T) {
	var out syncBuffer
	srv := httptest.NewServer((&middleware.HeaderLog{Out: &out}).Wrap(ok))
	defer srv.Close()
	rawRoundTrip(t, srv.Listener.Addr().String(),
		"GET /a?b=1 HTTP/1.1\r\nhost: example.test\r\nzz-last: 1\r\nauthorization: secret\r\nAA-First: 2\r\n\r\n", 1)
	got := regexp.MustCompile(`127\.0\.0\.1:\d+`).ReplaceAllString(out.String(), "ADDR")
	want := ">>>> conn - request - ADDR (reconstructed: no connection capture)\r\n" +
		"GET /a?b=1 HTTP/1.1\r\nHost: example.test\r\nAa-First: 2\r\nAuthorization: [REDACTED]\r\nZz-Last: 1\r\n\r\n"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// serveLayer serves h behind the connection layer with policy p.
func serveLayer(t *testing.T, p conn.Policy, h http.Handler) string {
	t.Helper()
	tcp, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	done := make(chan struct{})
	go func() { p.Serve(srv, tcp); close(done) }()
	t.Cleanup(func() { srv.Close(); <-done })
	return tcp.Addr().String()
}

// TestSeparatorNumbersRequests: behind the layer the separator names the
// connection and the request's number on it.
func TestSeparatorNumbersRequests(t *testing.T) {
	var out syncBuffer
	addr := serveLayer(t, conn.Policy{}, (&middleware.HeaderLog{Out: &out}).Wrap(ok))
	rawRoundTrip(t, addr, "GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\n", 2)
	rawRoundTrip(t, addr, "GET /3 HTTP/1.1\r\nHost: x\r\n\r\n", 1)
	var seps []string
	for _, line := range strings.Split(out.String(), "\n") {
		if strings.HasPrefix(line, ">>>> ") {
			f := strings.Fields(line)
			seps = append(seps, strings.Join(f[:5], " "))
		}
	}
	want := []string{">>>> conn 1 request 1", ">>>> conn 1 request 2", ">>>> conn 2 request 1"}
	if diff := cmp.Diff(want, seps); diff != "" {
		t.Errorf("separators (-want +got):\n%s", diff)
	}
}

// TestConcurrentBlocksDoNotInterleave sends 400 requests from 16 clients
// and parses the log back: 400 whole blocks, each with its own request.
func TestConcurrentBlocksDoNotInterleave(t *testing.T) {
	for _, format := range []middleware.Format{middleware.Raw, middleware.Lines} {
		t.Run(format.String(), func(t *testing.T) {
			var out syncBuffer
			srv := httptest.NewServer((&middleware.HeaderLog{Out: &out, Format: format}).Wrap(ok))
			defer srv.Close()
			var wg sync.WaitGroup
			for c := 0; c < 16; c++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					client := &http.Client{Transport: &http.Transport{}}
					defer client.CloseIdleConnections()
					for i := 0; i < 25; i++ {
						req, _ := http.NewRequest("GET", fmt.Sprintf("%s/c%d/r%d", srv.URL, c, i), nil)
						req.Header.Set("X-Req", fmt.Sprintf("c%d-r%d", c, i))
						resp, err := client.Do(req)
						if err != nil {
							t.Error(err)
							return
						}
						io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
					}
				}()
			}
			wg.Wait()
			blocks := strings.Split(out.String(), ">>>> ")[1:]
			if len(blocks) != 400 {
				t.Fatalf("%d blocks, want 400", len(blocks))
			}
			seen := map[string]bool{}
			for _, b := range blocks {
				m := regexp.MustCompile(`GET /(c\d+)/(r\d+) HTTP/1\.1`).FindStringSubmatch(b)
				if m == nil || strings.Count(b, "X-Req: ") != 1 || !strings.Contains(b, "X-Req: "+m[1]+"-"+m[2]) {
					t.Fatalf("block mixes requests:\n%s", b)
				}
				if format == middleware.Raw && !strings.HasSuffix(b, "\r\n\r\n") {
					t.Fatalf("raw block does not end with its blank line:\n%q", b)
				}
				seen[m[1]+m[2]] = true
			}
			if len(seen) != 400 {
				t.Errorf("%d distinct requests logged, want 400", len(seen))
			}
		})
	}
}

// TestRawHeadsThroughTheLayer sends pipelined requests with mixed-case,
// duplicated and reordered headers, bodies, credentials and control
// bytes to a server behind the capturing layer, and checks the log
// shows each head as sent, credentials hidden, invalid UTF-8 and a bidi
// override escaped (net/http itself refuses C0 controls in values).
func TestRawHeadsThroughTheLayer(t *testing.T) {
	var out syncBuffer
	addr := serveLayer(t, conn.Policy{CaptureHeaders: true}, (&middleware.HeaderLog{Out: &out}).Wrap(ok))
	rawRoundTrip(t, addr,
		"POST /upload HTTP/1.1\r\nhost: example.test\r\nCONTENT-length: 5\r\nX-Dup: 1\r\nx-dup: 2\r\nAuthorization: Bearer s3cret\r\n\r\nhello"+
			"PUT /chunks HTTP/1.1\r\nHost: example.test\r\nTransfer-Encoding: chunked\r\nCookie: id=s3cret\r\n\r\n3;x=y\r\nabc\r\n0\r\nX-Trailer: t\r\n\r\n"+
			"GET /last HTTP/1.1\nZ-Before: 1\nHost: example.test\nA-After: \xff\u202etxt.exe\n\n", 3)
	got := regexp.MustCompile(`127\.0\.0\.1:\d+`).ReplaceAllString(out.String(), "ADDR")
	want := ">>>> conn 1 request 1 ADDR\r\n" +
		"POST /upload HTTP/1.1\r\nhost: example.test\r\nCONTENT-length: 5\r\nX-Dup: 1\r\nx-dup: 2\r\nAuthorization: [REDACTED]\r\n\r\n" +
		">>>> conn 1 request 2 ADDR\r\n" +
		"PUT /chunks HTTP/1.1\r\nHost: example.test\r\nTransfer-Encoding: chunked\r\nCookie: [REDACTED]\r\n\r\n" +
		">>>> conn 1 request 3 ADDR\n" +
		"GET /last HTTP/1.1\nZ-Before: 1\nHost: example.test\nA-After: \\xff\\u202etxt.exe\n\n"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if strings.Contains(got, "s3cret") {
		t.Errorf("a credential reached the log")
	}
}
