package data

import (
	"math"
	"sort"
	"strings"
	"unsafe"

	"github.com/ncws/ncws/pkg/schema"
)

// Value is a typed leaf or leaf-list value.
type Value struct {
	// Type is the type the value was parsed as: for a union, the member type that matched; for a
	// leafref, the leafref type itself (the fields below follow its target's type).
	Type *schema.Type
	// Str is the canonical lexical form (RFC 7950 section 9): numbers without leading zeros or
	// "+", decimal64 with at least one fraction digit, bits in position order, binary as base64,
	// an identityref as "module:identity", an instance-identifier with module-name prefixes
	// (RFC 7951 section 6.11). For anydata and anyxml, the raw XML content.
	Str string
}

// Identity returns the identity an identityref value names (also through a leafref or a union),
// nil for any other value. It is looked up from Str and Type's bases, not stored: a data tree
// holds a million values and few are identityrefs.
func (v Value) Identity() *schema.Identity { return identityOf(v.Type, v.Str, false, 0) }

// identityOf finds the identity named s (its QName) of type t. For a union reached through a
// leafref (the value's Type is the leafref, not the member that matched), the members are tried
// in order as ParseValue does: a member before the identityref ones that accepts s wins.
func identityOf(t *schema.Type, s string, viaRef bool, depth int) *schema.Identity {
	if t == nil || depth > maxLeafrefDepth {
		return nil
	}
	switch t.Base {
	case schema.Identityref:
		if len(t.Bases) == 0 {
			return nil
		}
		return t.Bases[0].DerivedNamed(s)
	case schema.Leafref:
		if t.Target != nil {
			return identityOf(t.Target.Type, s, true, depth+1)
		}
	case schema.Union:
		for _, m := range t.Union {
			if id := identityOf(m, s, viaRef, depth+1); id != nil {
				return id
			}
			if viaRef && m.ValueBase() != schema.Identityref {
				if _, err := parseValue(m, s, nil, depth+1); err == nil {
					return nil
				}
			}
		}
	}
	return nil
}

// Num returns the number v holds: an integer, a decimal64 scaled by 10^fraction-digits, an
// enumeration's value, a boolean as 0 or 1 (the zero Number for other types and for a value
// without a type). It is read from Str and Type, not stored: a data tree holds a million values
// and most of them are never used as numbers.
func (v Value) Num() schema.Number { return numOf(v.Type, v.Str, 0) }

// Node is a node of an instance data tree bound to a schema. The root of a tree has no Schema.
// Children are kept in schema order (Ordinal), list and leaf-list entries of one schema node next
// to each other in insertion order; keyed entries are also indexed for lookups without scans.
// A tree is not safe for concurrent mutation; concurrent readers are fine.
//
// A node is 56 bytes: what only inner nodes need (children, key index) is behind one pointer,
// so that the leaves, most of a tree, do not carry it.
type Node struct {
	Schema *schema.Node
	Parent *Node
	Value  Value
	// Line is the source line the node was decoded from, 0 if none.
	Line int32
	// Default marks a leaf that holds its schema default without having been set, and a
	// non-presence container that exists only to hold such leaves.
	Default bool
	// Origin is where a node of the operational view came from (RFC 8342 section 5.3.4): set
	// by the datastore on what state providers add, OriginNone elsewhere.
	Origin Origin

	kids *kids
}

// kids is the part of an inner node leaves do without: 24 bytes (a slice header would make it
// 32; a tree has hundreds of thousands of inner nodes, most with a few children).
type kids struct {
	// p, n and c are the children's storage: the first element, the length and the capacity of
	// what list returns (a slice kept in 16 bytes instead of 24).
	p    **Node
	n, c int32
	idx  *keyIndex // nil until a keyed group passes indexThreshold entries
}

// list returns the children.
func (k *kids) list() []*Node { return unsafe.Slice(k.p, k.c)[:k.n] }

// setList makes l the children.
func (k *kids) setList(l []*Node) {
	if cap(l) > math.MaxInt32 {
		panic("data: more than 2^31 children")
	}
	k.p, k.n, k.c = unsafe.SliceData(l), int32(len(l)), int32(cap(l))
}

// keyIndex finds the entries of the large keyed groups (list or leaf-list instances) of a node
// by key.
type keyIndex struct {
	// groups are the schema nodes that had more than indexThreshold entries at some point, each
	// with all its entries by key (a map per group: a key is its string alone, 16 bytes).
	groups []indexGroup
}

type indexGroup struct {
	s *schema.Node
	m map[string]*Node
}

// group returns the key index of the entries of s, nil if they are not indexed.
func (k *kids) group(s *schema.Node) map[string]*Node {
	if k == nil || k.idx == nil {
		return nil
	}
	for _, g := range k.idx.groups {
		if g.s == s {
			return g.m
		}
	}
	return nil
}

// indexes reports whether the entries of s are in the key index.
func (k *kids) indexes(s *schema.Node) bool { return k.group(s) != nil }

// indexAdd records attached child c, whose key is key, in the key index if its group is there.
func (k *kids) indexAdd(c *Node, key string) {
	if m := k.group(c.Schema); m != nil {
		m[key] = c
	}
}

