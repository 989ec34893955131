package middleware_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"

	"github.com/spf13/afero"
	"github.com/webstatic/webstatic/middleware"
	"github.com/webstatic/webstatic/staticfs"
	"github.com/webstatic/webstatic/staticfs/conn"
)

// Wrap a staticfs.Handler in the header log. Behind the connection layer
// with capture on, the lines are the client's own; here, without it, the
// log rebuilds them from the parsed request and says so.
func ExampleHeaderLog() {
	fsys := afero.NewMemMapFs()
	afero.WriteFile(fsys, "/index.html", []byte("<h1>hi</h1>"), 0o644)

	log := &middleware.HeaderLog{Out: os.Stdout, Format: middleware.Lines}
	h := log.Wrap(&staticfs.Handler{FS: fsys})

	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Accept", "*/*")
	r.Header.Set("Cookie", "session=secret")
	h.ServeHTTP(httptest.NewRecorder(), r)
	// Output:
	// >>>> conn - request - 192.0.2.1:1234 (reconstructed: no connection capture)
	// ['GET / HTTP/1.1', 'Host: example.com', 'Accept: */*', 'Cookie: [REDACTED]', '']
}

// Print each request as the article's Python server prints it: an empty
// line, ">>" 50 times, then print(request.decode().splitlines()). Bytes
// prints its first version's print(request) instead.
func ExampleHeaderLog_article() {
	for _, format := range []middleware.Format{middleware.Article, middleware.Bytes} {
		log := &middleware.HeaderLog{Out: os.Stdout, Format: format}
		r := httptest.NewRequest("GET", "/caf%C3%A9", nil)
		r.Header.Set("X-Note", "it's caf\u00e9\u00a0\u200b")
		log.Wrap(http.NotFoundHandler()).ServeHTTP(httptest.NewRecorder(), r)
	}
	// Output:
	//
	// >>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>
	// ['GET /caf%C3%A9 HTTP/1.1', 'Host: example.com', "X-Note: it's café\xa0\u200b", '']
	// >>>> conn - request - 192.0.2.1:1234 (reconstructed: no connection capture)
	// b"GET /caf%C3%A9 HTTP/1.1\r\nHost: example.com\r\nX-Note: it's caf\xc3\xa9\xc2\xa0\xe2\x80\x8b\r\n\r\n"
}

// Heads that net/http refuses before any handler runs reach the log
// through the connection policy:
//
//	log := &middleware.HeaderLog{Format: middleware.Lines}
//	policy := conn.Policy{CaptureHeaders: true, OnRejected: log.LogRejected}
//	err := policy.Serve(&http.Server{Handler: log.Wrap(h)}, tcp)
//
// Here a rejection is logged by hand, as the policy would.
func ExampleHeaderLog_LogRejected() {
	log := &middleware.HeaderLog{Out: os.Stdout, Format: middleware.Lines}
	log.LogRejected(conn.Rejected{
		Info:       conn.Info{ID: 7, Request: 1},
		RemoteAddr: "192.0.2.1:1234",
		Status:     400,
		Response:   "Bad Request",
		Head:       []byte("GET / HTTP/1.1\r\nHost: h\r\nCookie: id=1\r\nX-Ctl: a\x1b[2J\vb\r\n\r\n"),
	})
	// Output:
	// >>>> conn 7 request 1 192.0.2.1:1234 (rejected: 400 Bad Request)
	// ['GET / HTTP/1.1', 'Host: h', 'Cookie: [REDACTED]', 'X-Ctl: a\x1b[2J', 'b', '']
}

// Log every request to a staticfs.Handler through log/slog. The time and
// duration attributes are dropped here only to make the output stable;
// conn and request are 0 without the connection layer.
func ExampleAccessLog() {
	fsys := afero.NewMemMapFs()
	afero.WriteFile(fsys, "/index.html", []byte("<h1>hi</h1>"), 0o644)

	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey || a.Key == "duration" {
				return slog.Attr{}
			}
			return a
		},
	}))
	h := (&middleware.AccessLog{Logger: logger}).Wrap(&staticfs.Handler{FS: fsys})

	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/missing", nil))
	// Output:
	// level=INFO msg=request remote=192.0.2.1:1234 method=GET target=/ proto=HTTP/1.1 status=200 bytes=11 conn=0 request=0
	// level=INFO msg=request remote=192.0.2.1:1234 method=GET target=/missing proto=HTTP/1.1 status=404 bytes=14 conn=0 request=0
}
