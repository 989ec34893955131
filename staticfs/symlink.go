package staticfs

import (
	"fmt"
	"io/fs"
	"path"
	"strings"
)

// SymlinkPolicy says which symbolic links a Handler follows. It only has
// effect on filesystems that report links through afero.Lstater (OsFs and
// the BasePathFs, ReadOnlyFs and CopyOnWriteFs wrapping it); the others
// have no links to follow.
type SymlinkPolicy int

const (
	// SymlinksWithinRoot, the default, follows a link only if its target
	// resolves inside the served tree: relative targets are resolved
	// against the link's directory and must not climb above the root;
	// absolute targets are refused, since the Handler cannot know where
	// the root lies on the host. Every segment of every request is checked
	// with Lstat, and links to links are followed up to 40 times.
	SymlinksWithinRoot SymlinkPolicy = iota

	// SymlinksDeny refuses every path that passes through a link.
	SymlinksDeny

	// SymlinksFollowAll leaves links to the filesystem, which follows
	// them wherever they point: on an OsFs, out of the served tree too. Use
	// it only for trees whose links you trust; it saves the Lstat calls.
	SymlinksFollowAll
)

// maxSymlinkHops bounds the links followed for one name, as the kernel's
// ELOOP does.
const maxSymlinkHops = 40

// resolve applies the dotfile and symlink policies to a clean name and
// returns the link-free name to open.
func (rt *root) resolve(name string) (string, error) {
	if rt.fs == nil {
		return "", errNoFS
	}
	if rt.hidden(name) {
		return "", ErrHidden
	}
	if rt.lstater == nil {
		return name, nil
	}
	done, rest := "/", name[1:]
	for hops := 0; rest != ""; {
		var seg string
		seg, rest, _ = strings.Cut(rest, "/")
		next := path.Join(done, seg)
		info, _, err := rt.lstater.LstatIfPossible(next)
		if err != nil {
			return "", err
		}
		if info.Mode()&fs.ModeSymlink == 0 {
			done = next
			continue
		}
		if hops++; hops > maxSymlinkHops || rt.symlinks == SymlinksDeny {
			return "", fmt.Errorf("link %s: %w", next, ErrHidden)
		}
		target, err := rt.readLink(next)
		if err != nil {
			return "", err
		}
		joined, ok := joinWithin(done, target)
		if !ok || rt.hidden(joined) {
			return "", fmt.Errorf("link %s: %w", next, ErrHidden)
		}
		// Start over with the target in place of the link: its own
		// segments may be links too.
		done, rest = "/", strings.TrimPrefix(path.Join(joined, rest), "/")
	}
	return done, nil
}

// readLink returns a link's relative target; absolute targets, and links
// on a filesystem that cannot read them, are hidden.
func (rt *root) readLink(name string) (string, error) {
	if rt.linkReader == nil {
		return "", fmt.Errorf("link %s: %w", name, ErrHidden)
	}
	target, err := rt.linkReader.ReadlinkIfPossible(name)
	if err != nil {
		return "", err
	}
	if target == "" || path.IsAbs(target) || strings.ContainsAny(target, "\\\x00") {
		return "", fmt.Errorf("link %s: %w", name, ErrHidden)
	}
	return target, nil
}
