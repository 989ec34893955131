package s3fs

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"

	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/webstatic/webstatic/staticfs"
)

// The errors an Fs returns, inside an *fs.PathError naming the afero
// name. Their text is fixed: the store's own error, which may name the
// endpoint, the bucket and request IDs, goes to Fs.OnError only.
var (
	errNotExist    = fmt.Errorf("s3fs: %w", fs.ErrNotExist)
	errDenied      = fmt.Errorf("s3fs: access denied: %w", fs.ErrPermission)
	errReadOnly    = fmt.Errorf("s3fs: read-only filesystem: %w", fs.ErrPermission)
	errThrottled   = fmt.Errorf("s3fs: the store is throttling: %w", staticfs.ErrUnavailable)
	errStoreDown   = fmt.Errorf("s3fs: the store is failing: %w", staticfs.ErrUnavailable)
	errTimeout     = fmt.Errorf("s3fs: the store did not answer in time: %w", staticfs.ErrUnavailable)
	errChanged     = fmt.Errorf("s3fs: the object changed while read: %w", staticfs.ErrUnavailable)
	errUnreachable = fmt.Errorf("s3fs: the store cannot be reached: %w", staticfs.ErrBadGateway)
	errBadAnswer   = fmt.Errorf("s3fs: the store failed: %w", staticfs.ErrBadGateway)
	errUnset       = fmt.Errorf("s3fs: Fs.Client or Fs.Bucket is not set: %w", staticfs.ErrBadGateway)
	errTruncated   = fmt.Errorf("s3fs: the object's body ended early: %w", staticfs.ErrBadGateway)
	errIsDir       = errors.New("s3fs: is a directory")
	errNotDir      = errors.New("s3fs: not a directory")
	errSeek        = fmt.Errorf("s3fs: negative position: %w", fs.ErrInvalid)
)

// storeError reports err, an SDK error of the call c, to OnError and
// returns the fixed error that stands for it.
func (f *Fs) storeError(op, name string, err error, c *call) error {
	if f.OnError != nil {
		f.OnError(op, name, err)
	}
	return classify(err, c)
}

// classify maps an SDK error to one of the fixed errors.
//
// When the call ran out of time, the error says so whatever the last
// attempt met; if that attempt could not connect at all (the SDK then
// backs off and retries until the deadline), that is the answer:
// unreachable, not slow.
func classify(err error, c *call) error {
	if c != nil && c.timedOut() {
		if last := c.lastErr(); last != nil && !isTimeout(last) {
			return errUnreachable
		}
		return errTimeout
	}
	var api smithy.APIError
	code := ""
	if errors.As(err, &api) {
		code = api.ErrorCode()
	}
	switch code {
	case "NoSuchKey", "NotFound":
		return errNotExist
	case "AccessDenied", "AllAccessDisabled":
		return errDenied
	case "PreconditionFailed":
		return errChanged
	case "SlowDown", "Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequests":
		return errThrottled
	case "InternalError", "ServiceUnavailable", "RequestTimeout":
		return errStoreDown
	case "NoSuchBucket", "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidBucketName":
		// The server's configuration is wrong: logged as a 502, not
		// passed off as the client's 404 or 403.
		return errBadAnswer
	}
	var resp *smithyhttp.ResponseError
	if errors.As(err, &resp) {
		switch s := resp.HTTPStatusCode(); {
		case s == http.StatusNotFound:
			return errNotExist
		case s == http.StatusForbidden:
			return errDenied
		case s == http.StatusPreconditionFailed:
			return errChanged
		case s == http.StatusTooManyRequests:
			return errThrottled
		case s == http.StatusInternalServerError, s == http.StatusServiceUnavailable, s == http.StatusGatewayTimeout:
			return errStoreDown
		}
		return errBadAnswer
	}
	if isTimeout(err) {
		return errTimeout
	}
	return errUnreachable
}

// isTimeout reports whether err is a deadline or a network timeout. A
// request cancelled by a call's timer may fail with the timer's cause
// itself (net/http reports context.Cause).
func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, errDeadline) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) ||
		errors.As(err, &ne) && ne.Timeout()
}
