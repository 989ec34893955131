package staticfs_test

import (
	"io/fs"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/afero"
	"github.com/webstatic/webstatic/staticfs"
)

// TestContentETagsAcrossReplicas serves the same bytes from two trees with
// different modification times: content ETags agree, so a validator from
// one replica gets a 304 from the other; meta ETags do not.
func TestContentETagsAcrossReplicas(t *testing.T) {
	files := map[string]string{"/app.js": "same bytes", "/app.js.gz": "GZ", "/other.js": "other bytes"}
	a, b := memSite(t, files), memSite(t, files)
	later := modTime.Add(48 * time.Hour)
	for _, name := range []string{"/app.js", "/app.js.gz", "/other.js"} {
		b.Chtimes(name, later, later)
	}
	doA := serve(t, &staticfs.Handler{FS: a, ETags: staticfs.ETagContent})
	doB := serve(t, &staticfs.Handler{FS: b, ETags: staticfs.ETagContent})
	tag := func(do func(string, string, map[string]string, ...string) result, target, ae string) string {
		return do("GET", target, map[string]string{"Accept-Encoding": ae}, "Etag").Header["Etag"]
	}
	if ta, tb := tag(doA, "/app.js", ""), tag(doB, "/app.js", ""); ta != tb || ta == "" {
		t.Errorf("content ETags of equal bytes: %q and %q, want equal", ta, tb)
	}
	if ta, tb := tag(doA, "/app.js", "gzip"), tag(doB, "/app.js", "gzip"); ta != tb || ta == tag(doA, "/app.js", "") {
		t.Errorf("gzip content ETags: %q and %q, want equal to each other and apart from identity", ta, tb)
	}
	if tag(doA, "/app.js", "") == tag(doA, "/other.js", "") {
		t.Errorf("different bytes share a content ETag")
	}
	got := doB("GET", "/app.js", map[string]string{"If-None-Match": tag(doA, "/app.js", "")})
	if diff := cmp.Diff(result{Status: 304}, got); diff != "" {
		t.Errorf("304 across replicas (-want +got):\n%s", diff)
	}

	metaA := serve(t, &staticfs.Handler{FS: a})
	metaB := serve(t, &staticfs.Handler{FS: b})
	if tag(metaA, "/app.js", "") == tag(metaB, "/app.js", "") {
		t.Errorf("meta ETags agree across different modification times")
	}
}

// TestContentETagFollowsChanges rewrites a file: a new modification time
// or size gives a new tag, per the documented cache key.
func TestContentETagFollowsChanges(t *testing.T) {
	fsys := memSite(t, map[string]string{"/f.txt": "version one"})
	do := serve(t, &staticfs.Handler{FS: fsys, ETags: staticfs.ETagContent, RevalidateInterval: -1})
	first := do("GET", "/f.txt", nil, "Etag").Header["Etag"]
	afero.WriteFile(fsys, "/f.txt", []byte("version two"), 0o644)
	fsys.Chtimes("/f.txt", modTime, modTime.Add(time.Second))
	second := do("GET", "/f.txt", nil, "Etag")
	if second.Header["Etag"] == first || second.Body != "version two" {
		t.Errorf("after a rewrite: ETag %q (was %q), body %q", second.Header["Etag"], first, second.Body)
	}
	// Back to the first bytes: the first tag again.
	afero.WriteFile(fsys, "/f.txt", []byte("version one"), 0o644)
	fsys.Chtimes("/f.txt", modTime, modTime.Add(2*time.Second))
	if third := do("GET", "/f.txt", nil, "Etag").Header["Etag"]; third != first {
		t.Errorf("same bytes again: ETag %q, want %q", third, first)
	}
}

// TestContentETagsOnEmbedFS gives embed.FS files, which have no
// modification time, validators and 304s.
func TestContentETagsOnEmbedFS(t *testing.T) {
	sub, err := fs.Sub(embedded, "testdata/embedsite")
	if err != nil {
		t.Fatal(err)
	}
	do := serve(t, &staticfs.Handler{FS: afero.FromIOFS{FS: sub}, ETags: staticfs.ETagContent})
	got := do("GET", "/css/site.css", nil, "Etag", "Last-Modified")
	etag := got.Header["Etag"]
	if len(etag) != 24 || got.Header["Last-Modified"] != "" {
		t.Fatalf("embed.FS: ETag %q, Last-Modified %q; want a 22-character hash in quotes and no date", etag, got.Header["Last-Modified"])
	}
	got = do("GET", "/css/site.css", map[string]string{"If-None-Match": etag})
	if diff := cmp.Diff(result{Status: 304}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
