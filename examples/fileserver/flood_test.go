package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// The flood tests attack the reference server over loopback from
// 127.0.0.2 while a normal client connects from 127.0.0.3: all of
// 127.0.0.0/8 is loopback, so one machine has two clients. Each flood is
// bounded in connections and time and closes everything it opened.
//
// The small versions run by default; the sizes (5,000 stalled
// heads against a server limited to 1,024 descriptors, 10,000 idle
// keep-alive connections against a cap of 1,000) are long runs:
//
//	WEBSTATIC_LONG=1 go test ./examples/fileserver -run 'TestFlood' -v
//
// TestFloodCompare runs the same scenarios against a plain net/http
// server and nginx and logs the figures side by side.

const (
	attacker = "127.0.0.2"
	normal   = "127.0.0.3"
)

// TestFloodFlags: the flood defences' flags reject bad values with one
// line and exit status 2, and -help lists them.
func TestFloodFlags(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-max-conns-per-ip", "-1"}, "fileserver: -max-conns-per-ip -1: want 0 or more\n"},
		{[]string{"-pressure-header-timeout", "-1s"}, "fileserver: -pressure-header-timeout -1s: want 0 (off) or a positive duration\n"},
		{[]string{"-pressure-level", "-3"}, "fileserver: -pressure-level -3: want 0 or more\n"},
		{[]string{"-wait-when-full=maybe"}, "fileserver: invalid boolean value \"maybe\" for -wait-when-full: parse error (see -help)\n"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			stderr, code := runBinary(t, tt.args...)
			if code != 2 {
				t.Errorf("exit status %d, want 2", code)
			}
			if diff := cmp.Diff(tt.want, stderr); diff != "" {
				t.Errorf("stderr (-want +got):\n%s", diff)
			}
		})
	}
	help, code := runBinaryOut(t, "-help")
	if code != 0 {
		t.Errorf("-help: exit status %d", code)
	}
	for _, name := range []string{"-max-conns-per-ip", "-pressure-header-timeout", "-pressure-level", "-wait-when-full"} {
		if !strings.Contains(help, "  "+name+" ") && !strings.Contains(help, "  "+name+"\n") {
			t.Errorf("-help does not list %s:\n%s", name, help)
		}
	}
}

// runBinary runs the server with args, expecting it to exit at once, and
// returns its stderr and exit status.
func runBinary(t *testing.T, args ...string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Dir = "../.."
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return stderr.String(), 0
	case errors.As(err, &exit):
		return stderr.String(), exit.ExitCode()
	}
	t.Fatal(err)
	return "", 0
}

// runBinaryOut is runBinary returning stdout and stderr together.
func runBinaryOut(t *testing.T, args ...string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Dir = "../.."
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return string(out), exit.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return string(out), 0
}

// raiseNoFile raises this process's descriptor limit to hold need
// sockets, or skips the test when the hard limit is too low.
func raiseNoFile(t *testing.T, need uint64) {
	t.Helper()
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		t.Skipf("cannot read the descriptor limit: %v", err)
	}
	if rl.Cur >= need {
		return
	}
	if rl.Max < need {
		t.Skipf("the flood needs %d descriptors in the test process; the hard limit is %d (raise it: ulimit -Hn %d as root)", need, rl.Max, need)
	}
	rl.Cur = need
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		t.Skipf("cannot raise the descriptor limit to %d: %v", need, err)
	}
}

// startLimited starts a server under sh with "ulimit -n nofile" (0 for
// the test's own limit) and the given flags, like start.
func startLimited(t *testing.T, nofile int, args ...string) *server {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	t.Cleanup(cancel)
	argv := append([]string{"-addr", "127.0.0.1:0"}, args...)
	var cmd *exec.Cmd
	if nofile > 0 {
		script := fmt.Sprintf(`ulimit -n %d && exec "$0" "$@"`, nofile)
		cmd = exec.CommandContext(ctx, "sh", append([]string{"-c", script, binary}, argv...)...)
	} else {
		cmd = exec.CommandContext(ctx, binary, argv...)
	}
	cmd.Dir = "../.."
	return launch(t, cmd, urlLine, func(m []string) (string, string) { return m[1], m[2] })
}

