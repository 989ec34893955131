package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// longEnv opts in to the long runs. TestSoak is one: so that go test ./...
// stays quick, it runs only with WEBSTATIC_LONG=1 in the environment, the
// one switch for all of the module's long runs (examples/loadtest's load
// tool runs too; .ci/run sets it for them):
//
//	WEBSTATIC_LONG=1 go test ./examples/fileserver -run TestSoak -v
//
// Without it the test skips with a message saying how to run it; that skip
// is not a missing tool, so it does not fail under CI=true.
const longEnv = "WEBSTATIC_LONG"

// longRun skips t unless the long runs are opted in with WEBSTATIC_LONG=1.
func longRun(t *testing.T) {
	t.Helper()
	if os.Getenv(longEnv) != "1" {
		t.Skipf("long run, opt-in: %s=1 go test ./examples/fileserver -run '^%s$' -v", longEnv, t.Name())
	}
}

// soakTime is the length of TestSoak's load, split into two equal halves.
// The documented longer run is
//
//	WEBSTATIC_LONG=1 go test ./examples/fileserver -run TestSoak -soak 60s -v
var soakTime = flag.Duration("soak", 20*time.Second, "length of TestSoak's load")

// soakScript makes wrk cycle through a mix of requests whose statuses are
// known in advance and tally the statuses it gets, per thread; done prints
// one line that TestSoak parses. %q is the ETag of /style.css.
const soakScript = `
local etag = %q
local mix = {
  {"/", {}},                                     -- 200 from the cache
  {"/style.css", {}},                            -- 200 from the cache
  {"/big.bin", {}},                              -- 200 by sendfile
  {"/no/such/page", {}},                         -- 404 with the site's page
  {"/big.bin", {Range = "bytes=1000-1999"}},     -- 206
  {"/img/logo.png", {Range = "bytes=0-9"}},      -- 206 from the cache
  {"/style.css", {["If-None-Match"] = etag}},    -- 304
  {"/.env", {}},                                 -- 404, hidden dotfile
}
local i = 0
request = function()
  i = i %% #mix + 1
  return wrk.format("GET", mix[i][1], mix[i][2])
end
s200, s206, s304, s404, other = 0, 0, 0, 0, 0
response = function(status)
  if status == 200 then s200 = s200 + 1
  elseif status == 206 then s206 = s206 + 1
  elseif status == 304 then s304 = s304 + 1
  elseif status == 404 then s404 = s404 + 1
  else other = other + 1 end
end
local threads = {}
setup = function(thread) table.insert(threads, thread) end
done = function(summary)
  local n = {s200 = 0, s206 = 0, s304 = 0, s404 = 0, other = 0}
  for _, t in ipairs(threads) do
    for k in pairs(n) do n[k] = n[k] + t:get(k) end
  end
  local e = summary.errors
  io.write(string.format(
    "soak requests=%%d 200=%%d 206=%%d 304=%%d 404=%%d other=%%d connect=%%d read=%%d write=%%d timeout=%%d\n",
    summary.requests, n.s200, n.s206, n.s304, n.s404, n.other, e.connect, e.read, e.write, e.timeout))
end
`

// soakTally is what one wrk run reports: requests, statuses and socket
// errors by kind.
type soakTally map[string]int

var soakLine = regexp.MustCompile(`soak ((?:\w+=\d+ ?)+)`)

