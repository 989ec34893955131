package middleware

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/webstatic/webstatic/internal/coding"
)

// CORS answers cross-origin requests (the Fetch standard's CORS
// protocol) for the handler it wraps.
//
// A preflight (OPTIONS with Origin and Access-Control-Request-Method) is
// answered by CORS itself with 204, never by the wrapped handler: with
// the CORS headers when the origin, the method and every requested header
// are allowed, without them otherwise, so that the browser refuses the
// request. Any other request from an allowed origin gets the CORS headers
// before the wrapped handler runs, so that every response carries them:
// 200 and 206, 304, and the errors (404, 416) of a staticfs.Handler,
// whose error path keeps the headers set by the handlers around it.
//
// The response writer is not wrapped, so sendfile, Flush, Hijack and
// http.ResponseController keep working.
//
// The zero value allows no origin: it adds no CORS header and answers
// preflights with a bare 204. When some origins are allowed and others
// not, the answer depends on the Origin request header, and every
// response says Vary: Origin (once, also to requests without Origin), so
// that a cache does not hand one origin's answer to another; with "*"
// and no credentials every origin gets the same "*", and no Vary.
//
// Put CORS outside an authenticating middleware such as [BasicAuth]:
// browsers send preflights without credentials.
type CORS struct {
	// AllowedOrigins lists the origins allowed to read responses:
	// exact origins ("https://app.example.com", compared without regard
	// to letter case), patterns with a "*" for one or more host labels
	// right after the scheme ("https://*.example.com" allows
	// https://a.example.com and https://a.b.example.com, not
	// https://example.com), or "*" for any origin. nil or empty: none.
	AllowedOrigins []string

	// AllowedMethods lists the methods a preflight may ask for. nil means
	// GET and HEAD, those of a file server; an empty, non-nil slice
	// allows none.
	AllowedMethods []string

	// AllowedHeaders lists the request headers a preflight may ask for,
	// in any letter case; "*" allows any. nil means Range, so that
	// scripts can fetch parts of files; an empty, non-nil slice allows
	// none beyond those the browser sends without asking.
	AllowedHeaders []string

	// ExposedHeaders lists the response headers scripts may read besides
	// the CORS-safelisted ones (Content-Type, Content-Length, ...). nil
	// means Accept-Ranges, Content-Range and ETag; an empty, non-nil
	// slice exposes none.
	ExposedHeaders []string

	// AllowCredentials lets browsers send cookies and HTTP
	// authentication with cross-origin requests and scripts read the
	// answers (Access-Control-Allow-Credentials: true). The allowed
	// origin is then always named, never "*"; AllowedOrigins "*" with
	// credentials is refused by Validate, since it would let every site
	// read what the user's credentials unlock.
	AllowCredentials bool

	// MaxAge is how long a browser may cache a preflight's answer
	// (Access-Control-Max-Age, in whole seconds). 0 sends no header,
	// leaving the browser's default (5 s); a negative value sends 0,
	// which turns the preflight cache off.
	MaxAge time.Duration
}

// Validate reports the first entry of c that Wrap would refuse: an
// origin that is not a scheme://host[:port] origin or a pattern as
// described at AllowedOrigins, or "*" with AllowCredentials.
func (c *CORS) Validate() error {
	_, err := c.compile()
	return err
}

// Wrap returns a handler that answers preflights and adds the CORS
// headers to other requests, then calls next. It panics if Validate
// reports an error, as a misconfigured policy must not serve.
func (c *CORS) Wrap(next http.Handler) http.Handler {
	p, err := c.compile()
	if err != nil {
		panic(err)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hdr := w.Header()
		if p.vary {
			addVary(hdr, "Origin", varyOrigin)
		}
		origins := r.Header["Origin"]
		if r.Method == http.MethodOptions && len(origins) > 0 && len(r.Header["Access-Control-Request-Method"]) > 0 {
			p.preflight(w, r, origins)
			return
		}
		if allow := p.allowOrigin(origins); allow != nil {
			hdr["Access-Control-Allow-Origin"] = allow
			if p.credentials {
				hdr["Access-Control-Allow-Credentials"] = trueValue
			}
			if p.exposed != nil {
				hdr["Access-Control-Expose-Headers"] = p.exposed
			}
		}
		next.ServeHTTP(w, r)
	})
}

