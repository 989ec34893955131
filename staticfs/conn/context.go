package conn

import (
	"context"
	"fmt"
)

// Info identifies a request's connection and its place on it.
type Info struct {
	// ID is the connection's ID: unique per Listener, starting at 1.
	ID uint64
	// Request is the request's number on its connection, starting at 1.
	// It is 0 in a context that carries only the connection: net/http's
	// per-connection context, before a request is read.
	Request uint64
}

// connKey and requestKey are the context keys for *Conn and
// *requestContext.
type (
	connKey    struct{}
	requestKey struct{}
)

// requestContext is a request's context carrying its Info and raw head.
// It holds, in one allocation per request, the Info, the head taken from
// the connection's capture, the context node that carries them and the
// backing array of the "Connection: close" header value. It
// forwards Deadline, Done and Err to its parent, so contexts derived from
// it find the parent's cancelCtx and need no goroutine to follow it.
type requestContext struct {
	context.Context
	info  Info
	head  []byte // nil when the head was not captured
	close [1]string
}

// Value returns c itself for requestKey and asks the parent for any other
// key.
func (c *requestContext) Value(key any) any {
	if _, ok := key.(requestKey); ok {
		return c
	}
	return c.Context.Value(key)
}

// String describes the context as context.WithValue's String does.
func (c *requestContext) String() string {
	return fmt.Sprintf("%v.WithValue(conn.Info{ID: %d, Request: %d})", c.Context, c.info.ID, c.info.Request)
}

// FromContext returns the Info stored in ctx, a request's context (or a
// context derived from it) on a server that [Listener.Serve] configured.
// It reports false when ctx comes from a connection no Listener accepted.
func FromContext(ctx context.Context) (Info, bool) {
	if rc, ok := ctx.Value(requestKey{}).(*requestContext); ok {
		return rc.info, true
	}
	if c, ok := ctx.Value(connKey{}).(*Conn); ok {
		return Info{ID: c.id}, true
	}
	return Info{}, false
}
