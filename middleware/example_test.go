package middleware_test

import (
	"log/slog"
	"net/http/httptest"
	"os"

	"github.com/spf13/afero"
	"github.com/webstatic/webstatic/middleware"
	"github.com/webstatic/webstatic/staticfs"
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
