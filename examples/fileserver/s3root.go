package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
	"github.com/spf13/afero"
	"github.com/webstatic/webstatic/staticfs/s3fs"
)

// s3Scheme marks a -root that names a bucket: s3://bucket/prefix.
const s3Scheme = "s3://"

// isS3Root reports whether root names a bucket rather than a directory.
func isS3Root(root string) bool { return strings.HasPrefix(root, s3Scheme) }

// s3Config is what -root s3://bucket/prefix serves, with the client
// settings read from the standard AWS environment variables.
type s3Config struct {
	bucket, prefix string
	endpoint       string // AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL; "" for AWS itself
	region         string // AWS_REGION or AWS_DEFAULT_REGION; us-east-1 when unset
	creds          aws.CredentialsProvider
	pathStyle      bool          // -s3-path-style
	listTTL        time.Duration // -s3-list-ttl; 0 lists on every lookup
}

// parseS3Root checks -root s3://… and the environment it needs; its error
// is one line that never quotes a secret.
func parseS3Root(root string, pathStyle bool, getenv func(string) string) (s3Config, error) {
	bucket, prefix, err := s3fs.Parse(root)
	if err != nil {
		return s3Config{}, fmt.Errorf("-root %q: want s3://bucket or s3://bucket/prefix", root)
	}
	c := s3Config{bucket: bucket, prefix: prefix, pathStyle: pathStyle}
	c.endpoint = firstSet(getenv, "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL")
	if c.endpoint != "" {
		u, err := url.Parse(c.endpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
			return s3Config{}, errors.New("AWS_ENDPOINT_URL: want an http:// or https:// URL without credentials")
		}
	}
	c.region = firstSet(getenv, "AWS_REGION", "AWS_DEFAULT_REGION")
	if c.region == "" {
		c.region = "us-east-1"
	}
	id, secret := getenv("AWS_ACCESS_KEY_ID"), getenv("AWS_SECRET_ACCESS_KEY")
	switch {
	case id != "" && secret != "":
		static := aws.Credentials{AccessKeyID: id, SecretAccessKey: secret, SessionToken: getenv("AWS_SESSION_TOKEN"), Source: "environment"}
		c.creds = aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return static, nil })
	case id != "" || secret != "":
		return s3Config{}, errors.New("-root s3://…: set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither for a public bucket")
	default:
		c.creds = aws.AnonymousCredentials{}
	}
	return c, nil
}

func firstSet(getenv func(string) string, names ...string) string {
	for _, n := range names {
		if v := getenv(n); v != "" {
			return v
		}
	}
	return ""
}

// filesystem returns the bucket's tree, once a listing of its root has
// shown that the endpoint, the bucket and the key pair work: a mistake
// in any of them stops the server at start with one line, instead of a
// 502 for every request. The line gives the store's error code
// (NoSuchBucket, InvalidAccessKeyId, SignatureDoesNotMatch, ...), never
// its text, which names the endpoint. The client is built from the
// environment alone (no shared config files, no instance metadata
// lookups), so what it talks to is what the environment says.
func (c s3Config) filesystem(root string) (afero.Fs, error) {
	opts := s3.Options{
		Region:       c.region,
		Credentials:  c.creds,
		UsePathStyle: c.pathStyle,
	}
	if c.endpoint != "" {
		opts.BaseEndpoint = aws.String(c.endpoint)
	}
	client := s3.New(opts)
	var code string
	probe := &s3fs.Fs{Client: client, Bucket: c.bucket, Prefix: c.prefix, OnError: func(_, _ string, err error) {
		var api smithy.APIError
		if errors.As(err, &api) {
			code = api.ErrorCode()
		}
	}}
	f, err := probe.Open("/")
	if err == nil {
		_, err = f.Readdirnames(1)
		f.Close()
	}
	if err != nil && !errors.Is(err, io.EOF) {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		if code != "" {
			return nil, fmt.Errorf("-root %s: cannot list the bucket (%s): %v", root, code, err)
		}
		return nil, fmt.Errorf("-root %s: cannot list the bucket: %v", root, err)
	}
	ttl := c.listTTL
	if ttl == 0 {
		ttl = -1 // s3fs: a negative ListTTL lists on every lookup
	}
	return &s3fs.Fs{Client: client, Bucket: c.bucket, Prefix: c.prefix, ListTTL: ttl}, nil
}

// describe is how the startup line names the bucket: its URI and the
// endpoint's host, never a credential.
func (c s3Config) describe() string {
	where := "AWS"
	if u, err := url.Parse(c.endpoint); err == nil && c.endpoint != "" {
		where = u.Host
	}
	return fmt.Sprintf("s3 at %s", where)
}
