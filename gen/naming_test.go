package gen

import (
	"go/token"
	"testing"
)

func TestGoName(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"foo-bar", "FooBar"},
		{"foo_bar", "FooBar"},
		{"foo.bar", "FooBar"},
		{"type", "Type"},
		{"Type", "Type"},
		{"interface", "Interface"},
		{"mac-address", "MACAddress"},
		{"ipv4-address", "IPv4Address"},
		{"IPV6", "IPv6"},
		{"interface-id", "InterfaceID"},
		{"vlan-id", "VLANID"},
		{"qos-policy", "QoSPolicy"},
		{"mtu", "MTU"},
		{"fooBar", "FooBar"},
		{"10g", "X10g"},
		{"10G-full", "X10GFull"},
		{"foo bar", "FooBar"},
		{"a/b", "AB"},
		{"", "X"},
		{"---", "X"},
		{"état", "État"},
		{"名前", "X名前"},
		{"func", "Func"},
		{"string", "String"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := GoName(tt.in); got != tt.want {
				t.Errorf("GoName(%q) mismatch (-want +got):\n-%s\n+%s", tt.in, tt.want, got)
			}
		})
	}
}

func TestNamespaceClaim(t *testing.T) {
	tests := []struct {
		name     string
		reserved []string
		claims   []string
		want     []string
	}{
		{"later claimants get numbers", nil,
			[]string{"FooBar", "FooBar", "FooBar"},
			[]string{"FooBar", "FooBar2", "FooBar3"}},
		{"reserved method names give numbers", []string{"FromTree", "ToTree"},
			[]string{"ToTree", "ToTree"},
			[]string{"ToTree2", "ToTree3"}},
		{"numeric suffix skips taken names", nil,
			[]string{"A2", "A", "A"},
			[]string{"A2", "A", "A3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ns := newNamespace(tt.reserved...)
			var got []string
			for _, c := range tt.claims {
				got = append(got, ns.claim(c))
			}
			if diff := cmpDiff(tt.want, got); diff != "" {
				t.Errorf("names mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func FuzzGoName(f *testing.F) {
	for _, s := range []string{"foo-bar", "10g", "", "名前", "a..b", "ipv6", "_x", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := GoName(s)
		if !token.IsIdentifier(n) || !token.IsExported(n) {
			t.Errorf("GoName(%q) = %q, not an exported Go identifier", s, n)
		}
		if c := constName(s); !token.IsIdentifier("T_" + c) {
			t.Errorf("constName(%q) = %q, not an identifier suffix", s, c)
		}
	})
}