// launch starts cmd, waits for its first stdout line to match line and
// stops it with SIGINT at cleanup (or SIGKILL 10 s later).
func launch(t *testing.T, cmd *exec.Cmd, line *regexp.Regexp, urlAddr func([]string) (string, string)) *server {
	t.Helper()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, stderr: new(bytes.Buffer), done: make(chan error, 1)}
	cmd.Stderr = &lockedWriter{w: s.stderr}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stdout)
	if !lines.Scan() {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("%s printed no URL line", cmd.Path)
	}
	m := line.FindStringSubmatch(lines.Text())
	if m == nil {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("first line %q does not name the URL", lines.Text())
	}
	s.url, s.addr = urlAddr(m)
	go func() {
		io.Copy(io.Discard, stdout)
		s.done <- cmd.Wait()
	}()
	t.Cleanup(func() { s.stop(t, syscall.SIGINT) })
	return s
}

// lockedWriter lets the test read a process's stderr while it writes.
type lockedWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.w.Write(p)
}

func (w *lockedWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.w.String()
}

func stderrOf(s *server) string { return s.cmd.Stderr.(*lockedWriter).String() }

// dialer binds the client side to src, a loopback address.
func dialer(src string, timeout time.Duration) *net.Dialer {
	return &net.Dialer{Timeout: timeout, LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}}
}

// flood holds connections from the attacker that each send half a head
// (slowloris) or a whole request and then nothing (idle keep-alive). With
// redial, a connection the server closes is opened again about a second
// later, as slowloris tools do, until stop.
type flood struct {
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	open     atomic.Int64 // connections open now
	dialed   atomic.Int64 // connections opened
	failed   atomic.Int64 // dials that failed or timed out
	closed   atomic.Int64 // connections the server closed
	answered atomic.Int64 // idle flood: responses read in full
	early    atomic.Int64 // idle flood: closed before the response was read
}

// startFlood opens n connections to addr from the attacker's address,
// at most 256 dials at a time, and returns once each has been tried.
func startFlood(t *testing.T, addr string, n int, idle, redial bool) *flood {
	t.Helper()
	f := &flood{}
	f.ctx, f.cancel = context.WithCancel(context.Background())
	t.Cleanup(f.stop)
	gate := make(chan struct{}, 256)
	var tried sync.WaitGroup
	tried.Add(n)
	for range n {
		f.wg.Add(1)
		go func() {
			defer f.wg.Done()
			first := true
			for f.ctx.Err() == nil {
				if first {
					gate <- struct{}{}
				}
				f.hold(addr, idle, func() {
					if first {
						<-gate
						tried.Done()
						first = false
					}
				})
				if first {
					<-gate
					tried.Done()
					first = false
				}
				if !redial {
					return
				}
				// 0.5 to 1.5 s later, so that the flood's redials do not
				// come in one burst that overflows the accept queue (its
				// dropped SYNs would cost every client a 1 s retransmit).
				select {
				case <-f.ctx.Done():
				case <-time.After(500*time.Millisecond + rand.N(time.Second)):
				}
			}
		}()
	}
	tried.Wait()
	return f
}

// hold opens one flood connection and keeps it until the server closes
// it or the flood stops; opened is called once it is open (or failed).
func (f *flood) hold(addr string, idle bool, opened func()) {
	c, err := dialer(attacker, 3*time.Second).DialContext(f.ctx, "tcp", addr)
	if err != nil {
		f.failed.Add(1)
		opened()
		return
	}
	defer c.Close()
	f.dialed.Add(1)
	f.open.Add(1)
	defer f.open.Add(-1)
	stop := context.AfterFunc(f.ctx, func() { c.SetReadDeadline(time.Now()) })
	defer stop()
	br := bufio.NewReader(c)
	if idle {
		io.WriteString(c, "GET /style.css HTTP/1.1\r\nHost: x\r\n\r\n")
		c.SetReadDeadline(time.Now().Add(20 * time.Second))
		res, err := http.ReadResponse(br, nil)
		if err == nil {
			_, err = io.Copy(io.Discard, res.Body)
			res.Body.Close()
		}
		if err != nil {
			if f.ctx.Err() == nil {
				f.early.Add(1)
			}
			opened()
			return
		}
		f.answered.Add(1)
		if f.ctx.Err() == nil {
			c.SetReadDeadline(time.Time{})
		}
	} else {
		io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
	}
	opened()
	if _, err := br.ReadByte(); err != nil && f.ctx.Err() == nil {
		f.closed.Add(1)
	}
}

