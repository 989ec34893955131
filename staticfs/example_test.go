package staticfs_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing/fstest"

	"github.com/spf13/afero"
	"github.com/webstatic/webstatic/staticfs"
)

// A Handler over an in-memory filesystem is the quickest way to test
// what a site serves.
func ExampleHandler() {
	fsys := afero.NewMemMapFs()
	afero.WriteFile(fsys, "/index.html", []byte("<h1>Hello</h1>"), 0o644)
	afero.WriteFile(fsys, "/404.html", []byte("<h1>No such page</h1>"), 0o644)
	afero.WriteFile(fsys, "/.env", []byte("SECRET=1"), 0o644)

	h := &staticfs.Handler{FS: fsys}
	for _, target := range []string{"/", "/index.html", "/nope", "/.env"} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", target, nil))
		fmt.Println(target, w.Code, w.Header().Get("Location")+w.Body.String())
	}
	// Output:
	// / 200 <h1>Hello</h1>
	// /index.html 301 ./
	// /nope 404 <h1>No such page</h1>
	// /.env 404 <h1>No such page</h1>
}

// Mount the Handler under a path of a ServeMux with http.StripPrefix,
// beside the application's own routes. On disk, the filesystem would be
// afero.NewReadOnlyFs(afero.NewBasePathFs(afero.NewOsFs(), "site")).
func ExampleHandler_serveMux() {
	fsys := afero.NewMemMapFs()
	afero.WriteFile(fsys, "/css/site.css", []byte("body{}"), 0o644)

	mux := http.NewServeMux()
	mux.Handle("GET /static/", http.StripPrefix("/static", &staticfs.Handler{FS: fsys}))
	mux.HandleFunc("GET /api/hello", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "hello")
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	for _, path := range []string{"/static/css/site.css", "/api/hello"} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			panic(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Println(path, resp.StatusCode, resp.Header.Get("Content-Type"), string(body))
	}
	// Output:
	// /static/css/site.css 200 text/css; charset=utf-8 body{}
	// /api/hello 200 text/plain; charset=utf-8 hello
}

// ErrorHandler replaces the Handler's error pages; err is for logs only.
func ExampleHandler_errorHandler() {
	h := &staticfs.Handler{
		FS: afero.NewMemMapFs(),
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, status int, err error) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			fmt.Fprintf(w, `{"status":%d}`, status)
		},
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/missing.js", nil))
	fmt.Println(w.Code, w.Body.String())
	// Output:
	// 404 {"status":404}
}

// Precompressed sidecars are served to clients that accept their coding,
// with the original's Content-Type and a Vary header.
func ExampleHandler_precompressed() {
	fsys := afero.NewMemMapFs()
	afero.WriteFile(fsys, "/app.js", []byte("console.log('hi')"), 0o644)
	afero.WriteFile(fsys, "/app.js.gz", []byte("(gzip bytes)"), 0o644)

	h := &staticfs.Handler{FS: fsys}
	for _, ae := range []string{"gzip, br", ""} {
		r := httptest.NewRequest("GET", "/app.js", nil)
		if ae != "" {
			r.Header.Set("Accept-Encoding", ae)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		fmt.Printf("%q: %s %q %s\n", ae, w.Header().Get("Content-Encoding"), w.Header().Get("Content-Type"), w.Body)
	}
	// Output:
	// "gzip, br": gzip "text/javascript; charset=utf-8" (gzip bytes)
	// "":  "text/javascript; charset=utf-8" console.log('hi')
}

// A single-page app: routes that are no file get index.html, missing
// assets still get 404, and fingerprinted assets are cached for a year.
func ExampleHandler_singlePageApp() {
	fsys := afero.NewMemMapFs()
	afero.WriteFile(fsys, "/index.html", []byte("<div id=app></div>"), 0o644)
	afero.WriteFile(fsys, "/assets/app.3f9c.js", []byte("render()"), 0o644)

	h := &staticfs.Handler{
		FS:      fsys,
		SPAPage: "/index.html",
		CacheControl: []staticfs.CacheControlRule{
			{Pattern: "/assets/", Value: "public, max-age=31536000, immutable"},
		},
	}
	for _, target := range []string{"/users/42", "/assets/app.3f9c.js", "/assets/missing.js"} {
		r := httptest.NewRequest("GET", target, nil)
		r.Header.Set("Accept", "text/html,*/*;q=0.8")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		fmt.Printf("%s %d %q\n", target, w.Code, w.Header().Get("Cache-Control"))
	}
	// Output:
	// /users/42 200 "no-cache"
	// /assets/app.3f9c.js 200 "public, max-age=31536000, immutable"
	// /assets/missing.js 404 ""
}

// FromIOFS serves an io/fs tree (an embed.FS, or here a
// testing/fstest.MapFS) inside afero's layers: read-only, under a base
// path, or with files written on top.
func ExampleFromIOFS() {
	tree := fstest.MapFS{
		"site/index.html":   {Data: []byte("<h1>embedded</h1>")},
		"site/css/site.css": {Data: []byte("body{}")},
	}
	site := afero.NewBasePathFs(staticfs.FromIOFS(tree), "/site")
	h := &staticfs.Handler{FS: afero.NewReadOnlyFs(site)}

	for _, target := range []string{"/", "/css/site.css", "/css/missing.css"} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", target, nil))
		fmt.Println(target, w.Code, w.Body.String())
	}
	// Output:
	// / 200 <h1>embedded</h1>
	// /css/site.css 200 body{}
	// /css/missing.css 404 404 Not Found
}
