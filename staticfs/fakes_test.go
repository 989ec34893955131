package staticfs_test

import (
	"io"
	"io/fs"
	"log"
	"os"
	"strings"

	"github.com/spf13/afero"
)

var (
	errNotExist   = fs.ErrNotExist
	errPermission = fs.ErrPermission
	discardLog    = log.New(io.Discard, "", 0)
)

type fsPathError = fs.PathError

func newLogger(w io.Writer) *log.Logger { return log.New(w, "", 0) }

// failingFs fails every Open of a name with an extension with err, the
// way a broken disk or a permission problem would.
type failingFs struct {
	afero.Fs
	err error
}

func (f failingFs) Open(name string) (afero.File, error) {
	if strings.Contains(name, ".") {
		return nil, f.err
	}
	return f.Fs.Open(name)
}

func (f failingFs) Stat(name string) (os.FileInfo, error) {
	if strings.Contains(name, ".") {
		return nil, f.err
	}
	return f.Fs.Stat(name)
}