// stop ends the flood and closes its connections.
func (f *flood) stop() {
	f.cancel()
	f.wg.Wait()
}

// visit is one normal client's request: its status (0 for none) and how
// long it took.
type visit struct {
	status int
	took   time.Duration
	err    error
}

// visits makes n requests from the normal client's address, each on a
// new connection, one after the other, gap apart.
func visits(url string, n int, timeout, gap time.Duration) []visit {
	tr := &http.Transport{DialContext: dialer(normal, timeout).DialContext, DisableKeepAlives: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: timeout}
	var out []visit
	for i := range n {
		if i > 0 {
			time.Sleep(gap)
		}
		start := time.Now()
		res, err := client.Get(url + "/style.css")
		v := visit{err: err}
		if err == nil {
			_, err = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			v.status, v.err = res.StatusCode, err
		}
		v.took = time.Since(start)
		out = append(out, v)
	}
	return out
}

// summary describes visits for the log: how many got 200, the median
// and the slowest.
func summary(vs []visit) string {
	var ok int
	var took []time.Duration
	first := ""
	for _, v := range vs {
		if v.status == 200 && v.err == nil {
			ok++
		} else if first == "" {
			first = fmt.Sprintf(" (first failure: status %d, %v)", v.status, v.err)
		}
		took = append(took, v.took)
	}
	slices.Sort(took)
	if len(took) == 0 {
		return "no visits"
	}
	return fmt.Sprintf("%d/%d got 200, median %v, slowest %v%s", ok, len(vs), took[len(took)/2].Round(time.Millisecond), took[len(took)-1].Round(time.Millisecond), first)
}

// checkVisits requires each visit to get 200 within limit.
func checkVisits(t *testing.T, vs []visit, limit time.Duration) {
	t.Helper()
	for i, v := range vs {
		if v.err != nil || v.status != 200 || v.took > limit {
			t.Errorf("normal client, visit %d of %d: status %d in %v (%v); want 200 within %v", i+1, len(vs), v.status, v.took.Round(time.Millisecond), v.err, limit)
		}
	}
}

// connGoroutines stops s with SIGQUIT and counts, in the traceback Go
// prints, the goroutines that serve a connection (net/http's
// conn.serve, on which every connection goroutine runs). The rest are
// the idle server's own few: main, Serve's Accept loop, the signal
// handler and the runtime's.
func connGoroutines(t *testing.T, s *server) int {
	t.Helper()
	s.exited = true // the cleanup's graceful stop would see the SIGQUIT exit
	s.cmd.Process.Signal(syscall.SIGQUIT)
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		s.cmd.Process.Kill()
		t.Fatal("server did not exit on SIGQUIT")
	}
	return strings.Count(stderrOf(s), "net/http.(*conn).serve(")
}

// stacks abbreviates a goroutine dump to each goroutine's header and
// first frame.
func stacks(dump string) string {
	var b strings.Builder
	for _, g := range strings.Split(dump, "\ngoroutine ")[1:] {
		lines := strings.SplitN(g, "\n", 3)
		b.WriteString("goroutine " + strings.Join(lines[:min(2, len(lines))], " | ") + "\n")
	}
	return b.String()
}

