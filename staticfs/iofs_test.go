package staticfs_test

import (
	"embed"
	"io/fs"
	"testing"

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
	checkCases(t, do, []reqCase{
		{"GET", "/", result{200, map[string]string{"Content-Type": html, "Etag": "", "Last-Modified": ""}, "<p>embedded home</p>\n"}},
		{"GET", "/css/site.css", result{200, map[string]string{"Content-Type": "text/css; charset=utf-8"}, "p{color:red}\n"}},
		{"GET", "/css", result{301, map[string]string{"Location": "./css/"}, ""}},
		{"GET", "/index.html", result{301, map[string]string{"Location": "./"}, ""}},
		{"GET", "/css/missing", result{404, nil, "embedded 404\n"}},
		{"GET", "/.hidden", result{404, nil, "embedded 404\n"}},
		{"GET", "/index.html/x", result{404, nil, "embedded 404\n"}},
		{"GET", "/../testdata/embedsite/index.html", result{404, nil, "embedded 404\n"}},
	})
	if got := do("GET", "/css/", nil); got.Status != 200 || !contains(got.Body, `href="./site.css"`) {
		t.Errorf("listing of /css/ = %d:\n%s", got.Status, got.Body)
	}
}
