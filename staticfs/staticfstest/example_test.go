package staticfstest_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/spf13/afero"
	"github.com/webstatic/webstatic/staticfs"
	"github.com/webstatic/webstatic/staticfs/staticfstest"
)

// Build a site in one call, serve it with a staticfs.Handler and check
// what a few URLs answer. Names need no leading slash: in a plain
// afero.MemMapFs, a file created as "index.html" is not found by the
// Handler, which asks for "/index.html".
func ExampleFS() {
	h := &staticfs.Handler{FS: staticfstest.FS(map[string]string{
		"index.html":       "<h1>Home</h1>",
		"/docs/index.html": "<h1>Docs</h1>",
		"404.html":         "<h1>Not found</h1>",
	})}
	for _, target := range []string{"/", "/docs", "/docs/", "/nope"} {
		resp := staticfstest.Get(h, target)
		fmt.Println(target, resp.Status, resp.Header.Get("Location")+resp.Body)
	}

	plain := afero.NewMemMapFs()
	afero.WriteFile(plain, "index.html", []byte("<h1>Home</h1>"), 0o644)
	fmt.Println("plain MemMapFs:", staticfstest.Get(&staticfs.Handler{FS: plain}, "/").Status)
	// Output:
	// / 200 <h1>Home</h1>
	// /docs 301 ./docs/
	// /docs/ 200 <h1>Docs</h1>
	// /nope 404 <h1>Not found</h1>
	// plain MemMapFs: 404
}

// Every entry has the same modification time, so validators are the same
// on every run and a conditional request can be written down.
func ExampleGet() {
	h := &staticfs.Handler{FS: staticfstest.FS(map[string]string{"app.js": "let x = 1;"})}

	first := staticfstest.Get(h, "/app.js")
	fmt.Println(first.Status, first.Header.Get("Last-Modified"))

	again := staticfstest.Get(h, "/app.js", "If-None-Match", first.Header.Get("ETag"))
	fmt.Printf("%d %q\n", again.Status, again.Body)
	// Output:
	// 200 Sat, 01 Jan 2000 00:00:00 GMT
	// 304 ""
}

// Do takes any request. A HEAD response has the headers of a GET, with
// the length of the body it leaves out.
func ExampleDo() {
	h := &staticfs.Handler{FS: staticfstest.FS(map[string]string{"robots.txt": "User-agent: *\n"})}

	head := staticfstest.Do(h, httptest.NewRequest(http.MethodHead, "/robots.txt", nil))
	fmt.Printf("HEAD %d Content-Length=%s body=%q\n", head.Status, head.Header.Get("Content-Length"), head.Body)

	post := staticfstest.Do(h, httptest.NewRequest(http.MethodPost, "/robots.txt", nil))
	fmt.Printf("POST %d Allow=%s\n", post.Status, post.Header.Get("Allow"))
	// Output:
	// HEAD 200 Content-Length=14 body=""
	// POST 405 Allow=GET, HEAD, OPTIONS
}
