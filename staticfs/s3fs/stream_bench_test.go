package s3fs_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/webstatic/webstatic/staticfs/s3fs"
)

// BenchmarkStream reads a 16 MiB object whole through the Fs, from a
// plain HTTP server that answers LIST with one key and GET with ranges:
// the cost of the adapter and the SDK per byte, without a store's.
func BenchmarkStream(b *testing.B) {
	body := bytes.Repeat([]byte("0123456789abcdef"), 1<<20)
	const list = `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>site</Name><Prefix></Prefix><KeyCount>1</KeyCount><MaxKeys>1000</MaxKeys><Delimiter>/</Delimiter><IsTruncated>false</IsTruncated><Contents><Key>big.bin</Key><LastModified>2026-01-02T03:04:05.000Z</LastModified><ETag>&quot;abc&quot;</ETag><Size>16777216</Size></Contents></ListBucketResult>`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Has("list-type") {
			w.Header().Set("Content-Type", "application/xml")
			io.WriteString(w, list)
			return
		}
		w.Header().Set("ETag", `"abc"`)
		http.ServeContent(w, r, "big.bin", time.Time{}, bytes.NewReader(body))
	}))
	defer srv.Close()
	client := s3.New(s3.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), UsePathStyle: true,
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "a", SecretAccessKey: "b"}, nil
		}),
	})
	fsys := &s3fs.Fs{Client: client, Bucket: "site"}
	b.SetBytes(int64(len(body)))
	b.ResetTimer()
	for range b.N {
		f, err := fsys.Open("/big.bin")
		if err != nil {
			b.Fatal(err)
		}
		n, err := io.Copy(io.Discard, struct{ io.Reader }{f})
		f.Close()
		if err != nil || n != int64(len(body)) {
			b.Fatalf("copied %d, %v", n, err)
		}
	}
}
