package conn_test

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/webstatic/webstatic/staticfs/conn"
)

// fakeClock is a settable clock for a Listener's shedding and pressure.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Now()} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// handListener is a Listener accepted by hand on 127.0.0.1:0, with a
// fake clock, closed at cleanup.
type handListener struct {
	L     *conn.Listener
	Clock *fakeClock
	T0    time.Time // the clock's start
	addr  string
}

func newHandListener(t *testing.T, p conn.Policy, wrap func(net.Listener) net.Listener) *handListener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	if wrap != nil {
		ln = wrap(ln)
	}
	h := &handListener{L: conn.NewListener(ln, p), Clock: newFakeClock(), addr: addr}
	h.T0 = h.Clock.Now()
	conn.SetClock(h.L, h.Clock.Now)
	conn.SetLog(h.L, func(string, ...any) {})
	conn.AcceptByHand(h.L)
	t.Cleanup(func() { h.L.Close() })
	return h
}

// dialFrom connects to addr from the loopback address src (127.0.0.2 is
// another client than 127.0.0.1 on one machine); "" lets the kernel pick.
func dialFrom(t *testing.T, src, addr string) net.Conn {
	t.Helper()
	d := net.Dialer{Timeout: 5 * time.Second}
	if src != "" {
		d.LocalAddr = &net.TCPAddr{IP: net.ParseIP(src)}
	}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// accept calls Accept within 5 s.
func (h *handListener) accept(t *testing.T) net.Conn {
	t.Helper()
	type result struct {
		c   net.Conn
		err error
	}
	done := make(chan result, 1)
	go func() {
		c, err := h.L.Accept()
		done <- result{c, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			t.Fatalf("Accept: %v", r.err)
		}
		t.Cleanup(func() { r.c.Close() })
		return r.c
	case <-time.After(5 * time.Second):
		h.L.Close() // wakes the Accept
		<-done
		t.Fatal("Accept returned nothing within 5 s")
	}
	return nil
}

// closedByServer reports whether the server closed c (EOF or reset)
// within d, draining any bytes it sent first.
func closedByServer(c net.Conn, d time.Duration) bool {
	c.SetReadDeadline(time.Now().Add(d))
	_, err := io.Copy(io.Discard, c)
	return err == nil || errors.Is(err, syscall.ECONNRESET)
}

// enter puts the server side s of a connection into a phase, as the
// bytes its client sends and net/http's ConnState would.
func enter(t *testing.T, client, s net.Conn, phase string) {
	t.Helper()
	switch phase {
	case "new":
	case "idle":
		conn.Observe(s, http.StateActive)
		conn.Observe(s, http.StateIdle)
	case "head":
		io.WriteString(client, "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
		s.SetReadDeadline(time.Now().Add(5 * time.Second))
		if _, err := s.Read(make([]byte, 64)); err != nil {
			t.Fatal(err)
		}
	case "serving":
		conn.Observe(s, http.StateActive)
	case "hijacked":
		conn.Observe(s, http.StateActive)
		conn.Observe(s, http.StateHijacked)
	default:
		t.Fatalf("no phase %q", phase)
	}
}

// TestVictimOrder: which connection shedding picks, from the phases and
// ages of the open ones.
func TestVictimOrder(t *testing.T) {
	type spec struct {
		phase  string
		at     time.Duration // after the clock's start, when the phase began
		client string        // source address; "" for one of its own
	}
	tests := []struct {
		name    string
		shedAge time.Duration
		conns   []spec
		want    int // index into conns, or -1 for none
	}{
		{"idle before an older head", 0, []spec{{"head", 1 * time.Second, ""}, {"idle", 5 * time.Second, ""}}, 1},
		{"idle before an older new", 0, []spec{{"new", 0, ""}, {"idle", 5 * time.Second, ""}}, 1},
		{"oldest idle", 0, []spec{{"idle", 3 * time.Second, ""}, {"idle", 1 * time.Second, ""}, {"idle", 2 * time.Second, ""}}, 1},
		{"oldest head or new", 0, []spec{{"head", 3 * time.Second, ""}, {"new", 2 * time.Second, ""}, {"head", 4 * time.Second, ""}}, 1},
		{"never serving", 0, []spec{{"serving", 0, ""}}, -1},
		{"serving skipped", 0, []spec{{"serving", 0, ""}, {"head", 9 * time.Second, ""}}, 1},
		{"never hijacked", 0, []spec{{"hijacked", 0, ""}}, -1},
		{"head too young for the default age", 0, []spec{{"head", 10*time.Second - 50*time.Millisecond, ""}}, -1},
		{"head old enough for the default age", 0, []spec{{"head", 10*time.Second - 100*time.Millisecond, ""}}, 0},
		{"idle too young for ten default ages", 0, []spec{{"idle", 10*time.Second - 900*time.Millisecond, ""}}, -1},
		{"idle old enough for ten default ages", 0, []spec{{"idle", 9 * time.Second, ""}}, 0},
		{"old head before a young idle", 0, []spec{{"idle", 9500 * time.Millisecond, ""}, {"head", 9 * time.Second, ""}}, 1},
		{"too young for ShedAge", time.Second, []spec{{"idle", 9500 * time.Millisecond, ""}, {"new", 9600 * time.Millisecond, ""}}, -1},
		{"old enough for ShedAge", time.Second, []spec{{"idle", 9500 * time.Millisecond, ""}, {"head", 8 * time.Second, ""}}, 1},
		{"new old enough for ten ShedAges", time.Second, []spec{{"idle", 9500 * time.Millisecond, ""}, {"new", 0, ""}}, 1},
		{"new too young for ten default ages", 0, []spec{{"new", 10*time.Second - 900*time.Millisecond, ""}}, -1},
		{"new old enough for ten default ages", 0, []spec{{"new", 9 * time.Second, ""}}, 0},
		{"old head before an older young new", 0, []spec{{"new", 9500 * time.Millisecond, ""}, {"head", 9800 * time.Millisecond, ""}}, 1},
		{"heaviest client first", 0, []spec{
			{"head", 1 * time.Second, ""}, {"head", 5 * time.Second, "127.0.0.2"}, {"head", 6 * time.Second, "127.0.0.2"}}, 1},
		{"a lone client not shed for a heavy one", 0, []spec{
			{"head", 1 * time.Second, ""}, {"head", 9950 * time.Millisecond, "127.0.0.2"}, {"head", 9950 * time.Millisecond, "127.0.0.2"},
			{"head", 9950 * time.Millisecond, "127.0.0.2"}}, -1},
		{"idle before the heaviest client's head", 0, []spec{
			{"idle", 5 * time.Second, ""}, {"head", 1 * time.Second, "127.0.0.2"}, {"head", 1 * time.Second, "127.0.0.2"}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHandListener(t, conn.Policy{ShedAge: tt.shedAge}, nil)
			ids := make([]uint64, len(tt.conns))
			for i, sp := range tt.conns {
				h.Clock.Set(h.T0.Add(sp.at))
				src := sp.client
				if src == "" {
					src = fmt.Sprintf("127.0.1.%d", i+1)
				}
				client := dialFrom(t, src, h.addr)
				s := h.accept(t)
				ids[i] = s.(*conn.Conn).ID()
				enter(t, client, s, sp.phase)
			}
			h.Clock.Set(h.T0.Add(10 * time.Second))
			got := conn.Victim(h.L)
			want := uint64(0)
			if tt.want >= 0 {
				want = ids[tt.want]
			}
			if got != want {
				t.Errorf("victim = conn %d, want conn %d (IDs %v)", got, want, ids)
			}
		})
	}
}

// TestShedAtCap: at MaxConns, Accept closes the idle connection to take
// the new one, never the one being served, and waits while the only
// candidates are too young.
func TestShedAtCap(t *testing.T) {
	h := newHandListener(t, conn.Policy{MaxConns: 2}, nil)
	ca := dialFrom(t, "", h.addr)
	a := h.accept(t)
	enter(t, ca, a, "serving")
	cb := dialFrom(t, "", h.addr)
	b := h.accept(t)
	enter(t, cb, b, "idle")

	h.Clock.Set(h.T0.Add(time.Second))
	dialFrom(t, "", h.addr)
	c := h.accept(t)
	if !closedByServer(cb, 5*time.Second) {
		t.Error("idle connection not closed to make room")
	}
	if got := conn.Victim(h.L); got != 0 {
		t.Errorf("victim = conn %d with a serving and a new connection", got)
	}

	// Only a (serving) and c (new, 0 s old) are open: the next waits.
	dialFrom(t, "", h.addr)
	done := make(chan net.Conn, 1)
	go func() {
		d, _ := h.L.Accept()
		done <- d
	}()
	select {
	case d := <-done:
		t.Fatalf("Accept returned %v with nothing old enough to shed", d)
	case <-time.After(100 * time.Millisecond):
	}
	h.Clock.Set(h.T0.Add(2 * time.Second)) // c is now 1 s old
	select {
	case d := <-done:
		if d == nil {
			t.Fatal("Accept failed")
		}
		d.Close()
	case <-time.After(5 * time.Second):
		t.Fatal("Accept still waiting once the new connection was old enough to shed")
	}
	if _, err := c.Read(make([]byte, 1)); err == nil {
		t.Error("the new connection was not the one shed")
	}
	if closedByServer(ca, 50*time.Millisecond) {
		t.Error("the connection being served was shed")
	}
	want := conn.Stats{Accepted: 4, Open: 1, Shed: 2, RequestsPerConn: conn.RequestsHistogram{Buckets: [10]uint64{0: 3}}}
	if diff := cmp.Diff(want, h.L.Stats()); diff != "" {
		t.Errorf("Stats (-want +got):\n%s", diff)
	}
}

// TestMaxConnsPerClient: a client's connection beyond the cap is closed
// at once and another client is served meanwhile; once the client closes
// one, it may open another.
func TestMaxConnsPerClient(t *testing.T) {
	h := newHandListener(t, conn.Policy{MaxConnsPerClient: 2}, nil)
	var flood []net.Conn
	for range 3 {
		flood = append(flood, dialFrom(t, "127.0.0.2", h.addr))
	}
	dialFrom(t, "127.0.0.3", h.addr)
	var got []string
	var first net.Conn
	for range 3 {
		s := h.accept(t)
		if first == nil {
			first = s
		}
		host, _, _ := net.SplitHostPort(s.RemoteAddr().String())
		got = append(got, host)
	}
	if diff := cmp.Diff([]string{"127.0.0.2", "127.0.0.2", "127.0.0.3"}, got); diff != "" {
		t.Errorf("accepted clients (-want +got):\n%s", diff)
	}
	if !closedByServer(flood[2], 5*time.Second) {
		t.Error("third connection of 127.0.0.2 not closed")
	}
	first.Close()
	dialFrom(t, "127.0.0.2", h.addr)
	if s := h.accept(t); !strings.HasPrefix(s.RemoteAddr().String(), "127.0.0.2:") {
		t.Errorf("accepted %v, want 127.0.0.2 again", s.RemoteAddr())
	}
	want := conn.Stats{Accepted: 4, Open: 3, RejectedPerClient: 1, RequestsPerConn: conn.RequestsHistogram{Buckets: [10]uint64{0: 1}}}
	if diff := cmp.Diff(want, h.L.Stats()); diff != "" {
		t.Errorf("Stats (-want +got):\n%s", diff)
	}
}

func TestClientKey(t *testing.T) {
	tests := []struct {
		addr net.Addr
		want string // "" for no key
	}{
		{&net.TCPAddr{IP: net.ParseIP("192.0.2.7"), Port: 80}, "192.0.2.7"},
		{&net.TCPAddr{IP: net.ParseIP("::ffff:192.0.2.7"), Port: 80}, "192.0.2.7"},
		{&net.TCPAddr{IP: net.ParseIP("2001:db8:1:2:3:4:5:6"), Port: 80}, "2001:db8:1:2::"},
		{&net.TCPAddr{IP: net.ParseIP("2001:db8:1:2:ffff::1"), Port: 80}, "2001:db8:1:2::"},
		{&net.TCPAddr{IP: net.ParseIP("fe80::1"), Port: 80, Zone: "eth0"}, "fe80::"},
		{&net.UDPAddr{IP: net.ParseIP("192.0.2.8"), Port: 53}, "192.0.2.8"},
		{&net.UnixAddr{Name: "/run/x.sock", Net: "unix"}, ""},
		{nil, ""},
	}
	for _, tt := range tests {
		key, ok := conn.ClientKey(tt.addr)
		got := ""
		if ok {
			got = key.String()
		}
		if got != tt.want {
			t.Errorf("ClientKey(%v) = %q, want %q", tt.addr, got, tt.want)
		}
	}
}

// emfileListener fails Accept with EMFILE, as accept4 does when the
// process has no descriptor left, while fail is above zero.
type emfileListener struct {
	net.Listener
	mu   sync.Mutex
	fail int
}

func (l *emfileListener) failNext(n int) {
	l.mu.Lock()
	l.fail = n
	l.mu.Unlock()
}

func (l *emfileListener) Accept() (net.Conn, error) {
	l.mu.Lock()
	fail := l.fail > 0
	if fail {
		l.fail--
	}
	l.mu.Unlock()
	if fail {
		return nil, &net.OpError{Op: "accept", Net: "tcp", Err: os.NewSyscallError("accept4", syscall.EMFILE)}
	}
	return l.Listener.Accept()
}

// TestDescriptorExhaustion: when accepting fails with EMFILE, the
// Listener takes the pending connection into its spare descriptor and
// keeps it when it can shed an idle connection or a descriptor comes
// free, refuses it otherwise, and logs at most once per 10 s.
func TestDescriptorExhaustion(t *testing.T) {
	var el *emfileListener
	h := newHandListener(t, conn.Policy{}, func(ln net.Listener) net.Listener {
		el = &emfileListener{Listener: ln}
		return el
	})
	var logMu sync.Mutex
	var logged []string
	conn.SetLog(h.L, func(format string, a ...any) {
		logMu.Lock()
		logged = append(logged, format)
		logMu.Unlock()
	})

	// While full, the spare descriptor cannot be taken again until
	// something is closed.
	var full atomic.Bool
	conn.SetOpenFile(h.L, func(name string) (*os.File, error) {
		if full.Load() {
			return nil, &os.PathError{Op: "open", Path: name, Err: syscall.EMFILE}
		}
		return os.Open(name)
	})

	cIdle := dialFrom(t, "", h.addr)
	enter(t, cIdle, h.accept(t), "idle")
	h.Clock.Set(h.T0.Add(time.Second))

	// An idle connection to shed: the pending one is kept.
	full.Store(true)
	el.failNext(1)
	dialFrom(t, "", h.addr)
	h.accept(t)
	if !closedByServer(cIdle, 5*time.Second) {
		t.Error("idle connection not shed when descriptors ran out")
	}
	if got := h.L.Stats().Shed; got != 1 {
		t.Errorf("Shed = %d, want 1", got)
	}

	// A descriptor comes free (as dead connections close after a
	// flood): the pending one is kept and nothing is shed.
	full.Store(false)
	el.failNext(1)
	dialFrom(t, "", h.addr)
	h.accept(t)
	if got := h.L.Stats().Shed; got != 1 {
		t.Errorf("Shed = %d with a descriptor free, want still 1", got)
	}

	// Only connections younger than ShedAge, and no descriptor comes
	// free within it: the pending one is refused at once and the next
	// connection is taken once descriptors are back.
	full.Store(true)
	el.failNext(1)
	refused := dialFrom(t, "", h.addr)
	go func() {
		// The Accept below refuses the first and waits for this one.
		time.Sleep(200 * time.Millisecond)
		full.Store(false)
		dialFrom(t, "", h.addr)
	}()
	h.accept(t)
	if !closedByServer(refused, 5*time.Second) {
		t.Error("connection not refused with no descriptor and nothing to shed")
	}

	want := conn.Stats{Accepted: 4, Open: 3, Shed: 1, Refused: 1, Exhausted: 3, RequestsPerConn: conn.RequestsHistogram{Buckets: [10]uint64{0: 1}}}
	if diff := cmp.Diff(want, h.L.Stats()); diff != "" {
		t.Errorf("Stats (-want +got):\n%s", diff)
	}
	if conn.UnderPressure(h.L) {
		// No PressureHeaderTimeout: pressure is never on.
		t.Error("under pressure without a PressureHeaderTimeout")
	}
	logMu.Lock()
	defer logMu.Unlock()
	if len(logged) != 1 {
		t.Errorf("%d log lines for three exhaustions within 10 s, want 1: %q", len(logged), logged)
	}
}

// TestExhaustionLogRate: however often accepting runs out of
// descriptors, one line per 10 s is logged.
func TestExhaustionLogRate(t *testing.T) {
	var el *emfileListener
	h := newHandListener(t, conn.Policy{}, func(ln net.Listener) net.Listener {
		el = &emfileListener{Listener: ln}
		return el
	})
	var lines []string
	conn.SetLog(h.L, func(format string, a ...any) { lines = append(lines, format) })
	dialFrom(t, "", h.addr)
	h.accept(t) // to be shed at the first failure, as each new one is at the next
	for i := 1; i <= 30; i++ {
		h.Clock.Set(h.T0.Add(time.Duration(i) * time.Second)) // 30 s, a failure each second
		el.failNext(1)
		dialFrom(t, "", h.addr)
		h.accept(t)
	}
	if got, want := len(lines), 3; got != want {
		t.Errorf("%d log lines for 30 exhaustions over 30 s, want %d", got, want)
	}
	if len(lines) > 0 && !strings.Contains(lines[0], "ulimit -n") {
		t.Errorf("log line %q does not say what to do", lines[0])
	}
}

// deadlineConn records the read deadlines set on it.
type deadlineConn struct {
	net.Conn
	mu    sync.Mutex
	reads []time.Time
}

func (c *deadlineConn) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	c.reads = append(c.reads, t)
	c.mu.Unlock()
	return c.Conn.SetReadDeadline(t)
}

func (c *deadlineConn) last() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.reads) == 0 {
		return time.Time{}
	}
	return c.reads[len(c.reads)-1]
}

