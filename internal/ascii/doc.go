// Package ascii compares header tokens the way net/http does: by ASCII
// case folding only. It is shared by the connection layer's framer and
// the header log's redaction, which must agree with net/http on which
// header a line is.
package ascii
