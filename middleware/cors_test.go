package middleware_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/webstatic/webstatic/middleware"
)

var corsHeaders = []string{
	"Access-Control-Allow-Origin", "Access-Control-Allow-Credentials",
	"Access-Control-Allow-Methods", "Access-Control-Allow-Headers",
	"Access-Control-Expose-Headers", "Access-Control-Max-Age", "Allow", "Vary",
}

type corsAnswer struct {
	Status int
	Header map[string][]string
}

// TestCORS sends requests over TCP to a staticfs.Handler wrapped in CORS
// and compares the status and the CORS headers of each answer.
func TestCORS(t *testing.T) {
	const app = "https://app.example.com"
	policy := &middleware.CORS{
		AllowedOrigins: []string{app, "https://*.cdn.example.com", "http://localhost:3000"},
		MaxAge:         10 * time.Minute,
	}
	vary := []string{"Origin"}
	varyEnc := []string{"Origin", "Accept-Encoding"}
	preVary := []string{"Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers"}
	allowed := func(origin string, status int, vary []string) corsAnswer {
		return corsAnswer{status, map[string][]string{
			"Access-Control-Allow-Origin":   {origin},
			"Access-Control-Expose-Headers": {"Accept-Ranges, Content-Range, ETag"},
			"Vary":                          vary,
		}}
	}
	preflightOK := func(origin, headers string) corsAnswer {
		a := corsAnswer{204, map[string][]string{
			"Access-Control-Allow-Origin":  {origin},
			"Access-Control-Allow-Methods": {"GET, HEAD"},
			"Access-Control-Max-Age":       {"600"},
			"Vary":                         preVary,
		}}
		if headers != "" {
			a.Header["Access-Control-Allow-Headers"] = []string{headers}
		}
		return a
	}
	refused := corsAnswer{204, map[string][]string{"Vary": preVary}}
	allowedOpt := allowed(app, 204, vary)
	allowedOpt.Header["Allow"] = []string{"GET, HEAD, OPTIONS"}

	tests := []struct {
		name         string
		policy       *middleware.CORS
		method, path string
		header       map[string]string
		want         corsAnswer
	}{
		{"no Origin", policy, "GET", "/file.txt", nil, corsAnswer{200, map[string][]string{"Vary": varyEnc}}},
		{"exact origin", policy, "GET", "/file.txt", map[string]string{"Origin": app}, allowed(app, 200, varyEnc)},
		{"exact origin, other letter case", policy, "GET", "/file.txt", map[string]string{"Origin": "HTTPS://App.Example.com"}, allowed("HTTPS://App.Example.com", 200, varyEnc)},
		{"origin with port", policy, "GET", "/file.txt", map[string]string{"Origin": "http://localhost:3000"}, allowed("http://localhost:3000", 200, varyEnc)},
		{"pattern", policy, "GET", "/file.txt", map[string]string{"Origin": "https://eu.cdn.example.com"}, allowed("https://eu.cdn.example.com", 200, varyEnc)},
		{"pattern, two labels", policy, "GET", "/file.txt", map[string]string{"Origin": "https://a.eu.cdn.example.com"}, allowed("https://a.eu.cdn.example.com", 200, varyEnc)},
		{"pattern needs a label", policy, "GET", "/file.txt", map[string]string{"Origin": "https://cdn.example.com"}, corsAnswer{200, map[string][]string{"Vary": varyEnc}}},
		{"pattern, other scheme", policy, "GET", "/file.txt", map[string]string{"Origin": "http://eu.cdn.example.com"}, corsAnswer{200, map[string][]string{"Vary": varyEnc}}},
		{"pattern, suffix of another domain", policy, "GET", "/file.txt", map[string]string{"Origin": "https://eu.cdn.example.com.evil.org"}, corsAnswer{200, map[string][]string{"Vary": varyEnc}}},
		{"pattern, port smuggled", policy, "GET", "/file.txt", map[string]string{"Origin": "https://evil.org:1.cdn.example.com"}, corsAnswer{200, map[string][]string{"Vary": varyEnc}}},
		{"other origin", policy, "GET", "/file.txt", map[string]string{"Origin": "https://evil.org"}, corsAnswer{200, map[string][]string{"Vary": varyEnc}}},
		{"null origin", policy, "GET", "/file.txt", map[string]string{"Origin": "null"}, corsAnswer{200, map[string][]string{"Vary": varyEnc}}},
		{"304", policy, "GET", "/file.txt", map[string]string{"Origin": app, "If-None-Match": "*"}, allowed(app, 304, varyEnc)},
		{"404", policy, "GET", "/missing", map[string]string{"Origin": app}, allowed(app, 404, vary)},
		{"416", policy, "GET", "/file.txt", map[string]string{"Origin": app, "Range": "bytes=5000-"}, allowed(app, 416, vary)},
		{"206", policy, "GET", "/file.txt", map[string]string{"Origin": app, "Range": "bytes=0-9"}, allowed(app, 206, varyEnc)},
		{"listing", policy, "GET", "/dir/", map[string]string{"Origin": app}, allowed(app, 200, []string{"Origin", "Accept"})},
		{"HEAD", policy, "HEAD", "/file.txt", map[string]string{"Origin": app}, allowed(app, 200, varyEnc)},
		{"405", policy, "POST", "/file.txt", map[string]string{"Origin": app}, func() corsAnswer {
			a := allowed(app, 405, vary)
			a.Header["Allow"] = []string{"GET, HEAD, OPTIONS"}
			return a
		}()},
		{"OPTIONS without request method is the handler's", policy, "OPTIONS", "/file.txt", map[string]string{"Origin": app}, allowedOpt},
		{"preflight", policy, "OPTIONS", "/file.txt", map[string]string{"Origin": app, "Access-Control-Request-Method": "GET"}, preflightOK(app, "")},
		{"preflight with Range", policy, "OPTIONS", "/file.txt", map[string]string{"Origin": app, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "range"}, preflightOK(app, "range")},
		{"preflight, missing file", policy, "OPTIONS", "/missing", map[string]string{"Origin": app, "Access-Control-Request-Method": "GET"}, preflightOK(app, "")},
		{"preflight, method refused", policy, "OPTIONS", "/file.txt", map[string]string{"Origin": app, "Access-Control-Request-Method": "PUT"}, refused},
		{"preflight, header refused", policy, "OPTIONS", "/file.txt", map[string]string{"Origin": app, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "range, x-token"}, refused},
		{"preflight, origin refused", policy, "OPTIONS", "/file.txt", map[string]string{"Origin": "https://evil.org", "Access-Control-Request-Method": "GET"}, refused},
		{"zero value: nothing allowed", &middleware.CORS{}, "GET", "/file.txt", map[string]string{"Origin": app}, corsAnswer{200, map[string][]string{"Vary": {"Accept-Encoding"}}}},
		{"zero value: preflight refused", &middleware.CORS{}, "OPTIONS", "/file.txt", map[string]string{"Origin": app, "Access-Control-Request-Method": "GET"}, corsAnswer{204, map[string][]string{"Vary": {"Access-Control-Request-Method", "Access-Control-Request-Headers"}}}},
		{"any origin: no Vary", &middleware.CORS{AllowedOrigins: []string{"*"}}, "GET", "/file.txt", map[string]string{"Origin": app}, corsAnswer{200, map[string][]string{
			"Access-Control-Allow-Origin":   {"*"},
			"Access-Control-Expose-Headers": {"Accept-Ranges, Content-Range, ETag"},
			"Vary":                          {"Accept-Encoding"},
		}}},
		{"credentials name the origin", &middleware.CORS{AllowedOrigins: []string{app}, AllowCredentials: true, ExposedHeaders: []string{}}, "GET", "/missing", map[string]string{"Origin": app}, corsAnswer{404, map[string][]string{
			"Access-Control-Allow-Origin":      {app},
			"Access-Control-Allow-Credentials": {"true"},
			"Vary":                             vary,
		}}},
		{"credentials, preflight", &middleware.CORS{AllowedOrigins: []string{app}, AllowCredentials: true, AllowedMethods: []string{"GET", "POST"}, AllowedHeaders: []string{"*"}, MaxAge: -1}, "OPTIONS", "/", map[string]string{"Origin": app, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "x-a,X-B"}, corsAnswer{204, map[string][]string{
			"Access-Control-Allow-Origin":      {app},
			"Access-Control-Allow-Credentials": {"true"},
			"Access-Control-Allow-Methods":     {"GET, POST"},
			"Access-Control-Allow-Headers":     {"x-a,x-b"},
			"Access-Control-Max-Age":           {"0"},
			"Vary":                             preVary,
		}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := serve(t, tt.policy.Wrap(newSite()))
			// Twice: the second answer comes from the Handler's cache.
			for _, pass := range []string{"first", "cached"} {
				resp := do(t, s, tt.method, tt.path, tt.header)
				got := corsAnswer{resp.StatusCode, pick(resp.Header, corsHeaders...)}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("%s: %s %s %v (-want +got):\n%s", pass, tt.method, tt.path, tt.header, diff)
				}
			}
		})
	}
}

