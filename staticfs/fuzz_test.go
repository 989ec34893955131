package staticfs

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/afero"
)

// traversalSeeds are request paths, as net/http hands them over decoded,
// that try to leave the root or reach hidden files.
var traversalSeeds = []string{
	"/", "", ".", "..", "/..", "/../", "/../../etc/passwd", "../secret.txt",
	"/./../outside/secret.txt", "/sub/../../outside/secret.txt",
	"/..\\..\\outside\\secret.txt", "/\\..\\outside", "/a\x00b", "/index.html\x00.png",
	"//outside/secret.txt", "/%2e%2e/outside/secret.txt", "/..%2fsecret", "/%00",
	"/link-up", "/link-up/", "/link-abs", "/link-evil", "/link-loop/x", "/link-dir/../../outside/secret.txt",
	"/link-dir/../link-up", "/.env", "/./.env", "/sub/../.env", "/link-dot", "/.well-known/../.env",
	"/..;/outside/secret.txt", "/../site-evil/x.txt", "/site-evil/x.txt", "/sub/page.html/..",
	"/\u002e\u002e/outside", "/\xc0\xae\xc0\xae/outside", "/\u2025/outside", "/\uff0e\uff0e/outside",
}

// FuzzPathMapping checks the invariants of path mapping on a real tree with
// links: a resolved name is clean, rooted, shows no hidden segment, and
// lies inside the root on disk once the kernel has followed every link;
// and the Handler never answers 500 nor sends a byte from outside.
func FuzzPathMapping(f *testing.F) {
	base := f.TempDir()
	root := filepath.Join(base, "site")
	for name, body := range map[string]string{
		"outside/secret.txt": "OUTSIDE",
		"site-evil/x.txt":    "OUTSIDE",
		"site/index.html":    "home",
		"site/sub/page.html": "page",
		"site/.env":          "DOTFILE",
	} {
		p := filepath.Join(base, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			f.Fatal(err)
		}
	}
	for name, target := range map[string]string{
		"link-in":   "sub/page.html",
		"link-dir":  "sub",
		"link-up":   "../outside/secret.txt",
		"link-evil": "../site-evil/x.txt",
		"link-abs":  filepath.Join(base, "outside/secret.txt"),
		"link-loop": "link-loop",
		"link-dot":  ".env",
		"sub/back":  "..",
	} {
		if err := os.Symlink(target, filepath.Join(root, name)); err != nil {
			f.Fatal(err)
		}
	}
	fsys := afero.NewBasePathFs(afero.NewOsFs(), root)
	h := &Handler{FS: fsys, Listing: true}
	rt := h.root()
	for _, s := range traversalSeeds {
		f.Add(s)
	}

	f.Fuzz(func(t *testing.T, p string) {
		name, err := cleanPath(p)
		if err != nil {
			return
		}
		if !strings.HasPrefix(name, "/") || path.Clean(name) != name {
			t.Fatalf("cleanPath(%q) = %q: not rooted and clean", p, name)
		}
		if real, err := rt.resolve(name); err == nil {
			if path.Clean(real) != real || !strings.HasPrefix(real, "/") || rt.hidden(real) {
				t.Fatalf("resolve(%q) = %q: not clean, rooted and visible", name, real)
			}
			if onDisk, err := filepath.EvalSymlinks(filepath.Join(root, real)); err == nil {
				if onDisk != root && !strings.HasPrefix(onDisk, root+string(filepath.Separator)) {
					t.Fatalf("resolve(%q) = %q, which is %s on disk: outside %s", name, real, onDisk, root)
				}
			}
		}

		w := httptest.NewRecorder()
		r := &http.Request{Method: "GET", URL: &url.URL{Path: p}, RequestURI: "/", Header: http.Header{}}
		h.ServeHTTP(w, r)
		if w.Code == http.StatusInternalServerError {
			t.Fatalf("GET %q: 500", p)
		}
		if body := w.Body.String(); strings.Contains(body, "OUTSIDE") || strings.Contains(body, "DOTFILE") {
			t.Fatalf("GET %q: %d served hidden bytes %q", p, w.Code, body)
		}
	})
}
