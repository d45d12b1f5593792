package filter

import (
	"errors"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/xpath"
)

// XPath compiles an XPath filter (RFC 6241 section 8.9): expr is the select attribute, ns maps
// the prefixes declared in scope on the <filter> element to their namespaces (the default
// namespace, key "", does not apply to XPath and is ignored). Name tests resolve to modules
// through the namespaces; a prefix bound to a namespace that names no module is accepted and
// matches nothing; unprefixed names match nodes of that name in any module.
//
// A syntax error, an unknown prefix or function, or an expression that does not evaluate to a
// node-set is an invalid-value rpc-error with error-type application.
func XPath(expr string, ns map[string]string, s *schema.Schema) (*Filter, *rpcerror.Error) {
	return xpathFilter(expr, ns, s, false)
}

// XPathMatch compiles an XPath expression whose result is converted to a boolean (RFC 8639's
// stream-xpath-filter: an event record is selected when the expression is true on it), for
// Matches. Any result type is accepted; Apply selects what a node-set result holds, nothing for
// other types.
func XPathMatch(expr string, ns map[string]string, s *schema.Schema) (*Filter, *rpcerror.Error) {
	return xpathFilter(expr, ns, s, true)
}

// Matches reports whether the filter selects anything of the tree at root: for an XPathMatch
// filter, the expression's value converted to a boolean (XPath 1.0 boolean()); otherwise
// whether Apply's result is not empty.
func (f *Filter) Matches(root *data.Node) bool {
	if f.xp != nil && f.anyType {
		v, err := eval(f.xp, root)
		return err == nil && v.Bool()
	}
	return len(f.Apply(root).Children()) > 0
}

func xpathFilter(expr string, ns map[string]string, s *schema.Schema, anyType bool) (*Filter, *rpcerror.Error) {
	prefixes := schema.Prefixes{}
	for p, uri := range ns {
		if p == "" {
			continue
		}
		var m *schema.Module
		if s != nil {
			m = s.ModuleByNamespace(uri)
		}
		if m == nil {
			// A module of no schema: its names match no node.
			m = &schema.Module{Name: uri, Namespace: uri}
		}
		prefixes[p] = m
	}
	e, err := compile(expr, prefixes)
	if err != nil {
		return nil, xpathError(expr, err)
	}
	// The result must be a node-set whatever the data: check the type on an empty tree.
	v, err := eval(e, data.NewRoot())
	if err != nil {
		return nil, xpathError(expr, err)
	}
	if v.Kind() != xpath.NodeSet && !anyType {
		return nil, rpcerror.InvalidValue("", "XPath filter %q evaluates to a %s, not a node-set", expr, v.Kind())
	}
	return &Filter{s: s, xp: e, anyType: anyType}, nil
}

func xpathError(expr string, err error) *rpcerror.Error {
	var xe *xpath.Error
	if errors.As(err, &xe) {
		if xe.Pos >= 0 {
			return rpcerror.InvalidValue("", "invalid XPath filter %q at offset %d: %s", expr, xe.Pos, xe.Msg)
		}
		return rpcerror.InvalidValue("", "invalid XPath filter %q: %s", expr, xe.Msg)
	}
	return rpcerror.InvalidValue("", "invalid XPath filter %q", expr)
}

// compile and eval guard pkg/xpath so that a filter can never crash the server.
func compile(expr string, prefixes schema.Prefixes) (e *xpath.Expr, err error) {
	defer func() {
		if recover() != nil {
			e, err = nil, errors.New("internal error")
		}
	}()
	return xpath.Compile(expr, prefixes, nil, nil)
}

func eval(e *xpath.Expr, root *data.Node) (v xpath.Value, err error) {
	defer func() {
		if recover() != nil {
			err = errors.New("internal error")
		}
	}()
	return e.Eval(root, nil)
}

// applyXPath adds to out (a new root) each node the expression selects, with its ancestors
// (list entries with their keys) and its whole subtree.
func (f *Filter) applyXPath(root, out *data.Node) {
	v, err := eval(f.xp, root)
	if err != nil || v.Kind() != xpath.NodeSet {
		// Only data-dependent failures get here (a computed re-match pattern ...): the
		// expression selects nothing.
		return
	}
	nodes := v.Nodes()
	selected := make(map[*data.Node]bool, len(nodes))
	copies := map[*data.Node]*data.Node{root: out}
	var ensure func(n *data.Node) *data.Node
	ensure = func(n *data.Node) *data.Node {
		if c, ok := copies[n]; ok {
			return c
		}
		pc := ensure(n.Parent)
		c := shell(n)
		pc.InsertBefore(c, nil)
		copies[n] = c
		return c
	}
	for _, n := range nodes {
		if n == root {
			for _, c := range root.Children() {
				out.InsertBefore(f.deepCopy(c, f.depth), nil)
			}
			return
		}
		if n == nil || n.Parent == nil {
			continue
		}
		covered := false
		for a := n.Parent; a != nil; a = a.Parent {
			if selected[a] {
				covered = true
				break
			}
		}
		selected[n] = true
		if covered {
			continue
		}
		pc := ensure(n.Parent)
		if n.Schema.IsKey() && pc.Child(n.Schema) != nil {
			// A key leaf, copied with its entry.
			continue
		}
		c := f.deepCopy(n, f.depth)
		pc.InsertBefore(c, nil)
		copies[n] = c
	}
}

// maySelectXPath reports whether schema node n is an ancestor or descendant of (or is) a node
// the expression can select or read.
func (f *Filter) maySelectXPath(n *schema.Node) bool {
	if !f.xp.DepsComplete() {
		return true
	}
	for _, d := range f.xp.Deps() {
		if related(d, n) {
			return true
		}
	}
	return false
}

// related reports whether a is an ancestor-or-self of b or b of a.
func related(a, b *schema.Node) bool {
	for x := b; x != nil; x = x.Parent {
		if x == a {
			return true
		}
	}
	for x := a; x != nil; x = x.Parent {
		if x == b {
			return true
		}
	}
	return false
}
