package s3fs_test

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/afero"

	"github.com/webstatic/webstatic/staticfs"
)

// TestReadCosts pins what each way of reading a file costs: the first
// Read after Open or a Seek is one GET of exactly its bytes, the next
// one streams the rest.
func TestReadCosts(t *testing.T) {
	const size = 100 << 10
	body := pattern(size, 1)
	type step struct {
		seek   int64 // -1: no seek
		n      int   // bytes to read (to the end when 0)
		ranges []string
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"small first read", []step{{-1, 10, []string{"bytes=0-9"}}}},
		{"whole file", []step{{-1, 0, []string{"bytes=0-511", "bytes=512-"}}}}, // io.ReadAll starts with 512 bytes
		{"range after seek", []step{{5000, 100, []string{"bytes=5000-5099"}}}},
		{"read past the end is clamped", []step{{size - 10, 0, []string{"bytes=102390-102399"}}}},
		{"seek drops the stream", []step{
			{-1, 100, []string{"bytes=0-99"}},
			{-1, 100, []string{"bytes=100-"}},
			{10, 5, []string{"bytes=10-14"}},
			{-1, 5, []string{"bytes=15-"}},
		}},
		{"seek to the position keeps the stream", []step{
			{-1, 100, []string{"bytes=0-99"}},
			{-1, 100, []string{"bytes=100-"}},
			{200, 1000, nil},
		}},
		{"at the end: no request", []step{{size, 10, nil}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStore(t)
			s.put("big.bin", body)
			fsys := s.fs("")
			f, err := fsys.Open("/big.bin")
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			pos := int64(0)
			for i, st := range tt.steps {
				s.counter.take()
				if st.seek >= 0 {
					if pos, err = f.Seek(st.seek, io.SeekStart); err != nil {
						t.Fatal(err)
					}
				}
				var got []byte
				if st.n == 0 {
					got, err = io.ReadAll(f)
				} else {
					got = make([]byte, st.n)
					var n int
					n, err = io.ReadFull(f, got)
					got = got[:n]
					if pos+int64(st.n) > size && err == io.ErrUnexpectedEOF || err == io.EOF {
						err = nil
					}
				}
				if err != nil {
					t.Fatalf("step %d: %v", i, err)
				}
				end := min(pos+int64(len(got)), size)
				if !bytes.Equal(got, body[pos:end]) {
					t.Errorf("step %d: wrong bytes", i)
				}
				pos = end
				_, ranges := s.counter.take()
				if diff := cmp.Diff(st.ranges, ranges); diff != "" {
					t.Errorf("step %d: GET ranges (-want +got):\n%s", i, diff)
				}
			}
		})
	}
}

func TestReadAtAndEmpty(t *testing.T) {
	s := newStore(t)
	body := pattern(1000, 2)
	s.put("a.bin", body)
	s.put("empty.bin", nil)
	fsys := s.fs("")
	f, err := fsys.Open("/a.bin")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s.counter.take()
	p := make([]byte, 20)
	if n, err := f.ReadAt(p, 990); n != 10 || err != io.EOF || !bytes.Equal(p[:n], body[990:]) {
		t.Errorf("ReadAt(990) = %d, %v", n, err)
	}
	if _, ranges := s.counter.take(); !cmp.Equal(ranges, []string{"bytes=990-999"}) {
		t.Errorf("ReadAt ranges %q", ranges)
	}

	e, err := fsys.Open("/empty.bin")
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	s.counter.take()
	if n, err := e.Read(p); n != 0 || err != io.EOF {
		t.Errorf("Read of an empty file = %d, %v", n, err)
	}
	if got, _ := s.counter.take(); got != (costs{}) {
		t.Errorf("an empty file's Read cost %+v, want nothing", got)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Read(p); err == nil {
		t.Error("Read after Close: no error")
	}
}

// TestVersionChange replaces an object between two GETs of one body: the
// read fails with ErrUnavailable, the bytes returned before are the old
// version's, and the next lookup sees the new version at once.
func TestVersionChange(t *testing.T) {
	for _, del := range []bool{false, true} {
		s := newStore(t)
		oldBody, newBody := pattern(100<<10, 3), pattern(100<<10, 4)
		s.put("d/big.bin", oldBody)
		fsys := s.fs("")
		f, err := fsys.Open("/d/big.bin")
		if err != nil {
			t.Fatal(err)
		}
		first := make([]byte, 1000)
		if _, err := io.ReadFull(f, first); err != nil {
			t.Fatal(err)
		}
		if del {
			s.delete("d/big.bin")
		} else {
			s.put("d/big.bin", newBody)
		}
		rest, err := io.ReadAll(f)
		f.Close()
		got := append(first, rest...)
		switch {
		case !del && !errors.Is(err, staticfs.ErrUnavailable):
			t.Errorf("replaced: read error %v, want ErrUnavailable", err)
		case del && err == nil:
			t.Errorf("deleted: no read error")
		}
		if !bytes.Equal(got, oldBody[:len(got)]) {
			t.Errorf("deleted %v: the bytes read are not a prefix of the old version", del)
		}
		// The directory's listing was dropped: no TTL to wait.
		b, err := afero.ReadFile(fsys, "/d/big.bin")
		switch {
		case del && err == nil:
			t.Errorf("deleted: ReadFile read %d bytes", len(b))
		case !del && (err != nil || !bytes.Equal(b, newBody)):
			t.Errorf("replaced: ReadFile: %v, new body %v", err, bytes.Equal(b, newBody))
		}
	}
}
