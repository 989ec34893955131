package conn_test

import (
	"context"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/webstatic/webstatic/staticfs/conn"
)

// needTool returns the path of a command-line tool. A missing tool skips
// the test, except in CI (CI=true), where it fails it.
func needTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s not installed; CI must install it", name)
	}
	pkg := name
	if name == "ab" {
		pkg = "apache2-utils"
	}
	t.Skipf("%s not installed (apt-get install %s); skipping", name, pkg)
	return ""
}

// run runs a tool with a 60 s deadline and returns its combined output.
func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, needTool(t, name), args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// TestCurl makes two requests in one curl run and reads connection reuse
// from curl -v and from the listener's counters.
func TestCurl(t *testing.T) {
	type result struct {
		Reused          bool // curl -v: "Re-using existing connection"
		LeftIntact      int  // curl -v: "left intact"
		ConnectionClose int  // response header lines "< Connection: close"
		KeepAlive       int  // response header lines "< Connection: keep-alive"
		Accepted        uint64
		Requests        uint64
	}
	tests := []struct {
		name   string
		policy conn.Policy
		flags  []string
		want   result
	}{
		{"keepalive/http11", conn.Policy{}, nil, result{true, 2, 0, 0, 1, 2}},
		{"keepalive/http10 keep-alive", conn.Policy{}, []string{"-0", "-H", "Connection: keep-alive"}, result{true, 2, 0, 2, 1, 2}},
		{"keepalive/http10", conn.Policy{}, []string{"-0"}, result{false, 0, 0, 0, 2, 2}},
		{"keepalive/max requests 1", conn.Policy{MaxRequests: 1}, nil, result{false, 0, 2, 0, 2, 2}},
		{"short/http11", conn.Policy{Mode: conn.Short}, nil, result{false, 0, 2, 0, 2, 2}},
		{"short/http10 keep-alive", conn.Policy{Mode: conn.Short}, []string{"-0", "-H", "Connection: keep-alive"}, result{false, 0, 2, 0, 2, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			needTool(t, "curl")
			ts := startServer(t, tt.policy, fixedHandler(), nil)
			args := append([]string{"-sv", "--max-time", "20", "-o", "/dev/null", "-o", "/dev/null"}, tt.flags...)
			out := run(t, "curl", append(args, ts.URL+"/a", ts.URL+"/b")...)
			s := waitStats(t, ts.L, noneOpen)
			got := result{
				Reused:          strings.Contains(out, "Re-using existing connection"),
				LeftIntact:      strings.Count(out, "left intact"),
				ConnectionClose: strings.Count(strings.ToLower(out), "< connection: close"),
				KeepAlive:       strings.Count(strings.ToLower(out), "< connection: keep-alive"),
				Accepted:        s.Accepted,
				Requests:        s.Requests,
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("curl (-want +got):\n%s\ncurl output:\n%s", diff, out)
			}
		})
	}
}

// TestApacheBench runs ab (HTTP/1.0) with and without -k against both
// modes: no failed requests, and keep-alive only where it was promised.
func TestApacheBench(t *testing.T) {
	const n, c = 2000, 8
	type result struct {
		Complete, Failed, Non2xx, KeepAlive int
	}
	tests := []struct {
		name      string
		policy    conn.Policy
		keepAlive bool
		want      result
	}{
		{"keepalive", conn.Policy{}, false, result{n, 0, 0, -1}},
		{"keepalive -k", conn.Policy{}, true, result{n, 0, 0, n}},
		{"short", conn.Policy{Mode: conn.Short}, false, result{n, 0, 0, -1}},
		{"short -k", conn.Policy{Mode: conn.Short}, true, result{n, 0, 0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			needTool(t, "ab")
			ts := startServer(t, tt.policy, fixedHandler(), nil)
			args := []string{"-q", "-n", strconv.Itoa(n), "-c", strconv.Itoa(c), "-s", "10"}
			if tt.keepAlive {
				args = append(args, "-k")
			}
			out := run(t, "ab", append(args, ts.URL+"/a")...)
			got := result{
				Complete:  abField(out, "Complete requests"),
				Failed:    abField(out, "Failed requests"),
				Non2xx:    max(abField(out, "Non-2xx responses"), 0),
				KeepAlive: abField(out, "Keep-Alive requests"),
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ab (-want +got):\n%s\nab output:\n%s", diff, out)
			}
			s := waitStats(t, ts.L, noneOpen)
			if s.Requests != n {
				t.Errorf("Stats.Requests = %d, want %d", s.Requests, n)
			}
			// ab opens up to c extra connections near the end that send
			// nothing; the bound is what the test can promise.
			lo, hi := uint64(n), uint64(n+c)
			if tt.keepAlive && tt.policy.Mode == conn.KeepAlive {
				lo, hi = 1, c
			}
			if s.Accepted < lo || s.Accepted > hi {
				t.Errorf("Stats.Accepted = %d, want %d to %d", s.Accepted, lo, hi)
			}
		})
	}
}

// abField returns the number after "name:" in ab's report, or -1 if the
// line is absent (ab prints "Keep-Alive requests" only with -k, and
// "Non-2xx responses" only when there are some).
func abField(out, name string) int {
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + `:\s+(\d+)`).FindStringSubmatch(out)
	if m == nil {
		return -1
	}
	n, _ := strconv.Atoi(m[1])
	return n
}
