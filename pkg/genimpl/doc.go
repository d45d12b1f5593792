// Package genimpl is the runtime support of the Go packages that ncws gen generates, and is meant
// for generated code only: it converts between the instance tree of pkg/data and the typed values
// of generated structs (RFC 7950 section 9 for the lexical forms of each built-in type).
//
// Generated code references SupportPackageIsVersion5 (or an earlier version), so that a generated package built against a
// runtime that no longer supports its generation fails to compile instead of misbehaving (the
// pattern of grpc's SupportPackageIsVersionN).
//
// Conversion is table-driven (table.go): a generated struct's fields carry `yang` tags naming the
// data nodes they hold, and FromTree, ToTree and ToRoot walk a table built once per struct type
// from them; a generated package declares one Package (its union types) and its methods are one
// call each:
//
//	type Interface struct {
//		Name *string `yang:"name"`
//		MTU  *uint16 `yang:"mtu"`
//	}
//
//	func (x *Interface) FromTree(n *data.Node) error { return genimpl.FromTree(&conv, x, n) }
//
// A generated list helper (Append<List>, Get<List>, New<List>) and an enumeration's String and
// Parse<Type> are one call each too, into Append, Get, New and an Enum table (list.go).
//
// Typed finds the struct of a changed node by walking the tables from Root. ToTree checks every
// value against its type through a Builder, which hand-written code can use as well.
package genimpl
