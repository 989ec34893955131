package coding

import "strings"

// DefaultTypes returns the media types worth compressing, as patterns
// for [TypeMatches]: text, scripts, data formats, SVG, WebAssembly and
// the font formats that are not compressed already (woff and woff2 are).
// Images other than SVG, audio, video and archives are left out: they
// are compressed already, and a second pass costs CPU for nothing.
func DefaultTypes() []string {
	return []string{
		"text/",
		"application/javascript", "application/x-javascript", "application/ecmascript",
		"application/json", "+json",
		"application/xml", "+xml",
		"application/wasm",
		"application/x-font-ttf", "application/vnd.ms-fontobject",
		"font/ttf", "font/otf", "font/collection",
		"image/svg+xml", "image/x-icon", "image/vnd.microsoft.icon", "image/bmp",
	}
}

// TypeMatches reports whether contentType (parameters allowed) matches
// one of patterns: a whole media type ("application/json"), a type
// prefix ending in "/" ("text/"), or a structured-syntax suffix starting
// with "+" ("+json"). Letter case does not matter.
func TypeMatches(patterns []string, contentType string) bool {
	mt, _, _ := strings.Cut(contentType, ";")
	mt = strings.ToLower(strings.TrimSpace(mt))
	if mt == "" {
		return false
	}
	for _, p := range patterns {
		switch {
		case strings.HasSuffix(p, "/"):
			if strings.HasPrefix(mt, strings.ToLower(p)) {
				return true
			}
		case strings.HasPrefix(p, "+"):
			if strings.HasSuffix(mt, strings.ToLower(p)) {
				return true
			}
		case strings.EqualFold(mt, p):
			return true
		}
	}
	return false
}
