package data

import (
	"slices"
	"sort"
	"strings"

	"github.com/ncws/ncws/pkg/schema"
)

// A Step is one level of a Loc: a schema node and, for a list or leaf-list entry, its Key.
type Step struct {
	Schema *schema.Node
	Key    string
}

// A Loc locates a node independently of the tree holding it: the steps from the document root
// down to the node. Locations carry changes from one datastore tree to another (candidate to
// running) and into the commit journal; they stay valid as long as keys are unique, which
// RFC 7950 guarantees for configuration lists and leaf-lists.
type Loc []Step

// LocOf returns the location of n from the root of its tree.
func LocOf(n *Node) Loc {
	d := 0
	for p := n; p != nil && p.Schema != nil; p = p.Parent {
		d++
	}
	l := make(Loc, d)
	for p := n; p != nil && p.Schema != nil; p = p.Parent {
		d--
		l[d] = stepOf(p)
	}
	return l
}

func stepOf(n *Node) Step {
	st := Step{Schema: n.Schema}
	if keyed(n.Schema) {
		st.Key = n.Key()
	}
	return st
}

// Resolve returns the node at l below root, nil if there is none.
func (l Loc) Resolve(root *Node) *Node {
	n := root
	for _, st := range l {
		if n = n.step(st); n == nil {
			return nil
		}
	}
	return n
}

func (n *Node) step(st Step) *Node {
	if keyed(st.Schema) {
		return n.Find(st.Schema, st.Key)
	}
	return n.Child(st.Schema)
}

// HasPrefix reports whether l lies at or below p.
func (l Loc) HasPrefix(p Loc) bool {
	if len(p) > len(l) {
		return false
	}
	for i := range p {
		if p[i] != l[i] {
			return false
		}
	}
	return true
}

// String returns the location as a path for messages and sorting: /module:name steps, keys in
// brackets, NUL separating the values of several keys.
func (l Loc) String() string {
	var b strings.Builder
	for _, st := range l {
		b.WriteByte('/')
		b.WriteString(st.Schema.Module.Name)
		b.WriteByte(':')
		b.WriteString(st.Schema.Name)
		if keyed(st.Schema) {
			b.WriteByte('[')
			b.WriteString(st.Key)
			b.WriteByte(']')
		}
	}
	return b.String()
}

// Path returns the instance-identifier of the location in the form of Node.Path (RFC 7951,
// module-name prefixes), for a node that may no longer exist.
func (l Loc) Path() string {
	var b strings.Builder
	var prev *schema.Module
	for _, st := range l {
		b.WriteByte('/')
		if st.Schema.Module != prev {
			b.WriteString(st.Schema.Module.Name)
			b.WriteByte(':')
			prev = st.Schema.Module
		}
		b.WriteString(st.Schema.Name)
		switch {
		case st.Schema.Kind == schema.KindList:
			vals := strings.Split(st.Key, "\x00")
			for i, ks := range st.Schema.Keys() {
				if i >= len(vals) {
					break
				}
				b.WriteByte('[')
				if ks.Module != st.Schema.Module {
					b.WriteString(ks.Module.Name)
					b.WriteByte(':')
				}
				b.WriteString(ks.Name)
				b.WriteByte('=')
				quote(&b, vals[i])
				b.WriteByte(']')
			}
		case st.Schema.Kind == schema.KindLeafList && st.Schema.Config:
			b.WriteString("[.=")
			quote(&b, st.Key)
			b.WriteByte(']')
		}
	}
	return b.String()
}

// Outermost sorts locs and drops every location that lies at or below another one, so that
// each subtree is named once.
func Outermost(locs []Loc) []Loc {
	if len(locs) < 2 {
		return locs
	}
	ls := append([]Loc(nil), locs...)
	sort.Slice(ls, func(i, j int) bool { return lessLoc(ls[i], ls[j]) })
	out := ls[:1]
	for _, l := range ls[1:] {
		if !l.HasPrefix(out[len(out)-1]) {
			out = append(out, l)
		}
	}
	return out
}

