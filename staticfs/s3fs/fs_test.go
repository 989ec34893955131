package s3fs_test

import (
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/afero"

	"github.com/webstatic/webstatic/staticfs"
	"github.com/webstatic/webstatic/staticfs/s3fs"
)

// entry is what a test compares of a FileInfo.
type entry struct {
	Name    string
	Size    int64
	Mode    fs.FileMode
	ModTime bool // non-zero, in whole seconds
	ETag    string
}

func entryOf(info fs.FileInfo) entry {
	e := entry{Name: info.Name(), Size: info.Size(), Mode: info.Mode()}
	mt := info.ModTime()
	e.ModTime = !mt.IsZero() && mt.Nanosecond() == 0
	if t, ok := info.(staticfs.ETagger); ok {
		e.ETag = t.ETag()
	}
	return e
}

func md5hex(b []byte) string {
	sum := md5.Sum(b)
	return hex.EncodeToString(sum[:])
}

func file(name string, body []byte) entry {
	return entry{Name: name, Size: int64(len(body)), Mode: 0o444, ModTime: true, ETag: md5hex(body)}
}

func dirEntry(name string) entry { return entry{Name: name, Mode: fs.ModeDir | 0o555} }

// tree puts, under prefix, the keys the semantics tests look at.
func tree(s *store, prefix string) {
	for _, k := range []string{"a.txt", "d/b.txt", "d/e/f.txt", "both", "both/inner.txt", "d/e/g.txt"} {
		s.put(prefix+k, []byte("body of "+k))
	}
	s.put(prefix+"empty/", nil)   // a folder marker alone
	s.put(prefix+"d/", nil)       // a folder marker beside files
	s.put(prefix+"weird//x", nil) // an empty segment no name reaches
}

func TestStat(t *testing.T) {
	for _, prefix := range []string{"", "site/v2/"} {
		for _, fsPrefix := range []string{prefix, trimSlash(prefix)} {
			t.Run(fmt.Sprintf("Prefix=%q", fsPrefix), func(t *testing.T) {
				s := newStore(t)
				tree(s, prefix)
				s.put("outside.txt", []byte("not in the tree unless the prefix is empty"))
				fsys := s.fs(fsPrefix)
				tests := []struct {
					name string
					want entry
					err  error
				}{
					{"/", dirEntry("/"), nil},
					{"", dirEntry("/"), nil},
					{"/a.txt", file("a.txt", []byte("body of a.txt")), nil},
					{"a.txt", file("a.txt", []byte("body of a.txt")), nil},
					{"/d", dirEntry("d"), nil},
					{"/d/e/f.txt", file("f.txt", []byte("body of d/e/f.txt")), nil},
					{"/d/e", dirEntry("e"), nil},
					{"/empty", dirEntry("empty"), nil},
					{"/both", file("both", []byte("body of both")), nil}, // the file wins
					{"/both/inner.txt", file("inner.txt", []byte("body of both/inner.txt")), nil},
					{"/missing", entry{}, fs.ErrNotExist},
					{"/missing/x", entry{}, fs.ErrNotExist},
					{"/a.txt/x", entry{}, fs.ErrNotExist},
					{"/d/", entry{}, fs.ErrNotExist},
					{"/d/../a.txt", entry{}, fs.ErrNotExist},
					{"/d//b.txt", entry{}, fs.ErrNotExist},
					{"/a.txt\x00", entry{}, fs.ErrNotExist},
					{"/weird", dirEntry("weird"), nil},
					{"/weird/x", entry{}, fs.ErrNotExist},
				}
				for _, tt := range tests {
					info, err := fsys.Stat(tt.name)
					if tt.err != nil {
						var pe *fs.PathError
						if !errors.Is(err, tt.err) || !errors.As(err, &pe) || pe.Path != tt.name {
							t.Errorf("Stat(%q): err %v, want a *fs.PathError of %q wrapping %v", tt.name, err, tt.name, tt.err)
						}
						continue
					}
					if err != nil {
						t.Errorf("Stat(%q): %v", tt.name, err)
						continue
					}
					if diff := cmp.Diff(tt.want, entryOf(info)); diff != "" {
						t.Errorf("Stat(%q) (-want +got):\n%s", tt.name, diff)
					}
				}
				if _, err := fsys.Stat("/outside.txt"); (err == nil) != (prefix == "") {
					t.Errorf("Stat(/outside.txt) with Prefix %q: %v", fsPrefix, err)
				}
			})
		}
	}
}

func trimSlash(p string) string {
	if p == "" {
		return ""
	}
	return p[:len(p)-1]
}

func TestReaddir(t *testing.T) {
	s := newStore(t)
	tree(s, "p/")
	fsys := s.fs("p")
	tests := []struct {
		dir  string
		want []string
	}{
		{"/", []string{"a.txt", "both", "d", "empty", "weird"}},
		{"/d", []string{"b.txt", "e"}},
		{"/d/e", []string{"f.txt", "g.txt"}},
		{"/empty", []string{}},
		{"/both", []string{"inner.txt"}}, // reached by name, though Stat says file
	}
	for _, tt := range tests {
		f, err := fsys.Open(tt.dir)
		if tt.dir == "/both" {
			// Open goes by Stat: the file wins.
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.Readdir(-1); err == nil {
				t.Errorf("Readdir of the file /both: no error")
			}
			f.Close()
			continue
		}
		if err != nil {
			t.Fatalf("Open(%q): %v", tt.dir, err)
		}
		names, err := f.Readdirnames(-1)
		f.Close()
		if err != nil {
			t.Fatalf("Readdirnames(%q): %v", tt.dir, err)
		}
		if diff := cmp.Diff(tt.want, names); diff != "" {
			t.Errorf("Readdirnames(%q) (-want +got):\n%s", tt.dir, diff)
		}
	}

	// Readdir(n) pages through, then io.EOF; entries are the Stat ones.
	f, err := fsys.Open("/")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var got []entry
	for {
		infos, err := f.Readdir(2)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, info := range infos {
			got = append(got, entryOf(info))
		}
	}
	want := []entry{file("a.txt", []byte("body of a.txt")), file("both", []byte("body of both")),
		dirEntry("d"), dirEntry("empty"), dirEntry("weird")}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Readdir(2)... (-want +got):\n%s", diff)
	}
}

