package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/google/go-cmp/cmp"
)

// s3Site writes the tree both sides of the S3 tests serve: testdata/site,
// with a sidecar, an empty file, a directory without an index (listed),
// a file large enough to be served in two GETs, and names that need
// escaping.
func s3Site(t *testing.T) string {
	t.Helper()
	root := filepath.Join(t.TempDir(), "site")
	copyTree(t, "../../testdata/site", root)
	css, err := os.ReadFile(filepath.Join(root, "style.css"))
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(css)
	zw.Close()
	big := make([]byte, 3<<20+17) // above the memory cache's 64 KiB: streamed
	for i := range big {
		big[i] = byte(i*31 + i>>9)
	}
	files := map[string][]byte{
		"style.css.gz":          gz.Bytes(),
		"empty.txt":             nil,
		"list/a.txt":            []byte("a\n"),
		"list/b c.txt":          []byte("b c\n"),
		"list/sub/deep.txt":     []byte("deep\n"),
		"big.bin":               big,
		"notes/readme.md":       []byte("# notes\n"),
		"notes/index.html":      []byte("<h1>notes</h1>\n"),
		"weird/100% done.txt":   []byte("done\n"),
		"weird/caf\u00e9.txt":   []byte("caf\u00e9\n"),
		"weird/q?mark.txt":      []byte("q\n"),
		"weird/plus+sign.txt":   []byte("plus\n"),
		".well-known/extra.txt": []byte("extra\n"),
	}
	for name, body := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// withoutBoundary replaces a multipart answer's boundary, random per
// response, with BOUNDARY in its Content-Type and body, so that two
// answers can be compared; ok is false for any other answer.
func withoutBoundary(ctype, body string) (string, string, bool) {
	_, params, err := mime.ParseMediaType(ctype)
	b := params["boundary"]
	if err != nil || b == "" {
		return ctype, body, false
	}
	return strings.ReplaceAll(ctype, b, "BOUNDARY"), strings.ReplaceAll(body, b, "BOUNDARY"), true
}

// exchange is what the differential test compares of one response.
type exchange struct {
	Status int
	Header map[string]string
	Body   string
}

var (
	jsonTimeRe = regexp.MustCompile(`,"modTime":"[^"]*"`)
	htmlTimeRe = regexp.MustCompile(`<td class="time">[^<]*</td>`)
)

// fetchExchange sends one request and normalises what legitimately
// differs between a disk and a bucket: the ETag and Last-Modified
// values (compared by presence only), Date, a multipart boundary, and
// the modification times a listing shows.
func fetchExchange(t *testing.T, client *http.Client, method, url string, hdr map[string]string) exchange {
	t.Helper()
	resp := do(t, client, method, url, hdr)
	body := resp.body
	h := map[string]string{}
	for k, vs := range resp.header {
		switch k {
		case "Date":
			continue
		case "Etag", "Last-Modified":
			h[k] = "present"
			continue
		}
		h[k] = strings.Join(vs, ", ")
	}
	b := string(body)
	if ctype, body, ok := withoutBoundary(h["Content-Type"], b); ok {
		h["Content-Type"], b = ctype, body
	}
	if nb := htmlTimeRe.ReplaceAllString(jsonTimeRe.ReplaceAllString(b, ""), `<td class="time"></td>`); nb != b {
		b = nb
		delete(h, "Content-Length")
	}
	if method == http.MethodHead && resp.status == http.StatusOK && h["Etag"] == "" && h["Last-Modified"] == "" {
		// A generated page (a listing): its length counts the times
		// the GET above removes.
		delete(h, "Content-Length")
	}
	return exchange{resp.status, h, b}
}

// TestS3Differential serves one tree from a directory and from a real
// S3 store (SeaweedFS) through two reference servers and requires the
// same answers: statuses, bodies and every header but the validators'
// values, across ranges, multipart ranges, conditionals, sidecars,
// dotfiles, 404 pages, redirects and listings. Conditionals use each
// server's own validators.
func TestS3Differential(t *testing.T) {
	longRun(t)
	w := startWeed(t)
	site := s3Site(t)
	w.makeBucket(t, "site", "v1/", site)
	common := []string{"-log-headers", "off", "-listing"}
	disk := start(t, append([]string{"-root", site}, common...)...)
	bucket := startEnv(t, w.env(), append([]string{"-root", "s3://site/v1", "-s3-path-style"}, common...)...)
	client := &http.Client{
		Transport:     &http.Transport{DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	defer client.CloseIdleConnections()

	targets := []string{
		"/", "/index.html", "/style.css", "/app.js", "/img/logo.png", "/404.html",
		"/docs", "/docs/", "/docs/guide.txt", "/docs/index.html", "/docs/nope.txt",
		"/nope", "/nope/deeper.txt", "/.env", "/.well-known/security.txt", "/.well-known/",
		"/big.bin", "/empty.txt", "/list", "/list/", "/list/sub/", "/list/b%20c.txt",
		"/notes/", "/notes/readme.md", "/weird/", "/weird/100%25%20done.txt",
		"/weird/caf%C3%A9.txt", "/weird/q%3Fmark.txt", "/weird/plus+sign.txt",
		"/style.css.gz", "/index.html/", "/docs/guide.txt?x=1",
	}
	headerSets := []map[string]string{
		nil,
		{"Accept-Encoding": "gzip"},
		{"Accept-Encoding": "br, gzip"},
		{"Accept": "application/json"},
		{"Range": "bytes=0-99"},
		{"Range": "bytes=10-20, 50-60"},
		{"Range": "bytes=-10"},
		{"Range": "bytes=1000000000-"},
		{"Range": "bytes=2000000-2100000"},
	}
	var mismatches []string
	n := 0
	compare := func(method, target string, hdr map[string]string) {
		n++
		a := fetchExchange(t, client, method, disk.url+target, hdr)
		b := fetchExchange(t, client, method, bucket.url+target, hdr)
		if diff := cmp.Diff(a, b); diff != "" {
			mismatches = append(mismatches, method+" "+target+" "+headerString(hdr)+" (-disk +s3):\n"+diff)
		}
	}
	for _, target := range targets {
		for _, method := range []string{"GET", "HEAD"} {
			for _, hdr := range headerSets {
				compare(method, target, hdr)
			}
		}
		// Conditionals with each server's own validators.
		tagA, dateA := validators(t, client, disk.url+target)
		tagB, dateB := validators(t, client, bucket.url+target)
		for _, c := range []struct{ name, a, b string }{
			{"If-None-Match", tagA, tagB},
			{"If-Modified-Since", dateA, dateB},
			{"If-Match", tagA, tagB},
		} {
			if c.a == "" && c.b == "" {
				continue
			}
			ha, hb := map[string]string{c.name: c.a}, map[string]string{c.name: c.b}
			ea := fetchExchange(t, client, "GET", disk.url+target, ha)
			eb := fetchExchange(t, client, "GET", bucket.url+target, hb)
			n++
			if diff := cmp.Diff(ea, eb); diff != "" {
				mismatches = append(mismatches, "GET "+target+" "+c.name+" own (-disk +s3):\n"+diff)
			}
		}
		if tagA != "" || tagB != "" {
			ea := fetchExchange(t, client, "GET", disk.url+target, map[string]string{"If-Range": tagA, "Range": "bytes=0-9"})
			eb := fetchExchange(t, client, "GET", bucket.url+target, map[string]string{"If-Range": tagB, "Range": "bytes=0-9"})
			n++
			if diff := cmp.Diff(ea, eb); diff != "" {
				mismatches = append(mismatches, "GET "+target+" If-Range own (-disk +s3):\n"+diff)
			}
		}
	}
	t.Logf("%d exchanges compared, %d differ", n, len(mismatches))
	for i, m := range mismatches {
		if i == 20 {
			t.Errorf("... and %d more", len(mismatches)-20)
			break
		}
		t.Error(m)
	}
	// The big file's bytes are the object's, streamed whole.
	got := fetchExchange(t, client, "GET", bucket.url+"/big.bin", nil)
	if want := w.object(t, "site", "v1/big.bin"); got.Body != string(want) {
		t.Errorf("big.bin through the server: %d bytes, not the object's %d", len(got.Body), len(want))
	}
	if strings.Contains(bucket.stderr.String(), weedSecretKey) || strings.Contains(bucket.stderr.String(), weedAccessKey) {
		t.Errorf("the server logged a credential:\n%s", bucket.stderr)
	}
	checkS3Startup(t, w)
	checkS3Changes(t, w, client)
}

// checkS3Changes: with -s3-list-ttl 0 a replaced object is served in its
// new version at once, with a new ETag, and a deleted one is a 404.
func checkS3Changes(t *testing.T, w *weed, client *http.Client) {
	ctx := context.Background()
	put := func(body string) {
		if _, err := w.client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("site"), Key: aws.String("v1/changing.txt"), Body: strings.NewReader(body)}); err != nil {
			t.Fatal(err)
		}
	}
	put("first version\n")
	s := startEnv(t, w.env(), "-root", "s3://site/v1", "-s3-path-style", "-s3-list-ttl", "0", "-log-headers", "off")
	first := do(t, client, "GET", s.url+"/changing.txt", nil)
	put("second, longer version\n")
	second := do(t, client, "GET", s.url+"/changing.txt", nil)
	if _, err := w.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("site"), Key: aws.String("v1/changing.txt")}); err != nil {
		t.Fatal(err)
	}
	gone := do(t, client, "GET", s.url+"/changing.txt", nil)
	got := []string{fmt.Sprint(first.status), string(first.body), fmt.Sprint(second.status), string(second.body), fmt.Sprint(gone.status)}
	want := []string{"200", "first version\n", "200", "second, longer version\n", "404"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("a replaced, then deleted object with -s3-list-ttl 0 (-want +got):\n%s", diff)
	}
	if first.etag() == second.etag() {
		t.Errorf("both versions have ETag %s", first.etag())
	}
}

