package conn_test

import (
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/webstatic/webstatic/staticfs/conn"
)

// TestHalfOpenClient: a client that sends a request and shuts down its
// writing side still gets its whole response, then the server closes.
func TestHalfOpenClient(t *testing.T) {
	for _, mode := range []conn.Mode{conn.KeepAlive, conn.Short} {
		t.Run(mode.String(), func(t *testing.T) {
			ts := startServer(t, conn.Policy{Mode: mode}, fixedHandler(), nil)
			rc := dial(t, ts.Addr)
			rc.send(t, get11+get11)
			if err := rc.c.CloseWrite(); err != nil {
				t.Fatal(err)
			}
			r, err := rc.read(5 * time.Second)
			if err != nil {
				t.Fatal(err)
			}
			if r.Status != 200 || r.BodyLen != len(body) {
				t.Errorf("response = %+v, want 200 with the whole body", r)
			}
			if mode == conn.KeepAlive { // the pipelined second request is answered too
				if _, err := rc.read(5 * time.Second); err != nil {
					t.Fatalf("second response: %v", err)
				}
			}
			if closed, err := rc.closedWithin(5 * time.Second); err != nil || !closed {
				t.Errorf("closed = %v, %v; want closed after the client's EOF", closed, err)
			}
			if s := waitStats(t, ts.L, noneOpen); s.Open != 0 {
				t.Errorf("Stats.Open = %d", s.Open)
			}
		})
	}
}

// TestStalledHeader: a client that sends half a request header and stalls
// is dropped after ReadHeaderTimeout, and is no obstacle to other clients
// meanwhile, even with a connection cap of 2.
func TestStalledHeader(t *testing.T) {
	const timeout = 300 * time.Millisecond
	ts := startServer(t, conn.Policy{MaxConns: 2}, fixedHandler(), func(s *http.Server) { s.ReadHeaderTimeout = timeout })
	stalled := dial(t, ts.Addr)
	stalled.send(t, "GET /a HTTP/1.1\r\nHost: x\r\nX-Half: ")
	start := time.Now()

	other := dial(t, ts.Addr)
	other.send(t, get11)
	if r, err := other.read(5 * time.Second); err != nil || r.Status != 200 {
		t.Fatalf("other client while one stalls: %+v, %v", r, err)
	}
	if d := time.Since(start); d >= timeout {
		t.Errorf("other client waited %v, the stalled one's whole timeout", d)
	}

	closed, err := stalled.closedWithin(5 * time.Second)
	if err != nil || !closed {
		t.Fatalf("stalled client closed = %v, %v; want closed", closed, err)
	}
	if d := time.Since(start); d < timeout/2 {
		t.Errorf("stalled client dropped after %v, before ReadHeaderTimeout %v", d, timeout)
	}
	other.c.Close()
	want := conn.Stats{Accepted: 2, Requests: 1, RequestsPerConn: conn.RequestsHistogram{Buckets: [10]uint64{0: 1, 1: 1}, Sum: 1}}
	if diff := cmp.Diff(want, waitStats(t, ts.L, noneOpen)); diff != "" {
		t.Errorf("Stats (-want +got):\n%s", diff)
	}
}

// TestClientGoneMidResponse: a client that resets the connection while a
// large response is being written ends that handler's writes with an
// error; its slot is released and the next client is served.
func TestClientGoneMidResponse(t *testing.T) {
	writeErr := make(chan error, 1)
	chunk := make([]byte, 32<<10)
	big := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/big" {
			fixedHandler().ServeHTTP(w, r)
			return
		}
		for range 1024 { // 32 MiB at most, far more than socket buffers hold
			if _, err := w.Write(chunk); err != nil {
				writeErr <- err
				return
			}
		}
		writeErr <- nil
	})
	ts := startServer(t, conn.Policy{MaxConns: 1}, big, nil)

	rc := dial(t, ts.Addr)
	rc.send(t, "GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
	rc.c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.ReadFull(rc.br, make([]byte, 64<<10)); err != nil {
		t.Fatal(err)
	}
	rc.c.SetLinger(0) // close with RST
	rc.c.Close()

	select {
	case err := <-writeErr:
		if err == nil {
			t.Fatal("handler wrote 32 MiB to a reset connection without an error")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("handler still writing 5 s after the client left")
	}
	next := dial(t, ts.Addr) // needs the only slot back
	next.send(t, get11)
	if r, err := next.read(5 * time.Second); err != nil || r.Conn != "2/1" {
		t.Fatalf("next client: %+v, %v", r, err)
	}
	next.c.Close()
	if s := waitStats(t, ts.L, noneOpen); s.Open != 0 {
		t.Errorf("Stats.Open = %d", s.Open)
	}
}

// TestFloodBeyondCap: with WaitWhenFull, more idle connections than the
// cap hold every slot until the server's timeouts drop them; a real
// client queued behind them is then served, and nothing stays open.
// (Without WaitWhenFull they are shed sooner: see shed_test.go.)
func TestFloodBeyondCap(t *testing.T) {
	const maxConns, flood = 2, 10
	ts := startServer(t, conn.Policy{MaxConns: maxConns, WaitWhenFull: true, IdleTimeout: 200 * time.Millisecond}, fixedHandler(),
		func(s *http.Server) { s.ReadHeaderTimeout = 200 * time.Millisecond })
	for range flood {
		dial(t, ts.Addr) // connects, sends nothing, stays open until cleanup
	}
	rc := dial(t, ts.Addr)
	rc.send(t, get11)
	r, err := rc.read(10 * time.Second)
	if err != nil || r.Status != 200 {
		t.Fatalf("client behind a flood: %+v, %v", r, err)
	}
	rc.c.Close()
	s := waitStats(t, ts.L, func(s conn.Stats) bool { return s.Open == 0 && s.Accepted == flood+1 })
	if want := (conn.Stats{Accepted: flood + 1, Requests: 1, RequestsPerConn: conn.RequestsHistogram{Buckets: [10]uint64{0: flood, 1: 1}, Sum: 1}}); s != want {
		t.Errorf("Stats = %+v, want %+v", s, want)
	}
}
