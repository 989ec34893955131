package staticfstest_test

import (
	"fmt"
	"io/fs"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/afero"
	"github.com/webstatic/webstatic/staticfs"
	"github.com/webstatic/webstatic/staticfs/staticfstest"
)

// node is what tree reports of one entry of a filesystem.
type node struct {
	Mode    fs.FileMode
	ModTime time.Time
	Data    string
}

// tree lists every entry of fsys, the root included, by name.
func tree(t *testing.T, fsys afero.Fs) map[string]node {
	t.Helper()
	got := make(map[string]node)
	err := afero.Walk(fsys, "/", func(name string, info fs.FileInfo, err error) error {
		if err != nil {
			return err
		}
		n := node{Mode: info.Mode(), ModTime: info.ModTime()}
		if !info.IsDir() {
			data, err := afero.ReadFile(fsys, name)
			if err != nil {
				return err
			}
			n.Data = string(data)
		}
		got[name] = n
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestFSTree(t *testing.T) {
	mt := staticfstest.ModTime()
	dir := node{Mode: fs.ModeDir | 0o755, ModTime: mt}
	file := func(data string) node { return node{Mode: 0o644, ModTime: mt, Data: data} }

	tests := []struct {
		name  string
		files map[string]string
		want  map[string]node
	}{{
		name:  "empty",
		files: map[string]string{},
		want:  map[string]node{"/": dir},
	}, {
		name:  "rooted and unrooted",
		files: map[string]string{"/a.html": "a", "b.html": "b"},
		want:  map[string]node{"/": dir, "/a.html": file("a"), "/b.html": file("b")},
	}, {
		name:  "nested file creates its parents",
		files: map[string]string{"x/y/z.css": "z"},
		want:  map[string]node{"/": dir, "/x": dir, "/x/y": dir, "/x/y/z.css": file("z")},
	}, {
		name:  "empty directories",
		files: map[string]string{"empty/": "", "/deep/er/": ""},
		want:  map[string]node{"/": dir, "/empty": dir, "/deep": dir, "/deep/er": dir},
	}, {
		name:  "directory named beside its file",
		files: map[string]string{"d/": "", "d/f": "f"},
		want:  map[string]node{"/": dir, "/d": dir, "/d/f": file("f")},
	}, {
		name:  "names are cleaned",
		files: map[string]string{"./a": "a", "b//c": "c", "/d/./e/": ""},
		want: map[string]node{
			"/": dir, "/a": file("a"), "/b": dir, "/b/c": file("c"), "/d": dir, "/d/e": dir,
		},
	}, {
		name:  "empty file and dotfile",
		files: map[string]string{"empty.txt": "", ".env": "X=1"},
		want:  map[string]node{"/": dir, "/empty.txt": file(""), "/.env": file("X=1")},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tree(t, staticfstest.FS(tt.files))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("FS(%q) (-want +got):\n%s", tt.files, diff)
			}
		})
	}
}

// TestFSServed checks the trees through a staticfs.Handler, which asks
// for rooted names.
func TestFSServed(t *testing.T) {
	files := map[string]string{
		"index.html":        "home",
		"/about.html":       "about",
		"blog/index.html":   "blog",
		"/css/site.css":     "body{}",
		"js/app.js":         "app",
		"empty/":            "",
		"/docs/guide/":      "",
		"docs/guide/a.html": "a",
	}
	h := &staticfs.Handler{FS: staticfstest.FS(files)}

	type result struct {
		Status   int
		Location string
		Body     string
	}
	tests := []struct {
		target string
		want   result
	}{
		{"/", result{Status: 200, Body: "home"}},
		{"/about.html", result{Status: 200, Body: "about"}},
		{"/blog/", result{Status: 200, Body: "blog"}},
		{"/blog", result{Status: 301, Location: "./blog/"}},
		{"/css/site.css", result{Status: 200, Body: "body{}"}},
		{"/js/app.js", result{Status: 200, Body: "app"}},
		{"/docs/guide/a.html", result{Status: 200, Body: "a"}},
		{"/empty/", result{Status: 404}},
		{"/docs/", result{Status: 404}},
		{"/missing.html", result{Status: 404}},
	}
	for _, tt := range tests {
		resp := staticfstest.Get(h, tt.target)
		got := result{Status: resp.Status, Location: resp.Header.Get("Location")}
		if resp.Status == http.StatusOK {
			got.Body = resp.Body
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("GET %s (-want +got):\n%s", tt.target, diff)
		}
	}
}

func TestFSInvalid(t *testing.T) {
	tests := []struct {
		files map[string]string
		want  string
	}{
		{map[string]string{"": "x"}, `staticfstest: invalid name "": names the root`},
		{map[string]string{"/": ""}, `staticfstest: invalid name "/": names the root`},
		{map[string]string{".": "x"}, `staticfstest: invalid name ".": names the root`},
		{map[string]string{"..": "x"}, `staticfstest: invalid name "..": has a ".." element`},
		{map[string]string{"../etc/passwd": "x"}, `staticfstest: invalid name "../etc/passwd": has a ".." element`},
		{map[string]string{"/../x": "x"}, `staticfstest: invalid name "/../x": has a ".." element`},
		{map[string]string{"a/../b": "x"}, `staticfstest: invalid name "a/../b": has a ".." element`},
		{map[string]string{`a\b`: "x"}, `staticfstest: invalid name "a\\b": has a backslash or a NUL byte`},
		{map[string]string{"a\x00b": "x"}, `staticfstest: invalid name "a\x00b": has a backslash or a NUL byte`},
		{map[string]string{"dir/": "x"}, `staticfstest: invalid name "dir/": ends in "/", a directory, but has contents`},
		{map[string]string{"a": "1", "/a": "2"}, `staticfstest: names "/a" and "a" are the same entry "/a"`},
		{map[string]string{"d/": "", "d//": ""}, `staticfstest: names "d/" and "d//" are the same entry "/d"`},
		{map[string]string{"a": "", "a/": ""}, `staticfstest: names "a" and "a/" are the same entry "/a"`},
		{map[string]string{"a": "file", "a/b": "x"}, `staticfstest: "a" is a file and the parent of "a/b"`},
		{map[string]string{"/a": "file", "a/b/c/": ""}, `staticfstest: "/a" is a file and the parent of "a/b/c/"`},
	}
	for _, tt := range tests {
		got := panicValue(func() { staticfstest.FS(tt.files) })
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("FS(%q) panic (-want +got):\n%s", tt.files, diff)
		}
	}
}

