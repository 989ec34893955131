// Command fileserver is the reference server of webstatic: it serves a
// directory, or a bucket of an S3-compatible store (-root
// s3://bucket/prefix), with staticfs.Handler.
//
//	go run ./examples/fileserver [flags] [DIR]
//
// With no flags it serves testdata/site on http://127.0.0.1:8080. It prints
// one line with the URL it listens on (the loopback one, then the others,
// for 0.0.0.0), and stops gracefully on SIGINT or SIGTERM with one line
// saying how many requests it served. A bad flag, or flags that
// contradict each other, exit 2 with one line.
//
// -h lists every flag with its default; README.md's table describes them:
// the tree (-root or DIR, -s3-path-style, -mem, -listing, -spa, -spa-page, -index,
// -not-found, -etag, -compress, -cache-control, -header), the connection
// layer (-conn, -max-requests, -idle-timeout, -header-timeout, -max-conns,
// -wait-when-full, -max-conns-per-ip, -pressure-header-timeout,
// -pressure-level), the protocols (-tls-cert, -tls-key, -tls-self-signed,
// -h2c, -http3), the pieces around the files (-extensions, -cors,
// -basic-auth, -security-headers, -health, -metrics) and the logs
// (-log-headers, -access-log, -quiet), and -version.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"strings"
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
	if cfg.version {
		fmt.Println(version())
		return
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
	tlsConf, certLine, err := cfg.tlsConfig()
	if err != nil {
		return err
	}
	tcp, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	logOut := io.Writer(os.Stderr)
	if cfg.logFile != "" {
		lf, err := openLogFile(cfg.logFile)
		if err != nil {
			tcp.Close()
			return fmt.Errorf("-log-file: %w", err)
		}
		defer lf.Close()
		reopenOnHangUp(ctx, lf)
		logOut = lf
	}
	policy := cfg.policy
	policy.CaptureHeaders = cfg.logHeaders != "off"
	h := cfg.handler(fsys, logOut, &policy)
	mx, err := cfg.listenMetrics() // nil without -metrics (metricsflag.go)
	if err != nil {
		tcp.Close()
		return err
	}
	defer mx.Close()
	h = mx.wrap(h)
	h3, err := cfg.listenHTTP3(tcp, tlsConf, h, logOut) // nil without -http3
	if err != nil {
		tcp.Close()
		return err
	}
	defer h3.Close()
	srv := &http.Server{
		Handler:           h3.advertise(h),
		ReadHeaderTimeout: cfg.headerTime,
		ReadTimeout:       30 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          log.New(logOut, "fileserver: ", log.LstdFlags),
		TLSConfig:         tlsConf,
	}
	if cfg.h2c {
		srv.Protocols = new(http.Protocols)
		srv.Protocols.SetHTTP1(true)
		srv.Protocols.SetUnencryptedHTTP2(true)
	}
	scheme := "http"
	if tlsConf != nil {
		scheme = "https"
	}
	url, others := urls(scheme, tcp.Addr().(*net.TCPAddr))
	fmt.Fprintf(stdout, "serving %s on %s (%s, %s)\n", cfg.root, url, cfg.policy.Mode, cfg.source())
	for _, u := range others {
		fmt.Fprintf(stdout, "also on %s\n", u)
	}
	if certLine != "" {
		fmt.Fprintln(stdout, certLine)
	}
	h3.printTo(stdout)
	mx.printTo(stdout)

	ln := conn.NewListener(tcp, policy)
	mx.serve(ln, logOut)
	errc := make(chan error, 1)
	go func() {
		if tlsConf != nil {
			errc <- ln.ServeTLS(srv, "", "")
		} else {
			errc <- ln.Serve(srv)
		}
	}()
	select {
	case err := <-errc:
		return err
	case err := <-h3.failed():
		return err
	case err := <-mx.failed():
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := h3.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := mx.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	st := ln.Stats()
	fmt.Fprintf(stdout, "stopped: served %d requests on %d connections%s\n", st.Requests, st.Accepted, h3.stats())
	return nil
}

// urls returns the URL to print for the listen address a, one a browser
// can open: for an unspecified host (0.0.0.0, ::) the loopback one, and
// then the addresses of the machine's interfaces.
func urls(scheme string, a *net.TCPAddr) (string, []string) {
	if !a.IP.IsUnspecified() {
		return scheme + "://" + a.String(), nil
	}
	loop := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: a.Port}
	var others []string
	addrs, _ := net.InterfaceAddrs()
	for _, ia := range addrs {
		ipn, ok := ia.(*net.IPNet)
		if !ok || ipn.IP.IsLoopback() || ipn.IP.IsLinkLocalUnicast() {
			continue
		}
		if ipn.IP.To4() == nil && a.IP.To4() != nil {
			continue // 0.0.0.0 listens on IPv4 only
		}
		others = append(others, scheme+"://"+(&net.TCPAddr{IP: ipn.IP, Port: a.Port}).String())
	}
	return scheme + "://" + loop.String(), others
}

