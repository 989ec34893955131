// Package meter serves a request through a ResponseWriter that records
// the response's final status and body bytes, for the access log
// (middleware) and the request metrics (middleware/metrics).
package meter
