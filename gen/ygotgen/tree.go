package ygotgen

// treeImports are the imports of the generated tree.go.
var treeImports = []string{
	`"fmt"`,
	``,
	`"github.com/ncws/ncws/pkg/data"`,
	`"github.com/ncws/ncws/pkg/genimpl"`,
	`"github.com/ncws/ncws/pkg/schema"`,
	`"github.com/openconfig/ygot/ygot"`,
	`"github.com/openconfig/ygot/ytypes"`,
}

// treeTemplate is the body of the generated tree.go; every %[1]s is the root struct's name.
const treeTemplate = `
// FromTree converts an ncws instance tree (a datastore's or a document's root) into a %[1]s,
// through the tree's RFC 7951 JSON encoding and ygot's Unmarshal. Data the GoStructs do not
// model (for example state shadowed by config under compressed paths) is left out.
func FromTree(n *data.Node) (*%[1]s, error) {
	b, err := genimpl.TreeJSON(n)
	if err != nil {
		return nil, fmt.Errorf("FromTree: %%w", err)
	}
	d := &%[1]s{}
	if err := Unmarshal(b, d, &ytypes.IgnoreExtraFields{}); err != nil {
		return nil, fmt.Errorf("FromTree: %%w", err)
	}
	return d, nil
}

// ToTree converts a %[1]s into a new ncws instance tree bound to s, through ygot's RFC 7951
// JSON encoding (ygot.EmitJSON, without ygot's validation; validate the tree instead). s must
// hold the modules the package was generated from.
func ToTree(d *%[1]s, s *schema.Schema) (*data.Node, error) {
	if d == nil {
		d = &%[1]s{}
	}
	js, err := ygot.EmitJSON(d, &ygot.EmitJSONConfig{
		Format:         ygot.RFC7951,
		RFC7951Config:  &ygot.RFC7951JSONConfig{AppendModuleName: true},
		SkipValidation: true,
	})
	if err != nil {
		return nil, fmt.Errorf("ToTree: %%w", err)
	}
	n, err := genimpl.TreeFromJSON(s, []byte(js))
	if err != nil {
		return nil, fmt.Errorf("ToTree: %%w", err)
	}
	return n, nil
}
`
