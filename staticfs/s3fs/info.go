package s3fs

import (
	"io/fs"
	"time"
)

// fileInfo describes an object (a file) or a common prefix (a directory)
// as a listing gave it. It is immutable.
type fileInfo struct {
	name    string
	size    int64
	modTime time.Time // whole seconds; zero for directories
	dir     bool
	etag    string // the object's ETag without quotes; "" for directories
	rawETag string // as the store wrote it, for If-Match
}

var rootInfo = &fileInfo{name: "/", dir: true}

// Name returns the base name.
func (i *fileInfo) Name() string { return i.name }

// Size returns the object's size; 0 for a directory.
func (i *fileInfo) Size() int64 { return i.size }

// Mode returns 0444 for a file, fs.ModeDir|0555 for a directory.
func (i *fileInfo) Mode() fs.FileMode {
	if i.dir {
		return fs.ModeDir | 0o555
	}
	return 0o444
}

// ModTime returns the object's LastModified, truncated to whole seconds
// (LIST and GET answers disagree on milliseconds on some stores); the
// zero time for a directory.
func (i *fileInfo) ModTime() time.Time { return i.modTime }

// IsDir reports whether the entry is a directory (a common prefix).
func (i *fileInfo) IsDir() bool { return i.dir }

// Sys returns nil.
func (i *fileInfo) Sys() any { return nil }

// ETag returns the object's ETag without its quotes, "" for a directory:
// it implements staticfs.ETagger, so that a Handler sends the store's own
// tag.
func (i *fileInfo) ETag() string { return i.etag }
