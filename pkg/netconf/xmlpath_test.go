package netconf

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ncws/ncws/pkg/schema"
)

func TestXMLPath(t *testing.T) {
	s := &schema.Schema{Modules: []*schema.Module{
		{Name: "ietf-netconf", Prefix: "nc", Namespace: BaseNamespace, Implemented: true},
		{Name: "ncws-example", Prefix: "ex", Namespace: "urn:ex", Implemented: true},
		{Name: "aug", Prefix: "ex2", Namespace: "urn:aug", Implemented: true},
		// Two modules with one prefix: both are named by their module names.
		{Name: "dup-a", Prefix: "d", Namespace: "urn:da", Implemented: true},
		{Name: "dup-b", Prefix: "d", Namespace: "urn:db", Implemented: true},
		{Name: "ietf-yang-types", Prefix: "yang", Namespace: "urn:yt"},
		{Name: "xmlish", Prefix: "xmlp", Namespace: "urn:xmlish", Implemented: true},
	}}
	s.Finalize()
	ex := NamespaceDecl{"ex", "urn:ex"}
	for _, tc := range []struct {
		in, want string
		decls    []NamespaceDecl
		ok       bool
	}{
		{in: "/ncws-example:interfaces/interface[name='eth0']/mtu",
			want: "/ex:interfaces/ex:interface[ex:name='eth0']/ex:mtu", decls: []NamespaceDecl{ex}, ok: true},
		{in: "/ncws-example:a/aug:b[k1='x'][aug:k2=\"it's\"]/aug:c[.='v]']",
			want: "/ex:a/ex2:b[ex2:k1='x'][ex2:k2=\"it's\"]/ex2:c[.='v]']", decls: []NamespaceDecl{ex, {"ex2", "urn:aug"}}, ok: true},
		{in: "/dup-a:x/dup-b:y/z", want: "/dup-a:x/dup-b:y/dup-b:z",
			decls: []NamespaceDecl{{"dup-a", "urn:da"}, {"dup-b", "urn:db"}}, ok: true},
		{in: "/xmlish:x", want: "/xmlish:x", decls: []NamespaceDecl{{"xmlish", "urn:xmlish"}}, ok: true},
		{in: "/ietf-netconf:rpc/kill-session/session-id", want: "/nc:rpc/nc:kill-session/nc:session-id",
			decls: []NamespaceDecl{{"nc", BaseNamespace}}, ok: true},
		// An action's parameter in the request: the <action> element is in the YANG namespace,
		// prefix yang (ietf-yang-types, whose prefix that is, is named by its module name).
		{in: "/ietf-netconf:rpc/yang:action/ncws-example:interfaces/interface[name='e']/reset/delay",
			want:  "/nc:rpc/yang:action/ex:interfaces/ex:interface[ex:name='e']/ex:reset/ex:delay",
			decls: []NamespaceDecl{{"nc", BaseNamespace}, {"yang", YANGNamespace}, ex}, ok: true},
		{in: "/ietf-yang-types:x", want: "/ietf-yang-types:x", decls: []NamespaceDecl{{"ietf-yang-types", "urn:yt"}}, ok: true},
		{in: "/ncws-example:list[3]", want: "/ex:list[3]", decls: []NamespaceDecl{ex}, ok: true},
		{in: "/", want: "/", ok: true},
		// Not in the RFC 7951 form: left alone.
		{in: "/nowhere:a/b", want: "/nowhere:a/b"},
		{in: "/a/b", want: "/a/b"},
		{in: "/ncws-example:a[name='x", want: "/ncws-example:a[name='x"},
		{in: "relative", want: "relative"},
	} {
		got, decls, ok := XMLPath(tc.in, s)
		if got != tc.want || ok != tc.ok || !cmp.Equal(decls, tc.decls) {
			t.Errorf("XMLPath(%q) = %q, %v, %v; want %q, %v, %v", tc.in, got, decls, ok, tc.want, tc.decls, tc.ok)
		}
	}
}
