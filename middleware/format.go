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
	// terminal are escaped.
	Raw Format = iota

	// Lines prints the same lines as one Python-style list, like
	// print(request.splitlines()):
	// ['GET / HTTP/1.1', 'Host: example', 'Accept: */*']
	Lines
)

// String returns "raw" or "lines".
func (f Format) String() string {
	switch f {
	case Raw:
		return "raw"
	case Lines:
		return "lines"
	}
	return "Format(" + strconv.Itoa(int(f)) + ")"
}

// Set parses "raw" or "lines", so a Format can be a flag.Value.
func (f *Format) Set(s string) error {
	switch s {
	case "raw":
		*f = Raw
	case "lines":
		*f = Lines
	default:
		return fmt.Errorf("unknown header log format %q (want raw or lines)", s)
	}
	return nil
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

// appendList appends the lines, without the blank one, as a Python list
// of str reprs.
func appendList(dst []byte, lines []line) []byte {
	dst = append(dst, '[')
	for i, l := range lines {
		if len(l.text) == 0 {
			break
		}
		if i > 0 {
			dst = append(dst, ", "...)
		}
		dst = appendPyRepr(dst, l.text)
	}
	return append(dst, "]\n"...)
}

// appendPyRepr quotes s the way Python's repr() quotes a str: single
// quotes unless s holds a single quote and no double quote, with the
// escapes of appendEscaped. Bytes that are not UTF-8 come out as \xNN.
func appendPyRepr(dst []byte, s []byte) []byte {
	quote := byte('\'')
	if bytes.IndexByte(s, '\'') >= 0 && bytes.IndexByte(s, '"') < 0 {
		quote = '"'
	}
	dst = append(dst, quote)
	dst = appendEscapedQuote(dst, s, quote)
	return append(dst, quote)
}
