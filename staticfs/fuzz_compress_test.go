package staticfs_test

import (
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/webstatic/webstatic/staticfs"
)

// FuzzCompression sends requests with any Accept-Encoding, Range and
// If-None-Match to files of every size class (empty, below the
// compression minimum, compressed once in memory, compressed as sent)
// with the cache on and off, and checks every answer against the file:
// a 200's body decodes to the file; a 206's parts are the bytes of the
// representation sent (the encoded body for a coding compressed once,
// the file for one compressed as sent); a 304 only for the tag of the
// coding the request selects.
//
//	go test -run '^$' -fuzz FuzzCompression -fuzztime 60s ./staticfs/
func FuzzCompression(f *testing.F) {
	sizes := []int{0, 100, 600, 20 << 10, 100 << 10}
	files := map[string]string{}
	for i, n := range sizes {
		files[fmt.Sprintf("/f%d.txt", i)] = textOf(n, uint64(i+10))
	}
	fsys := memSite(f, files)
	handlers := []http.Handler{&staticfs.Handler{FS: fsys}, &staticfs.Handler{FS: fsys, MemoryCacheBytes: -1}}

	f.Add("gzip", "", uint8(0), uint8(3), false)
	f.Add("br;q=0.5, zstd", "bytes=0-9", uint8(1), uint8(3), true)
	f.Add("zstd", "bytes=-5,10-20", uint8(2), uint8(4), false)
	f.Add("*", "bytes=5-", uint8(1), uint8(2), false)
	f.Add("gzip;q=0, identity", "bytes=-0", uint8(0), uint8(1), true)
	f.Add("x-gzip, br", "items=1-2", uint8(2), uint8(3), false)
	f.Fuzz(func(t *testing.T, ae, rng string, inm, size uint8, uncached bool) {
		name := fmt.Sprintf("/f%d.txt", int(size)%len(sizes))
		file := files[name]
		h := handlers[map[bool]int{false: 0, true: 1}[uncached]]
		get := func(hdr map[string]string) *httptest.ResponseRecorder {
			r := httptest.NewRequest("GET", name, nil)
			for k, v := range hdr {
				r.Header.Set(k, v)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			return w
		}
		// The whole representation this Accept-Encoding selects, and its tag.
		whole := get(map[string]string{"Accept-Encoding": ae})
		if whole.Code != 200 {
			t.Fatalf("GET %s with Accept-Encoding %q: %d", name, ae, whole.Code)
		}
		ce := whole.Header().Get("Content-Encoding")
		if got := decode(t, ce, whole.Body.String()); got != file {
			t.Fatalf("%s, %q: decoded %d bytes, want the file's %d", name, ae, len(got), len(file))
		}
		tag := whole.Header().Get("Etag")
		tags := []string{tag, `"other"`, ""}
		hdr := map[string]string{"Accept-Encoding": ae, "Range": rng, "If-None-Match": tags[int(inm)%len(tags)]}
		w := get(hdr)
		switch w.Code {
		case 200:
			if got := decode(t, w.Header().Get("Content-Encoding"), w.Body.String()); got != file {
				t.Errorf("%s %v: 200 decodes to %d bytes, want the file's %d", name, hdr, len(got), len(file))
			}
		case 206:
			// The parts are ranges of the bytes the Content-Encoding
			// names: the encoded body compressed once, else the file.
			rangeCE := w.Header().Get("Content-Encoding")
			source := file
			if rangeCE != "" {
				if rangeCE != ce {
					t.Fatalf("%s %v: 206 in %q, whole body in %q", name, hdr, rangeCE, ce)
				}
				source = whole.Body.String()
			}
			checkParts(t, w, source)
		case 304:
			if hdr["If-None-Match"] != tag || tag == "" {
				t.Errorf("%s %v: 304 for a tag that is not the selected representation's %q", name, hdr, tag)
			}
		case 416:
			if !strings.HasPrefix(w.Header().Get("Content-Range"), "bytes */") {
				t.Errorf("%s %v: 416 without the length", name, hdr)
			}
		default:
			t.Errorf("%s %v: status %d", name, hdr, w.Code)
		}
	})
}

// checkParts checks a 206's single part or multipart parts against
// source, the bytes its ranges are of.
func checkParts(t *testing.T, w *httptest.ResponseRecorder, source string) {
	t.Helper()
	mt, params, _ := mime.ParseMediaType(w.Header().Get("Content-Type"))
	if mt != "multipart/byteranges" {
		checkPart(t, w.Header().Get("Content-Range"), w.Body.String(), source)
		return
	}
	mr := multipart.NewReader(w.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("multipart: %v", err)
		}
		b, _ := io.ReadAll(p)
		checkPart(t, p.Header.Get("Content-Range"), string(b), source)
	}
}

func checkPart(t *testing.T, contentRange, body, source string) {
	t.Helper()
	var first, last, total int
	if _, err := fmt.Sscanf(contentRange, "bytes %d-%d/%d", &first, &last, &total); err != nil {
		t.Fatalf("Content-Range %q: %v", contentRange, err)
	}
	if total != len(source) || last >= total || body != source[first:last+1] {
		t.Errorf("part %q of %d bytes: not those bytes of the %s-byte representation", contentRange, len(body), strconv.Itoa(len(source)))
	}
}
