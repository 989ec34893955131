package middleware

import (
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/felixge/httpsnoop"

	"github.com/webstatic/webstatic/internal/coding"
)

// Compress compresses the responses of any handler on the fly, with the
// rules staticfs.Handler applies to files: for a client whose
// Accept-Encoding allows one of Codings (q-values first, then their
// order), a response of one of Types of at least MinSize bytes (or of
// unknown length) is sent encoded, without Content-Length, with its
// strong ETag suffixed by the coding ("-gzip"), as Caddy does.
//
// It leaves alone responses that already carry Content-Encoding (such as
// staticfs.Handler's own compressed or precompressed answers) or
// Content-Range (a 206 is a range of the identity bytes), responses with
// Cache-Control: no-transform, responses without a body (HEAD aside: it
// gets the headers GET would, decided on the handler's Content-Length),
// and 1xx, 204 and 304 answers. Every response that would be compressed
// for some client says Vary: Accept-Encoding, once. If-None-Match tags
// with a coding's suffix are passed to the handler without it, so its
// 304s still match; a 304 gets the suffixed tag back.
//
// The decision is made when the handler writes its status, from the
// headers it set by then, or, when they give no length, after the first
// MinSize bytes: Compress never sets Content-Encoding before the handler
// runs, so an error page written with http.Error (which resets
// Content-Type and, in some Go releases, deletes Content-Encoding) is
// judged on what it is, and never comes out garbled. The writer keeps the wrapped writer's
// optional interfaces (httpsnoop): responses it does not compress keep
// ReadFrom, so sendfile, and Flush pushes out what is encoded so far.
//
// The zero value compresses with zstd and gzip at their fastest levels;
// Brotli is too slow in pure Go for per-request use.
type Compress struct {
	// Codings lists the content codings to use, in order of preference,
	// among "zstd" and "gzip". nil means {"zstd", "gzip"}; an empty,
	// non-nil slice turns compression off (Vary is then never added).
	Codings []string

	// Types lists the media types to compress: whole types
	// ("application/json"), prefixes ending in "/" ("text/") or suffixes
	// starting with "+" ("+json"). nil means staticfs.DefaultCompressTypes().
	Types []string

	// MinSize is the smallest body compressed; 0 means 512 bytes, a
	// negative value no minimum.
	MinSize int
}

const defaultCompressMinSize = 512

var (
	defaultCompressCodings = []string{"zstd", "gzip"}
	defaultCompressTypes   = coding.DefaultTypes()
)

// Wrap returns a handler that calls next and compresses its responses.
func (c *Compress) Wrap(next http.Handler) http.Handler {
	codings := c.Codings
	if codings == nil {
		codings = defaultCompressCodings
	}
	for _, name := range codings {
		if !coding.Streamable(name) {
			panic("middleware: Compress cannot stream coding " + strconv.Quote(name) + " (want zstd or gzip)")
		}
	}
	if len(codings) == 0 {
		return next
	}
	types := c.Types
	if types == nil {
		types = defaultCompressTypes
	}
	min := c.MinSize
	switch {
	case min == 0:
		min = defaultCompressMinSize
	case min < 0:
		min = 0
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cw := &compressWriter{w: w, r: r, types: types, min: min}
		if i := coding.ParseAccept(acceptEncoding(r)).Best(len(codings), func(i int) string { return codings[i] }); i >= 0 {
			cw.coding = codings[i]
			cw.revalidated = strings.Contains(r.Header.Get("If-None-Match"), "-"+cw.coding+`"`)
		}
		next.ServeHTTP(httpsnoop.Wrap(w, cw.hooks()), withoutCodingTag(r, cw.coding))
		cw.finish()
	})
}

func acceptEncoding(r *http.Request) string {
	return strings.Join(r.Header.Values("Accept-Encoding"), ",")
}

