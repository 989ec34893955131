package s3fs_test

import (
	"errors"
	"fmt"
	"io/fs"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/webstatic/webstatic/staticfs"
	"github.com/webstatic/webstatic/staticfs/s3fs"
)

// errorStore answers every request with status and an S3 error of code,
// whose message names the endpoint, as real stores' messages may.
func errorStore(t *testing.T, status int, code string) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(status)
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>`+
			`<Error><Code>%s</Code><Message>at %s for %s</Message><RequestId>REQ1</RequestId></Error>`,
			code, r.Host, accessKey)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// closedPort returns the address of a port nothing listens on.
func closedPort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr
}

// silentStore accepts connections and never answers.
func silentStore(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu    sync.Mutex
		conns []net.Conn
		wg    sync.WaitGroup
	)
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	})
	t.Cleanup(func() {
		ln.Close()
		wg.Wait()
		for _, c := range conns {
			c.Close()
		}
	})
	return "http://" + ln.Addr().String()
}

// syncBuffer is a log destination safe for concurrent use.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// TestErrorMapping serves a Handler over stores that fail in each way
// and checks the status, that a 503 says Retry-After, that it comes in
// time, and that neither the response nor the Handler's log names the
// endpoint or the credentials, which only OnError sees.
func TestErrorMapping(t *testing.T) {
	tests := []struct {
		name     string
		endpoint func(*testing.T) string
		attempts int           // the SDK's; 0: its default (3)
		timeout  time.Duration // Fs.Timeout
		status   int
		within   time.Duration
	}{
		{"SlowDown", func(t *testing.T) string { return errorStore(t, 503, "SlowDown") }, 1, 0, 503, time.Second},
		{"SlowDown, retried until Timeout", func(t *testing.T) string { return errorStore(t, 503, "SlowDown") }, 0, 300 * time.Millisecond, 503, 2 * time.Second},
		{"InternalError", func(t *testing.T) string { return errorStore(t, 500, "InternalError") }, 1, 0, 503, time.Second},
		{"PreconditionFailed", func(t *testing.T) string { return errorStore(t, 412, "PreconditionFailed") }, 1, 0, 503, time.Second},
		{"AccessDenied", func(t *testing.T) string { return errorStore(t, 403, "AccessDenied") }, 1, 0, 403, time.Second},
		{"NoSuchBucket", func(t *testing.T) string { return errorStore(t, 404, "NoSuchBucket") }, 1, 0, 502, time.Second},
		{"SignatureDoesNotMatch", func(t *testing.T) string { return errorStore(t, 403, "SignatureDoesNotMatch") }, 1, 0, 502, time.Second},
		{"unknown 400", func(t *testing.T) string { return errorStore(t, 400, "InvalidArgument") }, 1, 0, 502, time.Second},
		{"closed port", closedPort, 1, 0, 502, time.Second},
		{"closed port, retried until Timeout", closedPort, 0, 300 * time.Millisecond, 502, 2 * time.Second},
		{"never answers", silentStore, 0, 200 * time.Millisecond, 503, 2 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			endpoint := tt.endpoint(t)
			_, client := newClient(t, endpoint, tt.attempts)
			var raw []error
			var mu sync.Mutex
			fsys := &s3fs.Fs{Client: client, Bucket: bucket, Timeout: tt.timeout,
				OnError: func(op, name string, err error) {
					mu.Lock()
					raw = append(raw, err)
					mu.Unlock()
				}}
			var logged syncBuffer
			srv := httptest.NewServer(&staticfs.Handler{FS: fsys, ErrorLog: log.New(&logged, "", 0)})
			defer srv.Close()
			defer srv.Client().CloseIdleConnections()

			start := time.Now()
			resp, body := get(t, srv, "GET", "/index.html")
			if took := time.Since(start); took > tt.within {
				t.Errorf("answered in %v, want within %v", took, tt.within)
			}
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if got, want := resp.Header.Get("Retry-After") != "", tt.status == 503; got != want {
				t.Errorf("Retry-After %q on a %d", resp.Header.Get("Retry-After"), resp.StatusCode)
			}
			host := strings.TrimPrefix(endpoint, "http://")
			_, stErr := fsys.Stat("/x/y")
			for what, text := range map[string]string{
				"body": string(body), "headers": fmt.Sprint(resp.Header), "log": logged.String(), "Stat error": fmt.Sprint(stErr),
			} {
				for _, secret := range []string{host, accessKey, secretKey} {
					if strings.Contains(text, secret) {
						t.Errorf("the %s holds %q: %s", what, secret, text)
					}
				}
			}
			var pe *fs.PathError
			if !errors.As(stErr, &pe) || pe.Path != "/x/y" {
				t.Errorf("Stat error %v, want a *fs.PathError of /x/y", stErr)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(raw) == 0 {
				t.Error("OnError was not called")
			}
		})
	}
}

// TestBodyStall: a store that sends the head of a GET and part of its
// body, then stalls, fails the Read with ErrUnavailable within Timeout.
func TestBodyStall(t *testing.T) {
	s := newStore(t)
	body := pattern(100<<10, 9)
	s.put("slow.bin", body)
	fake := s.handler
	stalling := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Has("list-type") {
			fake.ServeHTTP(w, r)
			return
		}
		w.Header().Set("ETag", `"`+md5hex(body)+`"`)
		w.Header().Set("Content-Length", "1000")
		w.Header().Set("Content-Range", "bytes 0-999/102400")
		w.WriteHeader(http.StatusPartialContent)
		w.Write(body[:10])
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}))
	defer stalling.Close()
	_, client := newClient(t, stalling.URL, 1)
	fsys := &s3fs.Fs{Client: client, Bucket: bucket, Timeout: 200 * time.Millisecond}
	f, err := fsys.Open("/slow.bin")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	start := time.Now()
	p := make([]byte, 1000)
	_, err = f.Read(p)
	if !errors.Is(err, staticfs.ErrUnavailable) {
		t.Errorf("Read: %v, want ErrUnavailable", err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("Read failed after %v", took)
	}
}
