package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net/http"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/quic-go/quic-go/http3"
	"go.uber.org/goleak"
)

// compared are the response headers that must agree between HTTP/2 and
// HTTP/3 (Date and Alt-Svc differ by design).
var compared = []string{"Content-Type", "Etag", "Last-Modified", "Content-Range", "Content-Length",
	"Content-Encoding", "Vary", "Cache-Control", "X-Content-Type-Options", "Accept-Ranges", "Allow"}

// answer is what a response says, in the terms the two protocols share.
type answer struct {
	Status int
	Header http.Header
	Body   string
}

// fetch sends one request with client and returns its answer, the
// multipart boundary replaced by BOUNDARY (it is random per response),
// and its Proto and Alt-Svc header.
func fetch(t *testing.T, client *http.Client, method, url string, header http.Header) (answer, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header = header.Clone()
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the body: %v", method, url, err)
	}
	a := answer{Status: resp.StatusCode, Header: http.Header{}, Body: string(body)}
	for _, name := range compared {
		if v, ok := resp.Header[name]; ok {
			a.Header[name] = v
		}
	}
	if ctype, body, ok := withoutBoundary(resp.Header.Get("Content-Type"), a.Body); ok {
		a.Header["Content-Type"], a.Body = []string{ctype}, body
	}
	return a, resp.Proto, resp.Header.Get("Alt-Svc")
}

// clients returns an HTTP/2 client (net/http over TLS) and an HTTP/3 one
// (quic-go's), neither verifying the self-signed certificate, following
// redirects or decompressing.
func clients(t *testing.T) (h2, h3 *http.Client) {
	noRedirect := func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	tlsConf := &tls.Config{InsecureSkipVerify: true}
	t2 := &http.Transport{TLSClientConfig: tlsConf, ForceAttemptHTTP2: true, DisableCompression: true}
	t3 := &http3.Transport{TLSClientConfig: tlsConf, DisableCompression: true}
	t.Cleanup(func() {
		t2.CloseIdleConnections()
		t3.Close()
	})
	return &http.Client{Transport: t2, CheckRedirect: noRedirect, Timeout: 10 * time.Second},
		&http.Client{Transport: t3, CheckRedirect: noRedirect, Timeout: 10 * time.Second}
}

