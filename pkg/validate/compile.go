package validate

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unsafe"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/xpath"
)

// nodeInfo is what the validator precomputes for one schema node. Its conditions and the fields
// that describe a node's children are behind pointers, shared by the nodes that have none (a
// leaf with a default, the most common info, was 224 bytes; it is 48): read them as promoted
// fields (in.musts, in.items, in.choices), never through a nil pointer.
type nodeInfo struct {
	*conds
	*kids

	// dflt points to the first of a leaf's or leaf-list's ndflt parsed default values (see
	// defaults): 12 bytes rather than a 24-byte slice header, which took a 64-byte size class.
	dflt  *data.Value
	ndflt uint32
	// ordLo and ordHi are, for a choice, the lowest and highest ordinals of its data nodes (-1
	// when it has none).
	ordLo, ordHi int32
	// defaultRead is set, for a leaf or leaf-list with defaults, when some check can see its
	// default nodes (see markReadDefaults): Options.SkipUnreadDefaults leaves the others out.
	defaultRead bool
	// worthy[mode] reports, for a non-presence container, whether it is created when its parent
	// exists: it holds defaults or nodes whose absence is checked. Index 0: configuration only.
	worthy [2]bool
}

// conds are a node's must and when conditions; noConds when it has none.
type conds struct {
	musts []*compiledMust
	// whens are the node's own when, those it inherits (uses, augment) and those of the choice and
	// case nodes between it and its data parent, each once.
	whens []*compiledWhen
	// selfWhen is set when one of whens has the node itself as context node.
	selfWhen bool
}

// kids describe the children of a container, list, input, output or the document root; noKids
// for other nodes and for those whose children need nothing. What fewer of them have is behind
// kidsMore (64 bytes instead of 112: SR OS nokia-conf has 5.8k, Junos QFX conf 27k).
type kids struct {
	// items are the children (through choice and case) whose absence can be an error: mandatory
	// leaves, anydata and anyxml, lists and leaf-lists with min-elements, mandatory choices.
	items []item
	// defKids are the direct schema children that can create default nodes: leaves and leaf-lists
	// with defaults, non-presence containers worth creating, choices.
	defKids []*schema.Node
	*kidsMore
	// hasChoices is set when some data child lies under a choice.
	hasChoices bool
	// needFill is set when the defaults pass has something to do below the node: defaults to
	// create (or stale ones to remove), or nodes with when conditions to collect.
	needFill bool
	// kidsWhen and kidsMust are set when some data child has whens or musts (so the passes must
	// look up child infos).
	kidsWhen, kidsMust bool
}

// kidsMore is the part of kids that fewer nodes have; noKidsMore when none.
type kidsMore struct {
	uniques []uniqueInfo
	// choices are the choices among the direct schema children.
	choices []*schema.Node
}

// noConds, noKids and noKidsMore are shared by the infos without conditions or without child
// fields; they are never modified.
var (
	noKidsMore = &kidsMore{}
	noConds    = &conds{}
	noKids     = &kids{kidsMore: noKidsMore}
)

func (c *conds) zero() bool { return len(c.musts) == 0 && len(c.whens) == 0 && !c.selfWhen }

func (k *kids) zero() bool {
	return len(k.items) == 0 && len(k.defKids) == 0 && k.kidsMore.zero() &&
		!k.hasChoices && !k.needFill && !k.kidsWhen && !k.kidsMust
}

func (m *kidsMore) zero() bool {
	return len(m.uniques) == 0 && len(m.choices) == 0
}

// defaults returns a leaf's or leaf-list's parsed default values (nil if none).
func (in *nodeInfo) defaults() []data.Value {
	if in.ndflt == 0 {
		return nil
	}
	return unsafe.Slice(in.dflt, in.ndflt)
}

// newInfo returns an info with conditions and child fields of its own, to fill.
func newInfo() *nodeInfo {
	return &nodeInfo{conds: &conds{}, kids: &kids{kidsMore: &kidsMore{}}}
}

