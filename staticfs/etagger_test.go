package staticfs_test

import (
	"io/fs"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/afero"
	"github.com/webstatic/webstatic/staticfs"
)

// taggedFs hands out FileInfos that carry the tag set for their name, as
// an object store's filesystem does.
type taggedFs struct {
	afero.Fs
	mu   sync.Mutex
	tags map[string]string
}

type taggedInfo struct {
	fs.FileInfo
	tag string
}

func (i taggedInfo) ETag() string { return i.tag }

type taggedFile struct {
	afero.File
	fsys *taggedFs
	name string
}

func (t *taggedFs) wrap(name string, info fs.FileInfo) fs.FileInfo {
	t.mu.Lock()
	defer t.mu.Unlock()
	if tag, ok := t.tags[name]; ok {
		return taggedInfo{info, tag}
	}
	return info
}

func (t *taggedFs) setTag(name, tag string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.tags[name] = tag
}

func (t *taggedFs) Stat(name string) (fs.FileInfo, error) {
	info, err := t.Fs.Stat(name)
	if err != nil {
		return nil, err
	}
	return t.wrap(name, info), nil
}

func (t *taggedFs) Open(name string) (afero.File, error) {
	f, err := t.Fs.Open(name)
	if err != nil {
		return nil, err
	}
	return taggedFile{f, t, name}, nil
}

func (f taggedFile) Stat() (fs.FileInfo, error) {
	info, err := f.File.Stat()
	if err != nil {
		return nil, err
	}
	return f.fsys.wrap(f.name, info), nil
}

// TestETaggerTags: a filesystem's own tags are the ETags in both modes,
// with and without the cache, a sidecar's tag gets its coding, a tag no
// header can carry is not used, and a tag that changes while size and
// time stay is a new version.
func TestETaggerTags(t *testing.T) {
	for _, mode := range []staticfs.ETagMode{staticfs.ETagMeta, staticfs.ETagContent} {
		for _, cache := range []int64{0, -1} {
			t.Run(mode.String()+map[int64]string{0: "/cached", -1: "/uncached"}[cache], func(t *testing.T) {
				fsys := &taggedFs{
					Fs: memSite(t, map[string]string{"/a.js": "bytes", "/a.js.gz": "GZ", "/bad.js": "bad"}),
					tags: map[string]string{
						"/a.js":    "d41d8cd98f00b204e9800998ecf8427e",
						"/a.js.gz": "0123-2",
						"/bad.js":  `has"quote`,
					},
				}
				do := serve(t, &staticfs.Handler{FS: fsys, ETags: mode, MemoryCacheBytes: cache, RevalidateInterval: -1})
				get := func(target, ae string) string {
					return do("GET", target, map[string]string{"Accept-Encoding": ae}, "Etag").Header["Etag"]
				}
				got := []string{get("/a.js", ""), get("/a.js", "gzip")}
				want := []string{`"d41d8cd98f00b204e9800998ecf8427e"`, `"0123-2-gzip"`}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("ETags (-want +got):\n%s", diff)
				}
				if bad := get("/bad.js", ""); bad == "" || strings.Contains(bad, "quote") {
					t.Errorf("ETag of a file whose own tag holds a quote = %q, want the Handler's own", bad)
				}
				notModified := do("GET", "/a.js", map[string]string{"If-None-Match": want[0]})
				if diff := cmp.Diff(result{Status: 304}, notModified); diff != "" {
					t.Errorf("If-None-Match with the own tag (-want +got):\n%s", diff)
				}
				fsys.setTag("/a.js", "new-version")
				if got := get("/a.js", ""); got != `"new-version"` {
					t.Errorf("after the tag changed: ETag %q, want %q", got, `"new-version"`)
				}
			})
		}
	}
}
