package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

var metricsLine = regexp.MustCompile(`^metrics on (http://127\.0\.0\.1:\d+/metrics)$`)

// startMetrics is start with -metrics 127.0.0.1:0: it also waits for the
// line that says where the metrics are, and returns their URL.
func startMetrics(t *testing.T, args ...string) (*server, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, binary, append([]string{"-addr", "127.0.0.1:0", "-metrics", "127.0.0.1:0"}, args...)...)
	cmd.Dir = "../.."
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, stderr: new(bytes.Buffer), done: make(chan error, 1)}
	cmd.Stderr = s.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stdout)
	var metricsURL string
	for metricsURL == "" && lines.Scan() {
		if m := urlLine.FindStringSubmatch(lines.Text()); m != nil {
			s.url, s.addr = m[1], m[2]
		} else if m := metricsLine.FindStringSubmatch(lines.Text()); m != nil {
			metricsURL = m[1]
		}
	}
	if s.url == "" || metricsURL == "" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("server printed no URL and metrics lines; stderr: %s", s.stderr)
	}
	go func() {
		io.Copy(io.Discard, stdout)
		s.done <- cmd.Wait()
	}()
	t.Cleanup(func() { s.stop(t, syscall.SIGINT) })
	return s, metricsURL
}

// rawConn sends request heads of known sizes on one connection and
// reads the answers.
type rawConn struct {
	c  net.Conn
	br *bufio.Reader

	sent, body int // head bytes sent, body bytes read
}

func dialRaw(t *testing.T, addr string) *rawConn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(10 * time.Second))
	return &rawConn{c: c, br: bufio.NewReader(c)}
}

// do sends "METHOD target" and returns the answer's status.
func (rc *rawConn) do(t *testing.T, method, target string) int {
	t.Helper()
	head := method + " " + target + " HTTP/1.1\r\nHost: metrics.test\r\nUser-Agent: metricsflag-test\r\n\r\n"
	if _, err := io.WriteString(rc.c, head); err != nil {
		t.Fatal(err)
	}
	rc.sent += len(head)
	resp, err := http.ReadResponse(rc.br, &http.Request{Method: method})
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	n, err := io.Copy(io.Discard, resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	rc.body += int(n)
	resp.Body.Close()
	return resp.StatusCode
}

// closedByServer reports whether the server closes the connection
// within 5 s, with no byte more.
func (rc *rawConn) closedByServer() bool {
	rc.c.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, err := rc.br.ReadByte()
	return errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET)
}

// scrape reads the exposition at url, parsed by Prometheus's own text
// parser, into name[,label=value…] → value; a histogram gives its
// count, and for the connection histogram its sum and every bucket.
// It retries until the connection layer has no connection open, up to
// 5 s: a close by the client reaches the server a moment later.
func scrape(t *testing.T, url string) map[string]float64 {
	t.Helper()
	client := &http.Client{Timeout: 5 * time.Second}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		resp, err := client.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %s", url, resp.Status)
		}
		parser := expfmt.NewTextParser(model.UTF8Validation)
		families, err := parser.TextToMetricFamilies(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("exposition does not parse: %v\n%s", err, body)
		}
		got := map[string]float64{}
		for name, f := range families {
			for _, mt := range f.GetMetric() {
				key := name
				for _, lp := range mt.GetLabel() {
					key += "," + lp.GetName() + "=" + lp.GetValue()
				}
				switch {
				case mt.Counter != nil:
					got[key] = mt.GetCounter().GetValue()
				case mt.Gauge != nil:
					got[key] = mt.GetGauge().GetValue()
				case mt.Histogram != nil:
					h := mt.GetHistogram()
					got[key+",count"] = float64(h.GetSampleCount())
					if name == "webstatic_conn_requests_per_connection" {
						got[key+",sum"] = h.GetSampleSum()
						for _, b := range h.GetBucket() {
							got[key+",le="+strconv.FormatFloat(b.GetUpperBound(), 'g', -1, 64)] = float64(b.GetCumulativeCount())
						}
					}
				}
			}
		}
		if got["webstatic_conn_open"] == 0 || time.Now().After(deadline) {
			return got
		}
	}
}

