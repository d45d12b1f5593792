package validate

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
)

// maxRounds bounds the rounds of default filling and when resolution of one ValidateChanges
// (when conditions that depend on each other in a cycle); past it, the tree is validated whole.
const maxRounds = 64

// ValidateChanges validates doc, a document root that was valid and default-filled by a previous
// Validate or ValidateChanges before some changes, given the locations of those changes (as
// data.Txn.Locs returns them: each names a node created, deleted, replaced or moved; a location
// that resolves to nothing was deleted). It returns the errors Validate(doc, opts) would return
// and leaves the tree as Validate would (defaults created and removed, empty default containers
// pruned), with work proportional to the changed subtrees and to the instances of the
// constraints that can depend on them, not to the size of the tree:
//
//   - each changed subtree is filled and checked as Validate checks it;
//   - at each changed node's parent: the default of that child (or of the choice holding it), the
//     absence checks (mandatory, min-elements, mandatory choices), data from several cases (a
//     scan of the children under choices), and for a list or leaf-list max-elements, duplicate
//     keys of the changed entries and unique (a scan of the list); unique also for the lists
//     above the change when it touches one of their unique leaves;
//   - the non-presence containers above a change lose their Default mark when they now hold
//     explicit data; one that lies in a case of a choice is checked whole (its case may have
//     become active or inactive);
//   - must, when, leafref and require-instance instance-identifier checks are re-evaluated at
//     every instance that can read a changed node (xpath.Expr.Deps), within the instance of the
//     lowest common ancestor of the expression's context and what it reads; expressions whose
//     reads are not statically known, and instance-identifiers, are re-evaluated everywhere. The
//     non-presence containers Validate creates for its checks and prunes after them are created
//     where such an expression can read them.
//
// Errors that do not depend on the changes are not looked for: if doc was not valid before, they
// are not reported. Two entries with the same key (a Txn inserts without checking) share one
// location; only the one Find returns is taken as changed.
//
// The errors are sorted by error-path, then error-tag, error-app-tag and message, and duplicates
// are dropped (Validate returns document order). With Options.Txn set, the changes ValidateChanges
// makes are recorded there too. Locations through keyless lists (state data) cannot be resolved
// reliably: the tree is then validated whole, as is a doc that is not a document root.
func (v *Validator) ValidateChanges(doc *data.Node, locs []data.Loc, opts Options) rpcerror.List {
	if doc == nil {
		return nil
	}
	opts.SkipUnreadDefaults = false // a datastore's tree keeps its defaults
	if !doc.IsRoot() || !locsBounded(locs) {
		return v.Validate(doc, opts)
	}
	v.depIndex() // v.deps is read below; built once, on first use
	r := &run{v: v, top: doc, doc: doc, txn: opts.Txn, fresh: opts.Fresh, inc: &incState{
		present:   map[*data.Node]bool{},
		processed: map[*data.Node]bool{},
		refilled:  map[slot]bool{},
		parents:   map[*data.Node]bool{},
		groups:    map[slot][]*data.Node{},
		uniques:   map[slot]bool{},
		trig:      map[trigger]bool{},
		ensured:   map[trigger]bool{},
	}}
	if opts.Data {
		r.mode = 1
	}
	pts := make([]point, 0, len(locs))
	for _, l := range data.Outermost(locs) {
		pts = append(pts, r.locate(l))
	}
	// Validate's defaults pass fills a subtree, clearing the Default mark of containers holding
	// explicit data, before it instantiates the defaults of the choices around it (the stale
	// defaults of other cases are the nodes still marked Default).
	for _, pt := range pts {
		if pt.n != nil {
			r.markPresent(pt.n)
			r.walkUp(pt.n)
		} else {
			r.walkUp(pt.p)
		}
	}
	r.inc.queue = append(r.inc.queue, pts...)
	if !r.settle() {
		return v.Validate(doc, opts)
	}
	r.checkChanges()
	r.prune()
	r.pruneUp()
	return sortErrors(r.errs)
}

