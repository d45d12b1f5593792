package example_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ncws/ncws/generated/example"
	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
)

// benchDoc is a configuration-and-state document of n interfaces (each with every leaf kind the
// example model has: strings, integers, a boolean, an enumeration, an identityref, a union, bits,
// leaf-lists and nested containers), n routes (a choice) and n ACL rules.
func benchDoc(tb testing.TB, n int) *data.Node {
	tb.Helper()
	var b strings.Builder
	b.WriteString(`<data xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><interfaces xmlns="urn:ncws:yang:ncws-example">`)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `<interface><name>eth%d</name><description>port %d</description><type>ethernet</type><enabled>true</enabled>
<mtu>1500</mtu><address>192.0.2.%d/24</address><address>2001:db8::%x/64</address><ipv6><autoconf>false</autoconf></ipv6>
<speed>10000</speed><flags>promiscuous monitor</flags><oper-status>up</oper-status>
<statistics><in-octets>%d</in-octets><out-octets>%d</out-octets></statistics></interface>`, i, i, i%250+1, i+1, i*1000, i*7)
	}
	b.WriteString(`</interfaces><routing xmlns="urn:ncws:yang:ncws-example">`)
	for i := 0; i < n; i++ {
		if i%2 == 0 {
			fmt.Fprintf(&b, `<route><prefix>10.%d.%d.0/24</prefix><gateway>192.0.2.254</gateway><outgoing-interface>eth%d</outgoing-interface><metric>%d</metric></route>`, i/256, i%256, i, i%100)
		} else {
			fmt.Fprintf(&b, `<route><prefix>10.%d.%d.0/24</prefix><discard/></route>`, i/256, i%256)
		}
	}
	b.WriteString(`</routing><acl xmlns="urn:ncws:yang:ncws-example">`)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `<rule><name>r%d</name><sequence>%d</sequence><source>203.0.113.0/24</source><interface>eth%d</interface><action>deny</action></rule>`, i, i, i)
	}
	b.WriteString(`</acl></data>`)
	tree, errs := yangxml.Unmarshal([]byte(b.String()), example.Schema(), yangxml.DecodeOptions{})
	if len(errs) > 0 {
		tb.Fatal(errs)
	}
	return tree
}

// BenchmarkFromTree reads a document of 1,000 interfaces, routes and ACL rules into typed
// structs (make bench-convert; figures in docs/PERFORMANCE.md).
func BenchmarkFromTree(b *testing.B) {
	tree := benchDoc(b, 1000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var root example.Root
		if err := root.FromTree(tree); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkToTree writes the typed structs of the same document back to a tree, every value
// checked against its type.
func BenchmarkToTree(b *testing.B) {
	tree := benchDoc(b, 1000)
	var root example.Root
	if err := root.FromTree(tree); err != nil {
		b.Fatal(err)
	}
	s := example.Schema()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := root.ToTree(s); err != nil {
			b.Fatal(err)
		}
	}
}
