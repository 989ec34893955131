package conn

import "net/http"

// Cork asks the kernel to send only full TCP segments on the connection
// r arrived on until [Uncork]: the response head, written on its own by
// net/http, then leaves in the same segment as the start of the body, and
// a large body leaves in full segments, as nginx's tcp_nopush does. A
// handler about to send a large body calls Cork and defers Uncork; the
// staticfs Handler does so for bodies of 4 KiB and more.
//
// Cork reports whether it corked: only HTTP/1 requests on a TCP
// connection accepted by a [Listener] can be corked, on Linux
// (TCP_CORK). Never leave a connection corked: the kernel holds a partial
// segment for up to 200 ms.
func Cork(r *http.Request) bool {
	c := connOf(r)
	return c != nil && r.ProtoMajor == 1 && setCork(c.inner, true)
}

// Uncork ends what [Cork] began and sends any partial segment held back.
// It does nothing on a connection that Cork would not cork.
func Uncork(r *http.Request) {
	if c := connOf(r); c != nil && r.ProtoMajor == 1 {
		setCork(c.inner, false)
	}
}

// connOf returns the *Conn r arrived on, or nil.
func connOf(r *http.Request) *Conn {
	c, _ := r.Context().Value(connKey{}).(*Conn)
	return c
}
