package validate

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"sync/atomic"
	"unsafe"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/xpath"
)

// nodeInfo is what the validator precomputes for one schema node. Its conditions and the fields
// that describe a node's children are behind pointers, shared by the nodes that have none (a
// leaf with a default, the most common info, was 224 bytes; it is 48): read them as promoted
// fields (in.musts, in.items, in.choices), never through a nil pointer.
//
// Infos are compiled lazily, on the first lookup of a node (Validator.infoOf): validating a
// document compiles the nodes it reaches, not the whole schema (see New).
type nodeInfo struct {
	*conds
	*kids

	// dflt points to the first of a leaf's or leaf-list's ndflt parsed default values (see
	// defaults): 12 bytes rather than a 24-byte slice header, which took a 64-byte size class.
	dflt *data.Value
	// ref points to the first of the nref compiled leafref paths of a leaf or leaf-list that is
	// not a list key: one per leafref type in its type (several in a union), in the type's order.
	// They are here rather than in conds so that a leaf whose only check is its leafref (SR OS
	// nokia-conf: 7.4k) has no conds of its own.
	ref   *refInfo
	ndflt uint32
	// ordLo and ordHi are, for a choice, the lowest and highest ordinals of its data nodes (-1
	// when it has none).
	ordLo, ordHi int32
	nref         uint16
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

func (c *conds) zero() bool {
	return len(c.musts) == 0 && len(c.whens) == 0 && !c.selfWhen
}

func (k *kids) zero() bool {
	return len(k.items) == 0 && len(k.defKids) == 0 && k.kidsMore.zero() &&
		!k.hasChoices && !k.needFill && !k.kidsWhen && !k.kidsMust
}

func (m *kidsMore) zero() bool {
	return len(m.uniques) == 0 && len(m.choices) == 0
}

// refs returns the compiled leafref paths of a leaf or leaf-list (nil if none).
func (in *nodeInfo) refs() []refInfo {
	if in.nref == 0 {
		return nil
	}
	return unsafe.Slice(in.ref, in.nref)
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

// Facts New records for every node, before (and without) compiling its info: what the infos of
// its parent and of the document root, the defaults that SkipUnreadDefaults keeps and the
// membership of a node in the compiled trees depend on. One byte a node (SR OS nokia-conf: 140
// kB, where its compiled infos, paths and expressions were 3.3 MB).
const (
	// factMember: the node gets an info (New compiled it before lazy compilation): a node of a
	// module's data tree (not an operation, a notification or what they hold), the input or
	// output of an rpc or action, or a node below one.
	factMember uint8 = 1 << iota
	// factWhens: the node has when conditions (its own, inherited, or of the choices and cases
	// between it and its data parent); never set for a case.
	factWhens
	// factWorthy0 and factWorthy1 are the node's worthy[0] and worthy[1].
	factWorthy0
	factWorthy1
	// factNeedFill is the needFill of a container's or list's info.
	factNeedFill
)

// infoTable holds the nodes' facts and their infos, indexed by schema.Node.ID. The infos are in
// pages of infoPageSize slots, a page made when one of its nodes is first compiled: a document
// that reaches few nodes does not pay 8 bytes for every node of the schema (Junos QFX conf has
// 970k nodes: 7.8 MB). A slot is nil until its node is first looked up, then its info
// (absentInfo for a node without one); pages and slots are written once, under Validator.mu, and
// read without a lock.
type infoTable struct {
	pages []atomic.Pointer[infoPage]
	// facts has one byte per node ID (index 0 unused): its length bounds the IDs of the table.
	facts []uint8
	// other and otherFacts hold the infos and facts of the nodes the schema did not number (not
	// reached by Finalize): New compiles those at once, and nothing modifies them afterwards.
	other      map[*schema.Node]*nodeInfo
	otherFacts map[*schema.Node]uint8
}

// infoPageSize is the number of slots of an infoPage.
const infoPageSize = 256

// infoPage holds the infos of the nodes of IDs i*infoPageSize to (i+1)*infoPageSize-1, page i.
type infoPage [infoPageSize]atomic.Pointer[nodeInfo]

// slot returns the slot of the node of ID id (0 < id < len(t.facts)), nil when its page was
// never made.
func (t *infoTable) slot(id int) *atomic.Pointer[nodeInfo] {
	if p := t.pages[id/infoPageSize].Load(); p != nil {
		return &p[id%infoPageSize]
	}
	return nil
}

// absentInfo marks the slot of a node that has no info (an operation, a notification, what it
// holds, a node of another schema). It is never returned.
var absentInfo = &nodeInfo{conds: noConds, kids: noKids}

// fact returns n's facts.
func (t *infoTable) fact(n *schema.Node) uint8 {
	if id := n.ID(); id > 0 && id < len(t.facts) {
		return t.facts[id]
	}
	return t.otherFacts[n]
}

// setFact adds f to n's facts.
func (t *infoTable) setFact(n *schema.Node, f uint8) {
	if id := n.ID(); id > 0 && id < len(t.facts) {
		t.facts[id] |= f
		return
	}
	if t.otherFacts == nil {
		t.otherFacts = map[*schema.Node]uint8{}
	}
	t.otherFacts[n] |= f
}

// has reports whether n gets an info and has all the facts f.
func (t *infoTable) has(n *schema.Node, f uint8) bool {
	return t.fact(n)&(factMember|f) == factMember|f
}

// infoOf returns n's info, nil if none (or n is nil), compiling it on first use. The hot path is
// one load of n's slot.
func (v *Validator) infoOf(n *schema.Node) *nodeInfo {
	if n == nil {
		return nil
	}
	if id := n.ID(); id > 0 && id < len(v.info.facts) {
		var in *nodeInfo
		if sl := v.info.slot(id); sl != nil {
			in = sl.Load()
		}
		if in == nil {
			in = v.compileSlot(n, id)
		}
		if in == absentInfo {
			return nil
		}
		return in
	}
	return v.info.other[n]
}

// compileSlot compiles the info of n, whose ID is id, unless another goroutine did, and returns
// what its slot holds. A node that is not the schema's own node of that ID (a tree built with
// another schema, which Validate does not support) gets no info and leaves the slot empty, so
// that it cannot give the schema's own node a wrong info; the lookup does not check ownership,
// so once the schema's node is compiled, such a node gets its info, as before lazy compilation.
func (v *Validator) compileSlot(n *schema.Node, id int) *nodeInfo {
	v.mu.Lock()
	defer v.mu.Unlock()
	page := v.info.pages[id/infoPageSize].Load()
	if page == nil {
		page = new(infoPage)
		v.info.pages[id/infoPageSize].Store(page)
	}
	slot := &page[id%infoPageSize]
	if in := slot.Load(); in != nil {
		return in
	}
	if !v.owns(n) {
		return absentInfo
	}
	in := absentInfo
	if v.info.facts[id]&factMember != 0 {
		in = v.compileNode(n)
		v.compiled++
	}
	slot.Store(in)
	return in
}

// owns reports whether n is a node of v's schema: its topmost ancestor is a top-level node of one
// of the schema's modules.
func (v *Validator) owns(n *schema.Node) bool {
	top := n
	for top.Parent != nil {
		top = top.Parent
	}
	holds := func(m *schema.Module) bool {
		return slices.Contains(m.Data, top) || slices.Contains(m.RPCs, top) || slices.Contains(m.Notifications, top)
	}
	if m := top.Module; m != nil && v.schema.Module(m.Name) == m && holds(m) {
		return true
	}
	return slices.ContainsFunc(v.schema.Modules, holds)
}

// scan records the facts of every node and builds the root's info; it compiles no node's info
// (but those the schema did not number, kept in info.other). It walks the trees as compiling
// them all did: the data trees of every module, implemented or not (nodes of import-only modules
// can be augmented into implemented trees; their top level is not checked), then the inputs and
// outputs of the rpcs and actions.
func (v *Validator) scan() {
	var rootKids []*schema.Node
	var other []*schema.Node
	for _, m := range v.schema.Modules {
		if m.Implemented {
			rootKids = append(rootKids, m.Data...)
		}
		for _, n := range m.Data {
			v.scanTree(n, &other)
		}
	}
	v.forOps(func(io *schema.Node) {
		if v.info.fact(io)&factMember != 0 {
			return
		}
		v.info.setFact(io, factMember)
		if io.ID() <= 0 || io.ID() >= len(v.info.facts) {
			other = append(other, io)
		}
		for _, k := range io.Children {
			v.scanTree(k, &other)
		}
	})
	v.root = newInfo()
	v.compileParent(v.root, rootKids)
	v.root.shrink()
	for _, n := range other {
		if v.info.other == nil {
			v.info.other = map[*schema.Node]*nodeInfo{}
		}
		v.info.other[n] = v.compileNode(n)
		v.compiled++
	}
}

// scanTree records the facts of n and its descendants, children first (a container's facts
// depend on its children's); nodes the schema did not number are added to other.
func (v *Validator) scanTree(n *schema.Node, other *[]*schema.Node) {
	if v.info.fact(n)&factMember != 0 {
		return
	}
	switch n.Kind {
	case schema.KindRPC, schema.KindAction, schema.KindNotification, schema.KindInput, schema.KindOutput:
		return // operations: see scan
	}
	v.info.setFact(n, factMember)
	if n.ID() <= 0 || n.ID() >= len(v.info.facts) {
		*other = append(*other, n)
	}
	for _, c := range n.Children {
		v.scanTree(c, other)
	}
	if n.Kind == schema.KindCase {
		return // a case's conditions are compiled into its data nodes' infos
	}
	var f uint8
	if hasWhens(n) {
		f |= factWhens
	}
	switch n.Kind {
	case schema.KindContainer, schema.KindList:
		if n.Kind == schema.KindContainer && n.Presence() == "" {
			if n.Config && v.needs(n.Children, 0, map[*schema.Node]bool{}) {
				f |= factWorthy0
			}
			if v.needs(n.Children, 1, map[*schema.Node]bool{}) {
				f |= factWorthy1
			}
		}
		if v.kidsWhen(n.Children) || v.fillKids(n.Children) {
			f |= factNeedFill
		}
	}
	v.info.setFact(n, f)
}

// hasWhens reports whether n (not a case) has when conditions: its own or those of the choice
// and case nodes between it and its data parent (what forWhens finds).
func hasWhens(n *schema.Node) bool {
	if len(n.Whens()) > 0 {
		return true
	}
	for p := n.Parent; p != nil && (p.Kind == schema.KindChoice || p.Kind == schema.KindCase); p = p.Parent {
		if len(p.Whens()) > 0 {
			return true
		}
	}
	return false
}

// kidsWhen reports whether some data node among kids (children of one node; through choice and
// case) has when conditions.
func (v *Validator) kidsWhen(kids []*schema.Node) bool {
	for _, c := range kids {
		switch {
		case c.Kind == schema.KindChoice || c.Kind == schema.KindCase:
			if v.kidsWhen(c.Children) {
				return true
			}
		case c.Kind.IsData():
			if v.info.has(c, factWhens) {
				return true
			}
		}
	}
	return false
}

// forWhens calls f with each when condition of n (not a case) once, in order, and the schema
// node of its context: n's own, those it inherits, then those of the choice and case nodes
// between n and its data parent.
func forWhens(n *schema.Node, f func(w *schema.When, ctx *schema.Node)) {
	var seen map[*schema.When]bool
	add := func(owner *schema.Node) {
		for _, w := range owner.Whens() {
			if seen[w] {
				continue
			}
			if seen == nil {
				seen = map[*schema.When]bool{}
			}
			seen[w] = true
			ctx := n
			if !w.Self || owner != n || !n.Kind.IsData() {
				ctx = n.DataParent()
			}
			f(w, ctx)
		}
	}
	add(n)
	for p := n.Parent; p != nil && (p.Kind == schema.KindChoice || p.Kind == schema.KindCase); p = p.Parent {
		add(p)
	}
}

// markReadDefaults records which leaves and leaf-lists with defaults some check of Validate can
// see (defaultRead): selected by a must, when or leafref path (what its Deps over-approximate:
// every node a step can select, the descendants of a node whose string-value is used), named by
// a unique statement, or carrying a must, when or require-instance reference of its own (checked
// at each instance, defaults included). An expression whose reads cannot be bounded statically
// (or that does not compile) can see them all.
//
// Any expression of the schema can read any default, so New computes this over the whole
// schema: it compiles every must, when and leafref path to learn what it reads and drops it
// (they are compiled again, and kept, for the nodes a document reaches). What stays is one bit a
// node. It stops at the first expression whose reads are unbounded: all defaults are read then.
// New does it rather than the first Validate with SkipUnreadDefaults because its garbage is then
// collected at the load's GC policy (ncws validate: GOGC=10), not at the data stage's (400).
func (v *Validator) markReadDefaults() {
	read := func(n *schema.Node) {
		if id := n.ID(); id > 0 && id < len(v.info.facts) {
			v.read[id>>6] |= 1 << (id & 63)
			return
		}
		if v.readOther == nil {
			v.readOther = map[*schema.Node]bool{}
		}
		v.readOther[n] = true
	}
	v.read = make([]uint64, len(v.info.facts)/64+1)
	deps := func(e *xpath.Expr, err error) {
		if err != nil || !e.DepsComplete() {
			v.readAll = true
			return
		}
		for _, n := range e.Deps() {
			read(n)
		}
	}
	v.walkData(func(s *schema.Node) {
		if v.readAll || s.Kind == schema.KindCase {
			return
		}
		for _, m := range s.Musts() {
			deps(xpath.Compile(m.Expr, m.Prefixes, m.Module, s))
		}
		forWhens(s, func(w *schema.When, ctx *schema.Node) {
			deps(xpath.Compile(w.Expr, w.Prefixes, w.Module, ctx))
		})
		if (s.Kind == schema.KindLeaf || s.Kind == schema.KindLeafList) && v.refReads(s, s.Type, read) {
			read(s)
		}
		for _, u := range s.Unique() {
			for _, l := range u.Leaves {
				read(l)
			}
		}
	})
	if v.readAll {
		v.read, v.readOther = nil, nil
	}
}

// defaultRead reports whether the defaults of leaf or leaf-list c (whose info is ci) can be seen
// by some check (see markReadDefaults).
func (v *Validator) defaultRead(c *schema.Node, ci *nodeInfo) bool {
	if v.readAll || len(ci.musts) > 0 || len(ci.whens) > 0 {
		return true
	}
	if id := c.ID(); id > 0 && id < len(v.info.facts) {
		return v.read[id>>6]&(1<<(id&63)) != 0
	}
	return v.readOther[c]
}

// refReads marks with read the leaves and leaf-lists that the require-instance references of type
// t (of leaf s) can read, and sets v.readAll when what one reads is not statically bounded; it
// reports whether t has such references. Of what refDeps finds only the leaves and leaf-lists
// count here: a path that resolves to schema nodes (compileLeafref) reads its target alone (the
// other nodes its steps select are ancestors of s or of the target), a path compiled as XPath
// reads its Deps. A list key's leafref, which infos do not hold, is compiled as refDeps does.
func (v *Validator) refReads(s *schema.Node, t *schema.Type, read func(*schema.Node)) bool {
	if t == nil {
		return false
	}
	switch t.Base {
	case schema.Leafref:
		if !t.RequireInstance {
			return false
		}
		if s.Kind == schema.KindLeaf && s.IsKey() {
			// As refDeps reads a path infos do not hold.
			e, err := xpath.Compile(t.Path, t.PathPrefixes, t.PathModule, s)
			if err != nil || !e.DepsComplete() {
				v.readAll = true
			}
			if err == nil {
				for _, n := range e.Deps() {
					read(n)
				}
			}
			return true
		}
		ri := v.compileLeafref(s, t)
		switch {
		case ri.err != nil:
			// fails at every instance: reads nothing
		case ri.expr != nil:
			if !ri.expr.DepsComplete() {
				v.readAll = true
			}
			for _, n := range ri.expr.Deps() {
				read(n)
			}
		default:
			read(ri.steps[len(ri.steps)-1])
		}
		return true
	case schema.InstanceIdentifier:
		if !t.RequireInstance {
			return false
		}
		v.readAll = true
		return true
	case schema.Union:
		any := false
		for _, m := range t.Union {
			if v.refReads(s, m, read) {
				any = true
			}
		}
		return any
	}
	return false
}

// compileNode compiles the info of n, a node with factMember, from n and the facts of its
// children: blankInfo when it has nothing to check. It runs under v.mu (or in New).
func (v *Validator) compileNode(n *schema.Node) *nodeInfo {
	switch n.Kind {
	case schema.KindInput, schema.KindOutput:
		return v.compileIO(n)
	case schema.KindCase:
		return blankInfo // a case's conditions are compiled into its data nodes' infos
	}
	// The info is made in v.scratch and copied to the heap only when it is not blank (most are
	// not: the infos made for nothing were 174 MB of garbage among the kept ones with Junos QFX
	// conf, compiled whole).
	in := &v.scratch
	*in = nodeInfo{conds: &v.scratchConds, kids: &v.scratchKids}
	v.scratchKids.kidsMore = &v.scratchMore
	for _, m := range n.Musts() {
		cm := &compiledMust{m: m}
		cm.expr, cm.err = xpath.Compile(m.Expr, m.Prefixes, m.Module, n)
		in.musts = append(in.musts, cm)
	}
	forWhens(n, func(w *schema.When, ctx *schema.Node) {
		cw := &compiledWhen{w: w, self: ctx == n}
		cw.expr, cw.err = xpath.Compile(w.Expr, w.Prefixes, w.Module, ctx)
		in.whens = append(in.whens, cw)
		if ctx == n {
			in.selfWhen = true
		}
	})
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
		var refs []refInfo
		v.compileType(&refs, n, n.Type)
		// (A union of more than 65,535 leafrefs keeps none: refOf's callers compile a path
		// they do not find.)
		if len(refs) > 0 && len(refs) <= math.MaxUint16 {
			refs = slices.Clip(refs)
			in.ref, in.nref = &refs[0], uint16(len(refs))
		}
	case schema.KindContainer, schema.KindList:
		f := v.info.fact(n)
		in.worthy = [2]bool{f&factWorthy0 != 0, f&factWorthy1 != 0}
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
	out := blankInfo
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
		out = &c
	}
	*in = nodeInfo{}
	v.scratchConds, v.scratchKids, v.scratchMore = conds{}, kids{}, kidsMore{}
	return out
}

// blankInfo is the info of every node with nothing to check: a leaf, leaf-list, anydata or anyxml
// without must, when, default or leafref, a container or list whose children need no absence
// check and no default, a choice without data nodes, every case. It is never modified.
var blankInfo = &nodeInfo{conds: noConds, kids: noKids}

// blank reports whether in, the info of a node just compiled, has nothing but its node.
func (in *nodeInfo) blank() bool {
	return in.conds.zero() && in.kids.zero() && in.ndflt == 0 && in.nref == 0 && in.worthy == [2]bool{} &&
		in.ordLo == 0 && in.ordHi == 0
}

// compileParent fills the child-related fields of in from the schema children kids (the children
// of a container or list, or the top-level nodes of the implemented modules), and the facts of
// the children.
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
				if v.info.has(c, factWhens) {
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
			if v.info.has(c, factWorthy0) || v.info.has(c, factWorthy1) {
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
			if f := v.info.fact(c); f&factMember != 0 && f&(factNeedFill|factWorthy0|factWorthy1|factWhens) != 0 {
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

// compileType appends to refs the compiled leafref paths of t (and of its union members) for
// leaf n, one per type.
func (v *Validator) compileType(refs *[]refInfo, n *schema.Node, t *schema.Type) {
	if t == nil {
		return
	}
	switch t.Base {
	case schema.Leafref:
		for i := range *refs {
			if (*refs)[i].t == t {
				return
			}
		}
		*refs = append(*refs, v.compileLeafref(n, t))
	case schema.Union:
		for _, m := range t.Union {
			v.compileType(refs, n, m)
		}
	}
}

// refOf returns the compiled path of leafref type t for leaf or leaf-list n (compiling n's info
// if needed), nil if none: n is a list key, or t is not a type of n.
func (v *Validator) refOf(n *schema.Node, t *schema.Type) *refInfo {
	in := v.infoOf(n)
	if in == nil {
		return nil
	}
	refs := in.refs()
	for i := range refs {
		if refs[i].t == t {
			return &refs[i]
		}
	}
	return nil
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