// panicValue calls f and returns what it panicked with, formatted, or ""
// if it returned.
func panicValue(f func()) (v string) {
	defer func() {
		if r := recover(); r != nil {
			v = fmt.Sprint(r)
		}
	}()
	f()
	return ""
}

func TestFSAt(t *testing.T) {
	tests := []struct {
		name string
		t    time.Time
		want http.Header
	}{{
		name: "default",
		t:    staticfstest.ModTime(),
		want: http.Header{"Last-Modified": {"Sat, 01 Jan 2000 00:00:00 GMT"}},
	}, {
		name: "other time",
		t:    time.Date(2024, 2, 29, 12, 30, 0, 0, time.FixedZone("CET", 3600)),
		want: http.Header{"Last-Modified": {"Thu, 29 Feb 2024 11:30:00 GMT"}},
	}, {
		name: "zero time: no validators",
		t:    time.Time{},
		want: http.Header{},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := staticfstest.FSAt(tt.t, map[string]string{"a/b.txt": "b", "c/": ""})
			for name, n := range tree(t, fsys) {
				if !n.ModTime.Equal(tt.t) {
					t.Errorf("%s: ModTime %v, want %v", name, n.ModTime, tt.t)
				}
			}

			h := &staticfs.Handler{FS: fsys}
			var etags []string
			for range 2 {
				resp := staticfstest.Get(h, "/a/b.txt")
				got := http.Header{}
				if v := resp.Header.Get("Last-Modified"); v != "" {
					got.Set("Last-Modified", v)
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("GET /a/b.txt validators (-want +got):\n%s", diff)
				}
				etags = append(etags, resp.Header.Get("ETag"))
			}
			if tt.t.IsZero() != (etags[0] == "") {
				t.Errorf("ETag %q with modification time %v", etags[0], tt.t)
			}
			// The same tree built again gets the same ETag.
			again := staticfstest.Get(&staticfs.Handler{FS: staticfstest.FSAt(tt.t, map[string]string{"a/b.txt": "b"})}, "/a/b.txt")
			etags = append(etags, again.Header.Get("ETag"))
			if etags[1] != etags[0] || etags[2] != etags[0] {
				t.Errorf("ETags %q, want them all the same", etags)
			}
		})
	}
}