// checkS3Startup: a bucket that does not exist and a wrong secret stop
// the server at start, exit status 1, with one line naming the store's
// error code and neither the endpoint nor a credential.
func checkS3Startup(t *testing.T, w *weed) {
	for _, c := range []struct {
		name, root string
		env        []string
		want       string
	}{
		{"no such bucket", "s3://nosuchbucket/x", w.env(),
			"fileserver: -root s3://nosuchbucket/x: cannot list the bucket (NoSuchBucket): s3fs: the store failed: staticfs: storage failed\n"},
		{"wrong secret", "s3://site/v1", append(w.env(), "AWS_SECRET_ACCESS_KEY=not-the-secret"),
			"fileserver: -root s3://site/v1: cannot list the bucket (SignatureDoesNotMatch): s3fs: the store failed: staticfs: storage failed\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cmd := exec.Command(binary, "-root", c.root, "-s3-path-style", "-addr", "127.0.0.1:0")
			cmd.Dir = "../.."
			cmd.Env = append(withoutAWS(os.Environ()), c.env...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			if code := cmd.ProcessState.ExitCode(); code != 1 {
				t.Errorf("exit status %d (%v), want 1", code, err)
			}
			if diff := cmp.Diff(c.want, stderr.String()); diff != "" {
				t.Errorf("stderr (-want +got):\n%s", diff)
			}
			host := strings.TrimPrefix(w.endpoint, "http://")
			for _, secret := range []string{host, weedAccessKey, weedSecretKey, "not-the-secret"} {
				if strings.Contains(stderr.String(), secret) {
					t.Errorf("stderr names %q", secret)
				}
			}
		})
	}
}