// compressWriter decides, once it knows the response's headers (and,
// when the length is unknown, its first bytes), whether to encode it.
type compressWriter struct {
	w      http.ResponseWriter
	r      *http.Request
	types  []string
	min    int
	coding string // what the client accepts best, "" for none
	// revalidated: the client's If-None-Match held a tag with coding's
	// suffix, so a 304 answers for the encoded bytes
	revalidated bool

	status  int            // the status the handler wrote, 0 before
	decided bool           // the headers went out
	buf     []byte         // body bytes held until the decision
	stream  *coding.Stream // nil unless encoding
}

func (cw *compressWriter) hooks() httpsnoop.Hooks {
	return httpsnoop.Hooks{
		WriteHeader: func(httpsnoop.WriteHeaderFunc) httpsnoop.WriteHeaderFunc { return cw.writeHeader },
		Write:       func(httpsnoop.WriteFunc) httpsnoop.WriteFunc { return cw.write },
		ReadFrom: func(next httpsnoop.ReadFromFunc) httpsnoop.ReadFromFunc {
			return func(src io.Reader) (int64, error) { return cw.readFrom(next, src) }
		},
		Flush: func(next httpsnoop.FlushFunc) httpsnoop.FlushFunc {
			return func() { cw.flush(); next() }
		},
	}
}

func (cw *compressWriter) writeHeader(code int) {
	if cw.status != 0 {
		return
	}
	if code >= 100 && code <= 199 && code != http.StatusSwitchingProtocols {
		cw.w.WriteHeader(code) // interim: passed on as it is
		return
	}
	cw.status = code
	if code == http.StatusNotModified && cw.revalidated {
		// The client holds the encoded bytes under the suffixed tag.
		cw.suffixTag()
	}
	if cw.decideOnHeaders() {
		cw.commit()
	}
}

func (cw *compressWriter) write(p []byte) (int, error) {
	if cw.status == 0 {
		cw.writeHeader(http.StatusOK)
	}
	if !cw.decided {
		cw.buf = append(cw.buf, p...)
		if len(cw.buf) < cw.min {
			return len(p), nil
		}
		if err := cw.commitBuffered(true); err != nil {
			return 0, err
		}
		return len(p), nil
	}
	if cw.stream != nil {
		return cw.stream.Write(p)
	}
	return cw.w.Write(p)
}

// readFrom keeps the wrapped writer's ReadFrom (sendfile) for bodies it
// does not encode.
func (cw *compressWriter) readFrom(next httpsnoop.ReadFromFunc, src io.Reader) (int64, error) {
	if cw.status == 0 {
		cw.writeHeader(http.StatusOK)
	}
	var n int64
	if !cw.decided {
		head := make([]byte, cw.min-len(cw.buf))
		m, err := io.ReadFull(src, head)
		n = int64(m)
		cw.buf = append(cw.buf, head[:m]...)
		if err != nil { // the whole body is in buf: finish decides
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				err = nil
			}
			return n, err
		}
		if err := cw.commitBuffered(true); err != nil {
			return n, err
		}
	}
	if cw.stream != nil {
		m, err := io.Copy(cw.stream, src)
		return n + m, err
	}
	m, err := next(src)
	return n + m, err
}

func (cw *compressWriter) flush() {
	if !cw.decided && cw.status != 0 {
		// The handler streams: the length is unknown, so compress.
		cw.commitBuffered(true)
	}
	if cw.stream != nil {
		cw.stream.Flush()
	}
}

// finish runs when the handler returns: a body shorter than the minimum
// goes out as it is, with its length; a stream is ended.
func (cw *compressWriter) finish() {
	if cw.status != 0 && !cw.decided {
		cw.commitBuffered(len(cw.buf) >= cw.min)
	}
	if cw.stream != nil {
		cw.stream.Close()
		cw.stream = nil
	}
}