// settle waits up to 15 s for s's descriptors to come down to want and
// stay there for 0.3 s: after a flood, connections from the
// accept queue come and go for a moment.
func settle(t *testing.T, s *server, want int) int {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	var since time.Time
	for {
		n := openFDs(t, s)
		switch {
		case n > want:
			since = time.Time{}
		case since.IsZero():
			since = time.Now()
		case time.Since(since) >= 300*time.Millisecond:
			return n
		}
		if time.Now().After(deadline) {
			return n
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// slowlorisCase is one run of the slowloris scenario against the
// reference server.
type slowlorisCase struct {
	name   string
	nofile int // the server's descriptor limit
	flood  int // stalled connections
	visits int
	gap    time.Duration // between visits: 20 visits 250 ms apart span five redials of the flood
	args   []string
}

// runSlowloris floods s with c.flood stalled heads from the attacker's
// address, redialled when closed, and makes c.visits requests from the
// normal client during the flood. It then checks that descriptors and
// goroutines go back to their baseline and that the log stayed small.
func runSlowloris(t *testing.T, c slowlorisCase) {
	raiseNoFile(t, uint64(c.flood)+256)
	s := startLimited(t, c.nofile, append([]string{"-log-headers", "off"}, c.args...)...)
	if vs := visits(s.url, 1, 5*time.Second, 0); vs[0].status != 200 {
		t.Fatalf("server not serving before the flood: %+v", vs[0])
	}
	baseFDs := openFDs(t, s)

	start := time.Now()
	f := startFlood(t, s.addr, c.flood, false, true)
	opened := time.Since(start)
	time.Sleep(150 * time.Millisecond) // past ShedAge: the stalled ones are candidates
	vs := visits(s.url, c.visits, 10*time.Second, c.gap)
	t.Logf("%s: flood of %d opened in %v (%d dials failed), %d open now; normal client during it: %s",
		c.name, c.flood, opened.Round(time.Millisecond), f.failed.Load(), f.open.Load(), summary(vs))
	checkVisits(t, vs, time.Second)
	f.stop()

	if n := settle(t, s, baseFDs); n > baseFDs {
		t.Errorf("server holds %d descriptors after the flood, %d before", n, baseFDs)
	}
	if vs := visits(s.url, 1, 5*time.Second, 0); vs[0].status != 200 {
		t.Errorf("after the flood: status %d, %v", vs[0].status, vs[0].err)
	}
	settle(t, s, baseFDs) // the visit's connection closes
	logged := stderrOf(s)
	if n := strings.Count(logged, "\n"); n > 1+int(time.Since(start)/(10*time.Second)) {
		t.Errorf("server logged %d lines during a %v flood, want one per 10 s at most:\n%.2000s", n, time.Since(start).Round(time.Second), logged)
	}
	if strings.Contains(logged, "Accept error") {
		t.Errorf("net/http logged accept errors:\n%.2000s", logged)
	}
	if g := connGoroutines(t, s); g > 0 {
		t.Errorf("%d connection goroutines left after the flood, want 0:\n%s", g, stacks(stderrOf(s)))
	}
}

// TestFloodSlowlorisSmall is the default run's slowloris: 300 stalled
// heads from one client against a per-client cap of 8, against a
// descriptor limit of 128 with no cap at all, and against -max-conns 64.
func TestFloodSlowlorisSmall(t *testing.T) {
	for _, c := range []slowlorisCase{
		{name: "per-client cap", flood: 300, visits: 5, args: []string{"-max-conns-per-ip", "8"}},
		{name: "out of descriptors", nofile: 128, flood: 300, visits: 5},
		{name: "max-conns", flood: 300, visits: 5, args: []string{"-max-conns", "64"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			runSlowloris(t, c)
		})
	}
}

// TestFloodSlowloris is the slowloris: 5,000 stalled heads from
// 127.0.0.2 against the server limited to 1,024 descriptors; a normal
// client from 127.0.0.3 gets 200 within 1 s, 20 times in a row.
func TestFloodSlowloris(t *testing.T) {
	longRun(t)
	for _, c := range []slowlorisCase{
		{name: "max-conns-per-ip 64", nofile: 1024, flood: 5000, visits: 20, gap: 250 * time.Millisecond, args: []string{"-max-conns-per-ip", "64"}},
		{name: "defaults", nofile: 1024, flood: 5000, visits: 20, gap: 250 * time.Millisecond},
		{name: "max-conns 512", nofile: 1024, flood: 5000, visits: 20, gap: 250 * time.Millisecond, args: []string{"-max-conns", "512"}},
	} {
		t.Run(c.name, func(t *testing.T) { runSlowloris(t, c) })
	}
}

// runIdleFlood opens n idle keep-alive connections (each has its
// response, then sends nothing) against -max-conns capN: new clients are
// served within 1 s, and the connections closed are idle ones, never one
// before its response.
func runIdleFlood(t *testing.T, n, capN, visitsN int, gap time.Duration) {
	raiseNoFile(t, uint64(n)+256)
	s := startLimited(t, 0, "-log-headers", "off", "-max-conns", fmt.Sprint(capN))
	if vs := visits(s.url, 1, 5*time.Second, 0); vs[0].status != 200 { // warm up: listener, spare descriptor, cache
		t.Fatalf("server not serving before the flood: %+v", vs[0])
	}
	baseFDs := openFDs(t, s)
	start := time.Now()
	f := startFlood(t, s.addr, n, true, false)
	t.Logf("%d idle keep-alive connections against -max-conns %d in %v: %d answered, %d closed after their response, %d open, %d closed before it, %d dials failed",
		n, capN, time.Since(start).Round(time.Millisecond), f.answered.Load(), f.closed.Load(), f.open.Load(), f.early.Load(), f.failed.Load())
	time.Sleep(time.Second) // idle ones now: an idle connection may be shed after 1 s
	vs := visits(s.url, visitsN, 10*time.Second, gap)
	t.Logf("normal client: %s", summary(vs))
	checkVisits(t, vs, time.Second)
	if e := f.early.Load(); e > 0 {
		t.Errorf("%d flood connections closed before their response: only idle ones may be shed", e)
	}
	if got := f.answered.Load(); got != int64(n) {
		t.Errorf("%d of %d flood connections answered", got, n)
	}
	if open := f.open.Load(); open > int64(capN) {
		t.Errorf("%d idle connections open, cap %d", open, capN)
	}
	f.stop()
	if got := settle(t, s, baseFDs); got > baseFDs {
		t.Errorf("server holds %d descriptors after the flood, %d before", got, baseFDs)
	}
}

// TestFloodIdleSmall: 40 idle keep-alive connections against a cap of 20
// (an idle connection is shed once idle for 1 s, so each 20 take a second).
func TestFloodIdleSmall(t *testing.T) {
	t.Parallel()
	runIdleFlood(t, 40, 20, 5, 0)
}

// TestFloodIdle is the issue's: 10,000 idle keep-alive connections
// against a cap of 1,000.
func TestFloodIdle(t *testing.T) {
	longRun(t)
	runIdleFlood(t, 10000, 1000, 20, 250*time.Millisecond)
}

// plainServer is the comparison's plain net/http server: http.FileServer
// with the reference server's header timeout and nothing else.
const plainServer = `package main

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"time"
)

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	fmt.Printf("plain net/http on http://%s\n", ln.Addr())
	srv := &http.Server{Handler: http.FileServer(http.Dir(os.Args[1])), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 30 * time.Second}
	srv.Serve(ln)
}
`

// startPlain builds and starts the plain net/http server under
// "ulimit -n nofile".
func startPlain(t *testing.T, nofile int) *server {
	t.Helper()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "main.go"), []byte(plainServer), 0o644)
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module plain\n\ngo 1.25\n"), 0o644)
	bin := filepath.Join(dir, "plain")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = dir
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build plain server: %v\n%s", err, out)
	}
	root, _ := filepath.Abs("../../testdata/site")
	cmd := exec.Command("sh", "-c", fmt.Sprintf(`ulimit -n %d && exec "$0" "$@"`, nofile), bin, root)
	s := launch(t, cmd, regexp.MustCompile(`on (http://(127\.0\.0\.1:\d+))`), func(m []string) (string, string) { return m[1], m[2] })
	s.exited = true // it has no signal handling: killed at cleanup
	t.Cleanup(func() {
		s.cmd.Process.Kill()
		<-s.done
	})
	return s
}

