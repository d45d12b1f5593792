package xpath

import (
	"github.com/ncws/ncws/pkg/schema"
)

// sset is the static approximation of a node-set: the schema nodes its elements may be instances
// of, whether it may hold the document root, or unknown (anything).
type sset struct {
	nodes   []*schema.Node
	root    bool
	unknown bool
}

type analyzer struct {
	ctx      *schema.Node
	seen     map[*schema.Node]bool
	deps     []*schema.Node
	complete bool
	depth    int
}

// analyzeDeps computes Expr.Deps and Expr.DepsComplete.
func analyzeDeps(root expr, ctx *schema.Node) ([]*schema.Node, bool) {
	a := &analyzer{ctx: ctx, seen: map[*schema.Node]bool{}, complete: true}
	a.expr(root, a.ctxSet(), false)
	return a.deps, a.complete
}

func (a *analyzer) ctxSet() sset {
	if a.ctx == nil {
		return sset{root: true}
	}
	return sset{nodes: []*schema.Node{a.ctx}}
}

func (a *analyzer) add(ns ...*schema.Node) {
	for _, n := range ns {
		if !a.seen[n] {
			a.seen[n] = true
			a.deps = append(a.deps, n)
		}
	}
}

// addValue records that the string-values of set are read: its nodes and all their descendants.
func (a *analyzer) addValue(set sset) {
	if set.unknown || set.root {
		a.complete = false
	}
	for _, n := range set.nodes {
		a.add(n)
		for _, d := range staticDescendants(n) {
			a.add(d)
		}
	}
}

func (a *analyzer) expr(e expr, cur sset, asValue bool) sset {
	switch x := e.(type) {
	case *negExpr:
		a.expr(x.e, cur, true)
	case *binaryExpr:
		v := x.op != tOr && x.op != tAnd
		a.expr(x.l, cur, v)
		a.expr(x.r, cur, v)
	case *unionExpr:
		l := a.expr(x.l, cur, asValue)
		r := a.expr(x.r, cur, asValue)
		return sset{nodes: append(append([]*schema.Node(nil), l.nodes...), r.nodes...),
			root: l.root || r.root, unknown: l.unknown || r.unknown}
	case *funcExpr:
		return a.call(x, cur, asValue)
	case *pathExpr:
		var set sset
		switch {
		case x.filter != nil:
			set = a.expr(x.filter, cur, false)
			for _, p := range x.filterPreds {
				a.expr(p, set, false)
			}
		case x.abs:
			set = sset{root: true}
		default:
			set = cur
		}
		for _, s := range x.steps {
			set = stepStatic(set, s)
			if set.unknown {
				a.complete = false
			}
			a.add(set.nodes...)
			for _, p := range s.preds {
				a.expr(p, set, false)
			}
		}
		if asValue {
			a.addValue(set)
		}
		return set
	}
	return sset{}
}

func (a *analyzer) call(f *funcExpr, cur sset, asValue bool) sset {
	switch f.name {
	case "current":
		set := a.ctxSet()
		a.add(set.nodes...)
		if asValue {
			a.addValue(set)
		}
		return set
	case "count", "boolean", "not", "local-name", "namespace-uri", "name", "id":
		for _, arg := range f.args {
			a.expr(arg, cur, f.name == "id")
		}
		return sset{}
	case "string", "number", "string-length", "normalize-space":
		if len(f.args) == 0 {
			a.addValue(cur)
		}
	case "deref":
		arg := a.expr(f.args[0], cur, true)
		if arg.unknown || arg.root {
			a.complete = false
			return sset{unknown: true}
		}
		var out sset
		for _, n := range arg.nodes {
			t := n.Type
			switch {
			case t == nil:
			case t.Base == schema.Leafref && t.Path != "" && a.depth < maxDerefDepth:
				sub := &analyzer{ctx: n, seen: a.seen, deps: a.deps, complete: a.complete, depth: a.depth + 1}
				if root, err := parse(t.Path, t.PathPrefixes, pathModule(t, n)); err == nil {
					res := sub.expr(root, sub.ctxSet(), false)
					out.nodes = append(out.nodes, res.nodes...)
					out.unknown = out.unknown || res.unknown
				} else {
					sub.complete = false
				}
				a.deps, a.complete = sub.deps, sub.complete
			case t.Base == schema.InstanceIdentifier || t.Base == schema.Union || t.Base == schema.Leafref:
				a.complete = false
				out.unknown = true
			}
		}
		if asValue {
			a.addValue(out)
		}
		return out
	}
	for _, arg := range f.args {
		a.expr(arg, cur, true)
	}
	return sset{}
}

