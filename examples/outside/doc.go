// Package outside checks README.md's "Use it from a clone" instructions.
//
// The module is not published, so a program outside the repository reaches
// it through a clone, either with a replace directive in its own go.mod or
// with a go.work workspace that uses both modules. The package's test
// writes such a program in a temporary directory (module example.com/site,
// a main.go that mounts staticfs.Handler on a ServeMux over a MemMapFs),
// builds it with the go command the way a user would, once per recipe,
// and runs it. The package has no code of its own.
package outside
