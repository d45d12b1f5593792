package filter

import (
	"strings"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/xpath"
)

// Filter is a compiled subtree or XPath filter. It is immutable and safe for concurrent use.
type Filter struct {
	s *schema.Schema
	// top holds the top-level elements of a subtree filter (none: the empty filter).
	top []*fnode
	// xp is the expression of an XPath filter (nil for a subtree filter).
	xp *xpath.Expr
	// anyType is set for an XPathMatch filter: any result type, read as a boolean.
	anyType bool
	// depth limits the levels of each selected subtree that Apply copies (0: no limit); cut,
	// when set, is called with the copies of the containers and list entries at the limit.
	depth int
	cut   func(*data.Node)
}

// WithMaxDepth returns a copy of f whose Apply copies at most depth levels of each subtree the
// filter selects, the selected node being level 1: with depth 1 a selected node comes without
// its children, except that a list entry always keeps its keys. Ancestors of selected nodes
// are output as ever. Zero or less means no limit. It serves get-data's max-depth (RFC 8526
// section 3.1.1). cut, when not nil, is called with each copy of a container or list entry at
// the limit, whose children are left out, so that a reply can show it even when empty.
func (f *Filter) WithMaxDepth(depth int, cut func(copy *data.Node)) *Filter {
	c := *f
	c.depth, c.cut = max(depth, 0), cut
	return &c
}

// Apply returns a new document root holding copies of the nodes of the tree rooted at root that
// the filter selects: new Node structure in schema order, list entries in the source's order,
// sharing the source's Values and keeping its Default flags. root is not modified. With nothing
// selected the new root is empty.
func (f *Filter) Apply(root *data.Node) *data.Node {
	out := data.NewRoot()
	if root == nil {
		return out
	}
	if f.xp != nil {
		f.applyXPath(root, out)
		return out
	}
	if len(f.top) > 0 {
		f.level([][]*fnode{f.top}, root, out)
	}
	return out
}

// MaySelect reports whether the filter can select anything at or below schema node n (a data
// node), or needs n's instances to decide (a content match on n): a server calls the state
// provider registered for n only when it does. The answer may be true for nodes that end up not
// selected; it is false only when no data of n can be output.
func (f *Filter) MaySelect(n *schema.Node) bool {
	if n == nil {
		return false
	}
	if f.xp != nil {
		return f.maySelectXPath(n)
	}
	if !n.Kind.IsData() {
		// A choice or case (or an operation node): not a data node a filter names; answer
		// conservatively.
		return true
	}
	if n.IsKey() {
		// The keys of every output entry are output.
		return f.MaySelect(n.DataParent())
	}
	var chain []*schema.Node
	for a := n; a != nil; a = a.DataParent() {
		chain = append(chain, a)
	}
	sets := [][]*fnode{f.top}
	for i := len(chain) - 1; i >= 0 && len(sets) > 0; i-- {
		a, last := chain[i], i == 0
		var next [][]*fnode
		for _, set := range sets {
			sel := false
			for _, fn := range set {
				if fn.role != contentMatch {
					sel = true
				}
				if fn.never || !hasTarget(fn, a) {
					continue
				}
				switch fn.role {
				case selection:
					return true
				case contentMatch:
					if last {
						return true
					}
				case containment:
					if last || a.Kind == schema.KindAnydata || a.Kind == schema.KindAnyxml {
						return true
					}
					next = append(next, fn.kids)
				}
			}
			if !sel && len(set) > 0 {
				// Only content matches at this level: every child of a matching parent is output.
				return true
			}
		}
		sets = next
	}
	return false
}

func hasTarget(fn *fnode, s *schema.Node) bool {
	for _, t := range fn.targets {
		if t == s {
			return true
		}
	}
	return false
}

// group gathers what the sibling sets of one level select among the instances of one schema node.
type group struct {
	t     *schema.Node
	whole bool
	// cons are the containment nodes for t.
	cons []*fnode
	// picked are instances matched by content match nodes.
	picked []*data.Node
}

// level evaluates the sibling sets sets (each the children of one filter element that matched p,
// or the filter's top level) against instance p, adding copies of what they select to out, the
// copy of p (holding p's keys already). It reports whether anything was selected.
func (f *Filter) level(sets [][]*fnode, p, out *data.Node) bool {
	var groups []*group
	get := func(t *schema.Node) *group {
		for _, g := range groups {
			if g.t == t {
				return g
			}
		}
		g := &group{t: t}
		groups = append(groups, g)
		return g
	}
	found := false
	for _, set := range sets {
		var matched []*data.Node
		ok, sel := true, false
		for _, n := range set {
			if n.role != contentMatch {
				sel = true
				continue
			}
			m := matchContent(n, p)
			if len(m) == 0 {
				ok = false
				break
			}
			matched = append(matched, m...)
		}
		if !ok || len(set) == 0 {
			continue
		}
		if !sel {
			// Only content match nodes, all true: every child of p (RFC 6241 section 6.2.5).
			for _, c := range p.Children() {
				f.addCopy(out, c) // keys already in out are not added twice
			}
			return true
		}
		for _, m := range matched {
			g := get(m.Schema)
			g.picked = append(g.picked, m)
			found = true
		}
		for _, n := range set {
			if n.role == contentMatch || n.never {
				continue
			}
			for _, t := range n.targets {
				if t.DataParent() != p.Schema {
					continue
				}
				g := get(t)
				if n.role == selection {
					g.whole = true
				} else {
					g.cons = append(g.cons, n)
				}
			}
		}
	}
	for _, g := range groups {
		t := g.t
		if g.whole {
			for _, c := range p.Instances(t) {
				f.addCopy(out, c)
				found = true
			}
			continue
		}
		if len(g.picked) > 0 {
			for _, c := range inOrder(p, t, g.picked) {
				f.addCopy(out, c)
			}
		}
		if len(g.cons) == 0 {
			continue
		}
		switch t.Kind {
		case schema.KindAnydata, schema.KindAnyxml:
			if c := p.Child(t); c != nil {
				f.addCopy(out, c)
				found = true
			}
			continue
		case schema.KindContainer, schema.KindList, schema.KindNotification:
			// A notification node holds its content as a container does (an event tree of
			// create-subscription's or establish-subscription's filter).
		default:
			continue
		}
		sub := make([][]*fnode, len(g.cons))
		for i, n := range g.cons {
			sub[i] = n.kids
		}
		for _, c := range f.candidates(g, p) {
			cc := shell(c)
			if f.level(sub, c, cc) {
				out.InsertBefore(cc, nil)
				found = true
			}
		}
	}
	return found
}

