package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"time"

	"github.com/webstatic/webstatic/middleware"
	"github.com/webstatic/webstatic/staticfs"
	"github.com/webstatic/webstatic/staticfs/conn"
)

// config is the parsed command line.
type config struct {
	root       string
	addr       string
	mem        bool
	listing    bool
	spa        bool
	etags      staticfs.ETagMode
	compress   codings
	policy     conn.Policy
	logHeaders string // "off", or a middleware.Format name: raw, lines, bytes, article
	headerTime time.Duration
	accessLog  bool
}

// parseFlags parses the command line; its error is one line that says
// which flag is wrong and why.
func parseFlags(args []string, output io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("fileserver", flag.ContinueOnError)
	// Errors are reported in one line by the caller; only -help prints
	// the usage.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.StringVar(&c.root, "root", "testdata/site", "directory to serve")
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "listen `host:port`; port 0 picks a free port")
	fs.BoolVar(&c.mem, "mem", false, "copy the tree into memory at start and serve it from there")
	fs.BoolVar(&c.listing, "listing", false, "list directories that have no index file (HTML, or JSON for Accept: application/json)")
	fs.BoolVar(&c.spa, "spa", false, "single-page-app fallback: unmatched paths that accept HTML get /index.html")
	fs.Var(&c.etags, "etag", "ETags from size and modification time (`meta`) or from a hash of the bytes (content)")
	c.compress = defaultCodings()
	fs.Var(&c.compress, "compress", "compress responses on the fly with these `codings`, in order of preference (br for cached files only), or off")
	fs.Var(&c.policy.Mode, "conn", "connection semantics: `short` (one request per connection) or keepalive")
	fs.IntVar(&c.policy.MaxRequests, "max-requests", 0, "keep-alive: close a connection after `N` requests (0: no cap)")
	fs.DurationVar(&c.policy.IdleTimeout, "idle-timeout", 30*time.Second, "keep-alive: close a connection idle for this `duration`")
	fs.IntVar(&c.policy.MaxConns, "max-conns", 0, "serve at most `N` connections at once; at the cap, idle and stalled ones are closed to make room (0: no cap)")
	fs.BoolVar(&c.policy.WaitWhenFull, "wait-when-full", false, "at -max-conns, make new clients wait instead of closing idle and stalled connections")
	fs.IntVar(&c.policy.MaxConnsPerClient, "max-conns-per-ip", 0, "connections one client (IPv4 address, IPv6 /64) may hold; more are closed at once (0: no cap)")
	fs.DurationVar(&c.policy.PressureHeaderTimeout, "pressure-header-timeout", 0, "under pressure, close a connection whose request head takes longer than this `duration`, e.g. 2s (0: off)")
	fs.IntVar(&c.policy.PressureLevel, "pressure-level", 0, "open connections from which -pressure-header-timeout applies (0: 3/4 of -max-conns, or of the descriptor limit)")
	fs.StringVar(&c.logHeaders, "log-headers", "raw", "raw request header log to stderr: off, `raw`, lines, bytes or article (what the article's Python server prints)")
	fs.BoolVar(&c.accessLog, "access-log", false, "one access-log line per request to stderr")
	fs.DurationVar(&c.headerTime, "header-timeout", 10*time.Second, "close a connection whose request head takes longer than this `duration`")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(output)
			fmt.Fprintln(output, "usage: fileserver [flags]")
			fs.PrintDefaults()
			return c, err
		}
		return c, fmt.Errorf("%v (see -help)", err)
	}
	if f := new(middleware.Format); c.logHeaders != "off" && f.Set(c.logHeaders) != nil {
		return c, fmt.Errorf("-log-headers %q: want off, raw, lines, bytes or article", c.logHeaders)
	}
	if c.policy.MaxRequests < 0 {
		return c, fmt.Errorf("-max-requests %d: want 0 or more", c.policy.MaxRequests)
	}
	if c.policy.MaxConns < 0 {
		return c, fmt.Errorf("-max-conns %d: want 0 or more", c.policy.MaxConns)
	}
	if c.policy.MaxConnsPerClient < 0 {
		return c, fmt.Errorf("-max-conns-per-ip %d: want 0 or more", c.policy.MaxConnsPerClient)
	}
	if c.policy.PressureHeaderTimeout < 0 {
		return c, fmt.Errorf("-pressure-header-timeout %v: want 0 (off) or a positive duration", c.policy.PressureHeaderTimeout)
	}
	if c.policy.PressureLevel < 0 {
		return c, fmt.Errorf("-pressure-level %d: want 0 or more", c.policy.PressureLevel)
	}
	if c.headerTime <= 0 {
		return c, fmt.Errorf("-header-timeout %v: want a positive duration", c.headerTime)
	}
	if c.policy.IdleTimeout <= 0 {
		return c, fmt.Errorf("-idle-timeout %v: want a positive duration", c.policy.IdleTimeout)
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if err := checkAddr(c.addr); err != nil {
		return c, fmt.Errorf("-addr %q: %v", c.addr, err)
	}
	if info, err := os.Stat(c.root); err != nil || !info.IsDir() {
		return c, fmt.Errorf("-root %q: not a directory", c.root)
	}
	return c, nil
}

func checkAddr(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return errors.New("want host:port")
	}
	if n, err := strconv.ParseUint(port, 10, 16); err != nil || (n == 0 && port != "0") {
		return errors.New("port must be a number from 0 to 65535")
	}
	return nil
}

func (c config) source() string {
	if c.mem {
		return "memory"
	}
	return "disk"
}
