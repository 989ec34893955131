// Command loadtest compares staticfs.Handler with http.FileServer, a
// fixed in-memory handler (the ceiling of net/http on this machine) and
// nginx, side by side in one run, and prints a Markdown table of
// requests and megabytes per second, each server's CPU time per request,
// and ratios.
//
//	go run ./examples/loadtest              # 3 rounds of 5 s per server and scenario
//	go run ./examples/loadtest -large       # add the 100 MiB file
//	go run ./examples/loadtest -quick       # 1 round of 1 s: a smoke run
//	go run ./examples/loadtest -only 1k -servers staticfs,staticfs+conn -rounds 40 -duration 1s -v
//	                                        # two servers, many short rounds, every run printed
//
// It needs wrk (keep-alive scenarios) and ab from apache2-utils (HTTP/1.0
// short connections); nginx is measured when nginx is installed
// (apt-get install -y wrk apache2-utils nginx-light). Traffic goes to
// 127.0.0.1 only; every run is bounded by -duration or a request count.
//
// The Go servers run in this process, pinned to CPU 0 with nginx, and the
// load tools to CPU 1 (with taskset, on a machine with 2 or more CPUs),
// so that servers and load do not fight for one core. Servers are driven
// in alternating rounds (A B C, A B C, ...) and each figure is the
// median of its rounds: run-to-run noise on a small machine is large, so
// compare the ratios of one run, not absolute numbers across runs.
//
// Scenarios: 1k (1 KiB file over keep-alive, wrk, req/s; staticfs also
// behind the connection layer, with header capture and the raw header
// log, and with the access log, both logs writing to buffered files), 1m
// and 100m (1 MiB and 100 MiB files over keep-alive, wrk, MB/s), short
// (1 KiB over HTTP/1.0, one connection per request, ab, req/s: staticfs
// behind the connection layer in short mode, staticfs on a server with
// keep-alives off, nginx). Each row shows the server's CPU time per
// request beside its rate.
package main

import (
	"flag"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"syscall"
	"time"
)

// pinCPUs is set when the servers run on CPU 0 and the load tools on 1.
var pinCPUs bool

type options struct {
	duration time.Duration
	rounds   int
	conns    int
	large    bool
	only     string
	servers  string
	verbose  bool
}

func main() {
	var o options
	quick := flag.Bool("quick", false, "one round of one second: a smoke run")
	flag.DurationVar(&o.duration, "duration", 5*time.Second, "length of each wrk run")
	flag.IntVar(&o.rounds, "rounds", 3, "alternating rounds per scenario")
	flag.IntVar(&o.conns, "conns", 32, "connections for the 1 KiB scenarios")
	flag.BoolVar(&o.large, "large", false, "include the 100 MiB file")
	flag.StringVar(&o.only, "only", "", "comma-separated scenarios to run: 1k,1m,100m,short,16k,16k-gzip,1m-gzip,pieces,pieces-origin")
	flag.StringVar(&o.servers, "servers", "", "comma-separated servers to measure (default all), e.g. staticfs,staticfs+accesslog")
	flag.BoolVar(&o.verbose, "v", false, "print every run to stderr as it ends")
	flag.Parse()
	if *quick {
		o.duration, o.rounds = time.Second, 1
	}
	pinCPUs = pin()
	if err := run(o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

func run(o options, out *os.File) error {
	dir, err := os.MkdirTemp("", "loadtest-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	site := dir + "/site"
	os.Mkdir(site, 0o755)
	mem, err := writeFiles(site, o.large)
	if err != nil {
		return err
	}
	servers, stop, err := goServers(site, dir, mem)
	if err != nil {
		return err
	}
	defer stop()
	if addr, gzipAddr, pid, stopNginx, err := startNginx(site, dir); err == nil {
		defer stopNginx()
		cpu := func() time.Duration { return treeCPU(pid) }
		servers["nginx"] = server{"nginx", "http://" + addr, cpu}
		servers["nginx-gzip"] = server{"nginx-gzip", "http://" + gzipAddr, cpu}
	} else {
		fmt.Fprintf(out, "nginx not measured: %v\n\n", err)
	}
	if needsCaddy(o) {
		if addr, pid, stopCaddy, err := startCaddy(site, dir); err == nil {
			defer stopCaddy()
			servers["caddy-gzip"] = server{"caddy-gzip", "http://" + addr, func() time.Duration { return treeCPU(pid) }}
		} else {
			fmt.Fprintf(out, "Caddy not measured: %v\n\n", err)
		}
	}
	if needsFileserver(o) {
		if fs, stopFileservers, err := startFileservers(site, dir); err == nil {
			defer stopFileservers()
			maps.Copy(servers, fs)
		} else {
			fmt.Fprintf(out, "reference server not measured: %v\n\n", err)
		}
	}
	fmt.Fprintln(out, machine())
	rep := newReport()
	for _, sc := range scenarios(o) {
		if _, err := exec.LookPath(sc.tool); err != nil {
			fmt.Fprintf(out, "scenario %s skipped: %s not installed\n", sc.name, sc.tool)
			continue
		}
		if err := sc.measure(servers, o, rep); err != nil {
			return err
		}
	}
	rep.print(out, o)
	return nil
}

// machine describes where the figures come from.
func machine() string {
	model, cpus := "unknown CPU", 0
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(line, "model name") {
				_, model, _ = strings.Cut(line, ": ")
			}
			if strings.HasPrefix(line, "processor") {
				cpus++
			}
		}
	}
	kernel := "unknown kernel"
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		kernel = strings.TrimSpace(string(b))
	}
	pin := "not pinned"
	if pinCPUs {
		pin = "servers on CPU 0, load on CPU 1"
	}
	return fmt.Sprintf("machine: %d CPUs, %s, Linux %s, %s, %s", cpus, model, kernel, runtime.Version(), pin)
}

// pin re-executes the program under "taskset -c 0" once, so that all
// its threads (the Go servers) and nginx run on CPU 0, and reports
// whether they do.
func pin() bool {
	if os.Getenv("LOADTEST_PINNED") == "1" {
		return true
	}
	ts, err := exec.LookPath("taskset")
	if runtime.GOOS != "linux" || runtime.NumCPU() < 2 || err != nil {
		return false
	}
	exe, err := os.Executable()
	if err != nil {
		return false
	}
	env := append(os.Environ(), "LOADTEST_PINNED=1")
	syscall.Exec(ts, append([]string{"taskset", "-c", "0", exe}, os.Args[1:]...), env)
	return false // Exec returned: it failed; run unpinned
}