// pipeListener hands out one end of a net.Pipe per Accept, wrapped in a
// deadlineConn; dial returns both ends.
type pipeListener struct {
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

func newPipeListener() *pipeListener {
	return &pipeListener{conns: make(chan net.Conn, 16), done: make(chan struct{})}
}

func (l *pipeListener) dial() (client net.Conn, server *deadlineConn) {
	c, s := net.Pipe()
	server = &deadlineConn{Conn: s}
	l.conns <- server
	return c, server
}

func (l *pipeListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *pipeListener) Close() error   { l.once.Do(func() { close(l.done) }); return nil }
func (l *pipeListener) Addr() net.Addr { return pipeAddr{} }

type pipeAddr struct{}

func (pipeAddr) Network() string { return "pipe" }
func (pipeAddr) String() string  { return "pipe" }

// TestPressureHeaderTimeout: from PressureLevel open connections, a
// connection waiting for its first request or reading a head gets the
// pressure timeout from when it started, an idle one or one being served
// keeps what net/http asks for, the head's deadline is given back once
// it is read, and the pressure ends below 7/8 of the level.
func TestPressureHeaderTimeout(t *testing.T) {
	pl := newPipeListener()
	l := conn.NewListener(pl, conn.Policy{PressureHeaderTimeout: 2 * time.Second, PressureLevel: 2})
	clock := newFakeClock()
	t0 := clock.Now()
	conn.SetClock(l, clock.Now)
	conn.AcceptByHand(l)
	defer l.Close()
	later := t0.Add(time.Hour) // what net/http asks for: the header or idle timeout

	accept := func(at time.Duration) (net.Conn, *conn.Conn, *deadlineConn) {
		clock.Set(t0.Add(at))
		client, inner := pl.dial()
		t.Cleanup(func() { client.Close() })
		s, err := l.Accept()
		if err != nil {
			t.Fatal(err)
		}
		return client, s.(*conn.Conn), inner
	}
	_, a, ia := accept(0)
	a.SetReadDeadline(later)
	if got := ia.last(); !got.Equal(later) {
		t.Errorf("below the level: deadline %v, want %v", got, later)
	}
	_, idle, iidle := accept(0)
	conn.Observe(idle, http.StateActive)
	conn.Observe(idle, http.StateIdle)
	idle.SetReadDeadline(later)

	cb, b, ib := accept(time.Second) // the third connection: pressure
	if !conn.UnderPressure(l) {
		t.Fatal("not under pressure at the level")
	}
	if got, want := ia.last(), t0.Add(2*time.Second); !got.Equal(want) {
		t.Errorf("new connection under pressure: deadline %v, want %v", got, want)
	}
	b.SetReadDeadline(later)
	if got, want := ib.last(), t0.Add(3*time.Second); !got.Equal(want) {
		t.Errorf("connection accepted under pressure: deadline %v, want %v", got, want)
	}
	b.SetReadDeadline(time.Time{}) // no deadline
	if got, want := ib.last(), t0.Add(3*time.Second); !got.Equal(want) {
		t.Errorf("no deadline under pressure: %v, want %v", got, want)
	}
	idle.SetReadDeadline(later)
	if got := iidle.last(); !got.Equal(later) {
		t.Errorf("idle connection under pressure: deadline %v, want %v (it is shed instead)", got, later)
	}

	// b reads the start of a head at 1.5 s: its timeout counts from there.
	clock.Set(t0.Add(1500 * time.Millisecond))
	go cb.Write([]byte("GET / HTTP/1.1\r\n"))
	if _, err := b.Read(make([]byte, 64)); err != nil {
		t.Fatal(err)
	}
	body := t0.Add(30 * time.Minute) // net/http's ReadTimeout for the body
	b.SetReadDeadline(body)
	if got, want := ib.last(), t0.Add(3500*time.Millisecond); !got.Equal(want) {
		t.Errorf("reading a head under pressure: deadline %v, want %v", got, want)
	}
	conn.Observe(b, http.StateActive) // the head was read
	if got := ib.last(); !got.Equal(body) {
		t.Errorf("being served: deadline %v, want the one asked for, %v", got, body)
	}
	b.SetReadDeadline(later)
	if got := ib.last(); !got.Equal(later) {
		t.Errorf("being served under pressure: deadline %v, want %v", got, later)
	}

	// 7/8 of 2 is 2 (2 - 2/8 = 2): below that, one open, the pressure ends.
	b.Close()
	a.Close()
	if conn.UnderPressure(l) {
		t.Error("still under pressure with one connection open")
	}
	idle.Close()
	_, c, ic := accept(5 * time.Second)
	c.SetReadDeadline(later)
	if got := ic.last(); !got.Equal(later) {
		t.Errorf("after the pressure: deadline %v, want %v", got, later)
	}
}

// TestNeverShedMidResponse: with a cap of one, a client in the middle of
// a large download gets every byte while other clients wait, and they
// are served after it.
func TestNeverShedMidResponse(t *testing.T) {
	const size = 16 << 20
	chunk := make([]byte, 64<<10)
	big := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/big" {
			fixedHandler().ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Length", "16777216")
		for range size / len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	ts := startServer(t, conn.Policy{MaxConns: 1}, big, nil)
	rc := dial(t, ts.Addr)
	rc.send(t, "GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
	rc.c.SetReadDeadline(time.Now().Add(20 * time.Second))
	res, err := http.ReadResponse(rc.br, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Read slowly: the response stays in the middle for a while.
	if _, err := io.ReadFull(res.Body, make([]byte, 1<<20)); err != nil {
		t.Fatal(err)
	}
	others := make(chan error, 3)
	for range cap(others) {
		go func() {
			c, err := net.DialTimeout("tcp", ts.Addr, 5*time.Second)
			if err != nil {
				others <- err
				return
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(20 * time.Second))
			io.WriteString(c, get11)
			r, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err == nil {
				r.Body.Close()
			}
			others <- err
		}()
	}
	time.Sleep(500 * time.Millisecond) // well past ShedAge
	n, err := io.Copy(io.Discard, res.Body)
	if err != nil || n != size-1<<20 {
		t.Fatalf("download: %d of %d bytes after the first MiB, %v", n, size-1<<20, err)
	}
	// The downloader is now idle and may be shed for the others; each of
	// them is served in turn (a served one is idle, and shed, next).
	for range cap(others) {
		if err := <-others; err != nil {
			t.Errorf("waiting client: %v", err)
		}
	}
}

// TestStallingClientRefusedAtCap: at the cap, with nothing old enough to
// shed, a new connection of the client holding the most connections,
// half of which have been reading a head for a quarter of ShedAge, is
// closed at once, so that the clients queued behind it get in; a busy
// client's new connection (its others served, or one of three in a slow
// head) waits instead.
func TestStallingClientRefusedAtCap(t *testing.T) {
	tests := []struct {
		name    string
		phases  []string      // of the heavy client's open connections
		age     time.Duration // of those when its new connection arrives
		refused bool
	}{
		{"stalled heads", []string{"head", "head", "head"}, 50 * time.Millisecond, true},
		{"heads too young", []string{"head", "head", "head"}, 10 * time.Millisecond, false},
		{"busy client", []string{"serving", "serving", "serving"}, 50 * time.Millisecond, false},
		{"a busy client's one slow head", []string{"head", "serving", "serving"}, 50 * time.Millisecond, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHandListener(t, conn.Policy{MaxConns: 4}, nil)
			for _, phase := range tt.phases {
				c := dialFrom(t, "127.0.0.2", h.addr)
				enter(t, c, h.accept(t), phase)
			}
			other := dialFrom(t, "127.0.0.3", h.addr)
			enter(t, other, h.accept(t), "serving")
			h.Clock.Set(h.T0.Add(tt.age))
			heavy := dialFrom(t, "127.0.0.2", h.addr)
			dialFrom(t, "127.0.0.4", h.addr) // queued behind it
			done := make(chan net.Conn, 1)
			go func() {
				c, _ := h.L.Accept()
				done <- c
			}()
			if got := closedByServer(heavy, 300*time.Millisecond); got != tt.refused {
				t.Errorf("heavy client's new connection closed at once: %v, want %v", got, tt.refused)
			}
			select {
			case c := <-done:
				t.Fatalf("Accept returned %v before anything could be shed", c.RemoteAddr())
			case <-time.After(50 * time.Millisecond):
			}
			h.Clock.Set(h.T0.Add(2 * time.Second)) // the heads (or nothing, for the busy client) may be shed now
			if tt.phases[0] == "serving" {
				h.L.Close() // nothing is ever shed: end the wait
				<-done
				return
			}
			var c net.Conn
			select {
			case c = <-done:
			case <-time.After(5 * time.Second):
				t.Fatal("Accept still waiting once a head was old enough to shed")
			}
			if c == nil {
				t.Fatal("Accept failed")
			}
			defer c.Close()
			want := "127.0.0.4"
			if !tt.refused {
				want = "127.0.0.2" // first in the queue, and not refused
			}
			if got := c.RemoteAddr().(*net.TCPAddr).IP.String(); got != want {
				t.Errorf("Accept returned the connection of %s, want %s", got, want)
			}
		})
	}
}