// decideOnHeaders reports whether the headers alone decide: true when
// the response is not to be compressed whatever its body, or when its
// Content-Length says it is long enough. It sets Vary and the encoding
// when it decides to compress.
func (cw *compressWriter) decideOnHeaders() bool {
	if !cw.compressible() {
		return true
	}
	hdr := cw.w.Header()
	if cl := hdr.Get("Content-Length"); cl != "" {
		n, err := strconv.ParseInt(cl, 10, 64)
		if err == nil && n < int64(cw.min) {
			return true
		}
		if err == nil || cw.r.Method == http.MethodHead {
			cw.encode()
			return true
		}
	}
	if cw.r.Method == http.MethodHead {
		return true // no body to measure: as it is
	}
	return false
}

// compressible reports whether a body of this response would be
// compressed for a client that accepts a coding.
func (cw *compressWriter) compressible() bool {
	hdr := cw.w.Header()
	switch {
	case cw.status == http.StatusNoContent || cw.status == http.StatusNotModified || cw.status == http.StatusSwitchingProtocols:
		return false
	case hdr.Get("Content-Encoding") != "" || hdr.Get("Content-Range") != "":
		return false
	case coding.NoTransform(hdr["Cache-Control"]...):
		return false
	}
	ctype := hdr.Get("Content-Type")
	return ctype == "" || coding.TypeMatches(cw.types, ctype)
}

// encode sets the headers of an encoded response, or only Vary for a
// client that accepts no coding.
func (cw *compressWriter) encode() {
	hdr := cw.w.Header()
	coding.AddVary(hdr, "Accept-Encoding")
	if cw.coding == "" {
		return
	}
	hdr.Set("Content-Encoding", cw.coding)
	hdr.Del("Content-Length")
	cw.suffixTag()
	if cw.r.Method != http.MethodHead {
		cw.stream = coding.NewStream(cw.coding, cw.w)
	}
}

// commit writes the status; encode has set the headers when it chose to.
func (cw *compressWriter) commit() {
	cw.decided = true
	cw.w.WriteHeader(cw.status)
}

// commitBuffered decides for a response whose length the headers did not
// give, then writes the bytes held: encoded when long is true and the
// type (sniffed if unset) is one to compress.
func (cw *compressWriter) commitBuffered(long bool) error {
	hdr := cw.w.Header()
	if hdr.Get("Content-Type") == "" && len(cw.buf) > 0 {
		hdr.Set("Content-Type", http.DetectContentType(cw.buf))
	}
	if cw.compressible() {
		if long {
			cw.encode()
		} else if hdr.Get("Content-Length") == "" {
			hdr.Set("Content-Length", strconv.Itoa(len(cw.buf)))
		}
	}
	cw.commit()
	buf := cw.buf
	cw.buf = nil
	if len(buf) == 0 {
		return nil
	}
	var err error
	if cw.stream != nil {
		_, err = cw.stream.Write(buf)
	} else {
		_, err = cw.w.Write(buf)
	}
	return err
}

// suffixTag appends the coding to a strong ETag: the encoded bytes are
// another representation, with a validator of their own.
func (cw *compressWriter) suffixTag() {
	hdr := cw.w.Header()
	tag := hdr.Get("Etag")
	if cw.coding == "" || len(tag) < 2 || strings.HasPrefix(tag, "W/") || tag[len(tag)-1] != '"' {
		return
	}
	hdr.Set("Etag", tag[:len(tag)-1]+"-"+cw.coding+`"`)
}

// withoutCodingTag returns r, or a copy whose If-None-Match tags have
// no suffix of the coding chosen for the response, so that the handler
// compares them with the tags it knows. A tag of another coding keeps
// its suffix, and so matches nothing.
func withoutCodingTag(r *http.Request, c string) *http.Request {
	suffix := "-" + c + `"`
	inm := r.Header.Get("If-None-Match")
	if c == "" || !strings.Contains(inm, suffix) {
		return r
	}
	r2 := new(http.Request)
	*r2 = *r
	r2.Header = r.Header.Clone()
	r2.Header.Set("If-None-Match", strings.ReplaceAll(inm, suffix, `"`))
	return r2
}
