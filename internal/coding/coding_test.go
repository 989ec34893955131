package coding

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestWeightAndBest(t *testing.T) {
	codings := []string{"br", "zstd", "gzip"}
	tests := []struct {
		ae   string
		want map[string]float64
		best int
	}{
		{"", map[string]float64{"br": 0, "zstd": 0, "gzip": 0}, -1},
		{"gzip", map[string]float64{"br": 0, "zstd": 0, "gzip": 1}, 2},
		{"x-gzip", map[string]float64{"br": 0, "zstd": 0, "gzip": 1}, 2},
		{"GZIP;Q=0.5, br;q=0.4", map[string]float64{"br": 0.4, "zstd": 0, "gzip": 0.5}, 2},
		{"*", map[string]float64{"br": 1, "zstd": 1, "gzip": 1}, 0},
		{"*;q=0.2, zstd", map[string]float64{"br": 0.2, "zstd": 1, "gzip": 0.2}, 1},
		{"gzip;q=0, *", map[string]float64{"br": 1, "zstd": 1, "gzip": 0}, 0},
		{"br;q=2, gzip;q=abc, zstd", map[string]float64{"br": 0, "zstd": 1, "gzip": 0}, 1},
	}
	for _, tt := range tests {
		got := map[string]float64{}
		for _, c := range codings {
			got[c] = Weight(tt.ae, c)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Weight(%q) (-want +got):\n%s", tt.ae, diff)
		}
		if best := ParseAccept(tt.ae).Best(len(codings), func(i int) string { return codings[i] }); best != tt.best {
			t.Errorf("Best(%q) = %d, want %d", tt.ae, best, tt.best)
		}
	}
}

func TestTypeMatches(t *testing.T) {
	tests := map[string]bool{
		"text/html; charset=utf-8": true, "TEXT/CSS": true, "application/json": true,
		"application/ld+json": true, "image/svg+xml": true, "application/wasm": true, "font/ttf": true,
		"image/png": false, "font/woff2": false, "application/zip": false, "video/mp4": false, "": false,
		"application/octet-stream": false,
	}
	for ctype, want := range tests {
		if got := TypeMatches(DefaultTypes(), ctype); got != want {
			t.Errorf("TypeMatches(default, %q) = %v, want %v", ctype, got, want)
		}
	}
}

func TestHeaders(t *testing.T) {
	for _, tc := range []struct {
		before []string
		want   []string
	}{
		{nil, []string{"Accept-Encoding"}},
		{[]string{"Origin"}, []string{"Origin", "Accept-Encoding"}},
		{[]string{"origin, accept-encoding"}, []string{"origin, accept-encoding"}},
		{[]string{"*"}, []string{"*"}},
	} {
		h := http.Header{}
		if tc.before != nil {
			h["Vary"] = append([]string(nil), tc.before...)
		}
		AddVary(h, "Accept-Encoding")
		if diff := cmp.Diff(tc.want, h["Vary"]); diff != "" {
			t.Errorf("AddVary after %q (-want +got):\n%s", tc.before, diff)
		}
	}
	if !NoTransform("public", "max-age=60, No-Transform") || NoTransform("no-store, no-cache") {
		t.Error("NoTransform misreads its directives")
	}
}

func decode(t *testing.T, c string, b []byte) []byte {
	t.Helper()
	out, err := Decode(c, b)
	if err != nil {
		t.Fatalf("%s: %v", c, err)
	}
	return out
}

// TestRoundTrips: what Compress and Stream write decodes to the input,
// for every size class, and every Stream is counted closed.
func TestRoundTrips(t *testing.T) {
	for _, n := range []int{0, 1, 1000, 100 << 10} {
		src := []byte(strings.Repeat("round trip text ", n/16+1))[:n]
		for _, c := range []string{"br", "zstd", "gzip"} {
			b, err := Compress(c, src)
			if err != nil {
				t.Fatal(err)
			}
			if got := decode(t, c, b); !bytes.Equal(got, src) {
				t.Errorf("Compress(%s, %d bytes) decodes to %d bytes", c, n, len(got))
			}
			if !Streamable(c) {
				continue
			}
			var out bytes.Buffer
			s := NewStream(c, &out)
			if _, err := s.ReadFrom(bytes.NewReader(src)); err != nil {
				t.Fatal(err)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			if got := decode(t, c, out.Bytes()); !bytes.Equal(got, src) {
				t.Errorf("Stream(%s, %d bytes) decodes to %d bytes", c, n, len(got))
			}
		}
	}
	if n := OpenStreams(); n != 0 {
		t.Errorf("%d streams left open", n)
	}
}

// TestParseAcceptAgreesWithWeight: the parsed form, from the cache or
// not, weighs every coding as Weight does.
func TestParseAcceptAgreesWithWeight(t *testing.T) {
	lists := []string{"", "gzip", "x-gzip", "GZIP;Q=0.5, br;q=0.4", "*", "*;q=0.2, zstd", "gzip;q=0, *",
		"br;q=2, gzip;q=abc, zstd", "gzip, deflate, br, zstd", "identity", "xz, *;q=0.1"}
	for round := 0; round < 2; round++ {
		for _, list := range lists {
			a := ParseAccept(list)
			for _, c := range []string{"br", "zstd", "gzip", "xz", "deflate"} {
				if got, want := a.Weight(c), Weight(list, c); got != want {
					t.Errorf("round %d, ParseAccept(%q).Weight(%q) = %v, Weight says %v", round, list, c, got, want)
				}
			}
		}
	}
}
