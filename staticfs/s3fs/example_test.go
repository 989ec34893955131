package s3fs_test

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"net/http/httptest"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/webstatic/webstatic/staticfs"
	"github.com/webstatic/webstatic/staticfs/s3fs"
)

// Serve a bucket with a staticfs.Handler. The client is built from
// s3.Options; with the config module it would be
// s3.NewFromConfig(cfg, func(o *s3.Options) { ... }). Here the store is
// an in-memory fake; against MinIO, R2 or another S3-compatible store set
// BaseEndpoint and UsePathStyle the same way.
func Example() {
	backend := s3mem.New()
	backend.CreateBucket("www")
	page := []byte("<h1>hello from the bucket</h1>\n")
	backend.PutObject("www", "site/index.html", map[string]string{}, bytes.NewReader(page), int64(len(page)), nil)
	store := httptest.NewServer(gofakes3.New(backend).Server())
	defer store.Close()

	client := s3.New(s3.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(store.URL),
		UsePathStyle: true,
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "key", SecretAccessKey: "secret"}, nil
		}),
	})
	bucket, prefix, err := s3fs.Parse("s3://www/site")
	if err != nil {
		panic(err)
	}
	h := &staticfs.Handler{FS: &s3fs.Fs{Client: client, Bucket: bucket, Prefix: prefix}}

	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL + "/")
	if err != nil {
		panic(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Print(resp.Status, " ", resp.Header.Get("ETag"), "\n", string(body))
	// Output:
	// 200 OK "5346ba2e0b8f0121c3991ff80ba8178b"
	// <h1>hello from the bucket</h1>
}
