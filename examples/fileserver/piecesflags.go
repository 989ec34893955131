package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/webstatic/webstatic/middleware"
)

// piecesConfig holds the flags of the middleware pieces around the files.
type piecesConfig struct {
	cors            originsFlag       // -cors, repeatable or comma-separated
	basicAuth       string            // -basic-auth FILE
	users           map[string][]byte // read from -basic-auth at start
	securityHeaders bool              // -security-headers
	health          string            // -health PATH
}

// originsFlag is the repeatable -cors ORIGIN[,ORIGIN...].
type originsFlag []string

func (o *originsFlag) String() string { return strings.Join(*o, ",") }

func (o *originsFlag) Set(s string) error {
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			if err := (&middleware.CORS{AllowedOrigins: []string{v}}).Validate(); err != nil {
				return fmt.Errorf("%q: want an origin such as https://app.example.com, a pattern such as https://*.example.com, or *", v)
			}
			*o = append(*o, v)
		}
	}
	return nil
}

// check validates the pieces' flags and reads the -basic-auth file; its
// error is one line, which never quotes a hash.
func (p *piecesConfig) check() error {
	if p.basicAuth != "" {
		f, err := os.Open(p.basicAuth)
		if err != nil {
			return fmt.Errorf("-basic-auth %q: cannot be read", p.basicAuth)
		}
		defer f.Close()
		users, err := middleware.ParseUsers(f)
		if err != nil {
			return fmt.Errorf("-basic-auth %q: %v", p.basicAuth, strings.TrimPrefix(err.Error(), "middleware: users "))
		}
		if len(users) == 0 {
			return fmt.Errorf("-basic-auth %q: no user:bcrypt-hash line", p.basicAuth)
		}
		p.users = users
	}
	if p.health != "" {
		if err := (&middleware.Health{Path: p.health}).Validate(); err != nil {
			return fmt.Errorf("-health %q: want a URL path starting with /", p.health)
		}
	}
	return nil
}
