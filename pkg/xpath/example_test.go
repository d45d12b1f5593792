package xpath_test

import (
	"fmt"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/xpath"
)

// Example evaluates a must-style condition and a leafref-style path over a small tree:
// container interfaces { list interface { key name; leaf name; leaf mtu (uint16) } leaf primary }.
func Example() {
	m := &schema.Module{Name: "ex", Namespace: "urn:ex", Prefix: "ex", Implemented: true}
	m.Prefixes = schema.Prefixes{"ex": m}
	str := &schema.Type{Name: "string", Base: schema.String}
	u16 := &schema.Type{Name: "uint16", Base: schema.Uint16}
	ifs := &schema.Node{Decl: &schema.Decl{Name: "interfaces"}, Kind: schema.KindContainer, Module: m}
	list := &schema.Node{Decl: &schema.Decl{Name: "interface"}, Kind: schema.KindList, Module: m, Parent: ifs}
	name := &schema.Node{Decl: &schema.Decl{Name: "name"}, Kind: schema.KindLeaf, Module: m, Parent: list, Type: str}
	mtu := &schema.Node{Decl: &schema.Decl{Name: "mtu"}, Kind: schema.KindLeaf, Module: m, Parent: list, Type: u16}
	primary := &schema.Node{Decl: &schema.Decl{Name: "primary"}, Kind: schema.KindLeaf, Module: m, Parent: ifs, Type: str}
	list.Children = []*schema.Node{name, mtu}
	list.SetKeys([]*schema.Node{name})
	ifs.Children = []*schema.Node{list, primary}
	m.Data = []*schema.Node{ifs}
	s := &schema.Schema{Modules: []*schema.Module{m}}
	s.Finalize()

	root := data.NewRoot()
	top := data.New(ifs)
	root.Insert(top)
	for i, n := range []string{"eth0", "eth1"} {
		e := data.New(list)
		e.Insert(data.NewLeaf(name, data.Value{Str: n}))
		e.Insert(data.NewLeaf(mtu, data.Value{Str: fmt.Sprint(1500 + 500*i)}))
		top.Insert(e)
	}
	p := data.NewLeaf(primary, data.Value{Str: "eth1"})
	top.Insert(p)

	// A must on leaf primary: the interface it names has a jumbo MTU.
	must, err := xpath.Compile("../interface[name = current()]/mtu > 1500", m.Prefixes, m, primary)
	if err != nil {
		panic(err)
	}
	ok, err := must.EvalBool(p, p)
	fmt.Println(ok, err)

	// An absolute path evaluated from the root, and its value.
	path := xpath.MustCompile("/ex:interfaces/ex:interface[ex:mtu < 2000]/ex:name", m.Prefixes, m, nil)
	v, _ := path.Eval(root, nil)
	fmt.Println(v.Kind(), v.String(), len(v.Nodes()))

	// Numbers format as XPath specifies.
	n, _ := xpath.MustCompile("sum(/ex:interfaces/ex:interface/ex:mtu) div 3", nil, m, nil).Eval(root, nil)
	fmt.Println(n.String())
	// Output:
	// true <nil>
	// node-set eth0 1
	// 1166.6666666666667
}
