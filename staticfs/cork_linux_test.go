package staticfs_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"

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

// corkProbe records the connection's TCP_CORK when the body is written
// and once the handler has returned.
type corkProbe struct {
	http.ResponseWriter
	r        *http.Request
	duringBy int // TCP_CORK at the first body write; -1 before one
}

func (p *corkProbe) probe() {
	if p.duringBy == -1 {
		p.duringBy = corkState(p.r)
	}
}

func (p *corkProbe) Write(b []byte) (int, error) { p.probe(); return p.ResponseWriter.Write(b) }

func (p *corkProbe) ReadFrom(src io.Reader) (int64, error) {
	p.probe()
	return p.ResponseWriter.(io.ReaderFrom).ReadFrom(src)
}

// TestCorksLargeBodies serves files behind the connection layer: a body
// of 64 KiB or more is sent with the connection corked, so that the head
// and the body share segments, and the cork is gone when the handler
// returns; smaller files and HEAD requests are not corked. A 304 for a
// large file is answered after the handler has uncorked.
func TestCorksLargeBodies(t *testing.T) {
	large := strings.Repeat("0123456789abcdef", 8<<10) // 128 KiB
	h := &staticfs.Handler{FS: diskSiteFs(t, map[string]string{"/large.bin": large, "/small.txt": "small"})}
	type probe struct{ During, After int }
	got := make(chan probe, 1)
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			p := &corkProbe{ResponseWriter: w, r: r, duringBy: -1}
			h.ServeHTTP(p, r)
			got <- probe{p.duringBy, corkState(r)}
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
		{"large GET", "GET", "/large.bin", "", 200, probe{1, 0}},
		{"large range", "GET", "/large.bin", "bytes=0-99999", 206, probe{1, 0}},
		{"small GET", "GET", "/small.txt", "", 200, probe{0, 0}},
		{"large HEAD", "HEAD", "/large.bin", "", 200, probe{-1, 0}},
		{"large 304", "GET", "/large.bin", "if-none-match", 304, probe{-1, 0}},
	}
	client := &http.Client{}
	resp, err := client.Get("http://" + tcp.Addr().String() + "/large.bin")
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
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
			t.Errorf("%s (%d, %d bytes): TCP_CORK (-want +got):\n%s", tt.name, resp.StatusCode, n, diff)
		}
	}
}
