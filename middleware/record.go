package middleware

import (
	"io"
	"os"
	"sync"
)

// recordPool holds the buffers log records are built in.
var recordPool = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

// maxPooledRecord bounds the buffers recordPool keeps: a record built
// from a 1 MiB head is not worth holding on to.
const maxPooledRecord = 64 << 10

// newRecord returns an empty pooled buffer to build one record in.
func newRecord() *[]byte {
	rec := recordPool.Get().(*[]byte)
	*rec = (*rec)[:0]
	return rec
}

// writeRecord writes a record built in a newRecord buffer to out
// (os.Stderr when nil) with a single Write under mu, so records of
// concurrent requests never interleave, and gives the buffer back.
func writeRecord(mu *sync.Mutex, out io.Writer, rec *[]byte) {
	if out == nil {
		out = os.Stderr
	}
	mu.Lock()
	out.Write(*rec)
	mu.Unlock()
	if cap(*rec) <= maxPooledRecord {
		recordPool.Put(rec)
	}
}