// shrink points in's conditions and child fields to the shared empty ones when they are empty.
func (in *nodeInfo) shrink() {
	if in.conds.zero() {
		in.conds = noConds
	}
	if in.kids.zero() {
		in.kids = noKids
	} else if in.kidsMore.zero() {
		in.kidsMore = noKidsMore
	}
}

// item is one absence check.
type item struct {
	node  *schema.Node
	chain []choiceCase // choice/case ancestors below the data parent, outermost first
	ord   int
}

// choiceCase is one choice and one of its cases (for shorthand cases, the data node itself).
type choiceCase struct {
	choice, cas *schema.Node
}

type compiledMust struct {
	m    *schema.Must
	expr *xpath.Expr
	err  error
}

type compiledWhen struct {
	w *schema.When
	// self is set when the context node is the node itself (else its parent instance).
	self bool
	expr *xpath.Expr
	err  error
}

type uniqueInfo struct {
	u *schema.Unique
	// chains[i] are the data schema nodes from below the list entry down to u.Leaves[i].
	chains [][]*schema.Node
}

// infoTable holds the nodes' infos, indexed by schema.Node.ID (a slice of 8 bytes a node where a
// map took about 28: Junos QFX conf has 970k nodes).
type infoTable struct {
	byID []*nodeInfo
	// other holds the infos of nodes the schema did not number (not reached by Finalize).
	other map[*schema.Node]*nodeInfo
}

// get returns n's info, nil if none (or n is nil).
func (t *infoTable) get(n *schema.Node) *nodeInfo {
	if n == nil {
		return nil
	}
	if id := n.ID(); id > 0 && id < len(t.byID) {
		return t.byID[id]
	}
	return t.other[n]
}

// set records n's info.
func (t *infoTable) set(n *schema.Node, in *nodeInfo) {
	if id := n.ID(); id > 0 && id < len(t.byID) {
		t.byID[id] = in
		return
	}
	if t.other == nil {
		t.other = map[*schema.Node]*nodeInfo{}
	}
	t.other[n] = in
}

// compile builds the per-node infos of the whole schema.
func (v *Validator) compile() {
	rootKids := []*schema.Node{}
	for _, m := range v.schema.Modules {
		if !m.Implemented {
			// Nodes of import-only modules can still be augmented into implemented trees; they are
			// compiled, but their top level is not checked.
			for _, n := range m.Data {
				v.compileTree(n)
			}
			continue
		}
		rootKids = append(rootKids, m.Data...)
		for _, n := range m.Data {
			v.compileTree(n)
		}
	}
	v.root = newInfo()
	v.compileParent(v.root, rootKids)
	v.root.shrink()
	v.refs.sort()
	v.markReadDefaults()
	v.compileOps()
}

// markReadDefaults sets defaultRead on the leaves and leaf-lists with defaults that some check of
// Validate can see: selected by a must, when or leafref path (what its Deps over-approximate:
// every node a step can select, the descendants of a node whose string-value is used), named by
// a unique statement, or carrying a must, when or require-instance reference of its own (checked
// at each instance, defaults included). An expression whose reads cannot be bounded statically
// (or that does not compile) can see them all.
func (v *Validator) markReadDefaults() {
	read := map[*schema.Node]bool{}
	all := false
	for _, s := range v.nodes {
		in := v.info.get(s)
		for _, cm := range in.musts {
			if cm.expr == nil || !cm.expr.DepsComplete() {
				all = true
			} else {
				for _, n := range cm.expr.Deps() {
					read[n] = true
				}
			}
		}
		for _, cw := range in.whens {
			if cw.expr == nil || !cw.expr.DepsComplete() {
				all = true
			} else {
				for _, n := range cw.expr.Deps() {
					read[n] = true
				}
			}
		}
		if (s.Kind == schema.KindLeaf || s.Kind == schema.KindLeafList) && v.refReads(s, s.Type, read, &all) {
			read[s] = true
		}
		for _, u := range s.Unique() {
			for _, l := range u.Leaves {
				read[l] = true
			}
		}
	}
	for _, s := range v.nodes {
		in := v.info.get(s)
		if in.ndflt > 0 {
			in.defaultRead = all || read[s] || len(in.musts) > 0 || len(in.whens) > 0
		}
	}
}

