package middleware_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/webstatic/webstatic/middleware"
)

var securityHeaderNames = []string{
	"Strict-Transport-Security", "X-Frame-Options", "Referrer-Policy",
	"X-Content-Type-Options", "Content-Security-Policy",
}

const defaultGeneratedPolicy = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"

// TestSecurityHeaders sends requests over TCP, plain and TLS, to a
// staticfs.Handler behind SecurityHeaders and compares the headers of
// each answer: HSTS only over TLS, CSP only on the pages the Handler
// generates (listing, 404 page), every other header on every answer.
func TestSecurityHeaders(t *testing.T) {
	base := map[string][]string{
		"X-Frame-Options":        {"SAMEORIGIN"},
		"Referrer-Policy":        {"strict-origin-when-cross-origin"},
		"X-Content-Type-Options": {"nosniff"},
	}
	with := func(kv ...string) map[string][]string {
		m := map[string][]string{}
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = []string{kv[i+1]}
		}
		return m
	}
	zero := &middleware.SecurityHeaders{}
	custom := &middleware.SecurityHeaders{
		StrictTransportSecurity: "max-age=60; includeSubDomains",
		FrameOptions:            "DENY",
		ReferrerPolicy:          "no-referrer",
		GeneratedPagePolicy:     "default-src 'none'",
		SitePolicy:              "default-src 'self'",
		Omit:                    []string{"x-content-type-options"},
	}
	customBase := map[string][]string{"X-Frame-Options": {"DENY"}, "Referrer-Policy": {"no-referrer"}, "X-Content-Type-Options": {"nosniff"}}
	for _, tt := range []struct {
		name   string
		s      *middleware.SecurityHeaders
		tls    bool
		path   string
		header map[string]string
		status int
		want   map[string][]string
	}{
		{"file", zero, false, "/file.txt", nil, 200, base},
		{"file over TLS", zero, true, "/file.txt", nil, 200, with("Strict-Transport-Security", "max-age=31536000")},
		{"index page is a file", zero, false, "/", nil, 200, base},
		{"304", zero, false, "/", map[string]string{"If-None-Match": "*"}, 304, base},
		{"416", zero, true, "/file.txt", map[string]string{"Range": "bytes=9999-"}, 416, with("Strict-Transport-Security", "max-age=31536000")},
		{"listing", zero, false, "/dir/", nil, 200, with("Content-Security-Policy", defaultGeneratedPolicy)},
		{"404 page", zero, true, "/missing", nil, 404, with("Content-Security-Policy", defaultGeneratedPolicy, "Strict-Transport-Security", "max-age=31536000")},
		{"JSON listing", zero, false, "/dir/", map[string]string{"Accept": "application/json"}, 200, base},
		{"custom: file", custom, true, "/file.txt", nil, 200, map[string][]string{
			"X-Frame-Options": {"DENY"}, "Referrer-Policy": {"no-referrer"}, "X-Content-Type-Options": {"nosniff"}, // the Handler's own
			"Strict-Transport-Security": {"max-age=60; includeSubDomains"}, "Content-Security-Policy": {"default-src 'self'"},
		}},
		{"custom: listing", custom, false, "/dir/", nil, 200, func() map[string][]string {
			m := map[string][]string{"Content-Security-Policy": {"default-src 'none'"}}
			for k, v := range customBase {
				m[k] = v
			}
			return m
		}()},
		{"all omitted", &middleware.SecurityHeaders{Omit: securityHeaderNames}, true, "/dir/", nil, 200, map[string][]string{"X-Content-Type-Options": {"nosniff"}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var s *httptest.Server
			if tt.tls {
				s = httptest.NewTLSServer(tt.s.Wrap(newSite()))
				t.Cleanup(s.Close)
			} else {
				s = serve(t, tt.s.Wrap(newSite()))
			}
			// Twice: the second answer comes from the Handler's cache.
			for _, pass := range []string{"first", "cached"} {
				resp := do(t, s, "GET", tt.path, tt.header)
				if resp.StatusCode != tt.status {
					t.Errorf("%s: status %d, want %d", pass, resp.StatusCode, tt.status)
				}
				if diff := cmp.Diff(tt.want, pick(resp.Header, securityHeaderNames...)); diff != "" {
					t.Errorf("%s: GET %s (-want +got):\n%s", pass, tt.path, diff)
				}
			}
		})
	}
}

