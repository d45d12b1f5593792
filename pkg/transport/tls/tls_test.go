package tls_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	gotls "crypto/tls"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ncws/ncws/internal/testpki"
	"github.com/ncws/ncws/pkg/auth"
	"github.com/ncws/ncws/pkg/netconf"
	"github.com/ncws/ncws/pkg/netconftest"
	"github.com/ncws/ncws/pkg/server"
	"github.com/ncws/ncws/pkg/transport/tls"
)

func serve(t *testing.T, srv *server.Server, p *testpki.PKI, a *auth.Authenticator) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l, err := tls.NewListener(ln, tls.Options{
		Config:   &gotls.Config{Certificates: []gotls.Certificate{p.Server}, ClientCAs: p.Pool},
		CertUser: a.CertUser, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
		<-done
	})
	return ln.Addr().String()
}

// tlsClient is a netconftest.ClientConn over TLS with RFC 6242 framing.
type tlsClient struct {
	c             *gotls.Conn
	r             *netconf.Reader
	w             *netconf.Writer
	mu            sync.Mutex
	sent11, got11 int // 0 unknown, 1 no, 2 yes
}

func dial(addr string, p *testpki.PKI, cert *gotls.Certificate) (*tlsClient, error) {
	cfg := &gotls.Config{RootCAs: p.Pool, ServerName: "127.0.0.1"}
	if cert != nil {
		cfg.Certificates = []gotls.Certificate{*cert}
	}
	c, err := gotls.DialWithDialer(&net.Dialer{Timeout: 10 * time.Second}, "tcp", addr, cfg)
	if err != nil {
		return nil, err
	}
	return &tlsClient{c: c, r: netconf.NewReader(c, 0), w: netconf.NewWriter(c)}, nil
}

func yes(b bool) int {
	if b {
		return 2
	}
	return 1
}

func (c *tlsClient) chunk() {
	if c.sent11 == 2 && c.got11 == 2 {
		c.r.SetFraming(netconf.Chunked)
		c.w.SetFraming(netconf.Chunked)
	}
}

func (c *tlsClient) Send(ctx context.Context, msg []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.w.WriteMessage(msg); err != nil {
		return err
	}
	if c.sent11 == 0 {
		c.sent11 = yes(bytes.Contains(msg, []byte(netconf.CapBase11)))
		c.chunk()
	}
	return nil
}

func (c *tlsClient) Recv(ctx context.Context) ([]byte, error) {
	if dl, ok := ctx.Deadline(); ok {
		c.c.SetReadDeadline(dl)
	}
	msg, err := c.r.ReadMessage()
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, io.EOF
		}
		return nil, err
	}
	c.mu.Lock()
	if c.got11 == 0 {
		c.got11 = yes(bytes.Contains(msg, []byte(netconf.CapBase11)))
		c.chunk()
	}
	c.mu.Unlock()
	return msg, nil
}

func (c *tlsClient) Close() error { return c.c.Close() }

// TestConformance runs pkg/netconftest's scripts over NETCONF over TLS, each user with a
// client certificate whose CommonName is the username.
func TestConformance(t *testing.T) {
	p := testpki.New(t)
	a, err := auth.New(auth.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	certs := map[string]gotls.Certificate{}
	netconftest.Run(t, func(t *testing.T, srv *server.Server) netconftest.Dialer {
		addr := serve(t, srv, p, a)
		return func(ctx context.Context, user string) (netconftest.ClientConn, error) {
			mu.Lock()
			c, ok := certs[user]
			if !ok {
				c = p.Client(user)
				certs[user] = c
			}
			mu.Unlock()
			return dial(addr, p, &c)
		}
	})
}

func fp(der []byte) string {
	s := sha256.Sum256(der)
	return hex.EncodeToString(s[:])
}

// TestCertToName: the RFC 7589 cert-to-name list decides the username; without a mapping and
// without the CommonName fallback the connection is refused, as is a client without a
// certificate.
func TestCertToName(t *testing.T) {
	p := testpki.New(t)
	byEmail := p.ClientSAN("cn-ignored", []string{"carol@example.net"}, nil, nil)
	pinned := p.Client("cn-pinned")
	a, err := auth.New(auth.Options{NoCommonNameFallback: true, CertToName: []auth.CertMap{
		{Fingerprint: "04:" + fp(pinned.Certificate[0]), MapType: auth.MapSpecified, Name: "dave"},
		{Fingerprint: fp(p.CA().Raw), MapType: auth.MapSANRFC822Name},
	}})
	if err != nil {
		t.Fatal(err)
	}
	srv := netconftest.NewServer(t)
	addr := serve(t, srv, p, a)
	username := func(cert *gotls.Certificate) (string, error) {
		c, err := dial(addr, p, cert)
		if err != nil {
			return "", err
		}
		defer c.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		hello, err := c.Recv(ctx)
		if err != nil {
			return "", err
		}
		id := between(string(hello), "<session-id>", "</session-id>")
		c.Send(ctx, []byte(`<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.1</capability></capabilities></hello>`))
		c.Send(ctx, []byte(`<rpc message-id="1" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><get><filter><netconf-state xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring"><sessions/></netconf-state></filter></get></rpc>`))
		r, err := c.Recv(ctx)
		if err != nil {
			return "", err
		}
		rest := string(r)[strings.Index(string(r), "<session-id>"+id+"</session-id>"):]
		if !strings.Contains(between(rest, "<transport", "</transport>"), "netconf-tls") {
			t.Errorf("transport not netconf-tls: %s", rest)
		}
		return between(rest, "<username>", "</username>"), nil
	}
	if u, err := username(&pinned); err != nil || u != "dave" {
		t.Errorf("pinned certificate: user %q, %v; want dave", u, err)
	}
	if u, err := username(&byEmail); err != nil || u != "carol@example.net" {
		t.Errorf("CA fingerprint with san-rfc822-name: user %q, %v", u, err)
	}
	plain := p.Client("erin")
	if u, err := username(&plain); err == nil {
		t.Errorf("a certificate no entry maps logged in as %q", u)
	}
	if u, err := username(nil); err == nil {
		t.Errorf("a client without a certificate logged in as %q", u)
	}
}

func between(s, a, b string) string {
	i := strings.Index(s, a)
	if i < 0 {
		return ""
	}
	s = s[i+len(a):]
	if j := strings.Index(s, b); j >= 0 {
		return s[:j]
	}
	return ""
}
