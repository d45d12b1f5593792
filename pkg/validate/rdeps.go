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

// depIndex holds the constraints of the schema, indexed for ValidateChanges.
type depIndex struct {
	// rdeps indexes the constraints by the schema nodes whose changes can affect them (see
	// constraint); always holds those any change can affect.
	rdeps  map[*schema.Node][]*constraint
	always []*constraint
	// npCons indexes the constraints that read non-presence containers Validate may create for
	// the checks only (constraint.np) by the schema node they are attached to.
	npCons map[*schema.Node][]*constraint
}

// depIndex returns v's constraint index, building it on the first call.
func (v *Validator) depIndex() *depIndex {
	v.depsOnce.Do(v.compileDeps)
	return v.deps
}

// compileDeps builds the constraints of the schema and indexes them by the schema nodes whose
// changes can affect them (rdeps), or as affected by every change (always), in v.deps. It reads
// the infos and compiled leafrefs through infoOf (compiling those not compiled yet), which
// nothing modifies once compiled.
func (v *Validator) compileDeps() {
	d := &depIndex{
		rdeps:  make(map[*schema.Node][]*constraint),
		npCons: make(map[*schema.Node][]*constraint),
	}
	v.walkData(func(s *schema.Node) {
		in := v.infoOf(s)
		if !s.Kind.IsData() || in == nil {
			return
		}
		for _, cm := range in.musts {
			if cm.err != nil {
				continue // fails at every instance: only new instances, which are checked whole
			}
			var rd depsOf
			rd.add(cm.expr)
			v.addConstraint(d, &constraint{kind: conMust, node: s, cm: cm, at: s}, rd)
		}
		if len(in.whens) > 0 {
			var rd depsOf
			for _, cw := range in.whens {
				if cw.err == nil {
					rd.add(cw.expr)
				}
			}
			if in.selfWhen {
				rd.nodes = append(rd.nodes, s)
			}
			v.addConstraint(d, &constraint{kind: conWhen, node: s, at: s.DataParent()}, rd)
		}
		if s.Kind == schema.KindLeaf || s.Kind == schema.KindLeafList {
			var rd depsOf
			if v.refDeps(s, s.Type, &rd) {
				v.addConstraint(d, &constraint{kind: conRef, node: s, at: s}, rd)
			}
		}
	})
	v.deps = d
}

// walkData calls f for each node of the data trees (those scan gives factMember, but the inputs
// and outputs of operations and what they hold), in scan's order: the data trees of the modules,
// in schema order, without operations and notifications.
func (v *Validator) walkData(f func(*schema.Node)) {
	seen := make([]bool, v.schema.NodeCount()+1)
	var other map[*schema.Node]bool // nodes the schema did not number
	var walk func(*schema.Node)
	walk = func(n *schema.Node) {
		if id := n.ID(); id > 0 && id < len(seen) {
			if seen[id] {
				return
			}
			seen[id] = true
		} else {
			if other[n] {
				return
			}
			if other == nil {
				other = map[*schema.Node]bool{}
			}
			other[n] = true
		}
		switch n.Kind {
		case schema.KindRPC, schema.KindAction, schema.KindNotification, schema.KindInput, schema.KindOutput:
			return
		}
		f(n)
		for _, c := range n.Children {
			walk(c)
		}
	}
	for _, m := range v.schema.Modules {
		for _, n := range m.Data {
			walk(n)
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
		if ri := v.refOf(s, t); ri != nil && ri.err != nil {
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

// addConstraint computes c's scope from what it reads (d) and indexes it in x.
func (v *Validator) addConstraint(x *depIndex, c *constraint, d depsOf) {
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
		in := v.infoOf(n)
		if npSeen[n] || n.Kind != schema.KindContainer || n.Presence() != "" || in == nil ||
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
		x.npCons[c.node] = append(x.npCons[c.node], c)
	}
	if d.unbounded {
		x.always = append(x.always, c)
		return
	}
	// A change at a node changes the existence and value of its descendants: index c under
	// every data ancestor-or-self of what it reads.
	seen := map[*schema.Node]bool{}
	for _, n := range d.nodes {
		for a := n; a != nil && !seen[a]; a = a.DataParent() {
			seen[a] = true
			x.rdeps[a] = append(x.rdeps[a], c)
		}
	}
}
