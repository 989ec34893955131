package middleware

import (
	"bytes"
	"fmt"
	"strconv"
)

// Format is how HeaderLog prints a request head.
type Format int

const (
	// Raw prints the request line and header lines as received, each with
	// the line ending the client used, then a blank line: what a server
	// printing recv() shows. Bytes that could forge log lines or drive a
	// terminal are escaped. The separator line before each head ends the
	// way the head's first line does (CRLF for HTTP/1 clients and for
	// heads rebuilt from HTTP/2 and HTTP/3 requests), so that each block
	// uses one line ending.
	Raw Format = iota

	// Lines prints the head as one Python list, byte for byte what Python
	// 3 prints for print(head.decode("utf-8").splitlines()): split at every
	// boundary of str.splitlines(), each line in repr()'s quotes and
	// escapes, ending with '' for the blank line that closes the head:
	// ['GET / HTTP/1.1', 'Host: example', 'Accept: */*', '']
	// Where the strict decode would raise (invalid UTF-8), it prints what
	// decode("utf-8", "surrogateescape") gives: \udcNN for each such byte.
	Lines

	// Bytes prints the head as Python 3's print(request) prints the bytes
	// that recv() returned, with printable ASCII as is and every other
	// byte escaped:
	//
	//	b'GET / HTTP/1.1\r\nHost: example\r\n\r\n'
	Bytes

	// Article prints what the article's teaching server prints for each
	// request, and nothing else: an empty line, a line of ">>" 50 times,
	// then the Lines list. It has no separator line naming the
	// connection.
	Article
)

// formatNames are the names String returns and Set accepts, by Format.
var formatNames = [...]string{Raw: "raw", Lines: "lines", Bytes: "bytes", Article: "article"}

// String returns "raw", "lines", "bytes" or "article".
func (f Format) String() string {
	if f >= 0 && int(f) < len(formatNames) {
		return formatNames[f]
	}
	return "Format(" + strconv.Itoa(int(f)) + ")"
}

// Set parses "raw", "lines", "bytes" or "article", so a Format can be a
// flag.Value.
func (f *Format) Set(s string) error {
	for i, name := range formatNames {
		if s == name {
			*f = Format(i)
			return nil
		}
	}
	return fmt.Errorf("unknown header log format %q (want raw, lines, bytes or article)", s)
}

// articleRule is the line the article prints before each request's list:
// print(">>" * 50).
const articleRule = ">>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>\n"

// endSeparator ends the separator line just appended to dst (with an
// LF) the way the head after it ends its lines: in Raw, a head whose
// first line ends in CRLF (as HTTP/1 clients send, and as a rebuilt or
// cut head is written) gets a CRLF separator too, so that each block
// uses one line ending. The other formats end every line in LF.
func (f Format) endSeparator(dst []byte, lines []line) []byte {
	if f != Raw || len(lines) > 0 && lines[0].eol != nil && !bytes.Equal(lines[0].eol, crlf) {
		return dst
	}
	return append(dst[:len(dst)-1], crlf...)
}

// appendHead appends the lines in format f; the separator is the caller's.
func (f Format) appendHead(dst []byte, lines []line) []byte {
	switch f {
	case Lines:
		return appendPyList(dst, lines)
	case Bytes:
		return appendBytes(dst, lines)
	case Article:
		dst = append(dst, '\n')
		dst = append(dst, articleRule...)
		return appendPyList(dst, lines)
	}
	return appendRaw(dst, lines)
}

// appendRaw appends the lines as received, the blank line included. A
// head cut short (no terminator) gets CRLFs, so the block still ends in
// a blank line.
func appendRaw(dst []byte, lines []line) []byte {
	for _, l := range lines {
		dst = appendEscaped(dst, l.text)
		if l.eol == nil {
			dst = append(dst, crlf...)
			continue
		}
		dst = append(dst, l.eol...)
	}
	if n := len(lines); n == 0 || len(lines[n-1].text) > 0 {
		dst = append(dst, crlf...)
	}
	return dst
}

// appendBytes appends the lines with their endings, as received, in one
// Python bytes repr and a newline.
func appendBytes(dst []byte, lines []line) []byte {
	quote := byte('\'')
	single, double := false, false
	for _, l := range lines {
		single = single || bytes.IndexByte(l.text, '\'') >= 0
		double = double || bytes.IndexByte(l.text, '"') >= 0
	}
	if single && !double {
		quote = '"'
	}
	dst = append(dst, 'b', quote)
	for _, l := range lines {
		dst = appendPyBytes(dst, l.text, quote)
		dst = appendPyBytes(dst, l.eol, quote)
	}
	return append(dst, quote, '\n')
}
