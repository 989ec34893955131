package staticfs_test

import (
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/afero"
	"github.com/webstatic/webstatic/staticfs"
)

// TestRangesAndConditionals checks that the headers http.ServeContent acts
// on reach it with the validators the Handler set.
func TestRangesAndConditionals(t *testing.T) {
	fsys := memSite(t, map[string]string{"/digits.txt": "0123456789"})
	do := serve(t, &staticfs.Handler{FS: fsys})
	etag := do("GET", "/digits.txt", nil, "Etag").Header["Etag"]
	if !strings.HasPrefix(etag, `"`) || !strings.HasSuffix(etag, `"`) || len(etag) < 4 {
		t.Fatalf("ETag = %q, want a strong entity tag", etag)
	}
	lastMod := modTime.Format(http.TimeFormat)
	before := modTime.Add(-time.Hour).Format(http.TimeFormat)

	tests := []struct {
		name   string
		method string
		header map[string]string
		want   result
	}{
		{"validators", "GET", nil,
			result{200, map[string]string{"Etag": etag, "Last-Modified": lastMod, "Accept-Ranges": "bytes", "Content-Length": "10"}, "0123456789"}},
		{"range first bytes", "GET", map[string]string{"Range": "bytes=0-3"},
			result{206, map[string]string{"Content-Range": "bytes 0-3/10", "Content-Length": "4"}, "0123"}},
		{"range suffix", "GET", map[string]string{"Range": "bytes=-3"},
			result{206, map[string]string{"Content-Range": "bytes 7-9/10"}, "789"}},
		{"range open end", "GET", map[string]string{"Range": "bytes=5-"},
			result{206, map[string]string{"Content-Range": "bytes 5-9/10"}, "56789"}},
		{"range unsatisfiable", "GET", map[string]string{"Range": "bytes=20-30"},
			result{416, map[string]string{"Content-Range": "bytes */10"}, "416 Requested Range Not Satisfiable\n"}},
		{"range HEAD", "HEAD", map[string]string{"Range": "bytes=0-3"},
			result{206, map[string]string{"Content-Range": "bytes 0-3/10", "Content-Length": "4"}, ""}},
		{"if-none-match", "GET", map[string]string{"If-None-Match": etag},
			result{304, map[string]string{"Etag": etag, "Content-Length": ""}, ""}},
		{"if-none-match weak", "GET", map[string]string{"If-None-Match": "W/" + etag},
			result{304, nil, ""}},
		{"if-none-match list", "GET", map[string]string{"If-None-Match": `"other", ` + etag},
			result{304, nil, ""}},
		{"if-none-match other", "GET", map[string]string{"If-None-Match": `"other"`},
			result{200, nil, "0123456789"}},
		{"if-match", "GET", map[string]string{"If-Match": etag},
			result{200, nil, "0123456789"}},
		{"if-match other", "GET", map[string]string{"If-Match": `"other"`},
			result{412, nil, "412 Precondition Failed\n"}},
		{"if-modified-since same", "GET", map[string]string{"If-Modified-Since": lastMod},
			result{304, nil, ""}},
		{"if-modified-since earlier", "GET", map[string]string{"If-Modified-Since": before},
			result{200, nil, "0123456789"}},
		{"if-unmodified-since earlier", "GET", map[string]string{"If-Unmodified-Since": before},
			result{412, nil, "412 Precondition Failed\n"}},
		{"if-range etag", "GET", map[string]string{"Range": "bytes=1-2", "If-Range": etag},
			result{206, nil, "12"}},
		{"if-range other etag", "GET", map[string]string{"Range": "bytes=1-2", "If-Range": `"other"`},
			result{200, nil, "0123456789"}},
		{"if-range date", "GET", map[string]string{"Range": "bytes=1-2", "If-Range": lastMod},
			result{206, nil, "12"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := do(tt.method, "/digits.txt", tt.header, headerNames(tt.want.Header)...)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestMultipartRange(t *testing.T) {
	fsys := memSite(t, map[string]string{"/digits.txt": "0123456789"})
	srvDo := serve(t, &staticfs.Handler{FS: fsys})
	got := srvDo("GET", "/digits.txt", map[string]string{"Range": "bytes=0-1,5-6"}, "Content-Type")
	if got.Status != 206 {
		t.Fatalf("status = %d, want 206", got.Status)
	}
	mediaType, params, err := mime.ParseMediaType(got.Header["Content-Type"])
	if err != nil || mediaType != "multipart/byteranges" {
		t.Fatalf("Content-Type = %q, want multipart/byteranges", got.Header["Content-Type"])
	}
	type part struct{ ContentType, ContentRange, Body string }
	var parts []part
	mr := multipart.NewReader(strings.NewReader(got.Body), params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p)
		parts = append(parts, part{p.Header.Get("Content-Type"), p.Header.Get("Content-Range"), string(b)})
	}
	want := []part{
		{text, "bytes 0-1/10", "01"},
		{text, "bytes 5-6/10", "56"},
	}
	if diff := cmp.Diff(want, parts); diff != "" {
		t.Errorf("parts (-want +got):\n%s", diff)
	}
}

// TestETagFollowsFile checks that the ETag changes with the size and with
// the modification time, and stays put otherwise.
func TestETagFollowsFile(t *testing.T) {
	fsys := memSite(t, map[string]string{"/f.txt": "aaaa"})
	do := serve(t, &staticfs.Handler{FS: fsys, RevalidateInterval: -1})
	etag := func() string { return do("GET", "/f.txt", nil, "Etag").Header["Etag"] }

	first := etag()
	if again := etag(); again != first {
		t.Errorf("ETag changed without a change: %q then %q", first, again)
	}
	afero.WriteFile(fsys, "/f.txt", []byte("bbbb"), 0o644)
	fsys.Chtimes("/f.txt", modTime, modTime.Add(time.Nanosecond))
	touched := etag()
	afero.WriteFile(fsys, "/f.txt", []byte("bbbbb"), 0o644)
	fsys.Chtimes("/f.txt", modTime, modTime.Add(time.Nanosecond))
	grown := etag()
	if first == touched || touched == grown || first == grown {
		t.Errorf("ETags %q, %q, %q: want three distinct values", first, touched, grown)
	}
}
