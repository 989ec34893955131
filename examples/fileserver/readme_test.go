package main

import (
	"bytes"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestReadmeListsEveryFlag: the README's table of the reference server's
// flags and -help name the same flags.
func TestReadmeListsEveryFlag(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	section := string(readme)
	i := strings.Index(section, "## The reference server")
	if i < 0 {
		t.Fatal("README has no reference server section")
	}
	section = section[i:]
	if j := strings.Index(section[3:], "\n## "); j >= 0 {
		section = section[:j+3]
	}
	names := func(re *regexp.Regexp, text string) []string {
		var out []string
		for _, m := range re.FindAllStringSubmatch(text, -1) {
			out = append(out, m[1])
		}
		sort.Strings(out)
		return out
	}
	inReadme := names(regexp.MustCompile("(?m)^\\| `-([a-z0-9-]+)"), section)
	var help bytes.Buffer
	parseFlags([]string{"-help"}, &help)
	inHelp := names(regexp.MustCompile(`(?m)^  -([a-z0-9-]+)`), help.String())
	if len(inHelp) < 10 {
		t.Fatalf("-help lists %d flags:\n%s", len(inHelp), help.String())
	}
	if diff := cmp.Diff(inHelp, inReadme); diff != "" {
		t.Errorf("flags in -help (-) and in README's table (+):\n%s", diff)
	}
}