var (
	trueValue  = []string{"true"}
	starValue  = []string{"*"}
	varyOrigin = []string{"Origin"}
)

// addVary adds token to the Vary header once, setting it to value, a
// shared one-element slice holding token, when there is none yet: the
// common case costs no allocation. Appending to a one-element slice
// copies it, so the shared slice is never changed.
func addVary(hdr http.Header, token string, value []string) {
	if _, ok := hdr["Vary"]; !ok {
		hdr["Vary"] = value
		return
	}
	coding.AddVary(hdr, token)
}

// corsPolicy is a CORS compiled for the requests: the header values it
// sends are made once, in Wrap.
type corsPolicy struct {
	any         bool            // AllowedOrigins holds "*"
	exact       map[string]bool // lower-cased exact origins
	patterns    []originPattern
	vary        bool // the answer depends on Origin
	credentials bool
	methods     map[string]bool
	methodsList []string // Access-Control-Allow-Methods, or nil for none
	anyHeader   bool
	headers     map[string]bool // lower-cased header names
	exposed     []string        // Access-Control-Expose-Headers, or nil
	maxAge      []string        // Access-Control-Max-Age, or nil
}

// originPattern matches prefix + one or more host labels + suffix, as
// "https://*.example.com" is "https://" + labels + ".example.com".
type originPattern struct{ prefix, suffix string }

func (c *CORS) compile() (*corsPolicy, error) {
	p := &corsPolicy{exact: map[string]bool{}, credentials: c.AllowCredentials}
	for _, o := range c.AllowedOrigins {
		lo := strings.ToLower(o)
		switch {
		case o == "*":
			if c.AllowCredentials {
				return nil, errors.New(`middleware: CORS: AllowedOrigins "*" with AllowCredentials would let any site read what the user's credentials unlock; name the origins`)
			}
			p.any = true
		case strings.Contains(o, "*"):
			pat, err := parseOriginPattern(lo)
			if err != nil {
				return nil, fmt.Errorf("middleware: CORS: origin pattern %q: %v", o, err)
			}
			p.patterns = append(p.patterns, pat)
		default:
			if err := checkOrigin(lo); err != nil {
				return nil, fmt.Errorf("middleware: CORS: origin %q: %v", o, err)
			}
			p.exact[lo] = true
		}
	}
	p.vary = !p.any && (len(p.exact) > 0 || len(p.patterns) > 0)

	methods := c.AllowedMethods
	if methods == nil {
		methods = []string{http.MethodGet, http.MethodHead}
	}
	p.methods = map[string]bool{}
	for _, m := range methods {
		p.methods[m] = true
	}
	if len(methods) > 0 {
		p.methodsList = []string{strings.Join(methods, ", ")}
	}

	headers := c.AllowedHeaders
	if headers == nil {
		headers = []string{"Range"}
	}
	p.headers = map[string]bool{}
	for _, h := range headers {
		if h == "*" {
			p.anyHeader = true
		}
		p.headers[strings.ToLower(h)] = true
	}

	exposed := c.ExposedHeaders
	if exposed == nil {
		exposed = []string{"Accept-Ranges", "Content-Range", "ETag"}
	}
	if len(exposed) > 0 {
		p.exposed = []string{strings.Join(exposed, ", ")}
	}

	switch {
	case c.MaxAge > 0:
		p.maxAge = []string{strconv.FormatInt(int64(c.MaxAge/time.Second), 10)}
	case c.MaxAge < 0:
		p.maxAge = []string{"0"}
	}
	return p, nil
}

// checkOrigin accepts the serialisation of a tuple origin,
// scheme "://" host [":" port], in lower case.
func checkOrigin(o string) error {
	scheme, host, ok := strings.Cut(o, "://")
	if !ok || scheme == "" || host == "" {
		return errors.New("not scheme://host[:port]")
	}
	for _, b := range []byte(scheme) {
		if !('a' <= b && b <= 'z' || '0' <= b && b <= '9' || b == '+' || b == '-' || b == '.') {
			return errors.New("bad scheme")
		}
	}
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.HasSuffix(host, "]") {
		if _, err := strconv.ParseUint(host[i+1:], 10, 16); err != nil {
			return errors.New("bad port")
		}
		host = host[:i]
	}
	if !isHostChars(host) || !strings.HasPrefix(host, "[") && strings.Contains(host, ":") {
		return errors.New("bad host (no path, no trailing slash)")
	}
	return nil
}