// TestCORSValidate checks that a policy Wrap would serve wrongly is
// refused, and that Wrap panics with the same error.
func TestCORSValidate(t *testing.T) {
	for _, tt := range []struct {
		c    middleware.CORS
		want string // in the error; "" for none
	}{
		{middleware.CORS{}, ""},
		{middleware.CORS{AllowedOrigins: []string{"*", "https://a.example"}}, ""},
		{middleware.CORS{AllowedOrigins: []string{"https://*.example.com:8443", "http://[::1]:8080"}}, ""},
		{middleware.CORS{AllowedOrigins: []string{"*"}, AllowCredentials: true}, `"*" with AllowCredentials`},
		{middleware.CORS{AllowedOrigins: []string{"https://app.example.com/"}}, "bad host"},
		{middleware.CORS{AllowedOrigins: []string{"app.example.com"}}, "not scheme://host"},
		{middleware.CORS{AllowedOrigins: []string{"https://a:b:80"}}, "bad host"},
		{middleware.CORS{AllowedOrigins: []string{"https://app.example.com:99999"}}, "bad port"},
		{middleware.CORS{AllowedOrigins: []string{"https://*example.com"}}, `followed by "."`},
		{middleware.CORS{AllowedOrigins: []string{"https://a*.example.com"}}, "right after scheme://"},
		{middleware.CORS{AllowedOrigins: []string{"https://*.*.example.com"}}, `one "*" only`},
		{middleware.CORS{AllowedOrigins: []string{"*.example.com"}}, "right after scheme://"},
	} {
		err := tt.c.Validate()
		if tt.want == "" {
			if err != nil {
				t.Errorf("%v: Validate() = %v, want nil", tt.c.AllowedOrigins, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: Validate() = %v, want an error with %q", tt.c.AllowedOrigins, err, tt.want)
			continue
		}
		func() {
			defer func() {
				if p := recover(); fmt.Sprint(p) != err.Error() {
					t.Errorf("%v: Wrap panicked with %v, want %v", tt.c.AllowedOrigins, p, err)
				}
			}()
			tt.c.Wrap(http.NotFoundHandler())
		}()
	}
}

// Allow one site and its subdomains to fetch the files, with the
// headers scripts need for ranges; preflights are answered before the
// Handler, errors carry the headers too.
func ExampleCORS() {
	c := &middleware.CORS{
		AllowedOrigins: []string{"https://example.com", "https://*.example.com"},
		MaxAge:         time.Hour,
	}
	h := c.Wrap(newSite())

	for _, r := range []*http.Request{
		httptest.NewRequest("GET", "/missing", nil),
		httptest.NewRequest("OPTIONS", "/file.txt", nil),
	} {
		r.Header.Set("Origin", "https://app.example.com")
		if r.Method == "OPTIONS" {
			r.Header.Set("Access-Control-Request-Method", "GET")
			r.Header.Set("Access-Control-Request-Headers", "Range")
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		fmt.Println(r.Method, r.URL.Path, w.Code)
		for _, k := range corsHeaders {
			if v := w.Header()[k]; v != nil {
				fmt.Printf("  %s: %s\n", k, strings.Join(v, ", "))
			}
		}
	}
	// Output:
	// GET /missing 404
	//   Access-Control-Allow-Origin: https://app.example.com
	//   Access-Control-Expose-Headers: Accept-Ranges, Content-Range, ETag
	//   Vary: Origin
	// OPTIONS /file.txt 204
	//   Access-Control-Allow-Origin: https://app.example.com
	//   Access-Control-Allow-Methods: GET, HEAD
	//   Access-Control-Allow-Headers: range
	//   Access-Control-Max-Age: 3600
	//   Vary: Origin, Access-Control-Request-Method, Access-Control-Request-Headers
}

// BenchmarkCORS compares a staticfs.Handler serving a 1 KiB file in
// process with the same handler behind CORS, for an allowed origin, a
// refused one and a preflight.
func BenchmarkCORS(b *testing.B) {
	site := newSite()
	c := (&middleware.CORS{AllowedOrigins: []string{"https://*.example.com"}}).Wrap(site)
	for _, bc := range []struct {
		name, method, origin string
		h                    http.Handler
	}{
		{"bare", "GET", "https://app.example.com", site},
		{"allowed", "GET", "https://app.example.com", c},
		{"refused", "GET", "https://evil.org", c},
		{"preflight", "OPTIONS", "https://app.example.com", c},
	} {
		b.Run(bc.name, func(b *testing.B) {
			r := httptest.NewRequest(bc.method, "/file.txt", nil)
			r.Header.Set("Origin", bc.origin)
			if bc.method == "OPTIONS" {
				r.Header.Set("Access-Control-Request-Method", "GET")
			}
			benchServe(b, bc.h, r)
		})
	}
}
