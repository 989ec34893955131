// Package coding holds what package staticfs and package middleware share
// about content codings: the Accept-Encoding negotiation (RFC 9110,
// section 12.5.3), which media types are worth compressing, and pooled
// encoders for gzip, zstd and Brotli.
package coding
