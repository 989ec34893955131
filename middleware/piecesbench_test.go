package middleware_test

import (
	"net/http"
	"testing"

	"github.com/webstatic/webstatic/internal/tcpbench"
	"github.com/webstatic/webstatic/middleware"
)

// BenchmarkPiecesOverTCP measures CORS, SecurityHeaders and Health where
// they run: a staticfs.Handler serving a 1 KiB file to a keep-alive
// HTTP/1.1 client over loopback. ns/op is a whole request, client
// included; compare each piece with "bare".
func BenchmarkPiecesOverTCP(b *testing.B) {
	site := newSite()
	for _, bc := range []struct {
		name string
		h    http.Handler
	}{
		{"bare", site},
		{"CORS", (&middleware.CORS{AllowedOrigins: []string{"https://*.example.com"}}).Wrap(site)},
		{"CORSNoExpose", (&middleware.CORS{AllowedOrigins: []string{"https://*.example.com"}, ExposedHeaders: []string{}}).Wrap(site)},
		{"SecurityHeaders", (&middleware.SecurityHeaders{}).Wrap(site)},
		{"SecurityHeadersNoReferrer", (&middleware.SecurityHeaders{Omit: []string{"Referrer-Policy"}}).Wrap(site)},
		{"SecurityHeadersNoCSP", (&middleware.SecurityHeaders{Omit: []string{"Content-Security-Policy"}}).Wrap(site)},
		{"Health", (&middleware.Health{}).Wrap(site)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			tcpbench.Run(b, bc.h, tcpbench.Plain, []byte("GET /file.txt HTTP/1.1\r\nHost: bench\r\nUser-Agent: bench/1.0\r\nOrigin: https://app.example.com\r\nAccept: */*\r\n\r\n"))
		})
	}
}
