package conn_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/webstatic/webstatic/staticfs/conn"
)

// TestUnderTLS serves through tls.NewListener(policy.Wrap(tcp), cfg), the
// documented order, over HTTP/1.1 and HTTP/2.
func TestUnderTLS(t *testing.T) {
	type result struct {
		Proto string
		Close bool
		Conn  string
		TLS   string
	}
	tests := []struct {
		name   string
		policy conn.Policy
		http2  bool
		want   []result
	}{
		{
			name:   "http1 keepalive max requests 2",
			policy: conn.Policy{MaxRequests: 2},
			want: []result{
				{"HTTP/1.1", false, "1/1", "tls"},
				{"HTTP/1.1", true, "1/2", "tls"},
				{"HTTP/1.1", false, "2/1", "tls"},
			},
		},
		{
			name:   "http1 short",
			policy: conn.Policy{Mode: conn.Short},
			want: []result{
				{"HTTP/1.1", true, "1/1", "tls"},
				{"HTTP/1.1", true, "2/1", "tls"},
			},
		},
		{
			name:  "http2 keepalive",
			http2: true,
			want: []result{
				{"HTTP/2.0", false, "1/1", "tls"},
				{"HTTP/2.0", false, "1/2", "tls"},
			},
		},
		{
			name:   "http2 short: Connection close becomes GOAWAY",
			policy: conn.Policy{Mode: conn.Short},
			http2:  true,
			want: []result{
				{"HTTP/2.0", false, "1/1", "tls"},
				{"HTTP/2.0", false, "2/1", "tls"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.TLS != nil {
					w.Header().Set("X-TLS", "tls")
				}
				fixedHandler().ServeHTTP(w, r)
			})
			ts := httptest.NewUnstartedServer(h)
			ts.EnableHTTP2 = tt.http2
			l := tt.policy.Wrap(ts.Listener)
			ts.Listener = l // StartTLS puts tls.NewListener over it
			l.Configure(ts.Config)
			ts.StartTLS()
			defer ts.Close()

			var got []result
			for range tt.want {
				res, err := ts.Client().Get(ts.URL + "/a")
				if err != nil {
					t.Fatal(err)
				}
				b, err := io.ReadAll(res.Body)
				res.Body.Close()
				if err != nil || len(b) != len(body) {
					t.Fatalf("body: %d bytes, %v", len(b), err)
				}
				got = append(got, result{res.Proto, res.Close, res.Header.Get("X-Conn"), res.Header.Get("X-TLS")})
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("responses (-want +got):\n%s", diff)
			}
			if s := l.Stats(); s.Requests != uint64(len(tt.want)) {
				t.Errorf("Stats.Requests = %d, want %d (%s)", s.Requests, len(tt.want), fmt.Sprint(s))
			}
		})
	}
}
