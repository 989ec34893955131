package middleware

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// versionDiffsFile lists the code points whose repr differs between the
// Lines format and python3 because Go's Unicode tables and Python's
// assign them different categories. TestEveryCodePoint generates it:
// go test -run TestEveryCodePoint -update ./middleware/
var versionDiffsFile = filepath.Join("testdata", "python", "unicode-versions.txt")

// versionDiffs is the set of code points in versionDiffsFile.
type versionDiffs map[rune]bool

func readVersionDiffs(t testing.TB) versionDiffs {
	t.Helper()
	data, err := os.ReadFile(versionDiffsFile)
	if err != nil {
		t.Fatalf("%v (go test -run TestEveryCodePoint -update creates it)", err)
	}
	d := versionDiffs{}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		lo, hi, _ := strings.Cut(f[0], "..")
		if hi == "" {
			hi = lo
		}
		a, err1 := strconv.ParseUint(lo, 16, 32)
		b, err2 := strconv.ParseUint(hi, 16, 32)
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: bad line %q", versionDiffsFile, line)
		}
		for r := rune(a); r <= rune(b); r++ {
			d[r] = true
		}
	}
	return d
}

// touches reports whether head holds one of d's code points.
func (d versionDiffs) touches(head []byte) bool {
	for _, r := range string(head) {
		if d[r] {
			return true
		}
	}
	return false
}

