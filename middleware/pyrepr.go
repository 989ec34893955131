package middleware

import (
	"bytes"
	"unicode"
	"unicode/utf8"
)

// This file copies what Python 3 prints for a request head, for the Lines,
// Bytes and Article formats:
//
//   - str.splitlines() line boundaries;
//   - repr(str): its quote choice, its escapes and its notion of printable;
//   - repr(bytes).
//
// A head is decoded as Python's head.decode("utf-8", "surrogateescape")
// decodes it: identical to the strict decode for valid UTF-8, and where
// the strict decode would raise, each byte of invalid UTF-8 becomes the
// lone surrogate U+DC80..U+DCFF, which repr writes as \udcNN.

// appendPyList appends the lines, split again at Python's line boundaries,
// as print(head.splitlines()) prints them: a list of str reprs that ends
// with an empty str for the blank line closing a complete head.
func appendPyList(dst []byte, lines []line) []byte {
	n := 0
	dst = appendPyElems(append(dst, '['), lines, &n)
	return append(dst, "]\n"...)
}

// appendPyElems appends the list elements of lines, each after ", "
// unless it is the list's first; *n counts the elements so far.
func appendPyElems(dst []byte, lines []line, n *int) []byte {
	for _, l := range lines {
		s := l.text
		for {
			i, size := pyLineBreak(s)
			if i < 0 {
				break
			}
			dst = appendPyElem(dst, s[:i], n)
			s = s[i+size:]
		}
		// The line's own ending closes the last piece, even an empty one;
		// a line cut short (no ending) yields a piece only if it has text,
		// as splitlines() drops nothing but a final empty remainder.
		if l.eol != nil || len(s) > 0 {
			dst = appendPyElem(dst, s, n)
		}
	}
	return dst
}

func appendPyElem(dst, s []byte, n *int) []byte {
	if *n > 0 {
		dst = append(dst, ", "...)
	}
	*n++
	return appendPyRepr(dst, s)
}

// isPyBreakByte marks the ASCII bytes str.splitlines() splits at: \n \v
// \f \r and \x1c \x1d \x1e.
var isPyBreakByte = [utf8.RuneSelf]bool{'\n': true, '\v': true, '\f': true, '\r': true, 0x1c: true, 0x1d: true, 0x1e: true}

// pyLineBreak returns the offset and length of the first line boundary
// of str.splitlines() in s: an ASCII one (\r\n counts as one), U+0085
// (NEL), U+2028 or U+2029. It returns -1, 0 if there is none. A lead byte
// of UTF-8 always starts a new character for Python's decoder and Go's,
// so matching the encoded boundaries byte-wise finds exactly the decoded
// ones.
func pyLineBreak(s []byte) (int, int) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c < utf8.RuneSelf:
			if !isPyBreakByte[c] {
				continue
			}
			if c == '\r' && i+1 < len(s) && s[i+1] == '\n' {
				return i, 2
			}
			return i, 1
		case c == 0xc2:
			if i+1 < len(s) && s[i+1] == 0x85 {
				return i, 2
			}
		case c == 0xe2:
			if i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0xa8 || s[i+2] == 0xa9) {
				return i, 3
			}
		}
	}
	return -1, 0
}

// appendPyRepr appends s as Python's repr() writes a str: in single quotes
// unless s holds a single quote and no double quote; \\, the quote, \t, \n
// and \r escaped; every character str.isprintable() rejects (Unicode
// categories Cc, Cf, Cs, Co, Cn, Zl, Zp, and Zs but the ASCII space) as
// \xNN below U+0100, \uNNNN below U+10000 and \UNNNNNNNN above; each byte
// of invalid UTF-8 as its surrogate escape \udcNN.
//
// Printable is judged by Go's unicode tables (unicode.IsPrint is exactly
// Python's rule), so a character assigned in a Unicode version newer than
// Python's may pass where Python escapes it, and the other way round.
func appendPyRepr(dst []byte, s []byte) []byte {
	quote := pyQuote(s)
	dst = append(dst, quote)
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			// A run of printable ASCII, most of a head, goes in one append.
			j := i
			for j < len(s) && s[j] >= 0x20 && s[j] < 0x7f && s[j] != '\\' && s[j] != quote {
				j++
			}
			if j > i {
				dst = append(dst, s[i:j]...)
				i = j
				continue
			}
			dst = appendPyASCII(dst, c, quote)
			i++
			continue
		}
		r, size := utf8.DecodeRune(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = appendHex(dst, 'u', 0xdc00|rune(c), 4)
		case unicode.IsPrint(r):
			dst = append(dst, s[i:i+size]...)
		case r < 0x100:
			dst = appendHex(dst, 'x', r, 2)
		case r < 0x10000:
			dst = appendHex(dst, 'u', r, 4)
		default:
			dst = appendHex(dst, 'U', r, 8)
		}
		i += size
	}
	return append(dst, quote)
}

// appendPyBytes appends b escaped as inside a bytes repr quoted by quote.
func appendPyBytes(dst []byte, b []byte, quote byte) []byte {
	for i := 0; i < len(b); i++ {
		j := i
		for j < len(b) && b[j] >= 0x20 && b[j] < 0x7f && b[j] != '\\' && b[j] != quote {
			j++
		}
		if j > i {
			dst = append(dst, b[i:j]...)
			if i = j; i == len(b) {
				break
			}
		}
		if c := b[i]; c < utf8.RuneSelf {
			dst = appendPyASCII(dst, c, quote)
		} else {
			dst = appendHex(dst, 'x', rune(c), 2)
		}
	}
	return dst
}

// pyQuote is the quote repr() chooses for s: ' unless s holds ' and no ".
func pyQuote(s []byte) byte {
	if bytes.IndexByte(s, '\'') >= 0 && bytes.IndexByte(s, '"') < 0 {
		return '"'
	}
	return '\''
}

// appendPyASCII appends an ASCII byte as both reprs write it.
func appendPyASCII(dst []byte, c, quote byte) []byte {
	switch {
	case c == '\\' || c == quote:
		return append(dst, '\\', c)
	case c >= 0x20 && c < 0x7f:
		return append(dst, c)
	case c == '\t':
		return append(dst, '\\', 't')
	case c == '\n':
		return append(dst, '\\', 'n')
	case c == '\r':
		return append(dst, '\\', 'r')
	}
	return appendHex(dst, 'x', rune(c), 2)
}

// appendHex appends a backslash, kind and the digits lowercase hex digits
// of r.
func appendHex(dst []byte, kind byte, r rune, digits int) []byte {
	dst = append(dst, '\\', kind)
	for shift := 4 * (digits - 1); shift >= 0; shift -= 4 {
		dst = append(dst, hexDigits[(r>>shift)&0xf])
	}
	return dst
}
