package staticfs_test

import (
	"embed"
	"io/fs"
	"log"
	"strconv"
	"strings"
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

// TestEmbedFSInLayers serves an embed.FS inside afero's layers, through
// FromIOFS: read-only, copy-on-write with files written on top, and a
// base path into the embedded tree. afero.FromIOFS alone gets the rooted
// names every layer passes on and finds nothing.
func TestEmbedFSInLayers(t *testing.T) {
	sub, err := fs.Sub(embedded, "testdata/embedsite")
	if err != nil {
		t.Fatal(err)
	}
	overlay := afero.NewMemMapFs()
	afero.WriteFile(overlay, "/added.txt", []byte("written on top"), 0o644)
	cow := afero.NewCopyOnWriteFs(staticfs.FromIOFS(sub), overlay)
	home := "<p>embedded home</p>\n"
	tests := []struct {
		name string
		fsys afero.Fs
		more []reqCase
	}{
		{"ReadOnlyFs", afero.NewReadOnlyFs(staticfs.FromIOFS(sub)), nil},
		{"CopyOnWriteFs", cow, []reqCase{
			{"GET", "/added.txt", result{200, nil, "written on top"}},
		}},
		{"BasePathFs", afero.NewBasePathFs(staticfs.FromIOFS(embedded), "/testdata/embedsite"), nil},
		{"BasePathFs in ReadOnlyFs", afero.NewReadOnlyFs(afero.NewBasePathFs(staticfs.FromIOFS(embedded), "testdata/embedsite")), nil},
		{"FromIOFS alone", staticfs.FromIOFS(sub), nil},
		{"afero.FromIOFS alone", afero.FromIOFS{FS: sub}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, cache := range []int64{0, -1} {
				do := serve(t, &staticfs.Handler{FS: tt.fsys, Listing: true, MemoryCacheBytes: cache})
				checkCases(t, do, append([]reqCase{
					{"GET", "/", result{200, map[string]string{"Content-Type": html}, home}},
					{"HEAD", "/", result{200, map[string]string{"Content-Length": strconv.Itoa(len(home))}, ""}},
					{"GET", "/css/site.css", result{200, map[string]string{"Content-Type": "text/css; charset=utf-8"}, "p{color:red}\n"}},
					{"GET", "/css", result{301, map[string]string{"Location": "./css/"}, ""}},
					{"GET", "/css/missing", result{404, nil, "embedded 404\n"}},
					{"GET", "/.hidden", result{404, nil, "embedded 404\n"}},
				}, tt.more...))
				if got := do("GET", "/css/", nil); got.Status != 200 || !contains(got.Body, `href="./site.css"`) {
					t.Errorf("listing of /css/ = %d:\n%s", got.Status, got.Body)
				}
			}
		})
	}
}

// TestUnreadableRootIsLogged: afero.FromIOFS inside a layer gets rooted
// names and finds nothing; the first request logs why, once.
func TestUnreadableRootIsLogged(t *testing.T) {
	sub, err := fs.Sub(embedded, "testdata/embedsite")
	if err != nil {
		t.Fatal(err)
	}
	var logged strings.Builder
	h := &staticfs.Handler{FS: afero.NewReadOnlyFs(afero.FromIOFS{FS: sub}), ErrorLog: log.New(&logged, "", 0)}
	do := serve(t, h)
	for i := 0; i < 3; i++ {
		if got := do("GET", "/", nil); got.Status != 404 {
			t.Errorf("GET / = %d, want 404", got.Status)
		}
	}
	if n := strings.Count(logged.String(), "needs staticfs.FromIOFS"); n != 1 {
		t.Errorf("log has the hint %d times, want once:\n%s", n, logged.String())
	}
}
