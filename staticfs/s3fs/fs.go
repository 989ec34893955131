package s3fs

import (
	"context"
	"io/fs"
	"os"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/spf13/afero"
)

// API is the part of *s3.Client the filesystem calls, so that a client
// can be wrapped (for metrics, a circuit breaker, a fake in tests).
type API interface {
	ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input, opts ...func(*s3.Options)) (*s3.ListObjectsV2Output, error)
	GetObject(ctx context.Context, in *s3.GetObjectInput, opts ...func(*s3.Options)) (*s3.GetObjectOutput, error)
}

// Fs is a read-only afero.Fs over the objects of a bucket, or of the part
// of it under Prefix. The zero value of every field but Client and Bucket
// is its default. An Fs must not be changed once in use; it is safe for
// concurrent use.
type Fs struct {
	// Client sends the requests, usually an *s3.Client. Bucket is the
	// bucket served. Both must be set: without them every lookup, the
	// root's included, fails with an error wrapping
	// staticfs.ErrBadGateway (a Handler logs it on its first request).
	Client API
	Bucket string

	// Prefix is the key prefix the served tree lives under: "" serves the
	// whole bucket, "site/v2" and "site/v2/" both serve the keys starting
	// with "site/v2/", the file "/a.html" being the key "site/v2/a.html".
	Prefix string

	// ListTTL is how long a directory listing is trusted: a change in the
	// bucket (an object added, replaced or deleted) shows within ListTTL.
	// 0 means 10s; a negative value lists on every lookup (concurrent
	// lookups of one directory still share one LIST).
	ListTTL time.Duration

	// Timeout bounds each request to the store: its wait for the response
	// head, the SDK's retries included, and any one stall of a body read.
	// A request that runs out of it fails with an error wrapping
	// staticfs.ErrUnavailable. 0 means 10s; a negative value sets no bound
	// (the SDK client's own timeouts apply).
	Timeout time.Duration

	// MaxDirs bounds the number of directory listings kept, the least
	// recently used being dropped first. A listing costs about 150 bytes
	// per entry plus its names. 0 means 1024; a negative value keeps none
	// once its lookups are answered.
	MaxDirs int

	// OnError, when set, is called with every error the store returned,
	// as the SDK worded it, which may name the endpoint, the bucket and
	// request IDs: for the operator's own log. op is "list" or "get",
	// name the afero name looked up. The errors the Fs returns never hold
	// that text.
	OnError func(op, name string, err error)

	now     func() time.Time // nil: time.Now; set by tests
	maxKeys int32            // 0: the store's page size; set by tests

	once sync.Once // guards st
	st   state
}

// state is what an Fs builds on first use.
type state struct {
	prefix  string // Prefix with one trailing slash, or ""
	ttl     time.Duration
	timeout time.Duration // <= 0: none
	dirs    *dirCache
}

// Defaults of the fields whose zero value means a default.
const (
	defaultListTTL = 10 * time.Second
	defaultTimeout = 10 * time.Second
	defaultMaxDirs = 1024
)

func (f *Fs) state() *state {
	f.once.Do(func() {
		p := strings.TrimRight(f.Prefix, "/")
		if p != "" {
			p += "/"
		}
		now := f.now
		if now == nil {
			now = time.Now
		}
		f.st = state{
			prefix:  p,
			ttl:     orDefault(f.ListTTL, defaultListTTL),
			timeout: orDefault(f.Timeout, defaultTimeout),
			dirs:    newDirCache(orDefault(f.MaxDirs, defaultMaxDirs), now),
		}
	})
	return &f.st
}

// orDefault applies the fields' convention: 0 is the default, a negative
// value is none (-1).
func orDefault[T int | time.Duration](v, def T) T {
	switch {
	case v == 0:
		return def
	case v < 0:
		return -1
	}
	return v
}

// Name returns "s3fs".
func (f *Fs) Name() string { return "s3fs" }

