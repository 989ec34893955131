package staticfs_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"io/fs"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/afero"
	"github.com/webstatic/webstatic/staticfs"
)

// TestRangeRFC9110 checks the Range rules where http.ServeContent alone
// strays from RFC 9110, with the cache on and off.
func TestRangeRFC9110(t *testing.T) {
	fsys := memSite(t, map[string]string{"/digits.txt": "0123456789", "/empty.txt": ""})
	tests := []struct {
		name, target string
		header       map[string]string
		want         result
	}{
		// Section 14.2: "An origin server MUST ignore a Range header
		// field that contains a range unit it does not understand."
		{"unknown unit is ignored", "/digits.txt", map[string]string{"Range": "items=0-4"},
			result{200, map[string]string{"Content-Range": "", "Content-Length": "10"}, "0123456789"}},
		{"unknown unit with If-Range", "/digits.txt", map[string]string{"Range": "pages=1-2", "If-Range": `"x"`},
			result{200, map[string]string{"Content-Range": ""}, "0123456789"}},
		{"no unit is ignored", "/digits.txt", map[string]string{"Range": "0-4"},
			result{200, map[string]string{"Content-Range": "", "Content-Length": "10"}, "0123456789"}},
		// Section 15.5.17: a 416 gives the current length, a malformed
		// byte range too (net/http leaves it out).
		{"malformed byte range", "/digits.txt", map[string]string{"Range": "bytes=abc"},
			result{416, map[string]string{"Content-Range": "bytes */10"}, "416 Requested Range Not Satisfiable\n"}},
		// Section 14.1: range units are compared case-insensitively.
		{"unit in upper case", "/digits.txt", map[string]string{"Range": "Bytes=0-1"},
			result{206, map[string]string{"Content-Range": "bytes 0-1/10"}, "01"}},
		// Section 14.1.1: a suffix-range is satisfiable only with a
		// non-zero suffix-length; section 15.5.17: a set with no
		// satisfiable range gets 416 with the current length.
		{"empty suffix", "/digits.txt", map[string]string{"Range": "bytes=-0"},
			result{416, map[string]string{"Content-Range": "bytes */10"}, "416 Requested Range Not Satisfiable\n"}},
		{"empty suffix, zeros", "/digits.txt", map[string]string{"Range": "bytes= -000"},
			result{416, map[string]string{"Content-Range": "bytes */10"}, "416 Requested Range Not Satisfiable\n"}},
		{"empty suffix beside a range", "/digits.txt", map[string]string{"Range": "bytes=-0, 2-3"},
			result{206, map[string]string{"Content-Range": "bytes 2-3/10"}, "23"}},
		{"empty suffix under a failed If-Range", "/digits.txt", map[string]string{"Range": "bytes=-0", "If-Range": `"other"`},
			result{200, map[string]string{"Content-Range": ""}, "0123456789"}},
		{"suffix of ten", "/digits.txt", map[string]string{"Range": "bytes=-10"},
			result{206, map[string]string{"Content-Range": "bytes 0-9/10"}, "0123456789"}},
		// net/http answers any range on an empty file with 200: kept.
		{"empty suffix, empty file", "/empty.txt", map[string]string{"Range": "bytes=-0"},
			result{200, map[string]string{"Content-Range": "", "Content-Length": "0"}, ""}},
	}
	for _, cache := range []int64{0, -1} {
		do := serve(t, &staticfs.Handler{FS: fsys, MemoryCacheBytes: cache})
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				for round := 0; round < 2; round++ { // a miss, then a hit
					got := do("GET", tt.target, tt.header, headerNames(tt.want.Header)...)
					if diff := cmp.Diff(tt.want, got); diff != "" {
						t.Errorf("MemoryCacheBytes %d, round %d (-want +got):\n%s", cache, round, diff)
					}
				}
			})
		}
	}
}