// incState is the state of one ValidateChanges call.
type incState struct {
	queue []point
	// present holds the roots of the subtrees filled and checked whole, roots in order.
	present map[*data.Node]bool
	roots   []*data.Node
	// processed holds the nodes of the changes processed.
	processed map[*data.Node]bool
	// refilled holds the default slots (a child schema node, or the outermost choice holding it,
	// under a parent instance) filled again.
	refilled map[slot]bool
	// parents holds the instances whose absence checks and choices are checked.
	parents map[*data.Node]bool
	porder  []*data.Node
	// groups holds the list and leaf-list groups to check, with their changed entries.
	groups map[slot][]*data.Node
	gorder []slot
	// uniques holds the lists above a change whose unique statements are checked.
	uniques map[slot]bool
	uorder  []slot
	// trig holds the must and reference constraints to re-evaluate under an anchor instance.
	trig  map[trigger]bool
	trigs []trigger
	// walks are the nodes from which empty default containers are pruned upwards.
	walks []*data.Node
	// ensures are the constraints (under an anchor) whose transient non-presence containers are
	// to be created before the checks; ensured those done.
	ensures []trigger
	ensured map[trigger]bool
}

// point is one change: node n (nil when deleted) of schema node s under parent p.
type point struct {
	n, p *data.Node
	s    *schema.Node
	// noRefill is set for a removal made by validation itself: its default slot is not filled
	// again.
	noRefill bool
}

type slot struct {
	p *data.Node
	s *schema.Node
}

type trigger struct {
	c *constraint
	a *data.Node
}

func (st *incState) changed(pt point) { st.queue = append(st.queue, pt) }

// parent schedules the absence and choice checks at p.
func (r *run) parent(p *data.Node) {
	st := r.inc
	if st.parents[p] {
		return
	}
	st.parents[p] = true
	st.porder = append(st.porder, p)
	if len(r.v.deps.npCons) == 0 {
		return
	}
	in := r.v.root
	if !p.IsRoot() {
		in = r.v.infoOf(p.Schema)
	}
	if in == nil {
		return
	}
	// The when conditions of absent nodes are evaluated too.
	for _, it := range in.items {
		for _, c := range r.v.deps.npCons[it.node] {
			if c.kind != conWhen {
				continue
			}
			a := p
			for d := c.atDepth; d > c.depth && a != nil; d-- {
				a = a.Parent
			}
			if a != nil {
				r.ensure(trigger{c, a})
			}
		}
	}
}

// locsBounded reports whether every location can be resolved to one node.
func locsBounded(locs []data.Loc) bool {
	for _, l := range locs {
		if len(l) == 0 {
			return false
		}
		for _, st := range l {
			s := st.Schema
			if s == nil || s.Kind == schema.KindList && len(s.Keys()) == 0 ||
				s.Kind == schema.KindLeafList && !s.Config {
				return false
			}
		}
	}
	return true
}

// locate resolves l as far as it goes.
func (r *run) locate(l data.Loc) point {
	cur := r.doc
	for _, st := range l {
		var next *data.Node
		if s := st.Schema; s.Kind == schema.KindList || s.Kind == schema.KindLeafList {
			next = cur.Find(s, st.Key)
		} else {
			next = cur.Child(s)
		}
		if next == nil {
			return point{p: cur, s: st.Schema}
		}
		cur = next
	}
	return point{n: cur, p: cur.Parent, s: cur.Schema}
}

// settle applies the defaults and when conditions the changes call for, until nothing changes.
// It reports false when that does not converge.
func (r *run) settle() bool {
	st := r.inc
	for round := 0; round < maxRounds; round++ {
		for len(st.queue) > 0 || len(st.ensures) > 0 {
			if len(st.queue) == 0 {
				t := st.ensures[0]
				st.ensures = st.ensures[1:]
				for _, path := range t.c.np {
					r.descend(t.a, path)
				}
				continue
			}
			pt := st.queue[0]
			st.queue = st.queue[1:]
			r.process(pt)
		}
		r.resolveWhens(append([]*data.Node(nil), r.whenList...))
		if len(st.queue) == 0 {
			return true
		}
	}
	return false
}

