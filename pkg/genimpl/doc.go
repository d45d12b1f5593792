// Package genimpl is the runtime support of the Go packages that ncws gen generates, and is meant
// for generated code only: it converts between the instance tree of pkg/data and the typed values
// of generated structs (RFC 7950 section 9 for the lexical forms of each built-in type).
//
// Generated code references SupportPackageIsVersion1, so that a generated package built against a
// runtime that no longer supports its generation fails to compile instead of misbehaving (the
// pattern of grpc's SupportPackageIsVersionN).
//
// Reading a tree, generated FromTree methods switch on Key of each child and convert its value
// with Int, Uint, Bool, Binary, Decimal, Bits or UnionMember. Writing one, generated ToTree
// methods fill a Builder:
//
//	b := genimpl.NewBuilder(sn)
//	if x.MTU != nil {
//		b.Leaf("example", "mtu", genimpl.FormatUint(*x.MTU))
//	}
//	return b.Done()
package genimpl
