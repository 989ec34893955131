package conn_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/webstatic/webstatic/staticfs/conn"
)

// TestUnderTLS serves with Listener.ServeTLS, which puts tls.NewListener
// over the Listener, over HTTP/1.1 and HTTP/2, with the certificate from
// files or from srv.TLSConfig.
func TestUnderTLS(t *testing.T) {
	type result struct {
		Proto string
		Close bool
		Conn  string
		TLS   string
	}
	tests := []struct {
		name      string
		policy    conn.Policy
		http2     bool
		certFiles bool // pass the certificate as files, not in srv.TLSConfig
		want      []result
	}{
		{
			name:   "http1 keepalive max requests 2",
			policy: conn.Policy{MaxRequests: 2},
			want: []result{
				{"HTTP/1.1", false, "1/1", "tls"},
				{"HTTP/1.1", true, "1/2", "tls"},
				{"HTTP/1.1", false, "2/1", "tls"},
			},
		},
		{
			name:      "http1 short, certificate files",
			policy:    conn.Policy{Mode: conn.Short},
			certFiles: true,
			want: []result{
				{"HTTP/1.1", true, "1/1", "tls"},
				{"HTTP/1.1", true, "2/1", "tls"},
			},
		},
		{
			name:  "http2 keepalive",
			http2: true,
			want: []result{
				{"HTTP/2.0", false, "1/1", "tls"},
				{"HTTP/2.0", false, "1/2", "tls"},
			},
		},
		{
			name:   "http2 short: Connection close becomes GOAWAY",
			policy: conn.Policy{Mode: conn.Short},
			http2:  true,
			want: []result{
				{"HTTP/2.0", false, "1/1", "tls"},
				{"HTTP/2.0", false, "2/1", "tls"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.TLS != nil {
					w.Header().Set("X-TLS", "tls")
				}
				fixedHandler().ServeHTTP(w, r)
			})
			cert, certPEM, keyPEM := selfSigned(t)
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			l := conn.NewListener(ln, tt.policy)
			srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ErrorLog: log.New(io.Discard, "", 0)}
			var certFile, keyFile string
			if tt.certFiles {
				certFile, keyFile = filepath.Join(t.TempDir(), "cert.pem"), filepath.Join(t.TempDir(), "key.pem")
				if err := os.WriteFile(certFile, certPEM, 0o600); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(keyFile, keyPEM, 0o600); err != nil {
					t.Fatal(err)
				}
			} else {
				srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
			}
			done := make(chan error, 1)
			go func() { done <- l.ServeTLS(srv, certFile, keyFile) }()
			defer func() {
				srv.Close()
				if err := <-done; !errors.Is(err, http.ErrServerClosed) {
					t.Errorf("ServeTLS: %v", err)
				}
			}()
			roots := x509.NewCertPool()
			roots.AppendCertsFromPEM(certPEM)
			tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}, ForceAttemptHTTP2: tt.http2}
			defer tr.CloseIdleConnections()
			client := &http.Client{Transport: tr}

			var got []result
			for range tt.want {
				res, err := client.Get("https://" + ln.Addr().String() + "/a")
				if err != nil {
					t.Fatal(err)
				}
				b, err := io.ReadAll(res.Body)
				res.Body.Close()
				if err != nil || len(b) != len(body) {
					t.Fatalf("body: %d bytes, %v", len(b), err)
				}
				got = append(got, result{res.Proto, res.Close, res.Header.Get("X-Conn"), res.Header.Get("X-TLS")})
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("responses (-want +got):\n%s", diff)
			}
			if s := l.Stats(); s.Requests != uint64(len(tt.want)) {
				t.Errorf("Stats.Requests = %d, want %d (%s)", s.Requests, len(tt.want), fmt.Sprint(s))
			}
		})
	}
}

// selfSigned returns a certificate for 127.0.0.1, valid for an hour, and
// its certificate and key in PEM.
func selfSigned(t *testing.T) (tls.Certificate, []byte, []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		NotBefore:    time.Now().Add(-time.Minute),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	return cert, certPEM, keyPEM
}
