package conn

import (
	"net/http"
	"sync"
)

// maxQueuedHeads bounds the heads a connection keeps for its requests:
// net/http reads at most one 4 KiB buffer ahead of the request it serves,
// and heads of requests that never reach the handler (OPTIONS *) must not
// pile up.
const maxQueuedHeads = 16

// capture keeps the heads a connection's framer found until the requests
// they belong to take them.
type capture struct {
	mu    sync.Mutex // guards f and heads; Read may run in net/http's background reader
	f     framer
	heads [][]byte // complete heads, oldest first
	rejection
}

func newCapture(limit int) *capture {
	c := &capture{}
	c.f = framer{limit: limit, onHead: c.push, head: make([]byte, 0, initialHeadSz)}
	return c
}

// feed frames bytes just read. It is called under no lock of net/http's
// and must not block: the lock is only ever held for framing or a lookup.
func (c *capture) feed(p []byte) {
	c.mu.Lock()
	c.f.feed(p)
	c.mu.Unlock()
}

func (c *capture) push(head []byte) {
	if len(c.heads) == maxQueuedHeads {
		n := copy(c.heads, c.heads[1:])
		c.heads[n] = nil
		c.heads = c.heads[:n]
	}
	c.heads = append(c.heads, head)
}

// take returns the head of the oldest queued request whose request line
// net/http parses to method, target and proto, dropping the older ones:
// their requests never reached the handler and no longer will.
func (c *capture) take(method, target, proto string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, head := range c.heads {
		if line, _ := cutLine(head); matchRequestLine(line, method, target, proto) {
			n := copy(c.heads, c.heads[i+1:])
			clear(c.heads[n:])
			c.heads = c.heads[:n]
			return head, true
		}
	}
	return nil, false
}

// RawHeader returns the request line and header lines of r exactly as
// they came off the wire, through the blank line that ends them: order,
// letter case, duplicates, obs-text and line endings as the client sent
// them. It reports false when there is no such capture: the server was
// not served by a Listener whose Policy has CaptureHeaders, r came over
// HTTP/2, the head was longer than the server's MaxHeaderBytes+4096, or
// the connection left HTTP/1 framing (CONNECT, Upgrade) or sent something
// the capture could not follow as net/http does, after which it stops
// capturing on that connection rather than guess.
//
// The head is matched to its request by method, request-target and
// protocol before the handler runs, and kept in the request's context:
// every call for r, or for a request made from it with r.WithContext or
// r.Clone and a context derived from r's, returns the same bytes. The
// caller must not modify them.
func RawHeader(r *http.Request) ([]byte, bool) {
	rc, ok := r.Context().Value(requestKey{}).(*requestContext)
	if !ok || rc.head == nil {
		return nil, false
	}
	return rc.head, true
}
