package middleware_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/webstatic/webstatic/middleware"
)

// TestCORSBrowser loads a page from one origin in headless Chromium
// whose script fetches from servers on other origins behind CORS, and
// compares what the browser let the script read with what the policy
// allows: plain and preflighted requests, exposed and hidden headers, a
// 404 and a 416, credentials with and without
// Access-Control-Allow-Credentials, and an origin the policy refuses.
func TestCORSBrowser(t *testing.T) {
	browser := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			browser = p
			break
		}
	}
	if browser == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("chromium not found; .ci/run installs it")
		}
		t.Skip("chromium not found: apt-get install chromium")
	}
	t.Parallel()

	report := make(chan []byte, 1)
	var html atomic.Pointer[string] // the page, set once the servers' addresses are known
	page := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/report" {
			body, _ := io.ReadAll(r.Body)
			select {
			case report <- body:
			default:
			}
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, *html.Load())
	}))
	origin := page.URL // http://127.0.0.1:port
	files := func(c middleware.CORS) string {
		s := serve(t, c.Wrap(newSite()))
		return s.URL
	}
	b := files(middleware.CORS{AllowedOrigins: []string{origin}, AllowedHeaders: []string{"Range", "X-Allowed"}})
	c := files(middleware.CORS{AllowedOrigins: []string{origin}, AllowCredentials: true})
	d := files(middleware.CORS{AllowedOrigins: []string{"http://example.com"}})

	p := strings.NewReplacer("$B", b, "$C", c, "$D", d).Replace(corsPage)
	html.Store(&p)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, browser,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+t.TempDir(), page.URL+"/")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cancel(); cmd.Wait() }()

	var got map[string]string
	select {
	case body := <-report:
		if err := json.Unmarshal(body, &got); err != nil {
			t.Fatalf("report %q: %v", body, err)
		}
	case <-ctx.Done():
		t.Fatal("the page reported nothing within 30 s")
	}
	want := map[string]string{
		"GET":                         "allowed 200 1024",
		"404":                         "allowed 404",
		"416, Range":                  "allowed 416",
		"206, Range":                  "allowed 206 bytes 0-3/1024",
		"ETag exposed":                "allowed true",
		"nosniff not exposed":         "allowed null",
		"preflight, allowed header":   "allowed 200",
		"preflight, refused header":   "refused",
		"preflight, refused method":   "refused",
		"credentials, not allowed":    "refused",
		"credentials, allowed":        "allowed 200",
		"credentials, missing file":   "allowed 404",
		"other origin":                "refused",
		"other origin, missing file":  "refused",
		"no credentials, allowed one": "allowed 200",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("what the browser allowed (-want +got):\n%s", diff)
	}
}

const corsPage = `<!doctype html>
<meta charset="utf-8">
<title>CORS probe</title>
<script type="module">
async function probe(name, url, init, read) {
  try {
    const r = await fetch(url, init);
    return [name, "allowed " + (read ? await read(r) : r.status)];
  } catch (e) {
    return [name, "refused"];
  }
}
const inc = {credentials: "include"};
const results = await Promise.all([
  probe("GET", "$B/file.txt", {}, async r => r.status + " " + (await r.arrayBuffer()).byteLength),
  probe("404", "$B/missing"),
  probe("416, Range", "$B/file.txt", {headers: {Range: "bytes=5000-"}}),
  probe("206, Range", "$B/file.txt", {headers: {Range: "bytes=0-3"}}, r => r.status + " " + r.headers.get("Content-Range")),
  probe("ETag exposed", "$B/file.txt", {}, r => String(r.headers.get("ETag") !== null)),
  probe("nosniff not exposed", "$B/file.txt", {}, r => String(r.headers.get("X-Content-Type-Options"))),
  probe("preflight, allowed header", "$B/file.txt?h", {headers: {"X-Allowed": "1"}}),
  probe("preflight, refused header", "$B/file.txt?r", {headers: {"X-Other": "1"}}),
  probe("preflight, refused method", "$B/file.txt", {method: "PUT"}),
  probe("credentials, not allowed", "$B/file.txt?c", inc),
  probe("credentials, allowed", "$C/file.txt", inc),
  probe("credentials, missing file", "$C/missing", inc),
  probe("no credentials, allowed one", "$C/file.txt?n"),
  probe("other origin", "$D/file.txt"),
  probe("other origin, missing file", "$D/missing"),
]);
await fetch("/report", {method: "POST", body: JSON.stringify(Object.fromEntries(results))});
document.body.textContent = "reported";
</script>
`