// refReads marks in read the leaves and leaf-lists that the require-instance references of type t
// (of leaf s) can read, and sets *all when what one reads is not statically bounded; it reports
// whether t has such references. Of what refDeps finds only the leaves and leaf-lists count
// here, and it finds them without compiling the paths again: a path New resolved to schema
// nodes reads its target alone (the other nodes its steps select are ancestors of s or of the
// target), a path New compiled reads its Deps. Only a key's leafref, which New does not compile,
// is compiled here (on SR OS nokia-conf, compiling the 7,400 paths again was 43 MB of New's 57
// MB of allocations).
func (v *Validator) refReads(s *schema.Node, t *schema.Type, read map[*schema.Node]bool, all *bool) bool {
	if t == nil {
		return false
	}
	switch t.Base {
	case schema.Leafref:
		if !t.RequireInstance {
			return false
		}
		ri := v.refs.get(s, t)
		switch {
		case ri == nil:
			var d depsOf
			v.refDeps(s, t, &d)
			if d.unbounded {
				*all = true
			}
			for _, n := range d.nodes {
				read[n] = true
			}
		case ri.err != nil:
			// fails at every instance: reads nothing
		case ri.expr != nil:
			if !ri.expr.DepsComplete() {
				*all = true
			}
			for _, n := range ri.expr.Deps() {
				read[n] = true
			}
		default:
			read[ri.steps[len(ri.steps)-1]] = true
		}
		return true
	case schema.InstanceIdentifier:
		if !t.RequireInstance {
			return false
		}
		*all = true
		return true
	case schema.Union:
		any := false
		for _, m := range t.Union {
			if v.refReads(s, m, read, all) {
				any = true
			}
		}
		return any
	}
	return false
}

