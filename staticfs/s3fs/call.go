package s3fs

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// call is the context of one request to the store, with its timeout: a
// timer that cancels it, armed while the request waits for its answer
// and while its body is read, so that the bound applies to each wait
// rather than to the whole transfer.
type call struct {
	ctx     context.Context
	cancel  context.CancelCauseFunc
	timeout time.Duration // <= 0: none
	timer   *time.Timer   // nil when timeout <= 0

	mu   sync.Mutex // guards last
	last error      // the transport error of the last attempt, nil when it got an answer
}

// errDeadline is the cause of a call cancelled by its timer.
var errDeadline = errors.New("s3fs: timeout")

// newCall returns a call whose timer is armed.
func newCall(timeout time.Duration) *call {
	c := &call{timeout: timeout}
	c.ctx, c.cancel = context.WithCancelCause(context.Background())
	if timeout > 0 {
		c.timer = time.AfterFunc(timeout, func() { c.cancel(errDeadline) })
	}
	return c
}

// arm restarts the timer before a wait; disarm stops it after.
func (c *call) arm() {
	if c.timer != nil {
		c.timer.Reset(c.timeout)
	}
}

func (c *call) disarm() {
	if c.timer != nil {
		c.timer.Stop()
	}
}

// stop ends the call, cancelling what is still in flight.
func (c *call) stop() {
	c.disarm()
	c.cancel(context.Canceled)
}

func (c *call) timedOut() bool { return context.Cause(c.ctx) == errDeadline }

func (c *call) lastErr() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last
}

// record is an option of the SDK's operation: it wraps the client's
// HTTPClient to keep the outcome of each attempt.
func (c *call) record(o *s3.Options) {
	if o.HTTPClient != nil {
		o.HTTPClient = recorder{o.HTTPClient, c}
	}
}

type recorder struct {
	s3.HTTPClient
	c *call
}

func (r recorder) Do(req *http.Request) (*http.Response, error) {
	resp, err := r.HTTPClient.Do(req)
	r.c.mu.Lock()
	r.c.last = err
	r.c.mu.Unlock()
	return resp, err
}
