package middleware

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/spf13/afero"
)

// Health answers a load balancer's health checks before the wrapped
// handler sees them, and passes every other request on.
//
// Path is the liveness check: GET or HEAD answers 200 with the body
// "ok\n" and touches nothing, the filesystem included, so it stays cheap
// and says only that the process serves HTTP. ReadyPath is the
// readiness check: it calls Ready and answers 200 "ok\n" when it returns
// nil and 503 "not ready\n" otherwise; the error is never sent, since it
// may name paths. Both answers say Cache-Control: no-store, and other
// methods on those paths get 405.
//
// The paths are compared with r.URL.Path exactly, as the wrapped handler
// sees it; mount Health outside http.StripPrefix to match the path the
// client sends. A file of the site at one of the paths is shadowed.
//
// Mount Health outside BasicAuth, so that a load balancer needs no
// credentials, and outside the logs if the checks should not fill them.
//
// The zero value answers /health and has no readiness check. The
// response writer is not wrapped.
type Health struct {
	// Path is the liveness check's path. "" means "/health".
	Path string

	// ReadyPath is the readiness check's path. "" means "/ready" when
	// Ready is set; set without Ready, Validate refuses it.
	ReadyPath string

	// Ready reports whether the server can serve, for example
	// RootReadable(fsys). nil means no readiness check.
	Ready func() error
}

// Validate reports a path that does not start with "/", the two checks
// on one path, or a ReadyPath without Ready.
func (h *Health) Validate() error {
	_, err := h.compile()
	return err
}

// Wrap returns a handler that answers the health checks' paths and
// passes the other requests to next. It panics if Validate reports an
// error.
func (h *Health) Wrap(next http.Handler) http.Handler {
	p, err := h.compile()
	if err != nil {
		panic(err)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == p.live:
			answerHealth(w, r, nil)
		case r.URL.Path == p.ready && p.check != nil:
			if !healthMethod(w, r) {
				return
			}
			answerHealth(w, r, p.check())
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// ServeHTTP answers the health checks' paths and 404 to the others, for
// mounting Health by itself, as in mux.Handle("GET /health", &Health{}).
func (h *Health) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.Wrap(http.NotFoundHandler()).ServeHTTP(w, r)
}

type healthPolicy struct {
	live, ready string
	check       func() error
}

func (h *Health) compile() (*healthPolicy, error) {
	p := &healthPolicy{live: h.Path, ready: h.ReadyPath, check: h.Ready}
	if p.ready != "" && p.check == nil {
		return nil, fmt.Errorf("middleware: Health: ReadyPath %q without a Ready check", p.ready)
	}
	if p.live == "" {
		p.live = "/health"
	}
	if p.ready == "" {
		p.ready = "/ready"
	}
	for _, path := range []string{p.live, p.ready} {
		if !strings.HasPrefix(path, "/") {
			return nil, fmt.Errorf("middleware: Health: path %q does not start with /", path)
		}
	}
	if p.check != nil && p.live == p.ready {
		return nil, fmt.Errorf("middleware: Health: liveness and readiness on one path %q", p.live)
	}
	return p, nil
}

var (
	noStoreValue   = []string{"no-store"}
	textPlainValue = []string{"text/plain; charset=utf-8"}
	allowGetHead   = []string{"GET, HEAD"}
)

// healthMethod answers 405 to methods other than GET and HEAD and
// reports whether the request goes on.
func healthMethod(w http.ResponseWriter, r *http.Request) bool {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return true
	}
	hdr := w.Header()
	hdr["Allow"] = allowGetHead
	writeShort(w, r, http.StatusMethodNotAllowed, "405 Method Not Allowed\n")
	return false
}

// answerHealth answers a check: 200 "ok" for a nil error, 503 otherwise.
func answerHealth(w http.ResponseWriter, r *http.Request, err error) {
	if !healthMethod(w, r) {
		return
	}
	if err != nil {
		writeShort(w, r, http.StatusServiceUnavailable, "not ready\n")
		return
	}
	writeShort(w, r, http.StatusOK, "ok\n")
}

// writeShort sends a short, uncacheable plain-text body of known length.
func writeShort(w http.ResponseWriter, r *http.Request, status int, body string) {
	hdr := w.Header()
	hdr["Content-Type"] = textPlainValue
	hdr["Cache-Control"] = noStoreValue
	hdr.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		io.WriteString(w, body)
	}
}

// RootReadable returns a readiness check that opens the root directory
// of fsys and reads one name from it, the first steps of every request a
// file server answers. An empty root is ready.
func RootReadable(fsys afero.Fs) func() error {
	return func() error {
		if fsys == nil {
			return errors.New("no filesystem")
		}
		f, err := fsys.Open("/")
		if err != nil {
			return err
		}
		defer f.Close()
		if _, err := f.Readdirnames(1); err != nil && err != io.EOF {
			return err
		}
		return nil
	}
}
