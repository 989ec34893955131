package staticfs_test

import (
	"sync"
	"testing"

	"github.com/spf13/afero"
	"github.com/webstatic/webstatic/staticfs"
)

// countingFs counts the files opened through it that are still open.
type countingFs struct {
	afero.Fs
	mu     sync.Mutex // guards open and opened
	open   map[*countingFile]string
	opened int
}

type countingFile struct {
	afero.File
	fs *countingFs
}

func (c *countingFs) Open(name string) (afero.File, error) {
	f, err := c.Fs.Open(name)
	if err != nil {
		return nil, err
	}
	cf := &countingFile{File: f, fs: c}
	c.mu.Lock()
	c.open[cf] = name
	c.opened++
	c.mu.Unlock()
	return cf, nil
}

func (f *countingFile) Close() error {
	f.fs.mu.Lock()
	delete(f.fs.open, f)
	f.fs.mu.Unlock()
	return f.File.Close()
}

// TestClosesEveryFile sends every kind of request the Handler answers and
// requires that each file it opened is closed once the response is read.
func TestClosesEveryFile(t *testing.T) {
	files := map[string]string{"/style.css.gz": "GZ", "/style.css.br": "BR"}
	for name, body := range siteFiles {
		files[name] = body
	}
	fsys := &countingFs{Fs: memSite(t, files), open: map[*countingFile]string{}}
	for _, h := range []*staticfs.Handler{
		{FS: fsys}, {FS: fsys, Listing: true}, {FS: fsys, NotFoundPages: []string{}}, {FS: fsys, AllowDotfiles: true},
		{FS: fsys, SPAPage: "/index.html"}, {FS: fsys, ETags: staticfs.ETagContent},
	} {
		do := serve(t, h)
		for _, req := range []struct {
			method, target string
			header         map[string]string
		}{
			{"GET", "/", nil}, {"HEAD", "/", nil}, {"GET", "/index.html", nil}, {"GET", "/docs", nil},
			{"GET", "/docs/", nil}, {"GET", "/style.css", nil}, {"GET", "/notes", nil}, {"GET", "/missing", nil},
			{"GET", "/docs/deeper/missing", nil}, {"GET", "/empty/", nil}, {"GET", "/.env", nil},
			{"GET", "/index.html/x", nil}, {"GET", "/docs/guide.txt/", nil}, {"POST", "/", nil}, {"OPTIONS", "/", nil},
			{"GET", "/style.css", map[string]string{"Range": "bytes=0-1"}},
			{"GET", "/style.css", map[string]string{"Range": "bytes=0-1,3-4"}},
			{"GET", "/style.css", map[string]string{"Range": "bytes=50-60"}},
			{"GET", "/style.css", map[string]string{"If-Modified-Since": modTime.Format("Mon, 02 Jan 2006 15:04:05 GMT")}},
			{"GET", "/style.css", map[string]string{"If-Match": `"nope"`}},
			{"GET", "/style.css", map[string]string{"Accept-Encoding": "br"}},
			{"GET", "/style.css", map[string]string{"Accept-Encoding": "gzip", "Range": "bytes=0-0"}},
			{"GET", "/style.css", map[string]string{"Accept-Encoding": "gzip", "Range": "bytes=9-"}},
			{"GET", "/style.css.gz", nil},
			{"GET", "/app/route", map[string]string{"Accept": "text/html"}},
			{"GET", "/empty/", map[string]string{"Accept": "application/json"}},
		} {
			do(req.method, req.target, req.header)
		}
	}
	fsys.mu.Lock()
	defer fsys.mu.Unlock()
	if fsys.opened < 50 {
		t.Errorf("only %d files opened: the wrapper is not in the path", fsys.opened)
	}
	if len(fsys.open) != 0 {
		t.Errorf("files left open: %v", fsys.open)
	}
}
