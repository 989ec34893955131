package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// curlBin finds curl, skipping the test when there is none, or failing
// it under CI, which installs it.
func curlBin(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("curl")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("curl not found; .ci/run installs it")
		}
		t.Skip("curl not found: apt-get install curl")
	}
	return p
}

// curlCompressed fetches url with curl --compressed, asking for the
// codings in acceptEncoding, and returns the Content-Encoding it got and
// the body as curl decoded it.
func curlCompressed(t *testing.T, curl, url, acceptEncoding string) (string, []byte) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	headers := filepath.Join(t.TempDir(), "headers")
	cmd := exec.CommandContext(ctx, curl, "-sS", "--fail", "--compressed", "-H", "Accept-Encoding: "+acceptEncoding, "-D", headers, url)
	body, err := cmd.Output()
	if err != nil {
		t.Fatalf("curl %s: %v", url, err)
	}
	head, err := os.ReadFile(headers)
	if err != nil {
		t.Fatal(err)
	}
	ce := ""
	for _, line := range strings.Split(string(head), "\r\n") {
		if name, value, ok := strings.Cut(line, ":"); ok && strings.EqualFold(name, "Content-Encoding") {
			ce = strings.TrimSpace(value)
		}
	}
	return ce, body
}

// words is text that compresses, but not to nothing.
func words(n int) []byte {
	list := []string{"static ", "files ", "served ", "compressed ", "on the fly ", "by ", "webstatic ", "\n"}
	rng := rand.New(rand.NewPCG(7, 7))
	var b bytes.Buffer
	for b.Len() < n {
		b.WriteString(list[rng.IntN(len(list))])
	}
	return b.Bytes()[:n]
}

// TestCompressFlag runs the reference server with compression on by
// default, restricted and off, and fetches a small file (compressed once
// and kept in memory), a large one (compressed as it is sent) and an
// image (never compressed) with curl --compressed in every coding: the
// decoded bytes must be the file's.
func TestCompressFlag(t *testing.T) {
	t.Parallel()
	curl := curlBin(t)
	root := t.TempDir()
	files := map[string][]byte{
		"small.html": words(20 << 10),
		"large.txt":  words(300 << 10),
		"image.png":  words(20 << 10),
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(root, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		flags []string
		ae    string
		want  map[string]string // file -> Content-Encoding
	}{
		{nil, "br", map[string]string{"small.html": "br", "large.txt": "", "image.png": ""}},
		{nil, "zstd", map[string]string{"small.html": "zstd", "large.txt": "zstd", "image.png": ""}},
		{nil, "gzip", map[string]string{"small.html": "gzip", "large.txt": "gzip", "image.png": ""}},
		{nil, "gzip, deflate, br, zstd", map[string]string{"small.html": "br", "large.txt": "zstd", "image.png": ""}},
		{[]string{"-compress", "gzip"}, "br, zstd, gzip", map[string]string{"small.html": "gzip", "large.txt": "gzip", "image.png": ""}},
		{[]string{"-compress", "off"}, "br, zstd, gzip", map[string]string{"small.html": "", "large.txt": "", "image.png": ""}},
		{[]string{"-mem"}, "gzip", map[string]string{"small.html": "gzip", "large.txt": "gzip", "image.png": ""}},
	}
	for _, tt := range tests {
		s := start(t, append([]string{"-root", root, "-log-headers", "off"}, tt.flags...)...)
		for name, wantCE := range tt.want {
			for round := 0; round < 2; round++ {
				ce, body := curlCompressed(t, curl, s.url+"/"+name, tt.ae)
				where := fmt.Sprintf("%v, Accept-Encoding %q, %s, round %d", tt.flags, tt.ae, name, round)
				if ce != wantCE {
					t.Errorf("%s: Content-Encoding %q, want %q", where, ce, wantCE)
				}
				if !bytes.Equal(body, files[name]) {
					t.Errorf("%s: decoded %d bytes, not the file's %d", where, len(body), len(files[name]))
				}
			}
		}
	}
}

// TestBrowserDecodesCompression loads a copy of the demo site whose
// stylesheet and script are large enough to be compressed, the script
// too large for the memory cache, so compressed as it is sent: headless
// Chromium must run the script and apply the stylesheet, and curl with
// Chromium's Accept-Encoding shows which codings it was sent.
func TestBrowserDecodesCompression(t *testing.T) {
	t.Parallel()
	browser := chromium(t)
	curl := curlBin(t)
	root := filepath.Join(t.TempDir(), "site")
	copyTree(t, "../../testdata/site", root)
	pad := func(name, comment string, n int) {
		b, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			t.Fatal(err)
		}
		b = append(b, fmt.Sprintf(comment, words(n))...)
		if err := os.WriteFile(filepath.Join(root, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	pad("style.css", "\n/* %s */\n", 8<<10)
	pad("app.js", "\n/* %s */\n", 200<<10)

	s := start(t, "-root", root)
	const chrome = "gzip, deflate, br, zstd"
	for name, want := range map[string]string{"/style.css": "br", "/app.js": "zstd", "/": "br"} {
		if ce, _ := curlCompressed(t, curl, s.url+name, chrome); ce != want {
			t.Errorf("%s: Content-Encoding %q for a browser, want %q", name, ce, want)
		}
	}
	dom := dumpDOM(t, browser, s.url+"/")
	if !strings.Contains(dom, "JavaScript was served and executed. Stylesheet applied: #2a6df4.") {
		t.Errorf("compressed script or stylesheet not applied:\n%s", dom)
	}
}

// TestCompressionRatios fetches every file of the demo site in each
// coding from the reference server and logs the bytes out per byte in;
// files the server compresses must come out smaller in every coding.
//
//	go test ./examples/fileserver -run TestCompressionRatios -v
func TestCompressionRatios(t *testing.T) {
	s := start(t, "-log-headers", "off")
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	defer client.CloseIdleConnections()
	var in, outTotal [3]int
	codings := []string{"br", "zstd", "gzip"}
	for _, name := range []string{"/", "/app.js", "/style.css", "/docs/", "/docs/guide.txt", "/404.html", "/img/logo.png"} {
		line := name
		for i, c := range codings {
			req, _ := http.NewRequest("GET", s.url+name, nil)
			req.Header.Set("Accept-Encoding", c)
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			_, _, plain := get(t, s.url+name)
			size := len(plain)
			if resp.Header.Get("Content-Encoding") == c {
				if len(body) >= size {
					t.Errorf("%s in %s: %d bytes out for %d in", name, c, len(body), size)
				}
				line += fmt.Sprintf("  %s %d/%d = %.2f", c, len(body), size, float64(len(body))/float64(size))
			} else {
				line += fmt.Sprintf("  %s not compressed (%d bytes)", c, size)
			}
			in[i] += size
			outTotal[i] += len(body)
		}
		t.Log(line)
	}
	for i, c := range codings {
		t.Logf("whole site in %s: %d bytes out for %d in = %.2f", c, outTotal[i], in[i], float64(outTotal[i])/float64(in[i]))
	}
}
