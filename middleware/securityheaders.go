package middleware

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/felixge/httpsnoop"
)

// SecurityHeaders adds the response headers that tell browsers to use
// the protections a static site can always afford, as static-web-server's
// security-headers preset does. The zero value sends:
//
//	Strict-Transport-Security: max-age=31536000     (requests over TLS only)
//	X-Frame-Options: SAMEORIGIN
//	Referrer-Policy: strict-origin-when-cross-origin
//	X-Content-Type-Options: nosniff
//	Content-Security-Policy: <GeneratedPagePolicy>  (generated HTML pages only)
//
// Every string field follows one convention: "" is the default shown
// above, any other value replaces it, and a header named in Omit is not
// sent at all. The headers are set before the wrapped handler runs, so
// that it can change them, and so that they are on every answer,
// errors included.
//
// # Content-Security-Policy
//
// A policy for a whole site must be written for that site (its inline
// scripts, its CDNs); a wrong one breaks pages. So by default CSP goes
// only on pages the server generates: a text/html response carrying
// neither ETag nor Last-Modified when its header is written. Every file
// a staticfs.Handler serves carries one of the two; its directory
// listings and 404 pages (also a site's own 404.html, which the Handler
// sends without validators) carry neither. The default
// GeneratedPagePolicy lets such a page use the site's own stylesheets,
// scripts and images and inline styles (the listing has one), and
// nothing else: no inline script, no plugin, no other site's
// resources, no framing. To set a policy for every response as well,
// use SitePolicy; on a generated page GeneratedPagePolicy replaces it.
//
// Recognising generated pages needs their headers as they are written:
// for that alone the writer is wrapped, with github.com/felixge/httpsnoop,
// which keeps io.ReaderFrom (sendfile), http.Flusher, http.Hijacker and
// Unwrap. With "Content-Security-Policy" in Omit the writer is not
// wrapped.
type SecurityHeaders struct {
	// StrictTransportSecurity is sent only on requests that came over
	// TLS (r.TLS set; behind a TLS-terminating proxy it is not, and the
	// proxy should send it). "" means max-age=31536000 (one year),
	// without includeSubDomains or preload: those commit every
	// subdomain to HTTPS for as long, and cannot be taken back early.
	StrictTransportSecurity string

	// FrameOptions is the X-Frame-Options value. "" means SAMEORIGIN:
	// only the site's own pages may frame it; "DENY" forbids all.
	FrameOptions string

	// ReferrerPolicy is the Referrer-Policy value. "" means
	// strict-origin-when-cross-origin: other sites see the origin, never
	// the path, and nothing goes from HTTPS to HTTP.
	ReferrerPolicy string

	// ContentTypeOptions is the X-Content-Type-Options value. "" means
	// nosniff (a staticfs.Handler sends it anyway; other handlers may not).
	ContentTypeOptions string

	// GeneratedPagePolicy is the Content-Security-Policy of generated
	// HTML pages (see above). "" means
	//
	//	default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'
	GeneratedPagePolicy string

	// SitePolicy, when set, is the Content-Security-Policy of every
	// response that is not a generated page. "" means none: unlike the
	// other fields, its default is off, as only the site's author can
	// write it.
	SitePolicy string

	// Omit names headers, in any letter case, not to send:
	// "Strict-Transport-Security", "X-Frame-Options", "Referrer-Policy",
	// "X-Content-Type-Options" or "Content-Security-Policy" (both
	// policies).
	Omit []string
}

// Default values of the SecurityHeaders fields.
const (
	defaultHSTS            = "max-age=31536000"
	defaultFrameOptions    = "SAMEORIGIN"
	defaultReferrerPolicy  = "strict-origin-when-cross-origin"
	defaultContentTypeOpts = "nosniff"
	defaultGeneratedPolicy = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
)

// Validate reports the first setting Wrap would refuse: a value with a
// control byte, or a name in Omit that is none of the headers.
func (s *SecurityHeaders) Validate() error {
	_, err := s.compile()
	return err
}

// Wrap returns a handler that sets the headers, then calls next. It
// panics if Validate reports an error.
func (s *SecurityHeaders) Wrap(next http.Handler) http.Handler {
	p, err := s.compile()
	if err != nil {
		panic(err)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hdr := w.Header()
		for _, h := range p.always {
			hdr[h.name] = h.value
		}
		if r.TLS != nil && p.hsts != nil {
			hdr["Strict-Transport-Security"] = p.hsts
		}
		if p.generated == nil {
			next.ServeHTTP(w, r)
			return
		}
		g := generatedPool.Get().(*generatedCSP)
		g.hdr, g.policy, g.done = hdr, p.generated, false
		defer func() {
			g.hdr, g.nextWriteHeader, g.nextWrite, g.nextReadFrom, g.nextFlush = nil, nil, nil, nil, nil
			generatedPool.Put(g)
		}()
		next.ServeHTTP(httpsnoop.Wrap(w, g.hooks), r)
	})
}

