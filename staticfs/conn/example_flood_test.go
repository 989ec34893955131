package conn_test

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/webstatic/webstatic/staticfs/conn"
)

// A client may hold two connections; its third is closed as soon as it
// is accepted, while another client (127.0.0.2, a second loopback
// address) is served. At the cap of 100 connections the Listener would
// shed idle and stalled ones, and under pressure (75 open by default) a
// head must arrive within 2 s.
func ExamplePolicy_floodDefences() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	l := conn.NewListener(ln, conn.Policy{
		MaxConns:              100,
		MaxConnsPerClient:     2,
		PressureHeaderTimeout: 2 * time.Second,
	})
	srv := &http.Server{
		Handler:           http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "hello") }),
		ReadHeaderTimeout: 10 * time.Second,
	}
	go l.Serve(srv)
	defer srv.Close()

	from := func(src string) net.Conn {
		d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}}
		c, err := d.Dial("tcp", ln.Addr().String())
		if err != nil {
			panic(err)
		}
		return c
	}
	for i := range 3 {
		c := from("127.0.0.1")
		defer c.Close()
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		if i == 2 {
			_, err := c.Read(make([]byte, 1))
			fmt.Println("third connection:", err)
		}
	}
	other := from("127.0.0.2")
	defer other.Close()
	io.WriteString(other, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	b := make([]byte, 12)
	io.ReadFull(other, b)
	fmt.Printf("other client: %s\n", b)
	fmt.Println("rejected:", l.Stats().RejectedPerClient)
	// Output:
	// third connection: EOF
	// other client: HTTP/1.1 200
	// rejected: 1
}