// TestErrorAnswersCarryNoFileHeaders: a 412 or 416 that
// http.ServeContent decides goes out through the Handler's error path,
// with the headers outer handlers set and none of the file's: no
// Cache-Control (a shared cache could store a "public, max-age" 412), no
// validators, no Headers hook headers; ErrorHandler writes it when set.
func TestErrorAnswersCarryNoFileHeaders(t *testing.T) {
	fsys := memSite(t, map[string]string{"/digits.txt": "0123456789"})
	names := []string{"Cache-Control", "Etag", "Last-Modified", "X-Hook", "X-Outer", "Content-Range", "Content-Type", "Vary"}
	tests := []struct {
		name   string
		header map[string]string
		want   result
	}{
		{"412 If-Match", map[string]string{"If-Match": `"other"`},
			result{412, map[string]string{"X-Outer": "kept", "Content-Type": text}, "412 Precondition Failed\n"}},
		{"412 If-Unmodified-Since", map[string]string{"If-Unmodified-Since": "Mon, 02 Jan 2006 15:04:05 GMT"},
			result{412, map[string]string{"X-Outer": "kept", "Content-Type": text}, "412 Precondition Failed\n"}},
		{"416", map[string]string{"Range": "bytes=50-60"},
			result{416, map[string]string{"X-Outer": "kept", "Content-Range": "bytes */10", "Content-Type": text}, "416 Requested Range Not Satisfiable\n"}},
		{"304 keeps them", map[string]string{"If-Modified-Since": modTime.Format(http.TimeFormat)},
			result{304, map[string]string{"X-Outer": "kept", "Cache-Control": "public, max-age=31536000", "X-Hook": "on", "Etag": "ETAG"}, ""}},
	}
	for _, cache := range []int64{0, -1} {
		h := &staticfs.Handler{
			FS:               fsys,
			MemoryCacheBytes: cache,
			CacheControl:     []staticfs.CacheControlRule{{Pattern: "*.txt", Value: "public, max-age=31536000"}},
			Headers: func(w http.ResponseWriter, r *http.Request, name string, info fs.FileInfo) {
				w.Header().Set("X-Hook", "on")
			},
		}
		outer := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Outer", "kept")
			h.ServeHTTP(w, r)
		})
		do := serve(t, outer)
		etag := do("GET", "/digits.txt", nil, "Etag").Header["Etag"]
		for _, tt := range tests {
			want := tt.want
			if want.Header["Etag"] == "ETAG" {
				want.Header = copyHeader(want.Header)
				want.Header["Etag"] = etag
			}
			got := do("GET", "/digits.txt", tt.header, names...)
			if diff := cmp.Diff(want, result{got.Status, nonEmpty(got.Header), got.Body}); diff != "" {
				t.Errorf("%s, MemoryCacheBytes %d (-want +got):\n%s", tt.name, cache, diff)
			}
		}
	}

	// ErrorHandler answers them, with the cause.
	var mu sync.Mutex
	var causes []string
	h := &staticfs.Handler{FS: fsys, ErrorHandler: func(w http.ResponseWriter, r *http.Request, status int, err error) {
		mu.Lock()
		defer mu.Unlock()
		causes = append(causes, http.StatusText(status)+": "+map[bool]string{true: "precondition", false: ""}[errors.Is(err, staticfs.ErrPreconditionFailed)]+
			map[bool]string{true: "range", false: ""}[errors.Is(err, staticfs.ErrRangeNotSatisfiable)])
		w.WriteHeader(status)
		io.WriteString(w, "custom")
	}}
	do := serve(t, h)
	for _, hdr := range []map[string]string{{"If-Match": `"x"`}, {"Range": "bytes=99-"}} {
		if got := do("GET", "/digits.txt", hdr); got.Body != "custom" {
			t.Errorf("%v: body %q, want the ErrorHandler's", hdr, got.Body)
		}
	}
	want := []string{"Precondition Failed: precondition", "Requested Range Not Satisfiable: range"}
	if diff := cmp.Diff(want, causes); diff != "" {
		t.Errorf("ErrorHandler calls (-want +got):\n%s", diff)
	}
}

func copyHeader(h map[string]string) map[string]string {
	c := make(map[string]string, len(h))
	for k, v := range h {
		c[k] = v
	}
	return c
}

