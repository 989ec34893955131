package middleware_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/afero"
	"github.com/webstatic/webstatic/middleware"
	"github.com/webstatic/webstatic/staticfs"
)

// countingFs counts the files opened through it.
type countingFs struct {
	afero.Fs
	opens int
}

func (c *countingFs) Open(name string) (afero.File, error) {
	c.opens++
	return c.Fs.Open(name)
}

// TestHealth sends requests over TCP to a staticfs.Handler on a real
// directory behind Health, and compares status, body and headers; then
// removes the directory, after which readiness fails and liveness does
// not. The liveness check must open no file.
func TestHealth(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	os.Mkdir(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "file.txt"), []byte("hello"), 0o644)
	fsys := &countingFs{Fs: afero.NewBasePathFs(afero.NewOsFs(), dir)}
	h := &middleware.Health{Ready: middleware.RootReadable(fsys)}
	s := serve(t, h.Wrap(&staticfs.Handler{FS: fsys, MemoryCacheBytes: -1}))

	type answer struct {
		Status int
		Body   string
		Header map[string][]string
	}
	ok := map[string][]string{"Cache-Control": {"no-store"}, "Content-Type": {"text/plain; charset=utf-8"}, "Content-Length": {"3"}}
	for _, tt := range []struct {
		name, method, path string
		removeRoot         bool
		want               answer
		touchesFS          bool // the request opens files
	}{
		{"liveness", "GET", "/health", false, answer{200, "ok\n", ok}, false},
		{"liveness HEAD", "HEAD", "/health", false, answer{200, "", ok}, false},
		{"liveness POST", "POST", "/health", false, answer{405, "405 Method Not Allowed\n", map[string][]string{
			"Cache-Control": {"no-store"}, "Content-Type": {"text/plain; charset=utf-8"}, "Content-Length": {"23"}, "Allow": {"GET, HEAD"},
		}}, false},
		{"not the path", "GET", "/health/", false, answer{404, "404 Not Found\n", map[string][]string{"Content-Type": {"text/plain; charset=utf-8"}, "Content-Length": {"14"}}}, true},
		{"readiness", "GET", "/ready", false, answer{200, "ok\n", ok}, true},
		{"a file", "GET", "/file.txt", false, answer{200, "hello", map[string][]string{"Content-Type": {"text/plain; charset=utf-8"}, "Content-Length": {"5"}}}, true},
		{"readiness, root gone", "GET", "/ready", true, answer{503, "not ready\n", map[string][]string{"Cache-Control": {"no-store"}, "Content-Type": {"text/plain; charset=utf-8"}, "Content-Length": {"10"}}}, true},
		{"liveness, root gone", "GET", "/health", true, answer{200, "ok\n", ok}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if tt.removeRoot {
				os.RemoveAll(dir)
			}
			fsys.opens = 0
			req, _ := http.NewRequest(tt.method, s.URL+tt.path, nil)
			resp, err := s.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			got := answer{resp.StatusCode, string(body), pick(resp.Header, "Cache-Control", "Content-Type", "Content-Length", "Allow")}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s %s (-want +got):\n%s", tt.method, tt.path, diff)
			}
			if got := fsys.opens > 0; got != tt.touchesFS {
				t.Errorf("opened %d files; want some: %v", fsys.opens, tt.touchesFS)
			}
		})
	}
}

func TestHealthValidate(t *testing.T) {
	ready := func() error { return nil }
	for _, tt := range []struct {
		h    middleware.Health
		want string
	}{
		{middleware.Health{}, ""},
		{middleware.Health{Path: "/livez", ReadyPath: "/readyz", Ready: ready}, ""},
		{middleware.Health{Path: "health"}, `path "health" does not start with /`},
		{middleware.Health{ReadyPath: "/ready"}, "without a Ready check"},
		{middleware.Health{Path: "/h", ReadyPath: "/h", Ready: ready}, "one path"},
		{middleware.Health{Ready: ready, Path: "/ready"}, "one path"},
	} {
		err := tt.h.Validate()
		if (err == nil) != (tt.want == "") || err != nil && !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: Validate() = %v, want %q", tt.h, err, tt.want)
		}
	}
}

// TestRootReadable checks the readiness check on an empty root, on a
// root that is a file, and on a filesystem that fails.
func TestRootReadable(t *testing.T) {
	file := filepath.Join(t.TempDir(), "f")
	os.WriteFile(file, nil, 0o644)
	for _, tt := range []struct {
		name  string
		fsys  afero.Fs
		ready bool
	}{
		{"empty", afero.NewMemMapFs(), true},
		{"empty directory", afero.NewBasePathFs(afero.NewOsFs(), t.TempDir()), true},
		{"root is a file", afero.NewBasePathFs(afero.NewOsFs(), file), false},
		{"nil", nil, false},
	} {
		if err := middleware.RootReadable(tt.fsys)(); (err == nil) != tt.ready {
			t.Errorf("%s: RootReadable() = %v, want ready %v", tt.name, err, tt.ready)
		}
	}
}

// Answer a load balancer's checks in front of the files: /health never
// touches the filesystem, /ready checks that the root can be read.
func ExampleHealth() {
	fsys := afero.NewMemMapFs()
	afero.WriteFile(fsys, "/index.html", []byte("<h1>hi</h1>"), 0o644)
	down := errors.New("disk gone")
	checks := 0
	health := &middleware.Health{Ready: func() error {
		checks++
		if checks > 1 {
			return down // never sent to the client
		}
		return middleware.RootReadable(fsys)()
	}}
	h := health.Wrap(&staticfs.Handler{FS: fsys})

	for _, path := range []string{"/health", "/ready", "/ready", "/"} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		fmt.Printf("%s %d %q\n", path, w.Code, w.Body.String())
	}
	// Output:
	// /health 200 "ok\n"
	// /ready 200 "ok\n"
	// /ready 503 "not ready\n"
	// / 200 "<h1>hi</h1>"
}

// BenchmarkHealth compares a staticfs.Handler serving a 1 KiB file in
// process with the same handler behind Health, which compares the path
// and passes the request on, and with the liveness answer itself.
func BenchmarkHealth(b *testing.B) {
	site := newSite()
	h := (&middleware.Health{Ready: middleware.RootReadable(site.FS)}).Wrap(site)
	for _, bc := range []struct {
		name, path string
		h          http.Handler
	}{
		{"bare", "/file.txt", site},
		{"passed-on", "/file.txt", h},
		{"liveness", "/health", h},
		{"readiness", "/ready", h},
	} {
		b.Run(bc.name, func(b *testing.B) {
			benchServe(b, bc.h, httptest.NewRequest("GET", bc.path, nil))
		})
	}
}
