package middleware

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"golang.org/x/crypto/bcrypt"
)

// ParseUsers reads [BasicAuth] users from r, one user:bcrypt-hash line
// each, as htpasswd -B writes them:
//
//	# staging site
//	alice:$2y$10$...
//
// Blank lines and lines starting with # are skipped; spaces around a
// line and a CR before its LF are ignored. The name ends at the first
// colon. An error names the line and, when it has one, the user, never
// the hash, so that it can be printed safely.
func ParseUsers(r io.Reader) (map[string][]byte, error) {
	users := map[string][]byte{}
	seen := map[string]int{} // user → line
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || text[0] == '#' {
			continue
		}
		name, hash, ok := strings.Cut(text, ":")
		switch {
		case !ok:
			return nil, fmt.Errorf("middleware: users line %d: want user:bcrypt-hash", line)
		case name == "":
			return nil, fmt.Errorf("middleware: users line %d: empty user name", line)
		case seen[name] != 0:
			return nil, fmt.Errorf("middleware: users line %d: user %q is already on line %d", line, name, seen[name])
		}
		if _, err := bcrypt.Cost([]byte(hash)); err != nil {
			return nil, fmt.Errorf("middleware: users line %d: user %q: not a bcrypt hash", line, name)
		}
		seen[name] = line
		users[name] = []byte(hash)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("middleware: users line %d: %v", line+1, err)
	}
	return users, nil
}
