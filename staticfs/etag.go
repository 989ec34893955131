package staticfs

import (
	"io/fs"
	"strconv"
)

// strongETag returns a strong validator built from the file's size and
// modification time, the pair that changes whenever a file is rewritten
// (nginx builds its ETags the same way). A file without a modification
// time gets none: embed.FS reports zero times, and size alone would let
// a client keep an old body of a new file of the same size.
func strongETag(info fs.FileInfo) string {
	mt := info.ModTime()
	if mt.IsZero() || mt.Unix() == 0 {
		return ""
	}
	b := make([]byte, 0, 32)
	b = append(b, '"')
	b = strconv.AppendInt(b, mt.UnixNano(), 36)
	b = append(b, '-')
	b = strconv.AppendInt(b, info.Size(), 36)
	b = append(b, '"')
	return string(b)
}
