package staticfs_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/afero"
	"github.com/webstatic/webstatic/staticfs"
)

// discardWriter is a ResponseWriter that keeps nothing, so that the
// benchmarks measure the handler rather than a recorder's buffer.
type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *discardWriter) WriteHeader(int)             {}

func benchmarkGet(b *testing.B, h http.Handler, target string) {
	benchmarkRequest(b, h, httptest.NewRequest("GET", target, nil))
}

// benchmarkRequest serves r over and over into a writer that keeps nothing.
func benchmarkRequest(b *testing.B, h http.Handler, r *http.Request) {
	w := &discardWriter{h: http.Header{}}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		clear(w.h)
		h.ServeHTTP(w, r)
	}
}

// BenchmarkSmallFile serves a 1 KiB file two levels deep, beside
// http.FileServer over the same directory.
func BenchmarkSmallFile(b *testing.B) {
	dir := b.TempDir()
	p := filepath.Join(dir, "css", "sub", "site.css")
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.WriteFile(p, []byte(strings.Repeat("a", 1024)), 0o644); err != nil {
		b.Fatal(err)
	}
	mem := memSite(b, map[string]string{"/css/sub/site.css": strings.Repeat("a", 1024)})
	b.Run("Handler/BasePathFs", func(b *testing.B) {
		benchmarkGet(b, &staticfs.Handler{FS: afero.NewBasePathFs(afero.NewOsFs(), dir)}, "/css/sub/site.css")
	})
	b.Run("Handler/BasePathFs/FollowAll", func(b *testing.B) {
		h := &staticfs.Handler{FS: afero.NewBasePathFs(afero.NewOsFs(), dir), Symlinks: staticfs.SymlinksFollowAll}
		benchmarkGet(b, h, "/css/sub/site.css")
	})
	b.Run("Handler/BasePathFs/NoCache", func(b *testing.B) {
		h := &staticfs.Handler{FS: afero.NewBasePathFs(afero.NewOsFs(), dir), MemoryCacheBytes: -1}
		benchmarkGet(b, h, "/css/sub/site.css")
	})
	b.Run("Handler/BasePathFs/StatEveryHit", func(b *testing.B) {
		h := &staticfs.Handler{FS: afero.NewBasePathFs(afero.NewOsFs(), dir), RevalidateInterval: -1}
		benchmarkGet(b, h, "/css/sub/site.css")
	})
	b.Run("Handler/MemMapFs", func(b *testing.B) {
		benchmarkGet(b, &staticfs.Handler{FS: mem}, "/css/sub/site.css")
	})
	b.Run("http.FileServer", func(b *testing.B) {
		benchmarkGet(b, http.FileServer(http.Dir(dir)), "/css/sub/site.css")
	})
}

// BenchmarkRevalidation answers If-None-Match with 304, the request a
// browser sends for every cached asset on reload.
func BenchmarkRevalidation(b *testing.B) {
	fsys := memSite(b, map[string]string{"/site.css": strings.Repeat("a", 1024)})
	h := &staticfs.Handler{FS: fsys}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/site.css", nil))
	r := httptest.NewRequest("GET", "/site.css", nil)
	r.Header.Set("If-None-Match", w.Header().Get("Etag"))
	benchmarkRequest(b, h, r)
}

// BenchmarkLargeFile serves 1 MiB from disk, past the cache, into a
// writer that discards it: the cost of the path to http.ServeContent and
// the copy (sendfile needs a socket; see examples/loadtest).
func BenchmarkLargeFile(b *testing.B) {
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "big.bin"), make([]byte, 1<<20), 0o644); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(1 << 20)
	b.Run("Handler", func(b *testing.B) {
		benchmarkGet(b, &staticfs.Handler{FS: afero.NewBasePathFs(afero.NewOsFs(), dir)}, "/big.bin")
	})
	b.Run("http.FileServer", func(b *testing.B) {
		benchmarkGet(b, http.FileServer(http.Dir(dir)), "/big.bin")
	})
}

// BenchmarkCompressedHit serves a 16 KiB page from the cache as it is
// and, to a client that accepts them, compressed: each coding's body is
// made once when the entry is loaded, so a hit costs what an identity
// hit does. Streamed is the same page past the memory cache, compressed
// with gzip level 1 on every request, for scale.
func BenchmarkCompressedHit(b *testing.B) {
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "page.html"), []byte(textOf(16<<10, 9)), 0o644); err != nil {
		b.Fatal(err)
	}
	fsys := afero.NewBasePathFs(afero.NewOsFs(), dir)
	for _, tc := range []struct {
		name, ae string
		h        *staticfs.Handler
	}{
		{"identity", "identity", &staticfs.Handler{FS: fsys}},
		{"gzip", "gzip", &staticfs.Handler{FS: fsys}},
		{"br", "br", &staticfs.Handler{FS: fsys}},
		{"zstd", "zstd", &staticfs.Handler{FS: fsys}},
		{"streamed-gzip", "gzip", &staticfs.Handler{FS: fsys, MemoryCacheFileSize: -1}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			// A browser's headers, the same in every case but the codings.
			r := httptest.NewRequest("GET", "/page.html", nil)
			r.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0.0.0")
			r.Header.Set("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
			r.Header.Set("Accept-Language", "en-US,en;q=0.9")
			r.Header.Set("Accept-Encoding", tc.ae)
			benchmarkRequest(b, tc.h, r)
		})
	}
}
