package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// weedVersion is the SeaweedFS that .ci/weed builds; keep the two equal.
const weedVersion = "v0.0.0-20261109003541-7506e5f91cd6"

// The credentials the test's SeaweedFS accepts; they exist only there.
const (
	weedAccessKey = "AKIDWEBSTATICTEST"
	weedSecretKey = "webstatic-test-secret-4f1d9c"
)

// weed is a SeaweedFS server (master, volume, filer and S3 gateway in one
// process) on loopback ports, and a client of its S3 gateway.
type weed struct {
	endpoint string // http://127.0.0.1:PORT, the S3 gateway
	client   *s3.Client
	stderr   *bytes.Buffer
	pid      int
}

// weedBinary finds the weed binary: $WEBSTATIC_WEED, or where .ci/weed
// keeps it. Without one the test skips, or fails under CI=true.
func weedBinary(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("WEBSTATIC_WEED"); p != "" {
		return p
	}
	cache := os.Getenv("WEBSTATIC_CACHE")
	if cache == "" {
		dir, err := os.UserCacheDir()
		if err != nil {
			t.Skipf("no cache directory for weed: %v", err)
		}
		cache = filepath.Join(dir, "webstatic")
	}
	p := filepath.Join(cache, "weed-"+weedVersion, "weed")
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("weed not found at %s; .ci/run builds it with .ci/weed", p)
		}
		t.Skipf("weed not found at %s: build it with .ci/weed (about 10 minutes the first time)", p)
	}
	return p
}

// freePortPair returns a port p such that p and p+10000 are free on
// 127.0.0.1: SeaweedFS puts each service's gRPC port 10000 above it.
func freePortPair(t *testing.T) int {
	t.Helper()
	for range 100 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		p := ln.Addr().(*net.TCPAddr).Port
		ln.Close()
		if p+10000 > 65535 {
			continue
		}
		ln2, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p+10000))
		if err != nil {
			continue
		}
		ln2.Close()
		return p
	}
	t.Fatal("no free port pair")
	return 0
}

// startWeed runs SeaweedFS on loopback only, without telemetry, with one
// identity, and waits until its S3 gateway stores an object.
func startWeed(t *testing.T) *weed {
	t.Helper()
	bin := weedBinary(t)
	dir := t.TempDir()
	conf := fmt.Sprintf(`{"identities":[{"name":"webstatic","credentials":[{"accessKey":%q,"secretKey":%q}],"actions":["Admin","Read","Write","List","Tagging"]}]}`, weedAccessKey, weedSecretKey)
	if err := os.WriteFile(filepath.Join(dir, "s3.json"), []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	s3Port := freePortPair(t)
	args := []string{"server", "-dir=" + dir, "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
		fmt.Sprintf("-master.port=%d", freePortPair(t)),
		fmt.Sprintf("-volume.port=%d", freePortPair(t)),
		fmt.Sprintf("-filer.port=%d", freePortPair(t)),
		fmt.Sprintf("-metricsPort=%d", freePortPair(t)),
		"-s3", fmt.Sprintf("-s3.port=%d", s3Port), "-s3.config=" + filepath.Join(dir, "s3.json"),
		"-master.telemetry=false", "-s3.port.iceberg=0", "-volume.max=0", "-master.volumeSizeLimitMB=64"}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	w := &weed{endpoint: fmt.Sprintf("http://127.0.0.1:%d", s3Port), stderr: new(bytes.Buffer)}
	cmd.Stdout, cmd.Stderr = w.stderr, w.stderr
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	w.pid = cmd.Process.Pid
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
		cancel()
	})
	w.client = s3.New(s3.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(w.endpoint),
		UsePathStyle: true,
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: weedAccessKey, SecretAccessKey: weedSecretKey}, nil
		}),
	})
	// Ready when a bucket can be made and an object stored: the volume
	// server registers with the master a few seconds after start.
	deadline := time.Now().Add(90 * time.Second)
	for {
		err := w.tryPut("webstatic-ready")
		if err == nil {
			return w
		}
		select {
		case <-done:
			t.Fatalf("weed exited: %s", w.stderr)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("weed not ready after 90 s: %v\n%.3000s", err, w.stderr)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

func (w *weed) tryPut(bucket string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := w.client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil && !strings.Contains(err.Error(), "BucketAlready") {
		return err
	}
	_, err := w.client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("probe"), Body: strings.NewReader("ok")})
	return err
}

// makeBucket creates bucket and uploads the tree at dir under prefix.
func (w *weed) makeBucket(t *testing.T, bucket, prefix, dir string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if _, err := w.client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
		t.Fatal(err)
	}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		w.put(t, ctx, bucket, prefix+filepath.ToSlash(rel), p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// put stores the file at p as key.
func (w *weed) put(t *testing.T, ctx context.Context, bucket, key, p string) {
	t.Helper()
	body, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: bytes.NewReader(body)}); err != nil {
		t.Fatalf("put %s: %v", key, err)
	}
}

// env is the environment a reference server needs to serve from w.
func (w *weed) env() []string {
	return []string{"AWS_ENDPOINT_URL=" + w.endpoint, "AWS_REGION=us-east-1",
		"AWS_ACCESS_KEY_ID=" + weedAccessKey, "AWS_SECRET_ACCESS_KEY=" + weedSecretKey}
}

// get fetches url's object straight from the gateway, for comparisons.
func (w *weed) object(t *testing.T, bucket, key string) []byte {
	t.Helper()
	out, err := w.client.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		var nf interface{ ErrorCode() string }
		if errors.As(err, &nf) {
			t.Fatalf("get %s: %s", key, nf.ErrorCode())
		}
		t.Fatal(err)
	}
	defer out.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(out.Body)
	return b.Bytes()
}
