package conn

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/webstatic/webstatic/internal/ascii"
)

// framer follows the HTTP/1.x request framing of a connection's bytes, in
// the order Read returns them, exactly as net/http's server does, and
// hands over each request head (request line, header lines, blank line)
// byte for byte. It never blocks and never panics: on anything it cannot
// follow as net/http would, it stops for good, and the heads it already
// handed over stay valid.
//
// The rules it copies (net/http/server.go, request.go, transfer.go,
// internal/chunked.go):
//   - lines end in LF with an optional CR; the head ends at the first
//     empty line; it may be at most MaxHeaderBytes+4096 bytes;
//   - Transfer-Encoding is ignored for HTTP/1.0; for HTTP/1.1 exactly one
//     field, "chunked", is accepted; Content-Length is validated (equal
//     duplicates allowed) even when chunked, which then wins;
//   - chunk-size lines end in CRLF with no other CR, are shorter than
//     4096 bytes, may carry extensions after ";"; chunk data is followed
//     by CRLF; trailers end at the first empty line, within 4096 bytes;
//   - after a POST, up to 4 stray CR or LF bytes before the next request
//     are skipped;
//   - "PRI * HTTP/2.0", CONNECT and Upgrade requests end HTTP/1 framing.
type framer struct {
	limit  int // most bytes a head may have
	onHead func(head []byte)

	state     framerState
	head      []byte // the head read so far
	lineStart int    // offset in head of the line being read
	lines     int    // complete lines in head
	remain    int64  // body or chunk bytes still to skip
	line      []byte // chunk-size or trailer line read so far
	trailer   int    // trailer bytes read so far
	crlf      int    // bytes of the CRLF after chunk data seen so far
	skipCRLF  int    // stray CR/LF bytes that may still be skipped (after POST)
	afterPOST bool   // the request being framed is a POST
	rest      []byte // the head being read when framing stopped
}

type framerState int

const (
	inHead framerState = iota
	inBody
	inChunkSize
	inChunkData
	inChunkCRLF
	inTrailer
	stopped
)

const (
	maxChunkLine  = 4096 // net/http/internal maxLineLength and bufio size
	maxTrailer    = 4096 // net/http peeks one bufio buffer for the trailer
	maxPOSTSkip   = 4    // server.go numLeadingCRorLF over Peek(4)
	headSlack     = 4096 // server.go initialReadLimitSize adds it
	initialHeadSz = 512
)

// feed frames the bytes p, calling onHead for every head completed.
func (f *framer) feed(p []byte) {
	for len(p) > 0 {
		switch f.state {
		case inHead:
			p = f.feedHead(p)
		case inBody:
			if p = f.skip(p); f.remain == 0 {
				f.nextRequest()
			}
		case inChunkSize:
			p = f.feedChunkSize(p)
		case inChunkData:
			if p = f.skip(p); f.remain == 0 {
				f.state, f.crlf = inChunkCRLF, 0
			}
		case inChunkCRLF:
			if p[0] != "\r\n"[f.crlf] {
				f.stop()
				return
			}
			p = p[1:]
			if f.crlf++; f.crlf == 2 {
				f.state = inChunkSize
			}
		case inTrailer:
			p = f.feedTrailer(p)
		case stopped:
			return
		}
	}
}

// skip passes over up to f.remain bytes of body or chunk data and
// returns the bytes after them.
func (f *framer) skip(p []byte) []byte {
	n := min(int64(len(p)), f.remain)
	f.remain -= n
	return p[n:]
}

func (f *framer) stop() {
	if f.state == inHead {
		f.rest = f.head // net/http may be about to refuse it (rejected.go)
	}
	f.state = stopped
	f.head, f.line = nil, nil
}

// nextRequest starts framing the connection's next request.
func (f *framer) nextRequest() {
	f.state = inHead
	f.head = f.head[:0]
	f.lineStart, f.lines = 0, 0
	if f.afterPOST {
		f.skipCRLF = maxPOSTSkip
	}
}

