package conn_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/webstatic/webstatic/staticfs/conn"
)

// corked reads TCP_CORK of the TCP connection under nc.
func corked(t *testing.T, nc net.Conn) int {
	t.Helper()
	raw, err := nc.(*conn.Conn).NetConn().(*net.TCPConn).SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	v := -1
	raw.Control(func(fd uintptr) {
		v, err = syscall.GetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_CORK)
	})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

type netConnKey struct{}

// TestCork corks and uncorks the connection a request arrived on, and
// reports false where it cannot cork.
func TestCork(t *testing.T) {
	got := make(chan []int, 1)
	ts := startServer(t, conn.Policy{}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		nc := r.Context().Value(netConnKey{}).(net.Conn)
		states := []int{corked(t, nc)}
		if !conn.Cork(r) {
			t.Error("Cork on an HTTP/1.1 TCP connection reported false")
		}
		states = append(states, corked(t, nc))
		io.WriteString(w, "hello")
		conn.Uncork(r)
		got <- append(states, corked(t, nc))
	}), func(srv *http.Server) {
		srv.ConnContext = func(ctx context.Context, nc net.Conn) context.Context {
			return context.WithValue(ctx, netConnKey{}, nc)
		}
	})
	resp, err := http.Get(ts.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if diff := cmp.Diff([]int{0, 1, 0}, <-got); diff != "" {
		t.Errorf("TCP_CORK before, after Cork, after Uncork (-want +got):\n%s", diff)
	}
	if string(body) != "hello" {
		t.Errorf("body %q", body)
	}

	if conn.Cork(httptest.NewRequest("GET", "/", nil)) {
		t.Error("Cork reported true for a request without a connection")
	}
	conn.Uncork(httptest.NewRequest("GET", "/", nil)) // must not panic
}
