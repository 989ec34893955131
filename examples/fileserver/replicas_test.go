package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestS3Replicas runs two reference servers over one bucket behind
// HAProxy, configured by the shipped examples/haproxy/haproxy.cfg, and
// requires that the replicas be interchangeable: the same ETag and
// Last-Modified from each, directly and through HAProxy; a 304 and an
// If-Range 206 from replica B for the validators replica A gave; and
// through HAProxy, requests that alternate between the replicas with the
// same validators every time.
func TestS3Replicas(t *testing.T) {
	longRun(t)
	haproxy := lookSbin(t, "haproxy", "haproxy")
	w := startWeed(t)
	site := s3Site(t)
	w.makeBucket(t, "site", "v1/", site)
	replica := func(name string) *server {
		return startEnv(t, w.env(), "-root", "s3://site/v1", "-s3-path-style", "-log-headers", "off",
			"-health", "/healthz", "-header", "X-Replica: "+name)
	}
	a, b := replica("a"), replica("b")
	front := freeAddr(t)
	cfg := fillConfig(t, "../haproxy/haproxy.cfg", map[string]string{
		"bind 127.0.0.1:8080":     "bind " + front,
		"server a 127.0.0.1:8081": "server a " + a.addr,
		"server b 127.0.0.1:8082": "server b " + b.addr,
	})
	p := startProxy(t, haproxy, "-f", cfg, "-db")
	lb := "http://" + front
	p.waitHTTP(t, lb+"/healthz")
	client := proxyClient(t)

	// The validators of every file, per coding: equal on A, on B, and on
	// every answer through HAProxy (four, so both replicas answer).
	files := []string{"/", "/style.css", "/app.js", "/img/logo.png", "/docs/guide.txt", "/big.bin", "/list/b%20c.txt"}
	for _, file := range files {
		for _, ae := range []string{"", "gzip", "br"} {
			hdr := map[string]string{"Accept-Encoding": ae}
			ra := do(t, client, "GET", a.url+file, hdr)
			if ra.status != http.StatusOK || ra.etag() == "" || ra.lastModified() == "" {
				t.Fatalf("A %s [%s]: %d, ETag %q, Last-Modified %q", file, ae, ra.status, ra.etag(), ra.lastModified())
			}
			check := func(who string, r reply) {
				t.Helper()
				if r.status != http.StatusOK || r.etag() != ra.etag() || r.lastModified() != ra.lastModified() {
					t.Errorf("%s %s [%s]: %d, ETag %q, Last-Modified %q; A gave %q, %q",
						who, file, ae, r.status, r.etag(), r.lastModified(), ra.etag(), ra.lastModified())
				}
				if r.header.Get("Content-Encoding") != ra.header.Get("Content-Encoding") || !bytes.Equal(r.body, ra.body) {
					t.Errorf("%s %s [%s]: coding %q, %d bytes; A gave %q, %d bytes",
						who, file, ae, r.header.Get("Content-Encoding"), len(r.body), ra.header.Get("Content-Encoding"), len(ra.body))
				}
			}
			check("B", do(t, client, "GET", b.url+file, hdr))
			for i := range 4 {
				check(fmt.Sprintf("HAProxy #%d", i), do(t, client, "GET", lb+file, hdr))
			}
		}
	}

	// Conditionals on B with A's validators.
	for _, file := range files {
		want := readSite(t, site, file)
		ra := do(t, client, "GET", a.url+file, nil)
		tag, date := ra.etag(), ra.lastModified()
		for _, c := range []struct {
			name   string
			hdr    map[string]string
			status int
		}{
			{"If-None-Match A's ETag", map[string]string{"If-None-Match": tag}, http.StatusNotModified},
			{"If-Modified-Since A's date", map[string]string{"If-Modified-Since": date}, http.StatusNotModified},
			{"If-Range A's ETag", map[string]string{"If-Range": tag, "Range": "bytes=0-9"}, http.StatusPartialContent},
			{"If-Range A's date", map[string]string{"If-Range": date, "Range": "bytes=0-9"}, http.StatusPartialContent},
			// Controls: the same requests with validators of another
			// version are answered in full.
			{"If-None-Match other", map[string]string{"If-None-Match": `"other"`}, http.StatusOK},
			{"If-Range other", map[string]string{"If-Range": `"other"`, "Range": "bytes=0-9"}, http.StatusOK},
		} {
			for _, target := range []struct{ who, url string }{{"B", b.url}, {"HAProxy", lb}} {
				r := do(t, client, "GET", target.url+file, c.hdr)
				if r.status != c.status {
					t.Errorf("%s %s %s: %d, want %d", target.who, file, c.name, r.status, c.status)
					continue
				}
				switch r.status {
				case http.StatusNotModified:
					if r.etag() != tag || len(r.body) != 0 {
						t.Errorf("%s %s %s: 304 with ETag %q and %d bytes, want %q and none", target.who, file, c.name, r.etag(), len(r.body), tag)
					}
				case http.StatusPartialContent:
					n := min(10, len(want))
					wantRange := fmt.Sprintf("bytes 0-%d/%d", n-1, len(want))
					if got := r.header.Get("Content-Range"); got != wantRange || !bytes.Equal(r.body, want[:n]) {
						t.Errorf("%s %s %s: Content-Range %q, body %q; want %q, %q", target.who, file, c.name, got, r.body, wantRange, want[:n])
					}
				case http.StatusOK:
					if !bytes.Equal(r.body, want) {
						t.Errorf("%s %s %s: 200 with %d bytes, not the file's %d", target.who, file, c.name, len(r.body), len(want))
					}
				}
			}
		}
	}

	// Through HAProxy, one keep-alive client: the replicas take turns,
	// and the validators never change.
	ra := do(t, client, "GET", a.url+"/style.css", nil)
	var seen []string
	for i := range 10 {
		r := do(t, client, "GET", lb+"/style.css", nil)
		who := r.header.Get("X-Replica")
		if who != "a" && who != "b" {
			t.Fatalf("HAProxy #%d: X-Replica %q", i, who)
		}
		if i > 0 && who == seen[i-1] {
			t.Errorf("HAProxy #%d: replica %s twice in a row (so far %v)", i, who, seen)
		}
		seen = append(seen, who)
		if r.etag() != ra.etag() || r.lastModified() != ra.lastModified() {
			t.Errorf("HAProxy #%d (replica %s): ETag %q, Last-Modified %q; A gave %q, %q", i, who, r.etag(), r.lastModified(), ra.etag(), ra.lastModified())
		}
	}
	t.Logf("replicas through HAProxy: %v", seen)

	// Replica B goes away: every request still succeeds, on A. Until
	// the health check takes B out (two failed checks, 2 s apart), a
	// request that HAProxy sends to B is refused and retried on A
	// (retries, option redispatch): "+1" in its log line.
	b.stop(t, syscall.SIGINT)
	for i := range 6 {
		r := do(t, client, "GET", lb+"/style.css", nil)
		if r.status != http.StatusOK || r.header.Get("X-Replica") != "a" || r.etag() != ra.etag() {
			t.Errorf("B stopped, HAProxy #%d: %d from %q, ETag %q", i, r.status, r.header.Get("X-Replica"), r.etag())
		}
	}
	for deadline := time.Now().Add(2 * time.Second); !strings.Contains(p.output(), "/+1 "); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Error("no request was redispatched from B to A")
			break
		}
	}
	if p.exited() {
		t.Errorf("haproxy exited during the test:\n%s", p.output())
	}
}

