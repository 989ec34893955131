package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"
)

// binary is the reference server built once for all tests.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "fileserver-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "fileserver")
	out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintf(os.Stderr, "goleak: %v\n", err)
			code = 1
		}
	}
	os.Exit(code)
}

// server is a running reference server process.
type server struct {
	url    string // http://127.0.0.1:PORT
	addr   string // 127.0.0.1:PORT
	cmd    *exec.Cmd
	stderr *bytes.Buffer
	stdout bytes.Buffer // what it printed after its first line; read it after stop
	done   chan error
	exited bool // stop has seen the process end
}

var urlLine = regexp.MustCompile(`^serving .+ on (https?://(127\.0\.0\.1:\d+)) \((keepalive|short), (disk|memory|s3 at [^)]+)\)$`)

// start runs the server on 127.0.0.1:0 with the given flags, waits for
// the line with its URL and stops it gracefully when the test ends.
func start(t *testing.T, args ...string) *server {
	t.Helper()
	return startEnv(t, nil, args...)
}

// startEnv is start with env added to the test's environment.
func startEnv(t *testing.T, env []string, args ...string) *server {
	t.Helper()
	// A bound on the server's life in case a test loses track of it; the
	// soak runs for -soak on top.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute+*soakTime)
	t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, binary, append([]string{"-addr", "127.0.0.1:0"}, args...)...)
	cmd.Dir = "../.."
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
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
	if !lines.Scan() {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("server printed no URL line; stderr: %s", s.stderr)
	}
	m := urlLine.FindStringSubmatch(lines.Text())
	if m == nil {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("first line %q does not name the URL", lines.Text())
	}
	s.url, s.addr = m[1], m[2]
	go func() {
		// The scanner may hold lines after the first already.
		for lines.Scan() {
			s.stdout.WriteString(lines.Text() + "\n")
		}
		io.Copy(&s.stdout, stdout)
		s.done <- cmd.Wait()
	}()
	t.Cleanup(func() { s.stop(t, syscall.SIGINT) })
	return s
}

// stop signals the server and requires a clean exit within 10 s.
func (s *server) stop(t *testing.T, sig os.Signal) {
	t.Helper()
	if s.exited {
		return
	}
	s.exited = true
	s.cmd.Process.Signal(sig)
	select {
	case err := <-s.done:
		if err != nil {
			t.Errorf("server exit after %v: %v; stderr: %s", sig, err, s.stderr)
		}
	case <-time.After(10 * time.Second):
		s.cmd.Process.Kill()
		t.Errorf("server still running 10s after %v", sig)
	}
}

