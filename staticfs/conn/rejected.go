package conn

import (
	"bytes"
	"sync/atomic"
)

// Rejected is a request head that net/http refused before any handler
// ran: a control byte in a header value, a head over MaxHeaderBytes
// (431), an unsupported protocol version (505), a missing Host on
// HTTP/1.1, a malformed request line, an unsupported Transfer-Encoding
// (501). net/http answers those itself, straight on the connection, and
// closes it; a [Policy] with CaptureHeaders and OnRejected reports them.
type Rejected struct {
	// Info names the connection; Info.Request is the number the request
	// would have had on it.
	Info Info

	// RemoteAddr is the client's address, as http.Request.RemoteAddr
	// gives it.
	RemoteAddr string

	// Status is the status code net/http answered, and Response the rest
	// of its status line, such as "Bad Request: missing required Host
	// header".
	Status   int
	Response string

	// Head is the request head as it came off the wire, through its
	// blank line, or as much of it as arrived before net/http gave up,
	// and at most MaxRejectedHead bytes. It is empty when the connection
	// sent nothing the capture could take for a request line (TLS
	// records, binary noise).
	Head []byte
}

// MaxRejectedHead bounds Rejected.Head: a head rejected for its size
// (431) is reported cut short, so that a client cannot make the log grow
// faster than its own requests do.
const MaxRejectedHead = 8 << 10

// errorHeaders is what net/http's server writes after the status line of
// the responses it sends for requests it could not read
// (net/http/server.go, conn.serve), and never for a handler's response,
// which carries a Date.
const errorHeaders = "\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n"

// checkRejected looks at a write to c for net/http's own error response
// to a request it could not read, and reports the head it refused to
// the policy's OnRejected, once per connection.
func (c *Conn) checkRejected(b []byte) {
	onRejected := c.l.policy.OnRejected
	if onRejected == nil || len(b) < len("HTTP/1.1 400 ")+len(errorHeaders) || b[9] < '4' || b[9] > '5' ||
		string(b[:9]) != "HTTP/1.1 " {
		return
	}
	status, response, ok := parseErrorResponse(b)
	if !ok || !c.capture.reported.CompareAndSwap(false, true) {
		return
	}
	onRejected(Rejected{
		Info:       Info{ID: c.id, Request: c.requests.Load() + 1},
		RemoteAddr: c.inner.RemoteAddr().String(),
		Status:     status,
		Response:   response,
		Head:       c.capture.rejectedHead(),
	})
}

// parseErrorResponse parses "HTTP/1.1 NNN text" followed by errorHeaders.
func parseErrorResponse(b []byte) (status int, response string, ok bool) {
	line, _, found := bytes.Cut(b, []byte("\r\n"))
	if !found || !bytes.HasPrefix(b[len(line):], []byte(errorHeaders)) || len(line) < 13 || line[12] != ' ' {
		return 0, "", false
	}
	for _, d := range line[9:12] {
		if d < '0' || d > '9' {
			return 0, "", false
		}
		status = status*10 + int(d-'0')
	}
	return status, string(line[13:]), true
}

// rejectedHead returns the head net/http refused: the oldest head
// framed but never taken by a request (but OPTIONS *, which net/http
// answers itself), or else the head the framer stopped on, or else the
// head it was reading.
func (c *capture) rejectedHead() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	var head []byte
	for _, h := range c.heads {
		if !bytes.HasPrefix(h, []byte("OPTIONS * ")) {
			head = h
			break
		}
	}
	switch {
	case head != nil:
	case c.f.state == stopped:
		head = c.f.rest
	case c.f.state == inHead:
		head = c.f.head
	}
	return bytes.Clone(head[:min(len(head), MaxRejectedHead)])
}

// rejection is the per-connection state of checkRejected, embedded in
// capture.
type rejection struct {
	reported atomic.Bool // a rejection was reported: net/http closes the connection after it
}
