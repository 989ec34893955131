package staticfstest_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/webstatic/webstatic/staticfs/staticfstest"
)

// echo answers with the request's method, host and headers, in a header
// each, and the request body.
var echo = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Method", r.Method)
	w.Header().Set("Host", r.Host)
	for name, values := range r.Header {
		w.Header()["Req-"+name] = values
	}
	w.Header().Set("Content-Type", "text/plain")
	io.Copy(w, r.Body)
})

func TestGet(t *testing.T) {
	tests := []struct {
		name   string
		target string
		header []string
		want   *staticfstest.Response
	}{{
		name:   "no headers",
		target: "/",
		want: &staticfstest.Response{Status: 200, Header: http.Header{
			"Method": {"GET"}, "Host": {"example.com"}, "Content-Type": {"text/plain"},
		}},
	}, {
		name:   "headers added in order, names canonical",
		target: "/a?q=1",
		header: []string{"accept-encoding", "br", "X-Tag", "1", "x-tag", "2"},
		want: &staticfstest.Response{Status: 200, Header: http.Header{
			"Method": {"GET"}, "Host": {"example.com"}, "Content-Type": {"text/plain"},
			"Req-Accept-Encoding": {"br"}, "Req-X-Tag": {"1", "2"},
		}},
	}, {
		name:   "host pair sets the host",
		target: "/",
		header: []string{"host", "site.test"},
		want: &staticfstest.Response{Status: 200, Header: http.Header{
			"Method": {"GET"}, "Host": {"site.test"}, "Content-Type": {"text/plain"},
		}},
	}, {
		name:   "absolute URL",
		target: "http://other.test/x",
		want: &staticfstest.Response{Status: 200, Header: http.Header{
			"Method": {"GET"}, "Host": {"other.test"}, "Content-Type": {"text/plain"},
		}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := staticfstest.Get(echo, tt.target, tt.header...)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Get(%q, %q) (-want +got):\n%s", tt.target, tt.header, diff)
			}
		})
	}
}

func TestGetOddHeader(t *testing.T) {
	got := panicValue(func() { staticfstest.Get(echo, "/", "Range") })
	want := "staticfstest: Get: odd number of header strings, want name and value pairs"
	if got != want {
		t.Errorf("Get with an odd header panics with %q, want %q", got, want)
	}
}

// TestDo pins what the package doc says of the recorder.
func TestDo(t *testing.T) {
	tests := []struct {
		name string
		h    http.HandlerFunc
		req  *http.Request
		want *staticfstest.Response
	}{{
		name: "request body and method",
		h:    echo,
		req:  httptest.NewRequest(http.MethodPut, "/", strings.NewReader("data")),
		want: &staticfstest.Response{Status: 200, Body: "data", Header: http.Header{
			"Method": {"PUT"}, "Host": {"example.com"}, "Content-Type": {"text/plain"},
		}},
	}, {
		name: "nothing written: 200, empty non-nil header",
		h:    func(http.ResponseWriter, *http.Request) {},
		req:  httptest.NewRequest(http.MethodGet, "/", nil),
		want: &staticfstest.Response{Status: 200, Header: http.Header{}},
	}, {
		name: "no Content-Length or Date added; Content-Type sniffed",
		h:    func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "<html>hi") },
		req:  httptest.NewRequest(http.MethodGet, "/", nil),
		want: &staticfstest.Response{Status: 200, Body: "<html>hi", Header: http.Header{
			"Content-Type": {"text/html; charset=utf-8"},
		}},
	}, {
		name: "headers set after the first write are left out",
		h: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Before", "1")
			w.WriteHeader(http.StatusTeapot)
			w.Header().Set("After", "1")
			io.WriteString(w, "x")
		},
		req: httptest.NewRequest(http.MethodGet, "/", nil),
		want: &staticfstest.Response{Status: http.StatusTeapot, Body: "x", Header: http.Header{
			"Before": {"1"},
		}},
	}, {
		name: "a body written to HEAD is kept",
		h: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			io.WriteString(w, "body")
		},
		req: httptest.NewRequest(http.MethodHead, "/", nil),
		want: &staticfstest.Response{Status: 200, Body: "body", Header: http.Header{
			"Content-Type": {"text/plain"},
		}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := staticfstest.Do(tt.h, tt.req)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Do (-want +got):\n%s", diff)
			}
		})
	}
}