// version is what -version prints: the module version (devel in a
// clone) and the Go release it was built with.
func version() string {
	v := "(devel)"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		v = bi.Main.Version
	}
	return "fileserver " + v + " " + runtime.Version()
}

// handler is the staticfs.Handler the flags describe, wrapped in the
// logs they ask for, which write to logOut. Precompressed sidecars (.br,
// .zst, .gz) are served, and other text compressed on the fly, by default.
// The header log also reports, through policy, the heads net/http
// rejects before any handler runs.
func (c config) handler(fsys afero.Fs, logOut io.Writer, policy *conn.Policy) http.Handler {
	sh := &staticfs.Handler{
		FS:            fsys,
		Listing:       c.listing,
		ETags:         c.etags,
		Compress:      c.compress,
		IndexNames:    []string(c.index),
		CacheControl:  []staticfs.CacheControlRule(c.cacheControl),
		SPAPage:       c.spaPage,
		NotFoundPages: []string{c.notFound},

		Extensions:         []string(c.extensions),
		RedirectExtensions: c.redirectExtensions,
		FileTrailingSlash:  c.fileSlash,
	}
	if c.notFound == "off" {
		sh.NotFoundPages = []string{}
	}
	var h http.Handler = sh
	// Inside out: 401s carry the security headers, preflights and health
	// checks need no credentials, and the logs see every request.
	if c.pieces.users != nil {
		h = (&middleware.BasicAuth{Users: c.pieces.users}).Wrap(h)
	}
	if c.pieces.securityHeaders {
		h = (&middleware.SecurityHeaders{}).Wrap(h)
	}
	if len(c.pieces.cors) > 0 {
		h = (&middleware.CORS{AllowedOrigins: c.pieces.cors}).Wrap(h)
	}
	if c.pieces.health != "" {
		h = (&middleware.Health{
			Path:      c.pieces.health,
			ReadyPath: strings.TrimSuffix(c.pieces.health, "/") + "/ready",
			Ready:     middleware.RootReadable(fsys),
		}).Wrap(h)
	}
	if len(c.headers) > 0 {
		h = withHeaders(h, c.headers)
	}
	if c.logHeaders != "off" {
		hl := &middleware.HeaderLog{Out: logOut}
		hl.Format.Set(c.logHeaders)
		policy.OnRejected = hl.LogRejected
		h = hl.Wrap(h)
	}
	if c.accessLog {
		al := &middleware.AccessLog{Out: logOut, Combined: c.accessLogFormat != "clf"}
		if c.accessLogFormat == "json" {
			al.Logger = slog.New(slog.NewJSONHandler(logOut, nil))
		}
		h = al.Wrap(h)
	}
	return h
}

// reopenOnHangUp reopens lf on every SIGHUP until ctx is done, as
// logrotate expects after it renamed the file.
func reopenOnHangUp(ctx context.Context, lf *logFile) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		defer signal.Stop(hup)
		for {
			select {
			case <-ctx.Done():
				return
			case <-hup:
				if err := lf.Reopen(); err != nil {
					fmt.Fprintf(os.Stderr, "fileserver: -log-file: reopen: %v\n", err)
				}
			}
		}
	}()
}

// withHeaders sets the -header headers on every response before h runs.
func withHeaders(h http.Handler, headers headerFlag) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, kv := range headers {
			w.Header().Add(kv[0], kv[1])
		}
		h.ServeHTTP(w, r)
	})
}

// filesystem opens the served tree: the directory itself, read-only, or a
// copy of it in memory.
func (c config) filesystem() (afero.Fs, error) {
	disk := afero.NewReadOnlyFs(afero.NewBasePathFs(afero.NewOsFs(), c.root))
	if c.s3.bucket != "" {
		var err error
		if disk, err = c.s3.filesystem(c.root); err != nil {
			return nil, err
		}
	}
	if !c.mem {
		return disk, nil
	}
	return copyToMemory(disk)
}
