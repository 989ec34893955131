package conn_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/webstatic/webstatic/staticfs/conn"
)

// headRecorder is a handler that keeps what RawHeader said for each
// request, in order, optionally reading the body.
type headRecorder struct {
	readBody bool
	mu       sync.Mutex
	heads    []string // "-" where RawHeader reported false
}

func (h *headRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	head, ok := conn.RawHeader(r)
	if h.readBody {
		io.Copy(io.Discard, r.Body)
	}
	h.mu.Lock()
	if ok {
		h.heads = append(h.heads, string(head))
	} else {
		h.heads = append(h.heads, "-")
	}
	h.mu.Unlock()
	io.WriteString(w, "ok")
}

func (h *headRecorder) got() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.heads...)
}

// exchange sends raw on a new connection, in pieces of size split (0:
// whole), and reads n responses.
func exchange(t *testing.T, addr, raw string, split, n int) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	c.(*net.TCPConn).SetNoDelay(true)
	go func() {
		if split == 0 {
			io.WriteString(c, raw)
			return
		}
		for i := 0; i < len(raw); i += split {
			io.WriteString(c, raw[i:min(i+split, len(raw))])
		}
	}()
	br := bufio.NewReader(c)
	for i := 0; i < n; i++ {
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("response %d of %d: %v", i+1, n, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

// TestCaptureOverTCP sends pipelined requests to a real server and
// compares what RawHeader gave each handler with the bytes sent.
func TestCaptureOverTCP(t *testing.T) {
	tests := []struct {
		name     string
		raw      string
		readBody bool
		want     []string
	}{
		{"order, case, duplicates, obs-text, bare LF",
			"GET /a?q=1 HTTP/1.1\r\nhost: x\r\nZ-Last: 1\r\nx-dup: a\nX-Dup: b\r\nX-Latin: caf\xe9\r\nA-First: 2\r\n\r\n", true,
			[]string{"GET /a?q=1 HTTP/1.1\r\nhost: x\r\nZ-Last: 1\r\nx-dup: a\nX-Dup: b\r\nX-Latin: caf\xe9\r\nA-First: 2\r\n\r\n"}},
		{"pipelined Content-Length and chunked bodies",
			"POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 20\r\n\r\nGET /smuggled HTTP/1\r\n" +
				"PUT /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=\"v\"\r\nbody\r\n0\r\nX-Trailer: t\r\n\r\n" +
				"GET /last HTTP/1.1\r\nHost: x\r\n\r\n", true,
			[]string{"POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 20\r\n\r\n",
				"PUT /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n",
				"GET /last HTTP/1.1\r\nHost: x\r\n\r\n"}},
		{"body never read by the handler",
			"POST /unread HTTP/1.1\r\nHost: x\r\nContent-Length: 9\r\n\r\nignored!!GET /after HTTP/1.1\r\nHost: x\r\n\r\n", false,
			[]string{"POST /unread HTTP/1.1\r\nHost: x\r\nContent-Length: 9\r\n\r\n", "GET /after HTTP/1.1\r\nHost: x\r\n\r\n"}},
		{"stray CRLF after POST, HTTP/1.0 keep-alive with TE",
			"POST /q HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi\r\n" +
				"POST /r HTTP/1.0\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\nabc" +
				"GET /s HTTP/1.1\r\nHost: x\r\n\r\n", true,
			[]string{"POST /q HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n",
				"POST /r HTTP/1.0\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n",
				"GET /s HTTP/1.1\r\nHost: x\r\n\r\n"}},
	}
	for _, tt := range tests {
		for _, split := range []int{0, 1, 7} {
			t.Run(fmt.Sprintf("%s/split%d", tt.name, split), func(t *testing.T) {
				rec := &headRecorder{readBody: tt.readBody}
				ts := startServer(t, conn.Policy{CaptureHeaders: true}, rec, nil)
				exchange(t, ts.Addr, tt.raw, split, len(tt.want))
				if diff := cmp.Diff(tt.want, rec.got()); diff != "" {
					t.Errorf("(-want +got):\n%s", diff)
				}
			})
		}
	}
}

// TestCaptureExpectContinue: the client waits for 100 Continue before it
// sends the body; the next request's head is still found.
func TestCaptureExpectContinue(t *testing.T) {
	rec := &headRecorder{readBody: true}
	ts := startServer(t, conn.Policy{CaptureHeaders: true}, rec, nil)
	c, err := net.Dial("tcp", ts.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	head := "PUT /up HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"
	io.WriteString(c, head)
	br := bufio.NewReader(c)
	line, err := br.ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "HTTP/1.1 100") {
		t.Fatalf("want 100 Continue, got %q, %v", line, err)
	}
	br.ReadString('\n') // the blank line after 100 Continue
	io.WriteString(c, "12345GET /next HTTP/1.1\r\nHost: x\r\n\r\n")
	for i := 0; i < 2; i++ {
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	want := []string{head, "GET /next HTTP/1.1\r\nHost: x\r\n\r\n"}
	if diff := cmp.Diff(want, rec.got()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestCaptureLimitsAndOff: a head over MaxHeaderBytes+4096 gets 431 and
// no capture, the next connection is captured again; with capture off
// RawHeader reports false.
func TestCaptureLimitsAndOff(t *testing.T) {
	rec := &headRecorder{}
	ts := startServer(t, conn.Policy{CaptureHeaders: true}, rec, func(s *http.Server) { s.MaxHeaderBytes = 1024 })
	c, err := net.Dial("tcp", ts.Addr)
	if err != nil {
		t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(10 * time.Second))
	io.WriteString(c, "GET /big HTTP/1.1\r\nHost: x\r\nX-Big: "+strings.Repeat("b", 8<<10)+"\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil || resp.StatusCode != 431 {
		t.Fatalf("oversized head: %v %v", resp, err)
	}
	c.Close()
	exchange(t, ts.Addr, "GET /ok HTTP/1.1\r\nHost: x\r\n\r\n", 0, 1)
	if diff := cmp.Diff([]string{"GET /ok HTTP/1.1\r\nHost: x\r\n\r\n"}, rec.got()); diff != "" {
		t.Errorf("after the oversized head (-want +got):\n%s", diff)
	}

	off := &headRecorder{}
	ts = startServer(t, conn.Policy{}, off, nil)
	exchange(t, ts.Addr, "GET /off HTTP/1.1\r\nHost: x\r\n\r\n", 0, 1)
	if diff := cmp.Diff([]string{"-"}, off.got()); diff != "" {
		t.Errorf("capture off (-want +got):\n%s", diff)
	}
}

// TestCaptureSkipsUnaskedRequests: heads of requests that never call
// RawHeader do not stand in the way of later ones.
func TestCaptureSkipsUnaskedRequests(t *testing.T) {
	rec := &headRecorder{}
	mux := http.NewServeMux()
	mux.HandleFunc("/quiet/", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "q") })
	mux.Handle("/", rec)
	ts := startServer(t, conn.Policy{CaptureHeaders: true}, mux, nil)
	var raw bytes.Buffer
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&raw, "GET /quiet/%d HTTP/1.1\r\nHost: x\r\n\r\n", i)
	}
	raw.WriteString("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\nGET /asks HTTP/1.1\r\nHost: x\r\n\r\n")
	exchange(t, ts.Addr, raw.String(), 0, 42)
	if diff := cmp.Diff([]string{"GET /asks HTTP/1.1\r\nHost: x\r\n\r\n"}, rec.got()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestRawHeaderEveryCall: RawHeader gives the same head to every call
// for a request, and to a request made with a derived context, on each
// of two pipelined requests.
func TestRawHeaderEveryCall(t *testing.T) {
	type key struct{}
	var mu sync.Mutex
	var got [][3]string
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var calls [3]string
		for i, req := range []*http.Request{r, r, r.WithContext(context.WithValue(r.Context(), key{}, 1))} {
			head, ok := conn.RawHeader(req)
			calls[i] = fmt.Sprintf("%v %s", ok, head)
		}
		mu.Lock()
		got = append(got, calls)
		mu.Unlock()
		io.WriteString(w, "ok")
	})
	ts := startServer(t, conn.Policy{CaptureHeaders: true}, h, nil)
	heads := []string{"GET /a HTTP/1.1\r\nHost: x\r\nX-One: 1\r\n\r\n", "GET /b HTTP/1.1\r\nhost: x\r\n\r\n"}
	exchange(t, ts.Addr, heads[0]+heads[1], 0, 2)
	var want [][3]string
	for _, head := range heads {
		s := "true " + head
		want = append(want, [3]string{s, s, s})
	}
	mu.Lock()
	defer mu.Unlock()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("RawHeader per call (-want +got):\n%s", diff)
	}
}
