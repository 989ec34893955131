package staticfs_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/afero"
	"github.com/webstatic/webstatic/staticfs"
)

const browserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"

func TestSPAFallback(t *testing.T) {
	for backend, newFs := range backends {
		t.Run(backend, func(t *testing.T) { testSPAFallback(t, newFs) })
	}
}

func testSPAFallback(t *testing.T, newFs func(testing.TB, map[string]string) afero.Fs) {
	fsys := newFs(t, map[string]string{
		"/index.html":     "app shell",
		"/shell.html":     "other shell",
		"/assets/app.js":  "js",
		"/404.html":       "not found page",
		"/.env":           "SECRET",
		"/docs/page.html": "docs",
	})
	names := []string{"Content-Type", "Cache-Control"}
	tests := []struct {
		name    string
		handler *staticfs.Handler
		method  string
		target  string
		accept  string
		want    result
	}{
		{"route", &staticfs.Handler{SPAPage: "/index.html"}, "GET", "/users/42", browserAccept,
			result{200, map[string]string{"Content-Type": html, "Cache-Control": "no-cache"}, "app shell"}},
		{"route HEAD", &staticfs.Handler{SPAPage: "/index.html"}, "HEAD", "/users/42", "text/html",
			result{200, map[string]string{"Content-Type": html, "Cache-Control": "no-cache"}, ""}},
		{"deep route", &staticfs.Handler{SPAPage: "/index.html"}, "GET", "/a/b/c/d", "text/html",
			result{200, map[string]string{"Content-Type": html, "Cache-Control": "no-cache"}, "app shell"}},
		{"route through a file", &staticfs.Handler{SPAPage: "/index.html"}, "GET", "/docs/page.html/edit", "text/html",
			result{200, map[string]string{"Content-Type": html, "Cache-Control": "no-cache"}, "app shell"}},
		{"SPAPage", &staticfs.Handler{SPAPage: "/shell.html"}, "GET", "/users/42", "text/html",
			result{200, map[string]string{"Content-Type": html, "Cache-Control": "no-cache"}, "other shell"}},
		{"existing file", &staticfs.Handler{SPAPage: "/index.html"}, "GET", "/assets/app.js", browserAccept,
			result{200, map[string]string{"Content-Type": js, "Cache-Control": ""}, "js"}},
		{"missing asset", &staticfs.Handler{SPAPage: "/index.html"}, "GET", "/assets/missing.js", browserAccept,
			result{404, map[string]string{"Content-Type": html, "Cache-Control": ""}, "not found page"}},
		{"fetch without html", &staticfs.Handler{SPAPage: "/index.html"}, "GET", "/api/users", "*/*",
			result{404, map[string]string{"Content-Type": html, "Cache-Control": ""}, "not found page"}},
		{"json client", &staticfs.Handler{SPAPage: "/index.html"}, "GET", "/api/users", "application/json",
			result{404, map[string]string{"Content-Type": html, "Cache-Control": ""}, "not found page"}},
		{"html refused", &staticfs.Handler{SPAPage: "/index.html"}, "GET", "/users/42", "text/html;q=0, */*",
			result{404, map[string]string{"Content-Type": html, "Cache-Control": ""}, "not found page"}},
		{"no accept", &staticfs.Handler{SPAPage: "/index.html"}, "GET", "/users/42", "",
			result{404, map[string]string{"Content-Type": html, "Cache-Control": ""}, "not found page"}},
		{"dotfile stays hidden", &staticfs.Handler{SPAPage: "/index.html"}, "GET", "/.env", "text/html",
			result{404, map[string]string{"Content-Type": html, "Cache-Control": ""}, "not found page"}},
		{"SPA off", &staticfs.Handler{}, "GET", "/users/42", "text/html",
			result{404, map[string]string{"Content-Type": html, "Cache-Control": ""}, "not found page"}},
		{"SPAPage missing", &staticfs.Handler{SPAPage: "/nope.html"}, "GET", "/users/42", "text/html",
			result{404, map[string]string{"Content-Type": html, "Cache-Control": ""}, "not found page"}},
		{"SPAPage hidden", &staticfs.Handler{SPAPage: "/.env"}, "GET", "/users/42", "text/html",
			result{404, map[string]string{"Content-Type": html, "Cache-Control": ""}, "not found page"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.handler.FS = fsys
			var hdr map[string]string
			if tt.accept != "" {
				hdr = map[string]string{"Accept": tt.accept}
			}
			got := serve(t, tt.handler)(tt.method, tt.target, hdr, names...)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s %s (-want +got):\n%s", tt.method, tt.target, diff)
			}
		})
	}
}
