package staticfs

import (
	"crypto/sha256"
	"encoding/base64"
	"io"
	"io/fs"
	"strconv"
)

// ETagMode says what a Handler builds its strong ETags from.
type ETagMode int

const (
	// ETagMeta, the default, builds ETags from the file's size and
	// modification time, the pair that changes whenever a file is
	// rewritten (nginx does the same). It costs nothing per request.
	// Files without a modification time (embed.FS) get no ETag: size
	// alone would let a client keep an old body of a new file of the same
	// size.
	ETagMeta ETagMode = iota

	// ETagContent builds ETags from a SHA-256 hash of the bytes, so that
	// replicas holding the same files with different modification times,
	// and embed.FS trees, give the same validators. The hash is computed
	// once per name, size and modification time and kept in a bounded
	// cache (ETagHashEntries); later requests do not read the file for it.
	ETagContent
)

// etag returns the opaque part of the strong ETag of f, whose bytes are
// body when they are in memory, "" for none. A sidecar's tag is made
// its own with its coding by quoteTag.
func (h *Handler) etag(f *file, body []byte) (string, error) {
	if tag := ownTag(f.info); tag != "" {
		return tag, nil
	}
	switch {
	case h.ETags != ETagContent:
		return metaTag(f.info), nil
	case body != nil:
		return hashBytes(body), nil
	default:
		return h.state().etags.get(etagKey{f.real, f.info.Size(), f.info.ModTime().UnixNano()}, f.hash)
	}
}

// ETagger is implemented by the FileInfos of a filesystem that keeps a
// strong validator of each file's bytes itself, such as an object
// store's ETag (staticfs/s3fs). A Handler uses that tag, in every
// ETagMode, instead of building one: it is the same on every replica
// serving the store, without reading the bytes.
//
// ETag returns the opaque part of the tag, without the quotes, or "" for
// none (the Handler then builds its own). A tag with a character that an
// entity tag cannot hold (RFC 9110 section 8.8.3: a quote, a space, a
// control character) is not used.
type ETagger interface {
	ETag() string
}

// ownTag returns info's ETagger tag when it is one a response can carry,
// "" otherwise.
func ownTag(info fs.FileInfo) string {
	t, ok := info.(ETagger)
	if !ok {
		return ""
	}
	tag := t.ETag()
	for i := 0; i < len(tag); i++ {
		if c := tag[i]; c <= 0x20 || c == '"' || c == 0x7f {
			return ""
		}
	}
	return tag
}

// quoteTag makes the entity tag; "" stays "" (no ETag).
func quoteTag(tag, coding string) string {
	if tag == "" {
		return ""
	}
	if coding != "" {
		tag += "-" + coding
	}
	return `"` + tag + `"`
}

// metaTag is the opaque part of an ETagMeta tag.
func metaTag(info fs.FileInfo) string {
	mt := info.ModTime()
	if isZeroTime(mt) {
		return ""
	}
	b := make([]byte, 0, 24)
	b = strconv.AppendInt(b, mt.UnixNano(), 36)
	b = append(b, '-')
	b = strconv.AppendInt(b, info.Size(), 36)
	return string(b)
}

// hash returns the content tag of the file's bytes and rewinds the file.
func (f *file) hash() (string, error) {
	h := sha256.New()
	if _, err := io.Copy(h, f.content()); err != nil {
		return "", err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	return encodeHash(h.Sum(nil)), nil
}

func hashBytes(b []byte) string {
	sum := sha256.Sum256(b)
	return encodeHash(sum[:])
}

// encodeHash keeps 128 bits of a SHA-256, base64url encoded: 22 bytes.
func encodeHash(sum []byte) string {
	return base64.RawURLEncoding.EncodeToString(sum[:16])
}
