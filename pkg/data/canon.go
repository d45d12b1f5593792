package data

import (
	"strconv"
	"strings"

	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
)

// Canonical forms of the ietf-inet-types address and prefix typedefs (RFC 6991 section 4).
// RFC 6991 defines the canonical format of ipv6-address and ipv6-prefix as the RFC 5952 text
// form, and of the prefixes as the address with every bit beyond the prefix length zero. The
// forms follow what yanglint 2.1.30 computes (it parses the address part with the C library's
// inet_pton and prints it with inet_ntop), so that values spelled differently but denoting the
// same address compare equal (list keys, leaf-list entries, leafrefs) and print identically.
//
// Other ietf-yang-types typedefs (mac-address, phys-address, hex-string, uuid) are kept as
// written, as yanglint keeps them; date-and-time is kept too (yanglint rewrites it into its
// process's local time zone, which no offline validator can reproduce).

// canonKind identifies a typedef with a canonical form.
type canonKind uint8

const (
	canonNone canonKind = iota
	canonIPv4
	canonIPv6
	canonIPv4Prefix
	canonIPv6Prefix
)

// canonKindOf returns the canonical form that applies to a string type: the one of the typedef
// the type was declared with. (A typedef derived from an ietf-inet-types typedef in another
// module is not recognised: the compiled Type records only the nearest typedef.)
func canonKindOf(t *schema.Type) canonKind {
	if t.Module == nil || t.Module.Name != "ietf-inet-types" {
		return canonNone
	}
	switch t.Typedef {
	case "ipv4-address", "ipv4-address-no-zone":
		return canonIPv4
	case "ipv6-address", "ipv6-address-no-zone":
		return canonIPv6
	case "ipv4-prefix":
		return canonIPv4Prefix
	case "ipv6-prefix":
		return canonIPv6Prefix
	}
	return canonNone
}

// canonicalString returns the canonical form of string value s (already checked against the
// type's restrictions), or s itself when the type has no canonical form or s is canonical.
func canonicalString(t *schema.Type, s string) (string, *rpcerror.Error) {
	var c string
	switch canonKindOf(t) {
	case canonNone:
		return s, nil
	case canonIPv4:
		addr, zone := splitZone(s)
		a, ok := parseIPv4(addr)
		if !ok {
			return "", invalid("failed to convert IPv4 address %q", s)
		}
		c = formatIPv4(a) + zone
	case canonIPv6:
		addr, zone := splitZone(s)
		a, ok := parseIPv6(addr)
		if !ok {
			return "", invalid("failed to convert IPv6 address %q", s)
		}
		c = formatIPv6(a) + zone
	case canonIPv4Prefix:
		addr, n, ok := splitPrefix(s, 32)
		a, aok := parseIPv4(addr)
		if !ok || !aok {
			return "", invalid("failed to convert IPv4 prefix %q", s)
		}
		maskBits(a[:], n)
		c = formatIPv4(a) + "/" + strconv.Itoa(n)
	case canonIPv6Prefix:
		addr, n, ok := splitPrefix(s, 128)
		a, aok := parseIPv6(addr)
		if !ok || !aok {
			return "", invalid("failed to convert IPv6 prefix %q", s)
		}
		maskBits(a[:], n)
		c = formatIPv6(a) + "/" + strconv.Itoa(n)
	}
	if c == s {
		return s, nil
	}
	return c, nil
}

// splitZone splits an address at its zone index ("fe80::1%eth0"): the zone keeps its '%'.
func splitZone(s string) (addr, zone string) {
	if i := strings.IndexByte(s, '%'); i >= 0 {
		return s[:i], s[i:]
	}
	return s, ""
}

// splitPrefix splits "address/length"; ok is false unless length is a decimal number (leading
// zeros allowed) no greater than max.
func splitPrefix(s string, max int) (addr string, n int, ok bool) {
	i := strings.LastIndexByte(s, '/')
	if i < 0 || i == len(s)-1 || len(s)-i > 5 {
		return "", 0, false
	}
	for _, c := range []byte(s[i+1:]) {
		if c < '0' || c > '9' {
			return "", 0, false
		}
		n = n*10 + int(c-'0')
	}
	if n > max {
		return "", 0, false
	}
	return s[:i], n, true
}

// maskBits clears every bit of a beyond the first n.
func maskBits(a []byte, n int) {
	for i := range a {
		switch {
		case n >= 8:
			n -= 8
		case n > 0:
			a[i] &= byte(0xff << (8 - n))
			n = 0
		default:
			a[i] = 0
		}
	}
}

