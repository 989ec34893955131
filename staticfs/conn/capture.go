package conn

import "net/http"

// RawHeader returns the request line and header lines of r exactly as
// they came off the wire, through the blank line that ends them, and
// reports whether the connection layer captured them.
//
// Capture is not implemented yet: RawHeader always reports false, and
// callers fall back to the parsed request.
func RawHeader(r *http.Request) ([]byte, bool) {
	return nil, false
}
