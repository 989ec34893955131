package s3fs

import (
	"errors"
	"net/url"
	"strings"
)

var errURI = errors.New(`s3fs: not an "s3://bucket/prefix" URI`)

// Parse splits an "s3://bucket/prefix" URI into the bucket and the key
// prefix (without leading or trailing slash, "" for the whole bucket),
// for Fs.Bucket and Fs.Prefix. It accepts no user, port, query or
// fragment.
func Parse(uri string) (bucket, prefix string, err error) {
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "s3" || u.Opaque != "" || u.User != nil ||
		u.Host == "" || strings.ContainsAny(u.Host, ":@[]") || u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
		return "", "", errURI
	}
	return u.Host, strings.Trim(u.Path, "/"), nil
}
