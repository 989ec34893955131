package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"net"
	"strings"
	"time"
)

// tlsConfig returns the TLS configuration the flags ask for, nil for
// plain HTTP, and for -tls-self-signed the line to print about the
// certificate.
func (c config) tlsConfig() (*tls.Config, string, error) {
	switch {
	case c.tlsSelfSigned:
		cert, err := selfSigned(c.addr, time.Now())
		if err != nil {
			return nil, "", err
		}
		sum := sha256.Sum256(cert.Certificate[0])
		return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12},
			"certificate: self-signed for " + strings.Join(certNames(c.addr), ", ") + ", SHA-256 " + fingerprint(sum[:]), nil
	case c.tlsCert != "":
		cert, err := tls.LoadX509KeyPair(c.tlsCert, c.tlsKey)
		if err != nil {
			return nil, "", fmt.Errorf("-tls-cert %q, -tls-key %q: %v", c.tlsCert, c.tlsKey, tlsLoadError(err))
		}
		return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, "", nil
	}
	return nil, "", nil
}

// tlsLoadError keeps what tls.LoadX509KeyPair says, less any PEM bytes
// (it never quotes the key, but a caller must not rely on that).
func tlsLoadError(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, "-----"); i >= 0 {
		msg = msg[:i]
	}
	return strings.TrimSpace(msg)
}

// certNames are the names a self-signed certificate covers: loopback,
// localhost, and the listen host when it is a name or an address.
func certNames(addr string) []string {
	names := []string{"localhost", "127.0.0.1", "::1"}
	if host, _, err := net.SplitHostPort(addr); err == nil && host != "" {
		if ip := net.ParseIP(host); ip == nil || !ip.IsUnspecified() {
			dup := false
			for _, n := range names {
				dup = dup || n == host
			}
			if !dup {
				names = append(names, host)
			}
		}
	}
	return names
}

// selfSigned makes a certificate for local testing, valid for a week,
// held in memory only.
func selfSigned(addr string, now time.Time) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return tls.Certificate{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{Organization: []string{"webstatic fileserver (self-signed)"}},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(7 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, n := range certNames(addr) {
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}

// fingerprint prints a digest as colon-separated hex pairs, as browsers
// show certificate fingerprints.
func fingerprint(sum []byte) string {
	parts := make([]string, len(sum))
	for i, b := range sum {
		parts[i] = fmt.Sprintf("%02X", b)
	}
	return strings.Join(parts, ":")
}
