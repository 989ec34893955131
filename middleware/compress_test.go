package middleware_test

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/klauspost/compress/gzip"

	"github.com/webstatic/webstatic/internal/coding"
	"github.com/webstatic/webstatic/middleware"
)

func someText(n int) string {
	words := []string{"api ", "json ", "response ", "compressed ", "by ", "middleware ", "\n"}
	rng := rand.New(rand.NewPCG(3, 3))
	var b strings.Builder
	for b.Len() < n {
		b.WriteString(words[rng.IntN(len(words))])
	}
	return b.String()[:n]
}

func gzipped(s string) string {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	io.WriteString(w, s)
	w.Close()
	return b.String()
}

func undo(t *testing.T, ce, body string) string {
	t.Helper()
	b, err := coding.Decode(ce, []byte(body))
	if err != nil {
		t.Fatalf("%s: %v", ce, err)
	}
	return string(b)
}

// TestCompressRules runs handlers of every kind behind Compress over
// real TCP and checks what each client gets: the coding, Vary once, a
// length only when not encoded, the decoded body, and HEAD's headers.
func TestCompressRules(t *testing.T) {
	text := someText(20 << 10)
	mod := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	routes := map[string]http.HandlerFunc{
		"/stream": func(w http.ResponseWriter, r *http.Request) { // no length, written in pieces
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			for i := 0; i < len(text); i += 1000 {
				io.WriteString(w, text[i:min(i+1000, len(text))])
			}
		},
		"/length": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", strconv.Itoa(len(text)))
			io.WriteString(w, text)
		},
		"/short": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			io.WriteString(w, "short answer")
		},
		"/sniffed": func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "<!doctype html>"+text) },
		"/image": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "image/png")
			io.WriteString(w, text)
		},
		"/encoded": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			w.Header().Set("Content-Encoding", "gzip")
			io.WriteString(w, gzipped(text))
		},
		"/error": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", "999")
			http.Error(w, "something broke", http.StatusInternalServerError)
		},
		"/long-error": func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, text[:2000], http.StatusBadGateway)
		},
		"/no-transform": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			w.Header().Set("Cache-Control", "public, no-transform")
			io.WriteString(w, text)
		},
		"/content": func(w http.ResponseWriter, r *http.Request) { // ranges, validators, ReadFrom
			w.Header().Set("Content-Type", "text/css")
			w.Header().Set("Etag", `"v1"`)
			http.ServeContent(w, r, "a.css", mod, strings.NewReader(text))
		},
		"/empty": func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) },
	}
	mux := http.NewServeMux()
	for p, h := range routes {
		mux.Handle(p, h)
	}
	srv := httptest.NewServer((&middleware.Compress{}).Wrap(mux))
	defer srv.Close()
	client := srv.Client()
	client.Transport.(*http.Transport).DisableCompression = true

	type res struct {
		Status               int
		CE, Vary, Etag, Body string
		Length               bool
	}
	fetch := func(method, path string, hdr map[string]string) (res, http.Header) {
		req, _ := http.NewRequest(method, srv.URL+path, nil)
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		ce := resp.Header.Get("Content-Encoding")
		body := string(b)
		if method == "GET" && path != "/encoded" {
			body = undo(t, ce, body)
		}
		resp.Header.Del("Date")
		return res{resp.StatusCode, ce, strings.Join(resp.Header.Values("Vary"), ","), resp.Header.Get("Etag"), body, resp.ContentLength >= 0}, resp.Header
	}
	ae := func(v string) map[string]string { return map[string]string{"Accept-Encoding": v} }
	tests := []struct {
		path string
		hdr  map[string]string
		want res
	}{
		{"/stream", ae("gzip"), res{200, "gzip", "Accept-Encoding", "", text, false}},
		{"/stream", ae("zstd, gzip"), res{200, "zstd", "Accept-Encoding", "", text, false}},
		{"/stream", ae(""), res{200, "", "Accept-Encoding", "", text, false}},
		{"/stream", ae("br"), res{200, "", "Accept-Encoding", "", text, false}},
		{"/length", ae("gzip"), res{200, "gzip", "Accept-Encoding", "", text, false}},
		{"/short", ae("gzip"), res{200, "", "", "", "short answer", true}},
		{"/sniffed", ae("gzip"), res{200, "gzip", "Accept-Encoding", "", "<!doctype html>" + text, false}},
		{"/image", ae("gzip"), res{200, "", "", "", text, false}},
		{"/encoded", ae("zstd, gzip"), res{200, "gzip", "", "", gzipped(text), false}},
		{"/error", ae("gzip"), res{500, "", "", "", "something broke\n", true}},
		{"/long-error", ae("gzip"), res{502, "gzip", "Accept-Encoding", "", text[:2000] + "\n", true}},
		{"/no-transform", ae("gzip"), res{200, "", "", "", text, false}},
		{"/content", ae("gzip"), res{200, "gzip", "Accept-Encoding", `"v1-gzip"`, text, false}},
		{"/content", map[string]string{"Accept-Encoding": "gzip", "Range": "bytes=0-9"}, res{206, "", "", `"v1"`, text[:10], true}},
		{"/content", map[string]string{"Accept-Encoding": "gzip", "If-None-Match": `"v1-gzip"`}, res{304, "", "", `"v1-gzip"`, "", true}},
		{"/content", map[string]string{"Accept-Encoding": "", "If-None-Match": `"v1-gzip"`}, res{200, "", "Accept-Encoding", `"v1"`, text, true}},
		{"/content", map[string]string{"Accept-Encoding": "gzip", "If-None-Match": `"v1"`}, res{304, "", "", `"v1"`, "", true}},
		{"/empty", ae("gzip"), res{204, "", "", "", "", true}},
	}
	for _, tt := range tests {
		got, hdr := fetch("GET", tt.path, tt.hdr)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("GET %s %v (-want +got):\n%s", tt.path, tt.hdr, diff)
		}
		if n := len(hdr.Values("Vary")); n > 1 {
			t.Errorf("GET %s: %d Vary fields", tt.path, n)
		}
		if tt.path == "/length" || tt.path == "/content" || tt.path == "/image" {
			_, head := fetch("HEAD", tt.path, tt.hdr)
			if tt.want.Status != 200 {
				continue
			}
			if diff := cmp.Diff(hdr, head); diff != "" {
				t.Errorf("HEAD %s %v differs from GET (-GET +HEAD):\n%s", tt.path, tt.hdr, diff)
			}
		}
	}
}

