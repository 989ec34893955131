package staticfs_test

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/afero"
	"github.com/webstatic/webstatic/staticfs"
)

// siteFiles is the MemMapFs fixture most handler tests serve.
var siteFiles = map[string]string{
	"/index.html":               "<h1>home</h1>",
	"/style.css":                "body{}",
	"/app.js":                   "let x = 1;",
	"/mod.mjs":                  "export {};",
	"/data.json":                `{"a":1}`,
	"/app.js.map":               `{"version":3}`,
	"/site.webmanifest":         `{"name":"x"}`,
	"/logo.svg":                 "<svg/>",
	"/font.woff2":               "wOF2",
	"/module.wasm":              "\x00asm",
	"/UPPER.PNG":                "\x89PNG",
	"/notes":                    "plain words without an extension",
	"/blob":                     "\x00\x01\x02\x03binary",
	"/a b.txt":                  "space",
	"/404.html":                 "root 404 page",
	"/docs/index.html":          "docs home",
	"/docs/guide.txt":           "guide",
	"/docs/404.html":            "docs 404 page",
	"/docs/deeper/x.txt":        "x",
	"/empty/":                   "",
	"/.env":                     "SECRET=1",
	"/.git/config":              "[core]",
	"/sub/.secret/x.txt":        "hidden",
	"/.well-known/security.txt": "Contact: x",
	"/.well-known/.hidden":      "hidden",
}

const (
	html = "text/html; charset=utf-8"
	text = "text/plain; charset=utf-8"
)

