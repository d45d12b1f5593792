package validate

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
)

// YANGNamespace is the namespace of the error-info elements RFC 7950 section 15 defines
// (non-unique, missing-choice).
const YANGNamespace = "urn:ietf:params:xml:ns:yang:1"

// Validator validates data trees of one schema. Build it with New; it is safe for concurrent use
// (each Validate call works on its own tree). What it compiles per schema node is compiled on
// first use and never changes afterwards (see New).
type Validator struct {
	schema *schema.Schema
	info   infoTable
	root   *nodeInfo
	// mu serializes the lazy compilation of infos (compileSlot); compiled counts the infos it
	// compiled (tests read it).
	mu       sync.Mutex
	compiled int
	// read holds, by node ID, the leaves and leaf-lists whose defaults some check can read
	// (markReadDefaults), readOther those of nodes the schema did not number; readAll is set when
	// every default can be read (read is nil then).
	read      []uint64
	readOther map[*schema.Node]bool
	readAll   bool
	// deps is the index of the constraints by what they read, which only ValidateChanges uses:
	// built by its first call (or PrepareChanges), once. On SR OS nokia-conf it is a quarter of
	// the validator (2.5 MB of 9.3), which ncws validate, validating whole documents, never reads.
	depsOnce sync.Once
	deps     *depIndex
	// ops holds, per input and output schema node, what OpReads reports, computed on first use
	// under opsMu.
	opsMu sync.Mutex
	ops   map[*schema.Node]*opInfo
	// scratch, scratchConds, scratchKids and scratchMore are where compileNode builds a node's
	// info (see there); guarded by mu.
	scratch      nodeInfo
	scratchConds conds
	scratchKids  kids
	scratchMore  kidsMore
}

// Options tunes one validation. The zero value validates configuration.
type Options struct {
	// Data validates a datastore holding configuration and state (yanglint -t data). When false,
	// the tree is configuration (the contents of <config>, running, candidate, startup): config
	// false nodes are errors, and their defaults and mandatory nodes are not considered.
	Data bool
	// Txn, when set, records every change validation makes to the tree (defaults created, stale
	// defaults removed, empty non-presence containers pruned, a non-presence container no longer
	// marked Default), so that the caller can undo them together with the edit that preceded
	// them. A container that loses its Default mark is then replaced by a new node holding the
	// same children (the children move; the old container node is detached).
	Txn *data.Txn
	// Fresh, with Txn, holds nodes attached by earlier changes of the Txn (a subtree created by
	// a commit): the defaults validation creates below them are recorded without a location of
	// their own (data.Txn.InsertCovered; the fresh node's location covers them). Undo is the
	// same; a bulk load of 100k interfaces saves a location per default leaf (200k).
	Fresh map[*data.Node]bool
	// SkipUnreadDefaults leaves out the default leaves and leaf-lists that no check reads: those
	// no must, when or leafref path can select, that are not in a unique statement and that have
	// no must, when or reference check of their own. The errors are the same as without it (these
	// defaults can neither fail nor change another check's result); the tree is left without
	// those defaults. For callers that only want the verdict and drop the tree (ncws validate: the
	// 100k-interface document has 200k such leaves). ValidateChanges ignores it.
	SkipUnreadDefaults bool
}

// New returns a validator for s, which must have been finalized. It compiles the must, when and
// leafref paths of a schema node, and what the checks need to know about its children, on the
// first validation that reaches the node (or PrepareChanges), once: validating a document pays
// for the part of the schema the document reaches. New itself records, without keeping them, the
// facts that need the whole schema (which defaults some expression can read, which non-presence
// containers are worth creating, which subtrees hold defaults or when conditions), and compiles
// the document root's info. Expressions that do not compile are reported when a node that
// carries them is validated.
func New(s *schema.Schema) *Validator {
	v := &Validator{
		schema: s,
		info: infoTable{
			pages: make([]atomic.Pointer[infoPage], s.NodeCount()/infoPageSize+1),
			facts: make([]uint8, s.NodeCount()+1),
		},
	}
	v.scan()
	v.markReadDefaults()
	return v
}