// feedHead adds bytes to the head until its blank line, and returns the
// bytes after it.
func (f *framer) feedHead(p []byte) []byte {
	for len(f.head) == 0 && f.skipCRLF > 0 && len(p) > 0 {
		if p[0] != '\r' && p[0] != '\n' {
			f.skipCRLF = 0
			break
		}
		p = p[1:]
		f.skipCRLF--
	}
	if len(p) == 0 {
		return nil
	}
	if len(f.head) == 0 && !isTokenByte(p[0]) {
		// No request line starts so: TLS records, HTTP/2 frames, noise.
		// net/http answers 400 and closes; don't buffer it.
		f.stop()
		return nil
	}
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			f.head = append(f.head, p...)
			if len(f.head) > f.limit {
				f.stop()
			}
			return nil
		}
		f.head = append(f.head, p[:i+1]...)
		p = p[i+1:]
		if len(f.head) > f.limit {
			f.stop()
			return nil
		}
		line := f.head[f.lineStart:]
		f.lineStart = len(f.head)
		if f.lines > 0 && (len(line) == 1 || len(line) == 2 && line[0] == '\r') {
			f.endHead()
			return p
		}
		f.lines++
	}
	return nil
}

// endHead hands the complete head over and sets up the body's framing.
func (f *framer) endHead() {
	head := f.head
	reqLine, rest := cutLine(head)
	method, _, proto, ok := parseRequestLine(reqLine)
	major, minor, okProto := parseHTTPVersion(proto)
	if !ok || !okProto {
		f.stop() // net/http answers 400 and closes
		return
	}
	fields, ok := scanFields(rest)
	if !ok {
		f.stop()
		return
	}
	f.onHead(bytes.Clone(head))

	if major != 1 || string(method) == "CONNECT" || fields.upgrade {
		f.stop() // the connection leaves HTTP/1 framing
		return
	}
	chunked := false
	if len(fields.te) > 0 && minor >= 1 {
		if len(fields.te) != 1 || !ascii.EqualFold([]byte(fields.te[0]), "chunked") {
			f.stop() // net/http answers 501 and closes
			return
		}
		chunked = true
	}
	length, ok := contentLength(fields.cl)
	if !ok {
		f.stop() // net/http answers 400 and closes
		return
	}
	f.afterPOST = string(method) == "POST"
	switch {
	case chunked:
		f.state, f.line = inChunkSize, f.line[:0]
	case length > 0:
		f.state, f.remain = inBody, length
	default:
		f.nextRequest()
	}
	if cap(f.head) > 4*initialHeadSz {
		f.head = make([]byte, 0, initialHeadSz) // release a large head's buffer
	}
}

// feedChunkSize reads a chunk-size line and returns the bytes after it.
func (f *framer) feedChunkSize(p []byte) []byte {
	i := bytes.IndexByte(p, '\n')
	if i < 0 {
		f.line = append(f.line, p...)
		if len(f.line) >= maxChunkLine {
			f.stop()
		}
		return nil
	}
	f.line = append(f.line, p[:i+1]...)
	p = p[i+1:]
	line := f.line
	f.line = f.line[:0]
	if len(line) > maxChunkLine || bytes.IndexByte(line, '\r') != len(line)-2 {
		f.stop() // too long, bare LF, or a CR inside
		return nil
	}
	line = line[:len(line)-2]
	if len(line) >= maxChunkLine {
		f.stop()
		return nil
	}
	line = bytes.TrimRight(line, " \t\r\n")
	line, _, _ = bytes.Cut(line, []byte(";"))
	n, ok := parseHex(line)
	if !ok {
		f.stop()
		return nil
	}
	if n == 0 {
		f.state, f.trailer = inTrailer, 0
		return p
	}
	f.state, f.remain = inChunkData, int64(n)
	return p
}

// feedTrailer reads trailer lines up to the empty one that ends them.
func (f *framer) feedTrailer(p []byte) []byte {
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			f.line = append(f.line, p...)
			f.trailer += len(p)
			if f.trailer > maxTrailer {
				f.stop()
			}
			return nil
		}
		f.line = append(f.line, p[:i+1]...)
		f.trailer += i + 1
		p = p[i+1:]
		if f.trailer > maxTrailer {
			f.stop()
			return nil
		}
		line := f.line
		f.line = f.line[:0]
		if len(line) == 1 || len(line) == 2 && line[0] == '\r' {
			f.nextRequest()
			return p
		}
	}
	return nil
}

// headFields are the header fields that frame a request.
type headFields struct {
	cl, te  []string // values, trimmed
	upgrade bool
}

