package middleware

import (
	"unicode/utf8"
)

const hexDigits = "0123456789abcdef"

// appendEscaped appends s with every byte that could forge a log line or
// drive a terminal written as an escape, the way Python's repr() writes
// them: \t \r \n, other C0 controls, DEL and C1 controls as \xNN,
// bidirectional overrides and line separators as \uNNNN, and bytes of
// invalid UTF-8 as \xNN. A backslash is doubled, so every escape in the
// log is one the log wrote. Printable UTF-8 passes through.
func appendEscaped(dst []byte, s []byte) []byte {
	return appendEscapedQuote(dst, s, 0)
}

// appendEscapedQuote is appendEscaped that also escapes the quote byte,
// for fields inside quotes; 0 escapes none.
func appendEscapedQuote(dst []byte, s []byte, quote byte) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c == '\\' || (c == quote && quote != 0) {
			dst = append(dst, '\\', c)
			i++
			continue
		}
		if c >= 0x20 && c < 0x7f {
			dst = append(dst, c)
			i++
			continue
		}
		if c < utf8.RuneSelf { // C0 controls and DEL
			dst = appendByteEscape(dst, c)
			i++
			continue
		}
		r, size := utf8.DecodeRune(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = appendByteEscape(dst, c)
		case r <= 0xff && isC1OrFormat(r):
			dst = appendByteEscape(dst, byte(r))
		case isC1OrFormat(r):
			dst = append(dst, '\\', 'u')
			for shift := 12; shift >= 0; shift -= 4 {
				dst = append(dst, hexDigits[(r>>shift)&0xf])
			}
		default:
			dst = append(dst, s[i:i+size]...)
		}
		i += size
	}
	return dst
}

func appendByteEscape(dst []byte, c byte) []byte {
	switch c {
	case '\t':
		return append(dst, '\\', 't')
	case '\r':
		return append(dst, '\\', 'r')
	case '\n':
		return append(dst, '\\', 'n')
	}
	return append(dst, '\\', 'x', hexDigits[c>>4], hexDigits[c&0xf])
}

// isC1OrFormat reports runes a terminal may act on or that reorder text
// on screen: C1 controls, bidirectional overrides and line separators.
func isC1OrFormat(r rune) bool {
	switch {
	case r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x2028, r == 0x2029:
		return true
	}
	return false
}
