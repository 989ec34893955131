package middleware

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"io"
	"net/http"
	"strings"

	"golang.org/x/crypto/bcrypt"
)

// BasicAuth lets through only requests with the user name and password
// of one of its Users (HTTP Basic authentication, RFC 7617), for a
// staging site or a private share. Others get 401 with
// WWW-Authenticate: Basic realm="Realm", charset="UTF-8" and a short
// plain-text body; the wrapped handler does not run.
//
// Passwords are checked against bcrypt hashes. The user name is compared
// in constant time with every user's (no map lookup, no early return),
// and a request naming an unknown user is checked against a dummy hash
// of the users' highest cost, so an unknown user and a wrong password
// take the same time: the answer does not tell which names exist, as
// long as all the hashes have the same cost. Requests without
// credentials are refused without running bcrypt.
//
// bcrypt is slow on purpose (about 50 ms at the default cost 10), and
// BasicAuth has no limit on attempts: behind it, a client can keep a
// CPU busy. Serve it over TLS, since Basic credentials travel in the
// clear otherwise; HeaderLog and AccessLog never print them (the
// Authorization header is redacted by default).
//
// The response writer is not wrapped. Put [CORS] outside BasicAuth, as
// browsers send preflights without credentials.
//
// The zero value lets nobody in.
type BasicAuth struct {
	// Users maps each user name to the bcrypt hash of its password
	// ($2a$, $2b$ or $2y$, as htpasswd -B and ParseUsers give). nil or
	// empty: nobody gets in. Wrap copies it: later changes to the map
	// do not reach the handler.
	Users map[string][]byte

	// Realm names the protected space in the browser's prompt. ""
	// means "Restricted".
	Realm string

	// compare checks a password against a hash; nil means
	// bcrypt.CompareHashAndPassword. Tests count its calls.
	compare func(hash, password []byte) error
}

// Validate reports the first setting Wrap would refuse: a hash that is
// not a bcrypt hash (the error names the user, never the hash), a user
// name with a colon, which Basic credentials cannot carry, or a realm
// with a control byte or a double quote.
func (a *BasicAuth) Validate() error {
	_, err := a.compile()
	return err
}

// Wrap returns a handler that calls next for requests with valid
// credentials and answers 401 to the others. It panics if Validate
// reports an error. Unless Users is empty it runs bcrypt once, to make
// the dummy hash.
func (a *BasicAuth) Wrap(next http.Handler) http.Handler {
	p, err := a.compile()
	if err != nil {
		panic(err)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if user, password, ok := r.BasicAuth(); ok && p.check(user, password) {
			next.ServeHTTP(w, r)
			return
		}
		p.deny(w, r)
	})
}

type authUser struct {
	sum  [sha256.Size]byte // of the name, so that every comparison has one length
	hash []byte
}

// authPolicy is a BasicAuth compiled by Wrap.
type authPolicy struct {
	users        []authUser
	dummy        []byte // a hash no password matches, of the users' highest cost
	compare      func(hash, password []byte) error
	authenticate []string // the WWW-Authenticate value
}

func (a *BasicAuth) compile() (*authPolicy, error) {
	realm := a.Realm
	if realm == "" {
		realm = "Restricted"
	}
	for _, b := range []byte(realm) {
		if b < ' ' || b == 0x7f || b == '"' || b == '\\' {
			return nil, fmt.Errorf("middleware: BasicAuth: realm %q: control byte, quote or backslash", realm)
		}
	}
	p := &authPolicy{
		compare:      a.compare,
		authenticate: []string{`Basic realm="` + realm + `", charset="UTF-8"`},
	}
	if p.compare == nil {
		p.compare = bcrypt.CompareHashAndPassword
	}
	cost := 0
	for name, hash := range a.Users {
		if strings.Contains(name, ":") {
			return nil, fmt.Errorf("middleware: BasicAuth: user %q: a name cannot hold a colon", name)
		}
		c, err := bcrypt.Cost(hash)
		if err != nil {
			return nil, fmt.Errorf("middleware: BasicAuth: user %q: not a bcrypt hash", name)
		}
		cost = max(cost, c)
		p.users = append(p.users, authUser{sha256.Sum256([]byte(name)), append([]byte(nil), hash...)})
	}
	if len(p.users) > 0 {
		dummy, err := bcrypt.GenerateFromPassword([]byte(rand.Text()), cost)
		if err != nil {
			return nil, fmt.Errorf("middleware: BasicAuth: dummy hash: %v", err)
		}
		p.dummy = dummy
	}
	return p, nil
}

// check reports whether user and password are those of a user. It
// compares the name with every user's in constant time and runs bcrypt
// once whether the user exists or not.
func (p *authPolicy) check(user, password string) bool {
	if len(p.users) == 0 {
		return false
	}
	sum := sha256.Sum256([]byte(user))
	found, index := 0, 0
	for i := range p.users {
		eq := subtle.ConstantTimeCompare(sum[:], p.users[i].sum[:])
		index = subtle.ConstantTimeSelect(eq, i, index)
		found |= eq
	}
	hash := p.dummy
	if found == 1 {
		hash = p.users[index].hash
	}
	err := p.compare(hash, []byte(password))
	return err == nil && found == 1
}

// deny answers 401 with the challenge and a short body of known length.
func (p *authPolicy) deny(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	hdr["Www-Authenticate"] = p.authenticate
	hdr.Set("Content-Type", "text/plain; charset=utf-8")
	hdr.Set("Content-Length", "17")
	w.WriteHeader(http.StatusUnauthorized)
	if r.Method != http.MethodHead {
		io.WriteString(w, "401 Unauthorized\n")
	}
}