// TestSecurityHeadersGeneratedByOtherHandlers checks that a generated
// page is recognised however its handler starts the response, and that
// the writer the handler gets keeps the interfaces of net/http's.
func TestSecurityHeadersGeneratedByOtherHandlers(t *testing.T) {
	type ifaces struct{ ReaderFrom, Flusher, Hijacker, Unwrap bool }
	all := ifaces{true, true, true, true}
	for _, tt := range []struct {
		name    string
		omitCSP bool
		serve   func(w http.ResponseWriter)
		wantCSP bool
	}{
		{"WriteHeader", false, func(w http.ResponseWriter) { w.Header().Set("Content-Type", "text/html"); w.WriteHeader(500) }, true},
		{"Write", false, func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "TEXT/HTML; charset=utf-8")
			io.WriteString(w, "<p>")
		}, true},
		{"ReadFrom", false, func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "text/html")
			w.(io.ReaderFrom).ReadFrom(strings.NewReader("<p>"))
		}, true},
		{"Flush", false, func(w http.ResponseWriter) { w.Header().Set("Content-Type", "text/html"); w.(http.Flusher).Flush() }, true},
		{"103 first", false, func(w http.ResponseWriter) {
			w.WriteHeader(103)
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(200)
		}, true},
		{"HTML with ETag", false, func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("ETag", `"x"`)
			io.WriteString(w, "<p>")
		}, false},
		{"text", false, func(w http.ResponseWriter) { io.WriteString(w, "plain") }, false},
		{"CSP omitted: writer not wrapped", true, func(w http.ResponseWriter) { w.Header().Set("Content-Type", "text/html"); w.WriteHeader(200) }, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var got ifaces
			sh := &middleware.SecurityHeaders{}
			if tt.omitCSP {
				sh.Omit = []string{"Content-Security-Policy"}
			}
			s := serve(t, sh.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, got.ReaderFrom = w.(io.ReaderFrom)
				_, got.Flusher = w.(http.Flusher)
				_, got.Hijacker = w.(http.Hijacker)
				_, got.Unwrap = w.(interface{ Unwrap() http.ResponseWriter })
				if tt.omitCSP {
					got.Unwrap = true // net/http's own writer has no Unwrap
				}
				tt.serve(w)
			})))
			resp := do(t, s, "GET", "/", nil)
			if got := resp.Header.Get("Content-Security-Policy") != ""; got != tt.wantCSP {
				t.Errorf("CSP sent: %v, want %v", got, tt.wantCSP)
			}
			if got != all {
				t.Errorf("writer interfaces %+v, want all", got)
			}
		})
	}
}

func TestSecurityHeadersValidate(t *testing.T) {
	for _, tt := range []struct {
		s    middleware.SecurityHeaders
		want string
	}{
		{middleware.SecurityHeaders{}, ""},
		{middleware.SecurityHeaders{Omit: []string{"referrer-policy"}}, ""},
		{middleware.SecurityHeaders{Omit: []string{"X-XSS-Protection"}}, `Omit "X-XSS-Protection"`},
		{middleware.SecurityHeaders{FrameOptions: "DENY\r\nSet-Cookie: a=b"}, "control byte"},
	} {
		err := tt.s.Validate()
		if (err == nil) != (tt.want == "") || err != nil && !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Validate() = %v, want %q", err, tt.want)
		}
	}
}

// Add the security headers to a staticfs.Handler. The files get the
// same headers on every answer; the pages the Handler generates (here
// the 404 page) also get a Content-Security-Policy.
func ExampleSecurityHeaders() {
	h := (&middleware.SecurityHeaders{}).Wrap(newSite())
	for _, path := range []string{"/file.txt", "/missing"} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		fmt.Println(path, w.Code)
		for _, k := range securityHeaderNames {
			if v := w.Header().Get(k); v != "" {
				fmt.Printf("  %s: %s\n", k, v)
			}
		}
	}
	// Output:
	// /file.txt 200
	//   X-Frame-Options: SAMEORIGIN
	//   Referrer-Policy: strict-origin-when-cross-origin
	//   X-Content-Type-Options: nosniff
	// /missing 404
	//   X-Frame-Options: SAMEORIGIN
	//   Referrer-Policy: strict-origin-when-cross-origin
	//   X-Content-Type-Options: nosniff
	//   Content-Security-Policy: default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'
}

// BenchmarkSecurityHeaders compares a staticfs.Handler serving a 1 KiB
// file in process with the same handler behind SecurityHeaders, with the
// generated-page check (the writer wrapped) and without it.
func BenchmarkSecurityHeaders(b *testing.B) {
	site := newSite()
	for _, bc := range []struct {
		name string
		h    http.Handler
	}{
		{"bare", site},
		{"default", (&middleware.SecurityHeaders{}).Wrap(site)},
		{"no-CSP", (&middleware.SecurityHeaders{Omit: []string{"Content-Security-Policy"}}).Wrap(site)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			benchServe(b, bc.h, httptest.NewRequest("GET", "/file.txt", nil))
		})
	}
}
