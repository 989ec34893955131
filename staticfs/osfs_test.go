package staticfs_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/afero"
	"github.com/webstatic/webstatic/staticfs"
)

const outsideSecret = "TOP SECRET outside the root"

// diskSite writes a tree to a temporary directory and returns the served
// root. Beside the root lie "outside/secret.txt" and a prefix sibling
// "site-evil/", which no request may reach.
//
//	site/index.html, site/sub/page.html, site/sub/404.html, site/.env
//	site/link-in   -> sub/page.html        (relative, inside)
//	site/link-dir  -> sub                  (directory, inside)
//	site/sub/link-up-in -> ../index.html   (climbs, stays inside)
//	site/link-up   -> ../outside/secret.txt (escapes)
//	site/link-evil -> ../site-evil/x.txt   (prefix sibling)
//	site/link-abs  -> <abs>/outside/secret.txt
//	site/link-loop -> link-loop
//	site/link-dot  -> .env
//	site/link-chain -> link-in             (link to a link)
func diskSite(t *testing.T) string {
	t.Helper()
	base := t.TempDir()
	root := filepath.Join(base, "site")
	write := func(name, body string) {
		t.Helper()
		p := filepath.Join(base, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, modTime, modTime); err != nil {
			t.Fatal(err)
		}
	}
	link := func(target, name string) {
		t.Helper()
		if err := os.Symlink(target, filepath.Join(root, name)); err != nil {
			t.Fatal(err)
		}
	}
	write("outside/secret.txt", outsideSecret)
	write("site-evil/x.txt", outsideSecret)
	write("site/index.html", "disk home")
	write("site/sub/page.html", "sub page")
	write("site/sub/404.html", "sub 404")
	write("site/404.html", "disk 404")
	write("site/.env", "SECRET=disk")
	link("sub/page.html", "link-in")
	link("sub", "link-dir")
	link("../index.html", "sub/link-up-in")
	link("../outside/secret.txt", "link-up")
	link("../site-evil/x.txt", "link-evil")
	link(filepath.Join(base, "outside", "secret.txt"), "link-abs")
	link("link-loop", "link-loop")
	link(".env", "link-dot")
	link("link-in", "link-chain")
	return root
}

func TestSymlinksOnDisk(t *testing.T) {
	root := diskSite(t)
	filesystems := map[string]afero.Fs{
		"BasePathFs":             afero.NewBasePathFs(afero.NewOsFs(), root),
		"ReadOnlyFs(BasePathFs)": afero.NewReadOnlyFs(afero.NewBasePathFs(afero.NewOsFs(), root)),
	}
	tests := []struct {
		policy staticfs.SymlinkPolicy
		target string
		want   result
	}{
		{staticfs.SymlinksWithinRoot, "/", result{200, nil, "disk home"}},
		{staticfs.SymlinksWithinRoot, "/link-in", result{200, map[string]string{"Content-Type": html}, "sub page"}},
		{staticfs.SymlinksWithinRoot, "/link-chain", result{200, nil, "sub page"}},
		{staticfs.SymlinksWithinRoot, "/link-dir/page.html", result{200, nil, "sub page"}},
		{staticfs.SymlinksWithinRoot, "/link-dir", result{301, map[string]string{"Location": "./link-dir/"}, ""}},
		{staticfs.SymlinksWithinRoot, "/link-dir/missing", result{404, nil, "sub 404"}},
		{staticfs.SymlinksWithinRoot, "/sub/link-up-in", result{200, nil, "disk home"}},
		{staticfs.SymlinksWithinRoot, "/link-up", result{404, nil, "disk 404"}},
		{staticfs.SymlinksWithinRoot, "/link-evil", result{404, nil, "disk 404"}},
		{staticfs.SymlinksWithinRoot, "/link-abs", result{404, nil, "disk 404"}},
		{staticfs.SymlinksWithinRoot, "/link-loop", result{404, nil, "disk 404"}},
		{staticfs.SymlinksWithinRoot, "/link-dot", result{404, nil, "disk 404"}},
		{staticfs.SymlinksWithinRoot, "/.env", result{404, nil, "disk 404"}},
		{staticfs.SymlinksWithinRoot, "/index.html/x", result{404, nil, "disk 404"}},
		{staticfs.SymlinksWithinRoot, "/sub/page.html/x", result{404, nil, "sub 404"}},
		{staticfs.SymlinksWithinRoot, "/../outside/secret.txt", result{404, nil, "disk 404"}},
		{staticfs.SymlinksWithinRoot, "/../site-evil/x.txt", result{404, nil, "disk 404"}},
		{staticfs.SymlinksDeny, "/sub/page.html", result{200, nil, "sub page"}},
		{staticfs.SymlinksDeny, "/link-in", result{404, nil, "disk 404"}},
		{staticfs.SymlinksDeny, "/link-dir/page.html", result{404, nil, "disk 404"}},
		{staticfs.SymlinksFollowAll, "/link-in", result{200, nil, "sub page"}},
		// The documented price of SymlinksFollowAll: links go anywhere.
		{staticfs.SymlinksFollowAll, "/link-abs", result{200, nil, outsideSecret}},
	}
	for fsName, fsys := range filesystems {
		do := map[staticfs.SymlinkPolicy]func(string, string, map[string]string, ...string) result{}
		for _, p := range []staticfs.SymlinkPolicy{staticfs.SymlinksWithinRoot, staticfs.SymlinksDeny, staticfs.SymlinksFollowAll} {
			do[p] = serve(t, &staticfs.Handler{FS: fsys, Symlinks: p})
		}
		for _, tt := range tests {
			t.Run(fsName+tt.target, func(t *testing.T) {
				got := do[tt.policy]("GET", tt.target, nil, headerNames(tt.want.Header)...)
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("policy %d GET %s (-want +got):\n%s", tt.policy, tt.target, diff)
				}
			})
		}
	}
}