// PrepareChanges compiles now what Validate and ValidateChanges would compile on first use: the
// infos of every schema node, what OpReads reports for every operation, and the index of the
// must, when and reference constraints by the schema nodes whose changes can affect them (which
// only ValidateChanges needs). A server calls it once at startup (pkg/datastore.New does) so that
// its first edits and operations do not pay for it. It is safe for concurrent use.
func (v *Validator) PrepareChanges() {
	v.walkData(func(s *schema.Node) { v.infoOf(s) })
	v.forOps(func(io *schema.Node) { v.OpReads(io) })
	v.depIndex()
}

// Validate checks the data tree under root (a document root from data.NewRoot, filled by a
// decoder) against every constraint of RFC 7950 section 8.1 and returns the violations, all of
// them, in document order; an empty list means the tree is valid. Each error is an application
// error whose Path is the instance-identifier of the offending node (for a missing node, the path
// it would have) and whose Line is the offending node's source line (0 if none).
//
// Validate first instantiates the defaults in use (RFC 7950 sections 7.6.1, 7.7.2, 7.9.3),
// marked data.Node.Default, non-presence containers holding them included, and removes default
// nodes whose when is false; must and when expressions see them. The defaults stay in the tree:
// callers that send the tree with a with-defaults mode other than report-all (RFC 6243) trim
// them when encoding. Types are not checked here: decoders check them (data.ParseValue).
func (v *Validator) Validate(root *data.Node, opts Options) rpcerror.List {
	if root == nil {
		return nil
	}
	r := &run{v: v, top: root, txn: opts.Txn, fresh: opts.Fresh, skipUnread: opts.SkipUnreadDefaults}
	if opts.Data {
		r.mode = 1
	}
	r.doc = root
	for r.doc.Parent != nil {
		r.doc = r.doc.Parent
	}
	in := v.root
	if !root.IsRoot() {
		in = v.infoOf(root.Schema)
		if in == nil {
			return nil
		}
	}
	if root.IsRoot() || root.Schema.Kind == schema.KindContainer || root.Schema.Kind == schema.KindList {
		r.fill(root, in)
	}
	r.resolveWhens(r.whenList)
	if root.IsRoot() {
		r.check(root, in, false)
	} else {
		r.checkNode(root, true, false)
	}
	r.prune()
	return r.errs
}

// prune removes the empty default non-presence containers met by the checks; r.npc is in
// post-order: children before their parents.
func (r *run) prune() {
	for _, c := range r.npc {
		if len(c.Children()) == 0 && c.Parent != nil {
			r.remove(c)
		}
	}
}

// run is the state of one Validate call.
type run struct {
	v    *Validator
	mode int        // 0: configuration, 1: all data
	top  *data.Node // the node Validate was called with
	doc  *data.Node // the document root above it
	errs rpcerror.List

	// whenList holds the nodes that have when conditions, existing and default ones.
	whenList []*data.Node
	// whenFalse holds the explicit nodes whose when is false (or failed to evaluate).
	whenFalse map[*data.Node]whenFail
	// npc lists the default non-presence containers met, in post-order, to drop the empty ones
	// at the end.
	npc []*data.Node
	// index holds leafref target values: per anchor node (the document root for absolute paths)
	// and target schema node.
	index map[indexKey]map[string]struct{}
	// acts is a stack of the active cases of the nodes being checked.
	acts []activeCase

	// slab holds nodes for the default leaves to come: a large tree gets hundreds of thousands
	// of them, one allocation each otherwise. Slabs grow from 4 nodes to 256, so that a small
	// validation does not keep a large slab alive for a few leaves.
	slab     []data.Node
	slabSize int

	// txn records the changes made to the tree (Options.Txn), nil if none.
	txn *data.Txn
	// fresh is Options.Fresh; freshAt and freshIn cache the last answer of covered.
	fresh   map[*data.Node]bool
	freshAt *data.Node
	freshIn bool
	// skipUnread is Options.SkipUnreadDefaults.
	skipUnread bool
	// inc is the state of an incremental validation (ValidateChanges), nil for Validate.
	inc *incState
}

// covered reports whether node p is in a fresh subtree (Options.Fresh).
func (r *run) covered(p *data.Node) bool {
	if len(r.fresh) == 0 || p == nil {
		return false
	}
	if p != r.freshAt {
		r.freshAt, r.freshIn = p, false
		for x := p; x != nil; x = x.Parent {
			if r.fresh[x] {
				r.freshIn = true
				break
			}
		}
	}
	return r.freshIn
}

