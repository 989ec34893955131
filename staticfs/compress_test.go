package staticfs_test

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/google/go-cmp/cmp"
	"github.com/webstatic/webstatic/internal/coding"
	"github.com/webstatic/webstatic/staticfs"
)

// textOf returns n bytes of words at random: text that compresses, but
// not to nothing.
func textOf(n int, seed uint64) string {
	words := []string{"static ", "files ", "served ", "gzip ", "zstd ", "brotli ", "cache ", "range ", "<p>", "</p>\n"}
	rng := rand.New(rand.NewPCG(seed, seed))
	var b strings.Builder
	for b.Len() < n {
		b.WriteString(words[rng.IntN(len(words))])
	}
	return b.String()[:n]
}

func brotliOf(s string) string {
	var b bytes.Buffer
	w := brotli.NewWriter(&b)
	io.WriteString(w, s)
	w.Close()
	return b.String()
}

// decode undoes a Content-Encoding.
func decode(t *testing.T, ce, body string) string {
	t.Helper()
	b, err := coding.Decode(ce, []byte(body))
	if err != nil {
		t.Fatalf("%s: %v", ce, err)
	}
	return string(b)
}

// TestCompression checks the rules of compressing on the fly, on both
// backends, with the cache (small files compressed once, large ones as
// they are sent) and without it (everything as it is sent), for GET and
// HEAD: which coding answers, Content-Encoding, Vary exactly once, a
// length when the body is in memory, and the decoded body.
func TestCompression(t *testing.T) {
	// Sizes whose compressed bodies pass net/http's 4 KiB buffer, so
	// that a body compressed as it is sent goes out chunked, as it does
	// for any file larger than the memory cache holds.
	page, big := textOf(40000, 1), textOf(200<<10, 2)
	files := map[string]string{
		"/page.html": page, "/small.txt": "tiny text", "/logo.png": textOf(30000, 3),
		"/app.js": textOf(30000, 4), "/app.js.br": brotliOf("from the sidecar"), "/big.css": big, "/nt.css": page,
		"/data.json": textOf(30000, 5), "/font.woff2": textOf(30000, 6),
	}
	type want struct {
		CE     string // Content-Encoding
		Vary   bool
		Length bool // Content-Length present
		Body   string
	}
	tests := []struct {
		name, target, ae string
		header           map[string]string
		cached, uncached want
	}{
		{"gzip", "/page.html", "gzip", nil, want{"gzip", true, true, page}, want{"gzip", true, false, page}},
		{"zstd first", "/page.html", "zstd, gzip", nil, want{"zstd", true, true, page}, want{"zstd", true, false, page}},
		{"q-values", "/page.html", "gzip;q=1, zstd;q=0.5", nil, want{"gzip", true, true, page}, want{"gzip", true, false, page}},
		{"br only from memory", "/page.html", "br", nil, want{"br", true, true, page}, want{"", true, true, page}},
		{"browser", "/page.html", "gzip, deflate, br, zstd", nil, want{"br", true, true, page}, want{"zstd", true, false, page}},
		{"identity", "/page.html", "", nil, want{"", true, true, page}, want{"", true, true, page}},
		{"refused", "/page.html", "gzip;q=0, *;q=0", nil, want{"", true, true, page}, want{"", true, true, page}},
		{"below the minimum", "/small.txt", "gzip", nil, want{"", false, true, "tiny text"}, want{"", false, true, "tiny text"}},
		{"not compressible", "/logo.png", "gzip", nil, want{"", false, true, files["/logo.png"]}, want{"", false, true, files["/logo.png"]}},
		{"woff2 is compressed", "/font.woff2", "gzip", nil, want{"", false, true, files["/font.woff2"]}, want{"", false, true, files["/font.woff2"]}},
		{"json", "/data.json", "gzip", nil, want{"gzip", true, true, files["/data.json"]}, want{"gzip", true, false, files["/data.json"]}},
		{"sidecar wins", "/app.js", "br, gzip", nil, want{"br", true, true, "from the sidecar"}, want{"br", true, true, "from the sidecar"}},
		{"beside a sidecar", "/app.js", "gzip", nil, want{"gzip", true, true, files["/app.js"]}, want{"gzip", true, false, files["/app.js"]}},
		{"large, streamed", "/big.css", "gzip", nil, want{"gzip", true, false, big}, want{"gzip", true, false, big}},
		{"large, zstd", "/big.css", "zstd", nil, want{"zstd", true, false, big}, want{"zstd", true, false, big}},
		{"large, range from identity", "/big.css", "gzip", map[string]string{"Range": "bytes=10-19"},
			want{"", true, true, big[10:20]}, want{"", true, true, big[10:20]}},
		{"no-transform rule", "/nt.css", "gzip", nil, want{"", true, true, page}, want{"", true, true, page}},
		{"no-transform outside", "/page.html", "gzip", map[string]string{"X-Outer-Cache-Control": "public, no-transform"},
			want{"", true, true, page}, want{"", true, true, page}},
		{"outer Vary kept once", "/page.html", "gzip", map[string]string{"X-Outer-Vary": "Accept-Encoding"},
			want{"gzip", true, true, page}, want{"gzip", true, false, page}},
	}
	for backend, newFs := range backends {
		fsys := newFs(t, files)
		for _, cache := range []int64{0, -1} {
			h := &staticfs.Handler{FS: fsys, MemoryCacheBytes: cache,
				CacheControl: []staticfs.CacheControlRule{{Pattern: "/nt.css", Value: "no-transform"}}}
			// The outer handler sets the headers a test asks for, as a
			// user's middleware would, before the Handler runs.
			outer := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if v := r.Header.Get("X-Outer-Cache-Control"); v != "" {
					w.Header().Set("Cache-Control", v)
				}
				if v := r.Header.Get("X-Outer-Vary"); v != "" {
					w.Header().Set("Vary", v)
				}
				h.ServeHTTP(w, r)
			})
			do := serve(t, outer)
			for _, tt := range tests {
				w := tt.cached
				if cache < 0 {
					w = tt.uncached
				}
				hdr := map[string]string{"Accept-Encoding": tt.ae}
				for k, v := range tt.header {
					hdr[k] = v
				}
				for round := 0; round < 2; round++ {
					get := do("GET", tt.target, hdr, "Content-Encoding", "Vary", "Content-Length", "Etag", "Content-Type")
					head := do("HEAD", tt.target, hdr, "Content-Encoding", "Vary", "Content-Length", "Etag", "Content-Type")
					where := fmt.Sprintf("%s, MemoryCacheBytes %d, %s, round %d", backend, cache, tt.name, round)
					vary := map[bool]string{true: "Accept-Encoding"}[w.Vary]
					got := want{get.Header["Content-Encoding"], get.Header["Vary"] != "", get.Header["Content-Length"] != "", decode(t, get.Header["Content-Encoding"], get.Body)}
					if get.Header["Vary"] != vary {
						t.Errorf("%s: Vary %q, want %q", where, get.Header["Vary"], vary)
					}
					if diff := cmp.Diff(w, got); diff != "" {
						t.Errorf("%s (-want +got):\n%s", where, diff)
					}
					if diff := cmp.Diff(get.Header, head.Header); diff != "" || head.Body != "" {
						t.Errorf("%s: HEAD differs from GET (-GET +HEAD):\n%s", where, diff)
					}
				}
			}
		}
	}
}

