package staticfs_test

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/webstatic/webstatic/internal/coding"
	"github.com/webstatic/webstatic/staticfs"
)

// randomRequest is one kind of request in the randomized leak run, with
// the status it must get.
type randomRequest struct {
	method, target string
	header         map[string]string
	want           int
}

// randomMix is what the randomized run draws from. etag is the current
// ETag of /style.css.
func randomMix(etag string) []randomRequest {
	return []randomRequest{
		{"GET", "/style.css", nil, 200},
		{"HEAD", "/style.css", nil, 200},
		{"GET", "/large.bin", nil, 200},
		{"HEAD", "/large.bin", nil, 200},
		{"GET", "/", nil, 200},
		{"GET", "/docs", nil, 301},
		{"GET", "/docs/", nil, 200},
		{"GET", "/missing.txt", nil, 404},
		{"GET", "/docs/deeper/missing", nil, 404},
		{"GET", "/.env", nil, 404},
		{"GET", "/large.bin", map[string]string{"Range": "bytes=0-99"}, 206},
		{"GET", "/large.bin", map[string]string{"Range": "bytes=0-1,5-9"}, 206},
		{"GET", "/style.css", map[string]string{"Range": "bytes=0-1,3-4"}, 206},
		{"GET", "/large.bin", map[string]string{"Range": "bytes=99999999-"}, 416},
		{"GET", "/style.css", map[string]string{"If-None-Match": etag}, 304},
		{"GET", "/large.bin", map[string]string{"If-Modified-Since": modTime.Format(http.TimeFormat)}, 304},
		{"GET", "/style.css", map[string]string{"Accept-Encoding": "br, gzip"}, 200},
		{"GET", "/large.bin", map[string]string{"Accept-Encoding": "gzip"}, 200},
		{"GET", "/large.bin", map[string]string{"Accept-Encoding": "gzip", "Range": "bytes=10-20"}, 206},
		{"GET", "/app/route", map[string]string{"Accept": "text/html"}, 200},     // SPA fallback
		{"GET", "/large.txt", map[string]string{"Accept-Encoding": "zstd"}, 200}, // compressed as sent
		{"GET", "/large.txt", map[string]string{"Accept-Encoding": "gzip"}, 200},
		{"HEAD", "/large.txt", map[string]string{"Accept-Encoding": "gzip"}, 200},
		{"GET", "/large.txt", map[string]string{"Accept-Encoding": "gzip", "Range": "bytes=5-9"}, 206},
		{"GET", "/text.html", map[string]string{"Accept-Encoding": "br"}, 200}, // compressed once
		{"GET", "/text.html", map[string]string{"Accept-Encoding": "gzip", "Range": "bytes=0-9,20-29"}, 206},
		{"POST", "/style.css", nil, 405},
	}
}

