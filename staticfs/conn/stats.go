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
	// ones, and ones waiting for or reading a request head; and, at the
	// cap, new connections of a client flooding stalled heads, closed at
	// once (see the package documentation).
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

	// RequestsPerConn is the histogram of the requests served on each
	// closed connection, counted at its first Close whatever closed it.
	// Its Sum is the requests of closed connections only, so it trails
	// Requests by those of the open ones.
	RequestsPerConn RequestsHistogram
	// HeaderBytes counts the bytes of the request heads the capture kept
	// and handed to their requests (what RawHeader returns: request line,
	// header lines and the blank line, as sent). It stays 0 without
	// Policy.CaptureHeaders, and leaves out heads the capture gave up on.
	HeaderBytes uint64
}

// RequestsHistogram counts closed connections by the number of requests
// each served, in fixed buckets whose upper bounds RequestsBounds
// returns.
type RequestsHistogram struct {
	// Buckets[i] counts the connections that served at most
	// RequestsBounds()[i] requests and more than the bound before it;
	// the last bucket, Buckets[len(RequestsBounds())], counts those above
	// every bound (+Inf). The counts are per bucket, not cumulative.
	Buckets [len(requestsBounds) + 1]uint64
	// Sum is the total of the requests served on the counted connections.
	Sum uint64
}

// Count returns the number of connections h counts: the sum of its
// buckets.
func (h RequestsHistogram) Count() uint64 {
	var n uint64
	for _, b := range h.Buckets {
		n += b
	}
	return n
}

// requestsBounds are the upper bounds of RequestsHistogram's buckets; 0
// holds the connections that never got a request through (idle ones
// shed, slow heads timed out).
var requestsBounds = [...]uint64{0, 1, 2, 5, 10, 20, 50, 100, 1000}

// RequestsBounds returns the inclusive upper bounds of the buckets of
// [RequestsHistogram], in increasing order, the +Inf bucket left out:
// 0, 1, 2, 5, 10, 20, 50, 100 and 1000.
func RequestsBounds() [len(requestsBounds)]uint64 { return requestsBounds }

// requestsHistogram is the live RequestsHistogram: an atomic add per
// closed connection, no lock.
type requestsHistogram struct {
	buckets [len(requestsBounds) + 1]atomic.Uint64
	sum     atomic.Uint64
}

func (h *requestsHistogram) observe(n uint64) {
	i := 0
	for i < len(requestsBounds) && n > requestsBounds[i] {
		i++
	}
	h.buckets[i].Add(1)
	h.sum.Add(n)
}

func (h *requestsHistogram) snapshot() RequestsHistogram {
	var s RequestsHistogram
	for i := range h.buckets {
		s.Buckets[i] = h.buckets[i].Load()
	}
	s.Sum = h.sum.Load()
	return s
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
	requestsPerConn   requestsHistogram // observed once per conn, in Listener.closed
	headerBytes       atomic.Uint64
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
		RequestsPerConn:   c.requestsPerConn.snapshot(),
		HeaderBytes:       c.headerBytes.Load(),
	}
}