// insert attaches the detached node c under d, unless it is a list or leaf-list entry whose key is
// already there; it reports whether c was attached.
func (r *run) insert(d, c *data.Node) bool {
	if r.txn == nil {
		if d.Insert(c) != nil {
			return false
		}
	} else {
		if s := c.Schema; (s.Kind == schema.KindLeafList || s.Kind == schema.KindList && len(s.Keys()) > 0) &&
			d.Find(s, c.Key()) != nil {
			return false
		}
		if r.covered(d) {
			r.txn.InsertCovered(d, c, nil)
		} else {
			r.txn.Insert(d, c, nil)
		}
	}
	if r.inc != nil {
		r.inc.changed(point{n: c, p: d, s: c.Schema})
	}
	return true
}

// newLeaf returns a detached leaf or leaf-list node of c holding v, from the run's slab.
func (r *run) newLeaf(c *schema.Node, v data.Value) *data.Node {
	if len(r.slab) == 0 {
		r.slabSize = min(max(2*r.slabSize, 4), 256)
		r.slab = make([]data.Node, r.slabSize)
	}
	n := &r.slab[0]
	r.slab = r.slab[1:]
	n.Schema, n.Value = c, v
	return n
}

// remove detaches c from its parent.
func (r *run) remove(c *data.Node) {
	p := c.Parent
	if p == nil {
		return
	}
	if r.txn == nil {
		p.Remove(c)
	} else {
		r.txn.Remove(c)
	}
	if r.inc != nil {
		r.inc.changed(point{p: p, s: c.Schema, noRefill: true})
	}
}

// undefault clears the Default mark of container c and returns the node now in the tree: c
// itself, or with a Txn a new node that took c's place and children (a Txn records structure,
// not flags).
func (r *run) undefault(c *data.Node) *data.Node {
	if r.txn == nil || c.Parent == nil {
		c.Default = false
		if r.inc != nil {
			r.inc.changed(point{n: c, p: c.Parent, s: c.Schema})
		}
		return c
	}
	kids := append([]*data.Node(nil), c.Children()...)
	for i := len(kids) - 1; i >= 0; i-- {
		r.txn.Remove(kids[i])
	}
	nc := data.New(c.Schema)
	nc.Line = c.Line
	r.txn.Replace(c, nc)
	for _, k := range kids {
		r.txn.Insert(nc, k, nil)
	}
	if r.inc != nil {
		r.inc.changed(point{n: nc, p: nc.Parent, s: nc.Schema})
	}
	return nc
}

// hasExplicitChild reports whether some child of c is not a default node.
func hasExplicitChild(c *data.Node) bool {
	for _, g := range c.Children() {
		if !g.Default {
			return true
		}
	}
	return false
}

type whenFail struct {
	cw  *compiledWhen
	err error
}

type indexKey struct {
	anchor *data.Node
	target *schema.Node
}

func (r *run) add(e *rpcerror.Error) { r.errs = append(r.errs, e) }

// isParent reports whether s is a container or list (a node with data children).
func isParent(s *schema.Node) bool {
	return s.Kind == schema.KindContainer || s.Kind == schema.KindList
}

// ---- pass 1: defaults ----

// fill instantiates the defaults in use below d (whose info is in) and collects the nodes that
// have when conditions.
func (r *run) fill(d *data.Node, in *nodeInfo) {
	for _, c := range d.Children() {
		s := c.Schema
		if r.mode == 0 && !s.Config {
			continue // reported by the check pass; nothing under it is considered
		}
		if !isParent(s) && !in.kidsWhen {
			continue
		}
		ci := r.v.infoOf(s)
		if ci == nil {
			continue
		}
		wi := -1
		if len(ci.whens) > 0 {
			wi = len(r.whenList)
			r.whenList = append(r.whenList, c)
		}
		if isParent(s) {
			if ci.needFill {
				r.fill(c, ci)
			}
			if c.Default && hasExplicitChild(c) {
				if nc := r.undefault(c); wi >= 0 {
					r.whenList[wi] = nc
				}
			}
		}
	}
	if len(in.defKids) > 0 {
		r.addDefaults(d, in.defKids)
	}
}

// addDefaults creates, under d, the default nodes of the schema nodes kids (children of d's schema
// node, or of a case of one of its choices) that are missing.
func (r *run) addDefaults(d *data.Node, kids []*schema.Node) {
	for _, c := range kids {
		r.addDefault(d, c)
	}
}

