package main

import (
	"fmt"
	"strings"
)

// codings is the -compress flag: the content codings the Handler
// compresses with, in order of preference, or none for "off".
type codings []string

// defaultCodings is -compress's default, the Handler's own.
func defaultCodings() codings { return codings{"br", "zstd", "gzip"} }

func (c *codings) String() string {
	if c == nil {
		return ""
	}
	if len(*c) == 0 {
		return "off"
	}
	return strings.Join(*c, ",")
}

// Set parses "off" or a comma-separated list of br, zstd and gzip.
func (c *codings) Set(s string) error {
	if s == "off" {
		*c = codings{}
		return nil
	}
	var list codings
	for _, name := range strings.Split(s, ",") {
		switch name = strings.TrimSpace(name); name {
		case "br", "zstd", "gzip":
			for _, seen := range list {
				if seen == name {
					return fmt.Errorf("%s listed twice", name)
				}
			}
			list = append(list, name)
		default:
			return fmt.Errorf("unknown coding %q (want off, or a list of br, zstd and gzip)", name)
		}
	}
	*c = list
	return nil
}
