package main

import (
	"compress/gzip"
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// chromium finds a headless-capable Chromium, skipping the test when
// there is none, or failing it under CI, which installs one.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium not found; .ci/run installs it")
	}
	t.Skip("chromium not found: apt-get install chromium")
	return ""
}

// dumpDOM loads url in headless Chromium, with extra flags, and returns
// the DOM after the page's scripts ran.
func dumpDOM(t *testing.T, browser, url string, extra ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	args := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir()}, extra...)
	cmd := exec.CommandContext(ctx, browser, append(args, "--dump-dom", url)...)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium --dump-dom %s: %v", url, err)
	}
	return string(out)
}

// TestBrowserAppliesSite loads the demo site in headless Chromium and
// checks that its script ran and saw its stylesheet applied; then again
// from a copy whose script and stylesheet also have gzip sidecars with
// different contents, which the browser must have received and decoded.
func TestBrowserAppliesSite(t *testing.T) {
	t.Parallel()
	browser := chromium(t)

	s := start(t)
	dom := dumpDOM(t, browser, s.url+"/")
	if !strings.Contains(dom, "JavaScript was served and executed. Stylesheet applied: #2a6df4.") {
		t.Errorf("page without sidecars: script or stylesheet not applied:\n%s", dom)
	}

	root := filepath.Join(t.TempDir(), "site")
	copyTree(t, "../../testdata/site", root)
	script, _ := os.ReadFile(filepath.Join(root, "app.js"))
	style, _ := os.ReadFile(filepath.Join(root, "style.css"))
	writeGzip(t, filepath.Join(root, "app.js.gz"),
		strings.Replace(string(script), "JavaScript was served", "JavaScript from the gzip sidecar was served", 1))
	writeGzip(t, filepath.Join(root, "style.css.gz"),
		strings.Replace(string(style), "--accent: #2a6df4", "--accent: #0b7a3e", 1))

	s = start(t, "-root", root)
	dom = dumpDOM(t, browser, s.url+"/")
	if !strings.Contains(dom, "JavaScript from the gzip sidecar was served and executed. Stylesheet applied: #0b7a3e.") {
		t.Errorf("page with sidecars: the browser did not run the decoded sidecars:\n%s", dom)
	}
}

func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func writeGzip(t *testing.T, name, content string) {
	t.Helper()
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(f)
	zw.Write([]byte(content))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