// validators returns the ETag and Last-Modified of a GET of url.
func validators(t *testing.T, client *http.Client, url string) (string, string) {
	t.Helper()
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
}

func headerString(h map[string]string) string {
	var parts []string
	for k, v := range h {
		parts = append(parts, k+": "+v)
	}
	sort.Strings(parts)
	return "[" + strings.Join(parts, "; ") + "]"
}

// TestS3Flags: a bad bucket URI, half a key pair, an endpoint that is no
// http(s) URL or carries credentials, and -s3-path-style without a
// bucket exit 2 with one line that quotes no secret.
func TestS3Flags(t *testing.T) {
	tests := []struct {
		args []string
		env  []string
		want string
	}{
		{[]string{"-root", "s3://"}, nil, "fileserver: -root \"s3://\": want s3://bucket or s3://bucket/prefix\n"},
		{[]string{"-root", "s3://b?x=1"}, nil, "fileserver: -root \"s3://b?x=1\": want s3://bucket or s3://bucket/prefix\n"},
		{[]string{"-root", "s3://b/site"}, []string{"AWS_ACCESS_KEY_ID=AKIDHALF"},
			"fileserver: -root s3://…: set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither for a public bucket\n"},
		{[]string{"-root", "s3://b/site"}, []string{"AWS_SECRET_ACCESS_KEY=only-the-secret"},
			"fileserver: -root s3://…: set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither for a public bucket\n"},
		{[]string{"-root", "s3://b"}, []string{"AWS_ENDPOINT_URL=ftp://127.0.0.1:21"},
			"fileserver: AWS_ENDPOINT_URL: want an http:// or https:// URL without credentials\n"},
		{[]string{"-root", "s3://b"}, []string{"AWS_ENDPOINT_URL=http://user:hunter2@127.0.0.1:9000"},
			"fileserver: AWS_ENDPOINT_URL: want an http:// or https:// URL without credentials\n"},
		{[]string{"-s3-path-style"}, nil, "fileserver: -s3-path-style without -root s3://…: there is no bucket to address\n"},
		{[]string{"-s3-list-ttl", "1s"}, nil, "fileserver: -s3-list-ttl without -root s3://…: there is no bucket to list\n"},
		{[]string{"-root", "s3://b", "-s3-list-ttl", "-1s"}, nil, "fileserver: -s3-list-ttl -1s: want 0 (list on every lookup) or a positive duration\n"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(append(tt.args, tt.env...), " "), func(t *testing.T) {
			cmd := exec.Command(binary, tt.args...)
			cmd.Dir = "../.."
			cmd.Env = append(withoutAWS(os.Environ()), tt.env...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			if code := cmd.ProcessState.ExitCode(); code != 2 {
				t.Errorf("exit status %d (%v), want 2", code, err)
			}
			if diff := cmp.Diff(tt.want, stderr.String()); diff != "" {
				t.Errorf("stderr (-want +got):\n%s", diff)
			}
		})
	}
}

// withoutAWS drops the AWS_ variables of env, so that the machine's own
// configuration does not reach a test.
func withoutAWS(env []string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "AWS_") {
			out = append(out, kv)
		}
	}
	return out
}
