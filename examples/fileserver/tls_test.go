package main

import (
	"context"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// curlProto fetches url with curl and the given protocol flags, and
// returns the status, the HTTP version curl used and the body.
func curlProto(t *testing.T, curl, url string, flags ...string) (string, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	args := append([]string{"-sS", "-k", "-w", "\n%{http_code} %{http_version}"}, flags...)
	out, err := exec.CommandContext(ctx, curl, append(args, url)...).Output()
	if err != nil {
		t.Fatalf("curl %v %s: %v", flags, url, err)
	}
	s := string(out)
	i := strings.LastIndexByte(s, '\n')
	status, version, _ := strings.Cut(s[i+1:], " ")
	return status, version, s[:i]
}

// TestTLS serves HTTPS with a self-signed certificate: HTTP/2 and
// HTTP/1.1 by ALPN with curl, the header log saying it reconstructed
// the heads, the certificate's fingerprint printed, and short mode
// ending each HTTP/2 connection after its first response (GOAWAY).
func TestTLS(t *testing.T) {
	t.Parallel()
	curl := curlBin(t)
	s := start(t, "-tls-self-signed", "-log-headers", "lines")
	if !strings.HasPrefix(s.url, "https://") {
		t.Fatalf("URL %s is not https", s.url)
	}
	for _, tc := range []struct{ flag, version string }{{"--http2", "2"}, {"--http1.1", "1.1"}} {
		status, version, body := curlProto(t, curl, s.url+"/", tc.flag)
		if status != "200" || version != tc.version || !strings.Contains(body, "<title>") {
			t.Errorf("curl %s: %s, HTTP/%s, %d bytes", tc.flag, status, version, len(body))
		}
	}
	s.stop(t, syscall.SIGINT)
	if !regexp.MustCompile(`(?m)^certificate: self-signed for localhost, 127\.0\.0\.1, ::1, SHA-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}$`).MatchString(s.stdout.String()) {
		t.Errorf("no certificate line in %q", s.stdout.String())
	}
	if got := s.stderr.String(); !strings.Contains(got, "(reconstructed: HTTP/2.0 has no raw head)") ||
		!strings.Contains(got, "(reconstructed: capture unavailable on this connection)") {
		t.Errorf("header log does not say it reconstructed the heads:\n%s", got)
	}

	short := start(t, "-tls-self-signed", "-conn", "short", "-log-headers", "off")
	for i := 0; i < 2; i++ {
		if status, version, _ := curlProto(t, curl, short.url+"/style.css", "--http2"); status != "200" || version != "2" {
			t.Errorf("short mode over HTTP/2: %s, HTTP/%s", status, version)
		}
	}
	short.stop(t, syscall.SIGINT)
	if !strings.Contains(short.stdout.String(), "served 2 requests on 2 connections") {
		t.Errorf("short mode over HTTP/2 kept a connection: %q", short.stdout.String())
	}
}

// TestH2C serves HTTP/2 without TLS beside HTTP/1.1.
func TestH2C(t *testing.T) {
	t.Parallel()
	curl := curlBin(t)
	s := start(t, "-h2c", "-log-headers", "off")
	for _, tc := range []struct{ flag, version string }{{"--http2-prior-knowledge", "2"}, {"--http1.1", "1.1"}} {
		status, version, body := curlProto(t, curl, s.url+"/style.css", tc.flag)
		if status != "200" || version != tc.version || !strings.Contains(body, "--accent") {
			t.Errorf("curl %s: %s, HTTP/%s, %q", tc.flag, status, version, body)
		}
	}
}

// TestBrowserOverHTTP2 loads the demo site in headless Chromium over
// HTTPS, HTTP/2 by ALPN, and checks it as TestBrowserAppliesSite does.
func TestBrowserOverHTTP2(t *testing.T) {
	t.Parallel()
	browser := chromium(t)
	s := start(t, "-tls-self-signed", "-log-headers", "lines")
	dom := dumpDOM(t, browser, s.url+"/", "--ignore-certificate-errors")
	if !strings.Contains(dom, "JavaScript was served and executed. Stylesheet applied: #2a6df4.") {
		t.Errorf("over HTTPS: script or stylesheet not applied:\n%s", dom)
	}
	s.stop(t, syscall.SIGINT)
	if !strings.Contains(s.stderr.String(), "GET /app.js HTTP/2.0") {
		t.Errorf("Chromium did not fetch the script over HTTP/2:\n%s", s.stderr.String())
	}
}

// TestH2Load drives the -h2c server with h2load (Debian nghttp2-client),
// 2,000 requests over 8 connections with 4 streams each: every one must
// succeed.
func TestH2Load(t *testing.T) {
	t.Parallel()
	h2load, err := exec.LookPath("h2load")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("h2load not found; .ci/run installs nghttp2-client")
		}
		t.Skip("h2load not found: apt-get install nghttp2-client")
	}
	s := start(t, "-h2c", "-log-headers", "off")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, h2load, "-n", "2000", "-c", "8", "-m", "4", s.url+"/style.css").CombinedOutput()
	if err != nil {
		t.Fatalf("h2load: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "2000 succeeded, 0 failed, 0 errored, 0 timeout") ||
		!strings.Contains(string(out), "status codes: 2000 2xx") {
		t.Errorf("h2load:\n%s", out)
	}
}
