package conn_test

import (
	"context"
	"encoding/binary"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/google/go-cmp/cmp"

	"github.com/webstatic/webstatic/staticfs/conn"
)

// corked reads TCP_CORK of the TCP connection under nc.
func corked(t *testing.T, nc net.Conn) int {
	t.Helper()
	raw, err := nc.(*conn.Conn).NetConn().(*net.TCPConn).SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	v := -1
	raw.Control(func(fd uintptr) {
		v, err = syscall.GetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_CORK)
	})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

type netConnKey struct{}

// segsOut reads tcpi_segs_out, the segments sent, from TCP_INFO of the
// TCP connection under nc (Linux 4.2 and later; offset 136 of struct
// tcp_info).
func segsOut(t *testing.T, nc net.Conn) uint32 {
	t.Helper()
	raw, err := nc.(*conn.Conn).NetConn().(*net.TCPConn).SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var info [232]byte
	size := uint32(len(info))
	var errno syscall.Errno
	raw.Control(func(fd uintptr) {
		_, _, errno = syscall.Syscall6(syscall.SYS_GETSOCKOPT, fd, syscall.IPPROTO_TCP, syscall.TCP_INFO,
			uintptr(unsafe.Pointer(&info[0])), uintptr(unsafe.Pointer(&size)), 0)
	})
	if errno != 0 || size < 140 {
		t.Skipf("TCP_INFO without tcpi_segs_out: %v, %d bytes", errno, size)
	}
	return binary.NativeEndian.Uint32(info[136:])
}

// corkCase is what a handler does between Cork and Uncork, and what the
// connection shows: TCP_CORK before Uncork, and the segments the
// response took.
type corkCase struct {
	name     string
	write    func(w http.ResponseWriter)
	corked   int    // TCP_CORK just before Uncork
	segments uint32 // on loopback, whose MSS is 64 KiB
	body     int    // bytes the client gets
}

// TestCork: corked, a head and a body written as net/http writes them
// (its 4 KiB flush, then the rest) leave in one writev and one segment,
// without TCP_CORK (the kernel's cork alone took two setsockopt calls
// and two writes for the same segment); a head and a small body flushed
// are held and sent at Uncork; a file sent with sendfile after the head
// goes under TCP_CORK, lifted at Uncork. Cork reports false where it
// cannot cork.
func TestCork(t *testing.T) {
	file := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(file, make([]byte, 32<<10), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []corkCase{
		{"head and 16 KiB from memory", func(w http.ResponseWriter) { w.Write(make([]byte, 16<<10)) }, 0, 1, 16 << 10},
		{"small body held until Uncork", func(w http.ResponseWriter) {
			io.WriteString(w, "hello")
			w.(http.Flusher).Flush() // the head and "hello" reach the Conn, which holds them
		}, 0, 1, 5},
		{"head then sendfile", func(w http.ResponseWriter) {
			f, err := os.Open(file)
			if err != nil {
				t.Error(err)
				return
			}
			defer f.Close()
			w.Header().Set("Content-Length", "32768")
			w.(io.ReaderFrom).ReadFrom(f)
		}, 1, 2, 32 << 10}, // the kernel sends the pages in a segment of their own, as it did with TCP_CORK from the start
	}
	type seen struct {
		Before, During, After int
		Segments              uint32
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := make(chan seen, 1)
			ts := startServer(t, conn.Policy{}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				nc := r.Context().Value(netConnKey{}).(net.Conn)
				var s seen
				s.Before = corked(t, nc)
				segs := segsOut(t, nc)
				if !conn.Cork(r) {
					t.Error("Cork on an HTTP/1.1 TCP connection reported false")
				}
				c.write(w)
				s.During = corked(t, nc)
				conn.Uncork(r)
				s.After = corked(t, nc)
				s.Segments = segsOut(t, nc) - segs
				got <- s
			}), func(srv *http.Server) {
				srv.ConnContext = func(ctx context.Context, nc net.Conn) context.Context {
					return context.WithValue(ctx, netConnKey{}, nc)
				}
			})
			resp, err := http.Get(ts.URL + "/")
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			want := seen{0, c.corked, 0, c.segments}
			if diff := cmp.Diff(want, <-got); diff != "" {
				t.Errorf("TCP_CORK before, during, after, and segments sent (-want +got):\n%s", diff)
			}
			if len(body) != c.body {
				t.Errorf("body of %d bytes, want %d", len(body), c.body)
			}
		})
	}

	if conn.Cork(httptest.NewRequest("GET", "/", nil)) {
		t.Error("Cork reported true for a request without a connection")
	}
	conn.Uncork(httptest.NewRequest("GET", "/", nil)) // must not panic
}

// TestCorkForgotten: a handler that corks and returns without Uncork
// still has its response sent, when net/http has finished it, and the
// next request on the connection starts uncorked.
func TestCorkForgotten(t *testing.T) {
	states := make(chan int, 2)
	ts := startServer(t, conn.Policy{}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		nc := r.Context().Value(netConnKey{}).(net.Conn)
		states <- corked(t, nc)
		conn.Cork(r)
		io.WriteString(w, "hello")
		w.(http.Flusher).Flush() // held by the Conn
		w.Write(make([]byte, 64<<10))
	}), func(srv *http.Server) {
		srv.ConnContext = func(ctx context.Context, nc net.Conn) context.Context {
			return context.WithValue(ctx, netConnKey{}, nc)
		}
	})
	client := &http.Client{Timeout: 5 * time.Second}
	for i := range 2 {
		resp, err := client.Get(ts.URL + "/")
		if err != nil {
			t.Fatalf("request %d: %v", i+1, err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || len(body) != 5+64<<10 {
			t.Fatalf("request %d: %d bytes, %v", i+1, len(body), err)
		}
		if c := <-states; c != 0 {
			t.Errorf("request %d began with TCP_CORK %d, want 0", i+1, c)
		}
	}
}
