package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestLogFileReopen: -log-file gets the logs, and after the file is
// renamed (as logrotate does) SIGHUP makes the server write to a new one.
func TestLogFileReopen(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "fileserver.log")
	s := start(t, "-log-file", path, "-access-log-format", "combined", "-log-headers", "off")
	get(t, s.url+"/style.css")
	if err := os.Rename(path, path+".1"); err != nil {
		t.Fatal(err)
	}
	s.cmd.Process.Signal(syscall.SIGHUP)
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if _, err := os.Stat(path); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no new log file 5 s after SIGHUP")
		}
	}
	get(t, s.url+"/app.js")
	s.stop(t, syscall.SIGINT)
	old, _ := os.ReadFile(path + ".1")
	cur, _ := os.ReadFile(path)
	if !strings.Contains(string(old), `"GET /style.css HTTP/1.1" 200`) || strings.Contains(string(old), "/app.js") {
		t.Errorf("rotated file:\n%s", old)
	}
	if !strings.Contains(string(cur), `"GET /app.js HTTP/1.1" 200`) || !strings.Contains(string(cur), `"Go-http-client/1.1"`) {
		t.Errorf("new file (combined format):\n%s", cur)
	}
	if s.stderr.Len() != 0 {
		t.Errorf("logged to stderr with -log-file:\n%s", s.stderr)
	}
}

// TestAccessLogJSON: -access-log-format json writes one log/slog JSON
// record per request.
func TestAccessLogJSON(t *testing.T) {
	s := start(t, "-access-log-format", "json", "-log-headers", "off")
	get(t, s.url+"/style.css")
	s.stop(t, syscall.SIGINT)
	var rec map[string]any
	line, _, _ := strings.Cut(s.stderr.String(), "\n")
	if err := json.Unmarshal([]byte(line), &rec); err != nil {
		t.Fatalf("%v: %q", err, s.stderr.String())
	}
	if rec["msg"] != "request" || rec["target"] != "/style.css" || rec["status"] != float64(200) || rec["user_agent"] != "Go-http-client/1.1" {
		t.Errorf("record %v", rec)
	}
}
