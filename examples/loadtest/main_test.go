package main

import (
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"
)

// longEnv opts in to the long runs: TestQuickRun starts real servers,
// nginx and the load tools, and takes about 10 s, so it runs only with
// WEBSTATIC_LONG=1 in the environment, the one switch for all of the
// module's long runs (examples/fileserver's TestSoak is another; .ci/run
// sets it for them):
//
//	WEBSTATIC_LONG=1 go test ./examples/loadtest -run TestQuickRun -v
//
// Without it the test skips with a message saying how to run it; that skip
// is not a missing tool, so it does not fail under CI=true.
const longEnv = "WEBSTATIC_LONG"

// longRun skips t unless the long runs are opted in with WEBSTATIC_LONG=1.
func longRun(t *testing.T) {
	t.Helper()
	if os.Getenv(longEnv) != "1" {
		t.Skipf("long run, opt-in: %s=1 go test ./examples/loadtest -run '^%s$' -v", longEnv, t.Name())
	}
}

// TestMain checks that no goroutine outlives the tests: the servers
// TestQuickRun starts stop with their run.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func TestParsers(t *testing.T) {
	wrk := `Running 1s test @ http://127.0.0.1:40313/1k.css
  1 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.02ms  300.00us   5.00ms   80.00%
  33952 requests in 1.00s, 40.99MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:  33952.88
Transfer/sec:     40.99MB
`
	ab := `Concurrency Level:      32
Complete requests:      2000
Failed requests:        3
Non-2xx responses:      1
Requests per second:    9605.11 [#/sec] (mean)
Transfer rate:          12109.50 [Kbytes/sec] received
`
	got, err := parseWrk(wrk)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(result{ReqPerSec: 33952.88, MBPerSec: 40.99 * (1 << 20) / 1e6, Errors: 7, Requests: 33952}, got); diff != "" {
		t.Errorf("wrk (-want +got):\n%s", diff)
	}
	got, err = parseAB(ab)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(result{ReqPerSec: 9605.11, MBPerSec: 12109.50 * 1024 / 1e6, Errors: 4, Requests: 2000}, got); diff != "" {
		t.Errorf("ab (-want +got):\n%s", diff)
	}
	if _, err := parseWrk("unable to connect"); err == nil {
		t.Errorf("parseWrk accepted output without a rate")
	}
}

// TestQuickRun runs the program's smoke path: every Go server, nginx
// and Caddy (when installed) answer the load tools without errors, and
// the compression scenario's servers answer gzip. It is a long
// run, opted in with WEBSTATIC_LONG=1 (see longEnv).
func TestQuickRun(t *testing.T) {
	longRun(t)
	for _, tool := range []string{"wrk", "ab"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s not installed; .ci/run installs it", tool)
			}
			t.Skipf("%s not installed (apt-get install wrk apache2-utils)", tool)
		}
	}
	out, err := os.CreateTemp(t.TempDir(), "report")
	if err != nil {
		t.Fatal(err)
	}
	rows := []string{"| 1k | staticfs | ", "| 1k | http.FileServer | ", "| short | staticfs+conn-short | ",
		"| 1k | staticfs+conn+headerlog | ", "| 1k | staticfs+accesslog | ", "| 16k-gzip | staticfs | ",
		"| pieces | staticfs+cors | ", "| pieces | staticfs+securityheaders | ", "| pieces | staticfs+health | ",
		"| pieces | fileserver | ", "| pieces | fileserver+cors | ", "| pieces | fileserver+securityheaders | ",
		"| pieces | fileserver+health | ", "| pieces | fileserver+metrics | "}
	if _, err := exec.LookPath("nginx"); err == nil {
		rows = append(rows, "| 16k-gzip | nginx-gzip | ")
	}
	if _, err := findCaddy(); err == nil {
		rows = append(rows, "| 16k-gzip | caddy-gzip | ")
	} else if os.Getenv("CI") == "true" {
		t.Fatalf("%v; .ci/run installs it", err)
	}
	o := options{duration: time.Second, rounds: 1, conns: 8, only: "1k,short,16k-gzip,pieces"}
	workers := nginxWorkers()
	if err := run(o, out); err != nil {
		t.Fatal(err)
	}
	if n := nginxWorkers(); n > workers {
		t.Errorf("%d nginx workers left running after the run (%d before)", n, workers)
	}
	b, _ := os.ReadFile(out.Name())
	report := string(b)
	for _, row := range rows {
		if !strings.Contains(report, row) {
			t.Errorf("report lacks %q:\n%s", row, report)
		}
	}
	for _, line := range strings.Split(report, "\n") {
		f := strings.Split(line, " | ")
		if len(f) < 6 || !strings.HasPrefix(line, "| ") || f[4] == "errors" || strings.HasPrefix(f[4], "-") {
			continue
		}
		if f[4] != "0" {
			t.Errorf("errors in %q", line)
		}
		if cpu, err := strconv.ParseFloat(f[5], 64); err != nil || cpu <= 0 {
			t.Errorf("no CPU time per request in %q", line)
		}
	}
}

