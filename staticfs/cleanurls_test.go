package staticfs_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/afero"
	"github.com/webstatic/webstatic/staticfs"
)

// TestCleanURLs covers Extensions and RedirectExtensions (the cases of
// send's and serve-static's extensions tests) on both backends, cache
// on and off.
func TestCleanURLs(t *testing.T) {
	files := map[string]string{
		"/about.html": "about page", "/docs/index.html": "docs index", "/docs.html": "docs html",
		"/blog/post.html": "a post", "/a.b.html": "dotted", "/.secret.html": "hidden", "/style.css": "css",
		"/page.htm": "htm page", "/page.html": "html page", "/404.html": "not found page",
	}
	loc := func(l string) map[string]string { return map[string]string{"Location": l} }
	tests := []struct {
		name, method, target string
		redirect             bool
		want                 result
	}{
		{"served from .html", "GET", "/about", false, result{200, map[string]string{"Content-Type": html}, "about page"}},
		{"query kept", "GET", "/about?x=1", false, result{200, nil, "about page"}},
		{"HEAD", "HEAD", "/about", false, result{200, nil, ""}},
		{"nested", "GET", "/blog/post", false, result{200, nil, "a post"}},
		{"dotted name", "GET", "/a.b", false, result{200, nil, "dotted"}},
		{"a directory wins", "GET", "/docs", false, result{301, loc("./docs/"), ""}},
		{"first extension wins", "GET", "/page", false, result{200, nil, "html page"}},
		{"hidden stays hidden", "GET", "/.secret", false, result{404, nil, "not found page"}},
		{"other extensions not tried", "GET", "/style", false, result{404, nil, "not found page"}},
		{"trailing slash asks for a directory", "GET", "/about/", false, result{404, nil, "not found page"}},
		{"missing", "GET", "/nope", false, result{404, nil, "not found page"}},
		{"the .html URL, no redirect", "GET", "/about.html", false, result{200, nil, "about page"}},
		{"the .html URL redirects", "GET", "/about.html?x=1&y=2", true, result{301, loc("./about?x=1&y=2"), ""}},
		{"nested redirect", "GET", "/blog/post.html", true, result{301, loc("./post"), ""}},
		{"no redirect where the name exists", "GET", "/docs.html", true, result{200, nil, "docs html"}},
	}
	for backend, newFs := range backends {
		fsys := newFs(t, files)
		for _, cache := range []int64{0, -1} {
			plain := serve(t, &staticfs.Handler{FS: fsys, Extensions: []string{".html", ".htm"}, MemoryCacheBytes: cache})
			redirect := serve(t, &staticfs.Handler{FS: fsys, Extensions: []string{".html", ".htm"}, RedirectExtensions: true, MemoryCacheBytes: cache})
			for _, tt := range tests {
				do := plain
				if tt.redirect {
					do = redirect
				}
				for round := 0; round < 2; round++ {
					got := do(tt.method, tt.target, nil, headerNames(tt.want.Header)...)
					if diff := cmp.Diff(tt.want, got); diff != "" {
						t.Errorf("%s, cache %d, %s, round %d (-want +got):\n%s", backend, cache, tt.name, round, diff)
					}
				}
			}
		}
	}
}

// TestFileTrailingSlash: the three policies for "/style.css/".
func TestFileTrailingSlash(t *testing.T) {
	fsys := memSite(t, map[string]string{"/style.css": "css", "/404.html": "not found page"})
	tests := []struct {
		policy staticfs.TrailingSlash
		want   result
	}{
		{staticfs.TrailingSlashRedirect, result{301, map[string]string{"Location": "../style.css?v=1"}, ""}},
		{staticfs.TrailingSlashNotFound, result{404, map[string]string{"Location": ""}, "not found page"}},
		{staticfs.TrailingSlashServe, result{200, map[string]string{"Location": ""}, "css"}},
	}
	for _, tt := range tests {
		do := serve(t, &staticfs.Handler{FS: afero.Fs(fsys), FileTrailingSlash: tt.policy})
		for round := 0; round < 2; round++ {
			if diff := cmp.Diff(tt.want, do("GET", "/style.css/?v=1", nil, "Location")); diff != "" {
				t.Errorf("%v, round %d (-want +got):\n%s", tt.policy, round, diff)
			}
		}
	}
	var p staticfs.TrailingSlash
	if err := p.Set("404"); err != nil || p != staticfs.TrailingSlashNotFound || p.String() != "404" {
		t.Errorf("Set/String: %v, %v", p, err)
	}
}
