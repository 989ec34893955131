package outside

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// siteMain is the outside program: the README's embedding example over a
// MemMapFs, answering one request in-process and printing the status and
// body, so that the test sees the Handler work and not only compile. It
// uses only &staticfs.Handler{FS: fsys}, the one field the README promises.
const siteMain = `package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/spf13/afero"
	"github.com/webstatic/webstatic/staticfs"
)

func main() {
	fsys := afero.NewMemMapFs()
	if err := afero.WriteFile(fsys, "/index.html", []byte("hello from outside\n"), 0o644); err != nil {
		panic(err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /static/", http.StripPrefix("/static", &staticfs.Handler{FS: fsys}))
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, httptest.NewRequest("GET", "/static/", nil))
	fmt.Print(w.Code, " ", w.Body.String())
}
`

// TestUseFromClone builds and runs the outside program with each of the
// README's two recipes. The go command runs with GOPROXY=off: the module
// cache already holds what staticfs imports (the repository's own tests
// need it), so the check needs no network; GOTOOLCHAIN=local keeps it
// from fetching a toolchain.
func TestUseFromClone(t *testing.T) {
	goCmd := lookGo(t)
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(root, "go.mod")); err != nil || !bytes.HasPrefix(b, []byte("module github.com/webstatic/webstatic\n")) {
		t.Fatalf("%s is not the repository root (go.mod: %v)", root, err)
	}
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	modRoot := root // as go.mod spells it: quoted if it has spaces
	if strings.ContainsAny(root, " \t\"'`") {
		modRoot = strconv.Quote(root)
	}

	for _, tc := range []struct {
		name  string
		gomod string
		// files are written beside go.mod and main.go before setup runs.
		files map[string]string
		// setup are go commands run in the directory before go build.
		setup [][]string
		// env is added to the go command's environment in dir.
		env func(dir string) []string
	}{
		{
			name: "replace",
			gomod: "module example.com/site\n\ngo 1.23\n\n" +
				"require github.com/webstatic/webstatic v0.0.0-00010101000000-000000000000\n\n" +
				"replace github.com/webstatic/webstatic => " + modRoot + "\n",
			// The clone's go.sum holds the checksums of everything staticfs
			// imports; a user's go mod tidy fetches them instead.
			files: map[string]string{"go.sum": string(sum)},
			// -mod=mod lets go build add afero's require line, as go mod
			// tidy would.
			env: func(string) []string { return []string{"GOWORK=off", "GOFLAGS=-mod=mod"} },
		},
		{
			name:  "go.work",
			gomod: "module example.com/site\n\ngo 1.23\n",
			setup: [][]string{{"work", "init", ".", root}},
			// Workspace mode refuses -mod=mod. A user's go build finds
			// go.work by itself; naming it keeps a GOWORK from the go env
			// file out.
			env: func(dir string) []string {
				return []string{"GOWORK=" + filepath.Join(dir, "go.work"), "GOFLAGS=-mod=readonly"}
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			files := map[string]string{"go.mod": tc.gomod, "main.go": siteMain}
			for name, text := range tc.files {
				files[name] = text
			}
			for name, text := range files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			env := append(goEnv(), tc.env(dir)...)
			for _, args := range tc.setup {
				runIn(t, dir, env, goCmd, args...)
			}
			bin := filepath.Join(dir, "site")
			runIn(t, dir, env, goCmd, "build", "-o", bin, ".")
			if got, want := runIn(t, dir, env, bin), "200 hello from outside\n"; got != want {
				t.Errorf("the outside program printed %q, want %q", got, want)
			}
		})
	}
}

// goEnv is the test's environment without the settings the recipes set
// themselves, plus GOPROXY=off and GOTOOLCHAIN=local.
func goEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		switch k, _, _ := strings.Cut(kv, "="); k {
		case "GOWORK", "GOFLAGS", "GOPROXY", "GOTOOLCHAIN":
		default:
			env = append(env, kv)
		}
	}
	return append(env, "GOPROXY=off", "GOTOOLCHAIN=local")
}

// runIn runs name with args in dir and returns its standard output,
// failing the test with the command's output if it fails.
func runIn(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir, cmd.Env = dir, env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s in %s: %v\n%s%s", filepath.Base(name), strings.Join(args, " "), dir, err, stdout.String(), stderr.String())
	}
	return stdout.String()
}

// lookGo finds the go command, skipping the test when it is missing, or
// failing it under CI, which always has it.
func lookGo(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("go")
	if err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("go command not found: %v", err)
	}
	t.Skipf("go command not found (%v): this test builds a program outside the module", err)
	return ""
}