func lessLoc(a, b Loc) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] == b[i] {
			continue
		}
		if a[i].Schema != b[i].Schema {
			return a[i].Schema.Ordinal() < b[i].Schema.Ordinal() ||
				a[i].Schema.Ordinal() == b[i].Schema.Ordinal() && a[i].Schema.Name < b[i].Schema.Name
		}
		return a[i].Key < b[i].Key
	}
	return len(a) < len(b)
}

// A Change is one modification of an attached tree recorded by a Txn: at Parent, the child Old
// (now detached) gave way to New (now attached). Old is nil for a creation, New for a deletion;
// both are set when a node was replaced in place or moved.
type Change struct {
	Parent   *Node
	Old, New *Node
	// Loc is where the change happened, taken when it was recorded.
	Loc    Loc
	pos    int // Old's index among Parent's children before the change
	newPos int // New's index right after the change
}

// A Txn applies modifications to a tree and records them, so that they can be listed (to
// validate what they can affect, to persist them) and undone in reverse order. The zero value is
// ready to use. A Txn must only be given nodes of trees it alone modifies meanwhile.
type Txn struct {
	changes []Change
	pos     posCache
}

// posCache finds the positions of the children of one parent for runs of Replace (a commit
// copying ten thousand entries of one list back into the candidate would otherwise scan the list
// once per entry). A cached position is used only after checking it, so a stale one costs a
// rebuild; after a few rebuilds in one parent (inserts and removals shifting it) it gives up and
// scans, as Txn did without it.
type posCache struct {
	parent   *Node
	lookups  int
	rebuilds int
	at       map[*Node]int
}

// posCacheMin is the number of children from which a parent's positions are worth a map.
const posCacheMin = 64

// indexOf returns the index of child c of p, -1 if c is not one.
func (pc *posCache) indexOf(p, c *Node) int {
	if pc.parent != p {
		*pc = posCache{parent: p}
	}
	pc.lookups++
	cs := p.cs()
	if pc.at != nil {
		if i, ok := pc.at[c]; ok && i < len(cs) && cs[i] == c {
			return i
		}
	}
	// The first lookup in a parent scans (a one-entry edit); the second builds the map, as does a
	// miss (the children shifted), up to a few times.
	if pc.lookups == 1 || len(cs) < posCacheMin || pc.rebuilds >= 4 {
		pc.at = nil
		return p.indexOf(c)
	}
	pc.rebuilds++
	if pc.at == nil {
		pc.at = make(map[*Node]int, len(cs))
	} else {
		clear(pc.at)
	}
	for i, x := range cs {
		pc.at[x] = i
	}
	if i, ok := pc.at[c]; ok {
		return i
	}
	return -1
}

// replaced records that child old of p at index i is now c.
func (pc *posCache) replaced(p, old, c *Node, i int) {
	if pc.parent == p && pc.at != nil {
		delete(pc.at, old)
		pc.at[c] = i
	}
}

// Changes returns the recorded changes, oldest first. The slice must not be modified.
func (t *Txn) Changes() []Change { return t.changes }

// Len returns the number of recorded changes; a later UndoTo(Len()) returns to this point.
func (t *Txn) Len() int { return len(t.changes) }

// Locs returns the locations of the recorded changes, outermost only.
func (t *Txn) Locs() []Loc {
	ls := make([]Loc, 0, len(t.changes))
	for _, c := range t.changes {
		if c.Loc != nil {
			ls = append(ls, c.Loc)
		}
	}
	return Outermost(ls)
}

// InsertCovered is Insert below a node that an earlier change of t attached, whose location
// covers this one: the change is recorded for Undo without a location of its own (Changes gives
// it with a nil Loc; Locs leaves it out, as Outermost would). A location costs an allocation
// per change: validation filling 200k default leaves into a bulk load's new subtree made 20 MB
// of them.
func (t *Txn) InsertCovered(parent, c, before *Node) {
	pos := parent.insertPos(c, before)
	parent.insertAt(c, pos)
	t.changes = append(t.changes, Change{Parent: parent, New: c, pos: -1, newPos: pos})
}

