// Package staticfstest provides utilities for testing a site served by
// [github.com/webstatic/webstatic/staticfs.Handler], in the spirit of [net/http/httptest] and
// [testing/fstest].
//
// [FS] builds an in-memory tree from a map in one call, with names rooted
// or not, parent directories created and one fixed modification time, so
// that ETags and Last-Modified are the same on every run. [Get] and [Do]
// send a request to a handler and return the [Response] it wrote.
//
//	func TestSite(t *testing.T) {
//		h := &staticfs.Handler{FS: staticfstest.FS(map[string]string{
//			"index.html":   "<h1>Home</h1>",
//			"css/site.css": "body{}",
//			"404.html":     "<h1>Not found</h1>",
//		})}
//		for target, want := range map[string]int{"/": 200, "/css/site.css": 200, "/nope": 404} {
//			if got := staticfstest.Get(h, target); got.Status != want {
//				t.Errorf("GET %s: status %d, want %d", target, got.Status, want)
//			}
//		}
//	}
//
// # Recorded, not served
//
// Get and Do call the handler's ServeHTTP directly with an
// [httptest.ResponseRecorder]; no server, connection or goroutine is
// involved. The Response is what the handler wrote, which is not quite
// what a client of a real [net/http.Server] receives:
//
//   - No Date header, and no Content-Length that the handler did not set
//     itself (a server adds one to short bodies); no Transfer-Encoding or
//     Connection headers either.
//   - A body written in answer to HEAD is kept in Body, where a server
//     would discard it (staticfs.Handler writes none).
//   - Headers changed after the first Write or WriteHeader are left out,
//     as a server leaves them out; trailers are dropped.
//   - A panic in the handler reaches the test, where a server would log
//     it and close the connection.
//
// Like a server, the recorder sets Content-Type from the first bytes of a
// body written without one. To test framing, keep-alive or anything else
// on the wire, run the handler under [httptest.NewServer].
package staticfstest
