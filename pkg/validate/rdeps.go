package validate

import (
	"slices"

	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/xpath"
)

// Kinds of constraint.
const (
	conMust = iota // one must expression of a node
	conWhen        // the when conditions of a node (its own and inherited ones), evaluated together
	conRef         // the leafref and instance-identifier require-instance checks of a leaf or leaf-list
)

// constraint is a check whose result depends on data outside the node it is attached to: what
// ValidateChanges re-evaluates when a change touches what it reads.
type constraint struct {
	kind int
	// node is the schema node the constraint is attached to (for a when, the node it governs).
	node *schema.Node
	cm   *compiledMust
	// at is the schema node of the instances the constraint is evaluated at: node for musts and
	// references, node's data parent for whens (the slot that can hold node; nil: the root).
	at *schema.Node
	// scope is the lowest common data ancestor of at and of everything the expressions read (nil:
	// the document root): evaluated at an instance of at, the constraint reads nothing outside
	// the instance of scope above it. An absolute path, deref or an unbounded expression makes it
	// the root.
	scope *schema.Node
	// depth is scope's data depth (0 for the root, 1 for a top-level node).
	depth int
	// down are the data schema nodes from below scope to at, outermost first.
	down []*schema.Node
	// atDepth is at's data depth.
	atDepth int
	// np are, for each non-presence container the expressions read that Validate's defaults pass
	// may create (and prune after the checks), the data schema nodes from below scope down to
	// it: Validate evaluates the expressions with those containers in place.
	np [][]*schema.Node
}

// dataDepth returns the number of data nodes from the top level down to s (0 for nil).
func dataDepth(s *schema.Node) int {
	d := 0
	for p := s; p != nil; p = p.DataParent() {
		d++
	}
	return d
}

// lca returns the lowest common data ancestor-or-self of a and b (nil: the root).
func lca(a, b *schema.Node) *schema.Node {
	da, db := dataDepth(a), dataDepth(b)
	for da > db {
		a, da = a.DataParent(), da-1
	}
	for db > da {
		b, db = b.DataParent(), db-1
	}
	for a != b {
		a, b = a.DataParent(), b.DataParent()
	}
	return a
}

// isAncestorOrSelf reports whether data node a is s or one of its data ancestors.
func isAncestorOrSelf(a, s *schema.Node) bool {
	for p := s; p != nil; p = p.DataParent() {
		if p == a {
			return true
		}
	}
	return false
}

// depsOf accumulates what expression e reads.
type depsOf struct {
	nodes     []*schema.Node
	unbounded bool
}

func (d *depsOf) add(e *xpath.Expr) {
	if e == nil {
		return
	}
	if !e.DepsComplete() {
		d.unbounded = true
	}
	d.nodes = append(d.nodes, e.Deps()...)
}

// compileDeps builds the constraints of the schema and indexes them by the schema nodes whose
// changes can affect them (v.rdeps), or as affected by every change (v.always).
func (v *Validator) compileDeps() {
	v.rdeps = make(map[*schema.Node][]*constraint)
	v.npCons = make(map[*schema.Node][]*constraint)
	for _, s := range v.nodes {
		in := v.info.get(s)
		if !s.Kind.IsData() {
			continue
		}
		for _, cm := range in.musts {
			if cm.err != nil {
				continue // fails at every instance: only new instances, which are checked whole
			}
			var d depsOf
			d.add(cm.expr)
			v.addConstraint(&constraint{kind: conMust, node: s, cm: cm, at: s}, d)
		}
		if len(in.whens) > 0 {
			var d depsOf
			for _, cw := range in.whens {
				if cw.err == nil {
					d.add(cw.expr)
				}
			}
			if in.selfWhen {
				d.nodes = append(d.nodes, s)
			}
			v.addConstraint(&constraint{kind: conWhen, node: s, at: s.DataParent()}, d)
		}
		if s.Kind == schema.KindLeaf || s.Kind == schema.KindLeafList {
			var d depsOf
			if v.refDeps(s, s.Type, &d) {
				v.addConstraint(&constraint{kind: conRef, node: s, at: s}, d)
			}
		}
	}
}

// refDeps adds to d what the require-instance references of type t (of leaf s) read; it reports
// whether t has any.
func (v *Validator) refDeps(s *schema.Node, t *schema.Type, d *depsOf) bool {
	if t == nil {
		return false
	}
	switch t.Base {
	case schema.Leafref:
		if !t.RequireInstance {
			return false
		}
		if ri := v.refs[refKey{t, s}]; ri != nil && ri.err != nil {
			return true // fails at every instance, like a must that does not compile
		}
		e, err := xpath.Compile(t.Path, t.PathPrefixes, t.PathModule, s)
		if err != nil {
			d.unbounded = true
			return true
		}
		d.add(e)
		return true
	case schema.InstanceIdentifier:
		if !t.RequireInstance {
			return false
		}
		d.unbounded = true
		return true
	case schema.Union:
		any := false
		for _, m := range t.Union {
			if v.refDeps(s, m, d) {
				any = true
			}
		}
		return any
	}
	return false
}

// addConstraint computes c's scope from what it reads and indexes it.
func (v *Validator) addConstraint(c *constraint, d depsOf) {
	scope := c.at
	if d.unbounded {
		scope = nil
	}
	for _, n := range d.nodes {
		if scope == nil {
			break
		}
		scope = lca(scope, n)
	}
	c.scope = scope
	c.depth = dataDepth(scope)
	for p := c.at; p != scope && p != nil; p = p.DataParent() {
		c.down = append(c.down, p)
	}
	for i, j := 0, len(c.down)-1; i < j; i, j = i+1, j-1 {
		c.down[i], c.down[j] = c.down[j], c.down[i]
	}
	c.atDepth = dataDepth(c.at)
	npSeen := map[*schema.Node]bool{}
	for _, n := range d.nodes {
		in := v.info.get(n)
		if npSeen[n] || n.Kind != schema.KindContainer || n.Presence != "" || in == nil ||
			!(in.worthy[0] || in.worthy[1]) || isAncestorOrSelf(n, c.at) {
			continue
		}
		npSeen[n] = true
		var path []*schema.Node
		for p := n; p != scope && p != nil; p = p.DataParent() {
			path = append(path, p)
		}
		slices.Reverse(path)
		c.np = append(c.np, path)
	}
	if len(c.np) > 0 {
		v.npCons[c.node] = append(v.npCons[c.node], c)
	}
	if d.unbounded {
		v.always = append(v.always, c)
		return
	}
	// A change at a node changes the existence and value of its descendants: index c under
	// every data ancestor-or-self of what it reads.
	seen := map[*schema.Node]bool{}
	for _, n := range d.nodes {
		for a := n; a != nil && !seen[a]; a = a.DataParent() {
			seen[a] = true
			v.rdeps[a] = append(v.rdeps[a], c)
		}
	}
}
