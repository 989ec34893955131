package conn_test

import (
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/webstatic/webstatic/staticfs/conn"
)

// TestOnRejected: each head net/http refuses is reported once, with the
// status it answered and the head as sent, also when pipelined behind
// good requests or behind OPTIONS *, which net/http answers itself.
func TestOnRejected(t *testing.T) {
	type report struct {
		ID, Request uint64
		Status      int
		Response    string
		Head        string
	}
	tests := []struct {
		name, before, head string
		want               report
	}{
		{"alone", "", "GET / HTTP/1.1\r\nX: a\x01\r\n\r\n",
			report{1, 1, 400, "Bad Request", "GET / HTTP/1.1\r\nX: a\x01\r\n\r\n"}},
		{"after two", "GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\n", "GET /3 HTTP/1.1\r\n\r\n",
			report{1, 3, 400, "Bad Request: missing required Host header", "GET /3 HTTP/1.1\r\n\r\n"}},
		{"after OPTIONS *", "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n", "GET / HTTP/1.1\r\nX: h\n\n",
			report{1, 1, 400, "Bad Request: missing required Host header", "GET / HTTP/1.1\r\nX: h\n\n"}},
		{"version", "GET /1 HTTP/1.1\r\nHost: h\r\n\r\n", "GET / HTTP/2.5\r\nHost: h\r\n\r\n",
			report{1, 2, 505, "HTTP Version Not Supported: unsupported protocol version", "GET / HTTP/2.5\r\nHost: h\r\n\r\n"}},
		{"request line", "", "NONSENSE\r\nHost: h\r\n\r\n",
			report{1, 1, 400, "Bad Request", "NONSENSE\r\nHost: h\r\n\r\n"}},
		{"coding", "", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: br\r\n\r\n",
			report{1, 1, 501, "Not Implemented", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: br\r\n\r\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			var got []report
			p := conn.Policy{CaptureHeaders: true, OnRejected: func(r conn.Rejected) {
				mu.Lock()
				defer mu.Unlock()
				if !strings.HasPrefix(r.RemoteAddr, "127.0.0.1:") {
					t.Errorf("RemoteAddr %q", r.RemoteAddr)
				}
				got = append(got, report{r.Info.ID, r.Info.Request, r.Status, r.Response, string(r.Head)})
			}}
			ts := startServer(t, p, fixedHandler(), nil)
			rc := dial(t, ts.Addr)
			rc.send(t, tt.before+tt.head)
			rc.c.SetReadDeadline(time.Now().Add(5 * time.Second))
			io.Copy(io.Discard, rc.br) // every answer, then the close
			ts.stop(t)
			mu.Lock()
			defer mu.Unlock()
			if diff := cmp.Diff([]report{tt.want}, got); diff != "" {
				t.Errorf("reports (-want +got):\n%s", diff)
			}
		})
	}
}

// TestOnRejectedNeedsCapture: OnRejected without CaptureHeaders would
// silently report nothing, so Validate refuses it.
func TestOnRejectedNeedsCapture(t *testing.T) {
	p := conn.Policy{OnRejected: func(conn.Rejected) {}}
	if err := p.Validate(); err == nil {
		t.Errorf("Validate accepts OnRejected without CaptureHeaders")
	}
	p.CaptureHeaders = true
	if err := p.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
}

// TestOnRejectedIgnoresHandlers: a handler's own error responses, even
// with net/http's error headers, are no rejection.
func TestOnRejectedIgnoresHandlers(t *testing.T) {
	reported := 0
	p := conn.Policy{CaptureHeaders: true, OnRejected: func(conn.Rejected) { reported++ }}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Connection", "close")
		http.Error(w, "400 Bad Request", http.StatusBadRequest)
	})
	ts := startServer(t, p, h, nil)
	rc := dial(t, ts.Addr)
	rc.send(t, "GET / HTTP/1.1\r\nHost: h\r\n\r\n")
	rc.c.SetReadDeadline(time.Now().Add(5 * time.Second))
	io.Copy(io.Discard, rc.br)
	ts.stop(t)
	if reported != 0 {
		t.Errorf("%d rejections reported for a handler's 400", reported)
	}
}