// addDefault creates the default nodes of schema node c under d.
func (r *run) addDefault(d *data.Node, c *schema.Node) {
	if r.mode == 0 && !c.Config && c.Kind != schema.KindChoice && c.Kind != schema.KindCase {
		return
	}
	switch c.Kind {
	case schema.KindLeaf, schema.KindLeafList:
		ci := r.v.infoOf(c)
		if ci == nil || ci.ndflt == 0 || (r.skipUnread && !r.v.defaultRead(c, ci)) || d.Child(c) != nil {
			return
		}
		for _, val := range ci.defaults() {
			n := r.newLeaf(c, val)
			n.Default = true
			if r.insert(d, n) && len(ci.whens) > 0 {
				r.whenList = append(r.whenList, n)
			}
		}
	case schema.KindContainer:
		ci := r.v.infoOf(c)
		if ci == nil || !ci.worthy[r.mode] || d.Child(c) != nil {
			return
		}
		n := data.New(c)
		n.Default = true
		r.insert(d, n)
		if len(ci.whens) > 0 {
			r.whenList = append(r.whenList, n)
		}
		r.fill(n, ci)
	case schema.KindChoice:
		cs := r.explicitCase(d, c)
		if cs == nil {
			cs = c.DefaultCase()
		}
		switch {
		case cs == nil:
		case cs.Kind == schema.KindCase:
			r.addDefaults(d, cs.Children)
		default: // shorthand case
			r.addDefault(d, cs)
		}
	}
}

// caseUnder returns the case of choice ch that data node s lies in (for a shorthand case, the
// data node itself), nil if s is not under ch.
func caseUnder(s, ch *schema.Node) *schema.Node {
	for p := s; p.Parent != nil; p = p.Parent {
		if p.Parent == ch {
			return p
		}
		if k := p.Parent.Kind; k != schema.KindChoice && k != schema.KindCase {
			return nil
		}
	}
	return nil
}

// choiceKids returns the children of d that are instances of data nodes under choice ch.
func (r *run) choiceKids(d *data.Node, ch *schema.Node) []*data.Node {
	ci := r.v.infoOf(ch)
	if ci == nil || ci.ordLo < 0 {
		return nil
	}
	kids := d.Children()
	lo := sort.Search(len(kids), func(i int) bool { return kids[i].Schema.Ordinal() >= int(ci.ordLo) })
	hi := lo + sort.Search(len(kids)-lo, func(i int) bool { return kids[lo+i].Schema.Ordinal() > int(ci.ordHi) })
	return kids[lo:hi]
}

// explicitCase returns the case of choice ch that has explicit (non-default) data under d, nil if
// none. Default nodes left in other cases by an earlier validation are removed.
func (r *run) explicitCase(d *data.Node, ch *schema.Node) *schema.Node {
	var active *schema.Node
	stale := false
	for _, c := range r.choiceKids(d, ch) {
		cs := caseUnder(c.Schema, ch)
		if cs == nil {
			continue
		}
		if c.Default {
			stale = true
			continue
		}
		if active == nil {
			active = cs
		}
	}
	if active != nil && stale {
		var drop []*data.Node
		for _, c := range r.choiceKids(d, ch) {
			if cs := caseUnder(c.Schema, ch); c.Default && cs != nil && cs != active {
				drop = append(drop, c)
			}
		}
		for _, c := range drop {
			r.remove(c)
		}
	}
	return active
}

// ---- pass 2: when ----

// resolveWhens evaluates the when conditions of the collected nodes with the defaults in place,
// removes default nodes whose condition is false (until nothing changes) and records the
// explicit ones for the check pass.
func (r *run) resolveWhens(pending []*data.Node) {
	for len(pending) > 0 {
		clear(r.whenFalse)
		removed := false
		next := pending[:0]
		for _, n := range pending {
			if !r.attached(n) {
				continue
			}
			cw, err := r.evalWhens(n)
			if cw == nil {
				next = append(next, n)
				continue
			}
			if n.Default {
				if err == nil {
					r.remove(n)
					removed = true
				}
				continue
			}
			if r.whenFalse == nil {
				r.whenFalse = make(map[*data.Node]whenFail)
			}
			r.whenFalse[n] = whenFail{cw, err}
			next = append(next, n)
		}
		pending = next
		if !removed {
			break
		}
	}
}

