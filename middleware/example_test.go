package middleware_test

import (
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
	// ['GET / HTTP/1.1', 'Host: example.com', 'Accept: */*', 'Cookie: [REDACTED]']
}
