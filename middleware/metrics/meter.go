package metrics

import (
	"io"
	"net/http"
	"sync"

	"github.com/felixge/httpsnoop"
)

// meter records a response's status and body bytes through httpsnoop
// hooks, as httpsnoop.CaptureMetrics does, at a fraction of its cost:
// the hook functions are made once, with the meter, and meters are
// pooled, where CaptureMetrics makes three closures per request and one
// on every Write (the access log's meter in middleware/meter.go does the
// same, for the same reason). A meter is reused after its request, which
// net/http allows: a ResponseWriter may not be used once ServeHTTP has
// returned.
type meter struct {
	code        int   // the final status; 200 unless WriteHeader said otherwise
	written     int64 // body bytes the handler wrote
	wroteHeader bool  // the status is final

	hooks           httpsnoop.Hooks
	nextWrite       httpsnoop.WriteFunc
	nextWriteHeader httpsnoop.WriteHeaderFunc
	nextReadFrom    httpsnoop.ReadFromFunc
	write           httpsnoop.WriteFunc
	writeHeader     httpsnoop.WriteHeaderFunc
	readFrom        httpsnoop.ReadFromFunc
}

var meterPool = sync.Pool{New: func() any { return newMeter() }}

func newMeter() *meter {
	m := &meter{}
	m.writeHeader = func(code int) {
		m.nextWriteHeader(code)
		// 1xx responses are interim; the status counted is the final one.
		if !m.wroteHeader && (code < 100 || code > 199) {
			m.code, m.wroteHeader = code, true
		}
	}
	m.write = func(p []byte) (int, error) {
		n, err := m.nextWrite(p)
		m.written += int64(n)
		m.wroteHeader = true
		return n, err
	}
	m.readFrom = func(src io.Reader) (int64, error) {
		n, err := m.nextReadFrom(src)
		m.written += n
		m.wroteHeader = true
		return n, err
	}
	m.hooks = httpsnoop.Hooks{
		WriteHeader: func(next httpsnoop.WriteHeaderFunc) httpsnoop.WriteHeaderFunc {
			m.nextWriteHeader = next
			return m.writeHeader
		},
		Write: func(next httpsnoop.WriteFunc) httpsnoop.WriteFunc {
			m.nextWrite = next
			return m.write
		},
		ReadFrom: func(next httpsnoop.ReadFromFunc) httpsnoop.ReadFromFunc {
			m.nextReadFrom = next
			return m.readFrom
		},
	}
	return m
}

// measure serves r with next through a metered writer, which keeps w's
// optional interfaces (httpsnoop), and returns the final status and the
// body bytes written.
func measure(next http.Handler, w http.ResponseWriter, r *http.Request) (code int, written int64) {
	m := meterPool.Get().(*meter)
	m.code, m.written, m.wroteHeader = http.StatusOK, 0, false
	defer func() {
		m.nextWrite, m.nextWriteHeader, m.nextReadFrom = nil, nil, nil
		meterPool.Put(m)
	}()
	next.ServeHTTP(httpsnoop.Wrap(w, m.hooks), r)
	return m.code, m.written
}