// TestSoak drives the reference server with wrk at 256 connections
// against -max-conns 128 (connections recycled every 100 requests, so the
// waiting ones get their turn) with a mix of cache hits, sendfile bodies,
// 404s, ranges and conditional requests. It requires zero unexpected
// statuses, zero socket errors, and open descriptors and RSS that do not
// grow: descriptors return to their count before the load, and RSS after
// the second half stays within 16 MiB of its value after the first (a
// leak grows with every request; a warmed-up heap does not). It is a long
// run, opted in with WEBSTATIC_LONG=1 (see longEnv).
func TestSoak(t *testing.T) {
	longRun(t)
	if testing.Short() {
		t.Skip("soak skipped in -short mode")
	}
	wrk := lookTool(t, "wrk")
	root := filepath.Join(t.TempDir(), "site")
	copyTree(t, "../../testdata/site", root)
	big := make([]byte, 256<<10) // above the 64 KiB cache limit: served from disk
	for i := range big {
		big[i] = byte(i * 7)
	}
	if err := os.WriteFile(filepath.Join(root, "big.bin"), big, 0o644); err != nil {
		t.Fatal(err)
	}
	// On the default, shedding at the cap: the 128 clients beyond it wait
	// in Accept or the kernel's queue, and none of the busy connections
	// is shed (a busy one is never idle or silent for a second), so there
	// is no socket error.
	s := start(t, "-root", root, "-log-headers", "off", "-max-conns", "128", "-max-requests", "100")
	_, h, _ := get(t, s.url+"/style.css")
	script := filepath.Join(t.TempDir(), "soak.lua")
	if err := os.WriteFile(script, []byte(fmt.Sprintf(soakScript, h.Get("ETag"))), 0o644); err != nil {
		t.Fatal(err)
	}
	before := sampleProc(t, s)

	half := *soakTime / 2
	first, peak1 := runWrk(t, s, wrk, script, half)
	mid := sampleProc(t, s)
	second, peak2 := runWrk(t, s, wrk, script, half)
	after := settledProc(t, s, before.fds)
	t.Logf("first half %v: %v", half, first)
	t.Logf("second half %v: %v", half, second)
	t.Logf("server: before fds=%d sockets=%d rss=%d KiB; after first half rss=%d KiB; after fds=%d rss=%d KiB; peak sockets %d, %d",
		before.fds, before.sockets, before.rssKiB, mid.rssKiB, after.fds, after.rssKiB, peak1, peak2)

	// The cap holds under load, and the load reached it.
	for _, peak := range []int{peak1, peak2} {
		if served := peak - before.sockets; served > 128 || served < 64 {
			t.Errorf("peak of %d connections open at once during the load, want 64 to 128 (-max-conns 128)", served)
		}
	}

	for name, tally := range map[string]soakTally{"first half": first, "second half": second} {
		got := soakTally{}
		for _, k := range []string{"other", "connect", "read", "write", "timeout"} {
			got[k] = tally[k]
		}
		if diff := cmp.Diff(soakTally{"other": 0, "connect": 0, "read": 0, "write": 0, "timeout": 0}, got); diff != "" {
			t.Errorf("%s: unexpected statuses or socket errors (-want +got):\n%s", name, diff)
		}
		if sum := tally["200"] + tally["206"] + tally["304"] + tally["404"] + tally["other"]; sum != tally["requests"] || sum == 0 {
			t.Errorf("%s: statuses add up to %d, wrk counted %d requests", name, sum, tally["requests"])
		}
		// The mix has 3 of 8 requests answering 200, 2 each 206 and 404
		// and 1 answering 304; each must show up in about that share.
		for status, share := range map[string]int{"200": 3, "206": 2, "304": 1, "404": 2} {
			if n := tally[status]; n*8 < tally["requests"]*share*9/10 {
				t.Errorf("%s: %d responses with %s of %d, want about %d/8", name, n, status, tally["requests"], share)
			}
		}
	}
	if after.fds > before.fds {
		t.Errorf("server holds %d descriptors after the soak, %d before", after.fds, before.fds)
	}
	if after.rssKiB > mid.rssKiB+16<<10 {
		t.Errorf("RSS grew from %d KiB after the first half to %d KiB after the second", mid.rssKiB, after.rssKiB)
	}
}

// runWrk runs wrk with the soak script for d at 256 connections and
// returns its tally and the most sockets the server held at once,
// sampled every 100 ms.
func runWrk(t *testing.T, s *server, wrk, script string, d time.Duration) (soakTally, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d+60*time.Second)
	defer cancel()
	secs := strconv.Itoa(int(d.Round(time.Second) / time.Second))
	peak := make(chan int)
	go func() {
		most := 0
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				peak <- most
				return
			case <-tick.C:
				most = max(most, countSockets(s))
			}
		}
	}()
	out, err := exec.CommandContext(ctx, wrk, "-t2", "-c256", "-d"+secs+"s", "--timeout", "10s",
		"-s", script, s.url).CombinedOutput()
	cancel()
	most := <-peak
	if err != nil {
		t.Fatalf("wrk: %v\n%s", err, out)
	}
	m := soakLine.FindStringSubmatch(string(out))
	if m == nil {
		t.Fatalf("wrk printed no tally:\n%s", out)
	}
	tally := soakTally{}
	for _, field := range strings.Fields(m[1]) {
		k, v, _ := strings.Cut(field, "=")
		tally[k], _ = strconv.Atoi(v)
	}
	return tally, most
}

// procSample is a server process's open descriptors, how many of them
// are sockets, and its resident memory.
type procSample struct{ fds, sockets, rssKiB int }

// countSockets counts the server's open socket descriptors: the listener
// and one per connection it serves. Descriptors that close while being
// read are skipped.
func countSockets(s *server) int {
	dir := "/proc/" + strconv.Itoa(s.cmd.Process.Pid) + "/fd/"
	entries, _ := os.ReadDir(dir)
	n := 0
	for _, e := range entries {
		if link, err := os.Readlink(dir + e.Name()); err == nil && strings.HasPrefix(link, "socket:") {
			n++
		}
	}
	return n
}

func sampleProc(t *testing.T, s *server) procSample {
	t.Helper()
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skipf("no /proc: %v", err)
	}
	status, err := os.ReadFile("/proc/" + strconv.Itoa(s.cmd.Process.Pid) + "/status")
	if err != nil {
		t.Fatalf("server process gone: %v; stderr: %s", err, s.stderr)
	}
	p := procSample{fds: openFDs(t, s), sockets: countSockets(s)}
	for _, line := range strings.Split(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			p.rssKiB, _ = strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
		}
	}
	if p.rssKiB == 0 {
		t.Fatalf("no VmRSS in /proc/%d/status", s.cmd.Process.Pid)
	}
	return p
}

// settledProc samples the server once its descriptor count is back to
// want, or after 10 s: closed connections take a moment to go.
func settledProc(t *testing.T, s *server, want int) procSample {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		p := sampleProc(t, s)
		if p.fds <= want || time.Now().After(deadline) {
			return p
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// lookTool finds a command-line tool, skipping the test when it is
// missing, or failing it under CI, which installs it.
func lookTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s not found; .ci/run installs it", name)
	}
	t.Skipf("%s not found: apt-get install %s", name, name)
	return ""
}
