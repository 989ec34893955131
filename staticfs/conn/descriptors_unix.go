//go:build unix

package conn

import "syscall"

// descriptorLimit returns the process's soft limit on open files, or 0
// when it cannot be read or is unlimited.
func descriptorLimit() uint64 {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil || rl.Cur > 1<<30 {
		return 0
	}
	return uint64(rl.Cur)
}
