// Package conn enforces a connection policy on an http.Server: short
// connections (one request, then close) or keep-alive connections (with an
// idle timeout, a cap on requests per connection and a cap on connections
// served at once), and it numbers connections and requests.
//
// # Wiring
//
// One call configures the server for the policy and serves, in place of
// http.Server.Serve:
//
//	ln, err := net.Listen("tcp", "127.0.0.1:8080")
//	if err != nil { ... }
//	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
//	p := conn.Policy{Mode: conn.KeepAlive, MaxRequests: 100, IdleTimeout: 30 * time.Second}
//	err = p.Serve(srv, ln) // or p.ServeTLS(srv, ln, certFile, keyFile)
//
// To read the counters, keep the Listener:
//
//	l := conn.NewListener(ln, p)
//	go l.Serve(srv) // or l.ServeTLS(srv, certFile, keyFile)
//	...
//	s := l.Stats() // accepted, open, requests, closed by policy
//
// Serve wraps srv.Handler and chains srv.ConnState and srv.ConnContext,
// keeping what they did; set every field of srv before calling it. A
// handler or middleware reads the connection ID and the request's number
// on its connection with [FromContext]. Shutdown works as usual:
// http.Server.Shutdown closes the Listener, which also wakes an Accept
// waiting for a connection slot (it then returns no connection), and
// closes idle connections.
//
// Wiring that would serve connections outside the policy fails before the
// first request, with an error that says what to do instead:
//
//   - srv.Serve(l) on a Listener that was never served by its own Serve:
//     Accept returns [ErrNotConfigured], so srv.Serve returns it;
//   - a second Serve on one Listener, or a Listener's Serve on a server
//     another Listener already serves: [ErrConfiguredTwice];
//   - srv.Handler, ConnState, ConnContext or IdleTimeout replaced after
//     Serve configured them: the next Accept returns [ErrServerChanged];
//   - an invalid Policy (see [Policy.Validate]): Serve returns its error.
//
// # Modes
//
// In [Short] mode every response carries "Connection: close" and the
// connection closes after it, whether the request was HTTP/1.1 or HTTP/1.0,
// with or without "Connection: keep-alive". Pipelined requests after the
// first are read but not answered. The one response without the header is
// net/http's own answer to "OPTIONS *", which never reaches a handler; that
// connection is closed after it all the same. This differs from
// http.Server.SetKeepAlivesEnabled(false), which answers an HTTP/1.0
// keep-alive request with "Connection: keep-alive" and then closes the
// connection: a client that believes it (ab -k) sees resets.
//
// In [KeepAlive] mode (the zero value) connections persist as net/http
// lets them: HTTP/1.1 unless a side says "Connection: close", HTTP/1.0 only
// with "Connection: keep-alive" and a response of known length. Pipelined
// requests are answered in order. Policy.MaxRequests, when set, makes the
// response to the last allowed request say "Connection: close", like
// nginx's keepalive_requests; Policy.IdleTimeout sets
// http.Server.IdleTimeout.
//
// Policy.MaxConns, in both modes, caps the connections open at once;
// each connection's slot is released exactly once, when it is closed.
// When the cap is reached the Listener sheds a connection to make room
// for the next (see Shedding); with Policy.WaitWhenFull, Accept instead
// waits for a slot, like golang.org/x/net/netutil.LimitListener.
//
// # Shedding, per-client caps and pressure
//
// A plain http.Server is easy to starve: connections that send half a
// request head and stall (slowloris), or that stay idle between
// requests, each hold a descriptor and a goroutine until a timeout, and
// once the cap or the process's descriptor limit is reached a new
// client waits in the kernel's accept queue behind them (http.Server
// retries a failing Accept with a backoff of up to a second, logging
// each time). The Listener defends the way nginx does:
//
//   - Policy.MaxConnsPerClient closes at once, before it reads a byte or
//     takes a slot, a connection whose client already holds that many
//     (an IPv4 address, or an IPv6 /64), like nginx's limit_conn; it is
//     counted in Stats.RejectedPerClient.
//   - When MaxConns is reached, or Accept fails with EMFILE or ENFILE,
//     the Listener sheds: it closes an idle keep-alive connection (nginx
//     drains those when it runs out), else one that is waiting for or
//     reading a request head, so that the new client gets in. Within
//     each kind it picks one of the client that holds the most
//     connections, the one in its phase the longest, and it never sheds
//     one of a client that holds fewer than half as many as that client
//     (a lone visitor is not shed to make room in a flood). A connection whose
//     request is being served (from net/http's StateActive until its
//     response is written), a hijacked one, one reading a head for less
//     than Policy.ShedAge (100 ms by default) and one idle or waiting for
//     its first byte for less than ten times that are never shed, so
//     that a client's request has time to arrive, even on a machine too
//     busy to read it at once. When nothing can be shed yet, a new
//     connection waits in Accept, unless its client holds the most
//     connections and half of them have been reading a head for a
//     quarter of ShedAge (slowloris): that one is closed at once, so
//     that the clients queued behind the flood in the kernel's accept
//     queue get in (5,000 stalled heads against a cap of 512: the
//     normal client's slowest answer went from 0.7 s to 12 ms). Shed
//     connections are counted in Stats.Shed.
//   - Without MaxConns, the cap is 15/16 of the descriptor limit, so
//     that handlers keep descriptors to open files with; it sheds in the
//     same way (Policy.WaitWhenFull does not apply to it).
//   - Out of descriptors, the Listener accepts the next connection into
//     a descriptor it keeps spare: it keeps the connection when a
//     descriptor comes free again or it can shed another, waiting up to
//     ShedAge for either, and otherwise closes it at once
//     (Stats.Refused), so that clients are answered instead of left in
//     the accept queue. It
//     logs this at most once every 10 seconds, and never returns the
//     error to http.Server, whose own retries would log once per try.
//   - Policy.PressureHeaderTimeout is a shorter header timeout that
//     applies while the layer is under pressure: from
//     Policy.PressureLevel open connections (three quarters of MaxConns
//     or of the descriptor limit by default) until fewer than 7/8 of
//     that are open, and whenever descriptors run out, like Apache's
//     mod_reqtimeout. A connection waiting for its first request or
//     reading a head is then closed that long after it started, instead
//     of after the server's ReadHeaderTimeout.
//
// None of this costs a request anything while the layer has room: a
// connection's phase is kept in an atomic word updated by Read and
// ConnState, and the books of open connections are touched once when a
// connection opens and once when it closes.
//
// # TLS
//
// [Listener.ServeTLS] and [Policy.ServeTLS] serve as http.Server.ServeTLS
// does (srv.TLSConfig is honoured, certFile and keyFile may be "" when it
// has a certificate, HTTP/2 is offered through ALPN), with the Listener
// under tls.NewListener, next to the TCP socket. That order means:
//
//   - HTTP/2 through ALPN keeps working; on HTTP/2 connections the policy
//     applies per stream: "Connection: close" makes the HTTP/2 server send
//     GOAWAY (so Short mode still ends the connection after its first
//     response) and MaxRequests counts streams;
//   - a connection holds its MaxConns slot from the TCP accept, so a slow
//     TLS handshake holds one too, for at most net/http's handshake
//     timeout (the smallest of ReadHeaderTimeout, ReadTimeout and
//     WriteTimeout that is set);
//   - the request context still gets the connection: ConnContext finds the
//     *Conn under the *tls.Conn through its NetConn method;
//   - a *Conn sees ciphertext only: anything that reads the bytes passing
//     through Conn.Read (such as a capture of raw request headers) has to
//     wrap the plaintext side, above tls.NewListener, where it would turn
//     HTTP/2 off.
//
// # Raw request heads
//
// With Policy.CaptureHeaders, each *Conn hands the bytes its Read returns
// to a framer that follows HTTP/1.x request framing exactly as net/http's
// server does (Content-Length and chunked bodies with extensions and
// trailers, Transfer-Encoding ignored for HTTP/1.0, stray CR/LF after a
// POST, the MaxHeaderBytes+4096 limit) and keeps each request's head
// byte for byte. A handler gets its own with [RawHeader]:
//
//	head, ok := conn.RawHeader(r) // "GET / HTTP/1.1\r\nhost: x\r\n\r\n"
//
// net/http cannot give this: it canonicalises header names, loses their
// order and moves Host out of the map. The framer never blocks or panics
// (net/http also reads from a background goroutine); on anything it
// cannot follow as net/http would, it stops capturing on that connection
// and RawHeader reports false. CONNECT, Upgrade and the HTTP/2 preface
// end the capture on their connection. A differential fuzz test
// (FuzzCapture) checks the framing against a real http.Server.
//
// Capture needs the plaintext side of the connection. Under
// tls.NewListener a *Conn sees only ciphertext, so its capture stops at
// the first byte; capturing behind TLS means a Listener over the
// *tls.Conn's plaintext, which serves HTTP/1.1 only (no ALPN to HTTP/2).
// HTTP/2 requests have no raw head: loggers reconstruct it from the
// parsed request (package middleware does, and says so).
//
// Heads that net/http refuses before any handler runs (a control byte in
// a header value, a missing Host on HTTP/1.1, a head over MaxHeaderBytes,
// an unsupported version) never reach RawHeader. With Policy.OnRejected
// set, the Listener reports each of them, with the status net/http
// answered and the head as captured (at most MaxRejectedHead bytes),
// when it sees net/http's own error response leave on the connection:
//
//	p := conn.Policy{CaptureHeaders: true, OnRejected: headerLog.LogRejected}
//
// # Corking large responses
//
// net/http writes a response head on its own and, with TCP_NODELAY set,
// the kernel sends it at once, followed by the body in whatever segments
// the writes make. [Cork] and [Uncork] let a handler that is about to
// send a large body hold partial segments back (TCP_CORK on Linux), as
// nginx's tcp_nopush does, so that the head shares a segment with the
// start of the body and the body leaves in full segments; the staticfs
// Handler does so for bodies of 4 KiB and more. It only applies to HTTP/1
// requests on TCP connections a Listener accepted.
//
// # What net/http does by itself, and what this package adds
//
// net/http already keeps HTTP/1.1 connections alive, honours HTTP/1.0
// keep-alive for responses of known length, closes idle connections after
// IdleTimeout, bounds slow request headers with ReadHeaderTimeout, closes
// after any response whose Connection header is exactly "close", and closes
// idle connections on Shutdown. This package adds Short mode without the
// false keep-alive promise, a per-connection request cap, a cap on
// connections served at once, per-client caps, shedding and a header
// timeout under pressure, connection IDs and request numbers in the
// request context, and counters. It does so with a handler wrapper and a
// net.Conn wrapper that keeps the inner conn's fast paths: [Conn] has
// ReadFrom (so a *net.TCPConn still uses sendfile), CloseWrite,
// SyscallConn and NetConn, and no WriteTo or ConnectionState.
package conn
