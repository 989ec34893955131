package conn

import "net/http"

// handler wraps the server's own handler (http.DefaultServeMux if nil) to
// apply the policy of the connection each request arrives on: it numbers
// and counts the request, stores its Info and raw head in its context,
// and sets "Connection: close" on the response when the policy ends the
// connection after it. Requests on connections no Listener accepted pass
// through untouched. Its type also marks a server as configured.
type handler struct {
	next http.Handler // nil means http.DefaultServeMux
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	next := h.next
	if next == nil {
		next = http.DefaultServeMux
	}
	c, ok := r.Context().Value(connKey{}).(*Conn)
	if !ok {
		next.ServeHTTP(w, r)
		return
	}
	next.ServeHTTP(w, c.begin(w, r))
}

// begin applies c's policy to the request about to be served on c and
// returns it with its Info, and its raw head if captured, in the context.
func (c *Conn) begin(w http.ResponseWriter, r *http.Request) *http.Request {
	n := c.requests.Add(1)
	c.l.stats.requests.Add(1)
	ctx := &requestContext{Context: r.Context(), info: Info{ID: c.id, Request: n}}
	if c.capture != nil && r.ProtoMajor == 1 {
		// The server has read the whole head to parse r, and Read hands
		// every byte to the framer before returning, so it is queued.
		ctx.head, _ = c.capture.take(r.Method, r.RequestURI, r.Proto)
		c.l.stats.headerBytes.Add(uint64(len(ctx.head)))
	}
	if c.l.policy.closesAfter(n) {
		c.policyClose.Store(true)
		// net/http closes after a reply whose Connection header is exactly
		// "close", and writes it as is for HTTP/1.0 and HTTP/1.1.
		ctx.close[0] = "close"
		w.Header()["Connection"] = ctx.close[:]
	}
	return r.WithContext(ctx)
}
