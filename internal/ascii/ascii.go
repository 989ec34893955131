package ascii

// EqualFold reports whether b and s are equal under ASCII case folding,
// as header names and tokens compare in net/http; strings.EqualFold and
// bytes.EqualFold would also match Unicode folds ("ſ" and "s", the Kelvin
// sign and "k").
func EqualFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := 0; i < len(b); i++ {
		if lower(b[i]) != lower(s[i]) {
			return false
		}
	}
	return true
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
