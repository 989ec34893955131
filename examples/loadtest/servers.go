package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/spf13/afero"
	"github.com/webstatic/webstatic/middleware"
	"github.com/webstatic/webstatic/staticfs"
	"github.com/webstatic/webstatic/staticfs/conn"
)

// The test files, by scenario. The .html and .txt ones are text that
// compresses as a real page does (words at random, about 3:1 with gzip
// level 1), for the compression scenarios; the others repeat 16 bytes.
var files = map[string]int{"1k.css": 1 << 10, "1m.bin": 1 << 20, "100m.bin": 100 << 20,
	"16k.html": 16 << 10, "1m.txt": 1 << 20}

// writeFiles creates the test files in dir (the 100 MiB one only when
// large is set) and returns a MemMapFs copy of them.
func writeFiles(dir string, large bool) (afero.Fs, error) {
	mem := afero.NewMemMapFs()
	for name, size := range files {
		if size > 1<<20 && !large {
			continue
		}
		b := bytes.Repeat([]byte("0123456789abcdef"), size/16)
		if ext := filepath.Ext(name); ext == ".html" || ext == ".txt" {
			b = pageText(size)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return nil, err
		}
		if err := afero.WriteFile(mem, "/"+name, b, 0o644); err != nil {
			return nil, err
		}
	}
	return mem, nil
}

// server is a server under test: its name, base URL and a reading of
// the CPU time it has used so far.
type server struct {
	name string
	url  string
	cpu  func() time.Duration
}

// goServers starts the Go servers on 127.0.0.1:0 in this process; the
// logging ones write to buffered files in logDir.
func goServers(dir, logDir string, mem afero.Fs) (map[string]server, func(), error) {
	body := bytes.Repeat([]byte("0123456789abcdef"), 64)
	fixed := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "text/css; charset=utf-8")
		h.Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body)
	})
	disk := afero.NewBasePathFs(afero.NewOsFs(), dir)
	type spec struct {
		name      string
		h         http.Handler
		policy    *conn.Policy // nil: a bare listener
		keepAlive bool
	}
	headerLog, closeHeaderLog, err := logFile(logDir, "headers.log")
	if err != nil {
		return nil, nil, err
	}
	accessLog, closeAccessLog, err := logFile(logDir, "access.log")
	if err != nil {
		closeHeaderLog()
		return nil, nil, err
	}
	specs := []spec{
		{"staticfs", &staticfs.Handler{FS: disk}, nil, true},
		{"staticfs-mem", &staticfs.Handler{FS: mem}, nil, true},
		{"staticfs+conn", &staticfs.Handler{FS: disk}, &conn.Policy{}, true},
		{"staticfs+conn+headerlog", (&middleware.HeaderLog{Out: headerLog}).Wrap(&staticfs.Handler{FS: disk}),
			&conn.Policy{CaptureHeaders: true}, true},
		{"staticfs+accesslog", (&middleware.AccessLog{Out: accessLog}).Wrap(&staticfs.Handler{FS: disk}), nil, true},
		{"http.FileServer", http.FileServer(http.Dir(dir)), nil, true},
		{"fixed-handler", fixed, nil, true},
		{"staticfs+conn-short", &staticfs.Handler{FS: disk}, &conn.Policy{Mode: conn.Short}, true},
		{"staticfs-keepalives-off", &staticfs.Handler{FS: disk}, nil, false},
		{"staticfs+cors", (&middleware.CORS{AllowedOrigins: []string{"https://a.example"}}).Wrap(&staticfs.Handler{FS: disk}), nil, true},
		{"staticfs+securityheaders", (&middleware.SecurityHeaders{}).Wrap(&staticfs.Handler{FS: disk}), nil, true},
		{"staticfs+health", (&middleware.Health{Path: "/healthz", ReadyPath: "/healthz/ready", Ready: middleware.RootReadable(disk)}).Wrap(&staticfs.Handler{FS: disk}), nil, true},
	}
	servers := map[string]server{}
	var srvs []*http.Server
	stop := func() {
		for _, s := range srvs {
			s.Close()
		}
		closeHeaderLog()
		closeAccessLog()
	}
	for _, sp := range specs {
		tcp, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			stop()
			return nil, nil, err
		}
		srv := &http.Server{Handler: sp.h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 30 * time.Second}
		srv.SetKeepAlivesEnabled(sp.keepAlive)
		srvs = append(srvs, srv)
		if sp.policy != nil {
			go sp.policy.Serve(srv, tcp)
		} else {
			go srv.Serve(tcp)
		}
		servers[sp.name] = server{sp.name, fmt.Sprintf("http://%s", tcp.Addr()), selfCPU}
	}
	return servers, stop, nil
}

// logFile creates a log file in dir behind a 64 KiB buffer, as a
// production server would log; the loggers serialise their writes. The
// returned function flushes and closes it.
func logFile(dir, name string) (io.Writer, func(), error) {
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		return nil, nil, err
	}
	w := bufio.NewWriterSize(f, 64<<10)
	return w, func() { w.Flush(); f.Close() }, nil
}