// attached reports whether n is still in the tree being validated.
func (r *run) attached(n *data.Node) bool {
	for p := n; p != nil; p = p.Parent {
		if p == r.top {
			return true
		}
	}
	return false
}

// evalWhens evaluates the when conditions of n; it returns the first that is false or fails to
// evaluate (with the error), nil if all hold.
func (r *run) evalWhens(n *data.Node) (*compiledWhen, error) {
	ci := r.v.infoOf(n.Schema)
	if ci == nil {
		return nil, nil
	}
	return r.evalWhenList(ci, n, n.Parent)
}

// evalWhenList evaluates the whens of ci; self is the node itself (nil for a choice) and parent
// its parent instance.
func (r *run) evalWhenList(ci *nodeInfo, self, parent *data.Node) (*compiledWhen, error) {
	for _, cw := range ci.whens {
		if cw.err != nil {
			return cw, fmt.Errorf("when %q: %w", cw.w.Expr, cw.err)
		}
		ctx := parent
		if cw.self {
			if self == nil {
				continue
			}
			ctx = self
		}
		ok, err := cw.expr.EvalBool(ctx, ctx)
		if err != nil {
			return cw, fmt.Errorf("when %q: %w", cw.w.Expr, err)
		}
		if !ok {
			return cw, nil
		}
	}
	return nil, nil
}

// ---- pass 3: checks ----

// activeCase records the case of a choice that has data under the node being checked.
type activeCase struct {
	choice, cas *schema.Node
	// meaningful is set when the case has data of its own (see meaningful); only then is it
	// active for mandatory checks, while any data selects it against the other cases.
	meaningful bool
	conflict   bool
}

// activeOf returns the case of choice ch that is active for mandatory checks, nil if none.
func activeOf(act []activeCase, ch *schema.Node) *schema.Node {
	for _, a := range act {
		if a.choice == ch && a.meaningful {
			return a.cas
		}
	}
	return nil
}

// inactiveCase reports whether data node s lies in a case that is not active for mandatory
// checks (it holds nothing but empty non-presence containers and defaults).
func inactiveCase(act []activeCase, s *schema.Node) bool {
	for p := s; p.Parent != nil && (p.Parent.Kind == schema.KindChoice || p.Parent.Kind == schema.KindCase); {
		var ch, cs *schema.Node
		if p.Parent.Kind == schema.KindCase {
			cs, ch = p.Parent, p.Parent.Parent
		} else {
			cs, ch = p, p.Parent
		}
		if ch == nil {
			return false
		}
		if activeOf(act, ch) != cs {
			return true
		}
		p = ch
	}
	return false
}

// check checks the children of d (a container, list entry or the root; in is its info) in
// document order, reporting missing nodes (unless noItems) at the place they would have.
func (r *run) check(d *data.Node, in *nodeInfo, noItems bool) {
	var act []activeCase
	start := len(r.acts)
	if in.hasChoices {
		r.scanCases(d, d.Children(), true)
		// Checks below may push more (nested) entries and reallocate r.acts; act keeps the old
		// array, whose entries no longer change.
		act = r.acts[start:]
	}
	kids := d.Children()
	items := in.items
	it := 0
	for i := 0; i < len(kids); {
		s := kids[i].Schema
		j := i + 1
		for j < len(kids) && kids[j].Schema == s {
			j++
		}
		for it < len(items) && items[it].ord <= s.Ordinal() {
			if !noItems {
				r.checkItem(d, &items[it], act)
			}
			it++
		}
		r.checkGroup(d, in, kids[i:j], noItems || (len(act) > 0 && s.IsNPContainer() && inactiveCase(act, s)))
		i = j
	}
	for ; it < len(items) && !noItems; it++ {
		r.checkItem(d, &items[it], act)
	}
	r.acts = r.acts[:start]
}

