// Package tcpbench runs the benchmarks that measure a handler where it
// runs: one keep-alive HTTP/1.1 client sending the same request over
// loopback, each response read whole. ns/op is a whole request, client
// included, so compare sub-benchmarks with each other, not with zero.
package tcpbench
