package staticfstest

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/spf13/afero"
)

// ModTime returns the modification time that [FS] gives every file and
// directory: 2000-01-01 00:00:00 UTC, a whole second so that it survives
// the one-second resolution of Last-Modified unchanged.
func ModTime() time.Time {
	return time.Date(2000, time.January, 1, 0, 0, 0, 0, time.UTC)
}

// FS returns a new [afero.MemMapFs] holding files, which maps names to
// contents, every entry modified at [ModTime].
//
// A name is a slash-separated path, cleaned like a URL path: the leading
// slash is optional ("index.html" and "/index.html" are the same file,
// stored as "/index.html"), and "." elements and repeated slashes are
// dropped. A name ending in "/" is an empty directory and must map to "".
// Parent directories are created. Files get mode 0o644, directories
// 0o755.
//
// FS panics, naming the entry, if a name has a ".." element, a backslash
// or a NUL byte, or names the root; if two names are the same entry
// ("a" and "/a"); or if a file is also the parent of another name. Like
// [httptest.NewRequest], it is meant for fixtures written in the test,
// where a mistake is a bug to report at once.
//
// The filesystem stays writable, so a test can change it while it is
// served; afero.MemMapFs keeps "/a" and "a" apart, so use rooted names
// for that. For []byte contents, file modes or a time per file, serve a
// [testing/fstest.MapFS] through
// [github.com/webstatic/webstatic/staticfs.FromIOFS] instead (its entries
// without a ModTime get no ETag).
func FS(files map[string]string) afero.Fs {
	return FSAt(ModTime(), files)
}

// FSAt is like [FS] but gives every entry the modification time t. With
// the zero time the entries have no modification time, as in an
// [embed.FS], and staticfs.Handler sends no ETag and no Last-Modified for
// them.
func FSAt(t time.Time, files map[string]string) afero.Fs {
	entries, err := parse(files)
	if err != nil {
		panic("staticfstest: " + err.Error())
	}
	fsys := afero.NewMemMapFs()
	for _, e := range entries {
		if err := e.create(fsys); err != nil {
			panic("staticfstest: " + err.Error())
		}
	}
	// Writing a file stamps it, and creating a directory stamps it, with
	// the current time: set the times last, on every entry and the root.
	err = afero.Walk(fsys, "/", func(name string, _ fs.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return fsys.Chtimes(name, t, t)
	})
	if err != nil {
		panic("staticfstest: " + err.Error())
	}
	return fsys
}

// An entry is one name of the map given to FS, cleaned.
type entry struct {
	name string // as given, for messages
	path string // cleaned and rooted: "/css/site.css"
	dir  bool
	data string
}

// create makes e in fsys, with its parents.
func (e entry) create(fsys afero.Fs) error {
	if e.dir {
		return fsys.MkdirAll(e.path, 0o755)
	}
	if err := fsys.MkdirAll(path.Dir(e.path), 0o755); err != nil {
		return err
	}
	return afero.WriteFile(fsys, e.path, []byte(e.data), 0o644)
}

// parse cleans and checks the names of files and returns its entries in
// the order of their paths.
func parse(files map[string]string) ([]entry, error) {
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names) // so that the same mistake gives the same message

	byPath := make(map[string]entry, len(files))
	for _, name := range names {
		e, err := parseEntry(name, files[name])
		if err != nil {
			return nil, fmt.Errorf("invalid name %q: %w", name, err)
		}
		if prev, ok := byPath[e.path]; ok {
			return nil, fmt.Errorf("names %q and %q are the same entry %q", prev.name, name, e.path)
		}
		byPath[e.path] = e
	}

	entries := make([]entry, 0, len(byPath))
	for _, e := range byPath {
		for dir := path.Dir(e.path); dir != "/"; dir = path.Dir(dir) {
			if parent, ok := byPath[dir]; ok && !parent.dir {
				return nil, fmt.Errorf("%q is a file and the parent of %q", parent.name, e.name)
			}
		}
		entries = append(entries, e)
	}
	slices.SortFunc(entries, func(a, b entry) int { return strings.Compare(a.path, b.path) })
	return entries, nil
}

// parseEntry cleans one name of the map given to FS.
func parseEntry(name, data string) (entry, error) {
	if strings.ContainsAny(name, "\\\x00") {
		// The Handler answers 400 to a URL with either, so such a file
		// could never be served.
		return entry{}, errors.New("has a backslash or a NUL byte")
	}
	if slices.Contains(strings.Split(name, "/"), "..") {
		return entry{}, errors.New(`has a ".." element`)
	}
	e := entry{
		name: name,
		path: path.Clean("/" + name),
		dir:  strings.HasSuffix(name, "/"),
		data: data,
	}
	if e.path == "/" {
		return entry{}, errors.New("names the root")
	}
	if e.dir && data != "" {
		return entry{}, errors.New(`ends in "/", a directory, but has contents`)
	}
	return e, nil
}
