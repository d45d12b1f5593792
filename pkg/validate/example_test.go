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
	sys := &schema.Node{Kind: schema.KindContainer, Name: "system", Module: mod, Config: true}
	host := &schema.Node{Kind: schema.KindLeaf, Name: "hostname", Module: mod, Parent: sys, Config: true,
		Type: str, Mandatory: true}
	port := &schema.Node{Kind: schema.KindLeaf, Name: "port", Module: mod, Parent: sys, Config: true,
		Type: str, Default: []string{"830"}}
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
