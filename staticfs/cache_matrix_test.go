package staticfs_test

import (
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/afero"
	"github.com/webstatic/webstatic/staticfs"
)

// TestCacheOnOffMatrix sends the whole request matrix (targets ×
// conditional and range headers × Accept-Encoding × method × outer
// handlers that set headers first) to a Handler without the cache and
// to two with it, one holding every body in memory and one holding only
// headers for bodies over 16 bytes, on both backends and with both ETag
// modes: every status, header and body must be the same, on the miss
// that loads an entry and on the hits after it.
func TestCacheOnOffMatrix(t *testing.T) {
	files := map[string]string{
		"/digits.txt":       "0123456789",
		"/big.txt":          strings.Repeat("big body, ", 400),
		"/noext":            "sniffed text",
		"/empty.txt":        "",
		"/sc/app.js":        "plain-js plain-js plain-js",
		"/sc/app.js.br":     "BR-BYTES",
		"/sc/app.js.gz":     "GZ-BYTES GZ-BYTES GZ-BYTES",
		"/sc/index.html":    "home",
		"/sc/index.html.gz": "GZ-HOME",
		"/404.html":         "not found page",
	}
	for name, body := range siteFiles {
		files[name] = body
	}
	targets := []string{"/", "/docs/", "/style.css", "/noext", "/digits.txt", "/big.txt", "/empty.txt",
		"/sc/app.js", "/sc/", "/missing", "/users/42", "/.env", "/docs", "/index.html"}
	conditionals := []map[string]string{
		nil,
		{"Range": "bytes=2-4"}, {"Range": "bytes=0-1,5-6"}, {"Range": "bytes=50-"}, {"Range": "bytes=-0"},
		{"Range": "items=0-1"}, {"Range": "Bytes=-3"}, {"Range": "garbage"},
		{"If-Modified-Since": modTime.Format(http.TimeFormat)},
		{"If-Unmodified-Since": modTime.Add(-3600e9).Format(http.TimeFormat)},
		{"If-None-Match": `"other"`}, {"If-None-Match": "OWN"}, {"If-None-Match": "W/OWN"},
		{"If-Match": "OWN"}, {"If-Match": `"other"`},
		{"Range": "bytes=1-2", "If-Range": "OWN"}, {"Range": "bytes=1-2", "If-Range": `"other"`},
		{"Range": "bytes=1-2", "If-Range": modTime.Format(http.TimeFormat)},
	}
	encodings := []string{"", "gzip", "br;q=0.1, gzip"}
	outers := map[string]func(http.Handler) http.Handler{
		"bare": func(h http.Handler) http.Handler { return h },
		"headers first": func(h http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("X-Outer", "1")
				w.Header().Set("Cache-Control", "private")
				w.Header().Add("Vary", "Origin")
				h.ServeHTTP(w, r)
			})
		},
		"gzip outside": gzipOuter,
	}
	for backend, newFs := range backends {
		t.Run(backend, func(t *testing.T) {
			t.Parallel()
			testCacheOnOff(t, newFs(t, files), targets, conditionals, encodings, outers)
		})
	}
}

// testCacheOnOff runs the matrix twice. With compression off, both cached
// handlers must answer as the uncached one. With it on, the handler that
// holds only headers compresses large files as they are sent, as the
// uncached one does, and must answer the same; the one that holds bodies
// compresses small files once, at other levels and with a length, which
// TestCompression checks on its own.
func testCacheOnOff(t *testing.T, fsys afero.Fs, targets []string, conditionals []map[string]string, encodings []string, outers map[string]func(http.Handler) http.Handler) {
	compared := 0
	for _, compress := range [][]string{{}, nil} {
		for _, etags := range []staticfs.ETagMode{staticfs.ETagMeta, staticfs.ETagContent} {
			config := func(cache, keep int64) *staticfs.Handler {
				return &staticfs.Handler{FS: fsys, ETags: etags, SPAPage: "/index.html",
					MemoryCacheBytes: cache, MemoryCacheFileSize: keep, Compress: compress,
					CacheControl: []staticfs.CacheControlRule{{Pattern: "*.css", Value: "max-age=60"}}}
			}
			for outerName, outer := range outers {
				if etags == staticfs.ETagContent && outerName != "bare" {
					continue // the tags differ, not the paths through the Handler
				}
				plain := outer(config(-1, 0))
				cached := []http.Handler{outer(config(0, 0)), outer(config(0, 16))}
				if compress == nil {
					cached = cached[1:]
				}
				for _, target := range targets {
					for _, ae := range encodings {
						own := record(plain, "GET", target, map[string]string{"Accept-Encoding": ae}).Header.Get("Etag")
						for ci, cond := range conditionals {
							hdr := map[string]string{"Accept": "text/html", "Accept-Encoding": ae}
							for k, v := range cond {
								hdr[k] = strings.ReplaceAll(v, "OWN", own)
							}
							for _, method := range []string{"GET", "HEAD"} {
								if method == "HEAD" && ci > 1 {
									continue // HEAD takes GET's path: a plain and a range request show it
								}
								want := record(plain, method, target, hdr)
								for i, h := range cached {
									for round := 0; round < 2; round++ {
										got := record(h, method, target, hdr)
										compared++
										if diff := cmp.Diff(want, got); diff != "" {
											t.Errorf("compress %v, %v, %s, cached handler %d, round %d: %s %s %v (-uncached +cached):\n%s",
												compress, etags, outerName, i, round, method, target, hdr, diff)
										}
									}
								}
							}
						}
					}
				}
			}
		}
	}
	t.Logf("%d responses compared", compared)
}

// record serves one request in process and returns what a client would
// compare; multipart boundaries, which are random, are named alike.
func record(h http.Handler, method, target string, header map[string]string) fullResult {
	req := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		if v != "" {
			req.Header.Set(k, v)
		}
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	res := w.Result()
	body := w.Body.String()
	if strings.HasPrefix(body, "\x1f\x8b") { // the gzip outer handler's output
		// Decoded, since multipart boundaries inside are random. A
		// stream cut short (net/http drops bodies it does not send, such
		// as a 304's) is compared as far as it goes.
		zr, err := gzip.NewReader(strings.NewReader(body))
		if err == nil {
			b, err := io.ReadAll(zr)
			body = fmt.Sprintf("gunzipped (%v): %s", err, b)
		}
	}
	ctype := res.Header.Get("Content-Type")
	if _, boundary, ok := strings.Cut(ctype, "boundary="); ok {
		res.Header.Set("Content-Type", strings.ReplaceAll(ctype, boundary, "BOUNDARY"))
		body = strings.ReplaceAll(body, boundary, "BOUNDARY")
	}
	return fullResult{res.StatusCode, res.Header, fmt.Sprintf("%q", body)}
}
