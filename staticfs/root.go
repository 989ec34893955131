package staticfs

import (
	"io"
	"io/fs"

	"github.com/spf13/afero"
)

// root is the served tree as one request sees it: the filesystem, how it
// wants names spelled, and the policies that hide parts of it.
type root struct {
	fs            afero.Fs
	lstater       afero.Lstater    // nil when links are not checked
	linkReader    afero.LinkReader // nil when the filesystem cannot read links
	symlinks      SymlinkPolicy
	allowDotfiles bool
	hideWellKnown bool
}

func (h *Handler) root() root {
	rt := root{
		fs:            h.state().fs,
		symlinks:      h.Symlinks,
		allowDotfiles: h.AllowDotfiles,
		hideWellKnown: h.HideWellKnown,
	}
	if rt.symlinks != SymlinksFollowAll {
		rt.lstater, _ = rt.fs.(afero.Lstater)
		rt.linkReader, _ = rt.fs.(afero.LinkReader)
	}
	return rt
}

// file is an open file with what the handler learnt about it.
type file struct {
	afero.File
	name string      // the clean request name it answers for
	real string      // the name it was opened under, links resolved
	info fs.FileInfo // the file's own, after links
}

// open resolves a clean name under the policies and opens it.
func (rt *root) open(name string) (*file, error) {
	real, err := rt.resolve(name)
	if err != nil {
		return nil, err
	}
	f, err := rt.fs.Open(real)
	if err != nil {
		return nil, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	return &file{File: f, name: name, real: real, info: info}, nil
}

// stat resolves a clean name under the policies and stats it.
func (rt *root) stat(name string) (fs.FileInfo, error) {
	real, err := rt.resolve(name)
	if err != nil {
		return nil, err
	}
	return rt.fs.Stat(real)
}

// content is the file as http.ServeContent should read it. afero's
// BasePathFs hides the *os.File behind its own type, and with it the
// sendfile path of net/http's copy; the embedded File is the one to read.
func (f *file) content() io.ReadSeeker {
	if bf, ok := f.File.(*afero.BasePathFile); ok {
		return bf.File
	}
	return f.File
}
