package coding

import "sync/atomic"

// Accepted is an Accept-Encoding list read once: the weight it gives
// each coding this package encodes, and "*". Weight answers for any
// other coding (a sidecar's, say) from the list itself.
type Accepted struct {
	list              string
	br, zstd, gzip, q float64 // q: the weight of "*"
	set               uint8   // which of br, zstd, gzip the list names
}

const (
	setBr = 1 << iota
	setZstd
	setGzip
)

// ParseAccept reads an Accept-Encoding list. Clients send the same few
// lists over and over, so the last lists read are kept, eight at most,
// and reading one of them again costs a comparison.
func ParseAccept(list string) Accepted {
	slot := &accepted[hashString(list)%uint32(len(accepted))]
	if p := slot.Load(); p != nil && p.list == list {
		return *p
	}
	a := Accepted{list: list}
	EachQ(list, func(token string, q float64) {
		switch token {
		case "br":
			a.br, a.set = q, a.set|setBr
		case "zstd":
			a.zstd, a.set = q, a.set|setZstd
		case "gzip", "x-gzip":
			a.gzip, a.set = q, a.set|setGzip
		case "*":
			a.q = q
		}
	})
	if len(list) <= 256 { // a list longer than any browser's is not kept
		slot.Store(&a)
	}
	return a
}

// accepted keeps the Accepted of recent lists, by hash.
var accepted [8]atomic.Pointer[Accepted]

// hashString is FNV-1a.
func hashString(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

// Weight is how much the list wants the coding, as [Weight] says.
func (a Accepted) Weight(coding string) float64 {
	switch coding {
	case "br":
		return a.pick(setBr, a.br)
	case "zstd":
		return a.pick(setZstd, a.zstd)
	case "gzip":
		return a.pick(setGzip, a.gzip)
	}
	return Weight(a.list, coding)
}

func (a Accepted) pick(bit uint8, q float64) float64 {
	if a.set&bit != 0 {
		return q
	}
	return a.q
}

// Best returns the index, among n codings, of the one the list weighs
// highest (ties go to the earlier), or -1 when it accepts none.
func (a Accepted) Best(n int, coding func(int) string) int {
	best, bestQ := -1, 0.0
	for i := 0; i < n; i++ {
		if q := a.Weight(coding(i)); q > bestQ {
			best, bestQ = i, q
		}
	}
	return best
}
