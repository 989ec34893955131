package staticfs_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/webstatic/webstatic/staticfs"
)

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// TestListingEscapes lists names that would break out of HTML or of the
// link if printed as they are.
func TestListingEscapes(t *testing.T) {
	fsys := memSite(t, map[string]string{
		"/d/<img src=x onerror=alert(1)>.txt": "x",
		"/d/a&b\".txt":                        "x",
		"/d/q?x#y.txt":                        "x",
		"/d/javascript:alert(1)":              "x",
		"/d/sub dir/f.txt":                    "x",
		"/d/.hidden":                          "x",
		"/d/big.bin":                          strings.Repeat("x", 1536),
	})
	got := serve(t, &staticfs.Handler{FS: fsys, Listing: true})("GET", "/d/", nil, "Content-Type", "Content-Length")
	if got.Status != 200 || got.Header["Content-Type"] != html || got.Header["Content-Length"] == "" {
		t.Fatalf("GET /d/ = %d %v", got.Status, got.Header)
	}
	var rows []string
	for _, line := range strings.Split(got.Body, "\n") {
		if strings.HasPrefix(line, "<tr><td><a") {
			rows = append(rows, line)
		}
	}
	want := []string{
		`<tr><td><a href="../">../</a></td><td class="size"></td><td class="time"></td></tr>`,
		`<tr><td><a href="./sub%20dir/">sub dir/</a></td><td class="size"></td><td class="time">2026-01-02 03:04</td></tr>`,
		`<tr><td><a href="./%3Cimg%20src=x%20onerror=alert%281%29%3E.txt">&lt;img src=x onerror=alert(1)&gt;.txt</a></td><td class="size">1 B</td><td class="time">2026-01-02 03:04</td></tr>`,
		`<tr><td><a href="./a&amp;b%22.txt">a&amp;b&#34;.txt</a></td><td class="size">1 B</td><td class="time">2026-01-02 03:04</td></tr>`,
		`<tr><td><a href="./big.bin">big.bin</a></td><td class="size">1.5 KiB</td><td class="time">2026-01-02 03:04</td></tr>`,
		`<tr><td><a href="./javascript:alert%281%29">javascript:alert(1)</a></td><td class="size">1 B</td><td class="time">2026-01-02 03:04</td></tr>`,
		`<tr><td><a href="./q%3Fx%23y.txt">q?x#y.txt</a></td><td class="size">1 B</td><td class="time">2026-01-02 03:04</td></tr>`,
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
}

func TestJSONListing(t *testing.T) {
	fsys := memSite(t, map[string]string{
		"/d/b.txt":     "bb",
		"/d/a.txt":     "a",
		"/d/sub/x":     "x",
		"/d/.hidden":   "h",
		"/d/é & <.txt": "e",
	})
	do := serve(t, &staticfs.Handler{FS: fsys, Listing: true})
	got := do("GET", "/d/", map[string]string{"Accept": "application/json"}, "Content-Type", "Vary")
	want := result{
		Status: 200,
		Header: map[string]string{"Content-Type": "application/json", "Vary": "Accept"},
		Body: `[{"name":"sub","isDir":true,"size":0,"modTime":"2026-01-02T03:04:05Z"},` +
			`{"name":"a.txt","isDir":false,"size":1,"modTime":"2026-01-02T03:04:05Z"},` +
			`{"name":"b.txt","isDir":false,"size":2,"modTime":"2026-01-02T03:04:05Z"},` +
			`{"name":"é \u0026 \u003c.txt","isDir":false,"size":1,"modTime":"2026-01-02T03:04:05Z"}]` + "\n",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for accept, wantType := range map[string]string{
		browserAccept:                       html,
		"application/json, text/html;q=0.5": "application/json",
		"text/html, application/json;q=0.9": html,
		"*/*":                               html,
	} {
		if got := do("GET", "/d/", map[string]string{"Accept": accept}, "Content-Type"); got.Header["Content-Type"] != wantType {
			t.Errorf("Accept %q: Content-Type %q, want %q", accept, got.Header["Content-Type"], wantType)
		}
	}
}

// TestListingShowsWhatIsServed: a listing names only what its links
// serve. Sidecars ("app.js.gz" beside "app.js") answer 404 under their
// own name, so they are left out, unless ExposeSidecars serves them; a
// ".gz" file without a base file is an ordinary file.
func TestListingShowsWhatIsServed(t *testing.T) {
	fsys := memSite(t, map[string]string{
		"/d/app.js": "js", "/d/app.js.gz": "GZ", "/d/app.js.br": "BR", "/d/app.js.zst": "ZS",
		"/d/archive.tar.gz": "TGZ", "/d/sub/": "",
	})
	tests := []struct {
		h    *staticfs.Handler
		want []string
	}{
		{&staticfs.Handler{FS: fsys, Listing: true}, []string{"sub", "app.js", "archive.tar.gz"}},
		{&staticfs.Handler{FS: fsys, Listing: true, ExposeSidecars: true},
			[]string{"sub", "app.js", "app.js.br", "app.js.gz", "app.js.zst", "archive.tar.gz"}},
		{&staticfs.Handler{FS: fsys, Listing: true, Encodings: []staticfs.Encoding{}},
			[]string{"sub", "app.js", "app.js.br", "app.js.gz", "app.js.zst", "archive.tar.gz"}},
	}
	for i, tt := range tests {
		do := serve(t, tt.h)
		got := do("GET", "/d/", map[string]string{"Accept": "application/json"})
		var entries []struct{ Name string }
		if err := json.Unmarshal([]byte(got.Body), &entries); err != nil {
			t.Fatalf("handler %d: %v in %q", i, err, got.Body)
		}
		var names []string
		for _, e := range entries {
			names = append(names, e.Name)
			status := do("GET", "/d/"+e.Name, nil).Status
			if want := map[bool]int{true: 301, false: 200}[e.Name == "sub"]; status != want {
				t.Errorf("handler %d: listed %q answers %d, want %d", i, e.Name, status, want)
			}
		}
		if diff := cmp.Diff(tt.want, names); diff != "" {
			t.Errorf("handler %d: names (-want +got):\n%s", i, diff)
		}
	}
}