// process handles one change: fills a new subtree, fills the parent's slot again, and collects
// what is to be checked.
func (r *run) process(pt point) {
	st := r.inc
	p := pt.p
	if pt.n != nil {
		if st.processed[pt.n] {
			return
		}
		if p = pt.n.Parent; p == nil {
			return // detached meanwhile; its removal is a change of its own
		}
	}
	if p == nil || !r.attached(p) || r.underPresent(p) {
		return
	}
	if pt.n != nil {
		st.processed[pt.n] = true
		r.markPresent(pt.n)
	}
	x := pt.s
	if !pt.noRefill {
		r.refill(p, x)
	}
	r.parent(p)
	if x.Kind == schema.KindList || x.Kind == schema.KindLeafList {
		g := slot{p, x}
		if _, ok := st.groups[g]; !ok {
			st.gorder = append(st.gorder, g)
		}
		st.groups[g] = append(st.groups[g], pt.n)
	}
	if pt.n != nil && pt.n.Parent == p {
		r.walkUp(pt.n)
	} else {
		r.walkUp(p)
	}
	if !r.attached(p) {
		return // p lost its Default mark and gave way to a new node, checked whole
	}
	for a := p; a != nil && !a.IsRoot(); a = a.Parent {
		if a.Schema.Kind != schema.KindList {
			continue
		}
		if li := r.v.infoOf(a.Schema); li != nil && uniqueReads(li, x) {
			if u := (slot{a.Parent, a.Schema}); !st.uniques[u] {
				st.uniques[u] = true
				st.uorder = append(st.uorder, u)
			}
		}
	}
	r.triggerDeps(p, x)
	if pt.n != nil && pt.n.Parent == p {
		st.walks = append(st.walks, pt.n)
	} else {
		st.walks = append(st.walks, p)
	}
}

// markPresent makes n the root of a changed subtree, filled now and checked whole later.
func (r *run) markPresent(n *data.Node) {
	if r.inc.present[n] {
		return
	}
	r.inc.present[n] = true
	r.inc.roots = append(r.inc.roots, n)
	r.fillPresent(n)
	if len(r.v.deps.npCons) == 0 {
		return
	}
	n.Walk(func(m *data.Node) bool {
		for _, c := range r.v.deps.npCons[m.Schema] {
			at := m
			if c.kind == conWhen {
				at = m.Parent
			}
			for d := c.atDepth; d > c.depth && at != nil; d-- {
				at = at.Parent
			}
			if at != nil {
				r.ensure(trigger{c, at})
			}
		}
		return true
	})
}

// ensure schedules the creation of the transient non-presence containers constraint t.c reads
// under t.a.
func (r *run) ensure(t trigger) {
	if len(t.c.np) > 0 && !r.inc.ensured[t] {
		r.inc.ensured[t] = true
		r.inc.ensures = append(r.inc.ensures, t)
	}
}

// uniqueReads reports whether a unique statement of list li reads schema node x (x is the
// leaf or one of the nodes between the list entry and it).
func uniqueReads(li *nodeInfo, x *schema.Node) bool {
	for _, ui := range li.uniques {
		for _, chain := range ui.chains {
			if slices.Contains(chain, x) {
				return true
			}
		}
	}
	return false
}

// underPresent reports whether n or one of its ancestors is the root of a changed subtree.
func (r *run) underPresent(n *data.Node) bool {
	for a := n; a != nil; a = a.Parent {
		if r.inc.present[a] {
			return true
		}
	}
	return false
}

// suppressed reports whether Validate would not check n: n or an ancestor is a state node in
// configuration, or an explicit node whose when is false.
func (r *run) suppressed(n *data.Node) bool {
	for a := n; a != nil && !a.IsRoot(); a = a.Parent {
		if r.mode == 0 && !a.Schema.Config {
			return true
		}
		if _, ok := r.whenFalse[a]; ok {
			return true
		}
	}
	return false
}

