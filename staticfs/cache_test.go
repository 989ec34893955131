package staticfs_test

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/afero"
	"github.com/webstatic/webstatic/staticfs"
)

// fullResult is a response with every header but Date.
type fullResult struct {
	Status int
	Header http.Header
	Body   string
}

func fetchFull(t *testing.T, client *http.Client, url, method string, header map[string]string) fullResult {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	resp.Header.Del("Date")
	// Multipart boundaries are random: name them alike.
	ctype := resp.Header.Get("Content-Type")
	if _, boundary, ok := strings.Cut(ctype, "boundary="); ok {
		resp.Header.Set("Content-Type", strings.ReplaceAll(ctype, boundary, "BOUNDARY"))
		body = []byte(strings.ReplaceAll(string(body), boundary, "BOUNDARY"))
	}
	return fullResult{resp.StatusCode, resp.Header, string(body)}
}

// TestCacheAnswersLikeTheFiles sends the same requests to a Handler with
// the small-file cache and to one without: every status, header and body
// must be the same, on the miss that loads an entry and on the hits.
func TestCacheAnswersLikeTheFiles(t *testing.T) {
	files := map[string]string{"/digits.txt": "0123456789", "/noext": "sniffed text"}
	for name, body := range siteFiles {
		files[name] = body
	}
	for name, body := range sidecarFiles {
		files["/sc"+name] = body
	}
	requests := []struct {
		method, target string
		header         map[string]string
	}{
		{"GET", "/", nil}, {"HEAD", "/", nil}, {"GET", "/docs/", nil}, {"GET", "/style.css", nil},
		{"GET", "/noext", nil}, {"GET", "/UPPER.PNG", nil}, {"GET", "/.well-known/security.txt", nil},
		{"GET", "/digits.txt", map[string]string{"Range": "bytes=2-4"}},
		{"GET", "/digits.txt", map[string]string{"Range": "bytes=0-1,5-6"}},
		{"GET", "/digits.txt", map[string]string{"Range": "bytes=50-"}},
		{"HEAD", "/digits.txt", map[string]string{"Range": "bytes=1-2"}},
		{"GET", "/digits.txt", map[string]string{"If-Modified-Since": modTime.Format(http.TimeFormat)}},
		{"GET", "/digits.txt", map[string]string{"If-Unmodified-Since": modTime.Add(-time.Hour).Format(http.TimeFormat)}},
		{"GET", "/digits.txt", map[string]string{"If-None-Match": `"nope"`}},
		{"GET", "/sc/app.js", nil}, {"HEAD", "/sc/app.js", map[string]string{"Accept-Encoding": "gzip"}},
		{"GET", "/sc/app.js", map[string]string{"Accept-Encoding": "gzip, br"}},
		{"GET", "/sc/app.js", map[string]string{"Accept-Encoding": "br;q=0.1, zstd"}},
		{"GET", "/sc/app.js", map[string]string{"Accept-Encoding": "*;q=0"}},
		{"GET", "/sc/app.js", map[string]string{"Accept-Encoding": "gzip", "Range": "bytes=0-1"}},
		{"GET", "/sc/app.js", map[string]string{"Accept-Encoding": "gzip", "Range": "bytes=90-"}},
		{"GET", "/sc/style.css", map[string]string{"Accept-Encoding": "gzip"}},
		{"GET", "/sc/", map[string]string{"Accept-Encoding": "gzip"}},
	}
	for backend, newFs := range backends {
		t.Run(backend, func(t *testing.T) {
			fsys := newFs(t, files)
			for _, etags := range []staticfs.ETagMode{staticfs.ETagMeta, staticfs.ETagContent} {
				rules := []staticfs.CacheControlRule{{Pattern: "*.css", Value: "max-age=60"}}
				cached := httpServer(t, &staticfs.Handler{FS: fsys, ETags: etags, CacheControl: rules})
				plain := httpServer(t, &staticfs.Handler{FS: fsys, ETags: etags, CacheControl: rules, MemoryCacheBytes: -1})
				for _, req := range requests {
					want := fetchFull(t, plain.Client(), plain.URL+req.target, req.method, req.header)
					// An If-None-Match with the file's own tag needs the tag.
					for round := 0; round < 3; round++ {
						got := fetchFull(t, cached.Client(), cached.URL+req.target, req.method, req.header)
						if diff := cmp.Diff(want, got); diff != "" {
							t.Errorf("etags %d, round %d, %s %s %v (-uncached +cached):\n%s", etags, round, req.method, req.target, req.header, diff)
						}
					}
				}
				tag := fetchFull(t, plain.Client(), plain.URL+"/sc/app.js", "GET", map[string]string{"Accept-Encoding": "gzip"}).Header.Get("Etag")
				hdr := map[string]string{"Accept-Encoding": "gzip", "If-None-Match": tag}
				want := fetchFull(t, plain.Client(), plain.URL+"/sc/app.js", "GET", hdr)
				if got := fetchFull(t, cached.Client(), cached.URL+"/sc/app.js", "GET", hdr); want.Status != 304 || !cmp.Equal(want, got) {
					t.Errorf("304 on a sidecar: uncached %v, cached %v", want, got)
				}
			}
		})
	}
}

func httpServer(t *testing.T, h http.Handler) *httpTestServer {
	srv := newTestServer(h)
	t.Cleanup(srv.Close)
	srv.Client().Transport.(*http.Transport).DisableCompression = true
	return srv
}