// TestHTTP3SameAsHTTP2 serves the demo site with -http3 and asks the
// same questions over HTTP/2 and over HTTP/3, with quic-go's client: the
// statuses, bodies and representation headers must agree, the TCP
// answers advertise HTTP/3 on the same port, the header log says it
// reconstructed the HTTP/3 heads, and the last line counts them.
func TestHTTP3SameAsHTTP2(t *testing.T) {
	t.Parallel()
	s := start(t, "-tls-self-signed", "-http3", "-log-headers", "lines")
	h2, h3 := clients(t)
	first, _, _ := fetch(t, h2, "GET", s.url+"/style.css", nil)
	etag := first.Header.Get("Etag")
	if etag == "" {
		t.Fatalf("no ETag on /style.css: %v", first.Header)
	}
	hdr := func(kv ...string) http.Header {
		h := http.Header{}
		for i := 0; i < len(kv); i += 2 {
			h.Set(kv[i], kv[i+1])
		}
		return h
	}
	tests := []struct {
		name, method, path string
		header             http.Header
		status             int
	}{
		{"file", "GET", "/style.css", nil, 200},
		{"index", "GET", "/", nil, 200},
		{"compressed", "GET", "/app.js", hdr("Accept-Encoding", "br, gzip"), 200},
		{"404 page", "GET", "/no/such/page", nil, 404},
		{"range", "GET", "/style.css", hdr("Range", "bytes=10-29"), 206},
		{"multipart range", "GET", "/style.css", hdr("Range", "bytes=0-4,100-109"), 206},
		{"unsatisfiable range", "GET", "/style.css", hdr("Range", "bytes=5000-"), 416},
		{"If-None-Match", "GET", "/style.css", hdr("If-None-Match", etag), 304},
		{"If-Range current", "GET", "/style.css", hdr("Range", "bytes=0-9", "If-Range", etag), 206},
		{"If-Range stale", "GET", "/style.css", hdr("Range", "bytes=0-9", "If-Range", `"stale"`), 200},
		{"HEAD", "HEAD", "/style.css", nil, 200},
		{"HEAD 404", "HEAD", "/missing.css", nil, 404},
		{"OPTIONS", "OPTIONS", "/style.css", nil, 204},
	}
	wantAltSvc := `h3=":` + s.addr[strings.LastIndexByte(s.addr, ':')+1:] + `"; ma=86400`
	for _, tt := range tests {
		over2, proto2, alt2 := fetch(t, h2, tt.method, s.url+tt.path, tt.header)
		over3, proto3, alt3 := fetch(t, h3, tt.method, s.url+tt.path, tt.header)
		if over2.Status != tt.status {
			t.Errorf("%s: HTTP/2 status %d, want %d", tt.name, over2.Status, tt.status)
		}
		if diff := cmp.Diff(over2, over3); diff != "" {
			t.Errorf("%s: HTTP/2 (-) and HTTP/3 (+) differ:\n%s", tt.name, diff)
		}
		if proto2 != "HTTP/2.0" || proto3 != "HTTP/3.0" {
			t.Errorf("%s: protocols %s and %s, want HTTP/2.0 and HTTP/3.0", tt.name, proto2, proto3)
		}
		if alt2 != wantAltSvc || alt3 != "" {
			t.Errorf("%s: Alt-Svc %q over TCP (want %q) and %q over QUIC (want none)", tt.name, alt2, wantAltSvc, alt3)
		}
		// Guards: the rows really exercised what they are named for.
		switch tt.name {
		case "compressed":
			if over3.Header.Get("Content-Encoding") == "" || !strings.Contains(over3.Header.Get("Vary"), "Accept-Encoding") {
				t.Errorf("compressed: not compressed over HTTP/3: %v", over3.Header)
			}
		case "If-None-Match", "OPTIONS":
			if _, ok := over3.Header["Content-Length"]; ok {
				t.Errorf("%s: Content-Length on a %d over HTTP/3", tt.name, over3.Status)
			}
		case "multipart range":
			if !strings.HasPrefix(over3.Header.Get("Content-Type"), "multipart/byteranges") {
				t.Errorf("multipart range: Content-Type %q", over3.Header.Get("Content-Type"))
			}
		case "404 page":
			if !strings.Contains(over3.Body, "<html") && !strings.Contains(over3.Body, "<!doctype") && !strings.Contains(over3.Body, "<!DOCTYPE") {
				t.Errorf("404 page: not the site's 404.html: %q", over3.Body)
			}
		}
	}
	// HTTP/1.1 over TLS advertises HTTP/3 too.
	h1 := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, TLSNextProto: map[string]func(string, *tls.Conn) http.RoundTripper{}}}
	if a, proto, alt := fetch(t, h1, "GET", s.url+"/style.css", nil); proto != "HTTP/1.1" || alt != wantAltSvc || a.Status != 200 {
		t.Errorf("HTTP/1.1 over TLS: %d %s, Alt-Svc %q", a.Status, proto, alt)
	}
	h1.CloseIdleConnections()

	s.stop(t, syscall.SIGINT)
	if want := "http3: on udp " + s.addr + ", advertised as Alt-Svc: " + wantAltSvc + "\n"; !strings.Contains(s.stdout.String(), want) {
		t.Errorf("no %q in stdout:\n%s", want, s.stdout.String())
	}
	if want := regexp.MustCompile(`(?m)^stopped: served \d+ requests on \d+ connections, and 13 requests on 1 QUIC connections over HTTP/3$`); !want.MatchString(s.stdout.String()) {
		t.Errorf("stopped line does not count the 13 HTTP/3 requests on 1 connection:\n%s", s.stdout.String())
	}
	if got, want := strings.Count(s.stderr.String(), "(reconstructed: HTTP/3.0 has no raw head)"), len(tests); got != want {
		t.Errorf("header log says %d times that it reconstructed an HTTP/3 head, want %d:\n%s", got, want, s.stderr.String())
	}
}