// TestPagination lists a directory in pages of 3 keys: every page is
// read, files and directories merged in name order.
func TestPagination(t *testing.T) {
	s := newStore(t)
	var want []string
	for i := range 10 {
		name := fmt.Sprintf("f%02d", i)
		if i%3 == 0 {
			s.put("d/"+name+"/x", []byte("x"))
		} else {
			s.put("d/"+name, []byte("x"))
		}
		want = append(want, name)
	}
	fsys := s.fs("")
	s3fs.SetMaxKeys(fsys, 3)
	f, err := fsys.Open("/d")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s.counter.take()
	names, err := f.Readdirnames(-1)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("Readdirnames (-want +got):\n%s", diff)
	}
	if got, _ := s.counter.take(); got.List != 4 {
		t.Errorf("%d LISTs for 10 entries in pages of 3, want 4", got.List)
	}
	if _, err := fsys.Stat("/d/f09/x"); err != nil {
		t.Errorf("Stat(/d/f09/x): %v", err)
	}
}

func TestReadOnly(t *testing.T) {
	s := newStore(t)
	s.put("a.txt", []byte("a"))
	fsys := s.fs("")
	f, err := fsys.Open("/a.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d, err := fsys.Open("/")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	calls := map[string]func() error{
		"Create":    func() error { _, err := fsys.Create("/b"); return err },
		"Mkdir":     func() error { return fsys.Mkdir("/b", 0o755) },
		"MkdirAll":  func() error { return fsys.MkdirAll("/b/c", 0o755) },
		"OpenFile":  func() error { _, err := fsys.OpenFile("/a.txt", os.O_RDWR, 0); return err },
		"OpenFileC": func() error { _, err := fsys.OpenFile("/b", os.O_CREATE|os.O_WRONLY, 0o644); return err },
		"Remove":    func() error { return fsys.Remove("/a.txt") },
		"RemoveAll": func() error { return fsys.RemoveAll("/") },
		"Rename":    func() error { return fsys.Rename("/a.txt", "/b") },
		"Chmod":     func() error { return fsys.Chmod("/a.txt", 0o777) },
		"Chown":     func() error { return fsys.Chown("/a.txt", 0, 0) },
		"Chtimes":   func() error { return fsys.Chtimes("/a.txt", time.Now(), time.Now()) },
		"Write":     func() error { _, err := f.Write([]byte("x")); return err },
		"WriteAt":   func() error { _, err := f.WriteAt([]byte("x"), 0); return err },
		"WriteStr":  func() error { _, err := f.WriteString("x"); return err },
		"Truncate":  func() error { return f.Truncate(0) },
		"DirWrite":  func() error { _, err := d.Write([]byte("x")); return err },
	}
	for name, call := range calls {
		err := call()
		var pe *fs.PathError
		if !errors.Is(err, fs.ErrPermission) || !errors.As(err, &pe) {
			t.Errorf("%s: %v, want a *fs.PathError wrapping fs.ErrPermission", name, err)
		}
	}
	if _, err := fsys.OpenFile("/a.txt", os.O_RDONLY, 0); err != nil {
		t.Errorf("OpenFile(O_RDONLY): %v", err)
	}
	if got := fsys.Name(); got != "s3fs" {
		t.Errorf("Name() = %q", got)
	}
	var _ afero.Fs = fsys
}

func TestParse(t *testing.T) {
	tests := []struct {
		uri            string
		bucket, prefix string
		ok             bool
	}{
		{"s3://site", "site", "", true},
		{"s3://site/", "site", "", true},
		{"s3://site/a/b", "site", "a/b", true},
		{"s3://site/a/b/", "site", "a/b", true},
		{"https://site/a", "", "", false},
		{"s3:///a", "", "", false},
		{"s3://user@site/a", "", "", false},
		{"s3://site:9000/a", "", "", false},
		{"s3://site/a?x=1", "", "", false},
		{"s3://site/a#f", "", "", false},
		{"site/a", "", "", false},
	}
	for _, tt := range tests {
		b, p, err := s3fs.Parse(tt.uri)
		if (err == nil) != tt.ok || b != tt.bucket || p != tt.prefix {
			t.Errorf("Parse(%q) = %q, %q, %v; want %q, %q, ok %v", tt.uri, b, p, err, tt.bucket, tt.prefix, tt.ok)
		}
	}
}

func TestUnset(t *testing.T) {
	s := newStore(t)
	for _, fsys := range []*s3fs.Fs{{Bucket: bucket}, {Client: s.client}} {
		if _, err := fsys.Stat("/"); !errors.Is(err, staticfs.ErrBadGateway) {
			t.Errorf("Stat(/) without Client or Bucket: %v, want ErrBadGateway", err)
		}
	}
}