// indexDel takes child c out of the key index.
func (k *kids) indexDel(c *Node) {
	if m := k.group(c.Schema); m != nil {
		if key := c.Key(); m[key] == c {
			delete(m, key)
		}
	}
}

// indexGroup indexes the entries of keyed s under n once they are more than indexThreshold.
func (n *Node) indexGroup(s *schema.Node) {
	k := n.kids
	if k == nil || !keyed(s) || k.indexes(s) {
		return
	}
	lo, hi := n.bounds(s)
	if hi-lo <= indexThreshold {
		return
	}
	if k.idx == nil {
		k.idx = &keyIndex{}
	}
	m := make(map[string]*Node, 2*(hi-lo))
	for _, e := range k.list()[lo:hi] {
		m[e.Key()] = e
	}
	k.idx.groups = append(k.idx.groups, indexGroup{s, m})
}

// cs returns n's children.
func (n *Node) cs() []*Node {
	if n.kids == nil {
		return nil
	}
	return n.kids.list()
}

// indexThreshold is the number of entries of a list or leaf-list under one parent from which
// keyed lookups go through a map instead of a scan.
const indexThreshold = 8

// NewRoot returns an empty document root.
func NewRoot() *Node { return &Node{} }

// New returns a detached node for schema node s.
func New(s *schema.Node) *Node { return &Node{Schema: s} }

// NewLeaf returns a detached leaf or leaf-list node holding v.
func NewLeaf(s *schema.Node, v Value) *Node { return &Node{Schema: s, Value: v} }

// Children returns the children in schema order. The slice must not be modified.
func (n *Node) Children() []*Node { return n.cs() }

// IsRoot reports whether n is a document root.
func (n *Node) IsRoot() bool { return n.Schema == nil }

// Name returns the node's name ("" for a root).
func (n *Node) Name() string {
	if n.Schema == nil {
		return ""
	}
	return n.Schema.Name
}

// bounds returns the index range [lo, hi) of the children of schema node s.
func (n *Node) bounds(s *schema.Node) (int, int) {
	cs := n.cs()
	ord := s.Ordinal()
	lo := sort.Search(len(cs), func(i int) bool { return cs[i].Schema.Ordinal() >= ord })
	hi := lo
	for hi < len(cs) && cs[hi].Schema == s && hi-lo <= indexThreshold {
		hi++
	}
	if hi-lo > indexThreshold {
		// Long runs: binary search the end too.
		hi = lo + sort.Search(len(cs)-lo, func(i int) bool { return cs[lo+i].Schema.Ordinal() > ord })
	}
	return lo, hi
}

// Instances returns the children that are instances of schema node s (several for a list or
// leaf-list). The slice must not be modified.
func (n *Node) Instances(s *schema.Node) []*Node {
	lo, hi := n.bounds(s)
	return n.cs()[lo:hi:hi]
}

// Child returns the first child instance of schema node s, nil if none.
func (n *Node) Child(s *schema.Node) *Node {
	lo, hi := n.bounds(s)
	if lo == hi {
		return nil
	}
	return n.kids.list()[lo]
}

// ChildByName returns the first child whose schema node has that name (any module), nil if none.
func (n *Node) ChildByName(name string) *Node {
	for _, c := range n.cs() {
		if c.Schema.Name == name {
			return c
		}
	}
	return nil
}

// Key returns the identity of a list entry or leaf-list entry among its siblings: the canonical
// values of its keys joined by NUL for a list, the canonical value for a leaf-list. A keyless list
// entry has no key ("").
func (n *Node) Key() string {
	switch n.Schema.Kind {
	case schema.KindLeafList:
		return n.Value.Str
	case schema.KindList:
		keys := n.Schema.Keys()
		if len(keys) == 1 {
			if k := n.Child(keys[0]); k != nil {
				return k.Value.Str
			}
			return ""
		}
		var b strings.Builder
		for i, ks := range keys {
			if i > 0 {
				b.WriteByte(0)
			}
			if k := n.Child(ks); k != nil {
				b.WriteString(k.Value.Str)
			}
		}
		return b.String()
	}
	return ""
}

// keyed reports whether entries of s are indexed by key.
func keyed(s *schema.Node) bool {
	return s.Kind == schema.KindLeafList || (s.Kind == schema.KindList && len(s.Keys()) > 0)
}

// Find returns the entry of list or leaf-list s with the given key (see Key), nil if none.
func (n *Node) Find(s *schema.Node, key string) *Node {
	if m := n.kids.group(s); m != nil {
		return m[key]
	}
	for _, e := range n.Instances(s) {
		if e.Key() == key {
			return e
		}
	}
	return nil
}

// DistinctKeys reports whether the entries of list or leaf-list s under n are known to have
// distinct keys without comparing them: s's entries are the only ones in n's key index and
// there are as many keys as entries. False means not known (few entries).
func (n *Node) DistinctKeys(s *schema.Node) bool {
	m := n.kids.group(s)
	if m == nil {
		return false
	}
	lo, hi := n.bounds(s)
	return len(m) == hi-lo
}

