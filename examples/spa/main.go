// Command spa serves a single-page app beside an API on one ServeMux.
//
//	go run ./examples/spa [-addr 127.0.0.1:8082]
//
// /api/ is the application's; every other path is the app's: files are
// served as they are, and navigations to routes that are no file
// ("/users/42") get index.html, so the app's router can take over.
// Missing assets ("/app.css") and API calls still get 404.
package main

import (
	"embed"
	"encoding/json"
	"flag"
	"io/fs"
	"log"
	"net/http"
	"time"

	"github.com/webstatic/webstatic/staticfs"
)

//go:embed site
var site embed.FS

// newMux routes /api/ to the API and the rest to the app.
func newMux() *http.ServeMux {
	sub, err := fs.Sub(site, "site")
	if err != nil {
		panic(err) // the embed pattern above guarantees the directory
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/hello", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]string{"message": "hello from the API"})
	})
	mux.Handle("/api/", http.NotFoundHandler())
	mux.Handle("/", &staticfs.Handler{
		FS:      staticfs.FromIOFS(sub),
		SPAPage: "/index.html",
		ETags:   staticfs.ETagContent,
	})
	return mux
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8082", "listen `address`")
	flag.Parse()
	srv := &http.Server{Addr: *addr, Handler: newMux(), ReadHeaderTimeout: 10 * time.Second}
	log.Printf("serving the app on http://%s", *addr)
	log.Fatal(srv.ListenAndServe())
}
