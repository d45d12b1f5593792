// Package filter implements the NETCONF <filter> of <get> and <get-config>: subtree filtering
// (RFC 6241 section 6) and XPath filtering (RFC 6241 section 8.9, the :xpath capability) over a
// pkg/data tree.
//
// A Filter is compiled once per request from the filter's content (Subtree) or its select
// expression (XPath) against the schema, then applied to the datastore's tree: Apply returns a
// new tree holding copies of the selected nodes, in schema order, list entries in data order,
// Default flags kept, values shared with the source. MaySelect answers, per schema node, whether
// anything at or below it can be selected, so that a server asks a state provider only for data
// the filter can return.
//
//	f, rerr := filter.Subtree([]byte(`<top xmlns="urn:example"><item><name>a</name></item></top>`), s)
//	if rerr != nil {
//		return rerr // invalid-value, error-type application
//	}
//	out := f.Apply(root)
//
// Subtree semantics (RFC 6241 sections 6.2 and 6.3), with the choices where the RFC leaves room:
//
//   - Namespace selection (6.2.1): an element matches the schema nodes of that name in the module
//     with that namespace. An element in no namespace matches the nodes of that name in every
//     module. An element that names no schema node selects nothing (not an error).
//   - Containment nodes (6.2.3) are elements with child elements; text mixed with them is
//     ignored. A containment node is output only when something below it is selected.
//   - Selection nodes (6.2.4) are empty elements (or whitespace only): the whole subtree of every
//     matching instance.
//   - Content match nodes (6.2.5) are elements with non-blank text, trimmed of leading and
//     trailing whitespace. The text is parsed with the leaf's type and compared in canonical form
//     ("01" matches 1; identityref prefixes resolve through the namespace declarations in scope
//     in the filter); text that does not parse compares as a string. On a leaf-list it is true
//     when an entry has that value, and that entry is output. Content match nodes of one sibling
//     set AND together; when all hold, they are output with the selection nodes and what the
//     containment nodes select, and when the set has no selection or containment node, every
//     child of the parent instance is output. A content match on a container or list never
//     holds. When the content match nodes of a list cover all its keys, the entry is found
//     through the key index instead of a scan.
//   - Attribute match expressions (6.2.2): our instance data carries no XML attributes, so an
//     element with an attribute (other than namespace declarations and attributes in the XML
//     namespace, xml:lang and xml:space, which describe the filter's own text) never matches:
//     a selection or containment node with one selects nothing, a content match node with one
//     is false and so suppresses its sibling set.
//   - Several filter elements for the same node (6.3): the union of what each selects.
//   - The keys of every output list entry are output too.
//   - Filtering inside anydata and anyxml is not supported: a containment node on one selects
//     its whole value.
//   - An empty filter selects nothing (6.4.2).
//
// XPath filters: the select expression is compiled with pkg/xpath, its prefixes resolved through
// the namespace declarations in scope on <filter> (a prefix whose namespace names no module is
// accepted and matches nothing); unprefixed names match nodes of that name in any module, as in
// subtree filters. The result node-set gives each selected node with its ancestors (list entries
// with their keys) and its whole subtree. A syntax error, an unknown prefix or function, or an
// expression that does not yield a node-set is an invalid-value rpc-error of error-type
// application (RFC 6241 Appendix A allows protocol or application; application is what netopeer2
// answers, and the expression is the value of the request's parameter).
package filter
