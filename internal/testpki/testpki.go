// Package testpki makes a throwaway certificate authority for tests of TLS and client
// certificates: a CA, a server certificate for 127.0.0.1 and localhost, and client certificates
// with a chosen CommonName. Keys are ECDSA P-256, valid for an hour around now.
package testpki

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
)

// A PKI is a test CA with a server certificate.
type PKI struct {
	// Pool holds the CA certificate (RootCAs for clients, ClientCAs for servers).
	Pool *x509.CertPool
	// Server is a certificate for 127.0.0.1 and localhost.
	Server tls.Certificate

	t      testing.TB
	ca     *x509.Certificate
	caDER  []byte
	caKey  *ecdsa.PrivateKey
	serial atomic.Int64
}

// New returns a new CA and server certificate; failures end the test.
func New(t testing.TB) *PKI {
	t.Helper()
	p := &PKI{t: t, Pool: x509.NewCertPool()}
	p.caKey = newKey(t)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "ncws test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &p.caKey.PublicKey, p.caKey)
	if err != nil {
		t.Fatal(err)
	}
	p.caDER = der
	p.ca, _ = x509.ParseCertificate(der)
	p.Pool.AddCert(p.ca)
	p.serial.Store(1)
	p.Server = p.issue(&x509.Certificate{Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}})
	return p
}

// Client returns a client certificate with the given subject CommonName.
func (p *PKI) Client(cn string) tls.Certificate {
	p.t.Helper()
	return p.issue(&x509.Certificate{Subject: pkix.Name{CommonName: cn},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}})
}

func (p *PKI) issue(tmpl *x509.Certificate) tls.Certificate {
	p.t.Helper()
	k := newKey(p.t)
	tmpl.SerialNumber = big.NewInt(p.serial.Add(1))
	tmpl.NotBefore, tmpl.NotAfter = time.Now().Add(-time.Hour), time.Now().Add(time.Hour)
	tmpl.KeyUsage = x509.KeyUsageDigitalSignature
	der, err := x509.CreateCertificate(rand.Reader, tmpl, p.ca, &k.PublicKey, p.caKey)
	if err != nil {
		p.t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: k, Leaf: leaf}
}

// WriteFiles writes the CA certificate and the server certificate and key as PEM files into dir.
func (p *PKI) WriteFiles(dir string) (caFile, certFile, keyFile string) {
	p.t.Helper()
	keyDER, err := x509.MarshalECPrivateKey(p.Server.PrivateKey.(*ecdsa.PrivateKey))
	if err != nil {
		p.t.Fatal(err)
	}
	write := func(name, typ string, b []byte) string {
		f := filepath.Join(dir, name)
		if err := os.WriteFile(f, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: b}), 0o600); err != nil {
			p.t.Fatal(err)
		}
		return f
	}
	return write("ca.pem", "CERTIFICATE", p.caDER), write("server.pem", "CERTIFICATE", p.Server.Certificate[0]),
		write("server.key", "EC PRIVATE KEY", keyDER)
}

func newKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// ClientSAN returns a client certificate with the given CommonName and subjectAltNames.
func (p *PKI) ClientSAN(cn string, emails, dnsNames []string, ips []net.IP) tls.Certificate {
	p.t.Helper()
	return p.issue(&x509.Certificate{Subject: pkix.Name{CommonName: cn}, EmailAddresses: emails,
		DNSNames: dnsNames, IPAddresses: ips, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}})
}

// CA returns the CA certificate.
func (p *PKI) CA() *x509.Certificate { return p.ca }
