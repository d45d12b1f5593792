// Package yangxml encodes and decodes YANG instance data as XML (RFC 7950 section 7 for the
// encoding of each node kind, RFC 6241 for the <config>/<data> wrappers, XML 1.0 and Namespaces
// in XML 1.0 for the syntax).
//
// The decoder is schema-directed and streams over the byte-level tokenizer of internal/xmltok
// (shared with pkg/netconf) that checks well-formedness fully (tags, attributes, references,
// characters, comments, CDATA, the XML declaration) and refuses any DOCTYPE, so that no entity is
// ever expanded. Values are parsed with data.ParseValue, prefixes in identityref and
// instance-identifier values resolving against the element's in-scope namespace declarations.
// Semantic errors are all collected with their error-path and source line; a syntax error stops
// decoding. Where XML leaves room, the decoder reads documents the way yanglint (libyang) does, so
// that verdicts and error locations agree: a value ends at the first comment or processing
// instruction inside it (only whitespace may follow), text after a child element is an error at
// that child, list keys must keep their relative key-statement order, and error-paths are those of
// the point in the document where the error is found (a list entry names only the keys read so
// far). The encoder appends canonical XML: schema order, keys first, default namespace
// declarations only, stable across round trips.
//
// Beyond data, the decoder reads operations: an rpc's or action's input or a notification's
// content (DecodeOptions.Operation), an rpc-reply's output (Operation set to the output node,
// without a schema too, as a generated client has none), and a data tree holding one action or
// notification inside it (UnmarshalNested: RFC 7950 sections 7.15.2 and 7.16.2). The encoder
// writes an input or output node as its operation's element, also below its parent instance.
//
//	root, errs := yangxml.Unmarshal(doc, schema, yangxml.DecodeOptions{})
//	if len(errs) > 0 {
//		return errs // rpcerror.List, each with Path and Line
//	}
//	out, err := yangxml.Marshal(root, yangxml.EncodeOptions{Wrapper: "data", Indent: "  "})
package yangxml