// startNginx starts nginx (one process, worker_connections 1024, its
// defaults otherwise) under "ulimit -n nofile", serving testdata/site.
func startNginx(t *testing.T, nofile int) *server {
	t.Helper()
	bin := lookTool(t, "nginx")
	dir := t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	root, _ := filepath.Abs("../../testdata/site")
	conf := fmt.Sprintf(`daemon off;
master_process off;
worker_processes 1;
error_log %[1]s/error.log;
pid %[1]s/nginx.pid;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path %[1]s/body;
	proxy_temp_path %[1]s/proxy;
	fastcgi_temp_path %[1]s/fastcgi;
	uwsgi_temp_path %[1]s/uwsgi;
	scgi_temp_path %[1]s/scgi;
	server { listen %[2]s; root %[3]s; }
}
`, dir, addr, root)
	os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte(conf), 0o644)
	// nginx prints nothing on start: echo the URL line, then exec it.
	script := fmt.Sprintf(`ulimit -n %d && echo "nginx on http://%s" && exec "$0" -p "$1" -c "$1/nginx.conf"`, nofile, addr)
	cmd := exec.Command("sh", "-c", script, bin, dir)
	s := launch(t, cmd, regexp.MustCompile(`on (http://(127\.0\.0\.1:\d+))`), func(m []string) (string, string) { return m[1], m[2] })
	deadline := time.Now().Add(5 * time.Second)
	for {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("nginx not listening on %s: %s", addr, stderrOf(s))
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.exited = true // nginx exits on SIGQUIT/SIGTERM, not gracefully on SIGINT in this mode
	t.Cleanup(func() {
		s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.done:
		case <-time.After(10 * time.Second):
			s.cmd.Process.Kill()
		}
	})
	return s
}

