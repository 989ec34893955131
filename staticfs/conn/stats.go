package conn

import "sync/atomic"

// Stats is a snapshot of a [Listener]'s counters. Each field is read
// atomically, but the snapshot as a whole is not: under load the fields
// may come from slightly different instants.
type Stats struct {
	// Accepted counts connections returned by Accept.
	Accepted uint64
	// Open counts accepted connections not yet closed.
	Open uint64
	// Requests counts requests handed to the handler wrapped by
	// [Listener.Serve], on all connections.
	Requests uint64
	// ClosedByPolicy counts closed connections that the policy ended:
	// every connection that got a response in Short mode, and in KeepAlive
	// mode those that reached MaxRequests. Closes by the client, by
	// net/http's timeouts or by Shutdown are not counted here.
	ClosedByPolicy uint64
}

// counters are the live counters behind Stats.
type counters struct {
	accepted       atomic.Uint64
	open           atomic.Uint64 // incremented in Accept, decremented once in Conn.Close
	requests       atomic.Uint64
	closedByPolicy atomic.Uint64
}

func (c *counters) snapshot() Stats {
	return Stats{
		Accepted:       c.accepted.Load(),
		Open:           c.open.Load(),
		Requests:       c.requests.Load(),
		ClosedByPolicy: c.closedByPolicy.Load(),
	}
}