func TestHandlerDefaults(t *testing.T) {
	do := serve(t, &staticfs.Handler{FS: memSite(t, siteFiles)})
	checkCases(t, do, []reqCase{
		{"GET", "/", result{200, map[string]string{"Content-Type": html, "X-Content-Type-Options": "nosniff", "Content-Length": "13"}, "<h1>home</h1>"}},
		{"HEAD", "/", result{200, map[string]string{"Content-Type": html, "Content-Length": "13"}, ""}},
		{"GET", "/index.html", result{301, map[string]string{"Location": "./"}, ""}},
		{"GET", "/index.html?x=1&y=2", result{301, map[string]string{"Location": "./?x=1&y=2"}, ""}},
		{"GET", "/docs", result{301, map[string]string{"Location": "./docs/"}, ""}},
		{"GET", "/docs?q=a%20b", result{301, map[string]string{"Location": "./docs/?q=a%20b"}, ""}},
		{"GET", "/docs/", result{200, map[string]string{"Content-Type": html}, "docs home"}},
		{"GET", "/docs/index.html", result{301, map[string]string{"Location": "./"}, ""}},
		{"GET", "/docs/guide.txt/", result{301, map[string]string{"Location": "../guide.txt"}, ""}},
		{"GET", "/docs//guide.txt", result{200, map[string]string{"Content-Type": text}, "guide"}},
		{"GET", "/docs/../style.css", result{200, map[string]string{"Content-Type": "text/css; charset=utf-8"}, "body{}"}},
		{"GET", "/app.js", result{200, map[string]string{"Content-Type": "text/javascript; charset=utf-8"}, "let x = 1;"}},
		{"GET", "/mod.mjs", result{200, map[string]string{"Content-Type": "text/javascript; charset=utf-8"}, "export {};"}},
		{"GET", "/data.json", result{200, map[string]string{"Content-Type": "application/json"}, `{"a":1}`}},
		{"GET", "/app.js.map", result{200, map[string]string{"Content-Type": "application/json"}, `{"version":3}`}},
		{"GET", "/site.webmanifest", result{200, map[string]string{"Content-Type": "application/manifest+json"}, `{"name":"x"}`}},
		{"GET", "/logo.svg", result{200, map[string]string{"Content-Type": "image/svg+xml"}, "<svg/>"}},
		{"GET", "/font.woff2", result{200, map[string]string{"Content-Type": "font/woff2"}, "wOF2"}},
		{"GET", "/module.wasm", result{200, map[string]string{"Content-Type": "application/wasm"}, "\x00asm"}},
		{"GET", "/UPPER.PNG", result{200, map[string]string{"Content-Type": "image/png"}, "\x89PNG"}},
		{"GET", "/notes", result{200, map[string]string{"Content-Type": text}, "plain words without an extension"}},
		{"GET", "/blob", result{200, map[string]string{"Content-Type": "application/octet-stream"}, "\x00\x01\x02\x03binary"}},
		{"GET", "/a%20b.txt", result{200, nil, "space"}},
		// Missing files get the nearest 404.html.
		{"GET", "/missing", result{404, map[string]string{"Content-Type": html, "Content-Length": "13", "Etag": "", "Last-Modified": ""}, "root 404 page"}},
		{"HEAD", "/missing", result{404, map[string]string{"Content-Length": "13"}, ""}},
		{"GET", "/docs/missing.css", result{404, nil, "docs 404 page"}},
		{"GET", "/docs/deeper/missing", result{404, nil, "docs 404 page"}},
		{"GET", "/docs/no/such/dir/x", result{404, nil, "docs 404 page"}},
		{"GET", "/nodir/docs/x", result{404, nil, "root 404 page"}},
		{"GET", "/index.html/x", result{404, nil, "root 404 page"}},
		{"GET", "/docs/guide.txt/404.html", result{404, nil, "docs 404 page"}},
		{"GET", "/empty/", result{404, nil, "root 404 page"}},
		{"GET", "/empty", result{301, map[string]string{"Location": "./empty/"}, ""}},
		// Dotfiles are hidden, /.well-known/ is not.
		{"GET", "/.env", result{404, map[string]string{"X-Content-Type-Options": "nosniff"}, "root 404 page"}},
		{"GET", "/.git/config", result{404, nil, "root 404 page"}},
		{"GET", "/.git/", result{404, nil, "root 404 page"}},
		{"GET", "/sub/.secret/x.txt", result{404, nil, "root 404 page"}},
		{"GET", "/.well-known/security.txt", result{200, map[string]string{"Content-Type": text}, "Contact: x"}},
		{"GET", "/.well-known/.hidden", result{404, nil, "root 404 page"}},
		// Bytes no name may hold.
		{"GET", "/a%5cb", result{400, map[string]string{"Content-Type": text}, "400 Bad Request\n"}},
		{"GET", "/a%00b", result{400, nil, "400 Bad Request\n"}},
		// Methods.
		{"OPTIONS", "/style.css", result{204, map[string]string{"Allow": "GET, HEAD, OPTIONS"}, ""}},
		{"POST", "/", result{405, map[string]string{"Allow": "GET, HEAD, OPTIONS", "Content-Type": text}, "405 Method Not Allowed\n"}},
		{"PUT", "/style.css", result{405, map[string]string{"Allow": "GET, HEAD, OPTIONS"}, "405 Method Not Allowed\n"}},
		{"DELETE", "/missing", result{405, map[string]string{"Allow": "GET, HEAD, OPTIONS"}, "405 Method Not Allowed\n"}},
	})
}

