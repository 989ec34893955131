package middleware_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/webstatic/webstatic/middleware"
)

// A real hash, of "s3cret" at cost 4, and the same hash htpasswd -B
// writes with the $2y$ prefix.
const (
	hashA = "$2a$04$n06zyki9ocoGiGcuHeNNou56RE65itmltocC/FCttDzyU/zHZGc5K"
	hashY = "$2y$04$n06zyki9ocoGiGcuHeNNou56RE65itmltocC/FCttDzyU/zHZGc5K"
)

func TestParseUsers(t *testing.T) {
	for _, tt := range []struct {
		name, in string
		want     map[string][]byte
		err      string
	}{
		{"empty", "", map[string][]byte{}, ""},
		{"users, comments, blank lines, CRLF", "# staging\r\n\r\nalice:" + hashA + "\r\n  bob:" + hashY + "  \n", map[string][]byte{"alice": []byte(hashA), "bob": []byte(hashY)}, ""},
		{"no colon", "alice:" + hashA + "\n" + hashA[4:] + "\n", nil, "line 2: want user:bcrypt-hash"},
		{"empty name", ":" + hashA, nil, "line 1: empty user name"},
		{"not bcrypt", "\nalice:{SHA}secrethash=", nil, `line 2: user "alice": not a bcrypt hash`},
		{"truncated", "alice:" + hashA[:30], nil, `line 1: user "alice": not a bcrypt hash`},
		{"twice", "alice:" + hashA + "\n#\nalice:" + hashY, nil, `line 3: user "alice" is already on line 1`},
		{"line too long", "alice:" + strings.Repeat("x", 70000), nil, "line 1: bufio.Scanner: token too long"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := middleware.ParseUsers(strings.NewReader(tt.in))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one with %q", err, tt.err)
				}
				for _, secret := range []string{hashA[7:20], "secrethash", "xxxx"} {
					if strings.Contains(err.Error(), secret) {
						t.Errorf("error %q shows the hash", err)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// Read the users of a -basic-auth file; errors name the line, never the
// hash.
func ExampleParseUsers() {
	users, err := middleware.ParseUsers(strings.NewReader("# user:bcrypt-hash, as htpasswd -B writes\nalice:" + hashY + "\n"))
	fmt.Println(len(users), err)
	_, err = middleware.ParseUsers(strings.NewReader("alice:" + hashY + "\nbob:$1$md5crypt\n"))
	fmt.Println(err)
	// Output:
	// 1 <nil>
	// middleware: users line 2: user "bob": not a bcrypt hash
}
