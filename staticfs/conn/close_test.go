package conn_test

import (
	"errors"
	"net"
	"runtime"
	"testing"

	"github.com/webstatic/webstatic/staticfs/conn"
)

// TestCloseRacesAccept closes a Listener while an Accept runs, many times,
// with a client waiting in the accept queue, and checks that Accept never
// returns a connection the policy does not wrap. With MaxConns reached,
// the Accept waits for a slot and Close wakes it while the inner listener
// may still be open.
func TestCloseRacesAccept(t *testing.T) {
	const rounds = 200
	for _, maxConns := range []int{0, 1} {
		for i := range rounds {
			closeRacesAccept(t, conn.Policy{MaxConns: maxConns}, i%3)
			if t.Failed() {
				t.Fatalf("MaxConns %d, round %d", maxConns, i)
			}
		}
	}
}

// closeRacesAccept runs one round; yields is how often Close lets the
// Accept goroutine run first.
func closeRacesAccept(t *testing.T, p conn.Policy, yields int) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := conn.AcceptByHand(conn.NewListener(ln, p))
	defer l.Close()
	if p.MaxConns > 0 { // take the one slot
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		s, err := l.Accept()
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
	}
	waiting, err := net.Dial("tcp", ln.Addr().String()) // in the accept queue
	if err != nil {
		t.Fatal(err)
	}
	defer waiting.Close()

	type result struct {
		c   net.Conn
		err error
	}
	done := make(chan result, 1)
	go func() {
		c, err := l.Accept()
		done <- result{c, err}
	}()
	for range yields {
		runtime.Gosched()
	}
	l.Close()
	r := <-done
	switch {
	case r.err == nil && r.c == nil:
		t.Error("Accept returned neither a connection nor an error")
	case r.err == nil:
		if _, ok := r.c.(*conn.Conn); !ok {
			t.Errorf("Accept returned a %T: the connection bypasses the policy", r.c)
		}
		r.c.Close()
	case r.c != nil:
		t.Errorf("Accept returned a %T and the error %v", r.c, r.err)
		r.c.Close()
	case !errors.Is(r.err, net.ErrClosed):
		t.Errorf("Accept after Close = %v, want net.ErrClosed", r.err)
	}
}
