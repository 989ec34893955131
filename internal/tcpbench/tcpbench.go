package tcpbench

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"testing"
)

// Run serves h with serve (srv.Serve itself, or a connection layer's
// Serve) on 127.0.0.1:0 and times b's loop over one connection sending
// req, a whole HTTP/1.1 request, and reading each response. It reports
// allocations, the client's included.
func Run(b *testing.B, h http.Handler, serve func(*http.Server, net.Listener) error, req []byte) {
	b.Helper()
	tcp, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := &http.Server{Handler: h}
	done := make(chan struct{})
	go func() { serve(srv, tcp); close(done) }()
	defer func() { srv.Close(); <-done }()
	c, err := net.Dial("tcp", tcp.Addr().String())
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	br := bufio.NewReader(c)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Write(req); err != nil {
			b.Fatal(err)
		}
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

// Plain serves with srv.Serve, no connection layer.
func Plain(srv *http.Server, ln net.Listener) error { return srv.Serve(ln) }
