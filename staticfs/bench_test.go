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
	r := httptest.NewRequest("GET", target, nil)
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
	b.Run("Handler/MemMapFs", func(b *testing.B) {
		benchmarkGet(b, &staticfs.Handler{FS: mem}, "/css/sub/site.css")
	})
	b.Run("http.FileServer", func(b *testing.B) {
		benchmarkGet(b, http.FileServer(http.Dir(dir)), "/css/sub/site.css")
	})
}
