// Package s3fs is a read-only afero.Fs over an S3-compatible object store
// (AWS S3, Cloudflare R2, GCS's S3 API, MinIO, SeaweedFS), for serving a
// bucket with staticfs.
//
//	client := s3.NewFromConfig(cfg)
//	bucket, prefix, err := s3fs.Parse("s3://www/site")
//	h := &staticfs.Handler{FS: &s3fs.Fs{Client: client, Bucket: bucket, Prefix: prefix}}
//
// # Names
//
// The afero name "/a/b.txt" is the key Prefix+"a/b.txt"; the root "/" is
// Prefix itself. Names that path.Clean would change ("/a/../b", "/a//b",
// "/a/") or that hold a NUL name nothing. Directories are the common
// prefixes of a delimited listing: "/a" is a directory when a key starts
// with "a/". A key ending in "/" (a console's folder marker) is no file;
// it makes its directory exist, even empty. When both the object "a" and
// keys under "a/" exist, "a" is the file, in Stat and in Readdir alike.
// Keys that no clean name reaches ("a//b", "a/./b") are not served.
//
// # Listings and their cache
//
// Stat lists the parent directory (ListObjectsV2, Delimiter "/", every
// page) and finds the name among its objects (files) and common prefixes
// (directories); Open costs no request of its own, and Readdir returns
// the directory's own listing, sorted by name. A directory without any
// key under it does not exist, except the root, which always does.
//
// Listings are kept ListTTL (10s): a change in the bucket shows within
// that time, and at once after a read of a file met a new version. A
// missing directory is kept as such too. Concurrent lookups in a
// directory that is not kept share one LIST. At most MaxDirs (1024)
// listings are kept, the least recently used dropped first; a directory
// of n keys is n/1000 LISTs each time it is listed and about 150 bytes a
// key while kept.
//
// FileInfos have the object's size, its LastModified truncated to whole
// seconds, mode 0444 (directories fs.ModeDir|0555 and no ModTime), and
// the store's ETag through staticfs.ETagger, which a Handler sends.
//
// # Reads
//
// The first Read after Open or a Seek that moves is one GET of exactly
// the bytes it asks for (Range: bytes=pos-end, clamped to the size); the
// next sequential Read opens one GET of the rest and streams it. Every
// GET carries If-Match with the listing's ETag, and the answer's ETag is
// checked too: the bytes of one file never come from two versions. When
// the object changed, Read fails with an error wrapping
// staticfs.ErrUnavailable and the directory's listing is dropped; the
// response in flight ends short, never with a wrong body, and the next
// request gets the new version. A Read at or past the size, or of an
// empty file, costs no request.
//
// # Request costs
//
// Through a staticfs.Handler with its defaults (the tests pin these):
//
//	request                                     requests to the store
//	file of at most 64 KiB, first time          1 LIST (unless its directory is kept) + 1 GET
//	the same again, or a HEAD                   0 (the Handler's cache, checked against a kept listing)
//	sidecar lookups (.br, .gz, ...)             0 (they come from the file's listing)
//	file over 64 KiB                            2 GETs (a small first one, then the rest)
//	Range: bytes=0-99 of a large file           1 GET of exactly those bytes
//	404 in a kept directory                     0, plus 1 GET to send a 404.html page
//	100 concurrent cold requests in a directory 1 LIST
//
// # Errors
//
// The errors returned are *fs.PathErrors naming the afero name, whose
// Err is one of a few fixed values: the store's own error text, which
// may name the endpoint, the bucket and request IDs, goes to OnError
// only. Through a Handler:
//
//	the store says                                  the error wraps             the Handler answers
//	NoSuchKey, 404                                  fs.ErrNotExist              404
//	AccessDenied, 403                               fs.ErrPermission            403
//	SlowDown, 500, 503, a timeout (Timeout)         staticfs.ErrUnavailable     503, Retry-After, not logged
//	the object changed during a read (412)          staticfs.ErrUnavailable     (a short body)
//	NoSuchBucket, bad credentials, refused, DNS ... staticfs.ErrBadGateway      502, logged
//
// Timeout (10s) bounds each request's wait for its answer, the SDK's
// retries included, and every stall of a body read: a store that
// accepts connections and never answers gets a 503 within Timeout. A
// store that refuses connections gets a 502 even when the SDK's retries
// run out of time.
//
// # What it does not do
//
// It does not write (every write method fails with an error wrapping
// fs.ErrPermission), has no symbolic links (no Lstat), serves the
// current version of each object only, and keeps no bytes: caching
// bodies is the Handler's job.
package s3fs