// TestClosesEveryFileRandomized sends a random mix of requests from
// concurrent clients over TCP, a fifth of them clients that hang up in
// the middle of a large body (some with a reset), to handlers with and
// without the cache, and requires every status as expected and every
// file the handlers opened closed once the dust settles. The seed is
// logged; STATICFS_LEAK_SEED replays one.
func TestClosesEveryFileRandomized(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("STATICFS_LEAK_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	t.Logf("seed %d (STATICFS_LEAK_SEED=%d replays it)", seed, seed)
	large := make([]byte, 4<<20)
	fill := rand.New(rand.NewPCG(seed, 1))
	for i := range large {
		large[i] = byte(fill.Uint32())
	}
	files := map[string]string{
		"/large.bin": string(large), "/large.bin.gz": string(large[:3<<20]),
		"/style.css.gz": "GZ", "/style.css.br": "BR",
		"/large.txt": textOf(2<<20, seed), "/text.html": textOf(20<<10, seed),
	}
	for name, body := range siteFiles {
		files[name] = body
	}
	for name, site := range backends {
		t.Run(name, func(t *testing.T) {
			fsys := &countingFs{Fs: site(t, files), open: map[*countingFile]string{}}
			var urls []string
			for _, h := range []*staticfs.Handler{{FS: fsys, SPAPage: "/index.html"}, {FS: fsys, SPAPage: "/index.html", MemoryCacheBytes: -1}} {
				srv := httptest.NewServer(h)
				defer srv.Close()
				urls = append(urls, srv.URL)
			}
			hangups := randomRun(t, urls, seed)

			deadline := time.Now().Add(5 * time.Second)
			for {
				fsys.mu.Lock()
				open, opened := fmt.Sprint(fsys.open), fsys.opened
				left := len(fsys.open)
				fsys.mu.Unlock()
				if streams := coding.OpenStreams(); left == 0 && streams == 0 {
					t.Logf("%d files opened, all closed; every encoder closed; %d clients hung up mid-body", opened, hangups)
					if opened < 200 {
						t.Errorf("only %d files opened: the counting wrapper is not in the path", opened)
					}
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("%d files and %d encoders still open 5 s after the run: %s", left, coding.OpenStreams(), open)
				}
				time.Sleep(20 * time.Millisecond)
			}
			if hangups == 0 {
				t.Error("no client hung up mid-body: the run did not test it")
			}
		})
	}
}

// randomRun sends 8 clients' worth of random requests to the servers at
// urls and returns how many of them hung up mid-body.
func randomRun(t *testing.T, urls []string, seed uint64) int64 {
	client := &http.Client{
		Timeout:       10 * time.Second,
		Transport:     &http.Transport{DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	defer client.CloseIdleConnections()
	resp, err := client.Get(urls[0] + "/style.css")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	mix := randomMix(resp.Header.Get("Etag"))

	var hangups atomic.Int64
	var wg sync.WaitGroup
	for worker := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(seed, uint64(worker)+2))
			for range 60 {
				base := urls[rng.IntN(len(urls))]
				if rng.IntN(5) == 0 {
					hangUp(t, base, rng)
					hangups.Add(1)
					continue
				}
				rr := mix[rng.IntN(len(mix))]
				if status := do(t, client, base, rr); status != rr.want {
					t.Errorf("%s %s %v: status %d, want %d", rr.method, rr.target, rr.header, status, rr.want)
				}
			}
		}()
	}
	wg.Wait()
	return hangups.Load()
}

// do makes one request and reads its whole body.
func do(t *testing.T, client *http.Client, base string, rr randomRequest) int {
	req, err := http.NewRequest(rr.method, base+rr.target, nil)
	if err != nil {
		t.Error(err)
		return 0
	}
	for k, v := range rr.header {
		req.Header.Set(k, v)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Errorf("%s %s: %v", rr.method, rr.target, err)
		return 0
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		t.Errorf("%s %s: reading the body: %v", rr.method, rr.target, err)
	}
	return resp.StatusCode
}

// hangUp asks for a large body (whole, a long range, or the gzip
// sidecar), reads a random part of it and closes the connection, half of
// the time with a reset.
func hangUp(t *testing.T, base string, rng *rand.Rand) {
	c, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Error(err)
		return
	}
	extra := []string{"", "Range: bytes=100-4000000\r\n", "Accept-Encoding: gzip\r\n", "Accept-Encoding: zstd\r\n", "Accept-Encoding: gzip\r\n"}[rng.IntN(5)]
	target := "/large.bin"
	if rng.IntN(2) == 0 {
		target = "/large.txt" // compressed as it is sent, for the last two
	}
	fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: x\r\n%s\r\n", target, extra)
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	br := bufio.NewReader(c)
	if _, err := http.ReadResponse(br, nil); err != nil {
		t.Errorf("hang-up client: %v", err)
	}
	io.CopyN(io.Discard, br, int64(1+rng.IntN(64<<10)))
	if rng.IntN(2) == 0 {
		c.(*net.TCPConn).SetLinger(0) // close with a reset
	}
	c.Close()
}
