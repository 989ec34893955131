package conn_test

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/webstatic/webstatic/staticfs/conn"
)

// TestMisuseServesNothing: each way of wiring a Listener that would serve
// outside the policy makes Serve return an error that says what to do,
// before the request a client already sent is served, and closes the
// listener.
func TestMisuseServesNothing(t *testing.T) {
	other := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})
	// changeInServe changes srv where it is safe to, on Serve's goroutine
	// after configuration and before the first Accept: in BaseContext.
	changeInServe := func(change func(*http.Server)) func(*http.Server, net.Listener) error {
		return func(srv *http.Server, ln net.Listener) error {
			srv.BaseContext = func(net.Listener) context.Context {
				change(srv)
				return context.Background()
			}
			return conn.Policy{Mode: conn.Short, IdleTimeout: time.Minute}.Serve(srv, ln)
		}
	}
	tests := []struct {
		name    string
		serve   func(*http.Server, net.Listener) error
		wantIs  error  // nil: only the message is checked
		wantMsg string // a part of the error's message
	}{
		{
			name:    "srv.Serve(l) on an unconfigured server",
			serve:   func(srv *http.Server, ln net.Listener) error { return srv.Serve(conn.NewListener(ln, conn.Policy{})) },
			wantIs:  conn.ErrNotConfigured,
			wantMsg: "call l.Serve(srv)",
		},
		{
			name:    "Handler replaced",
			serve:   changeInServe(func(srv *http.Server) { srv.Handler = other }),
			wantIs:  conn.ErrServerChanged,
			wantMsg: "srv.Handler was replaced",
		},
		{
			name:    "Handler set to nil",
			serve:   changeInServe(func(srv *http.Server) { srv.Handler = nil }),
			wantIs:  conn.ErrServerChanged,
			wantMsg: "srv.Handler was replaced",
		},
		{
			name:    "ConnState replaced",
			serve:   changeInServe(func(srv *http.Server) { srv.ConnState = func(net.Conn, http.ConnState) {} }),
			wantIs:  conn.ErrServerChanged,
			wantMsg: "srv.ConnState was replaced",
		},
		{
			name:    "ConnState removed",
			serve:   changeInServe(func(srv *http.Server) { srv.ConnState = nil }),
			wantIs:  conn.ErrServerChanged,
			wantMsg: "srv.ConnState was replaced",
		},
		{
			name: "ConnContext replaced",
			serve: changeInServe(func(srv *http.Server) {
				srv.ConnContext = func(ctx context.Context, _ net.Conn) context.Context { return ctx }
			}),
			wantIs:  conn.ErrServerChanged,
			wantMsg: "srv.ConnContext was replaced",
		},
		{
			name:    "IdleTimeout changed",
			serve:   changeInServe(func(srv *http.Server) { srv.IdleTimeout = time.Hour }),
			wantIs:  conn.ErrServerChanged,
			wantMsg: "srv.IdleTimeout was replaced",
		},
		{
			name:    "unknown Mode",
			serve:   conn.Policy{Mode: 7}.Serve,
			wantMsg: "Policy.Mode is Mode(7): use conn.KeepAlive or conn.Short",
		},
		{
			name:    "negative MaxRequests",
			serve:   conn.Policy{MaxRequests: -1}.Serve,
			wantMsg: "Policy.MaxRequests is -1: use 0 for no cap",
		},
		{
			name:    "negative MaxConns",
			serve:   conn.Policy{MaxConns: -2}.Serve,
			wantMsg: "Policy.MaxConns is -2: use 0 for no cap",
		},
		{
			name:    "negative IdleTimeout",
			serve:   conn.Policy{IdleTimeout: -time.Second}.Serve,
			wantMsg: "Policy.IdleTimeout is -1s",
		},
		{
			name: "invalid policy over TLS",
			serve: func(srv *http.Server, ln net.Listener) error {
				return conn.Policy{Mode: -1}.ServeTLS(srv, ln, "", "")
			},
			wantMsg: "Policy.Mode is Mode(-1)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer ln.Close()
			rc := dial(t, ln.Addr().String()) // waits in the accept queue
			rc.send(t, get11)
			var served atomic.Int32
			srv := &http.Server{
				Handler:           http.HandlerFunc(func(http.ResponseWriter, *http.Request) { served.Add(1) }),
				ReadHeaderTimeout: 5 * time.Second,
				ErrorLog:          log.New(io.Discard, "", 0),
			}
			err = tt.serve(srv, ln)
			if err == nil || (tt.wantIs != nil && !errors.Is(err, tt.wantIs)) || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Fatalf("Serve = %v; want an error (%v) containing %q", err, tt.wantIs, tt.wantMsg)
			}
			if n := served.Load(); n != 0 {
				t.Errorf("%d requests served", n)
			}
			// The listener is closed, so the waiting client is dropped
			// without a response.
			if closed, err := rc.closedWithin(5 * time.Second); !closed || err != nil {
				t.Errorf("waiting client: closed = %v, %v; want closed without a response", closed, err)
			}
		})
	}
}

// TestServeTwice: a second Serve on a Listener, or a Listener's Serve on a
// server another Listener serves, returns ErrConfiguredTwice and leaves
// the first serving.
func TestServeTwice(t *testing.T) {
	ts := startServer(t, conn.Policy{Mode: conn.Short}, fixedHandler(), nil)
	check := func() {
		t.Helper()
		rc := dial(t, ts.Addr)
		rc.send(t, get11)
		if r, err := rc.read(5 * time.Second); err != nil || r.Status != 200 || !r.Close {
			t.Fatalf("response %+v, %v; want 200 with Connection: close", r, err)
		}
	}
	check() // the first Serve has configured ts.Srv

	if err := ts.L.Serve(&http.Server{}); !errors.Is(err, conn.ErrConfiguredTwice) || !strings.Contains(err.Error(), "make a new one with NewListener") {
		t.Errorf("second Listener.Serve = %v, want ErrConfiguredTwice", err)
	}
	check()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	err = conn.Policy{}.Serve(ts.Srv, ln)
	if !errors.Is(err, conn.ErrConfiguredTwice) || !strings.Contains(err.Error(), "give each Listener its own http.Server") {
		t.Errorf("Serve of a server another Listener serves = %v, want ErrConfiguredTwice", err)
	}
	if _, err := ln.Accept(); !errors.Is(err, net.ErrClosed) {
		t.Errorf("the refused listener's Accept = %v, want net.ErrClosed: Serve closes it", err)
	}
	check()
}