// TestHTTP3Flags: -http3 without TLS, or with -conn short, exits 2 with
// one line.
func TestHTTP3Flags(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"-http3"}, "fileserver: -http3 without TLS: QUIC needs a certificate, give -tls-cert and -tls-key or -tls-self-signed\n"},
		{[]string{"-http3", "-h2c"}, "fileserver: -http3 without TLS: QUIC needs a certificate, give -tls-cert and -tls-key or -tls-self-signed\n"},
		{[]string{"-http3", "-tls-self-signed", "-conn", "short"}, "fileserver: -http3 with -conn short: QUIC connections are not the connection layer's, and quic-go cannot end one after its first response\n"},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		cmd := exec.CommandContext(ctx, binary, tt.args...)
		cmd.Dir = "../.."
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		cancel()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 2 {
			t.Errorf("%v: exit = %v, want status 2", tt.args, err)
		}
		if diff := cmp.Diff(tt.want, stderr.String()); diff != "" {
			t.Errorf("%v: stderr (-want +got):\n%s", tt.args, diff)
		}
	}
}

// TestHTTP3ShutdownLeavesNoGoroutine runs the server in this process
// with -http3, serves one request over QUIC with a connection still
// open, cancels run's context as Ctrl-C does, and checks that run
// returns and no goroutine of the HTTP/3 server is left. Not parallel:
// goleak sees the whole process.
func TestHTTP3ShutdownLeavesNoGoroutine(t *testing.T) {
	cfg, err := parseFlags([]string{"-addr", "127.0.0.1:0", "-root", "../../testdata/site", "-tls-self-signed", "-http3", "-quiet"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	before := goleak.IgnoreCurrent()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, cfg, pw)
		pw.Close()
	}()
	lines := make(chan string, 64) // run prints a handful
	go func() {
		defer close(lines)
		for sc := bufio.NewScanner(pr); sc.Scan(); {
			lines <- sc.Text()
		}
	}()
	var url string
	select {
	case l := <-lines:
		m := urlLine.FindStringSubmatch(l)
		if m == nil {
			t.Fatalf("first line %q", l)
		}
		url = m[1]
	case err := <-done:
		t.Fatalf("run returned before serving: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("no URL line within 10s")
	}
	t3 := &http3.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}
	resp, err := (&http.Client{Transport: t3, Timeout: 10 * time.Second}).Get(url + "/style.css")
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.Proto != "HTTP/3.0" || resp.StatusCode != 200 {
		t.Errorf("%s %d, want HTTP/3.0 200", resp.Proto, resp.StatusCode)
	}
	cancel() // the connection is still open: Shutdown must end it
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("run did not return within 15s of the cancel")
	}
	t3.Close()
	var rest []string
	for l := range lines {
		rest = append(rest, l)
	}
	if last := rest[len(rest)-1]; !strings.HasSuffix(last, ", and 1 requests on 1 QUIC connections over HTTP/3") {
		t.Errorf("last line %q does not count the HTTP/3 request", last)
	}
	if err := goleak.Find(before); err != nil {
		t.Errorf("goroutines left after run returned: %v", err)
	}
}

// TestHTTP3AnyAddress: with -addr 0.0.0.0:0, UDP listens on the port
// TCP got, and HTTP/3 answers on loopback there.
func TestHTTP3AnyAddress(t *testing.T) {
	t.Parallel()
	s := start(t, "-addr", "0.0.0.0:0", "-tls-self-signed", "-http3", "-log-headers", "off")
	h2, h3 := clients(t)
	over2, _, alt := fetch(t, h2, "GET", s.url+"/style.css", nil)
	over3, proto, _ := fetch(t, h3, "GET", s.url+"/style.css", nil)
	port := s.addr[strings.LastIndexByte(s.addr, ':')+1:]
	if alt != `h3=":`+port+`"; ma=86400` || proto != "HTTP/3.0" || over3.Status != 200 {
		t.Errorf("Alt-Svc %q, %s %d", alt, proto, over3.Status)
	}
	if diff := cmp.Diff(over2, over3); diff != "" {
		t.Errorf("HTTP/2 (-) and HTTP/3 (+) differ:\n%s", diff)
	}
	s.stop(t, syscall.SIGINT)
	// Go listens dual-stack for 0.0.0.0 with "udp" as with "tcp": [::].
	if !regexp.MustCompile(`(?m)^http3: on udp (0\.0\.0\.0|\[::\]):` + port + `,`).MatchString(s.stdout.String()) {
		t.Errorf("stdout does not say UDP listens on any address, port %s:\n%s", port, s.stdout.String())
	}
}
