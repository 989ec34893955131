package staticfs

import (
	"errors"
	"fmt"
	"io/fs"
	"log"
	"net/http"
	"strconv"
	"syscall"
)

var (
	// ErrInvalidPath is the cause of a 400 answer: the URL path holds a
	// byte that no file name served over HTTP may hold (NUL, backslash).
	ErrInvalidPath = errors.New("staticfs: invalid path")

	// ErrHidden is the cause of a 404 answer for a file that exists but
	// that a policy hides: a dotfile, or a path through a refused link.
	ErrHidden = errors.New("staticfs: hidden by policy")

	// ErrMethodNotAllowed is the cause of a 405 answer.
	ErrMethodNotAllowed = errors.New("staticfs: method not allowed")

	// ErrPreconditionFailed is the cause of a 412 answer: If-Match or
	// If-Unmodified-Since did not hold.
	ErrPreconditionFailed = errors.New("staticfs: precondition failed")

	// ErrRangeNotSatisfiable is the cause of a 416 answer: no range of
	// the Range header overlaps the file, or the header is malformed.
	ErrRangeNotSatisfiable = errors.New("staticfs: range not satisfiable")

	// ErrUnavailable is the cause of a 503 answer with Retry-After: the
	// filesystem cannot serve the file for now but may in a moment. A
	// filesystem wraps it in the errors it returns when its storage
	// throttles or times out (staticfs/s3fs does); the process running
	// out of file descriptors (EMFILE, ENFILE) is answered the same way.
	ErrUnavailable = errors.New("staticfs: storage unavailable")

	// ErrBadGateway is the cause of a 502 answer: the storage behind the
	// filesystem failed or could not be reached (a remote object store).
	ErrBadGateway = errors.New("staticfs: storage failed")
)

// retryAfter is the Retry-After of a 503 answer, in seconds.
const retryAfter = "1"

var (
	errNoFS       = errors.New("staticfs: Handler.FS is nil")
	errNoIndex    = &fs.PathError{Op: "index", Err: fs.ErrNotExist}
	errNotRegular = &fs.PathError{Op: "serve", Err: fs.ErrNotExist}
	errSidecar    = fmt.Errorf("sidecar: %w", ErrHidden)
	errRootNotDir = &fs.PathError{Op: "serve", Path: "/", Err: fs.ErrNotExist}
	errFileSlash  = &fs.PathError{Op: "serve", Path: "file with a trailing slash", Err: fs.ErrNotExist}
	errUnreadable = errors.New("cannot seek or size the file")
)

// statusOf maps an error to the status that answers it. Errors that say
// the name cannot exist are 404, whichever way the filesystem words it: a
// path through a regular file (ENOTDIR), a name too long or an io/fs name
// it rejects are client mistakes, not server faults.
func statusOf(err error) int {
	switch {
	case errors.Is(err, ErrInvalidPath):
		return http.StatusBadRequest
	case errors.Is(err, ErrMethodNotAllowed):
		return http.StatusMethodNotAllowed
	case errors.Is(err, ErrPreconditionFailed):
		return http.StatusPreconditionFailed
	case errors.Is(err, ErrRangeNotSatisfiable):
		return http.StatusRequestedRangeNotSatisfiable
	case errorIsNotFound(err):
		return http.StatusNotFound
	case errors.Is(err, fs.ErrPermission):
		return http.StatusForbidden
	case errors.Is(err, ErrUnavailable), errors.Is(err, syscall.EMFILE), errors.Is(err, syscall.ENFILE):
		return http.StatusServiceUnavailable
	case errors.Is(err, ErrBadGateway):
		return http.StatusBadGateway
	default:
		return http.StatusInternalServerError
	}
}

func errorIsNotFound(err error) bool {
	return errors.Is(err, fs.ErrNotExist) ||
		errors.Is(err, ErrHidden) ||
		errors.Is(err, fs.ErrInvalid) ||
		errors.Is(err, syscall.ENOTDIR) ||
		errors.Is(err, syscall.ENAMETOOLONG) ||
		errors.Is(err, syscall.ELOOP)
}

// serveError answers a request that failed with err. The response
// carries a status and a fixed text, the nearest 404 page, or what
// ErrorHandler writes; never the error's own text, which may name paths.
func (h *Handler) serveError(w http.ResponseWriter, r *http.Request, name string, err error) {
	status := statusOf(err)
	switch status {
	case http.StatusInternalServerError, http.StatusBadGateway:
		// Server faults are logged; a 503 is load (a flood, a store
		// throttling), which the access log shows without a line each.
		h.logf("staticfs: %s %q: %v", r.Method, r.URL.Path, err)
	}
	clearFileHeaders(w.Header())
	if status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", retryAfter)
	}
	if h.ErrorHandler != nil {
		h.ErrorHandler(w, r, status, err)
		return
	}
	if status == http.StatusNotFound && name != "" {
		if h.serveNotFoundPage(w, r, name) {
			return
		}
	}
	writeText(w, r, status, strconv.Itoa(status)+" "+http.StatusText(status)+"\n")
}

func (h *Handler) logf(format string, args ...any) {
	if h.ErrorLog != nil {
		h.ErrorLog.Printf(format, args...)
		return
	}
	log.Printf(format, args...)
}

// writeText sends a short generated body with an explicit length, so that
// HTTP/1.0 keep-alive clients keep their connection.
func writeText(w http.ResponseWriter, r *http.Request, status int, body string) {
	writeBody(w, r, status, "text/plain; charset=utf-8", []byte(body))
}

// writeBody sends a generated body with an explicit length, leaving out
// the bytes for HEAD.
func writeBody(w http.ResponseWriter, r *http.Request, status int, ctype string, body []byte) {
	hdr := w.Header()
	hdr.Set("Content-Type", ctype)
	hdr.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}
