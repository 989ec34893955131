// Package s3fs is a read-only afero.Fs over an S3-compatible object store
// (AWS S3, Cloudflare R2, GCS's S3 API, MinIO, SeaweedFS), for serving a
// bucket with staticfs.
package s3fs
