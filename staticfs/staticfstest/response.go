package staticfstest

import (
	"net/http"
	"net/http/httptest"
)

// A Response is what a handler wrote in answer to one request.
type Response struct {
	// Status is the status code, 200 if the handler wrote none.
	Status int

	// Header holds the headers as they were when the handler first wrote
	// its status or its body, or returned if it wrote neither. It is
	// never nil.
	Header http.Header

	// Body is the body the handler wrote.
	Body string
}

// Get sends h a GET request for target and returns h's response.
//
// target is a path with an optional query ("/search?q=go"), or an
// absolute URL, as for [httptest.NewRequest], which Get uses and which
// panics for an invalid target. header holds request headers as pairs of
// name and value, added in order:
//
//	staticfstest.Get(h, "/app.js", "Accept-Encoding", "br", "Range", "bytes=0-9")
//
// A "Host" pair sets the request's Host, as a server would. Get panics if
// header has an odd number of strings.
//
// For other methods, a body, or anything else of the request, build it
// with httptest.NewRequest and use [Do].
func Get(h http.Handler, target string, header ...string) *Response {
	if len(header)%2 != 0 {
		panic("staticfstest: Get: odd number of header strings, want name and value pairs")
	}
	r := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i < len(header); i += 2 {
		name, value := header[i], header[i+1]
		if http.CanonicalHeaderKey(name) == "Host" {
			r.Host = value
			continue
		}
		r.Header.Add(name, value)
	}
	return Do(h, r)
}

// Do calls h.ServeHTTP with r and an [httptest.ResponseRecorder], and
// returns what h wrote. See the package documentation for how that
// differs from what a real server would send.
func Do(h http.Handler, r *http.Request) *Response {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	res := w.Result()
	return &Response{Status: res.StatusCode, Header: res.Header, Body: w.Body.String()}
}
