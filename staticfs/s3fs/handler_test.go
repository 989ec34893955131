package s3fs_test

import (
	"bytes"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/webstatic/webstatic/staticfs"
	"github.com/webstatic/webstatic/staticfs/s3fs"
)

// serve returns a server of a Handler over fsys.
func serve(t *testing.T, fsys *s3fs.Fs) *httptest.Server {
	srv := httptest.NewServer(&staticfs.Handler{FS: fsys})
	t.Cleanup(srv.Close)
	t.Cleanup(srv.Client().CloseIdleConnections)
	return srv
}

// TestHandlerCosts pins the requests each kind of request costs at the
// store, through a Handler.
func TestHandlerCosts(t *testing.T) {
	s := newStore(t)
	small := []byte("<p>small</p>\n")
	big := pattern(100<<10, 5)
	huge := pattern(10<<20, 6)
	s.put("small.html", small)
	s.put("big.html", big)
	s.put("huge.bin", huge)
	s.put("404.html", []byte("not here\n"))
	index := []byte("<p>docs</p>\n")
	s.put("docs/index.html", index)
	srv := serve(t, s.fs(""))

	type want struct {
		Status int
		Body   string // its MD5, for short diffs
		Costs  costs
		Ranges []string
	}
	tests := []struct {
		name   string
		method string
		path   string
		hdr    []string
		want   want
	}{
		// The first request lists the root (one LIST, which also answers
		// every sidecar lookup) and reads the small file in one GET.
		{"cold small file", "GET", "/small.html", nil, want{200, md5hex(small), costs{List: 1, Get: 1, Bytes: -1}, []string{"bytes=0-12"}}},
		{"warm small file", "GET", "/small.html", nil, want{200, md5hex(small), costs{}, nil}},
		{"HEAD", "HEAD", "/small.html", nil, want{200, md5hex(nil), costs{}, nil}},
		{"file over 64 KiB", "GET", "/big.html", nil, want{200, md5hex(big), costs{Get: 2, Bytes: -1}, nil}},
		{"file over 64 KiB again", "GET", "/big.html", nil, want{200, md5hex(big), costs{Get: 2, Bytes: -1}, nil}},
		// The client follows the 301 to /docs/; the directory's own
		// listing answers the index lookup.
		{"directory index", "GET", "/docs", nil, want{200, md5hex(index), costs{List: 1, Get: 1, Bytes: -1}, nil}},
		{"directory index again", "GET", "/docs/", nil, want{200, md5hex(index), costs{}, nil}},
		// A 404: the lookups come from the listing, the page is one GET.
		{"404 with a page", "GET", "/missing.html", nil, want{404, md5hex([]byte("not here\n")), costs{Get: 1, Bytes: 9}, []string{"bytes=0-8"}}},
		{"first 100 bytes of 10 MiB", "GET", "/huge.bin", []string{"Range", "bytes=0-99"},
			want{206, md5hex(huge[:100]), costs{Get: 1, Bytes: 100}, []string{"bytes=0-99"}}},
		{"a middle range", "GET", "/huge.bin", []string{"Range", "bytes=5000000-5000009"},
			want{206, md5hex(huge[5000000:5000010]), costs{Get: 1, Bytes: 10}, []string{"bytes=5000000-5000009"}}},
	}
	for _, tt := range tests {
		s.counter.take()
		resp, body := get(t, srv, tt.method, tt.path, tt.hdr...)
		got, ranges := s.counter.take()
		if tt.want.Costs.Bytes < 0 {
			got.Bytes = -1 // not pinned
		}
		if tt.want.Ranges == nil {
			ranges = nil
		}
		if diff := cmp.Diff(tt.want, want{resp.StatusCode, md5hex(body), got, ranges}); diff != "" {
			t.Errorf("%s: (-want +got):\n%s", tt.name, diff)
		}
		if resp.StatusCode == 200 && tt.method == "GET" {
			// The Handler compresses for the Go client (Accept-Encoding:
			// gzip), whose tag says so: "<store's tag>-gzip".
			if got, want := resp.Header.Get("ETag"), `"`+md5hex(body); !strings.HasPrefix(got, want) {
				t.Errorf("%s: ETag %s, want the store's %s", tt.name, got, want)
			}
		}
	}
}

