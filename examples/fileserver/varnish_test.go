package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
)

// TestS3Varnish runs varnishd, with the shipped
// examples/varnish/webstatic.vcl, in front of one reference server over
// a bucket, and requires through it: cache hits that the server never
// sees, 304s from the cache and a 304 revalidation against the server
// once the TTL has passed, ranges answered from the cached object, and
// the server's own negotiation for identity, gzip, br and zstd clients
// (the coding, the bytes and the server's ETag for that coding).
func TestS3Varnish(t *testing.T) {
	longRun(t)
	varnishd := lookSbin(t, "varnishd", "varnish")
	w := startWeed(t)
	site := s3Site(t)
	w.makeBucket(t, "site", "v1/", site)
	accessLog := filepath.Join(t.TempDir(), "access.log")
	// guide.txt lives for one second without grace, to be revalidated
	// (possible only while the VCL's beresp.keep holds it); the rest
	// five minutes, so that every hit below is one.
	s := startEnv(t, w.env(), "-root", "s3://site/v1", "-s3-path-style", "-log-headers", "off",
		"-access-log", "-log-file", accessLog,
		"-cache-control", "guide.txt=max-age=1, stale-while-revalidate=0", "-cache-control", "*=max-age=300")
	_, port, _ := strings.Cut(s.addr, ":")
	vcl := fillConfig(t, "../varnish/webstatic.vcl", map[string]string{`.port = "8080";`: fmt.Sprintf(".port = %q;", port)})
	front := freeAddr(t)
	// -j none: no privilege separation, so that varnishd runs as root (or
	// not) in a temporary work directory that only its owner may enter;
	// -T none: no management port.
	p := startProxy(t, varnishd, "-F", "-j", "none", "-T", "none", "-a", front, "-f", vcl,
		"-n", filepath.Join(t.TempDir(), "varnish"), "-p", "http_gzip_support=off", "-s", "malloc,64m")
	v := "http://" + front
	p.waitHTTP(t, v+"/img/logo.png")
	client := proxyClient(t)
	log := &backendLog{path: accessLog}

	t.Run("hit", func(t *testing.T) {
		first := do(t, client, "GET", v+"/", nil)
		second := do(t, client, "GET", v+"/", nil)
		if first.status != http.StatusOK || second.status != http.StatusOK {
			t.Fatalf("statuses %d, %d", first.status, second.status)
		}
		if got := strings.Fields(second.header.Get("X-Varnish")); len(got) != 2 || second.header.Get("X-Cache") != "hit" {
			t.Errorf("second request: X-Varnish %q, X-Cache %q; want two IDs and hit", second.header.Get("X-Varnish"), second.header.Get("X-Cache"))
		}
		if !bytes.Equal(first.body, second.body) || first.etag() != second.etag() || first.etag() == "" {
			t.Errorf("the hit differs: ETag %q then %q, %d then %d bytes", first.etag(), second.etag(), len(first.body), len(second.body))
		}
		// A client's conditional is answered by the cache.
		r := do(t, client, "GET", v+"/", map[string]string{"If-None-Match": first.etag()})
		if r.status != http.StatusNotModified || r.etag() != first.etag() || len(r.body) != 0 {
			t.Errorf("If-None-Match through varnish: %d, ETag %q, %d bytes; want 304, %q", r.status, r.etag(), len(r.body), first.etag())
		}
		r = do(t, client, "GET", v+"/", map[string]string{"If-Modified-Since": first.lastModified()})
		if r.status != http.StatusNotModified {
			t.Errorf("If-Modified-Since through varnish: %d, want 304", r.status)
		}
		if got := log.wait(t, "GET / ", 1); len(got) != 1 || got[0] != 200 {
			t.Errorf("the server saw GET / %v for four client requests, want one 200", got)
		}
	})

	t.Run("revalidate", func(t *testing.T) {
		want := readSite(t, site, "/docs/guide.txt")
		first := do(t, client, "GET", v+"/docs/guide.txt", nil)
		if first.status != http.StatusOK || !bytes.Equal(first.body, want) {
			t.Fatalf("GET: %d, %q", first.status, first.body)
		}
		log.wait(t, "GET /docs/guide.txt ", 1)
		time.Sleep(1500 * time.Millisecond) // past the one-second TTL
		// Stale, without grace, but kept: Varnish asks the server with
		// the object's ETag and serves its copy on the 304.
		again := do(t, client, "GET", v+"/docs/guide.txt", nil)
		if again.status != http.StatusOK || !bytes.Equal(again.body, want) || again.etag() != first.etag() {
			t.Errorf("after the TTL: %d, ETag %q (was %q), %q", again.status, again.etag(), first.etag(), again.body)
		}
		got := log.wait(t, "GET /docs/guide.txt ", 2)
		if len(got) < 2 || got[0] != 200 || got[1] != 304 {
			t.Fatalf("the server answered %v to GET /docs/guide.txt, want 200 then a 304 revalidation", got)
		}
		// The refreshed object is served again, and fresh.
		r := do(t, client, "GET", v+"/docs/guide.txt", nil)
		if r.status != http.StatusOK || !bytes.Equal(r.body, want) || r.etag() != first.etag() || r.header.Get("X-Cache") != "hit" {
			t.Errorf("after the 304: %d, ETag %q, X-Cache %q, %q", r.status, r.etag(), r.header.Get("X-Cache"), r.body)
		}
	})

	t.Run("range", func(t *testing.T) {
		big := readSite(t, site, "/big.bin")
		for _, c := range []struct {
			rng        string
			start, end int // inclusive
		}{
			{"bytes=1000-1999", 1000, 1999}, // a miss: the whole object is fetched
			{"bytes=1000-1999", 1000, 1999}, // a hit
			{"bytes=2000000-2100000", 2000000, 2100000},
			{"bytes=-10", len(big) - 10, len(big) - 1},
			{fmt.Sprintf("bytes=%d-", len(big)-5), len(big) - 5, len(big) - 1},
		} {
			r := do(t, client, "GET", v+"/big.bin", map[string]string{"Range": c.rng})
			wantRange := fmt.Sprintf("bytes %d-%d/%d", c.start, c.end, len(big))
			if r.status != http.StatusPartialContent || r.header.Get("Content-Range") != wantRange || !bytes.Equal(r.body, big[c.start:c.end+1]) {
				t.Errorf("Range %s: %d, Content-Range %q, %d bytes; want 206, %q, the file's %d bytes",
					c.rng, r.status, r.header.Get("Content-Range"), len(r.body), wantRange, c.end+1-c.start)
			}
		}
		// If-Range with the cached ETag is honoured; with another, the
		// whole object comes back.
		tag := do(t, client, "HEAD", v+"/big.bin", nil).etag()
		if r := do(t, client, "GET", v+"/big.bin", map[string]string{"Range": "bytes=0-9", "If-Range": tag}); r.status != http.StatusPartialContent || !bytes.Equal(r.body, big[:10]) {
			t.Errorf("If-Range own ETag: %d, %d bytes; want 206, 10", r.status, len(r.body))
		}
		if r := do(t, client, "GET", v+"/big.bin", map[string]string{"Range": "bytes=0-9", "If-Range": `"other"`}); r.status != http.StatusOK || !bytes.Equal(r.body, big) {
			t.Errorf("If-Range other ETag: %d, %d bytes; want 200, %d", r.status, len(r.body), len(big))
		}
		if got := log.wait(t, "GET /big.bin ", 1); len(got) != 1 || got[0] != 200 {
			t.Errorf("the server answered %v to GET /big.bin, want one 200 (the whole object, fetched once)", got)
		}
	})

	t.Run("codings", func(t *testing.T) {
		// What the VCL makes of a client's Accept-Encoding, and what the
		// server then sends: style.css has only a gzip sidecar (so no
		// br or zstd), the other two are compressed with each coding.
		cases := []struct {
			accept, norm string
			coding       map[string]string // by file
		}{
			{"", "", nil},
			{"identity", "", nil},
			{"gzip", "gzip", map[string]string{"/style.css": "gzip", "/app.js": "gzip", "/": "gzip"}},
			{"br", "br", map[string]string{"/app.js": "br", "/": "br"}},
			{"zstd", "zstd", map[string]string{"/app.js": "zstd", "/": "zstd"}},
			{"gzip, deflate, br, zstd", "br, zstd, gzip", map[string]string{"/style.css": "gzip", "/app.js": "br", "/": "br"}}, // a browser's
			{"gzip, deflate, br", "br, gzip", map[string]string{"/style.css": "gzip", "/app.js": "br", "/": "br"}},
			{"br;q=0, gzip", "gzip", map[string]string{"/style.css": "gzip", "/app.js": "gzip", "/": "gzip"}},
			{"GZIP;q=0.5", "gzip", map[string]string{"/style.css": "gzip", "/app.js": "gzip", "/": "gzip"}},
			{"gzip;q=0, br;q=0.000", "", nil},
		}
		files := []string{"/style.css", "/app.js", "/"}
		// The server's own answers for the normalised header, asked
		// directly before Varnish has fetched any of these files.
		direct := map[string]reply{}
		for _, file := range files {
			for _, c := range cases {
				r := do(t, client, "GET", s.url+file, map[string]string{"Accept-Encoding": c.norm})
				if got := r.header.Get("Content-Encoding"); r.status != http.StatusOK || got != c.coding[file] {
					t.Fatalf("%s from the server [%s]: %d, Content-Encoding %q, want %q", file, c.norm, r.status, got, c.coding[file])
				}
				direct[file+" "+c.norm] = r
			}
		}
		before := len(log.wait(t, "GET /style.css ", 1))
		for _, file := range files {
			want := readSite(t, site, file)
			for _, c := range cases {
				direct := direct[file+" "+c.norm]
				coding := c.coding[file]
				for i := range 2 { // a miss or a hit, then a hit
					r := do(t, client, "GET", v+file, map[string]string{"Accept-Encoding": c.accept})
					where := fmt.Sprintf("%s via varnish [%s] #%d", file, c.accept, i)
					if got := r.header.Get("Content-Encoding"); r.status != http.StatusOK || got != coding {
						t.Errorf("%s: %d, Content-Encoding %q; want 200, %q", where, r.status, got, coding)
						continue
					}
					if r.etag() != direct.etag() {
						t.Errorf("%s: ETag %q, the server's for %q is %q", where, r.etag(), c.norm, direct.etag())
					}
					if !strings.Contains(r.header.Get("Vary"), "Accept-Encoding") {
						t.Errorf("%s: Vary %q", where, r.header.Get("Vary"))
					}
					if !bytes.Equal(r.body, direct.body) {
						t.Errorf("%s: %d bytes, the server's are %d", where, len(r.body), len(direct.body))
					}
					if got := decode(t, coding, r.body); got != nil && !bytes.Equal(got, want) {
						t.Errorf("%s: decodes to %d bytes, not the file's %d", where, len(got), len(want))
					}
					if i == 1 && r.header.Get("X-Cache") != "hit" {
						t.Errorf("%s: X-Cache %q, want hit", where, r.header.Get("X-Cache"))
					}
				}
			}
		}
		// One fetch per variant, however many spellings clients sent:
		// none, gzip, br, zstd, "br, zstd, gzip" and "br, gzip".
		if got := log.wait(t, "GET /style.css ", before+6); len(got)-before != 6 {
			t.Errorf("the server saw GET /style.css %v through varnish, want six", got[before:])
		}
	})

	if p.exited() {
		t.Errorf("varnishd exited during the test:\n%s", p.output())
	}
}

