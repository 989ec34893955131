package conn_test

import (
	"context"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/webstatic/webstatic/staticfs/conn"
)

func TestModeSet(t *testing.T) {
	tests := []struct {
		in      string
		want    conn.Mode
		wantErr bool
	}{
		{"keepalive", conn.KeepAlive, false},
		{"short", conn.Short, false},
		{"Short", conn.KeepAlive, true},
		{"", conn.KeepAlive, true},
	}
	for _, tt := range tests {
		var m conn.Mode
		err := m.Set(tt.in)
		if m != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("Set(%q) = %v, %v; want %v, error %v", tt.in, m, err, tt.want, tt.wantErr)
		}
	}
	if got := conn.Mode(7).String(); got != "Mode(7)" {
		t.Errorf("Mode(7).String() = %q", got)
	}
}

// TestOtherListenerPassesThrough: a configured server that also serves a
// listener the policy did not wrap leaves those requests alone.
func TestOtherListenerPassesThrough(t *testing.T) {
	ts := startServer(t, conn.Policy{Mode: conn.Short}, fixedHandler(), nil)
	plain, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { ts.Srv.Serve(plain); close(done) }()
	defer func() { ts.stop(t); <-done }()

	rc := dial(t, plain.Addr().String())
	for range 2 {
		rc.send(t, get11)
		r, err := rc.read(5 * time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(r11("", false, ""), r); diff != "" {
			t.Fatalf("response on the plain listener (-want +got):\n%s", diff)
		}
	}
	if s := ts.L.Stats(); s.Requests != 0 {
		t.Errorf("Stats.Requests = %d, want 0", s.Requests)
	}
}

// TestServeKeepsServerHooks: the server's own ConnContext and ConnState
// still run.
func TestServeKeepsServerHooks(t *testing.T) {
	type key struct{}
	var states atomic.Int32
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := conn.NewListener(ln, conn.Policy{})
	inner := fixedHandler()
	srv := &http.Server{
		ReadHeaderTimeout: 5 * time.Second,
		ConnContext: func(ctx context.Context, c net.Conn) context.Context {
			return context.WithValue(ctx, key{}, "mine")
		},
		ConnState: func(net.Conn, http.ConnState) { states.Add(1) },
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Context().Value(key{}) != "mine" {
				w.WriteHeader(http.StatusTeapot)
				return
			}
			inner.ServeHTTP(w, r)
		}),
	}
	done := make(chan struct{})
	go func() { l.Serve(srv); close(done) }()
	defer func() { srv.Close(); <-done }()

	rc := dial(t, ln.Addr().String())
	rc.send(t, get11)
	r, err := rc.read(5 * time.Second)
	if err != nil || r.Status != 200 || r.Conn != "1/1" {
		t.Fatalf("response %+v, %v; want 200 with X-Conn 1/1", r, err)
	}
	if states.Load() == 0 {
		t.Error("the server's own ConnState never ran")
	}
}