// TestHandler404Cost: a missing file at the root of a cold Fs costs one
// LIST, which also answers the 404 page lookup.
func TestHandler404Cost(t *testing.T) {
	s := newStore(t)
	s.put("a.html", []byte("a"))
	srv := serve(t, s.fs(""))
	resp, _ := get(t, srv, "GET", "/missing.html")
	if got, _ := s.counter.take(); resp.StatusCode != 404 || got.List+got.Get > 1 {
		t.Errorf("404 answered %d and cost %+v, want 404 for at most 1 request", resp.StatusCode, got)
	}
}

// TestConcurrentColdLookups: 100 concurrent requests in one directory of
// a cold Fs cause exactly one LIST of it.
func TestConcurrentColdLookups(t *testing.T) {
	s := newStore(t)
	for i := range 10 {
		s.put(fmt.Sprintf("d/f%d.html", i), pattern(100<<10, byte(i)))
	}
	srv := serve(t, s.fs(""))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range 100 {
		wg.Go(func() {
			<-start
			resp, err := srv.Client().Get(fmt.Sprintf("%s/d/f%d.html", srv.URL, i%10))
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Errorf("status %d", resp.StatusCode)
			}
		})
	}
	close(start)
	wg.Wait()
	if got, _ := s.counter.take(); got.List != 1 {
		t.Errorf("%d LISTs for 100 concurrent cold requests in one directory, want 1", got.List)
	}
}

// TestChangeAfterTTL: an object replaced or deleted in the bucket is
// served as it was until ListTTL has passed, then as it is.
func TestChangeAfterTTL(t *testing.T) {
	s := newStore(t)
	s.put("p.html", []byte("old"))
	fsys := s.fs("")
	srv := serve(t, fsys)
	steps := []struct {
		change  func()
		advance time.Duration
		status  int
		body    string
	}{
		{nil, 0, 200, "old"},
		{func() { s.put("p.html", []byte("new!")) }, 0, 200, "old"},
		{nil, 9 * time.Second, 200, "old"},
		{nil, 2 * time.Second, 200, "new!"},
		{func() { s.delete("p.html") }, 5 * time.Second, 200, "new!"},
		{nil, 6 * time.Second, 404, "404 Not Found\n"},
	}
	for i, st := range steps {
		if st.change != nil {
			st.change()
		}
		s.clock.Advance(st.advance)
		resp, body := get(t, srv, "GET", "/p.html")
		if resp.StatusCode != st.status || !bytes.Equal(body, []byte(st.body)) {
			t.Errorf("step %d: %d %q, want %d %q", i, resp.StatusCode, body, st.status, st.body)
		}
	}
}

// TestChangeMidResponse: a version change between the listing and the
// GET breaks the response in flight (a short body, never a wrong one),
// and the next request gets the new version without waiting for the TTL.
func TestChangeMidResponse(t *testing.T) {
	s := newStore(t)
	oldBody, newBody := pattern(200<<10, 7), pattern(200<<10, 8)
	s.put("v.bin", oldBody)
	srv := serve(t, s.fs(""))
	if _, body := get(t, srv, "GET", "/v.bin"); !bytes.Equal(body, oldBody) {
		t.Fatal("first body wrong")
	}
	s.put("v.bin", newBody)
	resp, body := get(t, srv, "GET", "/v.bin")
	if resp.StatusCode != 200 || len(body) == len(oldBody) || !bytes.Equal(body, oldBody[:len(body)]) {
		t.Errorf("during the change: %d, %d bytes; want a short prefix of the old body", resp.StatusCode, len(body))
	}
	if _, body := get(t, srv, "GET", "/v.bin"); !bytes.Equal(body, newBody) {
		t.Errorf("after the change: not the new body")
	}
}
