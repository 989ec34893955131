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
// is and only adds connection IDs, request numbers and counters, and,
// when the process runs out of file descriptors, shedding (see the
// package documentation) in place of net/http's retries.
//
// A Policy is copied by [NewListener]; changing it afterwards has no
// effect on the Listener. Zero means "no cap", "none", "keep the
// server's" or "the documented default" in every numeric field; a negative value is an error from [Listener.Serve]
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

	// MaxConns caps the connections served at once; a connection's slot
	// is released when it is closed. Zero means no cap.
	//
	// When the cap is reached, Accept takes the next connection and makes
	// room for it by shedding (see the package documentation): it closes
	// an idle connection, else one waiting for or reading a request head,
	// of the client with the most connections, the oldest, never one
	// whose request is being served or whose client holds fewer than half
	// as many, and only ones in their phase for ShedAge (ten times that
	// for idle ones and ones that have sent no byte yet).
	// When nothing can be shed the
	// new connection waits in Accept, and the ones after it in the
	// kernel's accept queue, unless its client floods stalled heads:
	// then it is closed at once (see the package documentation).
	// With WaitWhenFull nothing is shed: Accept waits for a slot before it
	// takes a connection, like golang.org/x/net/netutil.LimitListener.
	//
	// A capped server should also set http.Server.ReadHeaderTimeout and an
	// IdleTimeout: otherwise clients that connect and send nothing hold
	// their slots until they are shed.
	//
	// Without MaxConns, the process's descriptor limit (RLIMIT_NOFILE),
	// where there is one, sets the cap: the limit less a sixteenth of it
	// (at least 16), so that handlers keep descriptors to open files
	// with however many clients connect. It sheds the same way.
	MaxConns int

	// WaitWhenFull turns shedding off at MaxConns: excess clients wait in
	// the kernel's accept queue until a connection closes by itself, as
	// they did before shedding existed. It makes a server whose slots are
	// held by idle or stalled clients unreachable until those time out,
	// so leave it false unless every connection must be kept. It does not
	// affect the shedding done when the process runs out of descriptors.
	WaitWhenFull bool

	// MaxConnsPerClient caps the connections one client holds at once,
	// like nginx's limit_conn keyed by $binary_remote_addr: a connection
	// beyond it is closed as soon as it is accepted, before it takes a
	// slot or reads a byte, and counted in Stats.RejectedPerClient. A
	// client is an IPv4 address, or an IPv6 /64 prefix (one subscriber's
	// usual allocation; an IPv4-mapped IPv6 address counts as IPv4).
	// Connections from non-IP addresses (Unix sockets) are not capped.
	// Zero means no cap. Clients behind one NAT or proxy share the cap:
	// set it well above what one browser opens (6 to 8 per host name).
	MaxConnsPerClient int

	// PressureHeaderTimeout, when positive, is the header timeout while
	// the layer is under pressure (see PressureLevel): a connection that
	// is waiting for its first request or reading a request head then
	// gets at most this long from when it started, instead of the
	// server's ReadHeaderTimeout, like Apache's mod_reqtimeout under
	// load. Idle keep-alive connections keep their idle timeout (they are
	// shed first instead), and connections being served are not touched.
	// A connection whose deadline was shortened keeps it when the
	// pressure ends. Zero means no pressure timeout.
	PressureHeaderTimeout time.Duration

	// PressureLevel is the number of open connections from which the
	// layer is under pressure; it stays so until fewer than 7/8 of that
	// are open. Zero means three quarters of MaxConns, or when MaxConns
	// is zero three quarters of the process's descriptor limit
	// (RLIMIT_NOFILE) where there is one. Running out of descriptors
	// always puts the layer under pressure.
	PressureLevel int

	// ShedAge is how long a connection must have been reading its head
	// before it may be shed, and a tenth of how long it must have been
	// idle between requests, or open without sending a byte. It keeps a
	// new client whose request has not been read yet, and a keep-alive
	// client about to send its next, from being closed under them. Zero
	// means 100 ms (so 1 s for idle and new connections).
	ShedAge time.Duration

	// CaptureHeaders keeps each request's head (request line and header
	// lines) exactly as it came off the wire, for [RawHeader]: a framer
	// follows the bytes each Read returns as net/http's own parser does.
	// It costs a copy of every head (bounded by the server's
	// MaxHeaderBytes+4096) and a pass over the framing bytes; bodies are
	// skipped, not copied, and ReadFrom (sendfile) is not involved. Off, the
	// connection's Read is a plain call of the inner Read.
	CaptureHeaders bool

	// OnRejected, with CaptureHeaders, is called with each request head
	// that net/http refuses before any handler runs ([Rejected]), from
	// the connection's goroutine, as net/http writes its answer. Nil
	// reports nothing. middleware.HeaderLog.LogRejected fits.
	OnRejected func(Rejected)
}

// Validate reports what is wrong with p, if anything: a Mode other than
// KeepAlive and Short, a negative number or duration, or OnRejected
// without CaptureHeaders. [Listener.Serve] calls it and serves nothing
// when it fails.
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
	case p.MaxConnsPerClient < 0:
		return fmt.Errorf("conn: Policy.MaxConnsPerClient is %d: use 0 for no cap, or a positive cap", p.MaxConnsPerClient)
	case p.PressureHeaderTimeout < 0:
		return fmt.Errorf("conn: Policy.PressureHeaderTimeout is %v: use 0 for none, or a positive duration", p.PressureHeaderTimeout)
	case p.PressureLevel < 0:
		return fmt.Errorf("conn: Policy.PressureLevel is %d: use 0 for the default level, or a positive number of connections", p.PressureLevel)
	case p.ShedAge < 0:
		return fmt.Errorf("conn: Policy.ShedAge is %v: use 0 for the default 100ms, or a positive duration", p.ShedAge)
	case p.OnRejected != nil && !p.CaptureHeaders:
		return fmt.Errorf("conn: Policy.OnRejected is set without CaptureHeaders: the rejected heads are the captured ones")
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