// nonEmpty drops the names a result did not carry.
func nonEmpty(h map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range h {
		if v != "" {
			out[k] = v
		}
	}
	return out
}

// TestRootIsAFile: a BasePathFs over a regular file has no directory to
// redirect into. net/http's own answer, a 301 to "../%2F" (and to "/%2F"
// outside a mount at /todo), loops or leaves the mount; the Handler
// answers 404 without a Location.
func TestRootIsAFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "todo.txt")
	if err := os.WriteFile(file, []byte("buy milk"), 0o644); err != nil {
		t.Fatal(err)
	}
	h := &staticfs.Handler{FS: afero.NewBasePathFs(afero.NewOsFs(), file)}
	mux := http.NewServeMux()
	mux.Handle("/todo/", http.StripPrefix("/todo", h))
	mux.Handle("/", h)
	do := serve(t, mux)
	for _, target := range []string{"/", "/todo/", "/todo/x"} {
		got := do("GET", target, nil, "Location")
		if diff := cmp.Diff(result{404, map[string]string{"Location": ""}, "404 Not Found\n"}, got); diff != "" {
			t.Errorf("GET %s (-want +got):\n%s", target, diff)
		}
	}
}

// gzipOuter stands for a user's on-the-fly compressor around the
// Handler: it sets Content-Encoding before the Handler runs and gzips
// whatever is written.
func gzipOuter(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzipWriters.Get().(*gzip.Writer)
		zw.Reset(w)
		defer gzipWriters.Put(zw)
		defer zw.Close()
		h.ServeHTTP(gzipWriter{w, zw}, r)
	})
}

var gzipWriters = sync.Pool{New: func() any { return gzip.NewWriter(nil) }}

type gzipWriter struct {
	http.ResponseWriter
	zw *gzip.Writer
}

func (g gzipWriter) Write(p []byte) (int, error) { return g.zw.Write(p) }

// TestOuterContentEncoding: when an outer handler has set
// Content-Encoding, http.ServeContent leaves Content-Length out, so that
// the wrapper's output is framed right; the Handler does the same on
// every path, and serves the file itself, not a sidecar, to be encoded.
func TestOuterContentEncoding(t *testing.T) {
	// Letters at random compress to more than net/http buffers before it
	// chunks (2 KiB), so a wrong Content-Length would reach the client.
	rng := rand.New(rand.NewPCG(1, 2))
	letters := make([]byte, 32<<10)
	for i := range letters {
		letters[i] = 'a' + byte(rng.IntN(26))
	}
	page := string(letters)
	fsys := memSite(t, map[string]string{"/page.html": page, "/page.html.br": "BROTLI BYTES"})
	for _, cache := range []int64{0, -1} {
		do := serve(t, gzipOuter(&staticfs.Handler{FS: fsys, MemoryCacheBytes: cache}))
		for round := 0; round < 3; round++ {
			for _, method := range []string{"GET", "HEAD"} {
				got := do(method, "/page.html", map[string]string{"Accept-Encoding": "br, gzip"}, "Content-Length", "Content-Encoding", "Vary")
				want := map[string]string{"Content-Length": "", "Content-Encoding": "gzip", "Vary": "Accept-Encoding"}
				if method == "HEAD" {
					// net/http frames what the wrapper wrote for HEAD.
					got.Header["Content-Length"] = ""
				}
				if diff := cmp.Diff(want, got.Header); got.Status != 200 || diff != "" {
					t.Errorf("%s, MemoryCacheBytes %d, round %d: status %d, headers (-want +got):\n%s", method, cache, round, got.Status, diff)
				}
				if method == "HEAD" {
					continue
				}
				zr, err := gzip.NewReader(bytes.NewReader([]byte(got.Body)))
				if err != nil {
					t.Fatalf("MemoryCacheBytes %d, round %d: %v", cache, round, err)
				}
				body, err := io.ReadAll(zr)
				if err != nil || string(body) != page {
					t.Errorf("MemoryCacheBytes %d, round %d: decoded %d bytes (%v), want the %d of the page", cache, round, len(body), err, len(page))
				}
			}
		}
	}
}
