package staticfs

import (
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/spf13/afero"
)

// FromIOFS returns a read-only afero.Fs over an io/fs filesystem, such as
// an embed.FS or the result of fs.Sub, that takes the rooted names the
// rest of afero uses ("/css/site.css", "/") and gives io/fs the unrooted
// ones it wants ("css/site.css", "."). afero.FromIOFS passes names
// through as they are, so inside afero's layers, which all speak rooted
// names, it finds nothing; this one composes with them:
//
//	afero.NewReadOnlyFs(staticfs.FromIOFS(sub))
//	afero.NewBasePathFs(staticfs.FromIOFS(embedded), "/site")
//	afero.NewCopyOnWriteFs(staticfs.FromIOFS(embedded), afero.NewMemMapFs())
//
// A Handler whose FS is a bare afero.FromIOFS uses this adapter in its
// place.
func FromIOFS(fsys fs.FS) afero.Fs { return ioFS{afero.FromIOFS{FS: fsys}} }

// ioFS unroots every name before afero.FromIOFS sees it.
type ioFS struct{ afero.FromIOFS }

// unroot turns a rooted or unrooted name into the form io/fs accepts.
func unroot(name string) string {
	name = strings.TrimLeft(name, "/")
	if name == "" {
		return "."
	}
	return name
}

func (f ioFS) Name() string { return "staticfs.FromIOFS" }

func (f ioFS) Open(name string) (afero.File, error) { return f.FromIOFS.Open(unroot(name)) }

func (f ioFS) OpenFile(name string, flag int, perm os.FileMode) (afero.File, error) {
	return f.FromIOFS.OpenFile(unroot(name), flag, perm)
}

func (f ioFS) Stat(name string) (os.FileInfo, error) { return f.FromIOFS.Stat(unroot(name)) }

func (f ioFS) Create(name string) (afero.File, error) { return f.FromIOFS.Create(unroot(name)) }

func (f ioFS) Mkdir(name string, perm os.FileMode) error {
	return f.FromIOFS.Mkdir(unroot(name), perm)
}

func (f ioFS) MkdirAll(name string, perm os.FileMode) error {
	return f.FromIOFS.MkdirAll(unroot(name), perm)
}

func (f ioFS) Remove(name string) error { return f.FromIOFS.Remove(unroot(name)) }

func (f ioFS) RemoveAll(name string) error { return f.FromIOFS.RemoveAll(unroot(name)) }

func (f ioFS) Rename(oldname, newname string) error {
	return f.FromIOFS.Rename(unroot(oldname), unroot(newname))
}

func (f ioFS) Chmod(name string, mode os.FileMode) error {
	return f.FromIOFS.Chmod(unroot(name), mode)
}

func (f ioFS) Chown(name string, uid, gid int) error {
	return f.FromIOFS.Chown(unroot(name), uid, gid)
}

func (f ioFS) Chtimes(name string, atime, mtime time.Time) error {
	return f.FromIOFS.Chtimes(unroot(name), atime, mtime)
}

// servedFS is the filesystem a Handler reads: its FS, with a bare
// afero.FromIOFS replaced by FromIOFS, so that every name is rooted.
func servedFS(fsys afero.Fs) afero.Fs {
	switch f := fsys.(type) {
	case afero.FromIOFS:
		return FromIOFS(f.FS)
	case *afero.FromIOFS:
		if f != nil {
			return FromIOFS(f.FS)
		}
	}
	return fsys
}
