package s3fs

import (
	"path"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// listing is the content of one directory: its entries sorted by name.
// It is immutable.
type listing struct {
	entries []*fileInfo
	exists  bool // the directory has a key under it (an entry or a folder marker)
}

// lookup returns the entry called base, or nil.
func (l *listing) lookup(base string) *fileInfo {
	i, ok := slices.BinarySearchFunc(l.entries, base, func(e *fileInfo, name string) int {
		return strings.Compare(e.name, name)
	})
	if !ok {
		return nil
	}
	return l.entries[i]
}

// list returns the listing of the directory rel ("" for the root, "a/b"),
// from the cache or from the store. name is the afero name looked up,
// for OnError.
func (f *Fs) list(name, rel string) (*listing, error) {
	st := f.state()
	key := st.prefix
	if rel != "" {
		key += rel + "/"
	}
	return st.dirs.get(key, st.ttl, func() (*listing, error) { return f.fetch(name, key) })
}

// fetch lists the directory whose keys start with dirKey, every page.
func (f *Fs) fetch(name, dirKey string) (*listing, error) {
	st := f.state()
	in := &s3.ListObjectsV2Input{
		Bucket:    aws.String(f.Bucket),
		Prefix:    aws.String(dirKey),
		Delimiter: aws.String("/"),
	}
	if f.maxKeys > 0 {
		in.MaxKeys = aws.Int32(f.maxKeys)
	}
	l := &listing{}
	for {
		out, err := f.listPage(name, in, st.timeout)
		if err != nil {
			return nil, err
		}
		for _, o := range out.Contents {
			k := aws.ToString(o.Key)
			if k == dirKey {
				// A folder marker: the directory exists, empty or not.
				l.exists = true
				continue
			}
			if sub, ok := strings.CutSuffix(k, "/"); ok {
				// A subdirectory's folder marker, which some stores list
				// among Contents rather than CommonPrefixes: a directory.
				if base, ok := entryName(sub, dirKey); ok {
					l.exists = true
					l.entries = append(l.entries, &fileInfo{name: base, dir: true})
				}
				continue
			}
			base, ok := entryName(k, dirKey)
			if !ok {
				continue
			}
			l.exists = true
			tag := aws.ToString(o.ETag)
			l.entries = append(l.entries, &fileInfo{
				name:    base,
				size:    aws.ToInt64(o.Size),
				modTime: aws.ToTime(o.LastModified).Truncate(time.Second),
				etag:    strings.Trim(tag, `"`),
				rawETag: tag,
			})
		}
		for _, p := range out.CommonPrefixes {
			base, ok := entryName(strings.TrimSuffix(aws.ToString(p.Prefix), "/"), dirKey)
			if !ok {
				continue
			}
			l.exists = true
			l.entries = append(l.entries, &fileInfo{name: base, dir: true})
		}
		tok := aws.ToString(out.NextContinuationToken)
		if !aws.ToBool(out.IsTruncated) || tok == "" {
			break
		}
		in.ContinuationToken = aws.String(tok)
	}
	l.sort()
	return l, nil
}

// sort orders the entries by name and keeps one entry per name: a file
// rather than a directory of the same name, as in Stat.
func (l *listing) sort() {
	slices.SortStableFunc(l.entries, func(a, b *fileInfo) int {
		if c := strings.Compare(a.name, b.name); c != 0 {
			return c
		}
		switch {
		case a.dir == b.dir:
			return 0
		case a.dir:
			return 1
		}
		return -1
	})
	l.entries = slices.CompactFunc(l.entries, func(a, b *fileInfo) bool { return a.name == b.name })
}

// entryName returns the base name of key in the directory dirKey, and
// false for keys no afero name can reach: empty names, ".", "..", names
// with a NUL, or a key that is not directly in the directory.
func entryName(key, dirKey string) (string, bool) {
	base, ok := strings.CutPrefix(key, dirKey)
	if !ok || base == "" || base == "." || base == ".." ||
		strings.ContainsAny(base, "/\x00") || path.Clean("/"+base) != "/"+base {
		return "", false
	}
	return base, true
}

// listPage sends one LIST, bounded by timeout.
func (f *Fs) listPage(name string, in *s3.ListObjectsV2Input, timeout time.Duration) (*s3.ListObjectsV2Output, error) {
	c := newCall(timeout)
	defer c.stop()
	out, err := f.Client.ListObjectsV2(c.ctx, in, c.record)
	if err != nil {
		return nil, f.storeError("list", name, err, c)
	}
	return out, nil
}
