package conn_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/webstatic/webstatic/staticfs/conn"
)

// One call wires the policy and serves. In Short mode each response says
// "Connection: close" and ends its connection, so a client's two requests
// use two connections.
func ExamplePolicy_Serve() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			info, _ := conn.FromContext(r.Context())
			fmt.Fprintf(w, "conn %d request %d", info.ID, info.Request)
		}),
		ReadHeaderTimeout: 10 * time.Second,
	}
	go conn.Policy{Mode: conn.Short}.Serve(srv, ln)
	defer srv.Close()

	client := &http.Client{Transport: &http.Transport{}}
	defer client.CloseIdleConnections()
	for range 2 {
		res, err := client.Get("http://" + ln.Addr().String() + "/")
		if err != nil {
			panic(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		fmt.Printf("%s, close=%v: %s\n", res.Status, res.Close, b)
	}
	// Output:
	// 200 OK, close=true: conn 1 request 1
	// 200 OK, close=true: conn 2 request 1
}

// A Listener kept by the caller gives the counters. Keep-alive mode with a
// cap of two requests per connection, like nginx's keepalive_requests.
func ExampleNewListener() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	l := conn.NewListener(ln, conn.Policy{MaxRequests: 2, IdleTimeout: 30 * time.Second})
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			info, _ := conn.FromContext(r.Context())
			fmt.Fprintf(w, "conn %d request %d", info.ID, info.Request)
		}),
		ReadHeaderTimeout: 10 * time.Second,
	}
	go l.Serve(srv)
	defer srv.Close()

	client := &http.Client{Transport: &http.Transport{}}
	defer client.CloseIdleConnections()
	for range 3 {
		res, err := client.Get("http://" + ln.Addr().String() + "/")
		if err != nil {
			panic(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		fmt.Printf("%s, close=%v: %s\n", res.Status, res.Close, b)
	}
	srv.Shutdown(context.Background()) // returns once every connection is closed
	s := l.Stats()
	fmt.Printf("accepted %d, open %d, requests %d, closed by policy %d\n", s.Accepted, s.Open, s.Requests, s.ClosedByPolicy)
	// Output:
	// 200 OK, close=false: conn 1 request 1
	// 200 OK, close=true: conn 1 request 2
	// 200 OK, close=false: conn 2 request 1
	// accepted 2, open 0, requests 3, closed by policy 1
}

// Mode is a flag.Value, for a -conn short|keepalive flag.
func ExampleMode_Set() {
	var m conn.Mode
	fmt.Println(m)
	if err := m.Set("short"); err != nil {
		panic(err)
	}
	fmt.Println(m)
	fmt.Println(m.Set("persistent"))
	// Output:
	// keepalive
	// short
	// conn: unknown mode "persistent" (want short or keepalive)
}

// With CaptureHeaders, a handler sees the request's head exactly as the
// client sent it: order, letter case and line endings included.
func ExampleRawHeader() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	l := conn.NewListener(ln, conn.Policy{CaptureHeaders: true})
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			head, ok := conn.RawHeader(r)
			fmt.Printf("%v %q\n", ok, head)
		}),
		ReadHeaderTimeout: 5 * time.Second,
	}
	go l.Serve(srv)
	defer srv.Close()

	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		panic(err)
	}
	defer c.Close()
	io.WriteString(c, "GET /x HTTP/1.1\r\nhost: example.test\r\nX-b: 2\r\nx-A: 1\r\nConnection: close\r\n\r\n")
	io.Copy(io.Discard, c)
	// Output:
	// true "GET /x HTTP/1.1\r\nhost: example.test\r\nX-b: 2\r\nx-A: 1\r\nConnection: close\r\n\r\n"
}

// Serving a Listener with http.Server.Serve would skip the policy, so its
// Accept refuses and Serve returns before serving anything.
func ExampleErrNotConfigured() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	l := conn.NewListener(ln, conn.Policy{Mode: conn.Short})
	srv := &http.Server{ReadHeaderTimeout: 5 * time.Second}
	err = srv.Serve(l) // wrong: l.Serve(srv)
	fmt.Println(errors.Is(err, conn.ErrNotConfigured))
	fmt.Println(err)
	// Output:
	// true
	// conn: Listener served without being configured: call l.Serve(srv) or l.ServeTLS(srv, certFile, keyFile) instead of srv.Serve(l)
}

// A handler that streams a large body corks the connection for the time
// it writes, so that the head and the body leave in full segments.
func ExampleCork() {
	report := func(w http.ResponseWriter, r *http.Request) {
		if conn.Cork(r) {
			defer conn.Uncork(r)
		}
		w.Header().Set("Content-Type", "text/csv")
		for i := range 100000 {
			fmt.Fprintf(w, "%d,%d\n", i, i*i)
		}
	}
	http.HandleFunc("/report.csv", report)
}
