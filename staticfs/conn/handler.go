package conn

import "net/http"

// wrapHandler wraps h (http.DefaultServeMux if nil) to apply the policy of
// the connection each request arrives on: it numbers and counts the
// request, stores an Info in its context, and sets "Connection: close" on
// the response when the policy ends the connection after it. Requests on
// connections no Listener accepted pass through untouched.
func wrapHandler(h http.Handler) http.Handler {
	if h == nil {
		h = http.DefaultServeMux
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, ok := r.Context().Value(connKey{}).(*Conn)
		if !ok {
			h.ServeHTTP(w, r)
			return
		}
		h.ServeHTTP(w, c.begin(w, r))
	})
}

// begin applies c's policy to the request about to be served on c and
// returns it with its Info in the context.
func (c *Conn) begin(w http.ResponseWriter, r *http.Request) *http.Request {
	n := c.requests.Add(1)
	c.l.stats.requests.Add(1)
	ctx := &requestContext{Context: r.Context(), info: Info{ID: c.id, Request: n}}
	if c.l.policy.closesAfter(n) {
		c.policyClose.Store(true)
		// net/http closes after a reply whose Connection header is exactly
		// "close", and writes it as is for HTTP/1.0 and HTTP/1.1.
		ctx.close[0] = "close"
		w.Header()["Connection"] = ctx.close[:]
	}
	return r.WithContext(ctx)
}