func parseOriginPattern(o string) (originPattern, error) {
	prefix, suffix, _ := strings.Cut(o, "*")
	if !strings.HasSuffix(prefix, "://") || strings.Contains(prefix[:len(prefix)-3], "/") {
		return originPattern{}, errors.New(`"*" must come right after scheme://`)
	}
	if !strings.HasPrefix(suffix, ".") || strings.Contains(suffix, "*") {
		return originPattern{}, errors.New(`one "*" only, followed by "." and the domain`)
	}
	if err := checkOrigin(prefix + "x" + suffix); err != nil {
		return originPattern{}, err
	}
	return originPattern{prefix, suffix}, nil
}

func isHostChars(s string) bool {
	if s == "" {
		return false
	}
	for _, b := range []byte(s) {
		if !('a' <= b && b <= 'z' || '0' <= b && b <= '9' || b == '-' || b == '.' || b == '[' || b == ']' || b == ':') {
			return false
		}
	}
	return true
}

func (p *originPattern) match(o string) bool {
	if len(o) <= len(p.prefix)+len(p.suffix) || !strings.HasPrefix(o, p.prefix) || !strings.HasSuffix(o, p.suffix) {
		return false
	}
	labels := o[len(p.prefix) : len(o)-len(p.suffix)]
	for _, b := range []byte(labels) {
		if !('a' <= b && b <= 'z' || '0' <= b && b <= '9' || b == '-' || b == '.') {
			return false
		}
	}
	return labels[0] != '.' && labels[len(labels)-1] != '.'
}

// allowOrigin returns the Access-Control-Allow-Origin value for the
// request's Origin values, or nil when it is not allowed. A request with
// several Origin headers is not allowed.
func (p *corsPolicy) allowOrigin(origins []string) []string {
	if len(origins) != 1 {
		return nil
	}
	if p.any && !p.credentials {
		return starValue
	}
	o := strings.ToLower(origins[0])
	if p.exact[o] {
		return []string{origins[0]}
	}
	for i := range p.patterns {
		if p.patterns[i].match(o) {
			return []string{origins[0]}
		}
	}
	return nil
}

// preflight answers an OPTIONS request that asks whether a cross-origin
// request may be sent, with 204 and, when it may, the CORS headers.
func (p *corsPolicy) preflight(w http.ResponseWriter, r *http.Request, origins []string) {
	hdr := w.Header()
	coding.AddVary(hdr, "Access-Control-Request-Method")
	coding.AddVary(hdr, "Access-Control-Request-Headers")
	allow := p.allowOrigin(origins)
	requested, headersOK := p.allowHeaders(r.Header["Access-Control-Request-Headers"])
	if allow != nil && headersOK && p.methods[r.Header.Get("Access-Control-Request-Method")] {
		hdr["Access-Control-Allow-Origin"] = allow
		if p.credentials {
			hdr["Access-Control-Allow-Credentials"] = trueValue
		}
		hdr["Access-Control-Allow-Methods"] = p.methodsList
		if requested != "" {
			hdr.Set("Access-Control-Allow-Headers", requested)
		}
		if p.maxAge != nil {
			hdr["Access-Control-Max-Age"] = p.maxAge
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

// allowHeaders reports whether every header named in the preflight's
// Access-Control-Request-Headers values is allowed, and returns the
// names to allow, as the browser sent them (lower case, comma-separated).
func (p *corsPolicy) allowHeaders(values []string) (string, bool) {
	var names []string
	for _, v := range values {
		for v != "" {
			var name string
			name, v, _ = strings.Cut(v, ",")
			name = strings.ToLower(strings.TrimSpace(name))
			if name == "" {
				continue
			}
			if !p.anyHeader && !p.headers[name] {
				return "", false
			}
			names = append(names, name)
		}
	}
	return strings.Join(names, ","), true
}
