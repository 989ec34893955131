package middleware

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"flag"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// The tests in this file compare the Python formats with a real python3
// running testdata/python/article.py, the article's own print calls.

// oracleScript is the Python side of every comparison.
var oracleScript = filepath.Join("testdata", "python", "article.py")

// needPython returns python3's path. Outside CI a missing python3 skips
// the test; under CI=true it fails it (.ci/run installs python3-minimal).
func needPython(t testing.TB) string {
	t.Helper()
	path, err := exec.LookPath("python3")
	if err == nil {
		return path
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("python3 not installed; CI must install python3-minimal")
	}
	t.Skip("python3 not installed (apt-get install python3-minimal): skipping the comparison with Python")
	return ""
}

// pyOracle is a running "article.py serve": one head in, what the
// article's server prints for it out.
type pyOracle struct {
	mu  sync.Mutex // guards in and out: one exchange at a time
	in  io.WriteCloser
	out *bufio.Reader
}

// startOracle starts article.py serve for the test's lifetime.
func startOracle(t testing.TB) *pyOracle {
	t.Helper()
	cmd := exec.Command(needPython(t), oracleScript, "serve")
	cmd.Env = append(os.Environ(), "PYTHONIOENCODING=utf-8")
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.Close(); cmd.Wait() })
	return &pyOracle{in: in, out: bufio.NewReader(out)}
}

// prints returns what article.py prints for head.
func (o *pyOracle) prints(t testing.TB, head []byte) string {
	t.Helper()
	o.mu.Lock()
	defer o.mu.Unlock()
	msg := binary.BigEndian.AppendUint32(nil, uint32(len(head)))
	if _, err := o.in.Write(append(msg, head...)); err != nil {
		t.Fatalf("python3: %v", err)
	}
	var n [4]byte
	if _, err := io.ReadFull(o.out, n[:]); err != nil {
		t.Fatalf("python3: %v", err)
	}
	text := make([]byte, binary.BigEndian.Uint32(n[:]))
	if _, err := io.ReadFull(o.out, text); err != nil {
		t.Fatalf("python3: %v", err)
	}
	return string(text)
}

// cutHead returns data up to the blank line that ends a head (all of it
// if there is none), as the log sees a head: the bytes after it are a
// body or the next request.
func cutHead(data []byte) []byte {
	n := 0
	for _, l := range splitHead(nil, data) {
		n += len(l.text) + len(l.eol)
	}
	return data[:n]
}

// goPrints is the log's counterpart of article.py's output: the Bytes
// block, then the Article block, of the unredacted head.
func goPrints(head []byte) string {
	lines := splitHead(nil, head)
	out := Bytes.appendHead(nil, lines)
	return string(Article.appendHead(out, lines))
}

// pythonHeads covers every rule of the Python formats: the final empty str,
// both line endings, each splitlines() boundary, the quote choice, each
// escape, what isprintable() rejects, invalid UTF-8 and a head cut short.
var pythonHeads = []string{
	"GET / HTTP/1.1\r\nHost: h\r\n\r\n",
	"GET / HTTP/1.1\nHost: h\nAccept: */*\n\n",
	"GET /caf%C3%A9?q=1 HTTP/1.0\r\nhost: h\r\nX-Dup: 1\nx-dup: 2\r\n\r\n",
	"GET / HTTP/1.1\r\nX: a\vb\fc\x1cd\x1de\x1ef\rg\u0085h\u2028i\u2029j\r\n\r\n",
	"GET / HTTP/1.1\r\nX: end\v\r\nY: cr\r\r\nZ: \x1e\n\r\n",
	"GET / HTTP/1.1\r\nX: it's\r\n\r\n",
	"GET / HTTP/1.1\r\nX: it's \"q\"\r\nY: \"only\"\r\n\r\n",
	"GET / HTTP/1.1\r\nX: back\\slash \\x41 \\n\r\n\r\n",
	"GET / HTTP/1.1\r\nX: \t\x00\x01\x1b[2J\x7f\r\n\r\n",
	"GET / HTTP/1.1\r\nX: \u0080\u009f\u00a0\u00ad\u00e9\u00ff\u0100\r\n\r\n",
	"GET / HTTP/1.1\r\nX: \u200b\u200d\u200e\u202e\u2066\u2060\ufeff\u3000\u1680\r\n\r\n",
	"GET / HTTP/1.1\r\nX: \ue000\U000f0000\U0010ffff\U000e0041\U000e007f\r\n\r\n",
	"GET / HTTP/1.1\r\nX: \U0001f600 \u4e2d\u6587 \u0301e \ufffd \U0001d11e\r\n\r\n",
	"GET / HTTP/1.1\r\nX: caf\xe9 \xff\xfe \x85 \xc2 \xe2\x80 \xed\xa0\x80 \xf4\x90\x80\x80 \xc0\xaf\r\n\r\n",
	"GET / HTTP/1.1\r\nX: \xc2\u0085 \xf0\u2028\r\n\r\n",
	"GET / HTTP/1.1\r\nX: cut",
	"GET / HTTP/1.1\r\nX: cut\v",
	"GET / HTTP/1.1\r\n X: folded\r\n\tcontinued\r\n\r\n",
}

// TestPythonPrints compares the formats with python3 for pythonHeads.
func TestPythonPrints(t *testing.T) {
	o := startOracle(t)
	for _, head := range pythonHeads {
		if got, want := goPrints([]byte(head)), o.prints(t, []byte(head)); got != want {
			t.Errorf("head %q:\npython3:\n%s\nlog:\n%s", head, want, got)
		}
	}
}

// corpusEntry is a line of testdata/python/corpus.jsonl.
type corpusEntry struct {
	Head string `json:"head"` // hex
	Out  string `json:"out"`
}

// readCorpus reads the heads article.py generated and what it printed
// for them, keyed by head.
func readCorpus(t testing.TB) map[string]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "python", "corpus.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	corpus := map[string]string{}
	for _, line := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		var e corpusEntry
		if err := json.Unmarshal(line, &e); err != nil {
			t.Fatal(err)
		}
		head, err := hex.DecodeString(e.Head)
		if err != nil {
			t.Fatal(err)
		}
		corpus[string(head)] = e.Out
	}
	return corpus
}

// FuzzPython formats arbitrary heads and compares them with what Python
// prints. The seeds are testdata/python/corpus.jsonl, random heads that
// article.py generated, with its output checked in, so that a plain go
// test needs no python3 (regenerate: cd testdata/python && python3
// article.py corpus > corpus.jsonl). With -fuzz, new inputs are sent to a
// live python3. Heads holding a character whose category differs between
// Go's and Python's Unicode versions are not compared.
func FuzzPython(f *testing.F) {
	corpus := readCorpus(f)
	for head := range corpus {
		f.Add([]byte(head))
	}
	var oracle *pyOracle
	if fuzzing := flag.Lookup("test.fuzz"); fuzzing != nil && fuzzing.Value.String() != "" {
		oracle = startOracle(f)
	}
	diffs := readVersionDiffs(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		head := cutHead(data)
		want, ok := corpus[string(head)]
		if !ok {
			if oracle == nil {
				t.Skip("a head outside the corpus needs python3: run with -fuzz")
			}
			want = oracle.prints(t, head)
		}
		if got := goPrints(head); got != want && !diffs.touches(head) {
			t.Errorf("head %q:\npython3:\n%s\nlog:\n%s", head, want, got)
		}
	})
}
