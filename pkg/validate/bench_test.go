package validate

import (
	"fmt"
	"testing"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/schema"
)

// ifSchema is a hand-built stand-in for ietf-interfaces + ietf-ip (the parts the benchmark
// document uses).
func ifSchema() *schema.Schema {
	return build("if",
		container("interfaces",
			list("interface", "name",
				leaf("name", tString),
				leaf("description", tString),
				leaf("type", tString, mandatory()),
				leaf("enabled", tString, def("true")),
				container("ipv4", presence(),
					leaf("enabled", tString, def("true")),
					leaf("forwarding", tString, def("false")),
					leaf("mtu", tUint16),
					list("address", "ip",
						leaf("ip", tString),
						choice("subnet", mandatory(),
							leaf("prefix-length", tUint16),
							leaf("netmask", tString),
						),
					),
				),
			),
		),
		container("routing", leaf("out", leafref("/interfaces/interface/name", true))),
	)
}

// bigIf builds the document of gen-big-ietf-if.py with n interfaces.
func bigIf(tb testing.TB, s *schema.Schema, n int) *data.Node {
	tr := tree{t: nil, s: s}
	root := data.NewRoot()
	ifs := data.New(s.TopNodes()[0])
	root.Insert(ifs)
	ifSchema := ifs.Schema.DataChildren()[0]
	kids := ifSchema.DataChildren()
	ipv4 := kids[4]
	v4kids := ipv4.DataChildren()
	addr := v4kids[3]
	akids := addr.DataChildren()
	leafOf := func(s *schema.Node, v string) *data.Node {
		return data.NewLeaf(s, data.Value{Type: s.Type, Str: v})
	}
	_ = tr
	for i := 0; i < n; i++ {
		e := data.New(ifSchema)
		e.Insert(leafOf(kids[0], fmt.Sprintf("eth%d", i)))
		e.Insert(leafOf(kids[1], fmt.Sprintf("generated port %d", i)))
		e.Insert(leafOf(kids[2], "iana-if-type:ethernetCsmacd"))
		e.Insert(leafOf(kids[3], "true"))
		v4 := data.New(ipv4)
		v4.Insert(leafOf(v4kids[2], "1500"))
		a := data.New(addr)
		a.Insert(leafOf(akids[0], fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255)))
		a.Insert(leafOf(akids[1], "24"))
		v4.Insert(a)
		e.Insert(v4)
		ifs.Insert(e)
	}
	return root
}

func BenchmarkValidateHandBuilt100k(b *testing.B) {
	s := ifSchema()
	v := New(s)
	root := bigIf(b, s, 100000)
	if errs := v.Validate(root, Options{}); len(errs) > 0 {
		b.Fatal(errs[0])
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if errs := v.Validate(root, Options{}); len(errs) > 0 {
			b.Fatal(errs[0])
		}
	}
}

func BenchmarkValidateHandBuilt100kFresh(b *testing.B) {
	s := ifSchema()
	v := New(s)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		root := bigIf(b, s, 100000)
		b.StartTimer()
		if errs := v.Validate(root, Options{}); len(errs) > 0 {
			b.Fatal(errs[0])
		}
	}
}
