package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestAppBesideAPI(t *testing.T) {
	srv := httptest.NewServer(newMux())
	defer srv.Close()
	type got struct {
		Status int
		Type   string
		Body   string // first line
	}
	fetch := func(path, accept string) got {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		req.Header.Set("Accept", accept)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		first, _, _ := strings.Cut(string(b), "\n")
		return got{resp.StatusCode, resp.Header.Get("Content-Type"), first}
	}
	const page = "text/html,application/xhtml+xml,*/*;q=0.8"
	tests := []struct {
		path, accept string
		want         got
	}{
		{"/", page, got{200, "text/html; charset=utf-8", "<!doctype html>"}},
		{"/users/42", page, got{200, "text/html; charset=utf-8", "<!doctype html>"}},
		{"/app.js", "*/*", got{200, "text/javascript; charset=utf-8", "// Every route of the app is served index.html; the script reads the path."}},
		{"/app.css", page, got{404, "text/plain; charset=utf-8", "404 Not Found"}},
		{"/api/hello", "*/*", got{200, "application/json", `{"message":"hello from the API"}`}},
		{"/api/missing", page, got{404, "text/plain; charset=utf-8", "404 page not found"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, fetch(tt.path, tt.accept)); diff != "" {
			t.Errorf("GET %s (-want +got):\n%s", tt.path, diff)
		}
	}
}