// Insert adds child c (detached, with its keys already set for a list entry) after the existing
// instances of its schema node. It returns the existing entry instead, without inserting, when a
// list or leaf-list entry with the same key is already there.
func (n *Node) Insert(c *Node) (dup *Node) {
	return n.insert(c, nil, true)
}

// Add attaches child c (detached, keys already set for a list entry) where its schema allows
// another instance, and returns the instance it clashes with otherwise: for a container, leaf,
// anydata or anyxml, any existing instance; for a keyed list or a configuration leaf-list, the
// entry with the same key. Entries of keyless lists and state leaf-lists may repeat and are always
// appended. This is the multiplicity rule of RFC 7950 sections 7.5-7.8 that decoders apply.
func (n *Node) Add(c *Node) (dup *Node) {
	s := c.Schema
	switch {
	case s.Kind == schema.KindLeafList && !s.Config, s.Kind == schema.KindList && len(s.Keys()) == 0:
		n.insert(c, nil, false)
		return nil
	case s.Kind == schema.KindList || s.Kind == schema.KindLeafList:
		return n.insert(c, nil, true)
	}
	// Single-instance node: only look when a sibling at or after its position exists.
	if cs := n.cs(); len(cs) > 0 && cs[len(cs)-1].Schema.Ordinal() >= s.Ordinal() {
		if d := n.Child(s); d != nil {
			return d
		}
	}
	n.insert(c, nil, false)
	return nil
}

// InsertBefore adds child c before sibling before (an instance of the same schema node); with a
// nil before it appends like Insert. It does not check for duplicates.
func (n *Node) InsertBefore(c, before *Node) {
	n.insert(c, before, false)
}

func (n *Node) insert(c, before *Node, checkDup bool) *Node {
	s := c.Schema
	var key string
	idx := keyed(s)
	if idx {
		key = c.Key()
		if checkDup {
			if d := n.Find(s, key); d != nil {
				return d
			}
		}
	}
	n.insertKeyed(c, n.insertPos(c, before), key)
	return nil
}

// insertPos is the index where insert puts c.
func (n *Node) insertPos(c, before *Node) int {
	s := c.Schema
	cs := n.cs()
	pos := len(cs)
	if pos == 0 || cs[pos-1].Schema.Ordinal() > s.Ordinal() || before != nil {
		if before != nil {
			pos = n.indexOf(before)
		} else {
			_, pos = n.bounds(s)
		}
	}
	return pos
}

func (n *Node) indexOf(c *Node) int {
	lo, hi := n.bounds(c.Schema)
	for i := lo; i < hi; i++ {
		if n.kids.list()[i] == c {
			return i
		}
	}
	return -1
}

// Remove detaches child c from n.
func (n *Node) Remove(c *Node) {
	if i := n.indexOf(c); i >= 0 {
		n.removeAt(i)
	}
}

// Walk calls fn for n and its descendants in document order; returning false from fn skips the
// node's descendants.
func (n *Node) Walk(fn func(*Node) bool) {
	if !fn(n) {
		return
	}
	for _, c := range n.cs() {
		c.Walk(fn)
	}
}

// Path returns the instance-identifier of n in the RFC 7951 form used for error-path:
// /module:top/child[key='value']/leaf-list[.='value'], with a module prefix on the first node and
// wherever the module changes. The input or output node of an rpc or action is named by its
// operation, as the request names it: /module:rpc/param, /module:list[key='k']/action/param.
func (n *Node) Path() string {
	if n.Schema == nil {
		return "/"
	}
	var b strings.Builder
	n.appendPath(&b)
	return b.String()
}

func (n *Node) appendPath(b *strings.Builder) {
	if n.Parent != nil && n.Parent.Schema != nil {
		n.Parent.appendPath(b)
	}
	b.WriteByte('/')
	sn := n.Schema
	// The input or output of an operation is named as the request or reply names it: by the
	// operation's element (/mod:rpc/param, .../action/param).
	if (sn.Kind == schema.KindInput || sn.Kind == schema.KindOutput) && sn.Parent != nil {
		sn = sn.Parent
	}
	if n.Parent == nil || n.Parent.Schema == nil || n.Parent.Schema.Module != sn.Module {
		b.WriteString(sn.Module.Name)
		b.WriteByte(':')
	}
	b.WriteString(sn.Name)
	switch n.Schema.Kind {
	case schema.KindList:
		for _, ks := range n.Schema.Keys() {
			if k := n.Child(ks); k != nil {
				b.WriteByte('[')
				if ks.Module != n.Schema.Module {
					b.WriteString(ks.Module.Name)
					b.WriteByte(':')
				}
				b.WriteString(ks.Name)
				b.WriteByte('=')
				quote(b, k.Value.Str)
				b.WriteByte(']')
			}
		}
	case schema.KindLeafList:
		if n.Schema.Config {
			b.WriteString("[.=")
			quote(b, n.Value.Str)
			b.WriteByte(']')
		}
	}
}

func quote(b *strings.Builder, s string) {
	q := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 {
		q = '"'
	}
	b.WriteByte(q)
	b.WriteString(s)
	b.WriteByte(q)
}
