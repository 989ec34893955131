package middleware

import (
	"strconv"

	"github.com/webstatic/webstatic/staticfs/conn"
)

// LogRejected logs a request head that net/http refused before any
// handler ran (see [conn.Rejected]): in the log's Format, redacted and
// escaped like any other, after a separator line that gives the status
// net/http answered:
//
//	>>>> conn 7 request 1 127.0.0.1:51234 (rejected: 400 Bad Request: invalid header value)
//
// The Article format has no separator line: it prints the head exactly
// as the article's server, which has no parser, would print it.
//
// Its signature is that of conn.Policy.OnRejected:
//
//	log := &middleware.HeaderLog{Format: middleware.Lines}
//	policy := conn.Policy{CaptureHeaders: true, OnRejected: log.LogRejected}
//	go policy.Serve(&http.Server{Handler: log.Wrap(h)}, tcp)
func (l *HeaderLog) LogRejected(rej conn.Rejected) {
	l.once.Do(func() { l.redactor = newRedactor(l.Redact, l.ShowCredentials) })
	lines := splitHead(nil, rej.Head)
	l.redactor.apply(lines)
	rec := newRecord()
	if l.Format != Article {
		note := "rejected: " + strconv.Itoa(rej.Status) + " " + string(appendEscaped(nil, []byte(rej.Response)))
		if len(rej.Head) == 0 {
			note += "; nothing captured"
		}
		*rec = l.Format.endSeparator(appendSeparatorFor(*rec, rej.Info, true, rej.RemoteAddr, note), lines)
	}
	*rec = l.Format.appendHead(*rec, lines)
	writeRecord(&l.mu, l.Out, rec)
}