// TestCompressedValidators: each coding has an ETag of its own; a 304
// answers If-None-Match with the tag of the coding asked for, with Vary;
// the tag of another coding gets the body; a Range on a body compressed
// once is a range of the encoded bytes, and If-Range holds with its tag.
func TestCompressedValidators(t *testing.T) {
	page, big := textOf(4000, 7), textOf(200<<10, 8)
	fsys := memSite(t, map[string]string{"/page.html": page, "/big.css": big})
	do := serve(t, &staticfs.Handler{FS: fsys})
	names := []string{"Etag", "Vary", "Content-Encoding", "Content-Range"}
	for _, target := range []string{"/page.html", "/big.css"} {
		tags := map[string]string{}
		for _, ae := range []string{"", "gzip", "zstd"} {
			tags[ae] = do("GET", target, map[string]string{"Accept-Encoding": ae}, "Etag").Header["Etag"]
		}
		if len(map[string]bool{tags[""]: true, tags["gzip"]: true, tags["zstd"]: true}) != 3 {
			t.Fatalf("%s: ETags %v, want three distinct tags", target, tags)
		}
		for _, ae := range []string{"gzip", "zstd"} {
			got := do("GET", target, map[string]string{"Accept-Encoding": ae, "If-None-Match": tags[ae]}, names...)
			want := result{304, map[string]string{"Etag": tags[ae], "Vary": "Accept-Encoding", "Content-Encoding": "", "Content-Range": ""}, ""}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s, %s, If-None-Match its tag (-want +got):\n%s", target, ae, diff)
			}
			if got := do("GET", target, map[string]string{"Accept-Encoding": "", "If-None-Match": tags[ae]}); got.Status != 200 || got.Body != map[string]string{"/page.html": page, "/big.css": big}[target] {
				t.Errorf("%s: identity with the %s tag: %d, want 200 with the body", target, ae, got.Status)
			}
		}
	}
	// Ranges of the encoded bytes, for a body compressed once.
	full := do("GET", "/page.html", map[string]string{"Accept-Encoding": "gzip"}, "Etag")
	part := do("GET", "/page.html", map[string]string{"Accept-Encoding": "gzip", "Range": "bytes=0-9", "If-Range": full.Header["Etag"]}, names...)
	want := result{206, map[string]string{"Etag": full.Header["Etag"], "Vary": "Accept-Encoding", "Content-Encoding": "gzip",
		"Content-Range": fmt.Sprintf("bytes 0-9/%d", len(full.Body))}, full.Body[:10]}
	if diff := cmp.Diff(want, part); diff != "" {
		t.Errorf("range of the gzip body (-want +got):\n%s", diff)
	}
	if !bytes.HasPrefix([]byte(part.Body), []byte{0x1f, 0x8b}) {
		t.Errorf("range body %q does not start like gzip", part.Body)
	}
}
