package middleware_test

import (
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/webstatic/webstatic/middleware"
	"github.com/webstatic/webstatic/staticfs/conn"
	"golang.org/x/crypto/bcrypt"
)

// hashOf returns a bcrypt hash of password at the lowest cost, to keep
// the tests fast.
func hashOf(t testing.TB, password string) []byte {
	t.Helper()
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func basic(user, password string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password))
}

// TestBasicAuth sends requests over TCP to a staticfs.Handler behind
// BasicAuth and compares the status, the challenge, and how many times
// the password was checked with bcrypt: once for a wrong password and
// once for an unknown user, so that both take the same time, and never
// without credentials.
func TestBasicAuth(t *testing.T) {
	auth := &middleware.BasicAuth{
		Users: map[string][]byte{"alice": hashOf(t, "s3cret"), "bob": hashOf(t, "hunter2")},
		Realm: "staging",
	}
	var mu sync.Mutex
	var costs []int // of the hashes compared, per request
	middleware.SetBasicAuthCompare(auth, func(hash, password []byte) error {
		c, _ := bcrypt.Cost(hash)
		mu.Lock()
		costs = append(costs, c)
		mu.Unlock()
		return bcrypt.CompareHashAndPassword(hash, password)
	})
	s := serve(t, auth.Wrap(newSite()))
	challenge := []string{`Basic realm="staging", charset="UTF-8"`}

	type answer struct {
		Status    int
		Challenge []string
		Compares  []int // costs of the hashes bcrypt checked
	}
	for _, tt := range []struct {
		name          string
		method, path  string
		authorization string
		want          answer
	}{
		{"right password", "GET", "/file.txt", basic("alice", "s3cret"), answer{200, nil, []int{4}}},
		{"other user", "GET", "/missing", basic("bob", "hunter2"), answer{404, nil, []int{4}}},
		{"wrong password", "GET", "/file.txt", basic("alice", "hunter2"), answer{401, challenge, []int{4}}},
		{"unknown user", "GET", "/file.txt", basic("mallory", "s3cret"), answer{401, challenge, []int{4}}},
		{"name in other case", "GET", "/file.txt", basic("Alice", "s3cret"), answer{401, challenge, []int{4}}},
		{"empty user", "GET", "/file.txt", basic("", "s3cret"), answer{401, challenge, []int{4}}},
		{"no credentials", "GET", "/file.txt", "", answer{401, challenge, nil}},
		{"not Basic", "GET", "/file.txt", "Bearer abc", answer{401, challenge, nil}},
		{"bad base64", "GET", "/file.txt", "Basic !!!", answer{401, challenge, nil}},
		{"HEAD", "HEAD", "/file.txt", "", answer{401, challenge, nil}},
		{"OPTIONS needs credentials too", "OPTIONS", "/file.txt", "", answer{401, challenge, nil}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			costs = nil
			h := map[string]string{}
			if tt.authorization != "" {
				h["Authorization"] = tt.authorization
			}
			resp := do(t, s, tt.method, tt.path, h)
			mu.Lock()
			got := answer{resp.StatusCode, resp.Header["Www-Authenticate"], costs}
			mu.Unlock()
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if resp.StatusCode == 401 {
				if got, want := resp.Header.Get("Content-Length"), "17"; got != want {
					t.Errorf("Content-Length = %q, want %q", got, want)
				}
			}
		})
	}
}

// TestBasicAuthZeroValue checks that the zero value lets nobody in and
// runs no bcrypt.
func TestBasicAuthZeroValue(t *testing.T) {
	auth := &middleware.BasicAuth{}
	calls := 0
	middleware.SetBasicAuthCompare(auth, func(hash, password []byte) error { calls++; return nil })
	h := auth.Wrap(newSite())
	r := httptest.NewRequest("GET", "/file.txt", nil)
	r.Header.Set("Authorization", basic("", ""))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != 401 || calls != 0 {
		t.Errorf("zero value: status %d after %d compares, want 401 after 0", w.Code, calls)
	}
	if got, want := w.Header().Get("WWW-Authenticate"), `Basic realm="Restricted", charset="UTF-8"`; got != want {
		t.Errorf("WWW-Authenticate = %q, want %q", got, want)
	}
}

