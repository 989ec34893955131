package main

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"
)

// startNginx runs nginx (2 workers, sendfile, no access log) over dir on
// two free loopback ports, pinned like the Go servers, and returns their
// addresses and a function that stops it: addr without compression,
// gzipAddr with "gzip on" at nginx's default level (gzip_comp_level 1)
// for the text types.
func startNginx(dir, tmp string) (addr, gzipAddr string, pid int, stop func(), err error) {
	bin, err := exec.LookPath("nginx")
	if err != nil {
		return "", "", 0, nil, err
	}
	if addr, err = freeAddr(); err != nil {
		return "", "", 0, nil, err
	}
	if gzipAddr, err = freeAddr(); err != nil {
		return "", "", 0, nil, err
	}
	conf := filepath.Join(tmp, "nginx.conf")
	err = os.WriteFile(conf, []byte(fmt.Sprintf(`daemon off;
worker_processes 2;
pid %[1]s/nginx.pid;
error_log %[1]s/nginx-error.log;
events { worker_connections 4096; }
http {
	access_log off;
	sendfile on;
	tcp_nopush on;
	keepalive_requests 1000000;
	client_body_temp_path %[1]s;
	proxy_temp_path %[1]s;
	fastcgi_temp_path %[1]s;
	uwsgi_temp_path %[1]s;
	scgi_temp_path %[1]s;
	types { text/css css; application/octet-stream bin; text/html html; text/plain txt; }
	server { listen %[2]s; root %[3]s; }
	server {
		listen %[4]s; root %[3]s;
		gzip on; gzip_types text/css text/plain; gzip_min_length 512;
	}
}
`, tmp, addr, dir, gzipAddr)), 0o644)
	if err != nil {
		return "", "", 0, nil, err
	}
	pid, stop, err = startPinned(bin, []string{"-c", conf, "-p", tmp}, nil)
	if err != nil {
		return "", "", 0, nil, err
	}
	if err := waitListening(addr); err != nil {
		stop()
		return "", "", 0, nil, fmt.Errorf("nginx: %w", err)
	}
	return addr, gzipAddr, pid, stop, nil
}

// startPinned starts bin with args (and env added to this process's),
// on CPU 0 when the servers are pinned, and returns its pid and a
// function that stops it: SIGTERM, which lets nginx's master stop its
// workers (SIGKILL would leave them running), then SIGKILL after 5 s.
func startPinned(bin string, args, env []string) (int, func(), error) {
	cmd := exec.Command(bin, args...)
	if pinCPUs {
		if ts, err := exec.LookPath("taskset"); err == nil {
			cmd = exec.Command(ts, append([]string{"-c", "0", bin}, args...)...)
		}
	}
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	if err := cmd.Start(); err != nil {
		return 0, nil, err
	}
	stop := func() {
		cmd.Process.Signal(syscall.SIGTERM)
		exited := make(chan struct{})
		go func() { cmd.Wait(); close(exited) }()
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
	}
	return cmd.Process.Pid, stop, nil
}

// freeAddr returns a loopback address with a port free now.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// waitListening waits up to 5 s for addr to accept connections.
func waitListening(addr string) error {
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return nil
		}
	}
	return fmt.Errorf("nothing listens on %s", addr)
}
