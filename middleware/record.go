package middleware

import (
	"io"
	"os"
	"sync"
)

var recordPool = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

// writeRecord builds one log record in a pooled buffer and writes it to
// out (os.Stderr when nil) with a single Write under mu, so records of
// concurrent requests never interleave.
func writeRecord(mu *sync.Mutex, out io.Writer, build func(dst []byte) []byte) {
	bp := recordPool.Get().(*[]byte)
	buf := build((*bp)[:0])
	if out == nil {
		out = os.Stderr
	}
	mu.Lock()
	out.Write(buf)
	mu.Unlock()
	*bp = buf
	recordPool.Put(bp)
}