// TestEveryCodePoint sends every code point but the surrogates (which
// UTF-8 cannot carry; invalid UTF-8 has its own cases in pythonHeads) in
// a header value, one header line each, through Lines and through
// python3's print(head.decode("utf-8").splitlines()). The lists must be
// identical except at the code points whose categories differ between
// Go's Unicode version and Python's; those are generated into
// versionDiffsFile, and the test checks that each one's categories do
// differ.
func TestEveryCodePoint(t *testing.T) {
	python := needPython(t)
	t.Parallel()
	head := []byte("GET / HTTP/1.1\r\n")
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !isSurrogate(r) {
			head = append(utf8.AppendRune(append(head, "X: a"...), r), "b\r\n"...)
		}
	}
	head = append(head, "\r\n"...)
	cmd := exec.Command(python, oracleScript, "codepoints")
	cmd.Env = append(os.Environ(), "PYTHONIOENCODING=utf-8")
	cmd.Stdin = bytes.NewReader(head)
	cmd.Stderr = os.Stderr
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}

	// Meanwhile, Lines prints the same head, through the functions Lines
	// is made of, one header line at a time, noting where each code
	// point's elements end: a single call over 1.1 million lines would
	// spend most of the test in the garbage collector.
	var (
		got   = []byte("[")
		ends  = make([]int, 0, unicode.MaxRune) // where each code point's elements end in got
		lines []line
		n     int
	)
	rest := head
	lines = splitHead(lines, rest[:len("GET / HTTP/1.1\r\n")])
	got = appendPyElems(got, lines, &n)
	rest = rest[len("GET / HTTP/1.1\r\n"):]
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if isSurrogate(r) {
			continue
		}
		size := len("X: a") + utf8.RuneLen(r) + len("b\r\n")
		lines = splitHead(lines[:0], rest[:size])
		got = appendPyElems(got, lines, &n)
		ends = append(ends, len(got))
		rest = rest[size:]
	}
	got = append(appendPyElems(got, splitHead(lines[:0], rest), &n), "]\n"...)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("python3: %v", err)
	}
	want, more, _ := bytes.Cut(out.Bytes(), []byte("\n"))
	version, _, _ := bytes.Cut(more, []byte("\n"))
	want = append(want, '\n')

	// The two lists are the same bytes up to a code point whose
	// categories differ; find it, step over its elements on both sides
	// (one, or two where it is a line boundary), and go on.
	var differ []rune
	cps := make([]rune, 0, len(ends))
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !isSurrogate(r) {
			cps = append(cps, r)
		}
	}
	g, p := 0, 0 // offsets in got and want, at the same element
	for {
		i := commonPrefix(got[g:], want[p:])
		if g+i == len(got) && p+i == len(want) {
			break
		}
		// The first code point whose elements end after the divergence.
		k, _ := slices.BinarySearch(ends, g+i+1)
		if k == len(ends) {
			t.Fatalf("the lists differ after the last code point: %.80q vs %.80q", got[g+i:], want[p+i:])
		}
		r := cps[k]
		start := 0
		if k > 0 {
			start = ends[k-1]
		}
		pstart := p + (start - g)
		elems := 1
		if isBoundary(utf8.AppendRune(nil, r)) {
			elems = 2
		}
		pend := pstart
		for range elems {
			_, after := cutPyElem(t, bytes.TrimPrefix(want[pend:], []byte(", ")))
			pend = len(want) - len(after)
		}
		differ = append(differ, r)
		if len(differ) <= 3 {
			t.Logf("U+%04X: Lines %s, python3 %s", r, got[start:ends[k]], want[pstart:pend])
		}
		g, p = ends[k], pend
	}

	// Each difference must be one of categories: ask Python for its own.
	args := []string{oracleScript, "codepoints"}
	for _, r := range differ {
		args = append(args, fmt.Sprintf("%x", r))
	}
	cmd = exec.Command(python, args...)
	cmd.Stdin = strings.NewReader("")
	cats, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	pyCats := strings.Fields(strings.Split(string(cats), "\n")[2])
	var report []string
	for k, r := range differ {
		goCat := goCategory(r)
		if goCat == pyCats[k] {
			t.Errorf("U+%04X: Lines and python3 differ, yet both say category %s", r, goCat)
		}
		report = append(report, fmt.Sprintf("%04X %s %s", r, goCat, pyCats[k]))
	}
	file := fmt.Sprintf("# Code points whose repr differs between middleware.Lines and python3 because\n"+
		"# Go's unicode tables (Unicode %s) and Python's unicodedata (Unicode %s)\n"+
		"# give them different categories: code point(s), Go's category, Python's.\n"+
		"# Generated by: go test -run TestEveryCodePoint -update ./middleware/\n%s",
		unicode.Version, version, strings.Join(mergeRanges(report), ""))
	if *update {
		if err := os.WriteFile(versionDiffsFile, []byte(file), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(versionDiffsFile)
	if err != nil {
		t.Fatalf("%v (go test -run TestEveryCodePoint -update creates it)", err)
	}
	if diff := cmp.Diff(string(data), file); diff != "" {
		t.Errorf("the code points that differ changed (-%s +now):\n%s", versionDiffsFile, diff)
	}
}

// goCategory names the Unicode general category Go's tables give r
// (never the LC group), "Cn" for none.
func goCategory(r rune) string {
	for name, table := range unicode.Categories {
		if len(name) == 2 && name != "LC" && unicode.Is(table, r) {
			return name
		}
	}
	return "Cn"
}

// mergeRanges turns "CODE GoCat PyCat" entries, ascending, into lines
// with runs of consecutive code points of equal categories merged into
// "LO..HI GoCat PyCat".
func mergeRanges(entries []string) []string {
	var out []string
	var lo, prev rune = -1, -1
	var cats string
	flush := func() {
		if lo < 0 {
			return
		}
		if lo == prev {
			out = append(out, fmt.Sprintf("%04X%s\n", lo, cats))
		} else {
			out = append(out, fmt.Sprintf("%04X..%04X%s\n", lo, prev, cats))
		}
	}
	for _, e := range entries {
		code, c, _ := strings.Cut(e, " ")
		n, _ := strconv.ParseUint(code, 16, 32)
		r := rune(n)
		c = " " + c
		if r == prev+1 && c == cats {
			prev = r
			continue
		}
		flush()
		lo, prev, cats = r, r, c
	}
	flush()
	return out
}

// commonPrefix returns the length of the longest common prefix of a and
// b, comparing blocks at a time.
func commonPrefix(a, b []byte) int {
	n := 0
	for len(a) > 0 && len(b) > 0 {
		m := min(len(a), len(b), 4096)
		if bytes.Equal(a[:m], b[:m]) {
			a, b, n = a[m:], b[m:], n+m
			continue
		}
		for i := range m {
			if a[i] != b[i] {
				return n + i
			}
		}
	}
	return n
}

func isSurrogate(r rune) bool { return r >= 0xd800 && r < 0xe000 }

// isBoundary reports whether the encoded character c is a line boundary
// of str.splitlines().
func isBoundary(c []byte) bool {
	i, _ := pyLineBreak(c)
	return i >= 0
}

// cutPyElem cuts the first str repr, quotes included, off a printed
// Python list's remainder.
func cutPyElem(t *testing.T, s []byte) (elem, rest []byte) {
	t.Helper()
	if len(s) == 0 || s[0] != '\'' && s[0] != '"' {
		t.Fatalf("no str repr at %.80q", s)
	}
	i := 1
	for i < len(s) && s[i] != s[0] {
		if s[i] == '\\' {
			i++
		}
		i++
	}
	if i >= len(s) {
		t.Fatalf("unterminated str repr: %.80q", s)
	}
	return s[:i+1], s[i+1:]
}
