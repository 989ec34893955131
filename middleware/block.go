package middleware

import (
	"bytes"
	"net/http"
	"slices"
	"sync"
)

// line is one line of a request head, without and with its terminator.
type line struct {
	text []byte
	eol  []byte // "\r\n" or "\n" as received
}

var crlf = []byte("\r\n")

// splitHead cuts a captured head (request line, header lines, blank line)
// into lines appended to lines, keeping each terminator; the blank line
// is the last, with empty text.
func splitHead(lines []line, head []byte) []line {
	for len(head) > 0 {
		i := bytes.IndexByte(head, '\n')
		if i < 0 {
			lines = append(lines, line{text: head})
			break
		}
		text, eol := head[:i], head[i:i+1]
		if len(text) > 0 && text[len(text)-1] == '\r' {
			text, eol = text[:len(text)-1], head[i-1:i+1]
		}
		head = head[i+1:]
		lines = append(lines, line{text: text, eol: eol})
		if len(text) == 0 {
			break
		}
	}
	return lines
}

// reconstruct rebuilds a head from the parsed request, appended to lines:
// the request line, Host, then the other headers sorted by name with
// their values in order, then the blank line. Names come out
// canonicalised; the client's order and letter case are lost, which is
// why the log says it reconstructed.
func reconstruct(lines []line, r *http.Request) []line {
	target := r.RequestURI
	if target == "" {
		target = r.URL.RequestURI()
	}
	lines = append(lines, line{text: []byte(r.Method + " " + target + " " + r.Proto), eol: crlf})
	if r.Host != "" {
		lines = append(lines, line{text: []byte("Host: " + r.Host), eol: crlf})
	}
	names := make([]string, 0, len(r.Header))
	for name := range r.Header {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		for _, v := range r.Header[name] {
			lines = append(lines, line{text: []byte(name + ": " + v), eol: crlf})
		}
	}
	return append(lines, line{eol: crlf})
}

// linesPool holds the line slices of heads being logged.
var linesPool = sync.Pool{New: func() any { s := make([]line, 0, 32); return &s }}

// maxPooledLines bounds the slices linesPool keeps.
const maxPooledLines = 256
