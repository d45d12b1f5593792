package xpath

import (
	"slices"
	"sort"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/schema"
)

// matches reports whether x passes node test t on an axis whose principal node type is element
// (every axis here: attribute and namespace axes yield no nodes at all).
func (t *nodeTest) matches(x xnode) bool {
	switch t.kind {
	case testNode:
		return true
	case testText:
		return x.text
	case testComment, testPI:
		return false
	}
	if x.text || x.n.Schema == nil {
		return false
	}
	switch t.kind {
	case testAny:
		return true
	case testModule:
		return sameModule(x.n.Schema.Module, t.mod)
	}
	return x.n.Schema.Name == t.name && (t.mod == nil || sameModule(x.n.Schema.Module, t.mod))
}

func sameModule(a, b *schema.Module) bool {
	return a == b || (a != nil && b != nil && a.Name == b.Name)
}

// schemaChild returns the schema node of the children of data node n that the name test t
// selects (looking through the input and output of rpcs and actions; nil if none). For the
// document root it returns nil: see topNode.
func schemaChild(n *data.Node, t *nodeTest) []*schema.Node {
	s := n.Schema
	switch s.Kind {
	case schema.KindRPC, schema.KindAction:
		var out []*schema.Node
		for _, io := range [...]string{"input", "output"} {
			if in := s.Child(s.Module, io); in != nil {
				if c := in.Child(t.mod, t.name); c != nil {
					out = append(out, c)
				}
			}
		}
		return out
	}
	if c := s.Child(t.mod, t.name); c != nil {
		return []*schema.Node{c}
	}
	if c := s.Operation(t.mod, t.name); c != nil {
		return []*schema.Node{c}
	}
	return nil
}

// topNode returns the top-level schema node (data, rpc or notification) of module m named name.
func topNode(m *schema.Module, name string) *schema.Node {
	if m == nil {
		return nil
	}
	var find func([]*schema.Node) *schema.Node
	find = func(ns []*schema.Node) *schema.Node {
		for _, c := range ns {
			switch c.Kind {
			case schema.KindChoice, schema.KindCase:
				if f := find(c.Children); f != nil {
					return f
				}
			default:
				if c.Name == name {
					return c
				}
			}
		}
		return nil
	}
	if f := find(m.Data); f != nil {
		return f
	}
	if f := find(m.RPCs); f != nil {
		return f
	}
	return find(m.Notifications)
}

// instancesOf returns the children of n that are instances of schema node s.
func instancesOf(n *data.Node, s *schema.Node) []*data.Node {
	if s.Kind.IsData() {
		return n.Instances(s)
	}
	// rpc, action and notification nodes have no data ordinal: scan.
	var out []*data.Node
	for _, c := range n.Children() {
		if c.Schema == s {
			out = append(out, c)
		}
	}
	return out
}

// childrenByName appends to out the children of x that name test t (kind testName) selects.
func childrenByName(out []xnode, x xnode, t *nodeTest, top *schema.Node) []xnode {
	if x.text {
		return out
	}
	n := x.n
	if n.Schema == nil {
		if top != nil {
			for _, c := range instancesOf(n, top) {
				out = append(out, xnode{n: c})
			}
			return out
		}
		for _, c := range n.Children() {
			if x := (xnode{n: c}); t.matches(x) {
				out = append(out, x)
			}
		}
		return out
	}
	if t.mod == nil {
		for _, c := range n.Children() {
			if x := (xnode{n: c}); t.matches(x) {
				out = append(out, x)
			}
		}
		return out
	}
	for _, s := range schemaChild(n, t) {
		for _, c := range instancesOf(n, s) {
			out = append(out, xnode{n: c})
		}
	}
	return out
}

// appendChildren appends the children of x (a leaf's text node, or its element children) that
// pass t.
func appendChildren(out []xnode, x xnode, t *nodeTest) []xnode {
	if x.text {
		return out
	}
	if isValueNode(x.n) {
		if x.n.Value.Str != "" {
			if c := (xnode{n: x.n, text: true}); t.matches(c) {
				out = append(out, c)
			}
		}
		return out
	}
	for _, c := range x.n.Children() {
		if cx := (xnode{n: c}); t.matches(cx) {
			out = append(out, cx)
		}
	}
	return out
}

// appendDescendants appends the descendants of x that pass t, in document order.
func appendDescendants(out []xnode, x xnode, t *nodeTest) []xnode {
	if x.text {
		return out
	}
	if isValueNode(x.n) {
		return appendChildren(out, x, t)
	}
	for _, c := range x.n.Children() {
		cx := xnode{n: c}
		if t.matches(cx) {
			out = append(out, cx)
		}
		out = appendDescendants(out, cx, t)
	}
	return out
}

func parentOf(x xnode) (xnode, bool) {
	if x.text {
		return xnode{n: x.n}, true
	}
	if x.n.Parent == nil {
		return xnode{}, false
	}
	return xnode{n: x.n.Parent}, true
}

// siblingIndex returns the index of n among its parent's children, -1 without parent.
func siblingIndex(n *data.Node) int {
	p := n.Parent
	if p == nil {
		return -1
	}
	cs := p.Children()
	if n.Schema != nil && n.Schema.Kind.IsData() {
		ord := n.Schema.Ordinal()
		lo := sort.Search(len(cs), func(i int) bool {
			return cs[i].Schema.Ordinal() >= ord
		})
		for i := lo; i < len(cs) && cs[i].Schema.Ordinal() == ord; i++ {
			if cs[i] == n {
				return i
			}
		}
	}
	for i, c := range cs {
		if c == n {
			return i
		}
	}
	return -1
}