// Stat returns the FileInfo of the file or directory name, from the
// listing of its parent directory. The root always exists. When both an
// object "a" and objects under "a/" exist, "a" is the file.
func (f *Fs) Stat(name string) (fs.FileInfo, error) {
	info, err := f.stat("stat", name)
	if err != nil {
		return nil, err
	}
	return info, nil
}

func (f *Fs) stat(op, name string) (*fileInfo, error) {
	if f.Client == nil || f.Bucket == "" {
		return nil, &fs.PathError{Op: op, Path: name, Err: errUnset}
	}
	rel, ok := relName(name)
	if !ok {
		return nil, &fs.PathError{Op: op, Path: name, Err: errNotExist}
	}
	if rel == "" {
		return rootInfo, nil
	}
	dir, base := path.Split(rel)
	l, err := f.list(name, strings.TrimSuffix(dir, "/"))
	if err != nil {
		return nil, &fs.PathError{Op: op, Path: name, Err: err}
	}
	info := l.lookup(base)
	if info == nil {
		return nil, &fs.PathError{Op: op, Path: name, Err: errNotExist}
	}
	return info, nil
}

// Open opens the file or directory name for reading. It sends no request
// of its own: what it needs comes from the listing of the parent.
func (f *Fs) Open(name string) (afero.File, error) {
	info, err := f.stat("open", name)
	if err != nil {
		return nil, err
	}
	rel, _ := relName(name)
	if info.IsDir() {
		return &dir{fsys: f, name: name, rel: rel, info: info}, nil
	}
	return &file{fsys: f, name: name, dir: path.Dir("/" + rel)[1:], key: f.state().prefix + rel, info: info, ranged: true}, nil
}

// OpenFile opens name for reading, as Open does; any flag that would
// write fails with an error wrapping fs.ErrPermission.
func (f *Fs) OpenFile(name string, flag int, perm os.FileMode) (afero.File, error) {
	if flag&(os.O_WRONLY|os.O_RDWR|os.O_CREATE|os.O_TRUNC|os.O_APPEND|os.O_EXCL) != 0 {
		return nil, readOnly("open", name)
	}
	return f.Open(name)
}

// relName turns an afero name ("/a/b.txt", or "a/b.txt") into the path
// under the tree ("a/b.txt", "" for the root). It reports false for
// names that clean to another name or hold a NUL, which name no file.
func relName(name string) (string, bool) {
	n := name
	if !strings.HasPrefix(n, "/") {
		n = "/" + n
	}
	if path.Clean(n) != n || strings.IndexByte(n, 0) >= 0 {
		return "", false
	}
	return n[1:], true
}

// The methods that would write fail with an error wrapping
// fs.ErrPermission.

// Create fails: the filesystem is read-only.
func (f *Fs) Create(name string) (afero.File, error) { return nil, readOnly("create", name) }

// Mkdir fails: the filesystem is read-only.
func (f *Fs) Mkdir(name string, perm os.FileMode) error { return readOnly("mkdir", name) }

// MkdirAll fails: the filesystem is read-only.
func (f *Fs) MkdirAll(name string, perm os.FileMode) error { return readOnly("mkdir", name) }

// Remove fails: the filesystem is read-only.
func (f *Fs) Remove(name string) error { return readOnly("remove", name) }

// RemoveAll fails: the filesystem is read-only.
func (f *Fs) RemoveAll(name string) error { return readOnly("remove", name) }

// Rename fails: the filesystem is read-only.
func (f *Fs) Rename(oldname, newname string) error { return readOnly("rename", oldname) }

// Chmod fails: the filesystem is read-only.
func (f *Fs) Chmod(name string, mode os.FileMode) error { return readOnly("chmod", name) }

// Chown fails: the filesystem is read-only.
func (f *Fs) Chown(name string, uid, gid int) error { return readOnly("chown", name) }

// Chtimes fails: the filesystem is read-only.
func (f *Fs) Chtimes(name string, atime, mtime time.Time) error { return readOnly("chtimes", name) }

func readOnly(op, name string) error { return &fs.PathError{Op: op, Path: name, Err: errReadOnly} }

var _ afero.Fs = (*Fs)(nil)
