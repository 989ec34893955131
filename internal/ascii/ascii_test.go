package ascii

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestEqualFold(t *testing.T) {
	tests := []struct {
		b, s string
		want bool
	}{
		{"Content-Length", "content-length", true},
		{"CONTENT-LENGTH", "Content-Length", true},
		{"cookie", "Cookie", true},
		{"Cookie", "Cookies", false},
		{"", "", true},
		{"Coo\u212Aie", "Cookie", false}, // Kelvin sign: a Unicode fold, not an ASCII one
		{"\u017Fet-cookie", "set-cookie", false},
		{"x-a", "x_a", false},
		{"@", "`", false}, // one below 'A' and one below 'a'
		{"[", "{", false}, // one above 'Z' and one above 'z'
	}
	var got, want []string
	for _, tt := range tests {
		got = append(got, fmt.Sprintf("%q %q %v", tt.b, tt.s, EqualFold([]byte(tt.b), tt.s)))
		want = append(want, fmt.Sprintf("%q %q %v", tt.b, tt.s, tt.want))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