// connWant is what the connection layer's metrics must say: the
// counters, and the cumulative buckets of requests per connection at
// 0, 1, 2, 5 (every later bound and +Inf count all connections).
func connWant(accepted, requests, byPolicy, headerBytes int, le0, le1, le2, le5 int, sum int) map[string]float64 {
	w := map[string]float64{
		"webstatic_conn_accepted_total":                float64(accepted),
		"webstatic_conn_open":                          0,
		"webstatic_conn_requests_total":                float64(requests),
		"webstatic_conn_closed_by_policy_total":        float64(byPolicy),
		"webstatic_conn_shed_total":                    0,
		"webstatic_conn_refused_total":                 0,
		"webstatic_conn_rejected_per_client_total":     0,
		"webstatic_conn_descriptor_exhausted_total":    0,
		"webstatic_conn_header_bytes_total":            float64(headerBytes),
		"webstatic_conn_requests_per_connection,count": float64(accepted),
		"webstatic_conn_requests_per_connection,sum":   float64(sum),
		"webstatic_conn_requests_per_connection,le=0":  float64(le0),
		"webstatic_conn_requests_per_connection,le=1":  float64(le1),
		"webstatic_conn_requests_per_connection,le=2":  float64(le2),
		"webstatic_conn_requests_per_connection,le=5":  float64(le5),
	}
	for _, le := range []string{"10", "20", "50", "100", "1000", "+Inf"} {
		w["webstatic_conn_requests_per_connection,le="+le] = float64(accepted)
	}
	return w
}

// TestMetricsFlag runs the server with -metrics and a known request mix
// over raw TCP, then scrapes the metrics listener and compares every
// value: the requests by method and class, the body bytes the client
// read, the latency counts, and the connection layer's counters,
// including connections closed by -max-requests and by -conn short, the
// histogram of requests per connection and the head bytes sent. The
// scrapes themselves, on their own listener, count nowhere; /metrics on
// the site's listener is a file path like any other, a 404.
func TestMetricsFlag(t *testing.T) {
	t.Run("max-requests", func(t *testing.T) {
		s, murl := startMetrics(t, "-max-requests", "2")
		var sent, body int
		// 2 requests, closed by the policy.
		a := dialRaw(t, s.addr)
		a.do(t, "GET", "/")
		if code := a.do(t, "GET", "/metrics"); code != http.StatusNotFound {
			t.Errorf("GET /metrics on the site's listener: %d, want 404", code)
		}
		if !a.closedByServer() {
			t.Error("connection not closed after -max-requests 2")
		}
		// 1 request, closed by the client.
		b := dialRaw(t, s.addr)
		b.do(t, "HEAD", "/style.css")
		b.c.Close()
		// No request at all.
		c := dialRaw(t, s.addr)
		c.c.Close()
		// 2 requests again, the second a 405.
		d := dialRaw(t, s.addr)
		d.do(t, "GET", "/style.css")
		d.do(t, "POST", "/style.css")
		if !d.closedByServer() {
			t.Error("connection not closed after -max-requests 2")
		}
		for _, rc := range []*rawConn{a, b, c, d} {
			sent += rc.sent
			body += rc.body
		}
		// The first scrape waits for the closes, the second is what a
		// scrape counts: nothing.
		scrape(t, murl)
		got := scrape(t, murl)
		want := connWant(4, 5, 2, sent, 1, 2, 4, 4, 5)
		for k, v := range map[string]float64{
			"webstatic_http_requests_total,class=2xx,method=GET":        2,
			"webstatic_http_requests_total,class=4xx,method=GET":        1,
			"webstatic_http_requests_total,class=2xx,method=HEAD":       1,
			"webstatic_http_requests_total,class=4xx,method=POST":       1,
			"webstatic_http_response_bytes_total":                       float64(body),
			"webstatic_http_request_duration_seconds,method=GET,count":  3,
			"webstatic_http_request_duration_seconds,method=HEAD,count": 1,
			"webstatic_http_request_duration_seconds,method=POST,count": 1,
			"webstatic_http_requests_in_flight":                         0,
		} {
			want[k] = v
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("metrics (-want +got):\n%s", diff)
		}
		if body < 800+404 {
			t.Errorf("the client read %d body bytes, want at least index.html and style.css", body)
		}
	})
	t.Run("short", func(t *testing.T) {
		s, murl := startMetrics(t, "-conn", "short", "-log-headers", "lines")
		var sent, body int
		for _, target := range []string{"/", "/app.js", "/nope"} {
			rc := dialRaw(t, s.addr)
			rc.do(t, "GET", target)
			if !rc.closedByServer() {
				t.Errorf("GET %s: connection not closed in short mode", target)
			}
			sent += rc.sent
			body += rc.body
		}
		got := scrape(t, murl)
		want := connWant(3, 3, 3, sent, 0, 3, 3, 3, 3)
		for k, v := range map[string]float64{
			"webstatic_http_requests_total,class=2xx,method=GET":       2,
			"webstatic_http_requests_total,class=4xx,method=GET":       1,
			"webstatic_http_response_bytes_total":                      float64(body),
			"webstatic_http_request_duration_seconds,method=GET,count": 3,
			"webstatic_http_requests_in_flight":                        0,
		} {
			want[k] = v
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("metrics (-want +got):\n%s", diff)
		}
	})
	t.Run("no capture", func(t *testing.T) {
		// -log-headers off: no head is captured, so none is counted.
		s, murl := startMetrics(t, "-log-headers", "off")
		rc := dialRaw(t, s.addr)
		rc.do(t, "GET", "/app.js")
		rc.c.Close()
		got := scrape(t, murl)
		if got["webstatic_conn_header_bytes_total"] != 0 || got["webstatic_conn_requests_total"] != 1 {
			t.Errorf("header bytes %v, requests %v; want 0 and 1", got["webstatic_conn_header_bytes_total"], got["webstatic_conn_requests_total"])
		}
	})
}