// TestCacheSeesChanges rewrites, grows, truncates and removes cached
// files and sidecars on disk: with a Stat on every hit (CacheTTL < 0),
// each change shows in the next response.
func TestCacheSeesChanges(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string, mt time.Time) {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		os.Chtimes(p, mt, mt)
	}
	write("a.txt", "first", modTime)
	write("b.js", "js one", modTime)
	write("b.js.gz", "GZ one", modTime)
	do := serve(t, &staticfs.Handler{FS: afero.NewBasePathFs(afero.NewOsFs(), dir), RevalidateInterval: -1})
	body := func(target, ae string) string {
		return do("GET", target, map[string]string{"Accept-Encoding": ae}).Body
	}
	steps := []struct {
		change     func()
		target, ae string
		want       string
	}{
		{func() {}, "/a.txt", "", "first"},
		{func() {}, "/a.txt", "", "first"},
		{func() { write("a.txt", "second!", modTime) }, "/a.txt", "", "second!"},                  // size
		{func() { write("a.txt", "third!!", modTime.Add(time.Second)) }, "/a.txt", "", "third!!"}, // time
		{func() { write("a.txt", "", modTime.Add(2*time.Second)) }, "/a.txt", "", ""},             // truncated
		{func() { os.Remove(filepath.Join(dir, "a.txt")) }, "/a.txt", "", "404 Not Found\n"},
		{func() {}, "/b.js", "gzip", "GZ one"},
		{func() { write("b.js.gz", "GZ two!", modTime) }, "/b.js", "gzip", "GZ two!"},
		{func() { os.Remove(filepath.Join(dir, "b.js.gz")) }, "/b.js", "gzip", "js one"},
		{func() { write("b.js", "js two!", modTime) }, "/b.js", "", "js two!"},
	}
	for i, s := range steps {
		s.change()
		if got := body(s.target, s.ae); got != s.want {
			t.Errorf("step %d: GET %s = %q, want %q", i, s.target, got, s.want)
		}
	}
}

// fakeClock is a clock that moves only when told to.
type fakeClock struct {
	mu  sync.Mutex // guards now
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// TestRevalidateInterval: within RevalidateInterval of its last check a
// cached file is served without a Stat, so a change shows only after
// it; the defaults are 1ms on a filesystem backed by the OS and a Stat
// on every hit on MemMapFs.
func TestRevalidateInterval(t *testing.T) {
	tests := []struct {
		name     string
		newFs    func(testing.TB, map[string]string) afero.Fs
		interval time.Duration
		stale    time.Duration // how long a change may go unseen
	}{
		{"disk, 300ms", diskSiteFs, 300 * time.Millisecond, 300 * time.Millisecond},
		{"disk, default", diskSiteFs, 0, time.Millisecond},
		{"disk, every hit", diskSiteFs, -1, 0},
		{"memory, 300ms", memSite, 300 * time.Millisecond, 300 * time.Millisecond},
		{"memory, default", memSite, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := tt.newFs(t, map[string]string{"/a.txt": "old"})
			clock := &fakeClock{now: modTime}
			h := &staticfs.Handler{FS: fsys, RevalidateInterval: tt.interval}
			staticfs.SetClock(h, clock.Now)
			do := serve(t, h)
			get := func() string { return do("GET", "/a.txt", nil).Body }
			if got := get(); got != "old" {
				t.Fatalf("first GET = %q", got)
			}
			if err := afero.WriteFile(fsys, "/a.txt", []byte("new"), 0o644); err != nil {
				t.Fatal(err)
			}
			// The same size: only the modification time tells the
			// versions apart.
			fsys.Chtimes("/a.txt", modTime, modTime.Add(time.Second))
			want := "new"
			if tt.stale > 0 {
				want = "old"
				clock.Advance(tt.stale - time.Nanosecond)
			}
			if got := get(); got != want {
				t.Errorf("just within the interval: %q, want %q", got, want)
			}
			clock.Advance(time.Nanosecond)
			if got := get(); got != "new" {
				t.Errorf("at the end of the interval: %q, want %q", got, "new")
			}
		})
	}
}

// TestMemMapFsWriteThenRead: a test that writes a file through the
// Handler's own MemMapFs and reads it back at once gets the new bytes,
// every time, though every version has the same size.
func TestMemMapFsWriteThenRead(t *testing.T) {
	fsys := memSite(t, map[string]string{"/state.json": `{"round":0000}`})
	do := serve(t, &staticfs.Handler{FS: fsys})
	stale := 0
	const rounds = 1000
	for i := 1; i <= rounds; i++ {
		want := fmt.Sprintf(`{"round":%04d}`, i)
		if err := afero.WriteFile(fsys, "/state.json", []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		if got := do("GET", "/state.json", nil); got.Status != 200 || got.Body != want {
			stale++
		}
	}
	if stale != 0 {
		t.Errorf("%d stale answers in %d write-then-GET rounds, want 0", stale, rounds)
	}
}

// TestCacheKeepsLargeFilesOut serves a file larger than MemoryCacheFileSize:
// it must still be served whole, from the file.
func TestCacheKeepsLargeFilesOut(t *testing.T) {
	big := strings.Repeat("x", 4096)
	fsys := memSite(t, map[string]string{"/big.txt": big, "/small.txt": "s"})
	do := serve(t, &staticfs.Handler{FS: fsys, MemoryCacheFileSize: 1024, MemoryCacheBytes: 2048})
	for i := 0; i < 3; i++ {
		if got := do("GET", "/big.txt", nil); got.Status != 200 || got.Body != big {
			t.Fatalf("GET /big.txt = %d, %d bytes", got.Status, len(got.Body))
		}
	}
	afero.WriteFile(fsys, "/big.txt", []byte("now small"), 0o644)
	if got := do("GET", "/big.txt", nil).Body; got != "now small" {
		t.Errorf("after the rewrite: %q", got)
	}
}
