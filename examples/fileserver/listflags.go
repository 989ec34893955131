package main

import (
	"fmt"
	"strings"

	"github.com/webstatic/webstatic/staticfs"
)

// listFlag is a comma-separated list, such as -index a.html,b.html.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(s string) error {
	*l = nil
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			if strings.Contains(v, "/") {
				return fmt.Errorf("%q is a path; want file names", v)
			}
			*l = append(*l, v)
		}
	}
	return nil
}

// extensionsFlag is -extensions html,htm: the extensions of clean URLs,
// given with or without their dot.
type extensionsFlag []string

func (e *extensionsFlag) String() string { return strings.Join(*e, ",") }

func (e *extensionsFlag) Set(s string) error {
	*e = nil
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimPrefix(strings.TrimSpace(v), "."); v != "" {
			if strings.ContainsAny(v, "/.\\") {
				return fmt.Errorf("%q: want extensions such as html", v)
			}
			*e = append(*e, "."+v)
		}
	}
	return nil
}

// cacheControlFlag is the repeatable -cache-control PATTERN=VALUE.
type cacheControlFlag []staticfs.CacheControlRule

func (c *cacheControlFlag) String() string {
	var parts []string
	for _, r := range *c {
		parts = append(parts, r.Pattern+"="+r.Value)
	}
	return strings.Join(parts, " ")
}

func (c *cacheControlFlag) Set(s string) error {
	pattern, value, ok := strings.Cut(s, "=")
	if !ok || strings.TrimSpace(pattern) == "" || strings.TrimSpace(value) == "" {
		return fmt.Errorf("want PATTERN=VALUE, e.g. '*.html=no-cache' or '/assets/=public, max-age=31536000, immutable'")
	}
	*c = append(*c, staticfs.CacheControlRule{Pattern: strings.TrimSpace(pattern), Value: strings.TrimSpace(value)})
	return nil
}

// headerFlag is the repeatable -header 'Name: value'.
type headerFlag [][2]string

func (h *headerFlag) String() string {
	var parts []string
	for _, kv := range *h {
		parts = append(parts, kv[0]+": "+kv[1])
	}
	return strings.Join(parts, ", ")
}

func (h *headerFlag) Set(s string) error {
	name, value, ok := strings.Cut(s, ":")
	name, value = strings.TrimSpace(name), strings.TrimSpace(value)
	if !ok || name == "" || !validHeaderName(name) || strings.ContainsAny(value, "\r\n\x00") {
		return fmt.Errorf("want 'Name: value' with a token for a name and no line break in the value")
	}
	*h = append(*h, [2]string{name, value})
	return nil
}

func validHeaderName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return true
}
