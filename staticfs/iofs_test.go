package staticfs_test

import (
	"embed"
	"io/fs"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/afero"
	"github.com/webstatic/webstatic/staticfs"
)

//go:embed all:testdata/embedsite
var embedded embed.FS

// TestEmbedFS serves an embed.FS through afero.FromIOFS: unrooted names,
// zero modification times.
func TestEmbedFS(t *testing.T) {
	sub, err := fs.Sub(embedded, "testdata/embedsite")
	if err != nil {
		t.Fatal(err)
	}
	do := serve(t, &staticfs.Handler{FS: afero.FromIOFS{FS: sub}, Listing: true})
	tests := []struct {
		target string
		want   result
	}{
		{"/", result{200, map[string]string{"Content-Type": html, "Etag": "", "Last-Modified": ""}, "<p>embedded home</p>\n"}},
		{"/css/site.css", result{200, map[string]string{"Content-Type": "text/css; charset=utf-8"}, "p{color:red}\n"}},
		{"/css", result{301, map[string]string{"Location": "./css/"}, ""}},
		{"/index.html", result{301, map[string]string{"Location": "./"}, ""}},
		{"/css/missing", result{404, nil, "embedded 404\n"}},
		{"/.hidden", result{404, nil, "embedded 404\n"}},
		{"/index.html/x", result{404, nil, "embedded 404\n"}},
		{"/../testdata/embedsite/index.html", result{404, nil, "embedded 404\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			got := do("GET", tt.target, nil, headerNames(tt.want.Header)...)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("GET %s (-want +got):\n%s", tt.target, diff)
			}
		})
	}
	if got := do("GET", "/css/", nil); got.Status != 200 || !contains(got.Body, `href="./site.css"`) {
		t.Errorf("listing of /css/ = %d:\n%s", got.Status, got.Body)
	}
}
