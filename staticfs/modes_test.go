package staticfs_test

import (
	"flag"
	"testing"

	"github.com/webstatic/webstatic/staticfs"
)

// TestModesAreFlagValues: every ETagMode and SymlinkPolicy round-trips
// through String and Set, so a command can offer them as flags, and an
// unknown name is an error that lists the names.
func TestModesAreFlagValues(t *testing.T) {
	var etags staticfs.ETagMode
	var links staticfs.SymlinkPolicy
	values := map[string]flag.Value{"etag": &etags, "symlinks": &links}
	tests := []struct {
		flag, arg string
		want      string // String after Set; "" for an error
	}{
		{"etag", "meta", "meta"}, {"etag", "content", "content"}, {"etag", "sha1", ""},
		{"symlinks", "within-root", "within-root"}, {"symlinks", "deny", "deny"},
		{"symlinks", "follow-all", "follow-all"}, {"symlinks", "all", ""},
	}
	for _, tt := range tests {
		fs := flag.NewFlagSet("test", flag.ContinueOnError)
		fs.SetOutput(new(discard))
		fs.Var(values[tt.flag], tt.flag, "")
		err := fs.Parse([]string{"-" + tt.flag, tt.arg})
		switch {
		case tt.want == "" && err == nil:
			t.Errorf("-%s %s: no error", tt.flag, tt.arg)
		case tt.want != "" && err != nil:
			t.Errorf("-%s %s: %v", tt.flag, tt.arg, err)
		case tt.want != "" && values[tt.flag].String() != tt.want:
			t.Errorf("-%s %s: String() = %q", tt.flag, tt.arg, values[tt.flag].String())
		}
	}
	if got := staticfs.ETagMode(9).String(); got != "ETagMode(9)" {
		t.Errorf("ETagMode(9).String() = %q", got)
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
