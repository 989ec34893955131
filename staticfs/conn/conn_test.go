package conn_test

import (
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/webstatic/webstatic/staticfs/conn"
)

// acceptOne returns a server-side *conn.Conn and its client, both closed
// at cleanup.
func acceptOne(t *testing.T, p conn.Policy) (*conn.Conn, net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := conn.AcceptByHand(conn.NewListener(ln, p))
	t.Cleanup(func() { l.Close() })
	client, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	c, err := l.Accept()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c.(*conn.Conn), client
}

// TestConnMethodSet pins what net/http, the os package and tls see
// through a *conn.Conn.
func TestConnMethodSet(t *testing.T) {
	c, _ := acceptOne(t, conn.Policy{})
	var nc net.Conn = c
	if _, ok := nc.(io.ReaderFrom); !ok {
		t.Error("no ReadFrom: sendfile would be lost")
	}
	if _, ok := nc.(interface{ CloseWrite() error }); !ok {
		t.Error("no CloseWrite")
	}
	if _, ok := nc.(syscall.Conn); !ok {
		t.Error("no SyscallConn")
	}
	if _, ok := nc.(io.WriterTo); ok {
		t.Error("has WriteTo: a hijacked io.Copy would bypass Read")
	}
	if _, ok := nc.(interface{ ConnectionState() tls.ConnectionState }); ok {
		t.Error("has ConnectionState: net/http would set r.TLS on plaintext")
	}
	if _, ok := c.NetConn().(*net.TCPConn); !ok {
		t.Errorf("NetConn() = %T, want *net.TCPConn", c.NetConn())
	}
	if c.ID() != 1 {
		t.Errorf("ID() = %d, want 1", c.ID())
	}
	if _, err := c.SyscallConn(); err != nil {
		t.Errorf("SyscallConn: %v", err)
	}
}

func TestConnCloseWrite(t *testing.T) {
	c, client := acceptOne(t, conn.Policy{})
	if _, err := c.Write([]byte("hi")); err != nil {
		t.Fatal(err)
	}
	if err := c.CloseWrite(); err != nil {
		t.Fatal(err)
	}
	client.SetReadDeadline(time.Now().Add(5 * time.Second))
	got, err := io.ReadAll(client)
	if err != nil || string(got) != "hi" {
		t.Errorf("client read %q, %v; want \"hi\" then EOF", got, err)
	}
}

// TestConnWithoutOptionalMethods wraps a net.Pipe, which has neither
// CloseWrite, SyscallConn nor ReadFrom.
func TestConnWithoutOptionalMethods(t *testing.T) {
	a, b := net.Pipe()
	defer b.Close()
	l := conn.AcceptByHand(conn.NewListener(&oneConnListener{c: a}, conn.Policy{}))
	defer l.Close()
	nc, err := l.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	c := nc.(*conn.Conn)
	if err := c.CloseWrite(); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("CloseWrite = %v, want ErrUnsupported", err)
	}
	if _, err := c.SyscallConn(); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("SyscallConn = %v, want ErrUnsupported", err)
	}
	done := make(chan []byte)
	go func() { got, _ := io.ReadAll(b); done <- got }()
	if n, err := c.ReadFrom(readerOnly{strings.NewReader("copied")}); n != 6 || err != nil {
		t.Errorf("ReadFrom = %d, %v", n, err)
	}
	c.Close()
	if got := string(<-done); got != "copied" {
		t.Errorf("peer read %q", got)
	}
}

// TestReadFromReachesInnerConn serves a file with http.ServeContent and
// checks that the inner conn's ReadFrom (sendfile for *net.TCPConn) is
// what writes it. A wrapper without ReadFrom fails this.
func TestReadFromReachesInnerConn(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	data := make([]byte, 1<<20)
	for i := range data {
		data[i] = byte(i)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	rec := &recordingListener{Listener: ln}
	l := conn.NewListener(rec, conn.Policy{})
	served := make(chan struct{}) // closed when the handler is done, and so is ReadFrom
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer close(served)
		f, err := os.Open(path)
		if err != nil {
			http.Error(w, "open failed", 500)
			return
		}
		defer f.Close()
		http.ServeContent(w, r, "f", time.Time{}, f)
	})}
	go l.Serve(srv)
	defer srv.Close()

	client := &http.Client{Transport: &http.Transport{}}
	defer client.CloseIdleConnections()
	res, err := client.Get("http://" + ln.Addr().String() + "/f")
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil || len(got) != len(data) || string(got) != string(data) {
		t.Fatalf("body: %d bytes, %v; want the file's %d bytes", len(got), err, len(data))
	}
	// The client can have every byte before the server's sendfile call
	// has returned and been counted.
	<-served
	if n := rec.readFromBytes.Load(); n < int64(len(data))/2 {
		t.Errorf("inner ReadFrom wrote %d bytes of %d: the body did not go through it", n, len(data))
	}
}

// recordingListener wraps accepted *net.TCPConns to count what their
// ReadFrom writes.
type recordingListener struct {
	net.Listener
	readFromBytes atomic.Int64
}

func (l *recordingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &recordingConn{TCPConn: c.(*net.TCPConn), n: &l.readFromBytes}, nil
}

type recordingConn struct {
	*net.TCPConn
	n *atomic.Int64
}

func (c *recordingConn) ReadFrom(r io.Reader) (int64, error) {
	n, err := c.TCPConn.ReadFrom(r)
	c.n.Add(n)
	return n, err
}

// oneConnListener hands out one conn, then blocks until closed.
type oneConnListener struct {
	c    net.Conn
	done chan struct{}
}

func (l *oneConnListener) Accept() (net.Conn, error) {
	if c := l.c; c != nil {
		l.c = nil
		l.done = make(chan struct{})
		return c, nil
	}
	<-l.done
	return nil, net.ErrClosed
}

func (l *oneConnListener) Close() error {
	if l.done != nil {
		close(l.done)
	}
	return nil
}

func (l *oneConnListener) Addr() net.Addr { return &net.TCPAddr{} }

type readerOnly struct{ io.Reader }