// fillRuns reports whether Validate's defaults pass fills the children of d.
func (r *run) fillRuns(d *data.Node) bool {
	for a := d; a != nil && !a.IsRoot(); a = a.Parent {
		if r.mode == 0 && !a.Schema.Config || !isParent(a.Schema) {
			return false
		}
		if ci := r.v.infoOf(a.Schema); ci == nil || !ci.needFill {
			return false
		}
	}
	return true
}

// fillPresent fills the defaults of new subtree n and collects its when conditions.
func (r *run) fillPresent(n *data.Node) {
	ci := r.v.infoOf(n.Schema)
	if ci == nil || !r.fillRuns(n.Parent) || r.mode == 0 && !n.Schema.Config {
		return
	}
	if len(ci.whens) > 0 {
		r.whenList = append(r.whenList, n)
	}
	if isParent(n.Schema) && ci.needFill {
		r.fill(n, ci)
	}
}

// slotOf returns the child of a data node's schema node that holds s: s itself, or the outermost
// choice above s.
func slotOf(s *schema.Node) *schema.Node {
	for s.Parent != nil && (s.Parent.Kind == schema.KindChoice || s.Parent.Kind == schema.KindCase) {
		s = s.Parent
	}
	return s
}

// inCase reports whether schema node s lies directly in a choice or case.
func inCase(s *schema.Node) bool {
	return s.Parent != nil && (s.Parent.Kind == schema.KindChoice || s.Parent.Kind == schema.KindCase)
}

// refill instantiates again, under p, the defaults of the slot holding schema node x.
func (r *run) refill(p *data.Node, x *schema.Node) {
	k := slotOf(x)
	sl := slot{p, k}
	if r.inc.refilled[sl] {
		return
	}
	r.inc.refilled[sl] = true
	in := r.v.root
	if !p.IsRoot() {
		in = r.v.infoOf(p.Schema)
	}
	if in == nil || !r.fillRuns(p) {
		return
	}
	for _, dk := range in.defKids {
		if dk == k {
			r.addDefault(p, k)
			return
		}
	}
}

// walkUp goes up the non-presence containers from n (or its parent): those marked Default that
// now hold explicit data lose the mark, as Validate's defaults pass does; those that lie in a
// case are checked whole, since whether their case is active may have changed.
func (r *run) walkUp(n *data.Node) {
	a := n
	if !a.IsRoot() && !isParent(a.Schema) {
		a = a.Parent
	}
	for a != nil && !a.IsRoot() && a.Schema.IsNPContainer() {
		if a.Default && hasExplicitChild(a) && r.fillRuns(a.Parent) {
			a = r.undefault(a)
		}
		if inCase(a.Schema) && !r.inc.processed[a] {
			r.inc.changed(point{n: a, p: a.Parent, s: a.Schema})
		}
		a = a.Parent
	}
}

// triggerDeps collects the constraints a change of schema node x under p can affect.
func (r *run) triggerDeps(p *data.Node, x *schema.Node) {
	cs, all := r.v.deps.rdeps[x], r.v.deps.always
	if len(cs) == 0 && len(all) == 0 {
		return
	}
	depth := 1
	for a := p; !a.IsRoot(); a = a.Parent {
		depth++
	}
	for _, c := range cs {
		r.trigger(c, p, depth)
	}
	for _, c := range all {
		r.trigger(c, p, depth)
	}
}

// trigger schedules constraint c for re-evaluation at its instances that can read a change at
// data depth depth under p.
func (r *run) trigger(c *constraint, p *data.Node, depth int) {
	if c.depth >= depth {
		// The constraint reads nothing outside the changed subtree: its instances there are
		// checked with it, and the deleted ones are gone.
		return
	}
	a := p
	for d := depth - 1; d > c.depth; d-- {
		a = a.Parent
	}
	if c.scope == nil && !a.IsRoot() || c.scope != nil && a.Schema != c.scope {
		return // not an instance of the scope: the change is not in what c reads
	}
	t := trigger{c, a}
	if r.inc.trig[t] {
		return
	}
	r.inc.trig[t] = true
	r.ensure(t)
	nodes := r.descend(a, c.down)
	if c.kind != conWhen {
		r.inc.trigs = append(r.inc.trigs, t)
		return
	}
	for _, q := range nodes {
		if r.underPresent(q) {
			continue
		}
		r.refill(q, c.node)
		r.whenList = append(r.whenList, q.Instances(c.node)...)
		r.parent(q)
	}
}

