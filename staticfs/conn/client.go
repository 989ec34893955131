package conn

import (
	"net"
	"net/netip"
)

// clientKey returns the client an address counts for under
// MaxConnsPerClient: the IPv4 address, or the /64 prefix of an IPv6 one
// (as its address with the last 64 bits zero). IPv4-mapped IPv6
// addresses count as IPv4. It reports false for addresses that are not
// IP (Unix sockets, pipes).
func clientKey(a net.Addr) (netip.Addr, bool) {
	var ip netip.Addr
	switch a := a.(type) {
	case *net.TCPAddr:
		ip, _ = netip.AddrFromSlice(a.IP)
	case nil:
		return netip.Addr{}, false
	default:
		ap, err := netip.ParseAddrPort(a.String())
		if err != nil {
			return netip.Addr{}, false
		}
		ip = ap.Addr()
	}
	if !ip.IsValid() {
		return netip.Addr{}, false
	}
	ip = ip.Unmap().WithZone("")
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		ip = p.Addr()
	}
	return ip, true
}

// admitClient counts nc for its client, for MaxConnsPerClient and for
// shedding, and reports whether the client is within MaxConnsPerClient.
// The key it returns is what to forget when the connection closes: the
// zero Addr when nothing was counted.
func (l *Listener) admitClient(nc net.Conn) (netip.Addr, bool) {
	max := l.policy.MaxConnsPerClient
	key, ok := clientKey(nc.RemoteAddr())
	if !ok {
		return netip.Addr{}, true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if max > 0 && l.clients[key] >= max {
		return netip.Addr{}, false
	}
	l.clients[key]++
	return key, true
}

// forgetClient undoes admitClient for a connection that was not handed
// out after all.
func (l *Listener) forgetClient(key netip.Addr) {
	l.mu.Lock()
	l.forgetClientLocked(key)
	l.mu.Unlock()
}

func (l *Listener) forgetClientLocked(key netip.Addr) {
	if !key.IsValid() {
		return
	}
	if n := l.clients[key] - 1; n > 0 {
		l.clients[key] = n
	} else {
		delete(l.clients, key)
	}
}