// compileTree compiles n and its descendants.
func (v *Validator) compileTree(n *schema.Node) {
	if v.info.get(n) != nil {
		return
	}
	switch n.Kind {
	case schema.KindRPC, schema.KindAction, schema.KindNotification, schema.KindInput, schema.KindOutput:
		return // operations are compiled by compileOps
	}
	// Until it is compiled, n is marked by blankInfo; its info is made in v.scratch once its
	// children are done, and copied to the heap only when it is not blank (most are not: the
	// infos made for nothing were 174 MB of garbage among the kept ones with Junos QFX conf).
	// A case's conditions are compiled into its data nodes' infos: it keeps blankInfo.
	v.info.set(n, blankInfo)
	v.nodes = append(v.nodes, n)
	for _, c := range n.Children {
		v.compileTree(c)
	}
	if n.Kind == schema.KindCase {
		return
	}
	in := &v.scratch
	*in = nodeInfo{conds: &v.scratchConds, kids: &v.scratchKids}
	v.scratchKids.kidsMore = &v.scratchMore
	for _, m := range n.Musts() {
		cm := &compiledMust{m: m}
		cm.expr, cm.err = xpath.Compile(m.Expr, m.Prefixes, m.Module, n)
		in.musts = append(in.musts, cm)
	}
	seen := map[*schema.When]bool{}
	addWhens := func(owner *schema.Node) {
		for _, w := range owner.Whens() {
			if seen[w] {
				continue
			}
			seen[w] = true
			ctx := n
			if !w.Self || owner != n || !n.Kind.IsData() {
				ctx = n.DataParent()
			}
			cw := &compiledWhen{w: w, self: ctx == n}
			cw.expr, cw.err = xpath.Compile(w.Expr, w.Prefixes, w.Module, ctx)
			in.whens = append(in.whens, cw)
			if ctx == n {
				in.selfWhen = true
			}
		}
	}
	addWhens(n)
	for p := n.Parent; p != nil && (p.Kind == schema.KindChoice || p.Kind == schema.KindCase); p = p.Parent {
		addWhens(p)
	}
	switch n.Kind {
	case schema.KindChoice:
		in.ordLo, in.ordHi = -1, -1
		var walk func(*schema.Node)
		walk = func(c *schema.Node) {
			if c.Kind.IsData() {
				if o := int32(c.Ordinal()); in.ordLo < 0 || o < in.ordLo {
					in.ordLo = o
				}
				if o := int32(c.Ordinal()); o > in.ordHi {
					in.ordHi = o
				}
				return
			}
			for _, cc := range c.Children {
				walk(cc)
			}
		}
		walk(n)
	case schema.KindLeaf, schema.KindLeafList:
		if n.Kind == schema.KindLeaf && n.IsKey() {
			break
		}
		if ds := n.Default(); len(ds) > 0 {
			vs := make([]data.Value, len(ds))
			for i, d := range ds {
				vs[i] = parseDefault(n, d)
			}
			in.dflt, in.ndflt = &vs[0], uint32(len(vs))
		}
		v.compileType(n, n.Type)
	case schema.KindContainer, schema.KindList:
		if n.Kind == schema.KindContainer && n.Presence() == "" {
			in.worthy[0] = n.Config && v.needs(n.Children, 0, map[*schema.Node]bool{})
			in.worthy[1] = v.needs(n.Children, 1, map[*schema.Node]bool{})
		}
		v.compileParent(in, n.Children)
		for _, u := range n.Unique() {
			ui := uniqueInfo{u: u}
			for _, l := range u.Leaves {
				var chain []*schema.Node
				for p := l; p != nil && p != n; p = p.DataParent() {
					chain = append(chain, p)
				}
				for i, j := 0, len(chain)-1; i < j; i, j = i+1, j-1 {
					chain[i], chain[j] = chain[j], chain[i]
				}
				ui.chains = append(ui.chains, chain)
			}
			in.uniques = append(in.uniques, ui)
		}
	}
	if !in.blank() {
		// Most nodes of a large model have nothing to check: they share blankInfo (Junos QFX
		// conf's 580k leaves cost 130 MB of identical infos, its containers, choices and cases
		// 70 MB).
		c := *in
		if c.conds.zero() {
			c.conds = noConds
		} else {
			cc := *c.conds
			c.conds = &cc
		}
		if c.kids.zero() {
			c.kids = noKids
		} else {
			ck := *c.kids
			if ck.kidsMore.zero() {
				ck.kidsMore = noKidsMore
			} else {
				cm := *ck.kidsMore
				ck.kidsMore = &cm
			}
			c.kids = &ck
		}
		v.info.set(n, &c)
	}
	*in = nodeInfo{}
	v.scratchConds, v.scratchKids, v.scratchMore = conds{}, kids{}, kidsMore{}
}

// blankInfo is the info of every node with nothing to check: a leaf, leaf-list, anydata or anyxml
// without must, when or default, a container or list whose children need no absence check and
// no default, a choice without data nodes, every case. It is never modified.
var blankInfo = &nodeInfo{conds: noConds, kids: noKids}

// blank reports whether in, the info of a node just compiled, has nothing but its node.
func (in *nodeInfo) blank() bool {
	return in.conds.zero() && in.kids.zero() && in.ndflt == 0 && in.worthy == [2]bool{} &&
		in.ordLo == 0 && in.ordHi == 0
}