// nginxWorkers counts the nginx worker processes on the machine.
func nginxWorkers() int {
	entries, _ := os.ReadDir("/proc")
	n := 0
	for _, e := range entries {
		cmdline, err := os.ReadFile("/proc/" + e.Name() + "/cmdline")
		if err == nil && strings.HasPrefix(string(cmdline), "nginx: worker process") {
			n++
		}
	}
	return n
}

// TestCPUReadings burns 200 ms of CPU, as getrusage counts it, and
// requires /proc to see it too (in 10 ms ticks). The loop runs on CPU
// time, not wall time: other tests may share the CPU.
func TestCPUReadings(t *testing.T) {
	self0, tree0 := selfCPU(), treeCPU(os.Getpid())
	deadline := time.Now().Add(20 * time.Second)
	for selfCPU()-self0 < 200*time.Millisecond {
		if time.Now().After(deadline) {
			t.Fatalf("getrusage saw %v of CPU in 20 s of a busy loop", selfCPU()-self0)
		}
	}
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc")
	}
	if tree := treeCPU(os.Getpid()) - tree0; tree < 150*time.Millisecond {
		t.Errorf("/proc saw %v of 200 ms of CPU", tree)
	}
}

// TestRatioPairsRounds checks that ratios are taken round by round: a
// server twice as fast as its reference in two rounds of three is 2×,
// whatever the spread of the rounds' absolute figures.
func TestRatioPairsRounds(t *testing.T) {
	rep := newReport()
	for _, round := range []struct{ ours, ref result }{
		{result{ReqPerSec: 100, CPUPerReq: 10}, result{ReqPerSec: 50, CPUPerReq: 20}},
		{result{ReqPerSec: 10, CPUPerReq: 100}, result{ReqPerSec: 5, CPUPerReq: 200}},
		{result{ReqPerSec: 60, CPUPerReq: 30}, result{ReqPerSec: 100, CPUPerReq: 10}},
	} {
		rep.add("1k", "ours", round.ours)
		rep.add("1k", "ref", round.ref)
	}
	got := []string{rep.ratio("1k", "ours", "ref"), rep.ratio("1k", "ours", "missing")}
	if diff := cmp.Diff([]string{"2.00× (CPU 2.00×)", ""}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}

	// Large files compare by MB/s: 15 against 14 requests in a run is
	// no 7% difference when the bytes moved are equal.
	rep.add("100m", "ours", result{ReqPerSec: 15, MBPerSec: 1500, CPUPerReq: 100})
	rep.add("100m", "ref", result{ReqPerSec: 14, MBPerSec: 1500, CPUPerReq: 100})
	rep.byBytes["100m"] = true
	if got := rep.ratio("100m", "ours", "ref"); got != "1.00× (CPU 1.00×)" {
		t.Errorf("100m ratio %q, want 1.00× (CPU 1.00×)", got)
	}
}
