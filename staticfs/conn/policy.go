package conn

import (
	"fmt"
	"time"
)

// Mode selects the connection semantics a [Policy] enforces.
type Mode int

const (
	// KeepAlive serves persistent connections: HTTP/1.1 connections stay
	// open between requests, and HTTP/1.0 clients that send
	// "Connection: keep-alive" get it when the response length is known.
	// It is the zero value.
	KeepAlive Mode = iota

	// Short serves one request per connection: every response carries
	// "Connection: close" and the connection is closed after it, for
	// HTTP/1.1 and HTTP/1.0 alike.
	Short
)

// String returns "keepalive" or "short", the names [Mode.Set] accepts.
func (m Mode) String() string {
	switch m {
	case KeepAlive:
		return "keepalive"
	case Short:
		return "short"
	}
	return fmt.Sprintf("Mode(%d)", int(m))
}

// Set parses "keepalive" or "short" into m. With String it makes *Mode a
// [flag.Value], so a command can offer -conn short|keepalive with
// flag.Var(&policy.Mode, "conn", "short|keepalive").
func (m *Mode) Set(s string) error {
	switch s {
	case "keepalive":
		*m = KeepAlive
	case "short":
		*m = Short
	default:
		return fmt.Errorf("conn: unknown mode %q (want short or keepalive)", s)
	}
	return nil
}

// Policy is the connection policy enforced by a [Listener]. The zero value
// is keep-alive with no caps, which leaves net/http's own behaviour as it
// is and only adds connection IDs, request numbers and counters.
//
// A Policy is copied by [NewListener]; changing it afterwards has no
// effect on the Listener. Zero means "no cap" or "keep the server's" in
// every numeric field; a negative value is an error from [Listener.Serve]
// (see [Policy.Validate]).
type Policy struct {
	// Mode is KeepAlive (the zero value) or Short.
	Mode Mode

	// MaxRequests caps the requests served on one connection in KeepAlive
	// mode, like nginx's keepalive_requests: the response to the last
	// allowed request carries "Connection: close" and the connection is
	// closed after it. Zero means no cap. Short mode serves one
	// request per connection whatever this says.
	MaxRequests int

	// IdleTimeout, when positive, is copied to http.Server.IdleTimeout by
	// [Listener.Serve]: a kept-alive connection with no request for
	// this long is closed by net/http. Zero leaves the server's own
	// IdleTimeout (and net/http's fallback to ReadTimeout; with both zero,
	// idle connections are never closed).
	IdleTimeout time.Duration

	// MaxConns caps the connections served at once. Accept waits while the
	// cap is reached, and the slot is released when the connection is
	// closed, so excess clients wait in the kernel's accept queue, like
	// with golang.org/x/net/netutil.LimitListener. Zero means no cap.
	//
	// A capped server should also set http.Server.ReadHeaderTimeout and an
	// IdleTimeout: otherwise clients that connect and send nothing hold
	// their slots for ever.
	MaxConns int

	// CaptureHeaders keeps each request's head (request line and header
	// lines) exactly as it came off the wire, for [RawHeader]: a framer
	// follows the bytes each Read returns as net/http's own parser does.
	// It costs a copy of every head (bounded by the server's
	// MaxHeaderBytes+4096) and a pass over the framing bytes; bodies are
	// skipped, not copied, and ReadFrom (sendfile) is not involved. Off, the
	// connection's Read is a plain call of the inner Read.
	CaptureHeaders bool
}

// Validate reports what is wrong with p, if anything: a Mode other than
// KeepAlive and Short, or a negative MaxRequests, IdleTimeout or MaxConns.
// [Listener.Serve] calls it and serves nothing when it fails.
func (p Policy) Validate() error {
	switch {
	case p.Mode != KeepAlive && p.Mode != Short:
		return fmt.Errorf("conn: Policy.Mode is %v: use conn.KeepAlive or conn.Short", p.Mode)
	case p.MaxRequests < 0:
		return fmt.Errorf("conn: Policy.MaxRequests is %d: use 0 for no cap, or a positive cap", p.MaxRequests)
	case p.IdleTimeout < 0:
		return fmt.Errorf("conn: Policy.IdleTimeout is %v: use 0 to keep the server's, or a positive duration", p.IdleTimeout)
	case p.MaxConns < 0:
		return fmt.Errorf("conn: Policy.MaxConns is %d: use 0 for no cap, or a positive cap", p.MaxConns)
	}
	return nil
}

// closesAfter reports whether the policy ends the connection after the
// response to its n-th request (n starts at 1).
func (p *Policy) closesAfter(n uint64) bool {
	if p.Mode == Short {
		return true
	}
	return p.MaxRequests > 0 && n >= uint64(p.MaxRequests)
}
