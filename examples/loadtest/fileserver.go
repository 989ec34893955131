package main

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"time"
)

// fileserverRows are the reference server's rows of the pieces
// scenario: the bare server (no header log) and one piece each. Metrics
// are measured here only, through the reference server: the Prometheus
// client lives in a module of its own, which this one must not import.
var fileserverRows = []string{"fileserver", "fileserver+cors", "fileserver+securityheaders", "fileserver+health", "fileserver+metrics"}

// fileserverArgs returns the flags of a fileserverRows row beside -addr
// and the root; metricsAddr is the -metrics listener's.
func fileserverArgs(name, metricsAddr string) []string {
	switch name {
	case "fileserver+cors":
		return []string{"-cors", "https://a.example"}
	case "fileserver+securityheaders":
		return []string{"-security-headers"}
	case "fileserver+health":
		return []string{"-health", "/healthz"}
	case "fileserver+metrics":
		return []string{"-metrics", metricsAddr}
	}
	return nil
}

// startFileservers builds the reference server into tmp (go build, from
// the repository's workspace) and runs one per fileserverRows row over
// dir, pinned like the Go servers, with -log-headers off. It returns the
// servers, their CPU read from /proc, and a function that stops them.
func startFileservers(dir, tmp string) (map[string]server, func(), error) {
	bin := filepath.Join(tmp, "fileserver")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/webstatic/webstatic/examples/fileserver").CombinedOutput(); err != nil {
		return nil, nil, fmt.Errorf("go build the reference server: %v: %s", err, out)
	}
	servers := map[string]server{}
	var stops []func()
	stop := func() {
		for _, s := range stops {
			s()
		}
	}
	for _, name := range fileserverRows {
		addr, err := freeAddr()
		if err != nil {
			stop()
			return nil, nil, err
		}
		metricsAddr, err := freeAddr()
		if err != nil {
			stop()
			return nil, nil, err
		}
		args := append([]string{"-addr", addr, "-root", dir, "-log-headers", "off"}, fileserverArgs(name, metricsAddr)...)
		pid, stopOne, err := startPinned(bin, args, nil)
		if err != nil {
			stop()
			return nil, nil, err
		}
		stops = append(stops, stopOne)
		if err := waitListening(addr); err != nil {
			stop()
			return nil, nil, fmt.Errorf("%s: %w", name, err)
		}
		servers[name] = server{name, "http://" + addr, func() time.Duration { return treeCPU(pid) }}
	}
	return servers, stop, nil
}

// needsFileserver reports whether a scenario that measures the reference
// server will run.
func needsFileserver(o options) bool {
	for _, sc := range scenarios(o) {
		for _, name := range fileserverRows {
			if slices.Contains(sc.servers, name) && selected(o.servers, name) {
				return true
			}
		}
	}
	return false
}
