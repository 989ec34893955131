package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// caddyVersion is the Caddy the compression scenarios compare with:
//
//	go install github.com/caddyserver/caddy/v2/cmd/caddy@v2.11.9
const caddyVersion = "v2.11.9"

// findCaddy looks for caddy on PATH, then in the Go bin directory that
// go install uses.
func findCaddy() (string, error) {
	if p, err := exec.LookPath("caddy"); err == nil {
		return p, nil
	}
	for _, dir := range []string{os.Getenv("GOBIN"), filepath.Join(os.Getenv("GOPATH"), "bin"), filepath.Join(os.Getenv("HOME"), "go", "bin")} {
		if p := filepath.Join(dir, "caddy"); dir != "" && isExecutable(p) {
			return p, nil
		}
	}
	return "", fmt.Errorf("caddy not found (go install github.com/caddyserver/caddy/v2/cmd/caddy@%s)", caddyVersion)
}

func isExecutable(p string) bool {
	info, err := os.Stat(p)
	return err == nil && info.Mode().IsRegular() && info.Mode()&0o111 != 0
}

// startCaddy runs Caddy's file_server with "encode gzip" over dir on a
// free loopback port, pinned like the Go servers, with no admin endpoint,
// no HTTPS and no access log, and returns its address and a function
// that stops it.
func startCaddy(dir, tmp string) (addr string, pid int, stop func(), err error) {
	bin, err := findCaddy()
	if err != nil {
		return "", 0, nil, err
	}
	if addr, err = freeAddr(); err != nil {
		return "", 0, nil, err
	}
	conf := filepath.Join(tmp, "Caddyfile")
	err = os.WriteFile(conf, []byte(fmt.Sprintf(`{
	admin off
	auto_https off
	persist_config off
	storage file_system %[1]s/caddy
}
http://%[2]s {
	root * %[3]s
	encode gzip
	file_server
}
`, tmp, addr, dir)), 0o644)
	if err != nil {
		return "", 0, nil, err
	}
	pid, stop, err = startPinned(bin, []string{"run", "--config", conf, "--adapter", "caddyfile"},
		[]string{"HOME=" + tmp, "XDG_DATA_HOME=" + tmp, "XDG_CONFIG_HOME=" + tmp})
	if err != nil {
		return "", 0, nil, err
	}
	if err := waitListening(addr); err != nil {
		stop()
		return "", 0, nil, fmt.Errorf("caddy: %w", err)
	}
	return addr, pid, stop, nil
}
