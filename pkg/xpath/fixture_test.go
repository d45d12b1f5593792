package xpath

import (
	"strconv"
	"strings"
	"testing"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/schema"
)

// fixture is a small hand-built schema and tree:
//
//	module t (prefix t, urn:t), imports o as "oo" and i as "ii":
//	  identity base; identity eth {base base;} identity fast-eth {base eth;}
//	  container top {
//	    leaf a; list item {key id; leaf id (uint32); leaf v; leaf n (int32); container sub {leaf x}}
//	    leaf-list tag; leaf z; leaf ref (leafref ../item/id); leaf ty (identityref base);
//	    leaf en (enumeration zero=0 one=1 ten=10); leaf bi (bits a=0 b=1 c=5);
//	    leaf ii (instance-identifier); leaf dec (decimal64, 2 digits)
//	    choice ch { case c1 { leaf c1leaf } }
//	    leaf oo:extra (augmented by module o)
//	  }
//	  container other { leaf b }
//	  rpc doit { input { leaf in1 } output { leaf out1 } }
//	module i (prefix i): identity ieth {base t:base;}
//	module o (prefix o): augments extra into /t:top
type fixture struct {
	s          *schema.Schema
	t, o, i    *schema.Module
	sn         map[string]*schema.Node
	root, top  *data.Node
	items      []*data.Node
	other, rpc *data.Node
	ids        map[string]*schema.Identity
}