// Insert attaches the detached node c to parent before sibling before (an instance of the same
// schema node), or after the existing instances when before is nil, without checking for
// duplicates (callers check with Find).
func (t *Txn) Insert(parent, c, before *Node) {
	pos := parent.insertPos(c, before)
	parent.insertAt(c, pos)
	t.changes = append(t.changes, Change{Parent: parent, New: c, Loc: LocOf(c), pos: -1, newPos: pos})
}

// Remove detaches c from its parent.
func (t *Txn) Remove(c *Node) {
	p := c.Parent
	if p == nil {
		return
	}
	pos := p.indexOf(c)
	if pos < 0 {
		return
	}
	l := LocOf(c)
	p.removeAt(pos)
	t.changes = append(t.changes, Change{Parent: p, Old: c, Loc: l, pos: pos})
}

// RemoveAll detaches xs, children of p (a node listed twice is removed once; one that is not a
// child of p is ignored), as Remove would one after the other but in one pass over p's children:
// removing k entries of a list of n one by one costs k scans and moves of the list, O(k*n), a
// bulk delete of 10k entries from 100k. The changes are recorded in p's order.
func (t *Txn) RemoveAll(p *Node, xs []*Node) {
	cs := p.cs()
	if len(xs) < 2 || len(cs) < posCacheMin {
		for _, x := range xs {
			if x.Parent == p {
				t.Remove(x)
			}
		}
		return
	}
	gone := make(map[*Node]bool, len(xs))
	for _, x := range xs {
		if x.Parent == p {
			gone[x] = true
		}
	}
	k := p.kids
	w := 0
	for _, c := range cs {
		if !gone[c] {
			cs[w] = c
			w++
			continue
		}
		// Removed in order, each entry's position is its index once those before it are gone.
		t.changes = append(t.changes, Change{Parent: p, Old: c, Loc: LocOf(c), pos: w})
		k.indexDel(c)
		c.Parent = nil
	}
	clear(cs[w:])
	k.setList(cs[:w])
}

// removeEach removes the attached nodes xs, none an ancestor of another, through RemoveAll for
// each parent.
func (t *Txn) removeEach(xs []*Node) {
	var order []*Node
	by := make(map[*Node][]*Node)
	for _, x := range xs {
		if _, ok := by[x.Parent]; !ok {
			order = append(order, x.Parent)
		}
		by[x.Parent] = append(by[x.Parent], x)
	}
	for _, p := range order {
		t.RemoveAll(p, by[p])
	}
}

// Replace puts the detached node c where old is, old being detached; both are instances of the
// same schema node with the same key.
func (t *Txn) Replace(old, c *Node) {
	p := old.Parent
	if p == nil {
		return
	}
	pos := t.pos.indexOf(p, old)
	if pos < 0 {
		return
	}
	p.replaceAt(pos, c)
	t.pos.replaced(p, old, c, pos)
	t.changes = append(t.changes, Change{Parent: p, Old: old, New: c, Loc: LocOf(c), pos: pos, newPos: pos})
}

// Move puts the attached entry c before sibling before (nil: after the last instance), for
// ordered-by user lists and leaf-lists.
func (t *Txn) Move(c, before *Node) {
	p := c.Parent
	if p == nil || c == before {
		return
	}
	pos := p.indexOf(c)
	p.removeAt(pos)
	np := p.insertPos(c, before)
	p.insertAt(c, np)
	t.changes = append(t.changes, Change{Parent: p, Old: c, New: c, Loc: LocOf(c), pos: pos, newPos: np})
}

// Undo reverts every recorded change, newest first, and empties the log.
func (t *Txn) Undo() { t.UndoTo(0) }

// UndoTo reverts the changes recorded after the first mark, newest first.
func (t *Txn) UndoTo(mark int) {
	for i := len(t.changes) - 1; i >= mark; i-- {
		c := t.changes[i]
		if c.Old != nil && c.New == nil {
			// A run of removals from one parent, each at or after the one before (a bulk delete):
			// put back in one pass, not one move of the list each.
			j := i
			for j > mark {
				p := t.changes[j-1]
				if p.Old == nil || p.New != nil || p.Parent != c.Parent || p.pos > t.changes[j].pos {
					break
				}
				j--
			}
			if i-j+1 >= reinsertMin {
				c.Parent.reinsert(t.changes[j : i+1])
				clear(t.changes[j : i+1])
				i = j
				continue
			}
		}
		if c.New != nil && c.New.Parent == c.Parent {
			// Undoing in reverse order finds the tree as the change left it.
			i := c.newPos
			if cs := c.Parent.cs(); i >= len(cs) || cs[i] != c.New {
				i = c.Parent.indexOf(c.New)
			}
			c.Parent.removeAt(i)
		}
		if c.Old != nil {
			c.Parent.insertAt(c.Old, c.pos)
		}
		t.changes[i] = Change{}
	}
	t.changes = t.changes[:mark]
}