// descend returns the instances of the last of down under a, after creating the non-presence
// containers on the way that Validate's defaults pass creates (and prunes after the checks when
// they stay empty): the constraints are evaluated with them in place, as Validate evaluates them.
func (r *run) descend(a *data.Node, down []*schema.Node) []*data.Node {
	nodes := []*data.Node{a}
	for _, s := range down {
		var next []*data.Node
		for _, n := range nodes {
			if s.IsNPContainer() && n.Child(s) == nil {
				r.refill(n, s)
			}
			next = append(next, n.Instances(s)...)
		}
		nodes = next
	}
	return nodes
}

// instances returns the instances of the last of down under a (a itself when down is empty).
func instances(a *data.Node, down []*schema.Node) []*data.Node {
	nodes := []*data.Node{a}
	for _, s := range down {
		var next []*data.Node
		for _, n := range nodes {
			next = append(next, n.Instances(s)...)
		}
		nodes = next
	}
	return nodes
}

// checkChanges runs the checks the changes call for.
func (r *run) checkChanges() {
	st := r.inc
	for _, n := range st.roots {
		if !r.attached(n) || (n.Parent != nil && r.underPresent(n.Parent)) || r.suppressed(n.Parent) {
			continue
		}
		if r.mode == 0 && !n.Schema.Config {
			r.checkNode(n.Parent.Instances(n.Schema)[0], false, false)
			continue
		}
		r.checkNode(n, true, isParent(n.Schema) && r.noItemsAt(n))
	}
	for _, p := range st.porder {
		if r.attached(p) && !r.underPresent(p) && !r.suppressed(p) {
			r.checkParent(p)
		}
	}
	for _, g := range st.gorder {
		if r.attached(g.p) && !r.underPresent(g.p) && !r.suppressed(g.p) {
			r.checkGroupAt(g.p, g.s, st.groups[g])
		}
	}
	for _, u := range st.uorder {
		if _, done := st.groups[u]; done || !r.attached(u.p) || r.underPresent(u.p) || r.suppressed(u.p) {
			continue
		}
		if group := u.p.Instances(u.s); len(group) > 1 {
			for _, ue := range r.unique(r.v.infoOf(u.s), group) {
				r.add(ue.err)
			}
		}
	}
	for _, t := range st.trigs {
		if !r.attached(t.a) {
			continue
		}
		for _, m := range instances(t.a, t.c.down) {
			if r.underPresent(m) || r.suppressed(m) {
				continue
			}
			switch t.c.kind {
			case conMust:
				r.must(m, t.c.cm)
			case conRef:
				r.checkRef(m)
			}
		}
	}
	for m, wf := range r.whenFalse {
		if r.attached(m) && !r.underPresent(m) && !r.suppressed(m.Parent) {
			r.whenError(m, wf)
		}
	}
}

// noItemsAt reports whether Validate checks container or list entry n without its absence checks
// (n or a container above it, up to the closest list entry, is a non-presence container in an
// inactive case).
func (r *run) noItemsAt(n *data.Node) bool {
	for a := n; a != nil && !a.IsRoot(); a = a.Parent {
		s := a.Schema
		if s.Kind == schema.KindList {
			return false
		}
		if s.IsNPContainer() && inCase(s) && r.inactiveAt(a.Parent, s) {
			return true
		}
	}
	return false
}

// inactiveAt reports whether data node s under d lies in a case that is not active.
func (r *run) inactiveAt(d *data.Node, s *schema.Node) bool {
	start := len(r.acts)
	r.scanCases(d, r.choiceKids(d, slotOf(s)), false)
	res := len(r.acts) > start && inactiveCase(r.acts[start:], s)
	r.acts = r.acts[:start]
	return res
}

