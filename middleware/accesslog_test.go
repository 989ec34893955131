package middleware_test

import (
	"encoding/json"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/webstatic/webstatic/middleware"
	"github.com/webstatic/webstatic/staticfs/conn"
)

func TestAccessLogCommonLogFormat(t *testing.T) {
	var out syncBuffer
	addr := serveLayer(t, conn.Policy{}, (&middleware.AccessLog{Out: &out}).Wrap(http.StripPrefix("/static", ok)))
	rawRoundTrip(t, addr, "GET /static/a%22b?x=1 HTTP/1.1\r\nHost: x\r\n\r\nGET /static/ HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", 2)
	rawRoundTrip(t, addr, "HEAD /static/h HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 0)
	re := regexp.MustCompile(`^127\.0\.0\.1 - - \[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}\] "([^"]*)" (\d+) (\d+) (\d+\.\d{6}) conn=(\S+) req=(\S+)$`)
	var got [][]string
	for _, line := range strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n") {
		m := re.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("not a Common Log Format line: %q", line)
		}
		got = append(got, []string{m[1], m[2], m[3], m[5], m[6]})
	}
	// The target is the one the client sent, before StripPrefix.
	want := [][]string{
		{"GET /static/a%22b?x=1 HTTP/1.1", "200", "2", "1", "1"},
		{"GET /static/ HTTP/1.0", "200", "2", "1", "2"},
		{"HEAD /static/h HTTP/1.1", "200", "0", "2", "1"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestAccessLogSlog(t *testing.T) {
	var out syncBuffer
	logger := slog.New(slog.NewJSONHandler(&out, nil))
	srv := httptest.NewServer((&middleware.AccessLog{Logger: logger}).Wrap(http.NotFoundHandler()))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/missing?q=1")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var rec map[string]any
	if err := json.Unmarshal([]byte(out.String()), &rec); err != nil {
		t.Fatalf("%v: %q", err, out.String())
	}
	for _, k := range []string{"time", "duration", "remote"} {
		if _, ok := rec[k]; !ok {
			t.Errorf("record lacks %q", k)
		}
		delete(rec, k)
	}
	want := map[string]any{"level": "INFO", "msg": "request", "method": "GET", "target": "/missing?q=1",
		"proto": "HTTP/1.1", "status": 404.0, "bytes": 19.0, "conn": 0.0, "request": 0.0}
	if diff := cmp.Diff(want, rec); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestAccessLogKeepsWriterInterfaces checks, on a real server, that the
// wrapped writer still offers what handlers and http.ServeContent use.
func TestAccessLogKeepsWriterInterfaces(t *testing.T) {
	type offers struct{ ReaderFrom, Flusher, Hijacker, ControllerFlush bool }
	seen := make(chan offers, 1)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var o offers
		_, o.ReaderFrom = w.(io.ReaderFrom)
		_, o.Flusher = w.(http.Flusher)
		_, o.Hijacker = w.(http.Hijacker)
		o.ControllerFlush = http.NewResponseController(w).Flush() == nil
		seen <- o
	})
	srv := httptest.NewServer((&middleware.AccessLog{Out: io.Discard}).Wrap(h))
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if diff := cmp.Diff(offers{true, true, true, true}, <-seen); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestCLFTimeCache(t *testing.T) {
	utc := time.Date(2026, 11, 24, 20, 21, 9, 500, time.UTC)
	east := time.FixedZone("EAST", 2*3600)
	for _, tm := range []time.Time{utc, utc.Add(time.Millisecond), utc.Add(time.Second), utc.In(east), utc.Add(-time.Hour)} {
		got := string(middleware.AppendCLFTime(nil, tm))
		if want := tm.Format("02/Jan/2006:15:04:05 -0700"); got != want {
			t.Errorf("%v: %q, want %q", tm, got, want)
		}
	}
}

// TestAccessLogStatusesAndSizes runs requests with different outcomes in
// turn through one log, so that each starts from a reused meter: an
// interim 103 before the final status, an explicit 404 with a body, an
// implicit 200 from Write, a body sent with io.Copy (ReadFrom), and a
// handler that writes nothing.
func TestAccessLogStatusesAndSizes(t *testing.T) {
	var out syncBuffer
	mux := http.NewServeMux()
	mux.HandleFunc("/hints", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", "</a.css>; rel=preload")
		w.WriteHeader(http.StatusEarlyHints)
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, "made")
	})
	mux.HandleFunc("/missing", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, "nope")
		w.WriteHeader(http.StatusTeapot) // superfluous: the status is sent
	})
	mux.HandleFunc("/implicit", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "hello") })
	mux.HandleFunc("/copy", func(w http.ResponseWriter, r *http.Request) {
		io.Copy(w, strings.NewReader(strings.Repeat("x", 3000)))
	})
	mux.HandleFunc("/empty", func(w http.ResponseWriter, r *http.Request) {})
	srv := httptest.NewServer((&middleware.AccessLog{Out: &out}).Wrap(mux))
	defer srv.Close()
	var want []string
	for _, tt := range []struct {
		path   string
		status int
		bytes  string
	}{
		{"/hints", 201, "4"}, {"/missing", 404, "4"}, {"/implicit", 200, "5"},
		{"/copy", 200, "3000"}, {"/empty", 200, "0"}, {"/hints", 201, "4"},
	} {
		resp, err := http.Get(srv.URL + tt.path)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.status {
			t.Errorf("%s: client saw %d, want %d", tt.path, resp.StatusCode, tt.status)
		}
		want = append(want, fmt.Sprintf("GET %s HTTP/1.1\" %d %s", tt.path, tt.status, tt.bytes))
	}
	var got []string
	for _, line := range strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n") {
		_, rest, _ := strings.Cut(line, "] \"")
		fields := strings.Fields(rest)
		if len(fields) < 5 {
			t.Fatalf("short line %q", line)
		}
		got = append(got, strings.Join(fields[:5], " "))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestAccessLogLogsPanics: a handler that panics is logged with what it
// had written (status and bytes), or status 0 when it had written
// nothing, and the panic still reaches net/http, which closes the
// connection.
func TestAccessLogLogsPanics(t *testing.T) {
	var out syncBuffer
	mux := http.NewServeMux()
	mux.HandleFunc("/early", func(w http.ResponseWriter, r *http.Request) { panic("early") })
	mux.HandleFunc("/late", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusAccepted)
		io.WriteString(w, "partial")
		w.(http.Flusher).Flush()
		panic(http.ErrAbortHandler)
	})
	srv := httptest.NewUnstartedServer((&middleware.AccessLog{Out: &out}).Wrap(mux))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // net/http logs the panics
	srv.Start()
	defer srv.Close()
	for _, path := range []string{"/early", "/late"} {
		resp, err := http.Get(srv.URL + path)
		if err == nil {
			_, err = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		if err == nil {
			t.Errorf("%s: the client got a whole response from a handler that panicked", path)
		}
	}
	var got []string
	for _, line := range strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n") {
		_, rest, _ := strings.Cut(line, "] \"")
		if fields := strings.Fields(rest); len(fields) >= 5 {
			got = append(got, strings.Join(fields[:5], " "))
		}
	}
	want := []string{`GET /early HTTP/1.1" 0 0`, `GET /late HTTP/1.1" 202 7`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
