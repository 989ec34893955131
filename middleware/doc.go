// Package middleware holds func(http.Handler) http.Handler pieces to wrap
// a file server with, the first of which print what a request looked
// like on the wire.
//
// # Header log
//
// [HeaderLog] prints each request's request line and header lines as the
// client sent them: their order, their letter case, duplicates, and the
// line endings, like a teaching server that prints recv(). net/http
// cannot show that by itself: it canonicalises header names, loses their
// order and moves Host out of the map. The raw head is captured by the
// connection layer (package staticfs/conn) before net/http parses it;
// without that layer the log rebuilds the head from the parsed request
// and says so on the block's separator line.
//
//	log := &middleware.HeaderLog{Out: os.Stderr, Format: middleware.Raw}
//	srv.Handler = log.Wrap(&staticfs.Handler{FS: fsys})
//
// Besides Raw, three formats print a head byte for byte as Python 3
// prints it, so that a reader of a Python teaching server's article sees
// the same output: [Lines] is print(request.decode().splitlines()),
// [Bytes] is print(request) of the bytes recv() returned, and [Article]
// is the article's own per-request output, with no separator line.
// Heads that net/http refuses before any handler runs (a control byte,
// a missing Host, a head too large) are logged too, marked with the
// status it answered, through [HeaderLog.LogRejected] set as the
// connection policy's OnRejected.
//
// # Access log
//
// [AccessLog] writes one line per request in Common Log Format, extended
// with the duration and the connection and request numbers, or one
// log/slog record.
//
// # Around the files
//
// [CORS] answers preflights before the wrapped handler and puts the CORS
// headers on every answer of an allowed origin, errors included.
// [BasicAuth] admits the users of a user:bcrypt-hash file ([ParseUsers]).
// [SecurityHeaders] sends HSTS (TLS only), X-Frame-Options,
// Referrer-Policy and nosniff, and a Content-Security-Policy on the pages
// the server generates. [Health] answers a load balancer's liveness and
// readiness checks. [Compress] compresses any handler's responses. Wrap
// them inside out as Health(CORS(SecurityHeaders(BasicAuth(h)))):
// preflights and health checks carry no credentials, and 401s get the
// security headers.
//
// # Safety
//
// Logs travel further than requests: credentials (Authorization,
// Proxy-Authorization, Cookie, Set-Cookie) are redacted by default, and
// control bytes and invalid UTF-8 are escaped so that no client can forge
// a log line or drive an operator's terminal. Blocks and lines of
// concurrent requests are written with one Write each, under a lock, so
// they never interleave.
package middleware