// scanCases pushes onto r.acts the active case of every choice with data under d and reports
// data from two cases of one choice (RFC 7950 section 8.3.1: bad-element) when report is set.
// kids are the children of d to consider: all of them, or those of one choice.
func (r *run) scanCases(d *data.Node, kids []*data.Node, report bool) {
	start := len(r.acts)
	for _, c := range kids {
		p := c.Schema
		for p.Parent != nil && (p.Parent.Kind == schema.KindChoice || p.Parent.Kind == schema.KindCase) {
			var ch, cs *schema.Node
			if p.Parent.Kind == schema.KindCase {
				cs, ch = p.Parent, p.Parent.Parent
			} else {
				cs, ch = p, p.Parent
			}
			if ch == nil {
				break
			}
			found := false
			for i := start; i < len(r.acts); i++ {
				a := &r.acts[i]
				if a.choice != ch {
					continue
				}
				found = true
				if a.cas == cs && !a.meaningful {
					a.meaningful = meaningful(c)
				}
				if a.cas != cs && !a.conflict {
					a.conflict = true
					if !report {
						break
					}
					// The error-path is the element holding the choice ("/" for a top-level
					// choice); bad-element names the node of the second case.
					path, line := d.Path(), int(d.Line)
					r.add(&rpcerror.Error{Type: rpcerror.Application, Tag: rpcerror.TagBadElement,
						Path: path, Line: line,
						Message: fmt.Sprintf("data for both case %q and case %q of choice %q",
							a.cas.Name, cs.Name, ch.Name),
						Info: []rpcerror.Info{{Name: "bad-element", Value: c.Schema.Name}}})
				}
				break
			}
			if !found {
				r.acts = append(r.acts, activeCase{choice: ch, cas: cs, meaningful: meaningful(c)})
			}
			p = ch
		}
	}
}

// childPath returns the error-path designating schema node s, absent under data node d: the
// instance-identifier s would have (RFC 7951 section 6.11), d's path followed by s's name, module
// qualified where the module changes. Choice and case nodes are not data nodes and never appear in
// an instance-identifier: for a choice (a missing mandatory choice, RFC 7950 section 15.6) the path
// is that of d, the element holding the choice.
func childPath(d *data.Node, s *schema.Node) string {
	if s.Kind == schema.KindChoice || s.Kind == schema.KindCase {
		return d.Path()
	}
	var b strings.Builder
	var prev *schema.Module
	if !d.IsRoot() {
		b.WriteString(d.Path())
		prev = d.Schema.Module
	}
	b.WriteByte('/')
	if s.Module != prev {
		b.WriteString(s.Module.Name)
		b.WriteByte(':')
	}
	b.WriteString(s.Name)
	return b.String()
}

// checkItem checks one node whose absence matters (mandatory, min-elements) under d.
func (r *run) checkItem(d *data.Node, it *item, act []activeCase) {
	n := it.node
	if r.mode == 0 && !n.Config {
		return
	}
	for _, cc := range it.chain {
		if activeOf(act, cc.choice) != cc.cas {
			return
		}
	}
	switch n.Kind {
	case schema.KindChoice:
		if activeOf(act, n) != nil || !r.absentWhensHold(d, n) {
			return
		}
		r.add(&rpcerror.Error{Type: rpcerror.Application, Tag: rpcerror.TagDataMissing,
			AppTag: rpcerror.AppTagMissingChoice, Path: childPath(d, n),
			Message: fmt.Sprintf("mandatory choice %q has no data", n.Name),
			Info:    []rpcerror.Info{{Name: "missing-choice", Namespace: YANGNamespace, Value: n.Name}}})
	case schema.KindLeaf, schema.KindAnydata, schema.KindAnyxml:
		if d.Child(n) != nil || !r.absentWhensHold(d, n) {
			return
		}
		r.add(rpcerror.MissingElement(rpcerror.Application, n.Name, childPath(d, n),
			"mandatory %s %q is missing", n.Kind, n.Name))
	case schema.KindList, schema.KindLeafList:
		cnt := len(d.Instances(n))
		if uint64(cnt) >= n.MinElements() || (cnt == 0 && !r.absentWhensHold(d, n)) {
			return
		}
		r.add(&rpcerror.Error{Type: rpcerror.Application, Tag: rpcerror.TagOperationFailed,
			AppTag: rpcerror.AppTagTooFewElements, Path: childPath(d, n),
			Message: fmt.Sprintf("too few %q entries: %d, at least %d required", n.Name, cnt, n.MinElements())})
	}
}

