package conn_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/textproto"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/webstatic/webstatic/staticfs/conn"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// body is the fixed 1 KiB body served by fixedHandler.
var body = bytes.Repeat([]byte("0123456789abcdef"), 64)

// fixedHandler serves body with a Content-Length and reports the
// connection ID and request number as "X-Conn: ID/Request".
func fixedHandler() http.Handler {
	clen := strconv.Itoa(len(body))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		if info, ok := conn.FromContext(r.Context()); ok {
			h.Set("X-Conn", fmt.Sprintf("%d/%d", info.ID, info.Request))
		}
		h.Set("Content-Type", "text/plain")
		h.Set("Content-Length", clen)
		w.Write(body)
	})
}

// testServer is an http.Server on 127.0.0.1:0 behind a conn.Listener.
type testServer struct {
	Addr string
	URL  string
	L    *conn.Listener
	Srv  *http.Server
	done chan error // receives Serve's error

	stopOnce sync.Once
}

// startServer serves h under policy p. setup, if not nil, adjusts the
// server before Serve. It returns once Serve has configured the server,
// which is shut down at cleanup.
func startServer(t testing.TB, p conn.Policy, h http.Handler, setup func(*http.Server)) *testServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := conn.NewListener(ln, p)
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ErrorLog:          log.New(io.Discard, "", 0),
	}
	if setup != nil {
		setup(srv)
	}
	// BaseContext runs on Serve's goroutine once l.Serve has configured
	// srv: after ready, the test may read srv or serve it elsewhere.
	ready := make(chan struct{})
	var once sync.Once // other Serve calls run BaseContext too
	base := srv.BaseContext
	srv.BaseContext = func(ln net.Listener) context.Context {
		once.Do(func() { close(ready) })
		if base != nil {
			return base(ln)
		}
		return context.Background()
	}
	ts := &testServer{Addr: ln.Addr().String(), URL: "http://" + ln.Addr().String(), L: l, Srv: srv, done: make(chan error, 1)}
	go func() { ts.done <- l.Serve(srv) }()
	t.Cleanup(func() { ts.stop(t) })
	select {
	case <-ready:
	case err := <-ts.done:
		t.Fatalf("Serve: %v", err)
	}
	return ts
}

// stop shuts the server down gracefully, then forcibly, and waits for
// Serve to return. Calls after the first do nothing.
func (ts *testServer) stop(t testing.TB) {
	ts.stopOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := ts.Srv.Shutdown(ctx); err != nil {
			ts.Srv.Close()
		}
		select {
		case err := <-ts.done:
			if !errors.Is(err, http.ErrServerClosed) {
				t.Errorf("Serve: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Errorf("Serve did not return after Shutdown")
		}
	})
}

// waitStats polls the listener's counters until ok accepts them or 5 s
// pass, and returns the last snapshot.
func waitStats(t testing.TB, l *conn.Listener, ok func(conn.Stats) bool) conn.Stats {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		s := l.Stats()
		if ok(s) || time.Now().After(deadline) {
			return s
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func noneOpen(s conn.Stats) bool { return s.Open == 0 }

// dial opens a raw TCP connection closed at cleanup.
func dial(t testing.TB, addr string) *rawClient {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &rawClient{c: c.(*net.TCPConn), br: bufio.NewReader(c)}
}

type rawClient struct {
	c  *net.TCPConn
	br *bufio.Reader
}

func (rc *rawClient) send(t testing.TB, s string) {
	t.Helper()
	rc.c.SetWriteDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(rc.c, s); err != nil {
		t.Fatalf("write: %v", err)
	}
}

// rawResp holds the parts of a response the tests compare.
type rawResp struct {
	Proto      string // from the status line
	Status     int
	Connection string // the Connection header exactly as sent ("" if none)
	Close      bool   // http.ReadResponse's verdict
	Conn       string // X-Conn: connection ID / request number
	BodyLen    int
}

// read reads one response with a Content-Length, within d.
func (rc *rawClient) read(d time.Duration) (rawResp, error) {
	rc.c.SetReadDeadline(time.Now().Add(d))
	var head bytes.Buffer
	tp := textproto.NewReader(rc.br)
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return rawResp{}, err
		}
		head.WriteString(line + "\r\n")
		if line == "" {
			break
		}
	}
	res, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(head.Bytes())), nil)
	if err != nil {
		return rawResp{}, err
	}
	if res.ContentLength < 0 {
		return rawResp{}, fmt.Errorf("response without Content-Length")
	}
	b := make([]byte, res.ContentLength)
	if _, err := io.ReadFull(rc.br, b); err != nil {
		return rawResp{}, err
	}
	proto, _, _ := strings.Cut(head.String(), " ")
	return rawResp{
		Proto:      proto,
		Status:     res.StatusCode,
		Connection: connectionHeader(head.String()),
		Close:      res.Close,
		Conn:       res.Header.Get("X-Conn"),
		BodyLen:    len(b),
	}, nil
}

// connectionHeader returns the raw Connection header value in head.
func connectionHeader(head string) string {
	for _, line := range strings.Split(head, "\r\n") {
		k, v, ok := strings.Cut(line, ":")
		if ok && strings.EqualFold(k, "Connection") {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// closedWithin reports whether the server closes the connection (EOF or
// reset, with no further bytes) within d.
func (rc *rawClient) closedWithin(d time.Duration) (bool, error) {
	rc.c.SetReadDeadline(time.Now().Add(d))
	b, err := rc.br.ReadByte()
	switch {
	case err == nil:
		return false, fmt.Errorf("unexpected byte %q after the responses", b)
	case errors.Is(err, io.EOF), errors.Is(err, net.ErrClosed), isReset(err):
		return true, nil
	case os.IsTimeout(err):
		return false, nil
	}
	return false, err
}

func isReset(err error) bool { return errors.Is(err, syscall.ECONNRESET) }