// checkParent runs, at p, the checks of its children as a group: data from several cases of a
// choice and the absence checks. Only the children under choices are scanned.
func (r *run) checkParent(p *data.Node) {
	in := r.v.root
	if !p.IsRoot() {
		in = r.v.infoOf(p.Schema)
	}
	if in == nil {
		return
	}
	start := len(r.acts)
	for _, ch := range in.choices {
		r.scanCases(p, r.choiceKids(p, ch), true)
	}
	act := r.acts[start:]
	if !r.noItemsAt(p) {
		for i := range in.items {
			r.checkItem(p, &in.items[i], act)
		}
	}
	r.acts = r.acts[:start]
}

// checkGroupAt checks the instances of list or leaf-list s under p as a group: max-elements,
// duplicate keys among the changed entries, unique (a scan of the list).
func (r *run) checkGroupAt(p *data.Node, s *schema.Node, changed []*data.Node) {
	group := p.Instances(s)
	if len(group) == 0 {
		return
	}
	if r.mode == 0 && !s.Config {
		r.checkNode(group[0], false, false)
		return
	}
	if s.MaxElements() > 0 && uint64(len(group)) > s.MaxElements() {
		e := group[s.MaxElements()]
		r.add(&rpcerror.Error{Type: rpcerror.Application, Tag: rpcerror.TagOperationFailed,
			AppTag: rpcerror.AppTagTooManyElements, Path: e.Path(), Line: int(e.Line),
			Message: fmt.Sprintf("too many %q entries: %d, at most %d allowed", s.Name, len(group),
				s.MaxElements())})
	}
	if (s.Kind == schema.KindList && len(s.Keys()) > 0) || (s.Kind == schema.KindLeafList && s.Config) {
		for _, e := range changed {
			if e == nil || e.Parent != p {
				continue
			}
			for _, c := range []*data.Node{e, p.Find(s, e.Key())} {
				if c != nil && c != group[0] && p.Find(s, c.Key()) != c {
					r.add(&rpcerror.Error{Type: rpcerror.Application, Tag: rpcerror.TagInvalidValue,
						Path: c.Path(), Line: int(c.Line),
						Message: fmt.Sprintf("duplicate instance of %q", s.Name)})
				}
			}
		}
	}
	if s.Kind == schema.KindList && len(group) > 1 {
		if li := r.v.infoOf(s); li != nil && len(li.uniques) > 0 {
			for _, ue := range r.unique(li, group) {
				r.add(ue.err)
			}
		}
	}
}

// pruneUp removes the empty default non-presence containers above the changes, as Validate
// removes every empty default container it meets.
func (r *run) pruneUp() {
	for _, w := range r.inc.walks {
		if !r.attached(w) {
			continue
		}
		for a := w; a != nil && !a.IsRoot() && a.Default && a.Schema.Kind == schema.KindContainer &&
			len(a.Children()) == 0 && !r.suppressed(a); {
			p := a.Parent
			r.remove(a)
			a = p
		}
	}
}

// sortErrors orders errs by error-path, tag, app-tag and message, and drops duplicates.
func sortErrors(errs rpcerror.List) rpcerror.List {
	key := func(e *rpcerror.Error) string {
		var b strings.Builder
		fmt.Fprintf(&b, "%s\x00%s\x00%s\x00%s\x00%s", e.Path, e.Tag, e.AppTag, e.Message, e.Type)
		for _, in := range e.Info {
			fmt.Fprintf(&b, "\x00%s\x00%s\x00%s", in.Name, in.Namespace, in.Value)
		}
		return b.String()
	}
	keys := make(map[*rpcerror.Error]string, len(errs))
	for _, e := range errs {
		keys[e] = key(e)
	}
	sort.SliceStable(errs, func(i, j int) bool { return keys[errs[i]] < keys[errs[j]] })
	out := errs[:0]
	for i, e := range errs {
		if i > 0 && keys[e] == keys[errs[i-1]] {
			continue
		}
		out = append(out, e)
	}
	return out
}
