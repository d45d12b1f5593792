package gen

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Naming. THE rule, applied to every name gen emits:
//
//  1. A YANG identifier (or enum, bit or identity name) is split into parts at every character
//     that cannot appear in a Go identifier ('-', '_', '.', '/', ' ' ...). Each part is
//     capitalised (first letter upper-cased, the rest kept), except that a part equal, ignoring
//     case, to an entry of Initialisms is written as that entry ("mac-address" -> MACAddress,
//     "ipv4" -> IPv4, "interface-id" -> InterfaceID). The parts are joined without separator.
//  2. A name that would not start with an upper-case letter (a leading digit, an empty result,
//     a letter without case) gets the prefix "X" ("10g" -> X10g). Every name is exported, so Go
//     keywords and predeclared identifiers (all lower-case) cannot occur.
//  3. A struct type (container, list entry) is named by steps 1-2 from its node's name when no
//     other container or list of the emitted modules gives the same name; otherwise, below top
//     level, by its parent's type name, an underscore and that name (a "config" container under
//     list "interface" -> Interface_Config). An enumeration or union type takes its typedef's
//     name, else its owning struct's name, an underscore and its leaf's name
//     (Interface_Speed; an enumeration inside a union gets "Enum" appended); an identityref
//     type takes its base identities' names joined by underscores. Union member wrappers are
//     the union's name, an underscore and the member's Go type (Interface_Speed_Uint32,
//     _String, _Enum, _Identity ...). Enum and identity constants are the type's name, an
//     underscore and the value's name by step 1 only (OperState_Up, Speed_10G). The document
//     root type is Root.
//  4. Clashes left (two YANG names giving one Go name such as "foo-bar" and "foo_bar", "type"
//     and "Type", a leaf named like a generated method or like Root) are resolved in schema
//     order: the first claimant keeps the name; a later one gets its module prefix appended
//     (FooBarEx) when it is from another module than the YANG node holding the name and that
//     name is free, else the first free numeric suffix from 2 (FooBar2, ToTree2, Root2).
//     Package-level names (types, then constants) form one namespace; each struct's fields form
//     another together with its methods FromTree and ToTree and the Append/Get/New<Field>
//     helpers of its list fields, which are named after every field so that fields keep their
//     names.
//
// The same schema and options give the same names. Adding modules can change names that then
// become shared.

// Initialisms lists the parts written in a fixed case in Go names; matching ignores case.
var Initialisms = []string{
	"AAA", "ACL", "API", "ARP", "AS", "ASCII", "BFD", "BGP", "CPU", "DHCP", "DNS", "DSCP", "EOF",
	"GRE", "GUID", "HTML", "HTTP", "HTTPS", "ICMP", "ICMPv6", "ID", "IGMP", "IP", "IPsec", "IPv4",
	"IPv6", "ISIS", "JSON", "LACP", "LDP", "LLDP", "LSP", "MAC", "MPLS", "MTU", "NAT", "NTP",
	"OSPF", "PIM", "QoS", "RIP", "RPC", "SNMP", "SQL", "SSH", "TCP", "TLS", "TTL", "UDP", "UID",
	"URI", "URL", "UTF8", "UUID", "VLAN", "VPN", "VRF", "VRRP", "XML", "YANG",
}

var initialisms = func() map[string]string {
	m := make(map[string]string, len(Initialisms))
	for _, s := range Initialisms {
		m[strings.ToLower(s)] = s
	}
	return m
}()

// GoName returns the exported Go name of a YANG name by steps 1 and 2 of the rule.
func GoName(yangName string) string {
	s := camel(yangName)
	if r, _ := utf8.DecodeRuneInString(s); s == "" || !unicode.IsUpper(r) {
		s = "X" + s
	}
	return s
}

// camel applies step 1 of the rule only.
func camel(yangName string) string {
	var b strings.Builder
	part := func(p string) {
		if p == "" {
			return
		}
		if s, ok := initialisms[strings.ToLower(p)]; ok {
			b.WriteString(s)
			return
		}
		r, n := utf8.DecodeRuneInString(p)
		b.WriteRune(unicode.ToUpper(r))
		b.WriteString(p[n:])
	}
	start := -1
	for i, r := range yangName {
		ok := unicode.IsLetter(r) || unicode.IsDigit(r)
		if ok && start < 0 {
			start = i
		}
		if !ok && start >= 0 {
			part(yangName[start:i])
			start = -1
		}
	}
	if start >= 0 {
		part(yangName[start:])
	}
	return b.String()
}

// A namespace hands out unique names by step 4 of the rule.
type namespace struct {
	owner map[string]string // name -> module of the claimant holding it
}

func newNamespace(reserved ...string) *namespace {
	ns := &namespace{owner: map[string]string{}}
	for _, r := range reserved {
		ns.owner[r] = ""
	}
	return ns
}

func (ns *namespace) taken(name string) bool {
	_, ok := ns.owner[name]
	return ok
}

// claim returns want if free, else the collision rule's replacement; prefix is the claimant's
// module prefix (YANG), mod its module name.
func (ns *namespace) claim(want, mod, prefix string) string {
	holder, ok := ns.owner[want]
	if !ok {
		ns.owner[want] = mod
		return want
	}
	if mod != "" && holder != "" && holder != mod && prefix != "" {
		if s := want + GoName(prefix); !ns.taken(s) {
			ns.owner[s] = mod
			return s
		}
	}
	for i := 2; ; i++ {
		if s := want + strconv.Itoa(i); !ns.taken(s) {
			ns.owner[s] = mod
			return s
		}
	}
}
