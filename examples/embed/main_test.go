package main

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestEmbeddedSite(t *testing.T) {
	srv := httptest.NewServer(newHandler())
	defer srv.Close()
	type got struct {
		Status       int
		Type, Cache  string
		HasETag      bool
		LastModified string
	}
	fetch := func(path, inm string) got {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		if inm != "" {
			req.Header.Set("If-None-Match", inm)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return got{resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Cache-Control"),
			resp.Header.Get("Etag") != "", resp.Header.Get("Last-Modified")}
	}
	want := map[string]got{
		"/":          {200, "text/html; charset=utf-8", "no-cache", true, ""},
		"/style.css": {200, "text/css; charset=utf-8", "public, max-age=3600", true, ""},
		"/missing":   {404, "text/plain; charset=utf-8", "", false, ""},
	}
	for path, w := range want {
		if diff := cmp.Diff(w, fetch(path, "")); diff != "" {
			t.Errorf("GET %s (-want +got):\n%s", path, diff)
		}
	}
	resp, err := http.Get(srv.URL + "/style.css")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if g := fetch("/style.css", resp.Header.Get("Etag")); g.Status != http.StatusNotModified {
		t.Errorf("revalidation = %d, want 304", g.Status)
	}
}
