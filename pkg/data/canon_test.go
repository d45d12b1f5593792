package data_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/schema"
)

var (
	inetMod = &schema.Module{Name: "ietf-inet-types", Prefix: "inet", Namespace: "urn:ietf:params:xml:ns:yang:ietf-inet-types"}
	yangMod = &schema.Module{Name: "ietf-yang-types", Prefix: "yang", Namespace: "urn:ietf:params:xml:ns:yang:ietf-yang-types"}
)

// inetType is a string typedef of ietf-inet-types, without its patterns (the canonical forms
// must hold on their own).
func inetType(name string) *schema.Type {
	return &schema.Type{Name: "inet:" + name, Typedef: name, Module: inetMod, Base: schema.String}
}

func TestCanonicalInetTypes(t *testing.T) {
	tests := []struct {
		typedef, in, want string
	}{
		// RFC 5952: lowercase, no leading zeros, the first longest run of zero groups as "::".
		{"ipv6-address", "2001:DB8::1", "2001:db8::1"},
		{"ipv6-address", "2001:db8:0:0:0:0:0:1", "2001:db8::1"},
		{"ipv6-address", "2001:0db8::0001", "2001:db8::1"},
		{"ipv6-address", "0:0:0:0:0:0:0:0", "::"},
		{"ipv6-address", "::1", "::1"},
		{"ipv6-address", "1:0:0:1:0:0:0:1", "1:0:0:1::1"},
		{"ipv6-address", "1:0:0:1:0:0:1:0", "1::1:0:0:1:0"},
		{"ipv6-address", "1:0:1:0:1:0:1:0", "1:0:1:0:1:0:1:0"},
		{"ipv6-address", "1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"},
		{"ipv6-address", "::1:2:3:4:5:6:7", "0:1:2:3:4:5:6:7"},
		{"ipv6-address", "1::0.0.0.0", "1::"},
		// Embedded IPv4: dotted only for IPv4-compatible and IPv4-mapped addresses.
		{"ipv6-address", "::ffff:1.2.3.4", "::ffff:1.2.3.4"},
		{"ipv6-address", "::FFFF:102:304", "::ffff:1.2.3.4"},
		{"ipv6-address", "::1.2.3.4", "::1.2.3.4"},
		{"ipv6-address", "::0.0.0.1", "::1"},
		{"ipv6-address", "::ffff:0:1.2.3.4", "::ffff:0:102:304"},
		{"ipv6-address", "64:ff9b::1.2.3.4", "64:ff9b::102:304"},
		{"ipv6-address", "1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304"},
		// The zone is kept as written.
		{"ipv6-address", "FE80::A%Eth0", "fe80::a%Eth0"},
		{"ipv6-address-no-zone", "2001:DB8::0:1", "2001:db8::1"},
		{"ipv4-address", "1.2.3.4", "1.2.3.4"},
		{"ipv4-address", "1.2.3.4%Eth0", "1.2.3.4%Eth0"},
		{"ipv4-address-no-zone", "0.0.0.0", "0.0.0.0"},
		// Prefixes: host bits zeroed.
		{"ipv4-prefix", "1.2.3.4/24", "1.2.3.0/24"},
		{"ipv4-prefix", "10.1.2.3/8", "10.0.0.0/8"},
		{"ipv4-prefix", "1.2.3.4/32", "1.2.3.4/32"},
		{"ipv4-prefix", "1.2.3.4/0", "0.0.0.0/0"},
		{"ipv4-prefix", "255.255.255.255/31", "255.255.255.254/31"},
		{"ipv6-prefix", "2001:DB8::1/64", "2001:db8::/64"},
		{"ipv6-prefix", "2001:db8:1:2:3:4:5:6/48", "2001:db8:1::/48"},
		{"ipv6-prefix", "::ffff:1.2.3.4/120", "::ffff:1.2.3.0/120"},
		{"ipv6-prefix", "FFFF::1/1", "8000::/1"},
		{"ipv6-prefix", "2001:db8::/08", "2000::/8"},
		{"ipv6-prefix", "1:2:3:4:5:6:7::/64", "1:2:3:4::/64"},
		{"ipv6-prefix", "2001:db8::1/0", "::/0"},
	}
	for _, tt := range tests {
		t.Run(tt.typedef+"/"+tt.in, func(t *testing.T) {
			v, err := data.ParseValue(inetType(tt.typedef), tt.in, nil)
			if err != nil {
				t.Fatalf("ParseValue(%q): %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, v.Str); diff != "" {
				t.Errorf("canonical form mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCanonicalInetTypesInvalid(t *testing.T) {
	tests := []struct{ typedef, in string }{
		// Values the RFC 6991 patterns let through but that are no addresses.
		{"ipv6-address", "::01.2.3.4"},
		{"ipv6-address", "::1.2.3.04"},
		{"ipv6-address", "1::2::3"},
		{"ipv6-address", ":1::2"},
		{"ipv6-address", "1::2:"},
		{"ipv6-address", "1:2:3:4:5:6:7"},
		{"ipv6-address", "1:2:3:4:5:6:7:8:9"},
		{"ipv6-address", "1:2:3:4:5:6:7:8::"},
		{"ipv6-address", "12345::1"},
		{"ipv6-address", "::1.2.3"},
		{"ipv6-address", "::g"},
		{"ipv6-address", ""},
		{"ipv4-address", "01.2.3.4"},
		{"ipv4-address", "1.2.3"},
		{"ipv4-address", "256.1.1.1"},
		{"ipv4-prefix", "1.2.3.4/33"},
		{"ipv4-prefix", "1.2.3.4"},
		{"ipv4-prefix", "1.2.3.4/"},
		{"ipv6-prefix", "::01.2.3.4/96"},
		{"ipv6-prefix", "::/129"},
	}
	for _, tt := range tests {
		t.Run(tt.typedef+"/"+tt.in, func(t *testing.T) {
			if v, err := data.ParseValue(inetType(tt.typedef), tt.in, nil); err == nil {
				t.Errorf("ParseValue(%q) = %q, want an invalid-value error", tt.in, v.Str)
			} else if err.Tag != "invalid-value" {
				t.Errorf("ParseValue(%q): error tag %q, want invalid-value", tt.in, err.Tag)
			}
		})
	}
}

// TestCanonicalKeptAsWritten checks the types yanglint keeps as written: the yang-types hex
// strings (whatever their case), date-and-time, and same-named typedefs of other modules.
func TestCanonicalKeptAsWritten(t *testing.T) {
	other := &schema.Module{Name: "other"}
	tests := []struct {
		typ *schema.Type
		in  string
	}{
		{&schema.Type{Typedef: "mac-address", Module: yangMod, Base: schema.String}, "AA:bb:CC:dd:EE:ff"},
		{&schema.Type{Typedef: "phys-address", Module: yangMod, Base: schema.String}, "AB:cD"},
		{&schema.Type{Typedef: "hex-string", Module: yangMod, Base: schema.String}, "AB:cD"},
		{&schema.Type{Typedef: "uuid", Module: yangMod, Base: schema.String}, "01234567-89AB-CDEF-0123-456789ABCDEF"},
		{&schema.Type{Typedef: "date-and-time", Module: yangMod, Base: schema.String}, "2024-01-02T03:04:05+02:00"},
		{&schema.Type{Typedef: "domain-name", Module: inetMod, Base: schema.String}, "Example.COM."},
		{&schema.Type{Typedef: "ipv6-address", Module: other, Base: schema.String}, "2001:DB8::1"},
		{&schema.Type{Base: schema.String}, "2001:DB8::1"},
	}
	for _, tt := range tests {
		t.Run(tt.typ.Typedef+"/"+tt.in, func(t *testing.T) {
			v, err := data.ParseValue(tt.typ, tt.in, nil)
			if err != nil {
				t.Fatalf("ParseValue(%q): %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.in, v.Str); diff != "" {
				t.Errorf("value mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCanonicalThroughUnionAndLeafref checks that ip-address and ip-prefix (unions) canonicalize
// through the member that matched, and a leafref to an address takes its target's form.
func TestCanonicalThroughUnionAndLeafref(t *testing.T) {
	ipAddr := &schema.Type{Typedef: "ip-address", Module: inetMod, Base: schema.Union,
		Union: []*schema.Type{inetType("ipv4-address"), inetType("ipv6-address")}}
	ipPrefix := &schema.Type{Typedef: "ip-prefix", Module: inetMod, Base: schema.Union,
		Union: []*schema.Type{inetType("ipv4-prefix"), inetType("ipv6-prefix")}}
	target := &schema.Node{Decl: &schema.Decl{Name: "ip"}, Kind: schema.KindLeaf, Type: inetType("ipv6-address-no-zone")}
	ref := &schema.Type{Base: schema.Leafref, Path: "../ip", Target: target}
	tests := []struct {
		name string
		typ  *schema.Type
		in   string
		want string
	}{
		{"ip-address v4", ipAddr, "1.2.3.4", "1.2.3.4"},
		{"ip-address v6", ipAddr, "2001:DB8::1", "2001:db8::1"},
		{"ip-address v6 zone", ipAddr, "FE80::1%X", "fe80::1%X"},
		{"ip-prefix v4", ipPrefix, "10.1.2.3/8", "10.0.0.0/8"},
		{"ip-prefix v6", ipPrefix, "2001:DB8::1/32", "2001:db8::/32"},
		{"leafref", ref, "2001:DB8:0::1", "2001:db8::1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := data.ParseValue(tt.typ, tt.in, nil)
			if err != nil {
				t.Fatalf("ParseValue(%q): %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, v.Str); diff != "" {
				t.Errorf("canonical form mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