func newFixture(tb testing.TB) *fixture {
	tb.Helper()
	f := &fixture{sn: map[string]*schema.Node{}, ids: map[string]*schema.Identity{}}
	t := &schema.Module{Name: "t", Namespace: "urn:t", Prefix: "t", Implemented: true, YangVersion: "1.1"}
	o := &schema.Module{Name: "o", Namespace: "urn:o", Prefix: "o", Implemented: true, YangVersion: "1.1"}
	im := &schema.Module{Name: "i", Namespace: "urn:i", Prefix: "i", Implemented: true, YangVersion: "1.1"}
	t.Prefixes = schema.Prefixes{"t": t, "oo": o, "ii": im}
	o.Prefixes = schema.Prefixes{"o": o, "t": t}
	im.Prefixes = schema.Prefixes{"i": im, "t": t}
	f.t, f.o, f.i = t, o, im
	ident := func(m *schema.Module, name string, bases ...*schema.Identity) *schema.Identity {
		id := &schema.Identity{Name: name, Module: m, Bases: bases}
		m.Identities = append(m.Identities, id)
		f.ids[name] = id
		return id
	}
	base := ident(t, "base")
	eth := ident(t, "eth", base)
	ident(t, "fast-eth", eth)
	ident(im, "ieth", base)

	str := &schema.Type{Name: "string", Base: schema.String}
	u32 := &schema.Type{Name: "uint32", Base: schema.Uint32}
	i32 := &schema.Type{Name: "int32", Base: schema.Int32}
	node := func(p *schema.Node, k schema.Kind, name string, m *schema.Module, typ *schema.Type) *schema.Node {
		n := &schema.Node{Decl: &schema.Decl{Name: name}, Kind: k, Module: m, Parent: p, Type: typ, Config: true}
		if p != nil {
			p.Children = append(p.Children, n)
		}
		f.sn[name] = n
		return n
	}
	top := node(nil, schema.KindContainer, "top", t, nil)
	node(top, schema.KindLeaf, "a", t, str)
	item := node(top, schema.KindList, "item", t, nil)
	id := node(item, schema.KindLeaf, "id", t, u32)
	item.SetKeys([]*schema.Node{id})
	node(item, schema.KindLeaf, "v", t, str)
	node(item, schema.KindLeaf, "n", t, i32)
	sub := node(item, schema.KindContainer, "sub", t, nil)
	node(sub, schema.KindLeaf, "x", t, str)
	node(top, schema.KindLeafList, "tag", t, str)
	node(top, schema.KindLeaf, "z", t, str)
	node(top, schema.KindLeaf, "ref", t, &schema.Type{Name: "leafref", Base: schema.Leafref, Path: "../item/id",
		PathPrefixes: t.Prefixes, PathModule: t, Target: id, RequireInstance: true})
	node(top, schema.KindLeaf, "ty", t, &schema.Type{Name: "identityref", Base: schema.Identityref,
		Bases: []*schema.Identity{base}})
	node(top, schema.KindLeaf, "en", t, &schema.Type{Name: "enumeration", Base: schema.Enumeration,
		Enums: []schema.Enum{{Name: "zero", Value: 0}, {Name: "one", Value: 1}, {Name: "ten", Value: 10}}})
	node(top, schema.KindLeaf, "bi", t, &schema.Type{Name: "bits", Base: schema.Bits,
		Bits: []schema.Bit{{Name: "a", Position: 0}, {Name: "b", Position: 1}, {Name: "c", Position: 5}}})
	node(top, schema.KindLeaf, "ii", t, &schema.Type{Name: "instance-identifier", Base: schema.InstanceIdentifier})
	node(top, schema.KindLeaf, "dec", t, &schema.Type{Name: "decimal64", Base: schema.Decimal64, FractionDigits: 2})
	ch := node(top, schema.KindChoice, "ch", t, nil)
	c1 := node(ch, schema.KindCase, "c1", t, nil)
	node(c1, schema.KindLeaf, "c1leaf", t, str)
	node(top, schema.KindLeaf, "extra", o, str)
	other := node(nil, schema.KindContainer, "other", t, nil)
	node(other, schema.KindLeaf, "b", t, str)
	rpc := node(nil, schema.KindRPC, "doit", t, nil)
	in := node(rpc, schema.KindInput, "input", t, nil)
	node(in, schema.KindLeaf, "in1", t, str)
	out := node(rpc, schema.KindOutput, "output", t, nil)
	node(out, schema.KindLeaf, "out1", t, str)
	t.Data = []*schema.Node{top, other}
	t.RPCs = []*schema.Node{rpc}
	f.s = &schema.Schema{Modules: []*schema.Module{t, o, im}}
	f.s.Finalize()

	// Data: top { a=hello item{1,"one",10,sub{x=x1}} item{2,"two",-5} item{3,"",7,sub{}}
	//   tag=[x y] z="  z  z " ref=2 ty=t:fast-eth en=ten bi="a c" ii=/t:top/item[id='3']/n
	//   dec=1.5 c1leaf=c extra=e }  other{ b=12 }
	f.root = data.NewRoot()
	f.top = data.New(top)
	f.root.Insert(f.top)
	f.leaf(f.top, "a", "hello")
	for _, it := range []struct {
		id   int
		v    string
		n    int
		subx string
	}{{1, "one", 10, "x1"}, {2, "two", -5, "-"}, {3, "", 7, ""}} {
		e := data.New(item)
		f.leaf(e, "id", strconv.Itoa(it.id))
		if it.v != "" {
			f.leaf(e, "v", it.v)
		}
		f.leaf(e, "n", strconv.Itoa(it.n))
		if it.subx != "-" {
			s := data.New(sub)
			e.Insert(s)
			if it.subx != "" {
				f.leaf(s, "x", it.subx)
			}
		}
		f.top.Insert(e)
		f.items = append(f.items, e)
	}
	f.leaf(f.top, "tag", "x")
	f.leaf(f.top, "tag", "y")
	f.leaf(f.top, "z", "  z  z ")
	f.leaf(f.top, "ref", "2")
	f.leaf(f.top, "ty", "t:fast-eth")
	f.leaf(f.top, "en", "ten")
	f.leaf(f.top, "bi", "a c")
	f.leaf(f.top, "ii", "/t:top/item[id='3']/n")
	f.leaf(f.top, "dec", "1.5")
	f.leaf(f.top, "c1leaf", "c")
	f.leaf(f.top, "extra", "e")
	f.other = data.New(other)
	f.root.Insert(f.other)
	f.leaf(f.other, "b", "12")
	f.rpc = data.New(rpc)
	data.NewRoot().Insert(f.rpc)
	f.leaf(f.rpc, "in1", "input-one")
	return f
}

// leaf adds a leaf or leaf-list entry named name (a fixture schema node) with lexical value s.
func (f *fixture) leaf(p *data.Node, name, s string) *data.Node {
	sn := f.sn[name]
	n := data.NewLeaf(sn, data.Value{Type: sn.Type, Str: s})
	p.Insert(n)
	return n
}

// show renders a value for comparison: node-sets as their nodes' paths (text nodes with
// "/text()"), other values as kind:string.
func show(v Value) string {
	if v.kind != NodeSet {
		return v.kind.String() + ":" + v.String()
	}
	var parts []string
	for _, x := range v.nodes {
		p := x.n.Path()
		if x.text {
			p += "/text()"
		}
		parts = append(parts, p)
	}
	return "{" + strings.Join(parts, " ") + "}"
}