// readFromWriter is a ResponseWriter with a ReadFrom that counts its
// calls, as net/http's own has (and uses for sendfile).
type readFromWriter struct {
	*httptest.ResponseRecorder
	readFroms int
}

func (w *readFromWriter) ReadFrom(src io.Reader) (int64, error) {
	w.readFroms++
	return io.Copy(w.ResponseRecorder, src)
}

// TestCompressKeepsReadFrom: a response Compress does not encode reaches
// the wrapped writer's ReadFrom, so net/http can still use sendfile; an
// encoded one goes through the encoder.
func TestCompressKeepsReadFrom(t *testing.T) {
	dir := t.TempDir()
	big := someText(256 << 10)
	os.WriteFile(filepath.Join(dir, "a.png"), []byte(big), 0o644)
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte(big), 0o644)
	h := (&middleware.Compress{}).Wrap(http.FileServer(http.Dir(dir)))
	for _, tc := range []struct {
		name      string
		readFroms int
		ce        string
	}{{"/a.png", 1, ""}, {"/a.txt", 0, "gzip"}} {
		w := &readFromWriter{ResponseRecorder: httptest.NewRecorder()}
		r := httptest.NewRequest("GET", tc.name, nil)
		r.Header.Set("Accept-Encoding", "gzip")
		h.ServeHTTP(w, r)
		if w.readFroms != tc.readFroms || w.Header().Get("Content-Encoding") != tc.ce {
			t.Errorf("%s: %d ReadFrom calls, Content-Encoding %q; want %d, %q", tc.name, w.readFroms, w.Header().Get("Content-Encoding"), tc.readFroms, tc.ce)
		}
		if got := undo(t, tc.ce, w.Body.String()); got != big {
			t.Errorf("%s: body of %d bytes, want the file's %d", tc.name, len(got), len(big))
		}
	}
}

// Compress a JSON API beside the files: the Handler compresses files
// itself, the middleware leaves its answers alone.
func ExampleCompress() {
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"items":[%s0]}`, strings.Repeat("1,", 400))
	})
	h := (&middleware.Compress{}).Wrap(api)

	r := httptest.NewRequest("GET", "/api/items", nil)
	r.Header.Set("Accept-Encoding", "gzip")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	fmt.Println(w.Code, w.Header().Get("Content-Encoding"), w.Header().Get("Vary"), w.Body.Len() < 100)
	// Output: 200 gzip Accept-Encoding true
}
