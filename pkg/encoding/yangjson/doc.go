// Package yangjson encodes and decodes YANG instance data as JSON (RFC 7951): module-qualified
// member names at top level and where the module changes, 64-bit integers and decimal64 as
// strings, empty as [null], identityref as "module:identity", instance-identifier with module
// names, lists and leaf-lists as arrays. Trees are the same data.Node trees the XML codec
// (package yangxml) produces, so a document can be converted between the two encodings.
//
//	root, errs := yangjson.Unmarshal(doc, schema, yangjson.DecodeOptions{})
//	if len(errs) > 0 {
//		return errs // rpcerror.List, each with Path and Line
//	}
//	out, err := yangjson.Marshal(root, yangjson.EncodeOptions{Indent: "  "})
package yangjson