// parseIPv4 parses a dotted-quad: exactly four decimal octets, each at most 255, without
// leading zeros.
func parseIPv4(s string) (a [4]byte, ok bool) {
	octets := 0
	digits := 0
	val := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			if digits > 0 && val == 0 {
				return a, false // leading zero
			}
			val = val*10 + int(c-'0')
			if val > 255 {
				return a, false
			}
			digits++
		case c == '.' && digits > 0 && octets < 3:
			a[octets] = byte(val)
			octets++
			digits, val = 0, 0
		default:
			return a, false
		}
	}
	if digits == 0 || octets != 3 {
		return a, false
	}
	a[3] = byte(val)
	return a, true
}

func formatIPv4(a [4]byte) string {
	b := make([]byte, 0, 15)
	for i, o := range a {
		if i > 0 {
			b = append(b, '.')
		}
		b = strconv.AppendUint(b, uint64(o), 10)
	}
	return string(b)
}

func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// parseIPv6 parses an IPv6 address in the RFC 4291 section 2.2 text forms: eight groups of one
// to four hex digits, at most one "::" standing for one or more zero groups, and optionally a
// dotted-quad in place of the last two groups.
func parseIPv6(s string) (a [16]byte, ok bool) {
	i := 0
	if strings.HasPrefix(s, ":") {
		if !strings.HasPrefix(s, "::") {
			return a, false
		}
		i = 1
	}
	tp := 0
	colon := -1 // where "::" stands, in bytes
	tok := i
	digits, val := 0, 0
	for ; i < len(s); i++ {
		c := s[i]
		if d := hexVal(c); d >= 0 {
			if digits++; digits > 4 {
				return a, false
			}
			val = val<<4 | d
			continue
		}
		switch c {
		case ':':
			tok = i + 1
			if digits == 0 {
				if colon >= 0 {
					return a, false
				}
				colon = tp
				continue
			}
			if i+1 == len(s) || tp+2 > 16 {
				return a, false
			}
			a[tp], a[tp+1] = byte(val>>8), byte(val)
			tp += 2
			digits, val = 0, 0
		case '.':
			v4, ok := parseIPv4(s[tok:])
			if tp+4 > 16 || !ok {
				return a, false
			}
			copy(a[tp:], v4[:])
			tp += 4
			digits = 0
			i = len(s)
		default:
			return a, false
		}
	}
	if digits > 0 {
		if tp+2 > 16 {
			return a, false
		}
		a[tp], a[tp+1] = byte(val>>8), byte(val)
		tp += 2
	}
	if colon >= 0 {
		if tp == 16 {
			return a, false
		}
		n := tp - colon
		copy(a[16-n:], a[colon:tp])
		for j := colon; j < 16-n; j++ {
			a[j] = 0
		}
		tp = 16
	}
	return a, tp == 16
}

// formatIPv6 writes a in the RFC 5952 form: lowercase hex without leading zeros, the first
// longest run of two or more zero groups replaced by "::", and the last 32 bits as a dotted-quad
// for IPv4-compatible (::a.b.c.d) and IPv4-mapped (::ffff:a.b.c.d) addresses.
func formatIPv6(a [16]byte) string {
	var w [8]uint16
	for i := range w {
		w[i] = uint16(a[2*i])<<8 | uint16(a[2*i+1])
	}
	best, bestLen := -1, 0
	for i := 0; i < 8; {
		if w[i] != 0 {
			i++
			continue
		}
		j := i
		for j < 8 && w[j] == 0 {
			j++
		}
		if j-i > bestLen {
			best, bestLen = i, j-i
		}
		i = j
	}
	if bestLen < 2 {
		best = -1
	}
	b := make([]byte, 0, 46)
	for i := 0; i < 8; i++ {
		if best >= 0 && i >= best && i < best+bestLen {
			if i == best {
				b = append(b, ':')
			}
			continue
		}
		if i > 0 {
			b = append(b, ':')
		}
		if i == 6 && best == 0 && (bestLen == 6 || bestLen == 5 && w[5] == 0xffff) {
			b = append(b, formatIPv4([4]byte{a[12], a[13], a[14], a[15]})...)
			return string(b)
		}
		b = strconv.AppendUint(b, uint64(w[i]), 16)
	}
	if best >= 0 && best+bestLen == 8 {
		b = append(b, ':')
	}
	return string(b)
}