// TestMetricsFlagBad: a bad -metrics exits 2 with one line, as does the
// address of the site itself.
func TestMetricsFlagBad(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-metrics", "9100"}, "fileserver: -metrics \"9100\": want host:port\n"},
		{[]string{"-metrics", "127.0.0.1:70000"}, "fileserver: -metrics \"127.0.0.1:70000\": port must be a number from 0 to 65535\n"},
		{[]string{"-addr", "127.0.0.1:8080", "-metrics", "127.0.0.1:8080"}, "fileserver: -metrics \"127.0.0.1:8080\": the same address as -addr \"127.0.0.1:8080\"; give the metrics a port of their own\n"},
		{[]string{"-addr", "0.0.0.0:8080", "-metrics", "127.0.0.1:8080"}, "fileserver: -metrics \"127.0.0.1:8080\": the same address as -addr \"0.0.0.0:8080\"; give the metrics a port of their own\n"},
		{[]string{"-metrics", ":8080"}, "fileserver: -metrics \":8080\": the same address as -addr \"127.0.0.1:8080\"; give the metrics a port of their own\n"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			out, code := runBinaryOut(t, tt.args...)
			if code != 2 || out != tt.want {
				t.Errorf("exit %d, %q; want 2, %q", code, out, tt.want)
			}
		})
	}
	// Different ports, and port 0 for both, are fine.
	for _, args := range [][]string{{"-addr", "127.0.0.1:8080", "-metrics", "127.0.0.1:9100"}, {"-addr", "127.0.0.1:0", "-metrics", "127.0.0.1:0"}} {
		if _, err := parseFlags(append(args, "../../testdata/site"), io.Discard); err != nil {
			t.Errorf("%v: %v", args, err)
		}
	}
}
