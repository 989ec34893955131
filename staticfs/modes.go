package staticfs

import "fmt"

// String returns "meta" or "content", the names [ETagMode.Set] accepts.
func (m ETagMode) String() string {
	switch m {
	case ETagMeta:
		return "meta"
	case ETagContent:
		return "content"
	}
	return fmt.Sprintf("ETagMode(%d)", int(m))
}

// Set parses "meta" or "content" into m. With String it makes *ETagMode
// a flag.Value: flag.Var(&h.ETags, "etag", "meta|content").
func (m *ETagMode) Set(s string) error {
	switch s {
	case "meta":
		*m = ETagMeta
	case "content":
		*m = ETagContent
	default:
		return fmt.Errorf("staticfs: unknown ETag mode %q (want meta or content)", s)
	}
	return nil
}

// String returns "within-root", "deny" or "follow-all", the names
// [SymlinkPolicy.Set] accepts.
func (p SymlinkPolicy) String() string {
	switch p {
	case SymlinksWithinRoot:
		return "within-root"
	case SymlinksDeny:
		return "deny"
	case SymlinksFollowAll:
		return "follow-all"
	}
	return fmt.Sprintf("SymlinkPolicy(%d)", int(p))
}

// Set parses "within-root", "deny" or "follow-all" into p. With String
// it makes *SymlinkPolicy a flag.Value.
func (p *SymlinkPolicy) Set(s string) error {
	switch s {
	case "within-root":
		*p = SymlinksWithinRoot
	case "deny":
		*p = SymlinksDeny
	case "follow-all":
		*p = SymlinksFollowAll
	default:
		return fmt.Errorf("staticfs: unknown symlink policy %q (want within-root, deny or follow-all)", s)
	}
	return nil
}
