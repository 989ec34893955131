package staticfs_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/spf13/afero"
	"github.com/webstatic/webstatic/staticfs"
)

// TestFilesChangingUnderLoad serves a large file (past the cache, copied
// with sendfile) and a small one (from the cache) while another goroutine
// replaces them by rename and truncates them in place. Every response a
// client reads whole must be one version of the file, as long as its
// Content-Length says; a cut connection is the only other outcome.
func TestFilesChangingUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("load test; runs without -short")
	}
	dir := t.TempDir()
	versions := map[string][2][]byte{
		"big.bin":   {bytes.Repeat([]byte("A"), 200<<10), bytes.Repeat([]byte("B"), 300<<10)},
		"small.txt": {bytes.Repeat([]byte("a"), 1000), bytes.Repeat([]byte("b"), 1500)},
	}
	install := func(name string, body []byte) {
		tmp := filepath.Join(dir, "."+name+".tmp")
		if err := os.WriteFile(tmp, body, 0o644); err != nil {
			t.Error(err)
		}
		if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
			t.Error(err)
		}
	}
	for name, v := range versions {
		install(name, v[0])
	}
	srv := httptest.NewServer(&staticfs.Handler{FS: afero.NewBasePathFs(afero.NewOsFs(), dir)})
	defer srv.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // the deployer
		defer wg.Done()
		for i := 0; ctx.Err() == nil; i++ {
			for name, v := range versions {
				if i%5 == 4 {
					os.Truncate(filepath.Join(dir, name), 0)
				} else {
					install(name, v[i%2])
				}
			}
			time.Sleep(2 * time.Millisecond)
		}
	}()
	var whole, cut atomic.Int64
	for c := 0; c < 8; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Transport: &http.Transport{DisableCompression: true}, Timeout: 5 * time.Second}
			defer client.CloseIdleConnections()
			for i := 0; ctx.Err() == nil; i++ {
				name := "big.bin"
				if i%2 == 1 {
					name = "small.txt"
				}
				resp, err := client.Get(srv.URL + "/" + name)
				if err != nil {
					cut.Add(1)
					continue
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil {
					cut.Add(1)
					continue
				}
				whole.Add(1)
				v := versions[name]
				okBody := bytes.Equal(body, v[0]) || bytes.Equal(body, v[1]) || len(body) == 0
				if resp.StatusCode != 200 || int64(len(body)) != resp.ContentLength || !okBody {
					t.Errorf("%s: status %d, Content-Length %d, %d bytes starting %q: not one version",
						name, resp.StatusCode, resp.ContentLength, len(body), body[:min(len(body), 8)])
					return
				}
			}
		}()
	}
	wg.Wait()
	t.Logf("%d whole responses, %d cut", whole.Load(), cut.Load())
	if whole.Load() < 50 {
		t.Errorf("only %d whole responses: the test proved little", whole.Load())
	}
}
