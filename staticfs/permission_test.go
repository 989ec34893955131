package staticfs_test

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/afero"
	"github.com/webstatic/webstatic/staticfs"
)

const permissionDirEnv = "STATICFS_TEST_PERMISSION_ROOT"

// TestPermissionDeniedOnDisk serves real files the server may not read
// and expects 403. Root reads everything, so when the tests run as root
// the check runs in a copy of the test binary started as user nobody.
func TestPermissionDeniedOnDisk(t *testing.T) {
	if root := os.Getenv(permissionDirEnv); root != "" {
		checkPermissionDenied(t, root)
		return
	}
	dir, err := os.MkdirTemp("", "staticfs-permission-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		os.Chmod(filepath.Join(dir, "site", "locked-dir"), 0o755)
		os.RemoveAll(dir)
	})
	root := filepath.Join(dir, "site")
	for name, mode := range map[string]os.FileMode{"open.txt": 0o644, "locked.txt": 0, "locked-dir/x.txt": 0o644} {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(name), mode); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []string{dir, root} {
		if err := os.Chmod(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(filepath.Join(root, "locked-dir"), 0); err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() != 0 {
		checkPermissionDenied(t, root)
		return
	}
	bin := filepath.Join(dir, "staticfs.test")
	copyExecutable(t, os.Args[0], bin)
	cmd := exec.Command(bin, "-test.run=^TestPermissionDeniedOnDisk$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), permissionDirEnv+"="+root)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestPermissionDeniedOnDisk") {
		t.Fatalf("check as user nobody: %v\n%s", err, out)
	}
}

func checkPermissionDenied(t *testing.T, root string) {
	do := serve(t, &staticfs.Handler{FS: afero.NewBasePathFs(afero.NewOsFs(), root)})
	got := map[string]result{}
	for _, target := range []string{"/open.txt", "/locked.txt", "/locked-dir/x.txt"} {
		got[target] = do("GET", target, nil)
	}
	want := map[string]result{
		"/open.txt":         {Status: 200, Body: "open.txt"},
		"/locked.txt":       {Status: 403, Body: "403 Forbidden\n"},
		"/locked-dir/x.txt": {Status: 403, Body: "403 Forbidden\n"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("as uid %d (-want +got):\n%s", os.Geteuid(), diff)
	}
}

func copyExecutable(t *testing.T, src, dst string) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}
