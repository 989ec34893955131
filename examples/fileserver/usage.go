package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
)

// printUsage writes -help: the command line, then every flag with its
// placeholder, its meaning and its default, whatever the default is
// (flag.PrintDefaults leaves out defaults that are a type's zero value,
// such as -conn's keepalive).
func printUsage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintln(w, "usage: fileserver [flags] [DIR]")
	fmt.Fprintln(w, "serves DIR (or -root: a directory, or a bucket as s3://bucket/prefix; default testdata/site) on http://127.0.0.1:8080")
	fs.VisitAll(func(f *flag.Flag) {
		name, usage := flag.UnquoteUsage(f)
		line := "  -" + f.Name
		if name != "" {
			line += " " + name
		}
		def := f.DefValue
		if def == "" {
			def = `""`
		}
		fmt.Fprintf(w, "%s\n    \t%s (default %s)\n", line, strings.ReplaceAll(usage, "\n", "\n    \t"), def)
	})
}
