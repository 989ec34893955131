package middleware_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/spf13/afero"
	"github.com/webstatic/webstatic/staticfs"
)

// newSite returns a staticfs.Handler with listings over a small
// in-memory site: an index page, a 404 page, a 1 KiB text file and a
// directory without index file.
func newSite() *staticfs.Handler {
	fsys := afero.NewMemMapFs()
	afero.WriteFile(fsys, "/index.html", []byte("<h1>hi</h1>"), 0o644)
	afero.WriteFile(fsys, "/404.html", []byte("<h1>not here</h1>"), 0o644)
	afero.WriteFile(fsys, "/file.txt", make([]byte, 1024), 0o644)
	fsys.MkdirAll("/dir", 0o755)
	afero.WriteFile(fsys, "/dir/a.txt", []byte("a"), 0o644)
	return &staticfs.Handler{FS: fsys, Listing: true}
}

// serve starts h on a real TCP listener on 127.0.0.1 for the test.
func serve(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return s
}

// do sends a request with the given headers to s and returns the
// response, its body drained and closed.
func do(t *testing.T, s *httptest.Server, method, path string, header map[string]string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// pick returns the values of the named headers that hdr holds.
func pick(hdr http.Header, names ...string) map[string][]string {
	m := map[string][]string{}
	for _, n := range names {
		if v, ok := hdr[http.CanonicalHeaderKey(n)]; ok {
			m[n] = v
		}
	}
	return m
}

// benchServe serves r with h b.N times into a writer that keeps
// nothing and whose header map is emptied each time, as net/http gives
// each request a fresh one.
func benchServe(b *testing.B, h http.Handler, r *http.Request) {
	w := &discardWriter{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		h.ServeHTTP(w, r)
	}
}

type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *discardWriter) WriteHeader(int)             {}
