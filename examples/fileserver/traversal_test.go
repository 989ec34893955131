package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const secret = "OUTSIDE-THE-ROOT"

// traversalTargets are request targets exactly as they go on the wire.
var traversalTargets = []string{
	"/../secret.txt", "/../../secret.txt", "/..%2fsecret.txt", "/%2e%2e/secret.txt",
	"/%2e%2e%2fsecret.txt", "/%2E%2E/secret.txt", "/.%2e/secret.txt", "/%2e./secret.txt",
	"/%252e%252e/secret.txt", "/%252e%252e%252fsecret.txt", "/..%5csecret.txt", "/%5c..%5csecret.txt",
	"/..\\secret.txt", "/%c0%ae%c0%ae/secret.txt", "/%c0%af../secret.txt", "/%e0%80%ae%e0%80%ae/secret.txt",
	"/%00/../secret.txt", "/index.html%00", "/..;/secret.txt", "/;/../secret.txt",
	"/./.././secret.txt", "//../secret.txt", "///..//..//secret.txt", "/sub/../../secret.txt",
	"/sub/%2e%2e/%2e%2e/secret.txt", "/../site-evil/x.txt", "/..%2fsite-evil/x.txt", "/site-evil/x.txt",
	"http://localhost/../secret.txt", "http://localhost/%2e%2e/secret.txt", "http://evil.example/../../secret.txt",
	"/link-out", "/link-out/", "/link-abs", "/link-sibling", "/sub/link-up", "/.env", "/%2eenv",
	"/sub/.%65nv", "/.well-known/../.env", "/.git/config", "/%2egit/config", "/.%67it/config",
	"/\u2025/secret.txt", "/%ef%bc%8e%ef%bc%8e/secret.txt", "/..%255csecret.txt", "/..%c1%9csecret.txt",
	"/....//secret.txt", "/.../secret.txt", "*",
}

// TestTraversalOverRawTCP sends each target to the reference server over a
// raw socket and requires that no answer is a 500 or carries a byte of
// the files outside the root or the hidden dotfiles.
func TestTraversalOverRawTCP(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "site")
	for name, body := range map[string]string{
		"secret.txt":       secret,
		"site-evil/x.txt":  secret,
		"site/index.html":  "home",
		"site/sub/a.txt":   "a",
		"site/.env":        secret,
		"site/.git/config": secret,
	} {
		p := filepath.Join(base, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, target := range map[string]string{
		"link-out":     "../secret.txt",
		"link-abs":     filepath.Join(base, "secret.txt"),
		"link-sibling": "../site-evil/x.txt",
		"sub/link-up":  "../../secret.txt",
	} {
		if err := os.Symlink(target, filepath.Join(root, name)); err != nil {
			t.Fatal(err)
		}
	}
	if len(traversalTargets) < 50 {
		t.Fatalf("only %d payloads", len(traversalTargets))
	}
	for _, mode := range [][]string{nil, {"-mem"}} {
		s := start(t, append([]string{"-root", root, "-listing"}, mode...)...)
		for _, target := range traversalTargets {
			status, body := rawGet(t, s.addr, target)
			if status == http.StatusInternalServerError || strings.Contains(body, secret) {
				t.Errorf("%v GET %s = %d %q", mode, target, status, body)
			}
			if status != http.StatusBadRequest && status != http.StatusNotFound &&
				status != http.StatusMovedPermanently && status != http.StatusOK {
				t.Errorf("%v GET %s = %d, want 400, 404, 301 or 200", mode, target, status)
			}
		}
	}
}

// rawGet sends one request with the target as given and reads the answer.
func rawGet(t *testing.T, addr, target string) (int, string) {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", target)
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}
