package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// openFDs counts the server process's open file descriptors.
func openFDs(t *testing.T, s *server) int {
	t.Helper()
	entries, err := os.ReadDir("/proc/" + strconv.Itoa(s.cmd.Process.Pid) + "/fd")
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	return len(entries)
}

// TestSlowClientsDoNotStopService opens 200 connections that send half a
// request head and stall: a normal client is still served at once, the
// stalled ones are closed after the header timeout, and the server's
// descriptors come back to where they were.
func TestSlowClientsDoNotStopService(t *testing.T) {
	s := start(t, "-header-timeout", "1s", "-log-headers", "off")
	get(t, s.url+"/") // warm up: listener, cache
	before := openFDs(t, s)

	const n = 200
	conns := make([]net.Conn, 0, n)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for i := 0; i < n; i++ {
		c, err := net.DialTimeout("tcp", s.addr, 5*time.Second)
		if err != nil {
			t.Fatalf("connection %d: %v", i, err)
		}
		io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
		conns = append(conns, c)
	}
	start := time.Now()
	if status, _, _ := get(t, s.url+"/style.css"); status != 200 {
		t.Fatalf("normal client got %d while 200 clients stalled", status)
	}
	if d := time.Since(start); d > 900*time.Millisecond {
		t.Errorf("normal client waited %v behind the stalled ones", d)
	}

	var wg sync.WaitGroup
	var mu sync.Mutex
	stillOpen := 0
	for _, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.SetReadDeadline(time.Now().Add(5 * time.Second))
			if _, err := io.Copy(io.Discard, c); err != nil { // EOF gives nil
				mu.Lock()
				stillOpen++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if stillOpen > 0 {
		t.Errorf("%d of %d stalled connections still open 5s after a 1s header timeout", stillOpen, n)
	}
	deadline := time.Now().Add(5 * time.Second)
	for openFDs(t, s) > before && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if after := openFDs(t, s); after > before {
		t.Errorf("server holds %d descriptors, %d before the slow clients", after, before)
	}
}

// TestHostileRequests sends malformed and oversized requests over raw
// TCP: each gets its precise 4xx, never a 500.
func TestHostileRequests(t *testing.T) {
	s := start(t, "-log-headers", "raw")
	tests := []struct {
		name, raw string
		want      int
	}{
		{"oversized head", "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + strings.Repeat("a", 80<<10) + "\r\n\r\n", 431},
		{"malformed request line", "GET/HTTP/1.1\r\nHost: x\r\n\r\n", 400},
		{"bad version", "GET / HTTP/9.9\r\nHost: x\r\n\r\n", 505},
		{"no host", "GET / HTTP/1.1\r\n\r\n", 400},
		{"bad header line", "GET / HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n", 400},
		{"unknown method", "BREW /pot HTTP/1.1\r\nHost: x\r\n\r\n", 405},
		{"delete", "DELETE /index.html HTTP/1.1\r\nHost: x\r\n\r\n", 405},
		{"unsatisfiable range", "GET /style.css HTTP/1.1\r\nHost: x\r\nRange: bytes=99999-\r\n\r\n", 416},
		{"garbage range", "GET /style.css HTTP/1.1\r\nHost: x\r\nRange: bytes=z-q\r\n\r\n", 416},
		{"NUL in path", "GET /a%00b HTTP/1.1\r\nHost: x\r\n\r\n", 400},
		{"backslash traversal", "GET /..%5c..%5cetc%5cpasswd HTTP/1.1\r\nHost: x\r\n\r\n", 400},
		{"control bytes in header", "GET / HTTP/1.1\r\nHost: x\r\nX-Evil: \x1b[2J\r\n\r\n", 400},
		{"binary noise", "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 400},
	}
	var got, want []string
	for _, tt := range tests {
		c, err := net.Dial("tcp", s.addr)
		if err != nil {
			t.Fatal(err)
		}
		c.SetDeadline(time.Now().Add(10 * time.Second))
		io.WriteString(c, tt.raw)
		status := "no response"
		if resp, err := http.ReadResponse(bufio.NewReader(c), nil); err == nil {
			status = strconv.Itoa(resp.StatusCode)
			resp.Body.Close()
		}
		c.Close()
		got = append(got, tt.name+": "+status)
		want = append(want, fmt.Sprintf("%s: %d", tt.name, tt.want))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if status, _, _ := get(t, s.url+"/"); status != 200 {
		t.Errorf("server unwell after the hostile requests: %d", status)
	}
}