// Reset forgets the recorded changes (after a commit), keeping the tree as it is.
func (t *Txn) Reset() {
	clear(t.changes)
	t.changes = t.changes[:0]
	t.pos = posCache{}
}

// removeAt detaches the child at index i.
func (n *Node) removeAt(i int) {
	k := n.kids
	l := k.list()
	c := l[i]
	copy(l[i:], l[i+1:])
	l[len(l)-1] = nil
	k.setList(l[:len(l)-1])
	k.indexDel(c)
	c.Parent = nil
}

// reinsertMin is the length of a run of removals from which UndoTo puts them back in one pass.
const reinsertMin = 8

// reinsert undoes chs, removals from n recorded in order, each at or after the position of the
// one before: the node of chs[x] goes back to index chs[x].pos+x.
func (n *Node) reinsert(chs []Change) {
	k := n.kids
	if k == nil {
		k = &kids{}
		n.kids = k
	}
	l := k.list()
	oi := len(l) - 1
	l = append(l, make([]*Node, len(chs))...)
	k.setList(l)
	ci := len(chs) - 1
	for idx := len(l) - 1; idx >= 0; idx-- {
		if ci >= 0 && chs[ci].pos+ci == idx {
			l[idx] = chs[ci].Old
			ci--
		} else {
			l[idx] = l[oi]
			oi--
		}
	}
	for _, ch := range chs {
		c := ch.Old
		c.Parent = n
		if keyed(c.Schema) {
			n.indexInserted(c, c.Key())
		}
	}
}

// replaceAt puts c in place of the child at index i, which it detaches: an instance of the same
// schema node (with the same key), so the order stays as it was.
func (n *Node) replaceAt(i int, c *Node) {
	k := n.kids
	l := k.list()
	old := l[i]
	l[i] = c
	c.Parent = n
	old.Parent = nil
	if k.indexes(c.Schema) {
		k.indexDel(old)
		k.indexAdd(c, c.Key())
	}
}

// insertAt attaches c at index i of the children.
func (n *Node) insertAt(c *Node, i int) {
	var key string
	if keyed(c.Schema) {
		key = c.Key()
	}
	n.insertKeyed(c, i, key)
}

// insertKeyed is insertAt for a c whose key (see Key) is known.
func (n *Node) insertKeyed(c *Node, i int, key string) {
	c.Parent = n
	k := n.kids
	if k == nil {
		k = &kids{}
		n.kids = k
	}
	l := k.list()
	if i == len(l) {
		l = append(l, c)
	} else {
		l = append(l, nil)
		copy(l[i+1:], l[i:])
		l[i] = c
	}
	k.setList(l)
	if keyed(c.Schema) {
		n.indexInserted(c, key)
	}
}

// indexInserted records the just attached keyed child c, whose key is key: in the key index when
// its group is there, else by indexing the group if c made it long enough.
func (n *Node) indexInserted(c *Node, key string) {
	if m := n.kids.group(c.Schema); m != nil {
		m[key] = c
	} else {
		n.indexGroup(c.Schema)
	}
}

// Reserve makes room for m more children, so that adding them does not grow the children's
// storage one step at a time (a decoder that knows about how many children a node gets).
func (n *Node) Reserve(m int) {
	k := n.kids
	if k == nil {
		k = &kids{}
		n.kids = k
	}
	if l := k.list(); cap(l)-len(l) < m {
		k.setList(slices.Grow(l, m))
	}
}

// Clone returns a deep copy of n, detached.
func (n *Node) Clone() *Node {
	var cl cloner
	return cl.clone(n)
}

