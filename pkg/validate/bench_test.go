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

// flatList builds container c { list e { key k; leaf k { type uint32; } leaf v { type string; } } }
// with n entries.
func flatList(n int) (*schema.Schema, *data.Node) {
	tUint32 := &schema.Type{Name: "uint32", Base: schema.Uint32}
	s := build("flat", container("c", list("e", "k", leaf("k", tUint32), leaf("v", tString))))
	root := data.NewRoot()
	c := data.New(s.TopNodes()[0])
	root.Insert(c)
	es := c.Schema.DataChildren()[0]
	ks, vs := es.DataChildren()[0], es.DataChildren()[1]
	for i := 0; i < n; i++ {
		e := data.New(es)
		e.Insert(data.NewLeaf(ks, data.Value{Type: ks.Type, Str: fmt.Sprint(i)}))
		e.Insert(data.NewLeaf(vs, data.Value{Type: vs.Type, Str: fmt.Sprintf("value %d", i)}))
		c.Insert(e)
	}
	return s, root
}

// BenchmarkValidateChanges measures the validation of a one-entry edit of a flat list of 1k, 10k
// and 100k entries: the cost must not grow with the list ("full" is Validate, for comparison).
func BenchmarkValidateChanges(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		s, root := flatList(n)
		v := New(s)
		if errs := v.Validate(root, Options{}); len(errs) > 0 {
			b.Fatal(errs[0])
		}
		c := root.Children()[0]
		es := c.Schema.DataChildren()[0]
		ks, vs := es.DataChildren()[0], es.DataChildren()[1]
		mid := c.Find(es, fmt.Sprint(n/2))
		b.Run(fmt.Sprintf("set-value/%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var tx data.Txn
			for i := 0; i < b.N; i++ {
				old := mid.Child(vs)
				tx.Replace(old, data.NewLeaf(vs, data.Value{Type: vs.Type, Str: fmt.Sprintf("v%d", i&1)}))
				if errs := v.ValidateChanges(root, tx.Locs(), Options{}); len(errs) > 0 {
					b.Fatal(errs[0])
				}
				tx.Reset()
			}
		})
		b.Run(fmt.Sprintf("add-entry/%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var tx data.Txn
			for i := 0; i < b.N; i++ {
				e := data.New(es)
				e.Insert(data.NewLeaf(ks, data.Value{Type: ks.Type, Str: fmt.Sprint(n)}))
				e.Insert(data.NewLeaf(vs, data.Value{Type: vs.Type, Str: "new"}))
				tx.Insert(c, e, nil)
				if errs := v.ValidateChanges(root, tx.Locs(), Options{}); len(errs) > 0 {
					b.Fatal(errs[0])
				}
				// Undoing is not timed: Txn.Undo looks the entry up by a scan of the list.
				b.StopTimer()
				tx.Undo()
				b.StartTimer()
			}
		})
		b.Run(fmt.Sprintf("full/%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if errs := v.Validate(root, Options{}); len(errs) > 0 {
					b.Fatal(errs[0])
				}
			}
		})
	}
}
