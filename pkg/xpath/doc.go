// Package xpath is an XPath 1.0 engine with YANG's extensions, evaluating over pkg/data trees:
// the language of must, when, leafref paths and NETCONF XPath filters.
//
// It implements XPath 1.0 completely (all 13 axes, abbreviations, predicates, the comparison
// rules of section 3.4 and the core function library of section 4) over the data model of
// RFC 7950 section 6.4.1: the document root has the top-level data nodes as children, every data
// node is an element named by its module's namespace and its name, a leaf's text is its canonical
// value. It adds current(), re-match(), deref(), derived-from(), derived-from-or-self(),
// enum-value() and bit-is-set() (RFC 7950 section 10). Unprefixed names are in the namespace of
// the module the expression was written in. Like libyang, a string compared with an identityref,
// integer or decimal64 leaf is read as a value of that leaf's type first, so
// `type = 'ianaift:ethernetCsmacd'` works with the expression's own prefixes.
//
// Expressions are compiled once and evaluated many times; equality predicates on list keys
// (`interface[name = current()/../if]`) use the data tree's key index instead of scanning.
//
//	e, err := xpath.Compile("../mtu >= 1280", m.Prefixes, m, leafSchema)
//	ok, err := e.EvalBool(leaf, leaf)
//	nodes, err := e.EvalNodes(root, nil)
//	deps := e.Deps() // schema nodes whose changes can change the result
package xpath
