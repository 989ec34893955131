package main

import (
	"context"
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// result is one load run against one server.
type result struct {
	ReqPerSec float64
	MBPerSec  float64 // megabytes (10^6) per second of response data
	Errors    int     // failed requests, socket errors, non-2xx answers
	Requests  int     // requests completed
	CPUPerReq float64 // the server's CPU time per request, in µs
}

// pinned runs a load tool on CPU 1 when taskset is there, so that it does
// not share a core with the servers (pinned to CPU 0).
func pinned(ctx context.Context, name string, args ...string) *exec.Cmd {
	if _, err := exec.LookPath("taskset"); err == nil && pinCPUs {
		return exec.CommandContext(ctx, "taskset", append([]string{"-c", "1", name}, args...)...)
	}
	return exec.CommandContext(ctx, name, args...)
}

// runWrk drives url with wrk over keep-alive connections, sending header
// with every request unless it is "".
func runWrk(url string, conns int, d time.Duration, header string) (result, error) {
	ctx, cancel := context.WithTimeout(context.Background(), d+30*time.Second)
	defer cancel()
	secs := strconv.Itoa(max(1, int(d.Seconds())))
	args := []string{"-t1", "-c" + strconv.Itoa(conns), "-d" + secs + "s", "--timeout", "10s"}
	if header != "" {
		args = append(args, "-H", header)
	}
	out, err := pinned(ctx, "wrk", append(args, url)...).CombinedOutput()
	if err != nil {
		return result{}, fmt.Errorf("wrk: %v: %s", err, out)
	}
	return parseWrk(string(out))
}

// runAB drives url with ab: HTTP/1.0, a new connection per request.
func runAB(url string, conns, n int) (result, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := pinned(ctx, "ab", "-q", "-s", "10", "-n", strconv.Itoa(n), "-c", strconv.Itoa(conns), url).CombinedOutput()
	if err != nil {
		return result{}, fmt.Errorf("ab: %v: %s", err, out)
	}
	return parseAB(string(out))
}

var (
	wrkReqs     = regexp.MustCompile(`Requests/sec:\s+([\d.]+)`)
	wrkCount    = regexp.MustCompile(`(\d+) requests in`)
	abCount     = regexp.MustCompile(`Complete requests:\s+(\d+)`)
	wrkTransfer = regexp.MustCompile(`Transfer/sec:\s+([\d.]+)([KMG]?B)`)
	wrkSockErrs = regexp.MustCompile(`Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
	wrkNon2xx   = regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`)
	abReqs      = regexp.MustCompile(`Requests per second:\s+([\d.]+)`)
	abTransfer  = regexp.MustCompile(`Transfer rate:\s+([\d.]+) \[Kbytes/sec\]`)
	abFailed    = regexp.MustCompile(`Failed requests:\s+(\d+)`)
	abNon2xx    = regexp.MustCompile(`Non-2xx responses:\s+(\d+)`)
)

func parseWrk(out string) (result, error) {
	var r result
	m := wrkReqs.FindStringSubmatch(out)
	if m == nil {
		return r, fmt.Errorf("no Requests/sec in wrk output: %q", out)
	}
	r.ReqPerSec, _ = strconv.ParseFloat(m[1], 64)
	if m := wrkCount.FindStringSubmatch(out); m != nil {
		r.Requests, _ = strconv.Atoi(m[1])
	}
	if m := wrkTransfer.FindStringSubmatch(out); m != nil {
		v, _ := strconv.ParseFloat(m[1], 64)
		// wrk's units are binary (1KB = 1024 bytes).
		scale := map[string]float64{"B": 1, "KB": 1 << 10, "MB": 1 << 20, "GB": 1 << 30}[m[2]]
		r.MBPerSec = v * scale / 1e6
	}
	if m := wrkSockErrs.FindStringSubmatch(out); m != nil {
		for _, s := range m[1:] {
			n, _ := strconv.Atoi(s)
			r.Errors += n
		}
	}
	if m := wrkNon2xx.FindStringSubmatch(out); m != nil {
		n, _ := strconv.Atoi(m[1])
		r.Errors += n
	}
	return r, nil
}

func parseAB(out string) (result, error) {
	var r result
	m := abReqs.FindStringSubmatch(out)
	if m == nil {
		return r, fmt.Errorf("no Requests per second in ab output: %q", strings.TrimSpace(out))
	}
	r.ReqPerSec, _ = strconv.ParseFloat(m[1], 64)
	if m := abCount.FindStringSubmatch(out); m != nil {
		r.Requests, _ = strconv.Atoi(m[1])
	}
	if m := abTransfer.FindStringSubmatch(out); m != nil {
		v, _ := strconv.ParseFloat(m[1], 64)
		r.MBPerSec = v * 1024 / 1e6
	}
	for _, re := range []*regexp.Regexp{abFailed, abNon2xx} {
		if m := re.FindStringSubmatch(out); m != nil {
			n, _ := strconv.Atoi(m[1])
			r.Errors += n
		}
	}
	return r, nil
}
