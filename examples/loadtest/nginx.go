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
// a free loopback port, pinned like the Go servers, and returns its
// address and a function that stops it.
func startNginx(dir, tmp string) (addr string, pid int, stop func(), err error) {
	bin, err := exec.LookPath("nginx")
	if err != nil {
		return "", 0, nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", 0, nil, err
	}
	addr = ln.Addr().String()
	ln.Close()
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
	types { text/css css; application/octet-stream bin; }
	server { listen %[2]s; root %[3]s; }
}
`, tmp, addr, dir)), 0o644)
	if err != nil {
		return "", 0, nil, err
	}
	args := []string{"-c", conf, "-p", tmp}
	cmd := exec.Command(bin, args...)
	if pinCPUs {
		if ts, err := exec.LookPath("taskset"); err == nil {
			cmd = exec.Command(ts, append([]string{"-c", "0", bin}, args...)...)
		}
	}
	if err := cmd.Start(); err != nil {
		return "", 0, nil, err
	}
	stop = func() {
		// SIGTERM: the master stops its workers, then exits. SIGKILL
		// would leave the workers running.
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
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return addr, cmd.Process.Pid, stop, nil
		}
	}
	stop()
	return "", 0, nil, fmt.Errorf("nginx did not listen on %s", addr)
}
