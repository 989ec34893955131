package staticfs_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/afero"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// modTime is the modification time of every fixture file.
var modTime = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// memSite builds a MemMapFs from rooted names to contents; names ending
// in "/" are empty directories. Every file and directory gets modTime.
func memSite(t testing.TB, files map[string]string) afero.Fs {
	t.Helper()
	fsys := afero.NewMemMapFs()
	for name, body := range files {
		if strings.HasSuffix(name, "/") {
			if err := fsys.MkdirAll(name, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := fsys.MkdirAll(path.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := afero.WriteFile(fsys, name, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	afero.Walk(fsys, "/", func(name string, _ os.FileInfo, err error) error {
		if err == nil {
			err = fsys.Chtimes(name, modTime, modTime)
		}
		return err
	})
	return fsys
}

// diskSiteFs writes the same kind of map as memSite to a temporary
// directory and serves it through BasePathFs, as on a real server.
func diskSiteFs(t testing.TB, files map[string]string) afero.Fs {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(name, "/") {
			continue
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, modTime, modTime); err != nil {
			t.Fatal(err)
		}
	}
	return afero.NewBasePathFs(afero.NewOsFs(), dir)
}

// backends are the two kinds of filesystem the rule tables run on.
var backends = map[string]func(testing.TB, map[string]string) afero.Fs{
	"MemMapFs":   memSite,
	"BasePathFs": diskSiteFs,
}

// result is what a test compares of a response.
type result struct {
	Status int
	Header map[string]string // only the names the case asks about; "" if absent
	Body   string
}

// serve starts h on a real TCP listener on 127.0.0.1 and returns a
// function that sends one request and reads the result, without following
// redirects.
func serve(t *testing.T, h http.Handler) func(method, target string, reqHeader map[string]string, names ...string) result {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	client := srv.Client()
	// Tests set Accept-Encoding themselves and see the bytes as sent.
	client.Transport.(*http.Transport).DisableCompression = true
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return func(method, target string, reqHeader map[string]string, names ...string) result {
		t.Helper()
		got := fetchFull(t, client, srv.URL+target, method, reqHeader)
		return result{Status: got.Status, Header: pick(got.Header, names), Body: got.Body}
	}
}

func pick(h http.Header, names []string) map[string]string {
	if len(names) == 0 {
		return nil
	}
	m := make(map[string]string, len(names))
	for _, n := range names {
		m[n] = strings.Join(h.Values(n), ", ")
	}
	return m
}

// headerNames lists the headers a case's want names, so the comparison
// covers exactly those.
func headerNames(want map[string]string) []string {
	names := make([]string, 0, len(want))
	for n := range want {
		names = append(names, n)
	}
	return names
}

// reqCase is one request of a table and the result it must get.
type reqCase struct {
	method, target string // method "" is GET
	want           result
}

// checkCases sends each case through do and compares the status, the
// headers the case names, and the body.
func checkCases(t *testing.T, do func(string, string, map[string]string, ...string) result, cases []reqCase) {
	t.Helper()
	for _, tt := range cases {
		method := tt.method
		if method == "" {
			method = "GET"
		}
		t.Run(method+" "+tt.target, func(t *testing.T) {
			got := do(method, tt.target, nil, headerNames(tt.want.Header)...)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s %s (-want +got):\n%s", method, tt.target, diff)
			}
		})
	}
}

type httpTestServer = httptest.Server

func newTestServer(h http.Handler) *httptest.Server { return httptest.NewServer(h) }
