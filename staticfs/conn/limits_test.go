package conn_test

import (
	"bufio"
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/webstatic/webstatic/staticfs/conn"
)

func TestIdleTimeout(t *testing.T) {
	const idle = 200 * time.Millisecond
	ts := startServer(t, conn.Policy{IdleTimeout: idle}, fixedHandler(), nil)
	rc := dial(t, ts.Addr)
	rc.send(t, get11)
	if _, err := rc.read(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	closed, err := rc.closedWithin(5 * time.Second)
	if err != nil || !closed {
		t.Fatalf("idle connection closed = %v, %v; want closed", closed, err)
	}
	if d := time.Since(start); d < idle/2 {
		t.Errorf("closed after %v, before the idle timeout %v", d, idle)
	}
	want := conn.Stats{Accepted: 1, Requests: 1, RequestsPerConn: conn.RequestsHistogram{Buckets: [10]uint64{1: 1}, Sum: 1}}
	if diff := cmp.Diff(want, waitStats(t, ts.L, noneOpen)); diff != "" {
		t.Errorf("Stats (-want +got):\n%s", diff)
	}
	ts.stop(t) // Serve has returned: its changes to the server are visible
	if ts.Srv.IdleTimeout != idle {
		t.Errorf("Server.IdleTimeout = %v, want %v", ts.Srv.IdleTimeout, idle)
	}
}

func TestIdleTimeoutZeroKeepsServerValue(t *testing.T) {
	ts := startServer(t, conn.Policy{}, fixedHandler(), func(s *http.Server) { s.IdleTimeout = time.Minute })
	ts.stop(t)
	if ts.Srv.IdleTimeout != time.Minute {
		t.Errorf("Server.IdleTimeout = %v, want the server's own 1m", ts.Srv.IdleTimeout)
	}
}

// TestConnectionCap: with MaxConns 1 and WaitWhenFull a second client is
// accepted only when the first connection closes, and its slot is then
// reused.
func TestConnectionCap(t *testing.T) {
	ts := startServer(t, conn.Policy{MaxConns: 1, WaitWhenFull: true}, fixedHandler(), nil)
	a := dial(t, ts.Addr)
	a.send(t, get11)
	if _, err := a.read(5 * time.Second); err != nil {
		t.Fatal(err)
	}

	b := dial(t, ts.Addr) // completes in the kernel's accept queue
	b.send(t, get11)
	if _, err := b.read(300 * time.Millisecond); err == nil {
		t.Fatal("second connection served while the first holds the only slot")
	}
	if got := ts.L.Stats(); got.Accepted != 1 || got.Open != 1 {
		t.Fatalf("Stats = %+v, want 1 accepted, 1 open", got)
	}

	a.c.Close()
	r, err := b.read(5 * time.Second)
	if err != nil {
		t.Fatalf("second connection after the first closed: %v", err)
	}
	if r.Conn != "2/1" {
		t.Errorf("X-Conn = %q, want 2/1", r.Conn)
	}
	b.c.Close()
	want := conn.Stats{Accepted: 2, Requests: 2, RequestsPerConn: conn.RequestsHistogram{Buckets: [10]uint64{1: 2}, Sum: 2}}
	if diff := cmp.Diff(want, waitStats(t, ts.L, noneOpen)); diff != "" {
		t.Errorf("Stats (-want +got):\n%s", diff)
	}
}

// TestShutdown: Shutdown closes idle kept-alive connections, wakes an
// Accept that waits for a slot, and returns promptly.
func TestShutdown(t *testing.T) {
	ts := startServer(t, conn.Policy{MaxConns: 1}, fixedHandler(), nil)
	rc := dial(t, ts.Addr)
	rc.send(t, get11)
	if _, err := rc.read(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	// The only slot is held by an idle connection, so Serve waits in Accept.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	start := time.Now()
	if err := ts.Srv.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Shutdown took %v", d)
	}
	select {
	case err := <-ts.done:
		if !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("Serve = %v, want ErrServerClosed", err)
		}
		ts.done <- err // for the cleanup's stop
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return")
	}
	if closed, err := rc.closedWithin(2 * time.Second); err != nil || !closed {
		t.Errorf("idle connection closed = %v, %v; want closed", closed, err)
	}
	if s := waitStats(t, ts.L, noneOpen); s.Open != 0 {
		t.Errorf("Stats.Open = %d after Shutdown", s.Open)
	}
}

// TestListenerCloseReleasesWaiters checks the Listener without a server:
// an Accept waiting for a slot returns an error once Close is called.
func TestListenerCloseReleasesWaiters(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := conn.AcceptByHand(conn.NewListener(ln, conn.Policy{MaxConns: 1}))
	c1, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c1.Close()
	s1, err := l.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer s1.Close()

	errc := make(chan error, 1)
	go func() {
		c, err := l.Accept()
		if c != nil {
			c.Close()
		}
		errc <- err
	}()
	select {
	case err := <-errc:
		t.Fatalf("Accept returned %v while the cap was reached", err)
	case <-time.After(100 * time.Millisecond):
	}
	l.Close()
	select {
	case err := <-errc:
		if !errors.Is(err, net.ErrClosed) {
			t.Errorf("Accept after Close = %v, want net.ErrClosed", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Accept still waiting after Close")
	}

	// Closing a conn twice releases its slot once.
	s1.Close()
	if err := s1.Close(); err == nil {
		t.Error("second Close returned nil, want the inner conn's error")
	}
	if got := l.Stats(); got.Open != 0 || got.Accepted != 1 {
		t.Errorf("Stats = %+v, want 1 accepted, 0 open", got)
	}
}

// TestConnectionCapUnderLoad: many concurrent short-lived clients against
// a small cap are all served, and the cap is never exceeded.
func TestConnectionCapUnderLoad(t *testing.T) {
	const maxConns, clients = 3, 40
	// The cap holds for connections accepted and not yet closed, which
	// is what Stats().Open counts. (Counting with ConnState would not do:
	// net/http reports StateClosed after closing, so the next connection's
	// StateNew may come first.) Each handler samples it while its
	// connection is surely open.
	var (
		mu      sync.Mutex
		maxOpen uint64
		server  atomic.Pointer[testServer]
	)
	fixed := fixedHandler()
	sample := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ts := server.Load(); ts != nil {
			mu.Lock()
			maxOpen = max(maxOpen, ts.L.Stats().Open)
			mu.Unlock()
		}
		fixed.ServeHTTP(w, r)
	})
	ts := startServer(t, conn.Policy{Mode: conn.Short, MaxConns: maxConns}, sample, nil)
	server.Store(ts)
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := net.DialTimeout("tcp", ts.Addr, 5*time.Second)
			if err != nil {
				errs <- err
				return
			}
			defer c.Close()
			rc := &rawClient{c: c.(*net.TCPConn), br: bufio.NewReader(c)}
			if _, err := c.Write([]byte(get11)); err != nil {
				errs <- err
				return
			}
			if _, err := rc.read(10 * time.Second); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	s := waitStats(t, ts.L, noneOpen)
	want := conn.Stats{Accepted: clients, Requests: clients, ClosedByPolicy: clients, RequestsPerConn: conn.RequestsHistogram{Buckets: [10]uint64{1: clients}, Sum: clients}}
	if diff := cmp.Diff(want, s); diff != "" {
		t.Errorf("Stats (-want +got):\n%s", diff)
	}
	mu.Lock()
	defer mu.Unlock()
	if maxOpen > maxConns || maxOpen == 0 {
		t.Errorf("%d connections served at once, cap %d", maxOpen, maxConns)
	}
}
