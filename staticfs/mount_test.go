package staticfs_test

import (
	"net/http"
	"testing"

	"github.com/webstatic/webstatic/staticfs"
)

// TestMounted serves the Handler behind http.StripPrefix and under a
// Go 1.22 ServeMux pattern, where relative redirects must still land on
// the right URL.
func TestMounted(t *testing.T) {
	h := &staticfs.Handler{FS: memSite(t, siteFiles)}
	mux := http.NewServeMux()
	mux.Handle("GET /static/", http.StripPrefix("/static", h))
	mux.Handle("/assets/", http.StripPrefix("/assets/", h))
	mux.Handle("GET /{$}", h)
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("api")) })
	do := serve(t, mux)
	checkCases(t, do, []reqCase{
		{"GET", "/", result{200, nil, "<h1>home</h1>"}},
		{"GET", "/api/x", result{200, nil, "api"}},
		{"GET", "/static/", result{200, nil, "<h1>home</h1>"}},
		{"GET", "/static/style.css", result{200, nil, "body{}"}},
		{"HEAD", "/static/style.css", result{200, map[string]string{"Content-Length": "6"}, ""}},
		{"GET", "/static/docs", result{301, map[string]string{"Location": "./docs/"}, ""}},
		{"GET", "/static/docs/index.html", result{301, map[string]string{"Location": "./"}, ""}},
		{"GET", "/static/missing", result{404, nil, "root 404 page"}},
		{"GET", "/static/.env", result{404, nil, "root 404 page"}},
		{"GET", "/assets/docs/guide.txt", result{200, nil, "guide"}},
		{"GET", "/assets/", result{200, nil, "<h1>home</h1>"}},
	})
}

// TestStrippedToEmptyPath covers a handler reached with an empty path
// (http.StripPrefix of the whole path, without a ServeMux): a directory
// must still be redirected to the URL with the slash, named after the
// original request.
func TestStrippedToEmptyPath(t *testing.T) {
	h := http.StripPrefix("/docs", &staticfs.Handler{FS: memSite(t, map[string]string{"/index.html": "docs"})})
	checkCases(t, serve(t, h), []reqCase{
		{"GET", "/docs", result{301, map[string]string{"Location": "./docs/"}, ""}},
		{"GET", "/docs?x=1", result{301, map[string]string{"Location": "./docs/?x=1"}, ""}},
		{"GET", "/docs/", result{200, nil, "docs"}},
	})
}
