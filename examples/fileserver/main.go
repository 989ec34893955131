// Command fileserver is the reference server of webstatic: it serves a
// directory with staticfs.Handler.
//
//	go run ./examples/fileserver [flags]
//
// With no flags it serves testdata/site on http://127.0.0.1:8080. It prints
// one line with the URL it listens on, and stops gracefully on SIGINT or
// SIGTERM. Flags:
//
//	-root DIR    directory to serve (default testdata/site)
//	-addr ADDR   listen address; port 0 picks a free port (default 127.0.0.1:8080)
//	-mem         copy the tree into memory at start and serve it from there
//	-listing     list directories that have no index file (HTML or JSON)
//	-spa         single-page-app fallback to /index.html for HTML navigations
//	-etag MODE   meta (size and modification time) or content (hash of bytes)
//	-compress L  compress on the fly with br,zstd,gzip (default; br for cached files only), a subset, or off
//	-conn MODE   short (one request per connection) or keepalive (default)
//	-max-requests N   keep-alive: close a connection after N requests (0: no cap)
//	-idle-timeout D   keep-alive: close a connection idle for D (default 30s)
//	-max-conns N      serve at most N connections at once; at the cap, idle and stalled ones are shed (0: no cap)
//	-wait-when-full   at -max-conns, make new clients wait instead of shedding
//	-max-conns-per-ip N  connections one client (IPv4 address, IPv6 /64) may hold (0: no cap)
//	-pressure-header-timeout D  header timeout while under pressure, e.g. 2s (default 0: off)
//	-pressure-level N open connections from which the pressure timeout applies (0: 3/4 of the cap or descriptor limit)
//	-log-headers F    raw request header log to stderr: off, raw (default), lines, bytes or article
//	-access-log       one access-log line per request to stderr
//	-header-timeout D close a connection whose request head takes longer (default 10s)
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/afero"
	"github.com/webstatic/webstatic/middleware"
	"github.com/webstatic/webstatic/staticfs"
	"github.com/webstatic/webstatic/staticfs/conn"
)

func main() {
	cfg, err := parseFlags(os.Args[1:], os.Stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintf(os.Stderr, "fileserver: %v\n", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg, os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "fileserver: %v\n", err)
		os.Exit(1)
	}
}

// run serves until ctx is done, then shuts the server down gracefully.
func run(ctx context.Context, cfg config, stdout io.Writer) error {
	fsys, err := cfg.filesystem()
	if err != nil {
		return err
	}
	tcp, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	policy := cfg.policy
	policy.CaptureHeaders = cfg.logHeaders != "off"
	srv := &http.Server{
		Handler:           cfg.handler(fsys, os.Stderr, &policy),
		ReadHeaderTimeout: cfg.headerTime,
		ReadTimeout:       30 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          log.New(os.Stderr, "fileserver: ", log.LstdFlags),
	}
	fmt.Fprintf(stdout, "serving %s on http://%s (%s, %s)\n", cfg.root, tcp.Addr(), cfg.policy.Mode, cfg.source())

	errc := make(chan error, 1)
	go func() { errc <- policy.Serve(srv, tcp) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// handler is the staticfs.Handler the flags describe, wrapped in the
// logs they ask for, which write to logOut. Precompressed sidecars (.br,
// .zst, .gz) are served, and other text compressed on the fly, by default.
// The header log also reports, through policy, the heads net/http
// rejects before any handler runs.
func (c config) handler(fsys afero.Fs, logOut io.Writer, policy *conn.Policy) http.Handler {
	sh := &staticfs.Handler{
		FS:       fsys,
		Listing:  c.listing,
		ETags:    c.etags,
		Compress: c.compress,
	}
	if c.spa {
		sh.SPAPage = "/index.html"
	}
	var h http.Handler = sh
	if c.logHeaders != "off" {
		hl := &middleware.HeaderLog{Out: logOut}
		hl.Format.Set(c.logHeaders)
		policy.OnRejected = hl.LogRejected
		h = hl.Wrap(h)
	}
	if c.accessLog {
		h = (&middleware.AccessLog{Out: logOut}).Wrap(h)
	}
	return h
}

// filesystem opens the served tree: the directory itself, read-only, or a
// copy of it in memory.
func (c config) filesystem() (afero.Fs, error) {
	disk := afero.NewReadOnlyFs(afero.NewBasePathFs(afero.NewOsFs(), c.root))
	if !c.mem {
		return disk, nil
	}
	return copyToMemory(disk)
}