// candidates returns the instances of g.t under p that g's containment nodes can select: found
// through the key index when each containment node gives every key, all instances otherwise.
func (f *Filter) candidates(g *group, p *data.Node) []*data.Node {
	t := g.t
	for _, n := range g.cons {
		if !n.keyed {
			return p.Instances(t)
		}
	}
	var found []*data.Node
	var b strings.Builder
	for _, n := range g.cons {
		b.Reset()
		for i, k := range t.Keys() {
			if i > 0 {
				b.WriteByte(0)
			}
			v, _ := keyMatch(n, k)
			b.WriteString(v)
		}
		if e := p.Find(t, b.String()); e != nil {
			dup := false
			for _, x := range found {
				dup = dup || x == e
			}
			if !dup {
				found = append(found, e)
			}
		}
	}
	return inOrder(p, t, found)
}

// inOrder returns the distinct nodes of ns (instances of t under p) in document order; it scans
// the instances only when there are several.
func inOrder(p *data.Node, t *schema.Node, ns []*data.Node) []*data.Node {
	if len(ns) < 2 {
		return ns
	}
	want := make(map[*data.Node]bool, len(ns))
	for _, n := range ns {
		want[n] = true
	}
	out := make([]*data.Node, 0, len(want))
	for _, c := range p.Instances(t) {
		if want[c] {
			out = append(out, c)
		}
	}
	return out
}

// matchContent returns the children of p that content match node n matches (none when it is
// false at p).
func matchContent(n *fnode, p *data.Node) []*data.Node {
	if n.never {
		return nil
	}
	var out []*data.Node
	for i, t := range n.targets {
		if t.DataParent() != p.Schema {
			continue
		}
		v := n.values[i]
		switch t.Kind {
		case schema.KindLeaf:
			if c := p.Child(t); c != nil && sameValue(c, v, n.text) {
				out = append(out, c)
			}
		case schema.KindLeafList:
			if v.parsed && t.Config {
				if e := p.Find(t, v.str); e != nil {
					out = append(out, e)
				}
				continue
			}
			for _, c := range p.Instances(t) {
				if sameValue(c, v, n.text) {
					out = append(out, c)
				}
			}
		case schema.KindAnydata, schema.KindAnyxml:
			if c := p.Child(t); c != nil && strings.Trim(c.Value.Str, " \t\r\n") == n.text {
				out = append(out, c)
			}
		}
	}
	return out
}

func sameValue(c *data.Node, v matchValue, text string) bool {
	if v.parsed {
		return c.Value.Str == v.str
	}
	return c.Value.Str == text
}

// shell returns a copy of n without children, but with its keys when n is a list entry.
func shell(n *data.Node) *data.Node {
	c := &data.Node{Schema: n.Schema, Value: n.Value, Default: n.Default, Origin: n.Origin, Line: n.Line}
	if n.Schema != nil && n.Schema.Kind == schema.KindList {
		for _, k := range n.Schema.Keys() {
			if kn := n.Child(k); kn != nil {
				c.InsertBefore(shell(kn), nil)
			}
		}
	}
	return c
}

// deepCopy returns a copy of the subtree at n, depth levels of it (n itself the first; 0: all).
func (f *Filter) deepCopy(n *data.Node, depth int) *data.Node {
	if depth == 1 {
		c := shell(n)
		if f.cut != nil && (n.Schema.Kind == schema.KindContainer || n.Schema.Kind == schema.KindList) {
			f.cut(c)
		}
		return c
	}
	c := &data.Node{Schema: n.Schema, Value: n.Value, Default: n.Default, Origin: n.Origin, Line: n.Line}
	next := depth - 1
	if depth == 0 {
		next = 0
	}
	for _, k := range n.Children() {
		c.InsertBefore(f.deepCopy(k, next), nil)
	}
	return c
}

// addCopy adds a copy of the subtree at c (as deep as f's depth limit) under out, unless out
// already holds that instance.
func (f *Filter) addCopy(out, c *data.Node) {
	out.Add(f.deepCopy(c, f.depth))
}