func get(t *testing.T, url string) (int, http.Header, string) {
	t.Helper()
	client := &http.Client{
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, string(body)
}

// TestServesDemoSite serves testdata/site from disk and from memory.
func TestServesDemoSite(t *testing.T) {
	index, err := os.ReadFile("../../testdata/site/index.html")
	if err != nil {
		t.Fatal(err)
	}
	type page struct {
		Status   int
		Type     string
		Location string
		Body     string // prefix of the body
	}
	want := map[string]page{
		"/":                         {200, "text/html; charset=utf-8", "", string(index)},
		"/index.html":               {301, "", "./", ""},
		"/style.css":                {200, "text/css; charset=utf-8", "", "/* webstatic demo site */"},
		"/app.js":                   {200, "text/javascript; charset=utf-8", "", "// webstatic demo site"},
		"/img/logo.png":             {200, "image/png", "", "\x89PNG"},
		"/docs":                     {301, "", "./docs/", ""},
		"/docs/":                    {200, "text/html; charset=utf-8", "", "<!doctype html>"},
		"/docs/guide.txt":           {200, "text/plain; charset=utf-8", "", "webstatic guide"},
		"/no-such-page":             {404, "text/html; charset=utf-8", "", "<!doctype html>"},
		"/.env":                     {404, "text/html; charset=utf-8", "", "<!doctype html>"},
		"/.well-known/security.txt": {200, "text/plain; charset=utf-8", "", "Contact:"},
		"/img/":                     {404, "text/html; charset=utf-8", "", "<!doctype html>"},
		"/index.html/x":             {404, "text/html; charset=utf-8", "", "<!doctype html>"},
		"/%2e%2e/%2e%2e/etc/passwd": {404, "text/html; charset=utf-8", "", "<!doctype html>"},
		"/docs/..%2f..%2fgo.mod":    {404, "text/html; charset=utf-8", "", "<!doctype html>"},
		"/a%5c..%5c..%5cgo.mod":     {400, "text/plain; charset=utf-8", "", "400 Bad Request"},
		"/docs/guide.txt%00.html":   {400, "text/plain; charset=utf-8", "", "400 Bad Request"},
	}
	for _, mode := range [][]string{nil, {"-mem"}} {
		t.Run(strings.Join(append([]string{"disk"}, mode...), ""), func(t *testing.T) {
			s := start(t, mode...)
			got := map[string]page{}
			for target, w := range want {
				status, hdr, body := get(t, s.url+target)
				if len(body) > len(w.Body) {
					body = body[:len(w.Body)]
				}
				got[target] = page{status, hdr.Get("Content-Type"), hdr.Get("Location"), body}
				if strings.Contains(body, "SECRET") {
					t.Errorf("%s served the dotfile", target)
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestListingFlag(t *testing.T) {
	s := start(t, "-listing")
	status, hdr, body := get(t, s.url+"/img/")
	if status != 200 || hdr.Get("Content-Type") != "text/html; charset=utf-8" || !strings.Contains(body, `<a href="./logo.png">logo.png</a>`) {
		t.Errorf("GET /img/ with -listing = %d %q:\n%s", status, hdr.Get("Content-Type"), body)
	}
	if status, _, _ := get(t, s.url+"/.well-known/"); status != 200 {
		t.Errorf("GET /.well-known/ with -listing = %d, want 200", status)
	}
	if _, _, body := get(t, s.url+"/"); strings.Contains(body, ".env") {
		t.Errorf("root index shows the dotfile")
	}
}

// TestBadFlags requires exit status 2 and one line that names the flag.
func TestBadFlags(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-bogus"}, "fileserver: flag provided but not defined: -bogus (see -help)\n"},
		{[]string{"-addr", "nonsense"}, "fileserver: -addr \"nonsense\": want host:port\n"},
		{[]string{"-addr", "127.0.0.1:99999"}, "fileserver: -addr \"127.0.0.1:99999\": port must be a number from 0 to 65535\n"},
		{[]string{"-root", "/does/not/exist"}, "fileserver: -root \"/does/not/exist\": no such file or directory\n"},
		{[]string{"-root", "go.mod"}, "fileserver: -root \"go.mod\": not a directory\n"},
		{[]string{"-mem=maybe"}, "fileserver: invalid boolean value \"maybe\" for -mem: parse error (see -help)\n"},
		{[]string{"extra"}, "fileserver: -root \"extra\": no such file or directory\n"},
		{[]string{"testdata/site", "more"}, "fileserver: unexpected argument \"more\" (one DIR at most)\n"},
		{[]string{"-root", "testdata/site", "testdata"}, "fileserver: both -root \"testdata/site\" and DIR \"testdata\": give one\n"},
		{[]string{"-conn", "short", "-max-requests", "5"}, "fileserver: -max-requests 5 with -conn short: short connections serve one request each\n"},
		{[]string{"-conn", "short", "-idle-timeout", "5s"}, "fileserver: -idle-timeout with -conn short: short connections are never idle\n"},
		{[]string{"-wait-when-full"}, "fileserver: -wait-when-full without -max-conns: there is no cap to wait at\n"},
		{[]string{"-pressure-level", "9"}, "fileserver: -pressure-level without -pressure-header-timeout: nothing applies from that level\n"},
		{[]string{"-quiet", "-access-log"}, "fileserver: -quiet with -log-headers or -access-log: choose one\n"},
		{[]string{"-spa-page", "index.html"}, "fileserver: -spa-page \"index.html\": want a URL path starting with /\n"},
		{[]string{"-not-found", "errors/404.html"}, "fileserver: -not-found \"errors/404.html\": want a file name, or off\n"},
		{[]string{"-index", "a/b.html"}, "fileserver: invalid value \"a/b.html\" for flag -index: \"a/b.html\" is a path; want file names (see -help)\n"},
		{[]string{"-cache-control", "*.html"}, "fileserver: invalid value \"*.html\" for flag -cache-control: want PATTERN=VALUE, e.g. '*.html=no-cache' or '/assets/=public, max-age=31536000, immutable' (see -help)\n"},
		{[]string{"-access-log-format", "xml"}, "fileserver: -access-log-format \"xml\": want clf, combined or json\n"},
		{[]string{"-quiet", "-access-log-format", "json"}, "fileserver: -quiet with -log-headers or -access-log: choose one\n"},
		{[]string{"-tls-cert", "x.pem"}, "fileserver: -tls-cert and -tls-key go together: give both\n"},
		{[]string{"-tls-self-signed", "-tls-cert", "x.pem", "-tls-key", "k.pem"}, "fileserver: -tls-self-signed with -tls-cert: choose one certificate\n"},
		{[]string{"-h2c", "-tls-self-signed"}, "fileserver: -h2c with TLS: over TLS, HTTP/2 is negotiated by ALPN already\n"},
		{[]string{"-h2c", "-conn", "short"}, "fileserver: -h2c with -conn short: a cleartext HTTP/2 connection is idle before its first stream, and short mode closes idle connections; over TLS, short mode sends GOAWAY after the first response\n"},
		{[]string{"-header", "Bad Name: x"}, "fileserver: invalid value \"Bad Name: x\" for flag -header: want 'Name: value' with a token for a name and no line break in the value (see -help)\n"},
		{[]string{"-etag", "sha1"}, "fileserver: invalid value \"sha1\" for flag -etag: staticfs: unknown ETag mode \"sha1\" (want meta or content) (see -help)\n"},
		{[]string{"-conn", "forever"}, "fileserver: invalid value \"forever\" for flag -conn: conn: unknown mode \"forever\" (want short or keepalive) (see -help)\n"},
		{[]string{"-max-requests", "-1"}, "fileserver: -max-requests -1: want 0 or more\n"},
		{[]string{"-max-conns", "x"}, "fileserver: invalid value \"x\" for flag -max-conns: parse error (see -help)\n"},
		{[]string{"-idle-timeout", "0s"}, "fileserver: -idle-timeout 0s: want a positive duration\n"},
		{[]string{"-log-headers", "json"}, "fileserver: -log-headers \"json\": want off, raw, lines, bytes or article\n"},
		{[]string{"-header-timeout", "-1s"}, "fileserver: -header-timeout -1s: want a positive duration\n"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, binary, tt.args...)
			cmd.Dir = "../.."
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 2 {
				t.Errorf("exit = %v, want status 2", err)
			}
			if diff := cmp.Diff(tt.want, stderr.String()); diff != "" {
				t.Errorf("stderr (-want +got):\n%s", diff)
			}
		})
	}
}

// TestGracefulShutdown sends SIGTERM while a keep-alive connection is
// idle and a request is in flight on another: the request completes, the
// server exits 0.
func TestGracefulShutdown(t *testing.T) {
	s := start(t)
	idle, err := net.Dial("tcp", s.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	fmt.Fprintf(idle, "GET /style.css HTTP/1.1\r\nHost: x\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(idle), nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("first request: %v %v", resp, err)
	}
	s.stop(t, syscall.SIGTERM)
	idle.SetReadDeadline(time.Now().Add(5 * time.Second))
	if n, err := idle.Read(make([]byte, 1)); err == nil || n != 0 {
		t.Errorf("idle connection still open after shutdown")
	}
}

// TestSPAAndETagFlags runs the server with -spa and -etag content.
func TestSPAAndETagFlags(t *testing.T) {
	s := start(t, "-spa", "-etag", "content")
	client := &http.Client{Timeout: 10 * time.Second}
	req, _ := http.NewRequest("GET", s.url+"/some/app/route", nil)
	req.Header.Set("Accept", "text/html")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "no-cache" || !strings.Contains(string(body), "webstatic demo site") {
		t.Errorf("SPA route = %d, Cache-Control %q", resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
	// A content ETag is a hash: the same for the same bytes from memory.
	_, hdr, _ := get(t, s.url+"/style.css")
	mem := start(t, "-mem", "-etag", "content")
	_, memHdr, _ := get(t, mem.url+"/style.css")
	if etag := hdr.Get("Etag"); len(etag) != 24 || etag != memHdr.Get("Etag") {
		t.Errorf("content ETags from disk and memory: %q and %q", etag, memHdr.Get("Etag"))
	}
	if status, _, _ := get(t, s.url+"/missing.css"); status != 404 {
		t.Errorf("missing asset with -spa = %d, want 404", status)
	}
}

// TestConnectionFlags checks -conn and -max-requests on the wire: which
// responses close their connection.
func TestConnectionFlags(t *testing.T) {
	tests := []struct {
		args []string
		want []bool // Response.Close of three requests sent on one connection
	}{
		{nil, []bool{false, false, false}},
		{[]string{"-conn", "short"}, []bool{true}},
		{[]string{"-max-requests", "2"}, []bool{false, true}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			s := start(t, append(tt.args, "-log-headers", "off")...)
			c, err := net.Dial("tcp", s.addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(10 * time.Second))
			br := bufio.NewReader(c)
			var got []bool
			for i := 0; i < 3; i++ {
				if _, err := fmt.Fprintf(c, "GET /style.css HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
					break
				}
				resp, err := http.ReadResponse(br, nil)
				if err != nil {
					break
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				got = append(got, resp.Close)
				if resp.Close {
					break
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Response.Close per request (-want +got):\n%s", diff)
			}
		})
	}
}

// TestLogFlags checks that the header log and the access log reach
// stderr with the flags that turn them on.
func TestLogFlags(t *testing.T) {
	s := start(t, "-access-log", "-log-headers", "lines")
	get(t, s.url+"/style.css")
	s.stop(t, syscall.SIGINT)
	logs := s.stderr.String()
	for _, want := range []string{">>>> conn 1 request 1 127.0.0.1:", "['GET /style.css HTTP/1.1', ", `"GET /style.css HTTP/1.1" 200 `} {
		if !strings.Contains(logs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, logs)
		}
	}
	off := start(t, "-log-headers", "off")
	get(t, off.url+"/style.css")
	off.stop(t, syscall.SIGINT)
	if logs := off.stderr.String(); logs != "" {
		t.Errorf("-log-headers off still logs:\n%s", logs)
	}
}
