package main

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/crypto/bcrypt"
)

// TestPiecesFlags runs the server with -basic-auth, -security-headers,
// -cors and -health and checks each over TCP.
func TestPiecesFlags(t *testing.T) {
	hash, err := bcrypt.GenerateFromPassword([]byte("s3cret"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	users := filepath.Join(t.TempDir(), "users.txt")
	if err := os.WriteFile(users, []byte("# staging\nalice:"+string(hash)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := start(t, "-basic-auth", users, "-security-headers", "-cors", "https://app.example", "-health", "/health", "-log-headers", "off")
	type res struct {
		Status                            int
		Auth, Frame, AllowOrigin, Allowed string
	}
	do := func(method, target string, hdr map[string]string, user string) res {
		req, _ := http.NewRequest(method, s.url+target, nil)
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		if user != "" {
			req.SetBasicAuth(user, "s3cret")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return res{resp.StatusCode, resp.Header.Get("WWW-Authenticate"), resp.Header.Get("X-Frame-Options"),
			resp.Header.Get("Access-Control-Allow-Origin"), resp.Header.Get("Access-Control-Allow-Methods")}
	}
	origin := map[string]string{"Origin": "https://app.example"}
	tests := []struct {
		name, method, target string
		hdr                  map[string]string
		user                 string
		want                 res
	}{
		{"health without credentials", "GET", "/health", nil, "", res{Status: 200}},
		{"readiness", "GET", "/health/ready", nil, "", res{Status: 200}},
		{"file without credentials", "GET", "/style.css", nil, "", res{401, `Basic realm="Restricted", charset="UTF-8"`, "SAMEORIGIN", "", ""}},
		{"file with credentials", "GET", "/style.css", nil, "alice", res{Status: 200, Frame: "SAMEORIGIN"}},
		{"wrong user", "GET", "/style.css", nil, "bob", res{401, `Basic realm="Restricted", charset="UTF-8"`, "SAMEORIGIN", "", ""}},
		{"cross-origin read", "GET", "/style.css", origin, "alice", res{Status: 200, Frame: "SAMEORIGIN", AllowOrigin: "https://app.example"}},
		{"preflight", "OPTIONS", "/style.css", map[string]string{"Origin": "https://app.example", "Access-Control-Request-Method": "GET"}, "",
			res{Status: 204, AllowOrigin: "https://app.example", Allowed: "GET, HEAD"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, do(tt.method, tt.target, tt.hdr, tt.user)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}

	bad := filepath.Join(t.TempDir(), "bad.txt")
	os.WriteFile(bad, []byte("alice:plaintext\n"), 0o600)
	out, code := runBinaryOut(t, "-basic-auth", bad)
	if want := "fileserver: -basic-auth \"" + bad + "\": line 1: user \"alice\": not a bcrypt hash\n"; code != 2 || out != want {
		t.Errorf("bad -basic-auth: exit %d, %q; want 2, %q", code, out, want)
	}
}
