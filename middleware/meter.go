package middleware

import (
	"io"
	"net/http"
	"sync"

	"github.com/felixge/httpsnoop"
)

// meter records a response's status and body size through httpsnoop
// hooks, as httpsnoop.CaptureMetrics does. Its hook functions are made
// once, with the meter, and the meter is pooled: CaptureMetrics makes
// three hook closures per request and a new closure on every Write,
// which cost the access log more than formatting its line. A meter is
// reused after its request, which net/http allows: a ResponseWriter may
// not be used once ServeHTTP has returned.
type meter struct {
	code        int   // status of the response; 200 unless WriteHeader said otherwise
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
		// 1xx responses are interim; the status logged is the final one.
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

// measure serves r with next through a metered writer and sets e's
// status and body bytes, also when next panics: then the status is 0 if
// next wrote none.
func measure(next http.Handler, w http.ResponseWriter, r *http.Request, e *accessEntry) {
	m := meterPool.Get().(*meter)
	m.code, m.written, m.wroteHeader = http.StatusOK, 0, false
	returned := false
	defer func() {
		e.status, e.bytes = m.code, m.written
		if !returned && !m.wroteHeader {
			e.status = 0
		}
		m.nextWrite, m.nextWriteHeader, m.nextReadFrom = nil, nil, nil
		meterPool.Put(m)
	}()
	next.ServeHTTP(httpsnoop.Wrap(w, m.hooks), r)
	returned = true
}
