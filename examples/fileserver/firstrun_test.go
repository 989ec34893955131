package main

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestFirstRun covers what a first run shows: a positional DIR, a
// browsable URL for 0.0.0.0, the line printed on Ctrl-C, -version.
func TestFirstRun(t *testing.T) {
	s := start(t, "-addr", "0.0.0.0:0", "testdata/site")
	if code, _, body := get(t, s.url+"/"); code != 200 || !strings.Contains(body, "<title>") {
		t.Errorf("GET / from the positional DIR: %d", code)
	}
	get(t, s.url+"/style.css")
	s.stop(t, syscall.SIGINT)
	if got, want := s.stdout.String(), regexp.MustCompile(`(?m)^stopped: served 2 requests on [12] connections$`); !want.MatchString(got) {
		t.Errorf("after Ctrl-C it printed %q, want a line matching %s", got, want)
	}
	out, code := runBinaryOut(t, "-version")
	if code != 0 || !regexp.MustCompile(`^fileserver \S+ go1\.\d+`).MatchString(out) {
		t.Errorf("-version: exit %d, %q", code, out)
	}
}

// TestHandlerFlags serves a tree with -index, -cache-control, -header,
// -not-found off, -spa-page and -quiet, and checks each over TCP.
func TestHandlerFlags(t *testing.T) {
	root := t.TempDir()
	for name, body := range map[string]string{"home.html": "home page", "index.html": "index page", "app.html": "the app",
		"a.css": "css", "sub/index.html": "sub index", "404.html": "not found page"} {
		os.MkdirAll(filepath.Join(root, filepath.Dir(name)), 0o755)
		if err := os.WriteFile(filepath.Join(root, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s := start(t, "-root", root, "-index", "home.html,index.html", "-cache-control", "*.css=max-age=60",
		"-header", "X-Frame-Options: DENY", "-not-found", "off", "-spa-page", "/app.html", "-quiet")
	type res struct {
		Status              int
		Body, Cache, XFrame string
	}
	client := &http.Client{}
	fetch := func(target, accept string) res {
		req, _ := http.NewRequest("GET", s.url+target, nil)
		req.Header.Set("Accept", accept)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return res{resp.StatusCode, string(b), resp.Header.Get("Cache-Control"), resp.Header.Get("X-Frame-Options")}
	}
	tests := []struct {
		target, accept string
		want           res
	}{
		{"/", "*/*", res{200, "home page", "", "DENY"}},
		{"/sub/", "*/*", res{200, "sub index", "", "DENY"}},
		{"/a.css", "*/*", res{200, "css", "max-age=60", "DENY"}},
		{"/missing.css", "*/*", res{404, "404 Not Found\n", "", "DENY"}},
		{"/some/route", "text/html", res{200, "the app", "no-cache", "DENY"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, fetch(tt.target, tt.accept)); diff != "" {
			t.Errorf("GET %s (-want +got):\n%s", tt.target, diff)
		}
	}
	s.stop(t, syscall.SIGINT)
	if s.stderr.Len() != 0 {
		t.Errorf("-quiet logged:\n%s", s.stderr)
	}
}

// TestCleanURLFlags: -extensions, -redirect-extensions and
// -file-trailing-slash over TCP.
func TestCleanURLFlags(t *testing.T) {
	s := start(t, "-extensions", "html", "-redirect-extensions", "-file-trailing-slash", "404", "-log-headers", "off")
	for _, tc := range []struct {
		target   string
		status   int
		location string
	}{
		{"/docs/guide.txt/", 404, ""},
		{"/index", 200, ""}, // index.html, by its clean URL (the file, not the directory)
		{"/404?x=1", 200, ""},
		{"/404.html?x=1", 301, "./404?x=1"},
	} {
		code, hdr, _ := get(t, s.url+tc.target)
		if code != tc.status || hdr.Get("Location") != tc.location {
			t.Errorf("GET %s: %d %q, want %d %q", tc.target, code, hdr.Get("Location"), tc.status, tc.location)
		}
	}
}
