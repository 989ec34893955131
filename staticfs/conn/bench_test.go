package conn_test

import (
	"bufio"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/webstatic/webstatic/staticfs/conn"
)

// plainHandler serves body like fixedHandler, without X-Conn, so that
// both sides of a comparison run the same handler code.
func plainHandler() http.Handler {
	clen := strconv.Itoa(len(body))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("Content-Length", clen)
		w.Write(body)
	})
}

// startBare serves h on 127.0.0.1:0 with no conn.Listener.
func startBare(b *testing.B, h http.Handler, setup func(*http.Server)) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ErrorLog: log.New(io.Discard, "", 0)}
	if setup != nil {
		setup(srv)
	}
	done := make(chan struct{})
	go func() { srv.Serve(ln); close(done) }()
	b.Cleanup(func() { srv.Close(); <-done })
	return ln.Addr().String()
}

// BenchmarkKeepAlive: HTTP/1.1 requests on persistent connections, one
// per parallel client, through the layer and on a bare listener.
func BenchmarkKeepAlive(b *testing.B) {
	servers := []struct {
		name  string
		start func(*testing.B) string
	}{
		{"layer", func(b *testing.B) string { return startServer(b, conn.Policy{}, plainHandler(), nil).Addr }},
		{"bare", func(b *testing.B) string { return startBare(b, plainHandler(), nil) }},
	}
	for _, s := range servers {
		b.Run(s.name, func(b *testing.B) {
			addr := s.start(b)
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				c, err := net.Dial("tcp", addr)
				if err != nil {
					b.Error(err)
					return
				}
				defer c.Close()
				br := bufio.NewReader(c)
				for pb.Next() {
					if err := roundTrip(c, br, get11); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

// BenchmarkShort: one HTTP/1.0 request per connection, through the layer
// in Short mode and on a bare listener with SetKeepAlivesEnabled(false).
func BenchmarkShort(b *testing.B) {
	servers := []struct {
		name  string
		start func(*testing.B) string
	}{
		{"layer", func(b *testing.B) string {
			return startServer(b, conn.Policy{Mode: conn.Short}, plainHandler(), nil).Addr
		}},
		{"nokeepalive", func(b *testing.B) string {
			return startBare(b, plainHandler(), func(s *http.Server) { s.SetKeepAlivesEnabled(false) })
		}},
	}
	for _, s := range servers {
		b.Run(s.name, func(b *testing.B) {
			addr := s.start(b)
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := shortRequest(addr); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

// roundTrip sends req and reads one response with its body.
func roundTrip(c net.Conn, br *bufio.Reader, req string) error {
	if _, err := io.WriteString(c, req); err != nil {
		return err
	}
	res, err := http.ReadResponse(br, nil)
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return err
}

// shortRequest dials, makes one HTTP/1.0 request and waits for the
// server to close.
func shortRequest(addr string) error {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	defer c.Close()
	br := bufio.NewReader(c)
	if err := roundTrip(c, br, get10); err != nil {
		return err
	}
	if _, err := br.ReadByte(); !errors.Is(err, io.EOF) {
		return errors.New("server did not close after the response")
	}
	return nil
}
