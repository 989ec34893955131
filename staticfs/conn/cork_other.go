//go:build !linux

package conn

import "net"

// setCork corks nothing outside Linux.
func setCork(net.Conn, bool) bool { return false }
