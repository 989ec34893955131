//go:build !unix

package conn

// descriptorLimit returns 0: there is no descriptor limit to read.
func descriptorLimit() uint64 { return 0 }
