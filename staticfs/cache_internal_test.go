package staticfs

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/spf13/afero"
)

// TestCacheBudget serves more small files than the budget holds: the
// cache stays within it and every response is right.
func TestCacheBudget(t *testing.T) {
	fsys := afero.NewMemMapFs()
	for i := 0; i < 40; i++ {
		afero.WriteFile(fsys, fmt.Sprintf("/f%02d.txt", i), []byte(strings.Repeat(string(rune('a'+i%26)), 1000)), 0o644)
	}
	h := &Handler{FS: fsys, MemoryCacheBytes: 8 << 10}
	for round := 0; round < 2; round++ {
		for i := 0; i < 40; i++ {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest("GET", fmt.Sprintf("/f%02d.txt", i), nil))
			if want := strings.Repeat(string(rune('a'+i%26)), 1000); w.Code != 200 || w.Body.String() != want {
				t.Fatalf("f%02d: %d %q", i, w.Code, w.Body.String()[:10])
			}
			if n, bytes := h.state().files.size(); bytes > 8<<10 || n == 0 {
				t.Fatalf("cache holds %d entries, %d bytes; budget 8192", n, bytes)
			}
		}
	}
}

func TestCacheOff(t *testing.T) {
	fsys := afero.NewMemMapFs()
	afero.WriteFile(fsys, "/a.txt", []byte("a"), 0o644)
	h := &Handler{FS: fsys, MemoryCacheBytes: -1}
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/a.txt", nil))
	if h.state().files != nil {
		t.Errorf("CacheBytes -1 built a cache")
	}
}
