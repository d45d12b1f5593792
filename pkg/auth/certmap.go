package auth

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
)

// The map types of a CertMap (RFC 7407 section 4.1, ietf-x509-cert-to-name's identities).
const (
	MapSpecified     = "specified"       // the Name of the entry
	MapSANRFC822Name = "san-rfc822-name" // the certificate's first rfc822Name subjectAltName
	MapSANDNSName    = "san-dns-name"    // its first dNSName subjectAltName
	MapSANIPAddress  = "san-ip-address"  // its first iPAddress subjectAltName
	MapSANAny        = "san-any"         // the first of those present (rfc822Name, dNSName, iPAddress)
	MapCommonName    = "common-name"     // the subject's CommonName
)

// A CertMap is one entry of the cert-to-name list (RFC 7589 section 7, RFC 7407): a client
// certificate whose own fingerprint, or the fingerprint of a CA certificate of its verified
// chain, equals Fingerprint gets the username the map type gives.
type CertMap struct {
	// Fingerprint is a SHA-256 fingerprint in hex (':' and case ignored; RFC 7407's
	// tls-fingerprint form "04:..." accepted).
	Fingerprint string
	// MapType is one of the Map* constants.
	MapType string
	// Name is the username of a MapSpecified entry.
	Name string

	fp string // normalized
}

// ParseCertMap parses the command-line form FINGERPRINT,MAPTYPE[,NAME]
// ("04:ab:...,specified,alice", "ab...,san-rfc822-name").
func ParseCertMap(s string) (CertMap, error) {
	parts := strings.Split(s, ",")
	if len(parts) < 2 || len(parts) > 3 {
		return CertMap{}, fmt.Errorf("auth: cert-to-name %q: want FINGERPRINT,MAPTYPE[,NAME]", s)
	}
	m := CertMap{Fingerprint: parts[0], MapType: parts[1]}
	if len(parts) == 3 {
		m.Name = parts[2]
	}
	return m, m.check()
}

func (m *CertMap) check() error {
	fp, err := normalizeFingerprint(m.Fingerprint)
	if err != nil {
		return err
	}
	m.fp = fp
	switch m.MapType {
	case MapSpecified:
		if err := ValidUsername(m.Name); err != nil {
			return fmt.Errorf("auth: cert-to-name %s: %w", m.Fingerprint, err)
		}
	case MapSANRFC822Name, MapSANDNSName, MapSANIPAddress, MapSANAny, MapCommonName:
		if m.Name != "" {
			return fmt.Errorf("auth: cert-to-name %s: a name goes only with map type specified", m.Fingerprint)
		}
	default:
		return fmt.Errorf("auth: cert-to-name %s: unknown map type %q", m.Fingerprint, m.MapType)
	}
	return nil
}

// name returns the username m gives for the client certificate leaf, "" when its map type
// finds nothing in it.
func (m CertMap) name(leaf *x509.Certificate) string {
	rfc822 := func() string {
		if len(leaf.EmailAddresses) > 0 {
			return leaf.EmailAddresses[0]
		}
		return ""
	}
	dns := func() string {
		if len(leaf.DNSNames) > 0 {
			return strings.ToLower(leaf.DNSNames[0])
		}
		return ""
	}
	ip := func() string {
		if len(leaf.IPAddresses) > 0 {
			return leaf.IPAddresses[0].String()
		}
		return ""
	}
	switch m.MapType {
	case MapSpecified:
		return m.Name
	case MapSANRFC822Name:
		return rfc822()
	case MapSANDNSName:
		return dns()
	case MapSANIPAddress:
		return ip()
	case MapSANAny:
		for _, f := range []func() string{rfc822, dns, ip} {
			if n := f(); n != "" {
				return n
			}
		}
	case MapCommonName:
		return leaf.Subject.CommonName
	}
	return ""
}

// CertUser maps the verified chains of a TLS client (tls.ConnectionState.VerifiedChains) to a
// username: the CertToName entries in order (RFC 7407: the first entry whose fingerprint is
// the client certificate's or a CA's of the chain and whose map type yields a valid username
// wins), then CertNames (the certificate's own fingerprint), then the certificate's
// CommonName unless Options.NoCommonNameFallback. It serves NETCONF over TLS (RFC 7589) and
// the wss upgrade alike. The error is a 401 *Error.
func (a *Authenticator) CertUser(chains [][]*x509.Certificate) (string, error) {
	if len(chains) == 0 || len(chains[0]) == 0 {
		return "", &Error{Status: http.StatusUnauthorized, Msg: "no verified client certificate"}
	}
	leaf := chains[0][0]
	sum := sha256.Sum256(leaf.Raw)
	leafFP := hex.EncodeToString(sum[:])
	if len(a.certMaps) > 0 {
		fps := map[string]bool{}
		for _, ch := range chains {
			for _, c := range ch {
				s := sha256.Sum256(c.Raw)
				fps[hex.EncodeToString(s[:])] = true
			}
		}
		for _, m := range a.certMaps {
			if !fps[m.fp] {
				continue
			}
			if n := m.name(leaf); n != "" && ValidUsername(n) == nil {
				return n, nil
			}
		}
	}
	if name, ok := a.certs[leafFP]; ok {
		return name, nil
	}
	if !a.opts.NoCommonNameFallback {
		if name := leaf.Subject.CommonName; ValidUsername(name) == nil {
			return name, nil
		}
	}
	a.log.Warn("auth: client certificate maps to no user", "subject", leaf.Subject.String(), "sha256", leafFP)
	if a.opts.OnFailure != nil {
		a.opts.OnFailure("cert")
	}
	return "", &Error{Status: http.StatusUnauthorized, Msg: "client certificate maps to no user"}
}
