package conn

import "context"

// Info identifies a request's connection and its place on it.
type Info struct {
	// ID is the connection's ID: unique per Listener, starting at 1.
	ID uint64
	// Request is the request's number on its connection, starting at 1.
	// It is 0 in a context that carries only the connection, such as the
	// one http.Server.ConnContext returns.
	Request uint64
}

// connKey and infoKey are the context keys for *Conn and *Info.
type (
	connKey struct{}
	infoKey struct{}
)

// FromContext returns the Info stored in ctx, a request's context (or a
// context derived from it) on a server set up with [Listener.Configure].
// It reports false when ctx comes from a connection the Listener did not
// accept.
func FromContext(ctx context.Context) (Info, bool) {
	if info, ok := ctx.Value(infoKey{}).(*Info); ok {
		return *info, true
	}
	if c, ok := ctx.Value(connKey{}).(*Conn); ok {
		return Info{ID: c.id}, true
	}
	return Info{}, false
}
