package main

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// CPU time is the second measure beside throughput: with the servers on
// one core and the load tool on the other, a server that is not the
// bottleneck shows its cost per request here and not in req/s.

// selfCPU returns the user and system time this process (the Go servers)
// has used.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// clockTick is the unit of /proc/PID/stat times (USER_HZ, 100 on Linux).
const clockTick = 10 * time.Millisecond

// treeCPU returns the user and system time used by process pid and its
// children (nginx's master and workers), read from /proc.
func treeCPU(pid int) time.Duration {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return 0
	}
	var total time.Duration
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		ppid, cpu, ok := procStat(p)
		if ok && (p == pid || ppid == pid) {
			total += cpu
		}
	}
	return total
}

// procStat reads a process's parent and CPU time from /proc/PID/stat.
func procStat(pid int) (ppid int, cpu time.Duration, ok bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, 0, false
	}
	// The command name, in parentheses, may hold spaces: fields start
	// after its closing parenthesis, with field 3 (state) first.
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return 0, 0, false
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0, 0, false
	}
	ppid, _ = strconv.Atoi(f[1])    // field 4
	utime, _ := strconv.Atoi(f[11]) // field 14
	stime, _ := strconv.Atoi(f[12]) // field 15
	return ppid, time.Duration(utime+stime) * clockTick, true
}
