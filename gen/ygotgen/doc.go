// Package ygotgen is the --ygot half of ncws gen: it runs ygot's generator library (ygen for the
// intermediate representation, gogen for Go) and returns a package of ordinary ygot GoStructs,
// for users who also feed gNMI tooling, plus tree.go converting between the generated root struct
// and ncws instance trees through RFC 7951 JSON (the runtime's pkg/encoding/yangjson reached
// through pkg/genimpl on one side, ygot's Unmarshal and EmitJSON on the other).
//
// Only this package imports ygot; the runtime and ncws gen's default output never do.
//
//	files, err := ygotgen.Generate(ygotgen.Options{
//		Files:       []string{"models/openconfig-interfaces.yang"},
//		SearchPaths: []string{"models"},
//		Package:     "oc",
//	})
//	// files["tree.go"] holds FromTree(*data.Node) (*Device, error) and
//	// ToTree(*Device, *schema.Schema) (*data.Node, error).
package ygotgen