// cloner allocates the nodes of one Clone in slabs (the decoder's pattern): a candidate that
// shared running copies it at its first edit, 100k list entries of a few leaves each, which
// node by node made half a million allocations. Slabs start small and double up to cloneSlab, so
// that copying one leaf costs one small allocation.
type cloner struct {
	nodes []Node
	kids  []kids
	ptrs  []*Node
	size  int
}

// cloneSlab is the largest slab of nodes (64 bytes each) and kids (24 bytes each); a slab of
// child pointers holds up to 8 times as many.
const cloneSlab = 128

func (cl *cloner) grow() {
	cl.size = min(max(2*cl.size, 4), cloneSlab)
}

func (cl *cloner) node() *Node {
	if len(cl.nodes) == 0 {
		cl.grow()
		cl.nodes = make([]Node, cl.size)
	}
	n := &cl.nodes[0]
	cl.nodes = cl.nodes[1:]
	return n
}

func (cl *cloner) newKids() *kids {
	if len(cl.kids) == 0 {
		cl.kids = make([]kids, cl.size)
	}
	k := &cl.kids[0]
	cl.kids = cl.kids[1:]
	return k
}

// list returns a slice of m child pointers whose capacity is m (an append reallocates it).
func (cl *cloner) list(m int) []*Node {
	if m > 2*cloneSlab {
		return make([]*Node, m)
	}
	if len(cl.ptrs) < m {
		cl.ptrs = make([]*Node, max(8*cl.size, m))
	}
	l := cl.ptrs[:m:m]
	cl.ptrs = cl.ptrs[m:]
	return l
}

func (cl *cloner) clone(n *Node) *Node {
	c := cl.node()
	c.Schema, c.Value, c.Default, c.Origin, c.Line = n.Schema, n.Value, n.Default, n.Origin, n.Line
	if cs := n.cs(); len(cs) > 0 {
		l := cl.list(len(cs))
		ck := cl.newKids()
		ck.setList(l)
		c.kids = ck
		for i, k := range cs {
			kc := cl.clone(k)
			kc.Parent = c
			l[i] = kc
		}
		if ix := n.kids.idx; ix != nil {
			ck.idx = &keyIndex{}
			for _, g := range ix.groups {
				ck.idx.groups = append(ck.idx.groups, indexGroup{g.s, make(map[string]*Node, len(g.m))})
			}
			for _, k := range l {
				if m := ck.group(k.Schema); m != nil {
					m[k.Key()] = k
				}
			}
		}
	}
	return c
}

// Equal reports whether the trees a and b hold the same nodes with the same values and Default
// flags, in the same order.
func Equal(a, b *Node) bool {
	if a.Schema != b.Schema || a.Value.Str != b.Value.Str || a.Default != b.Default ||
		len(a.cs()) != len(b.cs()) {
		return false
	}
	for i := range a.cs() {
		if !Equal(a.kids.list()[i], b.kids.list()[i]) {
			return false
		}
	}
	return true
}

// Put makes the node at l below root be src (a detached node for that location, which Put
// attaches; nil to remove it), recording the changes in t. Missing ancestors are created with
// their keys; a new list or leaf-list entry goes right after the instance keyed after (for the
// first position after == nil and first set), else after the last instance. Put returns the
// attached node (nil after a removal).
func (t *Txn) Put(root *Node, l Loc, src *Node, after *Step, first bool) *Node {
	p := root
	for i, st := range l[:len(l)-1] {
		c := p.step(st)
		if c == nil {
			if src == nil {
				return nil
			}
			c = newAncestor(l[:i+1])
			t.Insert(p, c, nil)
		}
		p = c
	}
	last := l[len(l)-1]
	old := p.step(last)
	if src == nil {
		if old != nil {
			t.Remove(old)
		}
		return nil
	}
	if old != nil && !last.Schema.OrderedByUser {
		t.Replace(old, src)
		return src
	}
	if old != nil {
		t.Remove(old)
	}
	var before *Node
	switch {
	case after != nil:
		if a := p.step(*after); a != nil {
			before = nextInstance(p, a)
		}
	case first:
		if is := p.Instances(last.Schema); len(is) > 0 {
			before = is[0]
		}
	}
	t.Insert(p, src, before)
	return src
}

