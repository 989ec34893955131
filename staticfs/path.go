package staticfs

import (
	"path"
	"strings"
)

// cleanPath turns a URL path into the rooted, clean name of a file:
// "/" followed by segments that are neither empty, "." nor "..", so that
// no name can climb above the root, whatever the request's encoding was.
// Bytes that some filesystem could read as a separator or a terminator
// (backslash, NUL) are refused rather than guessed at.
func cleanPath(p string) (string, error) {
	if strings.ContainsAny(p, "\\\x00") {
		return "", ErrInvalidPath
	}
	if p == "" || p[0] != '/' {
		p = "/" + p
	}
	return path.Clean(p), nil
}

// wellKnown is the one dot directory served by default (RFC 8615).
const wellKnown = ".well-known"

// hidden reports whether the clean name has a segment that the dotfile
// policy hides.
func (rt *root) hidden(name string) bool {
	if rt.allowDotfiles || !strings.Contains(name, "/.") {
		return false
	}
	for i, seg := range strings.Split(name[1:], "/") {
		if strings.HasPrefix(seg, ".") && (i != 0 || seg != wellKnown || rt.hideWellKnown) {
			return true
		}
	}
	return false
}

// joinWithin joins a relative link target to the directory holding the
// link and reports false if the result climbs above the root. path.Join
// would silently clamp "/a/../../x" to "/x"; here that is an escape.
func joinWithin(dir, target string) (string, bool) {
	var segs []string
	if dir != "/" {
		segs = strings.Split(dir[1:], "/")
	}
	for _, seg := range strings.Split(target, "/") {
		switch seg {
		case "", ".":
		case "..":
			if len(segs) == 0 {
				return "", false
			}
			segs = segs[:len(segs)-1]
		default:
			segs = append(segs, seg)
		}
	}
	return "/" + strings.Join(segs, "/"), true
}
