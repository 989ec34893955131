package conn_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/webstatic/webstatic/staticfs/conn"
)

const (
	get11      = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
	get11Close = "GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
	get10      = "GET /a HTTP/1.0\r\n\r\n"
	get10KA    = "GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
)

// round is bytes written at once (several requests = pipelining) and the
// responses expected before the next round is written.
type round struct {
	send string
	want []rawResp
}

// Expected responses: r11/r10 build a 200 response with the given
// Connection header, Close verdict and X-Conn.
func r11(connection string, close bool, id string) rawResp {
	return rawResp{Proto: "HTTP/1.1", Status: 200, Connection: connection, Close: close, Conn: id, BodyLen: len(body)}
}

func r10(connection string, close bool, id string) rawResp {
	r := r11(connection, close, id)
	r.Proto = "HTTP/1.0"
	return r
}

var ruleTests = []struct {
	name       string
	policy     conn.Policy
	setup      func(*http.Server) // nil: none
	rounds     []round
	wantClosed bool // the server closes the connection after the last round
}{
	// Keep-alive mode.
	{
		name:   "keepalive/http11 reuse",
		rounds: []round{{get11, []rawResp{r11("", false, "1/1")}}, {get11, []rawResp{r11("", false, "1/2")}}},
	},
	{
		name:   "keepalive/http11 pipelined in order",
		rounds: []round{{get11 + get11 + get11, []rawResp{r11("", false, "1/1"), r11("", false, "1/2"), r11("", false, "1/3")}}},
	},
	{
		name:       "keepalive/http11 client says close",
		rounds:     []round{{get11Close, []rawResp{r11("close", true, "1/1")}}},
		wantClosed: true,
	},
	{
		name:       "keepalive/http10 without keep-alive",
		rounds:     []round{{get10, []rawResp{r10("", true, "1/1")}}},
		wantClosed: true,
	},
	{
		name:   "keepalive/http10 keep-alive",
		rounds: []round{{get10KA, []rawResp{r10("keep-alive", false, "1/1")}}, {get10KA, []rawResp{r10("keep-alive", false, "1/2")}}},
	},
	{
		name:       "keepalive/max requests sequential",
		policy:     conn.Policy{MaxRequests: 3},
		rounds:     []round{{get11, []rawResp{r11("", false, "1/1")}}, {get11, []rawResp{r11("", false, "1/2")}}, {get11, []rawResp{r11("close", true, "1/3")}}},
		wantClosed: true,
	},
	{
		name:       "keepalive/max requests pipelined past the cap",
		policy:     conn.Policy{MaxRequests: 2},
		rounds:     []round{{get11 + get11 + get11 + get11, []rawResp{r11("", false, "1/1"), r11("close", true, "1/2")}}},
		wantClosed: true,
	},
	{
		name:       "keepalive/max requests http10 keep-alive",
		policy:     conn.Policy{MaxRequests: 2},
		rounds:     []round{{get10KA, []rawResp{r10("keep-alive", false, "1/1")}}, {get10KA, []rawResp{r10("close", true, "1/2")}}},
		wantClosed: true,
	},
	{
		name:       "keepalive/max requests 1",
		policy:     conn.Policy{MaxRequests: 1},
		rounds:     []round{{get11, []rawResp{r11("close", true, "1/1")}}},
		wantClosed: true,
	},

	// Short mode.
	{
		name:       "short/http11",
		policy:     conn.Policy{Mode: conn.Short},
		rounds:     []round{{get11, []rawResp{r11("close", true, "1/1")}}},
		wantClosed: true,
	},
	{
		name:       "short/http11 client says close",
		policy:     conn.Policy{Mode: conn.Short},
		rounds:     []round{{get11Close, []rawResp{r11("close", true, "1/1")}}},
		wantClosed: true,
	},
	{
		name:       "short/http10",
		policy:     conn.Policy{Mode: conn.Short},
		rounds:     []round{{get10, []rawResp{r10("close", true, "1/1")}}},
		wantClosed: true,
	},
	{
		name:       "short/http10 keep-alive is refused",
		policy:     conn.Policy{Mode: conn.Short},
		rounds:     []round{{get10KA, []rawResp{r10("close", true, "1/1")}}},
		wantClosed: true,
	},
	{
		name:       "short/pipelined requests after the first are not answered",
		policy:     conn.Policy{Mode: conn.Short},
		rounds:     []round{{get11 + get11 + get11, []rawResp{r11("close", true, "1/1")}}},
		wantClosed: true,
	},
	{
		name:       "short/MaxRequests does not extend it",
		policy:     conn.Policy{Mode: conn.Short, MaxRequests: 5},
		rounds:     []round{{get10KA, []rawResp{r10("close", true, "1/1")}}},
		wantClosed: true,
	},
	{
		name:       "short/a handler that deletes Connection still gets closed",
		policy:     conn.Policy{Mode: conn.Short},
		setup:      deleteConnectionHeader,
		rounds:     []round{{get11, []rawResp{r11("", false, "1/1")}}},
		wantClosed: true,
	},
	{
		// net/http answers OPTIONS * itself, bypassing every handler, so the
		// response cannot say close; the ConnState fallback still closes.
		name:       "short/OPTIONS * never reaches the handler but is closed",
		policy:     conn.Policy{Mode: conn.Short},
		rounds:     []round{{"OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n", []rawResp{{Proto: "HTTP/1.1", Status: 200}}}},
		wantClosed: true,
	},
}