// meaningful reports whether n is data of its own: not a default, and for a non-presence
// container, holding some such data.
func meaningful(n *data.Node) bool {
	if n.Default {
		return false
	}
	if !n.Schema.IsNPContainer() {
		return true
	}
	for _, c := range n.Children() {
		if meaningful(c) {
			return true
		}
	}
	return false
}

// absentWhensHold reports whether the when conditions of schema node n, absent under d, hold (a
// node whose when is false is not required). A condition whose context is the node itself is
// evaluated on a temporary instance. Conditions that fail to evaluate count as holding.
func (r *run) absentWhensHold(d *data.Node, n *schema.Node) bool {
	ci := r.v.infoOf(n)
	if ci == nil || len(ci.whens) == 0 {
		return true
	}
	var tmp *data.Node
	if ci.selfWhen && n.Kind.IsData() {
		tmp = data.New(n)
		if d.Insert(tmp) != nil {
			tmp = nil
		}
	}
	cw, err := r.evalWhenList(ci, tmp, d)
	if tmp != nil {
		d.Remove(tmp)
	}
	return cw == nil || err != nil
}

// checkGroup checks the instances of one schema node under d.
func (r *run) checkGroup(d *data.Node, in *nodeInfo, group []*data.Node, noItems bool) {
	s := group[0].Schema
	if r.mode == 0 && !s.Config {
		r.checkNode(group[0], false, false) // reports the state node once
		return
	}
	if s.Kind != schema.KindList && s.Kind != schema.KindLeafList {
		for _, n := range group {
			r.checkNode(n, in.kidsMust, noItems)
		}
		return
	}
	var uerrs []uniqueErr
	if s.Kind == schema.KindList && len(group) > 1 {
		if li := r.v.infoOf(s); li != nil && len(li.uniques) > 0 {
			uerrs = r.unique(li, group)
		}
	}
	keyed := (s.Kind == schema.KindList && len(s.Keys()) > 0) || (s.Kind == schema.KindLeafList && s.Config)
	if keyed && d.DistinctKeys(s) {
		keyed = false // no duplicate to look for
	}
	ui := 0
	for i, e := range group {
		if s.MaxElements() > 0 && uint64(i) == s.MaxElements() {
			r.add(&rpcerror.Error{Type: rpcerror.Application, Tag: rpcerror.TagOperationFailed,
				AppTag: rpcerror.AppTagTooManyElements, Path: e.Path(), Line: int(e.Line),
				Message: fmt.Sprintf("too many %q entries: %d, at most %d allowed", s.Name, len(group),
					s.MaxElements())})
		}
		if keyed && i > 0 && d.Find(s, e.Key()) != e {
			r.add(&rpcerror.Error{Type: rpcerror.Application, Tag: rpcerror.TagInvalidValue,
				Path: e.Path(), Line: int(e.Line),
				Message: fmt.Sprintf("duplicate instance of %q", s.Name)})
		}
		for ui < len(uerrs) && uerrs[ui].i == i {
			r.add(uerrs[ui].err)
			ui++
		}
		r.checkNode(e, in.kidsMust, false)
	}
}

type uniqueErr struct {
	i   int
	err *rpcerror.Error
}

// unique checks the unique statements of list li over its entries (RFC 7950 section 7.8.3:
// defaults count; an entry where a referenced leaf is absent takes no part). It returns the
// errors by entry index, in order.
//
// RFC 7950 section 15.1 fixes no error-path for data-not-unique; the path is one of the two
// clashing entries, chosen as yanglint (libyang 2) does, so that locations agree: the later one
// when the list has exactly two entries, else the earlier one (the entry that an entry further
// down the document repeats). The non-unique error-info values name the later entry's leaves.
func (r *run) unique(li *nodeInfo, group []*data.Node) []uniqueErr {
	var out []uniqueErr
	vals := make([]*data.Node, 0, 4)
	var b strings.Builder
	for _, ui := range li.uniques {
		seen := make(map[string]int, len(group))
	entries:
		for i, e := range group {
			vals = vals[:0]
			for _, chain := range ui.chains {
				cur := e
				for _, step := range chain {
					if cur = cur.Child(step); cur == nil {
						continue entries
					}
				}
				vals = append(vals, cur)
			}
			b.Reset()
			for k, l := range vals {
				if k > 0 {
					b.WriteByte(0)
				}
				b.WriteString(l.Value.Str)
			}
			key := b.String()
			first, dup := seen[key]
			if !dup {
				seen[key] = i
				continue
			}
			info := make([]rpcerror.Info, len(vals))
			for k, l := range vals {
				info[k] = rpcerror.Info{Name: "non-unique", Namespace: YANGNamespace, Value: l.Path()}
			}
			at := e
			if len(group) > 2 {
				at = group[first]
			}
			out = append(out, uniqueErr{i, &rpcerror.Error{Type: rpcerror.Application,
				Tag: rpcerror.TagOperationFailed, AppTag: rpcerror.AppTagDataNotUnique,
				Path: at.Path(), Line: int(at.Line), Info: info,
				Message: fmt.Sprintf("unique %q violated by %s and %s", strings.Join(ui.u.Paths, " "),
					group[first].Path(), e.Path())}})
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].i < out[b].i })
	return out
}