// compileParent fills the child-related fields of in from the schema children kids (the children
// of a container or list, or the top-level nodes of the implemented modules).
func (v *Validator) compileParent(in *nodeInfo, kids []*schema.Node) {
	var collect func(kids []*schema.Node, chain []choiceCase)
	collect = func(kids []*schema.Node, chain []choiceCase) {
		for _, c := range kids {
			switch c.Kind {
			case schema.KindChoice:
				in.hasChoices = true
				if c.Mandatory {
					if ord, ok := firstOrdinal(c); ok {
						in.items = append(in.items, item{node: c, chain: chain, ord: ord})
					}
				}
				for _, cs := range c.Children {
					sub := append(append([]choiceCase(nil), chain...), choiceCase{c, cs})
					if cs.Kind == schema.KindCase {
						collect(cs.Children, sub)
					} else {
						collect([]*schema.Node{cs}, sub)
					}
				}
			case schema.KindLeaf, schema.KindAnydata, schema.KindAnyxml:
				if c.Mandatory {
					in.items = append(in.items, item{node: c, chain: chain, ord: c.Ordinal()})
				}
			case schema.KindList, schema.KindLeafList:
				if c.MinElements() > 0 {
					in.items = append(in.items, item{node: c, chain: chain, ord: c.Ordinal()})
				}
			}
			if c.Kind.IsData() {
				if ci := v.info.get(c); ci != nil && len(ci.whens) > 0 {
					in.kidsWhen = true
				}
				if len(c.Musts()) > 0 {
					in.kidsMust = true
				}
			}
		}
	}
	collect(kids, nil)
	in.needFill = in.kidsWhen || v.fillKids(kids)
	for _, c := range kids {
		switch c.Kind {
		case schema.KindLeaf:
			if len(c.Default()) > 0 && !c.IsKey() {
				in.defKids = append(in.defKids, c)
			}
		case schema.KindLeafList:
			if len(c.Default()) > 0 {
				in.defKids = append(in.defKids, c)
			}
		case schema.KindContainer:
			if ci := v.info.get(c); ci != nil && (ci.worthy[0] || ci.worthy[1]) {
				in.defKids = append(in.defKids, c)
			}
		case schema.KindChoice:
			in.defKids = append(in.defKids, c)
			in.choices = append(in.choices, c)
		}
	}
}

// fillKids reports whether schema nodes kids (children of one node, or of a case) hold anything
// for the defaults pass: defaults, non-presence containers to create, or descendants that need it.
func (v *Validator) fillKids(kids []*schema.Node) bool {
	for _, c := range kids {
		switch c.Kind {
		case schema.KindLeaf:
			if len(c.Default()) > 0 && !c.IsKey() {
				return true
			}
		case schema.KindLeafList:
			if len(c.Default()) > 0 {
				return true
			}
		case schema.KindContainer, schema.KindList:
			if ci := v.info.get(c); ci != nil && (ci.needFill || ci.worthy[0] || ci.worthy[1] || len(ci.whens) > 0) {
				return true
			}
		case schema.KindChoice, schema.KindCase:
			if v.fillKids(c.Children) {
				return true
			}
		}
	}
	return false
}

// firstOrdinal returns the ordinal of the first data node under choice c.
func firstOrdinal(c *schema.Node) (int, bool) {
	for _, cs := range c.Children {
		switch {
		case cs.Kind == schema.KindCase || cs.Kind == schema.KindChoice:
			if o, ok := firstOrdinal(cs); ok {
				return o, true
			}
		case cs.Kind.IsData():
			return cs.Ordinal(), true
		}
	}
	return 0, false
}

// needs reports whether kids hold, through non-presence containers and the default cases of
// choices, defaults or nodes whose absence is checked, in mode (0: configuration, 1: all data):
// a non-presence container with such children is created when its parent exists.
func (v *Validator) needs(kids []*schema.Node, mode int, seen map[*schema.Node]bool) bool {
	for _, c := range kids {
		if mode == 0 && !c.Config && c.Kind != schema.KindChoice && c.Kind != schema.KindCase {
			continue
		}
		switch c.Kind {
		case schema.KindLeaf:
			if c.Mandatory || (len(c.Default()) > 0 && !c.IsKey()) {
				return true
			}
		case schema.KindLeafList:
			if c.MinElements() > 0 || len(c.Default()) > 0 {
				return true
			}
		case schema.KindList:
			if c.MinElements() > 0 {
				return true
			}
		case schema.KindAnydata, schema.KindAnyxml:
			if c.Mandatory {
				return true
			}
		case schema.KindContainer:
			if c.Presence() == "" && !seen[c] {
				seen[c] = true
				if v.needs(c.Children, mode, seen) {
					return true
				}
			}
		case schema.KindChoice:
			if c.Mandatory {
				return true
			}
			if c.DefaultCase() != nil && v.needs([]*schema.Node{c.DefaultCase()}, mode, seen) {
				return true
			}
		case schema.KindCase:
			if v.needs(c.Children, mode, seen) {
				return true
			}
		}
	}
	return false
}