// nextInstance returns the instance of a's schema node after a, nil if a is the last.
func nextInstance(p, a *Node) *Node {
	is := p.Instances(a.Schema)
	for i, e := range is {
		if e == a && i+1 < len(is) {
			return is[i+1]
		}
	}
	return nil
}

// newAncestor builds the node for the last step of l with its key leaves, for a descendant to be
// put below it.
func newAncestor(l Loc) *Node {
	st := l[len(l)-1]
	n := New(st.Schema)
	if st.Schema.Kind == schema.KindList {
		vals := strings.Split(st.Key, "\x00")
		var l []*Node
		for i, ks := range st.Schema.Keys() {
			if i < len(vals) {
				l = append(l, &Node{Schema: ks, Parent: n, Value: Value{Type: ks.Type, Str: vals[i]}})
			}
		}
		sort.SliceStable(l, func(i, j int) bool { return l[i].Schema.Ordinal() < l[j].Schema.Ordinal() })
		if len(l) > 0 {
			n.kids = &kids{}
			n.kids.setList(l)
		}
	}
	return n
}

// Sync makes dst equal to src at each of locs (typically the locations a Txn on src recorded),
// copying subtrees from src or removing them, and keeps src's order of list and leaf-list
// entries. The changes made to dst are recorded in t.
func (t *Txn) Sync(dst, src *Node, locs []Loc) {
	present, gone := syncLevels(dst, src, locs)
	t.removeEach(gone)
	// Entries are put in src's document order, each after its predecessor in src, which is then
	// already in place.
	for _, pl := range DocOrder(src, Outermost(present)) {
		t.Put(dst, pl.Loc, pl.Node.Clone(), pl.After, pl.First)
	}
}

// SyncMove is Sync from a src whose nodes may be taken: a node at one of the synced locations
// that is not a list or leaf-list entry (a container, leaf, anydata: its place among its
// siblings is fixed by the schema) is moved from src into dst instead of copied, its removal
// from src recorded in st; entries are copied, so that src keeps the order of its
// system-ordered lists. Undoing t and then st puts both trees back as they were. A commit moves
// the candidate's changed subtrees into running and copies running's back once they are
// validated and stored: a bulk load's configuration is not held three times meanwhile (the
// candidate, its copy in running, the journal record).
func (t *Txn) SyncMove(dst, src *Node, locs []Loc, st *Txn) {
	present, gone := syncLevels(dst, src, locs)
	t.removeEach(gone)
	for _, pl := range DocOrder(src, Outermost(present)) {
		n := pl.Node
		if k := n.Schema.Kind; k == schema.KindList || k == schema.KindLeafList {
			n = n.Clone()
		} else {
			st.Remove(n)
		}
		t.Put(dst, pl.Loc, n, pl.After, pl.First)
	}
}

// SyncLocs returns the locations that Sync(dst, src, locs) changes, outermost only, before it
// runs: what Txn.Locs returns after it (for each of locs, the shallowest level at which dst and
// src differ in presence, else the location itself). A commit takes the state of the other tree
// there before syncing, instead of undoing the sync and doing it again.
func SyncLocs(dst, src *Node, locs []Loc) []Loc {
	present, gone := syncLevels(dst, src, locs)
	for _, g := range gone {
		present = append(present, LocOf(g))
	}
	return Outermost(present)
}

// syncLevels returns, for Sync, the levels of locs present in src and the nodes of dst to
// remove.
func syncLevels(dst, src *Node, locs []Loc) (present []Loc, gone []*Node) {
	locs = Outermost(locs)
	for _, l := range locs {
		// The shallowest level where the trees differ in presence decides what to do.
		d, s := dst, src
		i := 0
		for ; i < len(l); i++ {
			dn, sn := d.step(l[i]), s.step(l[i])
			if dn == nil || sn == nil {
				break
			}
			d, s = dn, sn
		}
		if i == len(l) {
			i--
		}
		lvl := l[:i+1]
		if lvl.Resolve(src) == nil {
			if old := lvl.Resolve(dst); old != nil {
				gone = append(gone, old)
			}
			continue
		}
		present = append(present, lvl)
	}
	return present, gone
}

