package validate_test

import (
	"fmt"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/validate"
)

func Example() {
	// module ex { container system { leaf hostname { mandatory true; } leaf port { default 830; } } }
	// (usually compiled by yangload; built by hand here)
	str := &schema.Type{Name: "string", Base: schema.String}
	mod := &schema.Module{Name: "ex", Namespace: "urn:ex", Prefix: "ex", Implemented: true}
	sys := &schema.Node{Decl: &schema.Decl{Name: "system"}, Kind: schema.KindContainer, Module: mod, Config: true}
	host := &schema.Node{Decl: &schema.Decl{Name: "hostname"}, Kind: schema.KindLeaf, Module: mod, Parent: sys, Config: true,
		Type: str, Mandatory: true}
	port := &schema.Node{Decl: schema.NewDecl(schema.DeclInfo{Name: "port", Default: []string{"830"}}), Kind: schema.KindLeaf, Module: mod, Parent: sys, Config: true,
		Type: str}
	sys.Children = []*schema.Node{host, port}
	mod.Data = []*schema.Node{sys}
	s := &schema.Schema{Modules: []*schema.Module{mod}}
	s.Finalize()

	v := validate.New(s)
	root := data.NewRoot() // an empty configuration
	for _, e := range v.Validate(root, validate.Options{}) {
		fmt.Println(e.Tag, e.Path)
	}
	// The defaults in use are now in the tree.
	root.Walk(func(n *data.Node) bool {
		if n.Default && n.Schema.Kind == schema.KindLeaf {
			fmt.Println("default:", n.Path(), n.Value.Str)
		}
		return true
	})
	// Output:
	// missing-element /ex:system/hostname
	// default: /ex:system/port 830
}

func ExampleValidator_ValidateChanges() {
	// module ex { container system { leaf hostname { mandatory true; } leaf port { default 830; } } }
	str := &schema.Type{Name: "string", Base: schema.String}
	mod := &schema.Module{Name: "ex", Namespace: "urn:ex", Prefix: "ex", Implemented: true}
	sys := &schema.Node{Decl: &schema.Decl{Name: "system"}, Kind: schema.KindContainer, Module: mod, Config: true}
	host := &schema.Node{Decl: &schema.Decl{Name: "hostname"}, Kind: schema.KindLeaf, Module: mod, Parent: sys, Config: true,
		Type: str, Mandatory: true}
	port := &schema.Node{Decl: schema.NewDecl(schema.DeclInfo{Name: "port", Default: []string{"830"}}), Kind: schema.KindLeaf, Module: mod, Parent: sys, Config: true,
		Type: str}
	sys.Children = []*schema.Node{host, port}
	mod.Data = []*schema.Node{sys}
	s := &schema.Schema{Modules: []*schema.Module{mod}}
	s.Finalize()
	v := validate.New(s)

	// A valid running configuration, default-filled by a first validation.
	root := data.NewRoot()
	system := data.New(sys)
	root.Insert(system)
	system.Insert(data.NewLeaf(host, data.Value{Type: str, Str: "r1"}))
	fmt.Println("valid:", len(v.Validate(root, validate.Options{})) == 0)

	// An edit applied in place through a Txn: delete hostname and the port (it comes back as its
	// default).
	var tx data.Txn
	tx.Remove(system.Child(host))
	tx.Remove(system.Child(port))
	errs := v.ValidateChanges(root, tx.Locs(), validate.Options{Txn: &tx})
	for _, e := range errs {
		fmt.Println(e.Tag, e.Path)
	}
	fmt.Println("port:", system.Child(port).Value.Str)
	// Invalid: undo the edit together with what validation changed.
	tx.Undo()
	fmt.Println("hostname:", system.Child(host).Value.Str)
	// Output:
	// valid: true
	// missing-element /ex:system/hostname
	// port: 830
	// hostname: r1
}