func TestListingOnDisk(t *testing.T) {
	root := diskSite(t)
	os.Remove(filepath.Join(root, "index.html"))
	h := &staticfs.Handler{FS: afero.NewBasePathFs(afero.NewOsFs(), root), Listing: true}
	got := serve(t, h)("GET", "/", nil, "Content-Type")
	if got.Status != 200 || got.Header["Content-Type"] != html {
		t.Fatalf("GET / = %d %q, want 200 %q", got.Status, got.Header["Content-Type"], html)
	}
	var names []string
	for _, line := range strings.Split(got.Body, "\n") {
		if _, rest, ok := strings.Cut(line, `<a href="`); ok {
			href, _, _ := strings.Cut(rest, `"`)
			names = append(names, href)
		}
	}
	// Directories first, then files, by name; escaping and hidden links
	// left out.
	want := []string{"./link-dir/", "./sub/", "./404.html", "./link-chain", "./link-in"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("listed links (-want +got):\n%s", diff)
	}
	if strings.Contains(got.Body, "link-up") || strings.Contains(got.Body, ".env") {
		t.Errorf("listing shows a hidden entry:\n%s", got.Body)
	}
	if !strings.Contains(got.Body, modTime.Format("2006-01-02 15:04")) {
		t.Errorf("listing lacks modification times:\n%s", got.Body)
	}
}

// TestServesSameBytesOnEveryBackend serves a 1 MiB file, whole and in part,
// from every afero backend a user is likely to pick.
func TestServesSameBytesOnEveryBackend(t *testing.T) {
	root := diskSite(t)
	big := strings.Repeat("0123456789abcdef", 1<<16) // 1 MiB
	if err := os.WriteFile(filepath.Join(root, "big.bin"), []byte(big), 0o644); err != nil {
		t.Fatal(err)
	}
	mem := memSite(t, map[string]string{"/big.bin": big})
	for name, fsys := range map[string]afero.Fs{
		"OsFs":       afero.NewBasePathFs(afero.NewOsFs(), root),
		"ReadOnlyFs": afero.NewReadOnlyFs(afero.NewBasePathFs(afero.NewOsFs(), root)),
		"MemMapFs":   mem,
		"CopyOnWriteFs": afero.NewCopyOnWriteFs(
			afero.NewReadOnlyFs(afero.NewBasePathFs(afero.NewOsFs(), root)), afero.NewMemMapFs()),
	} {
		t.Run(name, func(t *testing.T) {
			do := serve(t, &staticfs.Handler{FS: fsys})
			got := do("GET", "/big.bin", nil)
			if got.Status != 200 || got.Body != big {
				t.Errorf("GET /big.bin = %d, %d bytes; want 200, %d bytes", got.Status, len(got.Body), len(big))
			}
			got = do("GET", "/big.bin", map[string]string{"Range": "bytes=1048570-"})
			if diff := cmp.Diff(result{Status: 206, Body: big[1048570:]}, got); diff != "" {
				t.Errorf("range (-want +got):\n%s", diff)
			}
		})
	}
}
