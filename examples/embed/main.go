// Command embed serves a site compiled into the binary with embed.FS.
//
//	go run ./examples/embed [-addr 127.0.0.1:8081]
//
// Files in an embed.FS have no modification time, so size-and-time ETags
// are impossible; staticfs.ETagContent hashes each file once instead, and
// every build of the same files gives the same validators.
package main

import (
	"embed"
	"flag"
	"io/fs"
	"log"
	"net/http"
	"time"

	"github.com/webstatic/webstatic/staticfs"
)

//go:embed site
var site embed.FS

// newHandler serves the embedded site.
func newHandler() http.Handler {
	sub, err := fs.Sub(site, "site")
	if err != nil {
		panic(err) // the embed pattern above guarantees the directory
	}
	return &staticfs.Handler{
		FS:    staticfs.FromIOFS(sub),
		ETags: staticfs.ETagContent,
		CacheControl: []staticfs.CacheControlRule{
			{Pattern: "*.html", Value: "no-cache"},
			{Pattern: "*", Value: "public, max-age=3600"},
		},
	}
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8081", "listen `address`")
	flag.Parse()
	srv := &http.Server{Addr: *addr, Handler: newHandler(), ReadHeaderTimeout: 10 * time.Second}
	log.Printf("serving the embedded site on http://%s", *addr)
	log.Fatal(srv.ListenAndServe())
}
