package main

import (
	"crypto/rand"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/webstatic/webstatic/staticfs/s3fs"
)

// TestS3Performance measures the reference server over a bucket on a
// loopback SeaweedFS, with curl as the client: time to first byte of a
// 1 KiB cache hit and of `Range: bytes=0-99` on a 10 MiB object (medians
// of 20, cache warm), and the rate of a 100 MiB object streamed through
// the server beside a direct, signed GET of the same object from the
// gateway. It reports the figures (FIGURE lines) and checks the bytes;
// the targets are judged from the figures, not by a timed assertion.
func TestS3Performance(t *testing.T) {
	longRun(t)
	curl := lookTool(t, "curl")
	w := startWeed(t)
	dir := t.TempDir()
	sizes := map[string]int{"1k.bin": 1 << 10, "10m.bin": 10 << 20, "100m.bin": 100 << 20}
	for name, n := range sizes {
		b := make([]byte, n)
		rand.Read(b)
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	w.makeBucket(t, "perf", "", dir)
	s := startEnv(t, w.env(), "-root", "s3://perf", "-s3-path-style", "-log-headers", "off", "-compress", "off")

	// curlTimes runs curl n times and returns the -w values and the
	// bytes each got.
	curlTimes := func(n int, extra ...string) ([]float64, []int) {
		var ts []float64
		var sizes []int
		for range n {
			args := append([]string{"-s", "-o", "/dev/null", "-w", "%{time_starttransfer} %{size_download} %{speed_download}\n"}, extra...)
			out, err := exec.Command(curl, args...).Output()
			if err != nil {
				t.Fatalf("curl %v: %v", extra, err)
			}
			f := strings.Fields(string(out))
			v, _ := strconv.ParseFloat(f[0], 64)
			size, _ := strconv.Atoi(f[1])
			if strings.Contains(strings.Join(extra, " "), "100m") {
				v, _ = strconv.ParseFloat(f[2], 64) // bytes per second
			}
			ts = append(ts, v)
			sizes = append(sizes, size)
		}
		return ts, sizes
	}
	median := func(v []float64) float64 {
		s := append([]float64(nil), v...)
		sort.Float64s(s)
		return s[len(s)/2]
	}
	ms := func(sec float64) string { return strconv.FormatFloat(sec*1000, 'f', 2, 64) + " ms" }

	curlTimes(3, s.url+"/1k.bin") // warm: listing and memory cache
	ttfb, got := curlTimes(20, s.url+"/1k.bin")
	if got[0] != 1<<10 {
		t.Fatalf("1k.bin: %d bytes", got[0])
	}
	t.Logf("FIGURE s3 1 KiB cache hit, time to first byte: median %s of 20 (target <= 1 ms)", ms(median(ttfb)))

	curlTimes(2, "-H", "Range: bytes=0-99", s.url+"/10m.bin")
	ttfb, got = curlTimes(20, "-H", "Range: bytes=0-99", s.url+"/10m.bin")
	if got[0] != 100 {
		t.Fatalf("range of 10m.bin: %d bytes", got[0])
	}
	t.Logf("FIGURE s3 Range bytes=0-99 of 10 MiB, time to first byte: median %s of 20 (target <= 5 ms)", ms(median(ttfb)))

	sig := []string{"--aws-sigv4", "aws:amz:us-east-1:s3", "--user", weedAccessKey + ":" + weedSecretKey}
	// Each way is timed in its own loop, with the CPU time of every
	// process on the path: the store's, the server's and curl's (the test
	// process's terminated children).
	type cost struct{ store, server, curl time.Duration }
	var direct, through []float64
	var cd, ct cost
	measure := func(rates *[]float64, c *cost, args ...string) {
		w0, s0, c0 := processCPU(t, w.pid), processCPU(t, s.cmd.Process.Pid), childrenCPU(t)
		r, n := curlTimes(1, args...)
		if n[0] != 100<<20 {
			t.Fatalf("100m.bin: %d bytes from %v", n[0], args)
		}
		*rates = append(*rates, r[0])
		c.store += processCPU(t, w.pid) - w0
		c.server += processCPU(t, s.cmd.Process.Pid) - s0
		c.curl += childrenCPU(t) - c0
	}
	start := time.Now()
	for i := 0; i < 5 && time.Since(start) < 2*time.Minute; i++ {
		measure(&direct, &cd, append(sig, w.endpoint+"/perf/100m.bin")...)
		measure(&through, &ct, s.url+"/100m.bin")
	}
	per := func(d time.Duration) time.Duration { return (d / time.Duration(len(direct))).Round(time.Millisecond) }
	// The same object read by staticfs/s3fs in this process, to nowhere:
	// what the gateway gives a Go client, without the second hop.
	fsys := &s3fs.Fs{Client: w.client, Bucket: "perf"}
	var sdk []float64
	for range len(direct) {
		f, err := fsys.Open("/100m.bin")
		if err != nil {
			t.Fatal(err)
		}
		t0 := time.Now()
		n, err := io.Copy(io.Discard, struct{ io.Reader }{f})
		el := time.Since(t0)
		f.Close()
		if err != nil || n != 100<<20 {
			t.Fatalf("s3fs read: %d bytes, %v", n, err)
		}
		sdk = append(sdk, float64(n)/el.Seconds())
	}
	md, mt := median(direct), median(through)
	t.Logf("FIGURE s3 100 MiB streamed: direct from the gateway %.0f MB/s, through the server %.0f MB/s, ratio %.2f (medians of %d alternating runs; target >= 0.9); s3fs alone in the test process %.0f MB/s",
		md/1e6, mt/1e6, mt/md, len(direct), median(sdk)/1e6)
	t.Logf("FIGURE s3 CPU per 100 MiB: direct: store %v + curl %v = %v; through the server: store %v + server %v + curl %v = %v",
		per(cd.store), per(cd.curl), per(cd.store+cd.curl), per(ct.store), per(ct.server), per(ct.curl), per(ct.store+ct.server+ct.curl))
}

// processCPU returns the user and system CPU time of process pid.
func processCPU(t *testing.T, pid int) time.Duration {
	t.Helper()
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	// Fields after the command name, which is in parentheses: utime and
	// stime are the 12th and 13th of them, in clock ticks (100 a second).
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+2:]))
	u, _ := strconv.Atoi(f[11])
	st, _ := strconv.Atoi(f[12])
	return time.Duration(u+st) * 10 * time.Millisecond
}

// childrenCPU returns the user and system CPU time of the test process's
// children that have ended (the curl runs).
func childrenCPU(t *testing.T) time.Duration {
	t.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_CHILDREN, &ru); err != nil {
		t.Skipf("getrusage: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