// decode undoes coding; it returns nil for zstd, which the body
// comparison with the server's covers.
func decode(t *testing.T, coding string, body []byte) []byte {
	t.Helper()
	var r io.Reader
	switch coding {
	case "":
		return body
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("gzip: %v", err)
		}
		r = zr
	case "br":
		r = brotli.NewReader(bytes.NewReader(body))
	default:
		return nil
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("%s: %v", coding, err)
	}
	return b
}

// backendLog reads the server's access log (Common Log Format).
type backendLog struct{ path string }

var clfRequest = regexp.MustCompile(`"([A-Z]+ \S+) HTTP/[0-9.]+" (\d{3}) `)

// statuses returns the statuses of the logged requests whose
// "METHOD PATH " starts with prefix, in order.
func (l *backendLog) statuses(t *testing.T, prefix string) []int {
	t.Helper()
	b, err := os.ReadFile(l.path)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var out []int
	for _, line := range strings.Split(string(b), "\n") {
		m := clfRequest.FindStringSubmatch(line)
		if m == nil || !strings.HasPrefix(m[1]+" ", prefix) {
			continue
		}
		var code int
		fmt.Sscan(m[2], &code)
		out = append(out, code)
	}
	return out
}

// wait returns the statuses once there are at least n of them, or after
// 5 s, then 200 ms more so that a surplus would show.
func (l *backendLog) wait(t *testing.T, prefix string, n int) []int {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for len(l.statuses(t, prefix)) < n && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond)
	return l.statuses(t, prefix)
}
