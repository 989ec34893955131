package middleware_test

import (
	"io"
	"net/http"
	"testing"

	"github.com/webstatic/webstatic/middleware"
	"golang.org/x/crypto/bcrypt"
)

// TestPiecesKeepWriter checks, over TCP, what each piece hands the
// wrapped handler: net/http's own writer where the piece does not wrap
// it, and otherwise a writer with net/http's io.ReaderFrom (sendfile),
// http.Flusher and http.Hijacker whose Unwrap returns net/http's.
func TestPiecesKeepWriter(t *testing.T) {
	hash, _ := bcrypt.GenerateFromPassword([]byte("pw"), bcrypt.MinCost)
	for _, tt := range []struct {
		name    string
		wrap    func(http.Handler) http.Handler
		wrapped bool
	}{
		{"CORS", (&middleware.CORS{AllowedOrigins: []string{"https://a.example"}}).Wrap, false},
		{"BasicAuth", (&middleware.BasicAuth{Users: map[string][]byte{"u": hash}}).Wrap, false},
		{"Health", (&middleware.Health{}).Wrap, false},
		{"SecurityHeaders without CSP", (&middleware.SecurityHeaders{Omit: []string{"Content-Security-Policy"}}).Wrap, false},
		{"SecurityHeaders", (&middleware.SecurityHeaders{}).Wrap, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var outer, inner http.ResponseWriter
			h := tt.wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { inner = w }))
			s := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { outer = w; h.ServeHTTP(w, r) }))
			do(t, s, "GET", "/file.txt", map[string]string{"Origin": "https://a.example", "Authorization": basic("u", "pw")})
			if inner == nil {
				t.Fatal("the wrapped handler did not run")
			}
			if !tt.wrapped {
				if inner != outer {
					t.Errorf("the handler got writer %T, want net/http's own %T", inner, outer)
				}
				return
			}
			_, rf := inner.(io.ReaderFrom)
			_, fl := inner.(http.Flusher)
			_, hj := inner.(http.Hijacker)
			u, _ := inner.(interface{ Unwrap() http.ResponseWriter })
			if !rf || !fl || !hj || u == nil || u.Unwrap() != outer {
				t.Errorf("writer %T: ReaderFrom %v, Flusher %v, Hijacker %v, Unwrap to net/http's %v; want all", inner, rf, fl, hj, u != nil && u.Unwrap() == outer)
			}
		})
	}
}