// lookSbin finds a tool that Debian installs in /usr/sbin, which may be
// missing from PATH. Without it the test skips, or fails under CI=true;
// pkg is the Debian package that has it.
func lookSbin(t *testing.T, name, pkg string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	for _, dir := range []string{"/usr/sbin", "/usr/local/sbin", "/sbin"} {
		p := filepath.Join(dir, name)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s not found; .ci/run installs it (apt-get install %s)", name, pkg)
	}
	t.Skipf("%s not found in PATH or /usr/sbin: apt-get install %s", name, pkg)
	return ""
}

// freeAddr returns a 127.0.0.1:PORT that was free a moment ago, for a
// program that cannot be told to listen on port 0 and report the port.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// fillConfig copies the shipped configuration at path into a temporary
// directory with each key of repl replaced by its value. Each key must
// occur exactly once, so that the tested file stays the shipped one.
func fillConfig(t *testing.T, path string, repl map[string]string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for old, to := range repl {
		if n := strings.Count(s, old); n != 1 {
			t.Fatalf("%s: %q occurs %d times, want once", path, old, n)
		}
		s = strings.Replace(s, old, to, 1)
	}
	out := filepath.Join(t.TempDir(), filepath.Base(path))
	if err := os.WriteFile(out, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

// proxy is a proxy process (haproxy, varnishd) run in the foreground.
type proxy struct {
	name string
	out  lockedBuffer // its stdout and stderr
	done chan struct{}
}

// lockedBuffer is a bytes.Buffer that a process writes while the test
// reads it.
type lockedBuffer struct {
	mu  sync.Mutex // guards buf
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startProxy runs bin with args, bounded to ten minutes, and stops it
// with SIGTERM (then SIGKILL after 10 s) when the test ends.
func startProxy(t *testing.T, bin string, args ...string) *proxy {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	cmd := exec.CommandContext(ctx, bin, args...)
	p := &proxy{name: filepath.Base(bin), done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = &p.out, &p.out
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	go func() { cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-p.done
		}
		cancel()
		if t.Failed() {
			out := p.out.String()
			t.Logf("%s output (the last 4000 bytes):\n%s", p.name, out[max(0, len(out)-4000):])
		}
	})
	return p
}

func (p *proxy) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

func (p *proxy) output() string { return p.out.String() }

// waitHTTP waits up to 30 s for url to answer 200 through the proxy.
func (p *proxy) waitHTTP(t *testing.T, url string) {
	t.Helper()
	client := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := client.Get(url)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
			err = fmt.Errorf("status %d", resp.StatusCode)
		}
		if p.exited() {
			t.Fatalf("%s exited:\n%s", p.name, p.output())
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not answering %s after 30 s: %v\n%s", p.name, url, err, p.output())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// proxyClient is a keep-alive client that neither decompresses nor
// follows redirects, closed when the test ends.
func proxyClient(t *testing.T) *http.Client {
	tr := &http.Transport{DisableCompression: true}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{
		Timeout:       20 * time.Second,
		Transport:     tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// reply is one response, read whole.
type reply struct {
	status int
	header http.Header
	body   []byte
}

func (r reply) etag() string         { return r.header.Get("ETag") }
func (r reply) lastModified() string { return r.header.Get("Last-Modified") }

// do sends one request with the headers in hdr (empty values are not
// sent) and reads the whole answer.
func do(t *testing.T, client *http.Client, method, url string, hdr map[string]string) reply {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		if v != "" {
			req.Header.Set(k, v)
		}
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: body: %v", method, url, err)
	}
	return reply{resp.StatusCode, resp.Header, body}
}

// readSite returns the bytes of the file that the URL path target names
// in the tree at root.
func readSite(t *testing.T, root, target string) []byte {
	t.Helper()
	name := strings.ReplaceAll(target, "%20", " ")
	if strings.HasSuffix(name, "/") {
		name += "index.html"
	}
	b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
