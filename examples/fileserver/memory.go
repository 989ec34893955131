package main

import (
	"io"
	"io/fs"
	"os"

	"github.com/spf13/afero"
)

// copyToMemory copies every directory, regular file and modification time
// of src into a new MemMapFs, under rooted names. Links are copied as the
// files they point to when the target lies inside the tree (src is a
// BasePathFs, so targets outside it do not resolve) and left out
// otherwise.
func copyToMemory(src afero.Fs) (afero.Fs, error) {
	dst := afero.NewMemMapFs()
	err := afero.Walk(src, "/", func(name string, info fs.FileInfo, err error) error {
		if err != nil {
			return err
		}
		switch {
		case info.IsDir():
			if err := dst.MkdirAll(name, 0o755); err != nil {
				return err
			}
		case info.Mode().IsRegular():
			if err := copyFile(src, dst, name); err != nil {
				return err
			}
		default:
			return nil
		}
		return dst.Chtimes(name, info.ModTime(), info.ModTime())
	})
	if err != nil {
		return nil, err
	}
	return dst, nil
}

func copyFile(src, dst afero.Fs, name string) error {
	in, err := src.Open(name)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := dst.OpenFile(name, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
