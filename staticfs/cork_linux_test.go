package staticfs_test

import (
	"context"
	"encoding/binary"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"unsafe"

	"github.com/google/go-cmp/cmp"

	"github.com/webstatic/webstatic/staticfs"
	"github.com/webstatic/webstatic/staticfs/conn"
)

type tcpKey struct{}

// corkState reads TCP_CORK of the connection a request arrived on.
func corkState(r *http.Request) int {
	raw, err := r.Context().Value(tcpKey{}).(*net.TCPConn).SyscallConn()
	if err != nil {
		return -1
	}
	v := -1
	raw.Control(func(fd uintptr) { v, _ = syscall.GetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_CORK) })
	return v
}

// segsOut reads tcpi_segs_out, the segments sent, from TCP_INFO of the
// connection a request arrived on (offset 136 of struct tcp_info).
func segsOut(r *http.Request) uint32 {
	raw, err := r.Context().Value(tcpKey{}).(*net.TCPConn).SyscallConn()
	if err != nil {
		return 0
	}
	var info [232]byte
	size := uint32(len(info))
	raw.Control(func(fd uintptr) {
		syscall.Syscall6(syscall.SYS_GETSOCKOPT, fd, syscall.IPPROTO_TCP, syscall.TCP_INFO,
			uintptr(unsafe.Pointer(&info[0])), uintptr(unsafe.Pointer(&size)), 0)
	})
	return binary.NativeEndian.Uint32(info[136:])
}

// corkProbe records the connection's TCP_CORK once the first body write
// has returned.
type corkProbe struct {
	http.ResponseWriter
	r     *http.Request
	after int // TCP_CORK after the first body write; -1 before one
}

func (p *corkProbe) probe() {
	if p.after == -1 {
		p.after = corkState(p.r)
	}
}

func (p *corkProbe) Write(b []byte) (int, error) {
	n, err := p.ResponseWriter.Write(b)
	p.probe()
	return n, err
}

func (p *corkProbe) ReadFrom(src io.Reader) (int64, error) {
	n, err := p.ResponseWriter.(io.ReaderFrom).ReadFrom(src)
	p.probe()
	return n, err
}

// TestCorksLargeBodies serves files behind the connection layer: a body
// of 4 KiB or more is corked (conn.Cork), smaller ones, HEAD requests and
// 304s are not, and no cork is left when the handler returns. A body in
// memory (16 KiB) leaves with its head in one segment, held in the Conn,
// without TCP_CORK; a file from disk (128 KiB, sendfile) goes under
// TCP_CORK.
func TestCorksLargeBodies(t *testing.T) {
	large := strings.Repeat("0123456789abcdef", 8<<10) // 128 KiB: from disk
	mid := strings.Repeat("0123456789abcdef", 1<<10)   // 16 KiB: from memory
	h := &staticfs.Handler{FS: diskSiteFs(t, map[string]string{"/large.bin": large, "/mid.bin": mid, "/small.txt": "small"})}
	type probe struct {
		AfterWrite, AfterHandler int
		Segments                 uint32 // sent while the handler ran, for bodies from memory: how many sendfile takes is the kernel's
	}
	got := make(chan probe, 1)
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			p := &corkProbe{ResponseWriter: w, r: r, after: -1}
			segs := segsOut(r)
			h.ServeHTTP(p, r)
			pr := probe{p.after, corkState(r), segsOut(r) - segs}
			if strings.HasPrefix(r.URL.Path, "/large") {
				pr.Segments = 0
			}
			got <- pr
		}),
		ConnContext: func(ctx context.Context, nc net.Conn) context.Context {
			return context.WithValue(ctx, tcpKey{}, nc.(*conn.Conn).NetConn())
		},
	}
	tcp, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go conn.Policy{}.Serve(srv, tcp)
	defer srv.Close()

	tests := []struct {
		name, method, target, header string // header: a Range, or "if-none-match" for the ETag
		status                       int
		want                         probe
	}{
		{"large GET", "GET", "/large.bin", "", 200, probe{1, 0, 0}},
		{"large range", "GET", "/large.bin", "bytes=0-99999", 206, probe{1, 0, 0}},
		{"mid GET", "GET", "/mid.bin", "", 200, probe{0, 0, 1}},
		{"small GET", "GET", "/small.txt", "", 200, probe{0, 0, 0}},
		{"large HEAD", "HEAD", "/large.bin", "", 200, probe{-1, 0, 0}},
		{"large 304", "GET", "/large.bin", "if-none-match", 304, probe{-1, 0, 0}},
	}
	client := &http.Client{}
	for _, target := range []string{"/large.bin", "/mid.bin"} { // cache them
		resp, err := client.Get("http://" + tcp.Addr().String() + target)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		<-got
	}
	resp, err := client.Head("http://" + tcp.Addr().String() + "/large.bin")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	<-got
	etag := resp.Header.Get("Etag")
	for _, tt := range tests {
		req, _ := http.NewRequest(tt.method, "http://"+tcp.Addr().String()+tt.target, nil)
		switch tt.header {
		case "":
		case "if-none-match":
			req.Header.Set("If-None-Match", etag)
		default:
			req.Header.Set("Range", tt.header)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.status {
			t.Errorf("%s: status %d, want %d", tt.name, resp.StatusCode, tt.status)
		}
		if diff := cmp.Diff(tt.want, <-got); diff != "" {
			t.Errorf("%s (%d, %d bytes): TCP_CORK and segments (-want +got):\n%s", tt.name, resp.StatusCode, n, diff)
		}
	}
}