// TestBasicAuthValidate checks the settings Wrap refuses, and that no
// error shows a hash.
func TestBasicAuthValidate(t *testing.T) {
	for _, tt := range []struct {
		a    middleware.BasicAuth
		want string
	}{
		{middleware.BasicAuth{Users: map[string][]byte{"a": hashOf(t, "x")}, Realm: "Zoë's site"}, ""},
		{middleware.BasicAuth{Users: map[string][]byte{"a": []byte("$1$plainmd5crypt")}}, `user "a": not a bcrypt hash`},
		{middleware.BasicAuth{Users: map[string][]byte{"a:b": hashOf(t, "x")}}, "colon"},
		{middleware.BasicAuth{Realm: `say "hi"`}, "quote"},
		{middleware.BasicAuth{Realm: "a\nb"}, "control byte"},
	} {
		err := tt.a.Validate()
		if tt.want == "" {
			if err != nil {
				t.Errorf("Validate() = %v, want nil", err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Validate() = %v, want an error with %q", err, tt.want)
		}
		if err != nil && strings.Contains(err.Error(), "plainmd5") {
			t.Errorf("Validate() = %v: shows the hash", err)
		}
	}
}

// TestBasicAuthNeverLogged sends right and wrong credentials through
// AccessLog, HeaderLog (raw heads captured by the connection layer, and
// heads rebuilt without it) and BasicAuth, and checks that no log holds
// the password, the encoded credentials or the hash.
func TestBasicAuthNeverLogged(t *testing.T) {
	const password = "correct-horse-battery"
	hash := hashOf(t, password)
	for _, capture := range []bool{true, false} {
		t.Run("capture="+strconv.FormatBool(capture), func(t *testing.T) {
			var access, heads syncBuffer
			auth := &middleware.BasicAuth{Users: map[string][]byte{"alice": hash}}
			h := (&middleware.AccessLog{Out: &access}).Wrap(
				(&middleware.HeaderLog{Out: &heads, Format: middleware.Raw}).Wrap(auth.Wrap(newSite())))
			addr := serveLayer(t, conn.Policy{CaptureHeaders: capture}, h)
			var statuses []int
			for _, cred := range []string{basic("alice", password), basic("alice", password+"x"), basic("eve", password)} {
				req, _ := http.NewRequest("GET", "http://"+addr+"/file.txt", nil)
				req.Header.Set("Authorization", cred)
				req.Header.Set("Proxy-Authorization", cred)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				statuses = append(statuses, resp.StatusCode)
			}
			http.DefaultClient.CloseIdleConnections()
			if want := []int{200, 401, 401}; !slices.Equal(statuses, want) {
				t.Fatalf("statuses %v, want %v", statuses, want)
			}
			secrets := []string{password, base64.StdEncoding.EncodeToString([]byte("alice:" + password)), string(hash), string(hash[7:])}
			for name, out := range map[string]string{"AccessLog": access.String(), "HeaderLog": heads.String()} {
				if !strings.Contains(out, "file.txt") {
					t.Fatalf("%s logged nothing of the requests:\n%s", name, out)
				}
				for _, s := range secrets {
					if strings.Contains(out, s) {
						t.Errorf("%s holds the credential %q:\n%s", name, s, out)
					}
				}
			}
			if got := strings.Count(heads.String(), "Authorization: [REDACTED]"); got != 6 {
				t.Errorf("HeaderLog redacted %d Authorization lines, want 6:\n%s", got, heads.String())
			}
		})
	}
}

// TestBasicAuthTiming measures, at bcrypt's default cost, how long a
// refused request takes with a wrong password and with an unknown user,
// and logs the medians. It asserts nothing about time (that would be
// flaky); it runs only with BASICAUTH_TIMING set to the number of
// attempts:
//
//	BASICAUTH_TIMING=200 go test -run TestBasicAuthTiming -v ./middleware/
func TestBasicAuthTiming(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("BASICAUTH_TIMING"))
	if n <= 0 {
		t.Skip("set BASICAUTH_TIMING=N to measure N attempts of each")
	}
	hash, err := bcrypt.GenerateFromPassword([]byte("s3cret"), bcrypt.DefaultCost)
	if err != nil {
		t.Fatal(err)
	}
	users := map[string][]byte{"alice": hash}
	for i := range 99 { // a realistic file: the name is found among others
		users["user"+strconv.Itoa(i)] = hash
	}
	h := (&middleware.BasicAuth{Users: users}).Wrap(http.NotFoundHandler())
	attempt := func(user string) time.Duration {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Authorization", basic(user, "wrong"))
		w := httptest.NewRecorder()
		start := time.Now()
		h.ServeHTTP(w, r)
		d := time.Since(start)
		if w.Code != 401 {
			t.Fatalf("status %d, want 401", w.Code)
		}
		return d
	}
	var wrong, unknown []time.Duration
	for range n { // interleaved, so that load changes hit both alike
		wrong = append(wrong, attempt("alice"))
		unknown = append(unknown, attempt("mallory"))
	}
	slices.Sort(wrong)
	slices.Sort(unknown)
	q := func(d []time.Duration, p int) time.Duration { return d[len(d)*p/100].Round(10 * time.Microsecond) }
	mw, mu := q(wrong, 50), q(unknown, 50)
	t.Logf("%d attempts each at cost %d: wrong password median %v (p25 %v, p75 %v), unknown user median %v (p25 %v, p75 %v), difference %.2f%%",
		n, bcrypt.DefaultCost, mw, q(wrong, 25), q(wrong, 75), mu, q(unknown, 25), q(unknown, 75), 100*float64(mu-mw)/float64(mw))
}

// Protect a staging site. The hashes come from htpasswd -B or from
// bcrypt.GenerateFromPassword, and usually from a file read with
// ParseUsers.
func ExampleBasicAuth() {
	hash, _ := bcrypt.GenerateFromPassword([]byte("s3cret"), bcrypt.MinCost)
	auth := &middleware.BasicAuth{Users: map[string][]byte{"alice": hash}, Realm: "staging"}
	h := auth.Wrap(newSite())

	for _, password := range []string{"guess", "s3cret"} {
		r := httptest.NewRequest("GET", "/file.txt", nil)
		r.SetBasicAuth("alice", password)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		fmt.Println(password, w.Code, w.Header().Get("WWW-Authenticate"))
	}
	// Output:
	// guess 401 Basic realm="staging", charset="UTF-8"
	// s3cret 200
}

// BenchmarkBasicAuth compares a staticfs.Handler serving a 1 KiB file in
// process with the same handler behind BasicAuth, at bcrypt's lowest
// cost (at the default cost 10, bcrypt's ~50 ms is all there is), and
// the refusal of a request without credentials, which runs no bcrypt.
func BenchmarkBasicAuth(b *testing.B) {
	site := newSite()
	auth := (&middleware.BasicAuth{Users: map[string][]byte{"alice": hashOf(b, "s3cret")}}).Wrap(site)
	for _, bc := range []struct {
		name, authorization string
		h                   http.Handler
	}{
		{"bare", "", site},
		{"allowed/cost4", basic("alice", "s3cret"), auth},
		{"unknown/cost4", basic("eve", "s3cret"), auth},
		{"no-credentials", "", auth},
	} {
		b.Run(bc.name, func(b *testing.B) {
			r := httptest.NewRequest("GET", "/file.txt", nil)
			if bc.authorization != "" {
				r.Header.Set("Authorization", bc.authorization)
			}
			benchServe(b, bc.h, r)
		})
	}
}