// TestFloodCompare runs the slowloris and idle scenarios against the
// reference server, a plain net/http server and nginx, each limited to
// 1,024 descriptors, and logs what the normal client sees. It checks
// only the reference server (the others are the baseline):
//
//	WEBSTATIC_LONG=1 go test ./examples/fileserver -run TestFloodCompare -v
func TestFloodCompare(t *testing.T) {
	longRun(t)
	raiseNoFile(t, 10256)
	const nofile = 1024
	servers := []struct {
		name  string
		start func(t *testing.T) *server
		ours  bool
	}{
		{"webstatic -max-conns-per-ip 64", func(t *testing.T) *server {
			return startLimited(t, nofile, "-log-headers", "off", "-max-conns-per-ip", "64")
		}, true},
		{"webstatic (defaults)", func(t *testing.T) *server { return startLimited(t, nofile, "-log-headers", "off") }, true},
		{"webstatic -max-conns 512", func(t *testing.T) *server {
			return startLimited(t, nofile, "-log-headers", "off", "-max-conns", "512")
		}, true},
		{"net/http", func(t *testing.T) *server { return startPlain(t, nofile) }, false},
		{"nginx", func(t *testing.T) *server { return startNginx(t, nofile) }, false},
	}
	scenarios := []struct {
		name  string
		n     int
		idle  bool
		visit int
	}{
		{"slowloris 5000", 5000, false, 5},
		{"idle keep-alive 10000", 10000, true, 5},
	}
	for _, sc := range scenarios {
		for _, sv := range servers {
			t.Run(sc.name+"/"+sv.name, func(t *testing.T) {
				s := sv.start(t)
				start := time.Now()
				f := startFlood(t, s.addr, sc.n, sc.idle, !sc.idle)
				opened := time.Since(start)
				time.Sleep(500 * time.Millisecond)
				vs := visits(s.url, sc.visit, 15*time.Second, 250*time.Millisecond)
				t.Logf("FIGURE %s | %s | flood opened in %v, %d open, %d dials failed, %d closed by the server | normal client: %s",
					sc.name, sv.name, opened.Round(time.Millisecond), f.open.Load(), f.failed.Load(), f.closed.Load()+f.early.Load(), summary(vs))
				f.stop()
				if sv.ours {
					checkVisits(t, vs, time.Second)
				}
			})
		}
	}
}
