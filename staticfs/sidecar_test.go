package staticfs_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/afero"
	"github.com/webstatic/webstatic/staticfs"
)

var sidecarFiles = map[string]string{
	"/app.js":         "plain-js",
	"/app.js.br":      "BR-BYTES",
	"/app.js.zst":     "ZSTD-BYTES",
	"/app.js.gz":      "GZ-BYTES",
	"/style.css":      "plain-css",
	"/style.css.gz":   "GZ-CSS",
	"/plain.txt":      "plain-text",
	"/archive.tar.gz": "TARGZ",
	"/index.html":     "home",
	"/index.html.gz":  "GZ-HOME",
}

const js = "text/javascript; charset=utf-8"

func TestSidecars(t *testing.T) {
	for backend, newFs := range backends {
		t.Run(backend, func(t *testing.T) { testSidecars(t, newFs(t, sidecarFiles)) })
	}
}

func testSidecars(t *testing.T, fsys afero.Fs) {
	do := serve(t, &staticfs.Handler{FS: fsys})
	names := []string{"Content-Type", "Content-Encoding", "Vary"}
	tests := []struct {
		target, acceptEncoding string
		want                   result
	}{
		{"/app.js", "", result{200, map[string]string{"Content-Type": js, "Content-Encoding": "", "Vary": "Accept-Encoding"}, "plain-js"}},
		{"/app.js", "gzip", result{200, map[string]string{"Content-Type": js, "Content-Encoding": "gzip", "Vary": "Accept-Encoding"}, "GZ-BYTES"}},
		{"/app.js", "gzip, deflate, br, zstd", result{200, map[string]string{"Content-Type": js, "Content-Encoding": "br", "Vary": "Accept-Encoding"}, "BR-BYTES"}},
		{"/app.js", "zstd, gzip", result{200, map[string]string{"Content-Type": js, "Content-Encoding": "zstd", "Vary": "Accept-Encoding"}, "ZSTD-BYTES"}},
		{"/app.js", "br;q=0.5, gzip", result{200, map[string]string{"Content-Type": js, "Content-Encoding": "gzip", "Vary": "Accept-Encoding"}, "GZ-BYTES"}},
		{"/app.js", "br;q=0.5, gzip;q=0.5", result{200, map[string]string{"Content-Type": js, "Content-Encoding": "br", "Vary": "Accept-Encoding"}, "BR-BYTES"}},
		{"/app.js", "br;q=0, gzip;q=0, zstd;q=0", result{200, map[string]string{"Content-Type": js, "Content-Encoding": "", "Vary": "Accept-Encoding"}, "plain-js"}},
		{"/app.js", "br;q=0, *", result{200, map[string]string{"Content-Type": js, "Content-Encoding": "zstd", "Vary": "Accept-Encoding"}, "ZSTD-BYTES"}},
		{"/app.js", "*", result{200, map[string]string{"Content-Type": js, "Content-Encoding": "br", "Vary": "Accept-Encoding"}, "BR-BYTES"}},
		{"/app.js", "*;q=0", result{200, map[string]string{"Content-Type": js, "Content-Encoding": "", "Vary": "Accept-Encoding"}, "plain-js"}},
		{"/app.js", "identity;q=0", result{200, map[string]string{"Content-Type": js, "Content-Encoding": "", "Vary": "Accept-Encoding"}, "plain-js"}},
		{"/app.js", "identity", result{200, map[string]string{"Content-Type": js, "Content-Encoding": "", "Vary": "Accept-Encoding"}, "plain-js"}},
		{"/app.js", "GZIP", result{200, map[string]string{"Content-Type": js, "Content-Encoding": "gzip", "Vary": "Accept-Encoding"}, "GZ-BYTES"}},
		{"/app.js", "x-gzip", result{200, map[string]string{"Content-Type": js, "Content-Encoding": "gzip", "Vary": "Accept-Encoding"}, "GZ-BYTES"}},
		{"/app.js", "Br ; Q=1.0", result{200, map[string]string{"Content-Type": js, "Content-Encoding": "br", "Vary": "Accept-Encoding"}, "BR-BYTES"}},
		{"/app.js", "compress, deflate, snappy", result{200, map[string]string{"Content-Type": js, "Content-Encoding": "", "Vary": "Accept-Encoding"}, "plain-js"}},
		{"/app.js", "br;q=abc, gzip", result{200, map[string]string{"Content-Type": js, "Content-Encoding": "gzip", "Vary": "Accept-Encoding"}, "GZ-BYTES"}},
		{"/app.js", "br;q=2, gzip;q=0.1", result{200, map[string]string{"Content-Type": js, "Content-Encoding": "gzip", "Vary": "Accept-Encoding"}, "GZ-BYTES"}},
		{"/app.js", ",,, ;q=1, gzip", result{200, map[string]string{"Content-Type": js, "Content-Encoding": "gzip", "Vary": "Accept-Encoding"}, "GZ-BYTES"}},
		{"/style.css", "br", result{200, map[string]string{"Content-Type": "text/css; charset=utf-8", "Content-Encoding": "", "Vary": "Accept-Encoding"}, "plain-css"}},
		{"/style.css", "gzip, br", result{200, map[string]string{"Content-Type": "text/css; charset=utf-8", "Content-Encoding": "gzip", "Vary": "Accept-Encoding"}, "GZ-CSS"}},
		{"/plain.txt", "gzip, br", result{200, map[string]string{"Content-Type": text, "Content-Encoding": "", "Vary": ""}, "plain-text"}},
		{"/", "gzip", result{200, map[string]string{"Content-Type": html, "Content-Encoding": "gzip", "Vary": "Accept-Encoding"}, "GZ-HOME"}},
		// Sidecars are not resources of their own...
		{"/app.js.gz", "", result{404, map[string]string{"Content-Type": text, "Content-Encoding": "", "Vary": ""}, "404 Not Found\n"}},
		{"/app.js.br", "br", result{404, map[string]string{"Content-Type": text, "Content-Encoding": "", "Vary": ""}, "404 Not Found\n"}},
		// ...but a compressed file with no original beside it is one.
		{"/archive.tar.gz", "gzip", result{200, map[string]string{"Content-Type": "application/gzip", "Content-Encoding": "", "Vary": ""}, "TARGZ"}},
	}
	for _, tt := range tests {
		t.Run(tt.target+" "+tt.acceptEncoding, func(t *testing.T) {
			var hdr map[string]string
			if tt.acceptEncoding != "" {
				hdr = map[string]string{"Accept-Encoding": tt.acceptEncoding}
			}
			got := do("GET", tt.target, hdr, names...)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Accept-Encoding %q (-want +got):\n%s", tt.acceptEncoding, diff)
			}
		})
	}
}