// scanFields collects the framing fields of a head's header lines (the
// part after the request line). It reports false for a framing field
// continued on an obs-fold line, which it will not guess at.
func scanFields(rest []byte) (headFields, bool) {
	var h headFields
	var last *[]string
	for len(rest) > 0 {
		var line []byte
		line, rest = cutLine(rest)
		if len(line) == 0 {
			break
		}
		if line[0] == ' ' || line[0] == '\t' {
			if last != nil {
				return h, false
			}
			continue
		}
		last = nil
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			continue // net/http answers 400 and closes
		}
		switch {
		case ascii.EqualFold(name, "Content-Length"):
			h.cl = append(h.cl, string(bytes.Trim(value, " \t")))
			last = &h.cl
		case ascii.EqualFold(name, "Transfer-Encoding"):
			h.te = append(h.te, string(bytes.Trim(value, " \t")))
			last = &h.te
		case ascii.EqualFold(name, "Upgrade"):
			h.upgrade = true
		}
	}
	return h, true
}

// contentLength applies net/http's fixLength and parseContentLength: no
// field means 0; duplicates must agree; the value is a decimal of at most
// 63 bits.
func contentLength(values []string) (int64, bool) {
	if len(values) == 0 {
		return 0, true
	}
	first := strings.Trim(values[0], " \t\r\n")
	for _, v := range values[1:] {
		if strings.Trim(v, " \t\r\n") != first {
			return 0, false
		}
	}
	if first == "" {
		return 0, false
	}
	n, err := strconv.ParseUint(first, 10, 63)
	return int64(n), err == nil
}

// cutLine returns the first line of b without its LF and one CR before
// it, as bufio.Reader.ReadLine does, and the rest.
func cutLine(b []byte) (line, rest []byte) {
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		return b, nil
	}
	line, rest = b[:i], b[i+1:]
	if len(line) > 0 && line[len(line)-1] == '\r' {
		line = line[:len(line)-1]
	}
	return line, rest
}

// parseRequestLine is net/http's: the method ends at the first space,
// the request-target at the next, and the proto is the rest. So the line
// is exactly method + " " + target + " " + proto, which is how
// matchRequestLine finds a request's head again.
func parseRequestLine(line []byte) (method, target, proto []byte, ok bool) {
	m, rest, ok1 := bytes.Cut(line, []byte(" "))
	t, p, ok2 := bytes.Cut(rest, []byte(" "))
	if !ok1 || !ok2 {
		return nil, nil, nil, false
	}
	return m, t, p, true
}

// matchRequestLine reports whether line is method + " " + target + " " +
// proto, without building that string.
func matchRequestLine(line []byte, method, target, proto string) bool {
	if len(line) != len(method)+len(target)+len(proto)+2 {
		return false
	}
	m, rest := line[:len(method)], line[len(method):]
	t, rest := rest[1:1+len(target)], rest[1+len(target):]
	return string(m) == method && string(t) == target && string(rest[1:]) == proto &&
		line[len(method)] == ' ' && rest[0] == ' '
}

// parseHTTPVersion is net/http's ParseHTTPVersion.
func parseHTTPVersion(v []byte) (major, minor int, ok bool) {
	switch string(v) {
	case "HTTP/1.1":
		return 1, 1, true
	case "HTTP/1.0":
		return 1, 0, true
	}
	if !bytes.HasPrefix(v, []byte("HTTP/")) || len(v) != len("HTTP/X.Y") || v[6] != '.' {
		return 0, 0, false
	}
	maj, minr := v[5], v[7]
	if maj < '0' || maj > '9' || minr < '0' || minr > '9' {
		return 0, 0, false
	}
	return int(maj - '0'), int(minr - '0'), true
}

// parseHex is net/http/internal's parseHexUint.
func parseHex(v []byte) (uint64, bool) {
	if len(v) == 0 || len(v) > 16 {
		return 0, false
	}
	var n uint64
	for _, b := range v {
		switch {
		case '0' <= b && b <= '9':
			b -= '0'
		case 'a' <= b && b <= 'f':
			b = b - 'a' + 10
		case 'A' <= b && b <= 'F':
			b = b - 'A' + 10
		default:
			return 0, false
		}
		n = n<<4 | uint64(b)
	}
	return n, true
}

// isTokenByte reports whether c may start a method (an RFC 9110 token).
func isTokenByte(c byte) bool {
	if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}
