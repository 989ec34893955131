package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"strconv"
	"strings"
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

	index        listFlag         // -index; nil never (the default is index.html)
	cacheControl cacheControlFlag // -cache-control rules, in order
	headers      headerFlag       // -header, set on every response
	spaPage      string           // -spa-page, or /index.html with -spa; "" for none
	notFound     string           // -not-found page name, or "off"
	quiet        bool
	version      bool

	pieces piecesConfig // -cors, -basic-auth, -security-headers, -health

	metricsAddr string // -metrics: Prometheus exposition on a listener of its own (metricsflag.go)

	extensions         extensionsFlag         // -extensions: clean URLs
	redirectExtensions bool                   // -redirect-extensions
	fileSlash          staticfs.TrailingSlash // -file-trailing-slash

	accessLogFormat string // -access-log-format: clf, combined or json
	logFile         string // -log-file; "" for stderr

	tlsCert, tlsKey string // -tls-cert, -tls-key: HTTPS with HTTP/2
	tlsSelfSigned   bool   // -tls-self-signed: HTTPS with a certificate made at start
	h2c             bool   // -h2c: HTTP/2 without TLS, beside HTTP/1.1
	http3           bool   // -http3: HTTP/3 over QUIC beside TCP (http3.go)

	s3PathStyle bool          // -s3-path-style
	s3ListTTL   time.Duration // -s3-list-ttl
	s3          s3Config      // -root s3://…, from the environment; bucket "" for a directory root
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
	fs.StringVar(&c.root, "root", "testdata/site", "`directory` to serve (also the positional DIR), or a bucket: s3://bucket/prefix, with AWS_ENDPOINT_URL, AWS_REGION, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY from the environment")
	fs.BoolVar(&c.s3PathStyle, "s3-path-style", false, "with -root s3://…, address the bucket in the path (endpoint/bucket/key), as SeaweedFS and MinIO need")
	fs.DurationVar(&c.s3ListTTL, "s3-list-ttl", 10*time.Second, "with -root s3://…, how long a directory listing is trusted: a change in the bucket shows within this `duration` (0: list on every lookup)")
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "listen `host:port`; port 0 picks a free port")
	fs.BoolVar(&c.mem, "mem", false, "copy the tree into memory at start and serve it from there")
	fs.BoolVar(&c.listing, "listing", false, "list directories that have no index file (HTML, or JSON for Accept: application/json)")
	fs.BoolVar(&c.spa, "spa", false, "single-page-app fallback: unmatched paths that accept HTML get /index.html")
	fs.Var(&c.etags, "etag", "what ETags are built from, the `mode`: meta (size and modification time) or content (a hash of the bytes)")
	c.compress = defaultCodings()
	fs.Var(&c.compress, "compress", "compress responses on the fly with these `codings`, in order of preference (br for cached files only), or off")
	fs.Var(&c.policy.Mode, "conn", "connection semantics, the `mode`: keepalive (persistent) or short (one request per connection)")
	fs.IntVar(&c.policy.MaxRequests, "max-requests", 0, "keep-alive: close a connection after `N` requests (0: no cap)")
	fs.DurationVar(&c.policy.IdleTimeout, "idle-timeout", 30*time.Second, "keep-alive: close a connection idle for this `duration`")
	fs.IntVar(&c.policy.MaxConns, "max-conns", 0, "serve at most `N` connections at once; at the cap, idle and stalled ones are closed to make room (0: no cap)")
	fs.BoolVar(&c.policy.WaitWhenFull, "wait-when-full", false, "at -max-conns, make new clients wait instead of closing idle and stalled connections")
	fs.IntVar(&c.policy.MaxConnsPerClient, "max-conns-per-ip", 0, "connections one client (IPv4 address, IPv6 /64) may hold; more are closed at once (0: no cap)")
	fs.DurationVar(&c.policy.PressureHeaderTimeout, "pressure-header-timeout", 0, "under pressure, close a connection whose request head takes longer than this `duration`, e.g. 2s (0: off)")
	fs.IntVar(&c.policy.PressureLevel, "pressure-level", 0, "open connections from which -pressure-header-timeout applies (0: 3/4 of -max-conns, or of the descriptor limit)")
	fs.StringVar(&c.logHeaders, "log-headers", "raw", "raw request header log to stderr, in this `format`: off, raw, lines, bytes or article (what the article's Python server prints)")
	fs.BoolVar(&c.accessLog, "access-log", false, "one access-log line per request to stderr")
	fs.DurationVar(&c.headerTime, "header-timeout", 10*time.Second, "close a connection whose request head takes longer than this `duration`")
	c.index = listFlag{"index.html"}
	fs.Var(&c.index, "index", "index file `names` served for a directory, comma-separated, first found wins")
	fs.Var(&c.cacheControl, "cache-control", "set Cache-Control on files matching `PATTERN=VALUE`, e.g. '*.html=no-cache' (repeatable; the first match wins)")
	fs.Var(&c.headers, "header", "add `'Name: value'` to every response (repeatable)")
	fs.StringVar(&c.spaPage, "spa-page", "", "single-page-app fallback to this `page` (a URL path; implies -spa, whose page is /index.html)")
	fs.StringVar(&c.notFound, "not-found", "404.html", "`name` of the page sent with 404s, the nearest from the requested directory up, or off for plain text")
	fs.BoolVar(&c.quiet, "quiet", false, "log nothing per request: no header log, no access log")
	fs.StringVar(&c.accessLogFormat, "access-log-format", "clf", "access log `format`: clf (Common Log Format), combined (with referer and user agent) or json (log/slog); implies -access-log")
	fs.StringVar(&c.logFile, "log-file", "", "write the logs to this `file` instead of stderr, reopened on SIGHUP (logrotate)")
	fs.BoolVar(&c.version, "version", false, "print the version and exit")
	fs.Var(&c.extensions, "extensions", "clean URLs: serve /about from /about.html, trying these `extensions` in order (comma-separated, e.g. html,htm)")
	fs.BoolVar(&c.redirectExtensions, "redirect-extensions", false, "with -extensions, redirect /about.html to /about (query kept)")
	fs.Var(&c.fileSlash, "file-trailing-slash", "what a file asked for with a trailing slash gets, the `policy`: redirect (301 without it), 404, or serve")
	fs.Var(&c.pieces.cors, "cors", "allow cross-origin reads from these `origins` (comma-separated, repeatable; https://*.example.com patterns, or *)")
	fs.StringVar(&c.pieces.basicAuth, "basic-auth", "", "require HTTP Basic credentials of the users in `FILE` (user:bcrypt-hash lines, as htpasswd -B writes)")
	fs.BoolVar(&c.pieces.securityHeaders, "security-headers", false, "send HSTS (TLS only), X-Frame-Options, Referrer-Policy, nosniff, and a CSP on generated pages")
	fs.StringVar(&c.metricsAddr, "metrics", "", "serve Prometheus metrics at /metrics on this `host:port` of their own, apart from the site (e.g. 127.0.0.1:9100)")
	fs.StringVar(&c.pieces.health, "health", "", "answer health checks at `PATH` (200 ok, no filesystem) and PATH/ready (the root is readable)")
	fs.StringVar(&c.tlsCert, "tls-cert", "", "serve HTTPS (HTTP/2 and HTTP/1.1 by ALPN) with the certificate in this PEM `file`; needs -tls-key")
	fs.StringVar(&c.tlsKey, "tls-key", "", "the private key, in this PEM `file`, of -tls-cert")
	fs.BoolVar(&c.tlsSelfSigned, "tls-self-signed", false, "serve HTTPS with a certificate made at start for localhost and the listen address (for local testing; prints its fingerprint)")
	fs.BoolVar(&c.h2c, "h2c", false, "serve HTTP/2 without TLS (prior knowledge or Upgrade-less h2c, for a TLS-terminating proxy) beside HTTP/1.1")
	fs.BoolVar(&c.http3, "http3", false, "with TLS, serve HTTP/3 (QUIC) on the UDP port of the same number too, advertised by Alt-Svc; over QUIC only -idle-timeout applies, not the connection caps, -max-requests or -header-timeout")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(output, fs)
			return c, err
		}
		return c, fmt.Errorf("%v (see -help)", err)
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if c.version {
		return c, nil
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
	switch {
	case fs.NArg() > 1:
		return c, fmt.Errorf("unexpected argument %q (one DIR at most)", fs.Arg(1))
	case fs.NArg() == 1 && set["root"]:
		return c, fmt.Errorf("both -root %q and DIR %q: give one", c.root, fs.Arg(0))
	case fs.NArg() == 1:
		c.root = fs.Arg(0)
	}
	if err := c.contradictions(set); err != nil {
		return c, err
	}
	if err := checkAddr(c.addr); err != nil {
		return c, fmt.Errorf("-addr %q: %v", c.addr, err)
	}
	if c.metricsAddr != "" {
		if err := checkMetricsAddr(c.metricsAddr, c.addr); err != nil {
			return c, err
		}
	}
	if isS3Root(c.root) {
		s3c, err := parseS3Root(c.root, c.s3PathStyle, os.Getenv)
		if err != nil {
			return c, err
		}
		s3c.listTTL = c.s3ListTTL
		c.s3 = s3c
	} else if err := checkRoot(c.root, set["root"] || fs.NArg() == 1); err != nil {
		return c, err
	}
	if err := c.pieces.check(); err != nil {
		return c, err
	}
	if c.spaPage == "" && c.spa {
		c.spaPage = "/index.html"
	}
	if c.quiet {
		c.logHeaders = "off"
	}
	if set["access-log-format"] {
		c.accessLog = true
	}
	return c, nil
}

