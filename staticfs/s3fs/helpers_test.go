package s3fs_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"go.uber.org/goleak"

	"github.com/webstatic/webstatic/staticfs/s3fs"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const (
	bucket    = "site"
	accessKey = "AKIDS3FSTESTKEY"
	secretKey = "s3fs-test-secret-value"
)

// store is a gofakes3 bucket behind httptest, and a client that counts
// what it sends.
type store struct {
	t       *testing.T
	backend *s3mem.Backend
	url     string
	handler http.Handler // the fake's
	counter *counter
	client  *s3.Client
	clock   *clock
}

func newStore(t *testing.T) *store {
	t.Helper()
	backend := s3mem.New()
	if err := backend.CreateBucket(bucket); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(backend).Server())
	t.Cleanup(srv.Close)
	s := &store{t: t, backend: backend, url: srv.URL, handler: srv.Config.Handler, clock: &clock{now: time.Unix(1_700_000_000, 0)}}
	s.counter, s.client = newClient(t, srv.URL, 0)
	return s
}

// newClient returns a client of endpoint whose transport counts, with
// the SDK's retries (attempts 0: its default).
func newClient(t *testing.T, endpoint string, attempts int) (*counter, *s3.Client) {
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	c := &counter{next: tr}
	t.Cleanup(func() {
		if n := c.openBodies(); n != 0 {
			t.Errorf("%d response bodies left open", n)
		}
	})
	client := s3.New(s3.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(endpoint),
		UsePathStyle: true,
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: accessKey, SecretAccessKey: secretKey}, nil
		}),
		HTTPClient:       &http.Client{Transport: c},
		RetryMaxAttempts: attempts,
	})
	return c, client
}

func (s *store) put(key string, body []byte) {
	s.t.Helper()
	if _, err := s.backend.PutObject(bucket, key, map[string]string{}, bytes.NewReader(body), int64(len(body)), nil); err != nil {
		s.t.Fatal(err)
	}
}

func (s *store) delete(key string) {
	s.t.Helper()
	if _, err := s.backend.DeleteObject(bucket, key); err != nil {
		s.t.Fatal(err)
	}
}

// fs returns an Fs of the bucket under prefix, on the store's clock.
func (s *store) fs(prefix string) *s3fs.Fs {
	f := &s3fs.Fs{Client: s.client, Bucket: bucket, Prefix: prefix}
	s3fs.SetClock(f, s.clock.Now)
	return f
}

// clock is the injected clock of the listing cache.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// counter is an http.RoundTripper that counts the requests by operation
// and the body bytes received.
type counter struct {
	next http.RoundTripper

	mu     sync.Mutex // guards the fields below
	costs  costs
	ranges []string // the Range header of each GET
	open   int      // bodies not closed yet
}

// costs is what a piece of work cost at the store.
type costs struct {
	List, Get int
	Bytes     int64 // response body bytes received
}

func (c *counter) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	switch {
	case r.Method == http.MethodGet && r.URL.Query().Has("list-type"):
		c.costs.List++
	case r.Method == http.MethodGet:
		c.costs.Get++
		c.ranges = append(c.ranges, r.Header.Get("Range"))
	}
	c.mu.Unlock()
	resp, err := c.next.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.open++
	c.mu.Unlock()
	resp.Body = &countedBody{ReadCloser: resp.Body, c: c}
	return resp, nil
}

// take returns the costs and GET ranges since the last take.
func (c *counter) take() (costs, []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	got, ranges := c.costs, c.ranges
	c.costs, c.ranges = costs{}, nil
	return got, ranges
}

func (c *counter) openBodies() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.open
}

type countedBody struct {
	io.ReadCloser
	c    *counter
	once sync.Once
}

func (b *countedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.c.mu.Lock()
	b.c.costs.Bytes += int64(n)
	b.c.mu.Unlock()
	return n, err
}

func (b *countedBody) Close() error {
	b.once.Do(func() {
		b.c.mu.Lock()
		b.c.open--
		b.c.mu.Unlock()
	})
	return b.ReadCloser.Close()
}

// pattern returns n bytes that differ from one offset to the next, with
// seed changing them all.
func pattern(n int, seed byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7) ^ byte(i>>8) ^ seed
	}
	return b
}

// get sends a request to the handler served by srv.
func get(t *testing.T, srv *httptest.Server, method, path string, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil && !strings.Contains(err.Error(), "unexpected EOF") {
		t.Fatal(err)
	}
	return resp, body
}