// A Placed is a location present in a tree with what is needed to put a copy of its node in the
// same place in another tree holding the same siblings (see Txn.Put).
type Placed struct {
	Loc  Loc
	Node *Node
	// After is the step of the preceding instance of the same list or leaf-list, nil when there
	// is none; First is then set for an entry (it goes before the other instances).
	After *Step
	First bool
}

// DocOrder resolves each of locs in root and returns the present ones in document order, with
// each ordered-by user entry's predecessor, so that putting them in that order into a tree that
// differs only at those locations reproduces root's order (system-ordered entries are replaced
// in place or appended, as Txn.Insert does). It scans a list's instances once for each list
// that holds more than one of the locations, and for each ordered-by user entry.
func DocOrder(root *Node, locs []Loc) []Placed {
	out := make([]Placed, 0, len(locs))
	for _, l := range locs {
		n := l.Resolve(root)
		if n == nil {
			continue
		}
		out = append(out, Placed{Loc: l, Node: n})
	}
	// Group the entries of each list instance; order each group of two or more by index.
	type group struct {
		parent *Node
		s      *schema.Node
	}
	idx := map[group]map[*Node]int{}
	count := map[group]int{}
	for _, p := range out {
		if p.Node.Schema.Kind == schema.KindList || p.Node.Schema.Kind == schema.KindLeafList {
			count[group{p.Node.Parent, p.Node.Schema}]++
		}
	}
	pos := func(n *Node) int {
		g := group{n.Parent, n.Schema}
		if count[g] < 2 {
			return 0
		}
		m := idx[g]
		if m == nil {
			m = map[*Node]int{}
			for i, e := range n.Parent.Instances(n.Schema) {
				m[e] = i
			}
			idx[g] = m
		}
		return m[n]
	}
	slots := map[group][]int{}
	for i, p := range out {
		if g := (group{p.Node.Parent, p.Node.Schema}); count[g] >= 2 {
			slots[g] = append(slots[g], i)
		}
	}
	for _, sl := range slots {
		members := make([]Placed, len(sl))
		for k, i := range sl {
			members[k] = out[i]
		}
		sort.Slice(members, func(a, b int) bool { return pos(members[a].Node) < pos(members[b].Node) })
		for k, i := range sl {
			out[i] = members[k]
		}
	}
	for i := range out {
		n := out[i].Node
		// Only ordered-by user entries need their place: the others are replaced in place or
		// appended after the existing instances, in the order given here, which is where the
		// tree they come from has them.
		if !n.Schema.OrderedByUser {
			continue
		}
		is := n.Parent.Instances(n.Schema)
		j := 0
		if g := (group{n.Parent, n.Schema}); count[g] >= 2 {
			j = pos(n)
		} else {
			j = indexIn(is, n)
		}
		if j > 0 {
			st := stepOf(is[j-1])
			out[i].After = &st
		} else {
			out[i].First = true
		}
	}
	return out
}

func indexIn(is []*Node, n *Node) int {
	for i, e := range is {
		if e == n {
			return i
		}
	}
	return -1
}

// Extract returns a new document tree holding, for each of locs present in root, a copy of its
// node and the ancestors leading to it with their keys only: the part of root that a record of a
// change needs. Locations absent from root contribute their nearest present ancestor's chain.
func Extract(root *Node, locs []Loc) *Node {
	out := NewRoot()
	for _, l := range Outermost(locs) {
		src, dst := root, out
		for i, st := range l {
			sn := src.step(st)
			if sn == nil {
				break
			}
			dn := dst.step(st)
			if dn == nil {
				if i == len(l)-1 {
					dn = sn.Clone()
				} else {
					dn = &Node{Schema: sn.Schema, Value: sn.Value}
					if sn.Schema.Kind == schema.KindList {
						for _, ks := range sn.Schema.Keys() {
							if k := sn.Child(ks); k != nil {
								dn.insert(k.Clone(), nil, false)
							}
						}
					}
				}
				dst.insert(dn, nil, false)
			}
			src, dst = sn, dn
		}
	}
	return out
}
