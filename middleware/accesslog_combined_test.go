package middleware_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/webstatic/webstatic/middleware"
)

// TestAccessLogCombined: the combined format adds the Referer and the
// User-Agent, escaped, "-" for none; a Logger's record gets them as
// attributes.
func TestAccessLogCombined(t *testing.T) {
	var out bytes.Buffer
	h := (&middleware.AccessLog{Out: &out, Combined: true}).Wrap(ok)
	for _, hdr := range []map[string]string{
		{"Referer": "https://example.com/a", "User-Agent": "curl/8.5.0"},
		{"User-Agent": "evil\"\n127.0.0.1 - - forged"},
		{},
	} {
		r := httptest.NewRequest("GET", "/x", nil)
		for k, v := range hdr {
			r.Header.Set(k, v)
		}
		h.ServeHTTP(httptest.NewRecorder(), r)
	}
	re := regexp.MustCompile(`(?m)^\S+ - - \[[^\]]+\] "GET /x HTTP/1.1" 200 2 "(.*)" "(.*)" \d+\.\d{6} conn=- req=-$`)
	var got [][]string
	for _, m := range re.FindAllStringSubmatch(out.String(), -1) {
		got = append(got, m[1:])
	}
	want := [][]string{{"https://example.com/a", "curl/8.5.0"}, {"-", `evil\"\n127.0.0.1 - - forged`}, {"-", "-"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("combined lines (-want +got):\n%s\nlog:\n%s", diff, out.String())
	}
	if n := bytes.Count(out.Bytes(), []byte("\n")); n != 3 {
		t.Errorf("%d lines for 3 requests: a header forged one", n)
	}

	var js bytes.Buffer
	h = (&middleware.AccessLog{Logger: slog.New(slog.NewJSONHandler(&js, nil)), Combined: true}).Wrap(ok)
	r := httptest.NewRequest("GET", "/x", nil)
	r.Header.Set("Referer", "https://example.com/")
	h.ServeHTTP(httptest.NewRecorder(), r)
	var rec map[string]any
	if err := json.Unmarshal(js.Bytes(), &rec); err != nil {
		t.Fatalf("%v: %s", err, js.String())
	}
	if rec["referer"] != "https://example.com/" || rec["user_agent"] != "" || rec["status"] != float64(http.StatusOK) {
		t.Errorf("JSON record %v", rec)
	}
}