func TestHandlerOptions(t *testing.T) {
	fsys := memSite(t, siteFiles)
	afero.WriteFile(fsys, "/oops.html", []byte("oops page"), 0o644)
	afero.WriteFile(fsys, "/docs/index.htm", []byte("docs htm"), 0o644)
	afero.WriteFile(fsys, "/readme.md", []byte("# readme"), 0o644)
	tests := []struct {
		name    string
		handler *staticfs.Handler
		target  string
		want    result
	}{
		{"PlainNotFound", &staticfs.Handler{NotFoundPages: []string{}}, "/missing",
			result{404, map[string]string{"Content-Type": text}, "404 Not Found\n"}},
		{"NotFoundPage", &staticfs.Handler{NotFoundPages: []string{"oops.html"}}, "/docs/missing",
			result{404, map[string]string{"Content-Type": html}, "oops page"}},
		{"KeepIndexURLs", &staticfs.Handler{KeepIndexURLs: true}, "/index.html",
			result{200, nil, "<h1>home</h1>"}},
		{"IndexNames order", &staticfs.Handler{IndexNames: []string{"index.htm", "index.html"}}, "/docs/",
			result{200, nil, "docs htm"}},
		{"IndexNames redirect only the served one", &staticfs.Handler{IndexNames: []string{"index.htm", "index.html"}}, "/docs/index.html",
			result{200, nil, "docs home"}},
		{"IndexNames redirect", &staticfs.Handler{IndexNames: []string{"index.htm", "index.html"}}, "/docs/index.htm",
			result{301, map[string]string{"Location": "./"}, ""}},
		{"IndexNames empty", &staticfs.Handler{IndexNames: []string{}}, "/docs/",
			result{404, nil, "docs 404 page"}},
		{"IndexNames empty keeps index URL", &staticfs.Handler{IndexNames: []string{}}, "/index.html",
			result{200, nil, "<h1>home</h1>"}},
		{"AllowDotfiles", &staticfs.Handler{AllowDotfiles: true}, "/.env",
			result{200, nil, "SECRET=1"}},
		{"AllowDotfiles nested", &staticfs.Handler{AllowDotfiles: true}, "/.well-known/.hidden",
			result{200, nil, "hidden"}},
		{"HideWellKnown", &staticfs.Handler{HideWellKnown: true}, "/.well-known/security.txt",
			result{404, nil, "root 404 page"}},
		{"ContentTypes", &staticfs.Handler{ContentTypes: map[string]string{".json": "application/vnd.test+json"}}, "/data.json",
			result{200, map[string]string{"Content-Type": "application/vnd.test+json"}, `{"a":1}`}},
		{"ContentTypes new extension", &staticfs.Handler{ContentTypes: map[string]string{".md": "text/x-markdown"}}, "/readme.md",
			result{200, map[string]string{"Content-Type": "text/x-markdown"}, "# readme"}},
		{"Listing off", &staticfs.Handler{}, "/empty/",
			result{404, nil, "root 404 page"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.handler.FS = fsys
			got := serve(t, tt.handler)("GET", tt.target, nil, headerNames(tt.want.Header)...)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("GET %s (-want +got):\n%s", tt.target, diff)
			}
		})
	}
}

func TestErrorHandler(t *testing.T) {
	type call struct {
		Status int
		Cause  string
	}
	var mu sync.Mutex // guards calls, written by the handler's goroutines
	var calls []call
	h := &staticfs.Handler{
		FS: memSite(t, siteFiles),
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, status int, err error) {
			cause := "other"
			for _, c := range []error{staticfs.ErrHidden, staticfs.ErrInvalidPath, staticfs.ErrMethodNotAllowed, errNotExist} {
				if errors.Is(err, c) {
					cause = c.Error()
					break
				}
			}
			mu.Lock()
			calls = append(calls, call{status, cause})
			mu.Unlock()
			w.WriteHeader(status)
			fmt.Fprintf(w, "custom %d", status)
		},
	}
	do := serve(t, h)
	var bodies []string
	for _, target := range []string{"/missing", "/.env", "/a%00b", "/empty/"} {
		bodies = append(bodies, do("GET", target, nil).Body)
	}
	bodies = append(bodies, do("POST", "/", nil).Body)
	wantCalls := []call{
		{404, errNotExist.Error()},
		{404, staticfs.ErrHidden.Error()},
		{400, staticfs.ErrInvalidPath.Error()},
		{404, errNotExist.Error()},
		{405, staticfs.ErrMethodNotAllowed.Error()},
	}
	mu.Lock()
	defer mu.Unlock()
	if diff := cmp.Diff(wantCalls, calls); diff != "" {
		t.Errorf("ErrorHandler calls (-want +got):\n%s", diff)
	}
	wantBodies := []string{"custom 404", "custom 404", "custom 400", "custom 404", "custom 405"}
	if diff := cmp.Diff(wantBodies, bodies); diff != "" {
		t.Errorf("bodies (-want +got):\n%s", diff)
	}
}