// parseDefault parses a default value of leaf or leaf-list n. Prefixes in the value (identityref)
// are resolved as in the module of n, then as module names. A value that does not parse is kept
// as text with the declared type (the schema compiler reports invalid defaults).
func parseDefault(n *schema.Node, s string) (val data.Value) {
	val = data.Value{Type: n.Type, Str: s}
	defer func() {
		// data.ParseValue must not panic; guard the validator against a failing implementation.
		if recover() != nil {
			val = data.Value{Type: n.Type, Str: s}
		}
	}()
	mod := n.Module
	r := func(prefix string) *schema.Module {
		if prefix == "" {
			return mod
		}
		if m := mod.Prefixes[prefix]; m != nil {
			return m
		}
		return nil
	}
	pv, err := data.ParseValue(n.Type, s, r)
	if err != nil {
		return val
	}
	return pv
}

// refInfo is a compiled leafref path.
type refInfo struct {
	t *schema.Type
	// up is the number of ".." steps of a relative path, -1 for an absolute path.
	up int32
	// fanout is set when the descent can reach several instances (it crosses a list, or the
	// target is a leaf-list): targets are then looked up in a value index.
	fanout bool
	// steps are the schema nodes the path descends through, the target last.
	steps []*schema.Node
	// expr is used instead when the path has predicates or could not be resolved here.
	expr *xpath.Expr
	err  error
}

// compileType compiles the leafref paths of t (and of its union members) for leaf n.
func (v *Validator) compileType(n *schema.Node, t *schema.Type) {
	if t == nil {
		return
	}
	switch t.Base {
	case schema.Leafref:
		if v.refs.get(n, t) == nil {
			v.refs.add(n, v.compileLeafref(n, t))
		}
	case schema.Union:
		for _, m := range t.Union {
			v.compileType(n, m)
		}
	}
}

// refTable holds the compiled leafref paths by leaf (or leaf-list) and type: a leaf has one
// per leafref type in its type (several in a union). They are kept by value in one slice sorted
// by the leaf's ID (schema.Node.ID), found by a binary search, rather than each on the heap
// behind a map (SR OS nokia-conf: 7.4k paths; the map and the records were 1 MB, the slice is
// 0.5 MB).
type refTable struct {
	// list is sorted by the leaves' IDs once New has compiled every path (sort); while New adds to it, the
	// entries of one leaf are contiguous (they are added together).
	list []refEntry
	// other holds the paths of leaves the schema did not number (ID 0).
	other map[refKey]*refInfo
}

type refEntry struct {
	n  *schema.Node
	ri refInfo
}

type refKey struct {
	t *schema.Type
	n *schema.Node
}

// get returns the compiled path of type t for leaf n, nil if none.
func (rt *refTable) get(n *schema.Node, t *schema.Type) *refInfo {
	id := n.ID()
	if id == 0 {
		return rt.other[refKey{t, n}]
	}
	i, _ := slices.BinarySearchFunc(rt.list, id, func(e refEntry, id int) int { return cmp.Compare(e.n.ID(), id) })
	for ; i < len(rt.list) && rt.list[i].n == n; i++ {
		if rt.list[i].ri.t == t {
			return &rt.list[i].ri
		}
	}
	// While New adds: the entries of the leaf being compiled are the last ones.
	for j := len(rt.list) - 1; j >= 0 && rt.list[j].n == n; j-- {
		if rt.list[j].ri.t == t {
			return &rt.list[j].ri
		}
	}
	return nil
}