// contradictions reports flags that cannot hold together, given the ones
// set on the command line.
func (c config) contradictions(set map[string]bool) error {
	switch {
	case c.policy.Mode == conn.Short && c.policy.MaxRequests > 0:
		return fmt.Errorf("-max-requests %d with -conn short: short connections serve one request each", c.policy.MaxRequests)
	case c.policy.Mode == conn.Short && set["idle-timeout"]:
		return fmt.Errorf("-idle-timeout with -conn short: short connections are never idle")
	case c.policy.WaitWhenFull && c.policy.MaxConns == 0:
		return fmt.Errorf("-wait-when-full without -max-conns: there is no cap to wait at")
	case c.policy.PressureLevel > 0 && c.policy.PressureHeaderTimeout == 0:
		return fmt.Errorf("-pressure-level without -pressure-header-timeout: nothing applies from that level")
	case c.accessLogFormat != "clf" && c.accessLogFormat != "combined" && c.accessLogFormat != "json":
		return fmt.Errorf("-access-log-format %q: want clf, combined or json", c.accessLogFormat)
	case c.quiet && (set["log-headers"] && c.logHeaders != "off" || c.accessLog || set["access-log-format"]):
		return fmt.Errorf("-quiet with -log-headers or -access-log: choose one")
	case c.spaPage != "" && !strings.HasPrefix(c.spaPage, "/"):
		return fmt.Errorf("-spa-page %q: want a URL path starting with /", c.spaPage)
	case strings.Contains(c.notFound, "/"):
		return fmt.Errorf("-not-found %q: want a file name, or off", c.notFound)
	case (c.tlsCert == "") != (c.tlsKey == ""):
		return fmt.Errorf("-tls-cert and -tls-key go together: give both")
	case c.tlsSelfSigned && c.tlsCert != "":
		return fmt.Errorf("-tls-self-signed with -tls-cert: choose one certificate")
	case c.h2c && (c.tlsSelfSigned || c.tlsCert != ""):
		return fmt.Errorf("-h2c with TLS: over TLS, HTTP/2 is negotiated by ALPN already")
	case c.redirectExtensions && len(c.extensions) == 0:
		return fmt.Errorf("-redirect-extensions without -extensions: there is no clean URL to redirect to")
	case c.s3PathStyle && !isS3Root(c.root):
		return fmt.Errorf("-s3-path-style without -root s3://…: there is no bucket to address")
	case set["s3-list-ttl"] && !isS3Root(c.root):
		return fmt.Errorf("-s3-list-ttl without -root s3://…: there is no bucket to list")
	case c.s3ListTTL < 0:
		return fmt.Errorf("-s3-list-ttl %v: want 0 (list on every lookup) or a positive duration", c.s3ListTTL)
	case c.http3 && !c.tlsSelfSigned && c.tlsCert == "":
		return fmt.Errorf("-http3 without TLS: QUIC needs a certificate, give -tls-cert and -tls-key or -tls-self-signed")
	case c.http3 && c.policy.Mode == conn.Short:
		return fmt.Errorf("-http3 with -conn short: QUIC connections are not the connection layer's, and quic-go cannot end one after its first response")
	case c.h2c && c.policy.Mode == conn.Short:
		return fmt.Errorf("-h2c with -conn short: a cleartext HTTP/2 connection is idle before its first stream, and short mode closes idle connections; over TLS, short mode sends GOAWAY after the first response")
	}
	return nil
}

// checkRoot says, in one line, why root cannot be served; given tells
// whether the user named it (the default only exists in a clone).
func checkRoot(root string, given bool) error {
	info, err := os.Stat(root)
	switch {
	case errors.Is(err, fs.ErrNotExist) && !given:
		return fmt.Errorf("-root %q: no such directory here; run from the repository's top directory, or name one: fileserver DIR", root)
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("-root %q: no such file or directory", root)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("-root %q: permission denied", root)
	case err != nil:
		return fmt.Errorf("-root %q: cannot be read", root)
	case !info.IsDir():
		return fmt.Errorf("-root %q: not a directory", root)
	}
	return nil
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
	if c.s3.bucket != "" && !c.mem {
		return c.s3.describe()
	}
	if c.mem {
		return "memory"
	}
	return "disk"
}
