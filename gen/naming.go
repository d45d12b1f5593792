package gen

import (
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/ncws/ncws/pkg/schema"
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
//     keywords and predeclared identifiers (all lower-case) cannot occur. M(m) below is a
//     module's name by steps 1-2 (ietf-interfaces -> IetfInterfaces); it never holds '_'.
//  3. A package-level name is a function of its own node's schema path, never of the other
//     nodes loaded, so adding modules, or a vendor release adding nodes elsewhere, renames no
//     type whose path is unchanged:
//     - a container or list entry struct: M of its top-level node's module, '_', then each data
//     node of its path (choice and case skipped; under CompressPaths the compressed config,
//     state and list-surrounding containers skipped too) by steps 1-2, joined by '_'; a node
//     from another module than its data parent (an augment) is written "__" M(its module) '_'
//     its name, so that two modules augmenting one node with one name never meet:
//     /if:interfaces/if:interface/ip:ipv4 (ietf-interfaces, augmented by ietf-ip) ->
//     IetfInterfaces_Interfaces_Interface__IetfIP_IPv4.
//     - an rpc's or top-level notification's struct: M(module) '_' name, with "Input" or
//     "Output" appended for an rpc (IetfSystem_SystemRestartInput); an action's or nested
//     notification's: its parent struct's name, then '_' name (Input/Output), as a data child;
//     a container or list inside an operation: as a data node below it.
//     - an enumeration or union typedef: M(typedef's module) '_' typedef name; an identityref:
//     M '_' name of each base, joined by '_'; an inline enumeration or union: its owner struct's
//     name '_' its leaf's name (a top-level leaf: M(module) '_' name), an enumeration inside a
//     union with "Enum" appended (a typedef'd union's: M '_' typedef "Enum").
//     - a union wrapper: the union's name '_' the member's Go type (Uint32, String, Enum,
//     Identity ...); an enum constant: the type's name '_' the value's name by step 1 only
//     (NcwsExample_OperState_Up); an identity constant: the same when the identity is in the
//     module of the type's first base, else the type's name '_' M(identity's module) '_' its
//     name (IetfInterfaces_InterfaceType_IanaIfType_EthernetCsmacd).
//     - under Options.ShareGroupings, a type shared by the instances of a grouping's node:
//     M(grouping's module) '_' G(grouping) then '_' and each data node inside it
//     (JunosQfxConfInterfaces_InterfacesGroup_Interfaces), see share.go. Each instance keeps
//     its path name above, declared as an alias of the shared type (type
//     IetfX_A_Address = IetfX_Endpoint_Address), so the path names are the names to write code
//     against: they stay when a release renames the grouping, uses it once more, or changes an
//     instance (which then gets its struct back under the same name). A type shared by more
//     than 1,000 instances (Junos's apply-advanced list apply-macro, repeated in nearly every
//     container) declares no aliases: its grouping name is its only name.
//     - per module with operations: M(module) followed by Server, UnimplementedServer ...
//     (NcwsExampleServer, RegisterNcwsExampleServer); the document root is Root.
//  4. Fields: a struct's fields are its data children by steps 1-2 (NTP, Interface). A child of
//     the struct node's own module keeps that name; a child augmented in by another module
//     (every child of Root counts as one) keeps it unless another field of the struct has the
//     same name, in which case each such augmenting field is M(its module) '_' name, whichever
//     module came first (IetfIP_IPv4). Each struct's fields form a namespace together with
//     its methods FromTree and ToTree and the Append/Get/New<Field> helpers of its list
//     fields, named after every field so that fields keep their names. Server, client and
//     notifier methods are named by the operation (an action: its parent node's name and its
//     own, InterfaceReset), in one namespace per module.
//  5. What rule 3 and 4 leave equal (siblings "foo-bar" and "foo_bar" or "type" and "Type" in
//     one module, a leaf named like a generated method, a typedef named like a top-level node of
//     its module) is resolved in schema order: the first claimant keeps the name, a later one
//     gets the first free numeric suffix from 2 (FooBar2, ToTree2). The claimants are always
//     nodes of one module and one parent (or one module's top level), so no other module can
//     take part in such a clash.
//
// The same schema and options give the same names, and a node's name depends only on its path:
// the names of the nodes of one module set stay when modules are added (the golden case
// "stable" generates a set with and without an extra module and compares; under
// ShareGroupings TestStableNamesShared compiles code written against one set's path names
// against the next set's package and a later release's).
//
// --ygot output (package ygotgen) keeps ygot's own names.

// Initialisms lists the parts written in a fixed case in Go names; matching ignores case.
var Initialisms = []string{
	"AAA", "ACL", "API", "ARP", "AS", "ASCII", "BFD", "BGP", "CPU", "DHCP", "DNS", "DSCP", "EOF",
	"GRE", "GUID", "HTML", "HTTP", "HTTPS", "ICMP", "ICMPv6", "ID", "IGMP", "IP", "IPsec", "IPv4",
	"IPv6", "ISIS", "JSON", "LACP", "LDP", "LLDP", "LSP", "MAC", "MPLS", "MTU", "NAT", "NTP",
	"OSPF", "PIM", "QoS", "RIP", "RPC", "SNMP", "SQL", "SSH", "TCP", "TLS", "TTL", "UDP", "UID",
	"URI", "URL", "UTF8", "UUID", "VLAN", "VPN", "VRF", "VRRP", "XML", "YANG",
}

// initialisms returns the map of the lower-case form of each of Initialisms to it, made on
// first use (see builtinTypes).
func initialisms() map[string]string {
	initialismsOnce.Do(func() {
		m := make(map[string]string, len(Initialisms))
		for _, s := range Initialisms {
			m[strings.ToLower(s)] = s
		}
		initialismsMap = m
	})
	return initialismsMap
}

var (
	initialismsOnce sync.Once
	initialismsMap  map[string]string
)

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
		if s, ok := initialisms()[strings.ToLower(p)]; ok {
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

// modName is M(m) of the rule: the module's name by steps 1-2.
func modName(m *schema.Module) string {
	if m == nil {
		return "X"
	}
	return GoName(m.Name)
}

// pathStep is the part of a struct's name that child node sn adds after its parent's: '_' and
// its name, or for a node of another module than its data parent's (parentMod), "__", M(its
// module), '_' and its name.
func pathStep(sn *schema.Node, parentMod *schema.Module) string {
	if parentMod == nil || sn.Module == parentMod {
		return "_" + GoName(sn.Name)
	}
	return "__" + modName(sn.Module) + "_" + GoName(sn.Name)
}

// topName is the name of a struct for top-level node sn: M(module) '_' name.
func topName(sn *schema.Node) string { return modName(sn.Module) + "_" + GoName(sn.Name) }

// A namespace hands out unique names by step 5 of the rule.
type namespace struct {
	owner map[string]bool
}

func newNamespace(reserved ...string) *namespace {
	ns := &namespace{owner: map[string]bool{}}
	for _, r := range reserved {
		ns.owner[r] = true
	}
	return ns
}

// claim returns want if free, else want with the first free numeric suffix from 2.
func (ns *namespace) claim(want string) string {
	if !ns.owner[want] {
		ns.owner[want] = true
		return want
	}
	for i := 2; ; i++ {
		if s := want + strconv.Itoa(i); !ns.owner[s] {
			ns.owner[s] = true
			return s
		}
	}
}