// all calls yield with each compiled path and its leaf.
func (rt *refTable) all(yield func(*schema.Node, *refInfo) bool) {
	for i := range rt.list {
		if !yield(rt.list[i].n, &rt.list[i].ri) {
			return
		}
	}
	for k, ri := range rt.other {
		if !yield(k.n, ri) {
			return
		}
	}
}

// add records ri, the compiled path of type ri.t for leaf n.
func (rt *refTable) add(n *schema.Node, ri refInfo) {
	if n.ID() == 0 {
		if rt.other == nil {
			rt.other = map[refKey]*refInfo{}
		}
		rt.other[refKey{ri.t, n}] = &ri
		return
	}
	rt.list = append(rt.list, refEntry{n: n, ri: ri})
}

// sort orders the entries by leaf for get, once New has added every one, in a slice of their
// exact size.
func (rt *refTable) sort() {
	slices.SortStableFunc(rt.list, func(a, b refEntry) int { return cmp.Compare(a.n.ID(), b.n.ID()) })
	rt.list = slices.Clone(rt.list)
}

// compileLeafref resolves the path of leafref type t used by leaf n: natively when it has no
// predicates, through XPath otherwise.
func (v *Validator) compileLeafref(n *schema.Node, t *schema.Type) refInfo {
	if r, ok := v.resolvePath(n, t); ok {
		return r
	}
	ri := refInfo{t: t}
	ri.expr, ri.err = xpath.Compile(t.Path, t.PathPrefixes, t.PathModule, n)
	if ri.err != nil {
		ri.err = fmt.Errorf("leafref path %q: %w", t.Path, ri.err)
	}
	return ri
}

// resolvePath resolves a leafref path without predicates to schema nodes.
func (v *Validator) resolvePath(n *schema.Node, t *schema.Type) (refInfo, bool) {
	p := strings.Join(strings.Fields(t.Path), "")
	if p == "" || strings.ContainsAny(p, "[]()*") {
		return refInfo{}, false
	}
	ri := refInfo{t: t, up: -1}
	var cur *schema.Node // nil: the document root
	if strings.HasPrefix(p, "/") {
		p = p[1:]
	} else {
		ri.up = 0
		cur = n
		for strings.HasPrefix(p, "../") {
			p = p[3:]
			if cur == nil {
				return refInfo{}, false
			}
			cur = cur.DataParent()
			ri.up++
		}
		if ri.up == 0 {
			return refInfo{}, false
		}
	}
	steps := strings.Split(p, "/")
	ri.steps = make([]*schema.Node, 0, len(steps))
	for _, step := range steps {
		prefix, name, ok := strings.Cut(step, ":")
		if !ok {
			prefix, name = "", step
		}
		if name == "" || name == "." || name == ".." {
			return refInfo{}, false
		}
		var mods []*schema.Module
		if prefix != "" {
			m := t.PathPrefixes[prefix]
			if m == nil {
				return refInfo{}, false
			}
			mods = append(mods, m)
		} else {
			mods = append(mods, t.PathModule, n.Module)
			if cur != nil {
				mods = append(mods, cur.Module)
			}
		}
		var next *schema.Node
		for _, m := range mods {
			if m == nil {
				continue
			}
			if cur == nil {
				next = v.schema.Top(m, name)
			} else {
				next = cur.Child(m, name)
			}
			if next != nil {
				break
			}
		}
		if next == nil {
			return refInfo{}, false
		}
		if next.Kind == schema.KindList || next.Kind == schema.KindLeafList {
			ri.fanout = true
		}
		ri.steps = append(ri.steps, next)
		cur = next
	}
	if cur == nil || (cur.Kind != schema.KindLeaf && cur.Kind != schema.KindLeafList) {
		return refInfo{}, false
	}
	if t.Target != nil && t.Target != cur {
		return refInfo{}, false
	}
	return ri, true
}