type headerValue struct {
	name  string // canonical
	value []string
}

// securityPolicy is a SecurityHeaders compiled by Wrap: the values are
// made once, and shared by every response.
type securityPolicy struct {
	always    []headerValue // sent on every response
	hsts      []string      // or nil when omitted
	generated []string      // CSP of generated pages, or nil when omitted
}

func (s *SecurityHeaders) compile() (*securityPolicy, error) {
	omit := map[string]bool{}
	for _, name := range s.Omit {
		c := http.CanonicalHeaderKey(name)
		switch c {
		case "Strict-Transport-Security", "X-Frame-Options", "Referrer-Policy", "X-Content-Type-Options", "Content-Security-Policy":
			omit[c] = true
		default:
			return nil, fmt.Errorf("middleware: SecurityHeaders: Omit %q: not one of the headers it sends", name)
		}
	}
	p := &securityPolicy{}
	value := func(name, set, def string) ([]string, error) {
		if omit[name] {
			return nil, nil
		}
		v := set
		if v == "" {
			v = def
		}
		for _, b := range []byte(v) {
			if b < ' ' && b != '\t' || b == 0x7f {
				return nil, fmt.Errorf("middleware: SecurityHeaders: %s %q: control byte", name, v)
			}
		}
		if v == "" {
			return nil, nil
		}
		return []string{v}, nil
	}
	for _, f := range []struct{ name, set, def string }{
		{"X-Frame-Options", s.FrameOptions, defaultFrameOptions},
		{"Referrer-Policy", s.ReferrerPolicy, defaultReferrerPolicy},
		{"X-Content-Type-Options", s.ContentTypeOptions, defaultContentTypeOpts},
		{"Content-Security-Policy", s.SitePolicy, ""},
	} {
		v, err := value(f.name, f.set, f.def)
		if err != nil {
			return nil, err
		}
		if v != nil {
			p.always = append(p.always, headerValue{f.name, v})
		}
	}
	var err error
	if p.hsts, err = value("Strict-Transport-Security", s.StrictTransportSecurity, defaultHSTS); err != nil {
		return nil, err
	}
	if p.generated, err = value("Content-Security-Policy", s.GeneratedPagePolicy, defaultGeneratedPolicy); err != nil {
		return nil, err
	}
	return p, nil
}

// generatedCSP sets the generated pages' policy when the header of a
// generated HTML page is written: at WriteHeader, or at the first
// Write, ReadFrom or Flush of a handler that wrote no header. Like
// meter, it is pooled with its hook closures, made once.
type generatedCSP struct {
	hdr    http.Header
	policy []string
	done   bool // the header was written

	hooks httpsnoop.Hooks

	nextWriteHeader httpsnoop.WriteHeaderFunc
	nextWrite       httpsnoop.WriteFunc
	nextReadFrom    httpsnoop.ReadFromFunc
	nextFlush       httpsnoop.FlushFunc
}

var generatedPool = sync.Pool{New: func() any { return newGeneratedCSP() }}

func newGeneratedCSP() *generatedCSP {
	g := &generatedCSP{}
	writeHeader := func(code int) {
		if code >= 200 || code < 100 { // 1xx are interim: the final header is still to come
			g.decide()
		}
		g.nextWriteHeader(code)
	}
	write := func(p []byte) (int, error) {
		g.decide()
		return g.nextWrite(p)
	}
	readFrom := func(src io.Reader) (int64, error) {
		g.decide()
		return g.nextReadFrom(src)
	}
	flush := func() {
		g.decide()
		g.nextFlush()
	}
	g.hooks = httpsnoop.Hooks{
		WriteHeader: func(next httpsnoop.WriteHeaderFunc) httpsnoop.WriteHeaderFunc {
			g.nextWriteHeader = next
			return writeHeader
		},
		Write: func(next httpsnoop.WriteFunc) httpsnoop.WriteFunc {
			g.nextWrite = next
			return write
		},
		ReadFrom: func(next httpsnoop.ReadFromFunc) httpsnoop.ReadFromFunc {
			g.nextReadFrom = next
			return readFrom
		},
		Flush: func(next httpsnoop.FlushFunc) httpsnoop.FlushFunc {
			g.nextFlush = next
			return flush
		},
	}
	return g
}

// decide sets the policy, once, if the response is a generated page.
func (g *generatedCSP) decide() {
	if g.done {
		return
	}
	g.done = true
	hdr := g.hdr
	if isGeneratedPage(hdr) {
		hdr["Content-Security-Policy"] = g.policy
	}
}

// isGeneratedPage reports whether a response header is that of an HTML
// page made by the server rather than a file: HTML without validators.
func isGeneratedPage(hdr http.Header) bool {
	if hdr["Etag"] != nil || hdr["Last-Modified"] != nil {
		return false
	}
	ct := hdr["Content-Type"]
	return len(ct) > 0 && strings.HasPrefix(strings.ToLower(ct[0]), "text/html")
}