// axisNodes appends to out the nodes on axis a from x that pass t, in axis order (reverse
// document order for reverse axes).
func axisNodes(out []xnode, x xnode, a axis, t *nodeTest, top *schema.Node) []xnode {
	switch a {
	case axChild:
		if t.kind == testName {
			return childrenByName(out, x, t, top)
		}
		return appendChildren(out, x, t)
	case axDescendant:
		return appendDescendants(out, x, t)
	case axDescendantOrSelf:
		if t.matches(x) {
			out = append(out, x)
		}
		return appendDescendants(out, x, t)
	case axSelf:
		if t.matches(x) {
			out = append(out, x)
		}
	case axParent:
		if p, ok := parentOf(x); ok && t.matches(p) {
			out = append(out, p)
		}
	case axAncestor, axAncestorOrSelf:
		if a == axAncestorOrSelf && t.matches(x) {
			out = append(out, x)
		}
		for p, ok := parentOf(x); ok; p, ok = parentOf(p) {
			if t.matches(p) {
				out = append(out, p)
			}
		}
	case axFollowingSibling, axPrecedingSibling:
		if x.text || x.n.Parent == nil {
			return out
		}
		cs := x.n.Parent.Children()
		i := siblingIndex(x.n)
		if i < 0 {
			return out
		}
		if a == axFollowingSibling {
			for _, c := range cs[i+1:] {
				if cx := (xnode{n: c}); t.matches(cx) {
					out = append(out, cx)
				}
			}
		} else {
			for j := i - 1; j >= 0; j-- {
				if cx := (xnode{n: cs[j]}); t.matches(cx) {
					out = append(out, cx)
				}
			}
		}
	case axFollowing:
		// The following siblings of x and of each ancestor, with their descendants.
		for cur := x; ; {
			if !cur.text && cur.n.Parent != nil {
				cs := cur.n.Parent.Children()
				if i := siblingIndex(cur.n); i >= 0 {
					for _, c := range cs[i+1:] {
						cx := xnode{n: c}
						if t.matches(cx) {
							out = append(out, cx)
						}
						out = appendDescendants(out, cx, t)
					}
				}
			}
			p, ok := parentOf(cur)
			if !ok {
				break
			}
			cur = p
		}
	case axPreceding:
		// Reverse document order: preceding siblings of x and of each ancestor, descendants
		// before (reversed) their own node.
		for cur := x; ; {
			if !cur.text && cur.n.Parent != nil {
				cs := cur.n.Parent.Children()
				if i := siblingIndex(cur.n); i >= 0 {
					for j := i - 1; j >= 0; j-- {
						cx := xnode{n: cs[j]}
						start := len(out)
						if t.matches(cx) {
							out = append(out, cx)
						}
						out = appendDescendants(out, cx, t)
						slices.Reverse(out[start:])
					}
				}
			}
			p, ok := parentOf(cur)
			if !ok {
				break
			}
			cur = p
		}
	}
	return out
}

// docOrder sorts ns into document order and removes duplicates.
func docOrder(ns []xnode) []xnode {
	if len(ns) < 2 {
		return ns
	}
	idx := map[*data.Node]map[*data.Node]int{}
	pos := func(n *data.Node) int {
		p := n.Parent
		m := idx[p]
		if m == nil {
			m = make(map[*data.Node]int, len(p.Children()))
			for i, c := range p.Children() {
				m[c] = i
			}
			idx[p] = m
		}
		return m[n]
	}
	type keyed struct {
		x   xnode
		key []int
	}
	ks := make([]keyed, len(ns))
	for i, x := range ns {
		var key []int
		if x.text {
			key = append(key, 0)
		}
		for n := x.n; n.Parent != nil; n = n.Parent {
			key = append(key, pos(n))
		}
		slices.Reverse(key)
		ks[i] = keyed{x, key}
	}
	sort.SliceStable(ks, func(i, j int) bool { return slices.Compare(ks[i].key, ks[j].key) < 0 })
	out := ns[:0]
	for i, k := range ks {
		if i > 0 && ks[i-1].x == k.x {
			continue
		}
		out = append(out, k.x)
	}
	return out
}

// mergeSets returns the union of two node-sets in document order.
func mergeSets(a, b []xnode) []xnode {
	if len(a) == 0 {
		return b
	}
	if len(b) == 0 {
		return a
	}
	all := make([]xnode, 0, len(a)+len(b))
	all = append(all, a...)
	all = append(all, b...)
	return docOrder(all)
}

// uniformSchema reports whether every node of ns is an element of the same schema node (such a
// set has no node that is an ancestor of another).
func uniformSchema(ns []xnode) bool {
	if len(ns) == 0 {
		return true
	}
	s := ns[0].n.Schema
	if s == nil || ns[0].text {
		return len(ns) == 1
	}
	for _, x := range ns[1:] {
		if x.text || x.n.Schema != s {
			return false
		}
	}
	return true
}

// isAncestor reports whether a is a proper ancestor of x.
func isAncestor(a *data.Node, x xnode) bool {
	n := x.n
	if !x.text {
		n = n.Parent
	}
	for ; n != nil; n = n.Parent {
		if n == a {
			return true
		}
	}
	return false
}

func rootOf(x xnode) xnode {
	n := x.n
	for n.Parent != nil {
		n = n.Parent
	}
	return xnode{n: n}
}
