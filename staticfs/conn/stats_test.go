package conn_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/webstatic/webstatic/staticfs/conn"
)

// Request heads of known sizes, as the client sends them.
const (
	shortHead = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
	longHead  = "GET /some/longer/path?q=1 HTTP/1.1\r\nHost: example.test\r\nUser-Agent: stats-test\r\nAccept: */*\r\n\r\n"
)

// serveHeads sends n requests on a new connection to ts, alternating
// shortHead and longHead, reads each answer, and closes the connection:
// first waiting for the server to close it if byPolicy. It returns the
// bytes of heads sent.
func serveHeads(t *testing.T, ts *testServer, n int, byPolicy bool) uint64 {
	t.Helper()
	rc := dial(t, ts.Addr)
	var sent uint64
	for i := range n {
		head := shortHead
		if i%2 == 1 {
			head = longHead
		}
		rc.send(t, head)
		sent += uint64(len(head))
		if r, err := rc.read(5 * time.Second); err != nil || r.Status != 200 {
			t.Fatalf("request %d of %d: %+v, %v", i+1, n, r, err)
		}
	}
	if byPolicy {
		if ok, err := rc.closedWithin(5 * time.Second); !ok {
			t.Fatalf("connection of %d requests not closed by the policy: %v", n, err)
		}
	}
	rc.c.Close()
	return sent
}

// TestRequestsPerConnAndHeaderBytes serves a known mix with captured
// heads and compares the Stats: under MaxRequests 3, connections of 0,
// 1 and 2 requests closed by the client and one of 3 that the policy
// ends; without MaxRequests, connections of 5 and 12 requests. The
// histogram counts each closed connection once, in the bucket of its
// request count, and HeaderBytes is the sum of the heads as sent.
func TestRequestsPerConnAndHeaderBytes(t *testing.T) {
	heads := func(short, long int) uint64 { return uint64(short*len(shortHead) + long*len(longHead)) }
	tests := []struct {
		name   string
		policy conn.Policy
		conns  []int // requests per connection
		want   conn.Stats
	}{{
		name:   "MaxRequests 3",
		policy: conn.Policy{CaptureHeaders: true, MaxRequests: 3},
		conns:  []int{0, 1, 2, 3},
		want: conn.Stats{
			Accepted: 4, Requests: 6, ClosedByPolicy: 1,
			// Bounds 0, 1, 2, 5, …: 0 requests, 1, 2, then 3 in ≤ 5.
			RequestsPerConn: conn.RequestsHistogram{Buckets: [10]uint64{0: 1, 1: 1, 2: 1, 3: 1}, Sum: 6},
			HeaderBytes:     heads(1+1+2, 1+1),
		},
	}, {
		name:   "keep-alive",
		policy: conn.Policy{CaptureHeaders: true},
		conns:  []int{5, 12},
		want: conn.Stats{
			Accepted: 2, Requests: 17,
			// 5 in ≤ 5, 12 in ≤ 20.
			RequestsPerConn: conn.RequestsHistogram{Buckets: [10]uint64{3: 1, 5: 1}, Sum: 17},
			HeaderBytes:     heads(3+6, 2+6),
		},
	}, {
		name:   "no capture",
		policy: conn.Policy{},
		conns:  []int{2},
		want: conn.Stats{
			Accepted: 1, Requests: 2,
			RequestsPerConn: conn.RequestsHistogram{Buckets: [10]uint64{2: 1}, Sum: 2},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := startServer(t, tt.policy, fixedHandler(), nil)
			var sent uint64
			for _, n := range tt.conns {
				sent += serveHeads(t, ts, n, tt.policy.MaxRequests > 0 && n == tt.policy.MaxRequests)
			}
			got := waitStats(t, ts.L, func(s conn.Stats) bool {
				return s.Open == 0 && s.Accepted == uint64(len(tt.conns))
			})
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Stats (-want +got):\n%s", diff)
			}
			if tt.policy.CaptureHeaders && got.HeaderBytes != sent {
				t.Errorf("HeaderBytes = %d, want the %d bytes of heads sent", got.HeaderBytes, sent)
			}
			if got, want := got.RequestsPerConn.Count(), uint64(len(tt.conns)); got != want {
				t.Errorf("RequestsPerConn.Count() = %d, want %d", got, want)
			}
		})
	}
}

func TestRequestsBounds(t *testing.T) {
	want := [...]uint64{0, 1, 2, 5, 10, 20, 50, 100, 1000}
	if diff := cmp.Diff(want, conn.RequestsBounds()); diff != "" {
		t.Errorf("RequestsBounds() (-want +got):\n%s", diff)
	}
	if got, want := len(conn.RequestsHistogram{}.Buckets), len(want)+1; got != want {
		t.Errorf("%d buckets, want %d: one per bound and +Inf", got, want)
	}
}