// TestSidecarValidators checks per-encoding ETags, conditional requests
// and ranges on the encoded bytes.
func TestSidecarValidators(t *testing.T) {
	for backend, newFs := range backends {
		t.Run(backend, func(t *testing.T) { testSidecarValidators(t, newFs(t, sidecarFiles)) })
	}
}

func testSidecarValidators(t *testing.T, fsys afero.Fs) {
	do := serve(t, &staticfs.Handler{FS: fsys})
	etag := func(ae string) string {
		return do("GET", "/app.js", map[string]string{"Accept-Encoding": ae}, "Etag").Header["Etag"]
	}
	tags := map[string]bool{etag(""): true, etag("gzip"): true, etag("br"): true, etag("zstd"): true}
	if len(tags) != 4 || tags[""] {
		t.Fatalf("ETags per encoding = %v, want 4 distinct tags", tags)
	}
	gz := etag("gzip")
	tests := []struct {
		name   string
		method string
		header map[string]string
		want   result
	}{
		{"304 for the gzip tag", "GET", map[string]string{"Accept-Encoding": "gzip", "If-None-Match": gz},
			result{304, map[string]string{"Etag": gz, "Vary": "Accept-Encoding", "Content-Encoding": ""}, ""}},
		{"gzip tag does not match br", "GET", map[string]string{"Accept-Encoding": "br", "If-None-Match": gz},
			result{200, map[string]string{"Content-Encoding": "br", "Vary": "Accept-Encoding"}, "BR-BYTES"}},
		{"range on gzip", "GET", map[string]string{"Accept-Encoding": "gzip", "Range": "bytes=0-1"},
			result{206, map[string]string{"Content-Encoding": "gzip", "Content-Range": "bytes 0-1/8", "Etag": gz}, "GZ"}},
		{"if-range on gzip", "GET", map[string]string{"Accept-Encoding": "gzip", "Range": "bytes=3-", "If-Range": gz},
			result{206, map[string]string{"Content-Encoding": "gzip", "Content-Range": "bytes 3-7/8"}, "BYTES"}},
		{"GET on gzip has a length", "GET", map[string]string{"Accept-Encoding": "gzip"},
			result{200, map[string]string{"Content-Encoding": "gzip", "Content-Length": "8", "Transfer-Encoding": ""}, "GZ-BYTES"}},
		{"HEAD on gzip", "HEAD", map[string]string{"Accept-Encoding": "gzip"},
			result{200, map[string]string{"Content-Encoding": "gzip", "Content-Length": "8"}, ""}},
		{"416 drops the encoding", "GET", map[string]string{"Accept-Encoding": "gzip", "Range": "bytes=100-200"},
			result{416, map[string]string{"Content-Encoding": "", "Etag": "", "Content-Range": "bytes */8"}, "416 Requested Range Not Satisfiable\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := do(tt.method, "/app.js", tt.header, headerNames(tt.want.Header)...)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestSidecarOptions(t *testing.T) {
	fsys := memSite(t, sidecarFiles)
	tests := []struct {
		name    string
		handler *staticfs.Handler
		target  string
		want    result
	}{
		{"Encodings off", &staticfs.Handler{Encodings: []staticfs.Encoding{}}, "/app.js",
			result{200, map[string]string{"Content-Encoding": "", "Vary": ""}, "plain-js"}},
		{"Encodings off serves sidecar names", &staticfs.Handler{Encodings: []staticfs.Encoding{}}, "/app.js.gz",
			result{200, map[string]string{"Content-Encoding": ""}, "GZ-BYTES"}},
		{"Encodings gzip only", &staticfs.Handler{Encodings: []staticfs.Encoding{{Coding: "gzip", Ext: ".gz"}}}, "/app.js",
			result{200, map[string]string{"Content-Encoding": "gzip", "Vary": "Accept-Encoding"}, "GZ-BYTES"}},
		{"ExposeSidecars", &staticfs.Handler{ExposeSidecars: true}, "/app.js.gz",
			result{200, map[string]string{"Content-Type": "application/gzip", "Content-Encoding": ""}, "GZ-BYTES"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.handler.FS = fsys
			got := serve(t, tt.handler)("GET", tt.target, map[string]string{"Accept-Encoding": "br, gzip"}, headerNames(tt.want.Header)...)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