func pathModule(t *schema.Type, n *schema.Node) *schema.Module {
	if t.PathModule != nil {
		return t.PathModule
	}
	return n.Module
}

// staticMatch reports whether an instance of schema node s can pass test t.
func staticMatch(t *nodeTest, s *schema.Node) bool {
	switch t.kind {
	case testNode, testAny:
		return true
	case testModule:
		return sameModule(s.Module, t.mod)
	case testName:
		return s.Name == t.name && (t.mod == nil || sameModule(s.Module, t.mod))
	}
	return false
}

// dataChildren returns the schema nodes whose instances can be children of an instance of s
// (through choice/case, and through input/output for rpcs and actions; actions and
// notifications defined in s too).
func dataChildren(s *schema.Node) []*schema.Node {
	out := s.DataChildren()
	for _, c := range s.Children {
		switch c.Kind {
		case schema.KindInput, schema.KindOutput:
			out = append(out, c.DataChildren()...)
		case schema.KindAction, schema.KindNotification:
			out = append(out, c)
		}
	}
	return out
}

func staticDescendants(s *schema.Node) []*schema.Node {
	var out []*schema.Node
	var rec func(*schema.Node)
	rec = func(n *schema.Node) {
		for _, c := range dataChildren(n) {
			out = append(out, c)
			rec(c)
		}
	}
	rec(s)
	return out
}

// dataParentStatic returns the schema node of the parent instance of s, nil for the root.
func dataParentStatic(s *schema.Node) *schema.Node {
	p := s.Parent
	for p != nil && (p.Kind == schema.KindChoice || p.Kind == schema.KindCase ||
		p.Kind == schema.KindInput || p.Kind == schema.KindOutput) {
		p = p.Parent
	}
	return p
}

// stepStatic approximates the node-set that step s selects from a node-set approximated by in.
func stepStatic(in sset, s *step) sset {
	if in.unknown {
		return in
	}
	var out sset
	t := &s.test
	if t.kind == testText || t.kind == testComment || t.kind == testPI {
		// Text nodes belong to leaves already recorded; others do not exist.
		if s.axis == axChild || s.axis == axSelf {
			return sset{}
		}
	}
	if in.root {
		switch s.axis {
		case axChild:
			switch t.kind {
			case testName:
				if n := topNode(t.mod, t.name); n != nil {
					out.nodes = append(out.nodes, n)
				} else if t.mod == nil {
					out.unknown = true
				}
			case testModule:
				if t.mod != nil {
					out.nodes = append(out.nodes, (&schema.Node{Children: t.mod.Data}).DataChildren()...)
				}
			default:
				out.unknown = true
			}
		case axSelf, axAncestorOrSelf, axDescendantOrSelf:
			if t.kind == testNode {
				out.root = true
			}
			if s.axis == axDescendantOrSelf {
				out.unknown = true
			}
		case axDescendant:
			out.unknown = true
		}
	}
	for _, n := range in.nodes {
		switch s.axis {
		case axChild:
			for _, c := range dataChildren(n) {
				if staticMatch(t, c) {
					out.nodes = append(out.nodes, c)
				}
			}
		case axDescendant, axDescendantOrSelf:
			if s.axis == axDescendantOrSelf && staticMatch(t, n) {
				out.nodes = append(out.nodes, n)
			}
			for _, c := range staticDescendants(n) {
				if staticMatch(t, c) {
					out.nodes = append(out.nodes, c)
				}
			}
		case axSelf:
			if staticMatch(t, n) {
				out.nodes = append(out.nodes, n)
			}
		case axParent, axAncestor, axAncestorOrSelf:
			if s.axis == axAncestorOrSelf && staticMatch(t, n) {
				out.nodes = append(out.nodes, n)
			}
			for p := dataParentStatic(n); ; p = dataParentStatic(p) {
				if p == nil {
					out.root = out.root || t.kind == testNode
					break
				}
				if staticMatch(t, p) {
					out.nodes = append(out.nodes, p)
				}
				if s.axis == axParent {
					break
				}
			}
		case axFollowingSibling, axPrecedingSibling:
			p := dataParentStatic(n)
			if p == nil {
				out.unknown = true
				continue
			}
			for _, c := range dataChildren(p) {
				if staticMatch(t, c) {
					out.nodes = append(out.nodes, c)
				}
			}
		case axFollowing, axPreceding:
			out.unknown = true
		}
	}
	return out
}