// deleteConnectionHeader makes the server's handler remove the
// Connection header the policy set, to exercise the ConnState fallback.
func deleteConnectionHeader(srv *http.Server) {
	h := srv.Handler
	srv.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Del("Connection")
		h.ServeHTTP(w, r)
	})
}

func TestRules(t *testing.T) {
	for _, tt := range ruleTests {
		t.Run(tt.name, func(t *testing.T) {
			ts := startServer(t, tt.policy, fixedHandler(), tt.setup)
			rc := dial(t, ts.Addr)
			for i, rd := range tt.rounds {
				rc.send(t, rd.send)
				var got []rawResp
				for range rd.want {
					r, err := rc.read(5 * time.Second)
					if err != nil {
						t.Fatalf("round %d: reading response %d: %v", i, len(got)+1, err)
					}
					got = append(got, r)
				}
				if diff := cmp.Diff(rd.want, got); diff != "" {
					t.Fatalf("round %d responses (-want +got):\n%s", i, diff)
				}
			}
			wait := 2 * time.Second
			if !tt.wantClosed {
				wait = 200 * time.Millisecond // long enough for a close to arrive
			}
			closed, err := rc.closedWithin(wait)
			if err != nil {
				t.Fatal(err)
			}
			if closed != tt.wantClosed {
				t.Errorf("closed by server = %v, want %v", closed, tt.wantClosed)
			}
		})
	}
}

// TestKeepAlivesDisabledPromisesKeepAlive pins the net/http behaviour
// that Short mode exists to avoid: with SetKeepAlivesEnabled(false), an
// HTTP/1.0 keep-alive request is answered "Connection: keep-alive" and the
// connection is then closed. If this starts failing, net/http changed and
// the package doc should say so.
func TestKeepAlivesDisabledPromisesKeepAlive(t *testing.T) {
	ts := startServer(t, conn.Policy{}, fixedHandler(), nil)
	ts.Srv.SetKeepAlivesEnabled(false)
	rc := dial(t, ts.Addr)
	rc.send(t, get10KA)
	got, err := rc.read(5 * time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(r10("keep-alive", false, "1/1"), got); diff != "" {
		t.Errorf("response (-want +got):\n%s", diff)
	}
	if closed, err := rc.closedWithin(2 * time.Second); err != nil || !closed {
		t.Errorf("closed = %v, %v; want the broken promise: closed", closed, err)
	}
}

func TestConnectionIDsAndStats(t *testing.T) {
	ts := startServer(t, conn.Policy{MaxRequests: 2}, fixedHandler(), nil)
	var got []string
	for range 3 { // connection 1: two requests, the cap; connection 2: one
		rc := dial(t, ts.Addr)
		for range 2 {
			rc.send(t, get11)
			r, err := rc.read(5 * time.Second)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, r.Conn)
			if r.Close {
				break
			}
		}
		if strings.HasPrefix(got[len(got)-1], "3/") {
			rc.c.Close()
		}
	}
	if diff := cmp.Diff([]string{"1/1", "1/2", "2/1", "2/2", "3/1", "3/2"}, got); diff != "" {
		t.Errorf("X-Conn (-want +got):\n%s", diff)
	}
	want := conn.Stats{Accepted: 3, Open: 0, Requests: 6, ClosedByPolicy: 3, RequestsPerConn: conn.RequestsHistogram{Buckets: [10]uint64{2: 3}, Sum: 6}}
	if diff := cmp.Diff(want, waitStats(t, ts.L, noneOpen)); diff != "" {
		t.Errorf("Stats (-want +got):\n%s", diff)
	}
}
