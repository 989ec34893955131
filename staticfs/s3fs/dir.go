package s3fs

import (
	"io"
	"io/fs"
)

// dir is an open directory; its entries come from its listing, read on
// the first Readdir.
type dir struct {
	fsys *Fs
	name string    // the afero name
	rel  string    // under the tree, "" for the root
	info *fileInfo // from the parent's listing

	entries []*fileInfo // nil until read
	read    bool
	off     int // entries already returned
	closed  bool
}

// Name returns the name passed to Open.
func (d *dir) Name() string { return d.name }

// Stat returns the directory's FileInfo.
func (d *dir) Stat() (fs.FileInfo, error) { return d.info, nil }

// Readdir returns the next count entries sorted by name, or all the rest
// when count <= 0, as os.File.Readdir does.
func (d *dir) Readdir(count int) ([]fs.FileInfo, error) {
	if d.closed {
		return nil, &fs.PathError{Op: "readdir", Path: d.name, Err: fs.ErrClosed}
	}
	if !d.read {
		l, err := d.fsys.list(d.name, d.rel)
		if err != nil {
			return nil, &fs.PathError{Op: "readdir", Path: d.name, Err: err}
		}
		d.entries, d.read = l.entries, true
	}
	rest := d.entries[d.off:]
	if count > 0 {
		if len(rest) == 0 {
			return nil, io.EOF
		}
		rest = rest[:min(count, len(rest))]
	}
	d.off += len(rest)
	infos := make([]fs.FileInfo, len(rest))
	for i, e := range rest {
		infos[i] = e
	}
	return infos, nil
}

// Readdirnames returns the names Readdir would return.
func (d *dir) Readdirnames(n int) ([]string, error) {
	infos, err := d.Readdir(n)
	names := make([]string, len(infos))
	for i, info := range infos {
		names[i] = info.Name()
	}
	return names, err
}

// Close closes the directory.
func (d *dir) Close() error {
	if d.closed {
		return &fs.PathError{Op: "close", Path: d.name, Err: fs.ErrClosed}
	}
	d.closed = true
	return nil
}

// Reading a directory's bytes fails, as on an operating system.

func (d *dir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.name, Err: errIsDir}
}

func (d *dir) ReadAt([]byte, int64) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.name, Err: errIsDir}
}

func (d *dir) Seek(int64, int) (int64, error) {
	return 0, &fs.PathError{Op: "seek", Path: d.name, Err: errIsDir}
}

// The methods that would write fail with an error wrapping
// fs.ErrPermission.

func (d *dir) Write([]byte) (int, error)          { return 0, readOnly("write", d.name) }
func (d *dir) WriteAt([]byte, int64) (int, error) { return 0, readOnly("write", d.name) }
func (d *dir) WriteString(string) (int, error)    { return 0, readOnly("write", d.name) }
func (d *dir) Truncate(int64) error               { return readOnly("truncate", d.name) }

// Sync does nothing: there is nothing to write.
func (d *dir) Sync() error { return nil }