// checkNode checks data node n and its subtree. lookup tells whether n's schema node may have
// musts (its parent's info says some child has); noItems skips the checks for missing nodes below
// n (n is a non-presence container in a case that is not active).
func (r *run) checkNode(n *data.Node, lookup, noItems bool) {
	s := n.Schema
	if r.mode == 0 && !s.Config {
		r.add(rpcerror.UnknownElement(rpcerror.Application, s.Name, n.Path()))
		last := r.errs[len(r.errs)-1]
		last.Message = fmt.Sprintf("state data node %q in configuration", s.Name)
		last.Line = int(n.Line)
		return
	}
	if r.whenFalse != nil {
		if wf, ok := r.whenFalse[n]; ok {
			r.whenError(n, wf)
			return
		}
	}
	var in *nodeInfo
	if lookup || isParent(s) {
		in = r.v.infoOf(s)
	}
	if in != nil {
		for _, cm := range in.musts {
			r.must(n, cm)
		}
	}
	switch s.Kind {
	case schema.KindLeaf, schema.KindLeafList:
		r.checkRef(n)
	case schema.KindList:
		for _, k := range s.Keys() {
			if n.Child(k) == nil {
				// The entry is where the key is missing (yanglint points there too);
				// bad-element names the key.
				e := rpcerror.MissingElement(rpcerror.Application, k.Name, n.Path(),
					"list entry without key %q", k.Name)
				e.Line = int(n.Line)
				r.add(e)
			}
		}
		fallthrough
	case schema.KindContainer:
		if in != nil {
			r.check(n, in, noItems)
		}
		if n.Default && s.Kind == schema.KindContainer {
			r.npc = append(r.npc, n)
		}
	}
}

// whenError reports explicit node n, whose when is false or failed to evaluate.
func (r *run) whenError(n *data.Node, wf whenFail) {
	if wf.err != nil {
		r.add(&rpcerror.Error{Type: rpcerror.Application, Tag: rpcerror.TagOperationFailed,
			Path: n.Path(), Line: int(n.Line), Message: wf.err.Error()})
		return
	}
	e := rpcerror.UnknownElement(rpcerror.Application, n.Schema.Name, n.Path())
	e.Message = fmt.Sprintf("when condition %q of %q not satisfied", wf.cw.w.Expr, n.Schema.Name)
	e.Line = int(n.Line)
	r.add(e)
}

// must evaluates one must expression on n (RFC 7950 sections 7.5.3, 15.4).
func (r *run) must(n *data.Node, cm *compiledMust) {
	var ok bool
	err := cm.err
	if err == nil {
		ok, err = cm.expr.EvalBool(n, n)
	}
	if err != nil {
		r.add(&rpcerror.Error{Type: rpcerror.Application, Tag: rpcerror.TagOperationFailed,
			Path: n.Path(), Line: int(n.Line),
			Message: fmt.Sprintf("must %q cannot be evaluated: %v", cm.m.Expr, err)})
		return
	}
	if ok {
		return
	}
	e := &rpcerror.Error{Type: rpcerror.Application, Tag: rpcerror.TagOperationFailed,
		AppTag: cm.m.ErrorAppTag, Path: n.Path(), Line: int(n.Line), Message: cm.m.ErrorMessage}
	if e.AppTag == "" {
		e.AppTag = rpcerror.AppTagMustViolation
	}
	if e.Message == "" {
		e.Message = fmt.Sprintf("must condition %q not satisfied", cm.m.Expr)
	}
	r.add(e)
}
