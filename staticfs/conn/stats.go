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
	// net/http's timeouts, by shedding or by Shutdown are not counted here.
	ClosedByPolicy uint64

	// RejectedPerClient counts connections closed as soon as they were
	// accepted because their client already held
	// Policy.MaxConnsPerClient. They are not in Accepted.
	RejectedPerClient uint64
	// Shed counts accepted connections closed to make room for a new
	// one, at MaxConns or when the process ran out of descriptors: idle
	// ones, and ones waiting for or reading a request head.
	Shed uint64
	// Refused counts connections closed as soon as they were accepted
	// because the process had no descriptor left and nothing could be
	// shed: the Listener accepts them into a descriptor it keeps spare,
	// so that the client is told at once instead of waiting in the
	// kernel's accept queue. They are not in Accepted.
	Refused uint64
	// Exhausted counts the times accepting failed for lack of file
	// descriptors (EMFILE, ENFILE).
	Exhausted uint64
}

// counters are the live counters behind Stats.
type counters struct {
	accepted          atomic.Uint64
	open              atomic.Uint64 // incremented in Accept, decremented once in Conn.Close
	requests          atomic.Uint64
	closedByPolicy    atomic.Uint64
	rejectedPerClient atomic.Uint64
	shed              atomic.Uint64
	refused           atomic.Uint64
	exhausted         atomic.Uint64
}

func (c *counters) snapshot() Stats {
	return Stats{
		Accepted:          c.accepted.Load(),
		Open:              c.open.Load(),
		Requests:          c.requests.Load(),
		ClosedByPolicy:    c.closedByPolicy.Load(),
		RejectedPerClient: c.rejectedPerClient.Load(),
		Shed:              c.shed.Load(),
		Refused:           c.refused.Load(),
		Exhausted:         c.exhausted.Load(),
	}
}
