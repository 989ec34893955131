package s3fs

import (
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// file is an open object. Reads follow the way net/http's ServeContent
// reads a file: the first Read after Open or a Seek gets one GET of
// exactly the bytes it asks for (a small range is one small request);
// the next sequential Read opens one GET of the rest and streams it.
// Every GET carries If-Match with the listing's ETag, so the bytes of
// one file never come from two versions.
type file struct {
	fsys *Fs
	name string    // the afero name
	dir  string    // the directory under the tree ("" for the root), for dropping its listing
	key  string    // the object key
	info *fileInfo // from the listing

	pos    int64
	ranged bool          // the next Read is the first since Open or a Seek that moved
	body   io.ReadCloser // the stream from pos, or nil
	call   *call         // the stream's call, or nil
	closed bool
}

// Name returns the name passed to Open.
func (f *file) Name() string { return f.name }

// Stat returns the object's FileInfo, as the listing gave it.
func (f *file) Stat() (fs.FileInfo, error) { return f.info, nil }

// Read reads from the object at the current position.
func (f *file) Read(p []byte) (int, error) {
	if f.closed {
		return 0, &fs.PathError{Op: "read", Path: f.name, Err: fs.ErrClosed}
	}
	if f.pos >= f.info.size {
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	if f.ranged {
		f.ranged = false
		n, err := f.readRange(p, f.pos)
		f.pos += int64(n)
		return n, err
	}
	if f.body == nil {
		if err := f.openStream(); err != nil {
			return 0, err
		}
	}
	f.call.arm()
	n, err := f.body.Read(p)
	f.call.disarm()
	f.pos += int64(n)
	switch {
	case err == io.EOF && f.pos < f.info.size:
		f.dropStream()
		return n, &fs.PathError{Op: "read", Path: f.name, Err: errTruncated}
	case err == io.EOF:
		f.dropStream()
		return n, nil
	case err != nil:
		timedOut := f.call.timedOut()
		f.dropStream()
		if timedOut {
			err = errTimeout
		} else {
			err = errTruncated
		}
		return n, &fs.PathError{Op: "read", Path: f.name, Err: err}
	}
	return n, nil
}

// ReadAt reads len(p) bytes at off with one GET of exactly that range,
// without moving the position. It is safe to call concurrently.
func (f *file) ReadAt(p []byte, off int64) (int, error) {
	if f.closed {
		return 0, &fs.PathError{Op: "read", Path: f.name, Err: fs.ErrClosed}
	}
	if off < 0 {
		return 0, &fs.PathError{Op: "read", Path: f.name, Err: errSeek}
	}
	if off >= f.info.size {
		return 0, io.EOF
	}
	n, err := f.readRange(p, off)
	if err == nil && n < len(p) {
		err = io.EOF
	}
	return n, err
}

// readRange fills p, up to the end of the object, from one GET of the
// bytes at off.
func (f *file) readRange(p []byte, off int64) (int, error) {
	end := min(off+int64(len(p)), f.info.size)
	c, body, err := f.get(off, end)
	if err != nil {
		return 0, err
	}
	defer c.stop()
	defer body.Close()
	c.arm()
	n, err := io.ReadFull(body, p[:end-off])
	c.disarm()
	if err != nil {
		if c.timedOut() {
			return n, &fs.PathError{Op: "read", Path: f.name, Err: errTimeout}
		}
		return n, &fs.PathError{Op: "read", Path: f.name, Err: errTruncated}
	}
	return n, nil
}

// openStream opens the GET of the rest of the object from pos.
func (f *file) openStream() error {
	c, body, err := f.get(f.pos, -1)
	if err != nil {
		return err
	}
	f.call, f.body = c, struct {
		io.Reader
		io.Closer
	}{io.LimitReader(body, f.info.size-f.pos), body}
	return nil
}

// get sends the GET of the bytes [off, end), or from off to the end of
// the object when end < 0, and checks that the answer is of the version
// listed and starts at off. A changed or deleted object drops the
// directory's listing, so that the next lookup sees the new state.
func (f *file) get(off, end int64) (*call, io.ReadCloser, error) {
	rng := fmt.Sprintf("bytes=%d-", off)
	if end >= 0 {
		rng += fmt.Sprint(end - 1)
	}
	in := &s3.GetObjectInput{
		Bucket: aws.String(f.fsys.Bucket),
		Key:    aws.String(f.key),
		Range:  aws.String(rng),
	}
	if f.info.rawETag != "" {
		in.IfMatch = aws.String(f.info.rawETag)
	}
	st := f.fsys.state()
	c := newCall(st.timeout)
	out, err := f.fsys.Client.GetObject(c.ctx, in, c.record)
	c.disarm()
	if err != nil {
		c.stop()
		err = f.fsys.storeError("get", f.name, err, c)
		if err == errChanged || err == errNotExist {
			f.dropListing()
		}
		return nil, nil, &fs.PathError{Op: "read", Path: f.name, Err: err}
	}
	if tag := aws.ToString(out.ETag); tag != "" && f.info.etag != "" && strings.Trim(tag, `"`) != f.info.etag {
		// A store that ignored If-Match sent another version.
		out.Body.Close()
		c.stop()
		f.dropListing()
		return nil, nil, &fs.PathError{Op: "read", Path: f.name, Err: errChanged}
	}
	if cr := aws.ToString(out.ContentRange); off > 0 && !strings.HasPrefix(cr, fmt.Sprintf("bytes %d-", off)) {
		// The store ignored the Range.
		out.Body.Close()
		c.stop()
		return nil, nil, &fs.PathError{Op: "read", Path: f.name, Err: errBadAnswer}
	}
	return c, out.Body, nil
}

func (f *file) dropListing() {
	st := f.fsys.state()
	key := st.prefix
	if f.dir != "" {
		key += f.dir + "/"
	}
	st.dirs.drop(key)
}

// dropStream closes the stream, if any.
func (f *file) dropStream() {
	if f.body != nil {
		f.body.Close()
		f.body = nil
	}
	if f.call != nil {
		f.call.stop()
		f.call = nil
	}
}

// Seek sets the position; a Seek that moves it drops the stream, and
// the next Read is a ranged one again.
func (f *file) Seek(offset int64, whence int) (int64, error) {
	if f.closed {
		return 0, &fs.PathError{Op: "seek", Path: f.name, Err: fs.ErrClosed}
	}
	pos := offset
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		pos += f.pos
	case io.SeekEnd:
		pos += f.info.size
	default:
		return 0, &fs.PathError{Op: "seek", Path: f.name, Err: fs.ErrInvalid}
	}
	if pos < 0 {
		return 0, &fs.PathError{Op: "seek", Path: f.name, Err: errSeek}
	}
	if pos != f.pos {
		f.dropStream()
		f.pos = pos
		f.ranged = true
	}
	return pos, nil
}

// Close closes the stream, if any.
func (f *file) Close() error {
	if f.closed {
		return &fs.PathError{Op: "close", Path: f.name, Err: fs.ErrClosed}
	}
	f.closed = true
	f.dropStream()
	return nil
}

// Readdir fails: a file is no directory.
func (f *file) Readdir(int) ([]fs.FileInfo, error) {
	return nil, &fs.PathError{Op: "readdir", Path: f.name, Err: errNotDir}
}

// Readdirnames fails: a file is no directory.
func (f *file) Readdirnames(int) ([]string, error) {
	return nil, &fs.PathError{Op: "readdir", Path: f.name, Err: errNotDir}
}

// The methods that would write fail with an error wrapping
// fs.ErrPermission.

func (f *file) Write([]byte) (int, error)          { return 0, readOnly("write", f.name) }
func (f *file) WriteAt([]byte, int64) (int, error) { return 0, readOnly("write", f.name) }
func (f *file) WriteString(string) (int, error)    { return 0, readOnly("write", f.name) }
func (f *file) Truncate(int64) error               { return readOnly("truncate", f.name) }

// Sync does nothing: there is nothing to write.
func (f *file) Sync() error { return nil }