func TestNilFS(t *testing.T) {
	got := serve(t, &staticfs.Handler{ErrorLog: discardLog})("GET", "/", nil, "Content-Type")
	want := result{500, map[string]string{"Content-Type": text}, "500 Internal Server Error\n"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestInternalErrorsStayPrivate checks that a failing filesystem answers
// 500 with a fixed text, whatever its error says, and that the error goes
// to ErrorLog.
func TestInternalErrorsStayPrivate(t *testing.T) {
	var logged strings.Builder
	h := &staticfs.Handler{
		FS:       failingFs{Fs: memSite(t, siteFiles), err: errors.New("disk /srv/secret/site on fire")},
		ErrorLog: newLogger(&logged),
	}
	got := serve(t, h)("GET", "/style.css", nil)
	want := result{Status: 500, Body: "500 Internal Server Error\n"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if !strings.Contains(logged.String(), "/srv/secret/site on fire") {
		t.Errorf("ErrorLog got %q, want the filesystem error", logged.String())
	}
}

func TestPermissionErrorIs403(t *testing.T) {
	h := &staticfs.Handler{FS: failingFs{Fs: memSite(t, siteFiles), err: &fsPathError{Op: "open", Path: "/srv/x", Err: errPermission}}}
	got := serve(t, h)("GET", "/style.css", nil)
	want := result{Status: 403, Body: "403 Forbidden\n"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestStorageErrorStatuses: descriptor exhaustion and a storage that
// throttles are 503 with Retry-After and log nothing (they are load, not
// faults); a storage that fails is 502 and logged. No answer carries the
// error's text.
func TestStorageErrorStatuses(t *testing.T) {
	cases := []struct {
		name   string
		err    error
		want   result
		logged bool
	}{
		{"EMFILE", &fsPathError{Op: "open", Path: "/srv/x", Err: syscall.EMFILE},
			result{503, map[string]string{"Retry-After": "1"}, "503 Service Unavailable\n"}, false},
		{"ENFILE", &fsPathError{Op: "open", Path: "/srv/x", Err: syscall.ENFILE},
			result{503, map[string]string{"Retry-After": "1"}, "503 Service Unavailable\n"}, false},
		{"ErrUnavailable", fmt.Errorf("store at 10.0.0.1 throttled: %w", staticfs.ErrUnavailable),
			result{503, map[string]string{"Retry-After": "1"}, "503 Service Unavailable\n"}, false},
		{"ErrBadGateway", fmt.Errorf("store at 10.0.0.1 unreachable: %w", staticfs.ErrBadGateway),
			result{502, map[string]string{"Retry-After": ""}, "502 Bad Gateway\n"}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var logged strings.Builder
			h := &staticfs.Handler{FS: failingFs{Fs: memSite(t, siteFiles), err: c.err}, ErrorLog: newLogger(&logged)}
			got := serve(t, h)("GET", "/style.css", nil, "Retry-After")
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if (logged.Len() > 0) != c.logged {
				t.Errorf("logged %q, want a line: %v", logged.String(), c.logged)
			}
		})
	}
}

// TestBinaryDownloadsAreOctetStream: download extensions get
// application/octet-stream by name, whatever their first bytes look like
// (sniffing would call this text, and cost a read and a seek per request
// on files too large to cache).
func TestBinaryDownloadsAreOctetStream(t *testing.T) {
	files := map[string]string{}
	var cases []reqCase
	for _, name := range []string{"/fw.bin", "/setup.exe", "/lib.dll", "/disk.iso", "/disk.img", "/app.dmg", "/pkg.deb", "/setup.msi", "/UP.BIN"} {
		files[name] = "looks like text"
		cases = append(cases, reqCase{"GET", name, result{200, map[string]string{"Content-Type": "application/octet-stream"}, "looks like text"}})
	}
	files["/plain"] = "looks like text"
	cases = append(cases, reqCase{"GET", "/plain", result{200, map[string]string{"Content-Type": text}, "looks like text"}})
	checkCases(t, serve(t, &staticfs.Handler{FS: memSite(t, files)}), cases)
}
