package staticfs_test

import (
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/webstatic/webstatic/staticfs"
)

// FuzzRequestHeaders sends arbitrary Accept-Encoding, Accept, Range and
// validator headers at a file with sidecars, through the cache and past
// it. Whatever they say: no 500 and no panic; a 200 or 206 carries bytes
// of the variant its Content-Encoding names, as many as its
// Content-Length says.
func FuzzRequestHeaders(f *testing.F) {
	fsys := memSite(f, sidecarFiles)
	handlers := []*staticfs.Handler{
		{FS: fsys, Listing: true, SPAPage: "/index.html"},
		{FS: fsys, MemoryCacheBytes: -1, ETags: staticfs.ETagContent},
	}
	bodies := map[string]string{
		"":     sidecarFiles["/app.js"],
		"br":   sidecarFiles["/app.js.br"],
		"zstd": sidecarFiles["/app.js.zst"],
		"gzip": sidecarFiles["/app.js.gz"],
	}
	for _, seed := range [][4]string{
		{"gzip, br", "text/html", "bytes=0-1", ""},
		{"br;q=0, *;q=0.5", "*/*", "bytes=-3", `"x"`},
		{"x-gzip;q=1.0, identity;q=0", "application/json", "bytes=1-2,4-5", "*"},
		{";;;,q=,*;q=1e9", "text/html;q=NaN", "bytes=99999999999999999999-", "W/\"\""},
		{"GZIP;Q=0.001", "", "bytes=0-0,-1", ""},
	} {
		f.Add(seed[0], seed[1], seed[2], seed[3])
	}
	f.Fuzz(func(t *testing.T, acceptEncoding, accept, rangeHdr, ifNoneMatch string) {
		for _, h := range handlers {
			for _, target := range []string{"/app.js", "/", "/missing/route"} {
				r := httptest.NewRequest("GET", "/", nil)
				r.URL.Path = target
				for k, v := range map[string]string{"Accept-Encoding": acceptEncoding, "Accept": accept, "Range": rangeHdr, "If-None-Match": ifNoneMatch} {
					if v != "" {
						r.Header.Set(k, v)
					}
				}
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				if w.Code >= 500 {
					t.Fatalf("%s: %d for %q", target, w.Code, r.Header)
				}
				if target != "/app.js" || (w.Code != 200 && w.Code != 206) {
					continue
				}
				coding := w.Header().Get("Content-Encoding")
				full, ok := bodies[coding]
				if !ok {
					t.Fatalf("Content-Encoding %q is no sidecar's", coding)
				}
				if n, err := strconv.Atoi(w.Header().Get("Content-Length")); err != nil || n != w.Body.Len() {
					t.Fatalf("Content-Length %q for %d bytes", w.Header().Get("Content-Length"), w.Body.Len())
				}
				if w.Code == 200 && w.Body.String() != full {
					t.Fatalf("200 with %q, want the %q variant %q", w.Body.String(), coding, full)
				}
				if w.Code == 206 && !strings.HasPrefix(w.Header().Get("Content-Type"), "multipart/") && !strings.Contains(full, w.Body.String()) {
					t.Fatalf("206 with %q, not part of the %q variant %q", w.Body.String(), coding, full)
				}
			}
		}
	})
}
