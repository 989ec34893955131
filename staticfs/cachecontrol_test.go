package staticfs_test

import (
	"io/fs"
	"net/http"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/webstatic/webstatic/staticfs"
)

func TestCacheRulesAndHeaders(t *testing.T) {
	fsys := memSite(t, map[string]string{
		"/index.html":               "home",
		"/assets/app.3f9c.js":       "js",
		"/assets/app.3f9c.js.gz":    "GZ",
		"/assets/sub/logo.png":      "png",
		"/img/a.png":                "png",
		"/img/a.svg":                "svg",
		"/docs/page.html":           "page",
		"/robots.txt":               "robots",
		"/404.html":                 "not found",
		"/.well-known/security.txt": "x",
	})
	var mu sync.Mutex // guards hooked, written by the handler's goroutines
	var hooked []string
	h := &staticfs.Handler{
		FS: fsys,
		CacheControl: []staticfs.CacheControlRule{
			{Pattern: "/assets/", Value: "public, max-age=31536000, immutable"},
			{Pattern: "*.html", Value: "no-cache"},
			{Pattern: "/img/*.png", Value: "public, max-age=3600"},
		},
		Headers: func(w http.ResponseWriter, r *http.Request, name string, info fs.FileInfo) {
			mu.Lock()
			hooked = append(hooked, name)
			mu.Unlock()
			w.Header().Set("X-Served-Size", "n")
			if info.Size() == 2 {
				w.Header().Set("X-Two-Bytes", "yes")
			}
		},
	}
	do := serve(t, h)
	names := []string{"Cache-Control", "X-Served-Size"}
	checkCases(t, func(method, target string, hdr map[string]string, _ ...string) result {
		return do(method, target, map[string]string{"Accept-Encoding": "gzip"}, names...)
	}, []reqCase{
		{"GET", "/", result{200, map[string]string{"Cache-Control": "no-cache", "X-Served-Size": "n"}, "home"}},
		{"GET", "/assets/app.3f9c.js", result{200, map[string]string{"Cache-Control": "public, max-age=31536000, immutable", "X-Served-Size": "n"}, "GZ"}},
		{"GET", "/assets/sub/logo.png", result{200, map[string]string{"Cache-Control": "public, max-age=31536000, immutable", "X-Served-Size": "n"}, "png"}},
		{"GET", "/img/a.png", result{200, map[string]string{"Cache-Control": "public, max-age=3600", "X-Served-Size": "n"}, "png"}},
		{"GET", "/img/a.svg", result{200, map[string]string{"Cache-Control": "", "X-Served-Size": "n"}, "svg"}},
		{"GET", "/docs/page.html", result{200, map[string]string{"Cache-Control": "no-cache", "X-Served-Size": "n"}, "page"}},
		{"GET", "/robots.txt", result{200, map[string]string{"Cache-Control": "", "X-Served-Size": "n"}, "robots"}},
		// Errors and redirects carry neither the rules nor the hook's headers.
		{"GET", "/assets/missing.js", result{404, map[string]string{"Cache-Control": "", "X-Served-Size": ""}, "not found"}},
		{"GET", "/docs/missing.html", result{404, map[string]string{"Cache-Control": "", "X-Served-Size": ""}, "not found"}},
		{"GET", "/docs", result{301, map[string]string{"Cache-Control": "", "X-Served-Size": ""}, ""}},
		{"POST", "/index.html", result{405, map[string]string{"Cache-Control": "", "X-Served-Size": ""}, "405 Method Not Allowed\n"}},
	})
	want := []string{"/index.html", "/assets/app.3f9c.js", "/assets/sub/logo.png", "/img/a.png", "/img/a.svg", "/docs/page.html", "/robots.txt"}
	mu.Lock()
	diff := cmp.Diff(want, hooked)
	mu.Unlock()
	if diff != "" {
		t.Errorf("Headers hook calls (-want +got):\n%s", diff)
	}
	// A 304 keeps the Cache-Control of the file (RFC 9111, section 4.3.4).
	etag := do("GET", "/img/a.png", nil, "Etag").Header["Etag"]
	got := do("GET", "/img/a.png", map[string]string{"If-None-Match": etag}, "Cache-Control")
	if diff := cmp.Diff(result{304, map[string]string{"Cache-Control": "public, max-age=3600"}, ""}, got); diff != "" {
		t.Errorf("304 (-want +got):\n%s", diff)
	}
	// A 416 drops it, as it is no representation of the file.
	got = do("GET", "/img/a.png", map[string]string{"Range": "bytes=50-"}, "Cache-Control")
	if got.Status != 416 || got.Header["Cache-Control"] != "" {
		t.Errorf("416 = %d, Cache-Control %q; want 416 without it", got.Status, got.Header["Cache-Control"])
	}
}
