package edit

import (
	"fmt"
	"strings"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
)

// Options are the edit-config parameters that shape how an Edit is applied (RFC 6241 section
// 7.2). The zero value is merge with stop-on-error.
type Options struct {
	// DefaultOperation is "merge" (also when empty), "replace" or "none".
	DefaultOperation string
	// ErrorOption is "stop-on-error" (also when empty), "continue-on-error" or
	// "rollback-on-error".
	ErrorOption string
}

type errorMode uint8

const (
	stopOnError errorMode = iota
	continueOnError
	rollbackOnError
)

type applier struct {
	mode  errorMode
	adopt bool // Edit.adopt
	errs  rpcerror.List
	// scratch records the building of detached subtrees; its changes are never undone as a
	// whole (the subtrees are simply dropped), only those of a failing element under
	// continue-on-error.
	scratch data.Txn
}

// Apply applies the edit to the datastore tree root (a document root), recording every change
// in t; root is never modified otherwise. A large edit puts its own decoded nodes in root (see
// adoptMin): Apply may be called again only once the changes of the previous call are undone. It returns the errors met, nil on success:
//   - stop-on-error: Apply returns at the first error, leaving the changes made before it in
//     root and t (the caller undoes them with t);
//   - continue-on-error: each failing element is skipped, what it changed undone, and the
//     others applied; every error is returned;
//   - rollback-on-error: Apply stops at the first error and undoes everything it recorded in
//     t, which is left as it was before the call.
//
// The semantics, RFC 6241 section 7.2 and RFC 7950 section 7 with these choices:
//   - merge creates what is missing and sets leaves, recursing into existing containers and list
//     entries; replace puts the edit's subtree in place of the existing one (a list or leaf-list
//     entry keeps its position unless insert says otherwise); with default-operation replace the
//     whole datastore is replaced: top-level nodes absent from the edit are removed;
//   - create of an existing node is data-exists, delete of a missing one data-missing, remove
//     of a missing one does nothing (error-path: the node's instance-identifier);
//   - none only navigates: a missing node is created (with its keys) only to hold what a
//     merge, replace or create below it puts in place; otherwise it is data-missing, unless
//     nothing below it but remove operations (which need nothing) is given;
//   - operations nested in a replace or create apply to the new subtree: a merge inside a
//     replace keeps that child's existing content, a delete inside one requires the child to
//     exist (data-missing otherwise), a create inside one requires it not to;
//   - default nodes (data.Node.Default) do not exist for create, delete, remove and none
//     (RFC 6243 section 4.5.3): create succeeds, delete is data-missing; a merge or replace
//     makes them explicit, default leaf-list entries giving way to the explicit ones;
//   - creating a node in a case of a choice removes the nodes of the choice's other cases
//     (RFC 7950 section 7.9);
//   - insert first, last, before and after place new entries of ordered-by user lists and
//     leaf-lists and move existing ones (merge, replace); before or after an entry that does
//     not exist is bad-attribute with error-app-tag missing-instance (RFC 7950 section 15.7).
func (e *Edit) Apply(root *data.Node, t *data.Txn, opts Options) rpcerror.List {
	var defOp op
	switch opts.DefaultOperation {
	case "", "merge":
		defOp = opMerge
	case "replace":
		defOp = opReplace
	case "none":
		defOp = opNone
	default:
		return rpcerror.List{paramError("default-operation", opts.DefaultOperation)}
	}
	a := &applier{adopt: e.adopt}
	switch opts.ErrorOption {
	case "", "stop-on-error":
	case "continue-on-error":
		a.mode = continueOnError
	case "rollback-on-error":
		a.mode = rollbackOnError
	default:
		return rpcerror.List{paramError("error-option", opts.ErrorOption)}
	}
	mark := t.Len()
	if defOp == opReplace {
		a.replaceRoot(root, e.tops, t)
	} else {
		a.kids(root, e.tops, defOp, t)
	}
	if len(a.errs) > 0 && a.mode == rollbackOnError {
		t.UndoTo(mark)
	}
	return a.errs
}

func paramError(name, v string) *rpcerror.Error {
	e := rpcerror.New(rpcerror.Protocol, rpcerror.TagInvalidValue, "invalid %s %q", name, v)
	e.Info = []rpcerror.Info{{Name: "bad-element", Value: name}}
	return e
}

func (a *applier) fail(e *rpcerror.Error, en *enode) bool {
	e.Path = en.n.Path()
	e.Line = int(en.n.Line)
	a.errs = append(a.errs, e)
	return false
}

func dataMissing(format string, args ...any) *rpcerror.Error {
	return rpcerror.New(rpcerror.Application, rpcerror.TagDataMissing, format, args...)
}

func dataExists(e *enode) *rpcerror.Error {
	return rpcerror.New(rpcerror.Application, rpcerror.TagDataExists, "%s %q to create already exists",
		e.n.Schema.Kind, e.n.Schema.Name)
}

// kids applies the edit nodes ks below p with operation inh inherited. Under continue-on-error a
// failing node's changes are undone and the others go on; otherwise the first failure stops.
func (a *applier) kids(p *data.Node, ks []*enode, inh op, t *data.Txn) bool {
	for i := 0; i < len(ks); i++ {
		if n := deleteRun(ks[i:], inh); n >= deleteRunMin {
			if !a.deleteEntries(p, ks[i:i+n], inh, t) {
				return false
			}
			i += n - 1
			continue
		}
		k := ks[i]
		m := t.Len()
		if !a.apply(p, k, inh, t) {
			if a.mode != continueOnError {
				return false
			}
			t.UndoTo(m)
		}
		a.dropScratch(t)
	}
	return true
}

// deleteRunMin is the length from which a run of deleted entries of one list goes through
// deleteEntries.
const deleteRunMin = 8

// deleteRun returns how many of ks, from the first, delete or remove entries of one list or
// leaf-list.
func deleteRun(ks []*enode, inh op) int {
	s := ks[0].n.Schema
	if s.Kind != schema.KindList && s.Kind != schema.KindLeafList {
		return 0
	}
	n := 0
	for _, k := range ks {
		o := k.op
		if o == opUnset {
			o = inh
		}
		if k.n.Schema != s || !o.removing() {
			break
		}
		n++
	}
	return n
}

// deleteEntries applies a run of delete and remove operations on entries of one list (from
// deleteRun) as apply would one by one, with the same errors, but removes the entries in one pass
// over p's children (data.Txn.RemoveAll): one by one, a bulk delete of 10k entries of a 100k list
// scanned and moved the list 10k times.
func (a *applier) deleteEntries(p *data.Node, ks []*enode, inh op, t *data.Txn) bool {
	// Decode refuses an entry twice in one edit, so each x is found once.
	xs := make([]*data.Node, 0, len(ks))
	for _, k := range ks {
		o := k.op
		if o == opUnset {
			o = inh
		}
		if x := find(p, k); x != nil && !x.Default {
			xs = append(xs, x)
			continue
		}
		if o == opRemove {
			continue
		}
		s := k.n.Schema
		a.fail(dataMissing("%s %q to delete does not exist", s.Kind, s.Name), k)
		if a.mode != continueOnError {
			// What one-by-one application would have removed before the failing element.
			t.RemoveAll(p, xs)
			return false
		}
	}
	t.RemoveAll(p, xs)
	a.dropScratch(t)
	return true
}

// dropScratch forgets what t recorded when t is the scratch log and nothing can undo it: only
// continue-on-error undoes a failing element inside a detached subtree. Without it the log held
// a change (with its location) for every node of the subtrees built, for the whole edit: 1M
// entries, about 300 MB of allocations and 100 MB live, for a bulk load of 100k interfaces.
func (a *applier) dropScratch(t *data.Txn) {
	if t == &a.scratch && a.mode != continueOnError {
		t.Reset()
	}
}

// find returns the instance of e's node under p, nil if none.
func find(p *data.Node, e *enode) *data.Node {
	s := e.n.Schema
	if s.Kind == schema.KindList || s.Kind == schema.KindLeafList {
		return p.Find(s, e.key)
	}
	return p.Child(s)
}

// apply applies edit node e below p (attached to the datastore when t is the caller's Txn,
// a detached subtree being built when t is a.scratch).
func (a *applier) apply(p *data.Node, e *enode, inh op, t *data.Txn) bool {
	o := e.op
	if o == opUnset {
		o = inh
	}
	x := find(p, e)
	exists := x != nil && !x.Default
	s := e.n.Schema
	switch o {
	case opDelete:
		if !exists {
			return a.fail(dataMissing("%s %q to delete does not exist", s.Kind, s.Name), e)
		}
		t.Remove(x)
		return true
	case opRemove:
		if exists {
			t.Remove(x)
		}
		return true
	case opCreate:
		if exists {
			return a.fail(dataExists(e), e)
		}
		return a.create(p, e, o, x, t)
	case opMerge:
		switch {
		case exists:
			return a.merge(p, x, e, t)
		case x != nil && !e.leafy():
			// A container holding only defaults: it becomes explicit when something is put in it.
			if len(e.children()) == 0 || !e.crea {
				return true
			}
			return a.kids(materialize(x, t), e.children(), o, t)
		}
		return a.create(p, e, o, x, t)
	case opReplace:
		if !exists {
			return a.create(p, e, o, x, t)
		}
		return a.replace(p, x, e, t)
	}
	// none: navigate.
	if x != nil && !e.leafy() {
		if x.Default && e.creaNone {
			x = materialize(x, t)
		}
		return a.kids(x, e.children(), opNone, t)
	}
	if exists {
		return true
	}
	if e.creaNone {
		return a.create(p, e, opNone, x, t)
	}
	if !e.need {
		return true
	}
	return a.fail(dataMissing("%s %q does not exist (default-operation none creates nothing)", s.Kind, s.Name), e)
}

// materialize replaces the default container x by an explicit copy and returns the copy.
func materialize(x *data.Node, t *data.Txn) *data.Node {
	c := x.Clone()
	c.Default = false
	t.Replace(x, c)
	return c
}

// fresh returns a detached node with e's schema node and value (its own copy of the text, so
// that the datastore does not keep the decoder's buffers alive), and for a list entry its keys.
func fresh(e *enode) *data.Node {
	n := data.New(e.n.Schema)
	n.Value = e.n.Value
	n.Value.Str = strings.Clone(n.Value.Str)
	if e.n.Schema.Kind == schema.KindList {
		for _, ks := range e.n.Schema.Keys() {
			if k := e.n.Child(ks); k != nil {
				kn := data.New(ks)
				kn.Value = k.Value
				kn.Value.Str = strings.Clone(k.Value.Str)
				n.Insert(kn)
			}
		}
	}
	return n
}

// adopt detaches the decoded node n, to be put in the datastore as it is (Edit.adopt): its
// subtree is what build would make of it, with no attribute inside. The decoded parent's
// children still list it; nothing reads them after Decode. The source lines go: they are those
// of this request's text, which later errors about the datastore must not cite.
func adopt(n *data.Node) *data.Node {
	n.Parent = nil
	n.Walk(func(x *data.Node) bool {
		x.Line = 0
		return true
	})
	return n
}

// build returns a new detached subtree for e with operation o (merge, replace, create, or none
// for a level that only holds what is created below it). old, when set, is the existing node the
// subtree replaces: explicit merge and delete operations inside see its children.
func (a *applier) build(e *enode, o op, old *data.Node) (*data.Node, bool) {
	if old == nil && a.adopt && o.creating() && !e.marked {
		return adopt(e.n), true
	}
	n := fresh(e)
	if e.leafy() {
		return n, true
	}
	if old == nil {
		return n, a.kids(n, e.children(), o, &a.scratch)
	}
	for _, k := range e.children() {
		m := a.scratch.Len()
		ok := true
		switch k.op {
		case opDelete:
			// The child is left out of the new subtree; it must have existed.
			if x := find(old, k); x == nil || x.Default {
				ok = a.fail(dataMissing("%s %q to delete does not exist", k.n.Schema.Kind, k.n.Schema.Name), k)
			}
		case opRemove:
		case opCreate:
			if x := find(old, k); x != nil && !x.Default {
				ok = a.fail(dataExists(k), k)
			} else {
				ok = a.apply(n, k, o, &a.scratch)
			}
		case opMerge:
			// Merge into a copy of the existing child.
			if x := find(old, k); x != nil {
				n.Add(x.Clone())
			}
			ok = a.apply(n, k, o, &a.scratch)
		default:
			// Operations deeper down need the existing content too.
			if k.deep {
				if x := find(old, k); x != nil {
					n.Add(x.Clone())
				}
			}
			ok = a.apply(n, k, o, &a.scratch)
		}
		if !ok {
			if a.mode != continueOnError {
				return nil, false
			}
			a.scratch.UndoTo(m)
		}
		a.dropScratch(&a.scratch)
	}
	return n, true
}

// create puts a new node for e under p, in place of the default node x if there is one.
func (a *applier) create(p *data.Node, e *enode, o op, x *data.Node, t *data.Txn) bool {
	before, _, ok := a.position(p, e)
	if !ok {
		return false
	}
	n, ok := a.build(e, o, nil)
	if !ok {
		return false
	}
	s := n.Schema
	if s.Kind == schema.KindLeafList {
		// Default entries give way to explicit ones (RFC 7950 section 7.7.2).
		if is := p.Instances(s); len(is) > 0 && is[0].Default {
			for _, d := range append([]*data.Node(nil), is...) {
				t.Remove(d)
			}
		}
		x = nil
	}
	removeOtherCases(p, s, t)
	if x != nil {
		t.Replace(x, n)
	} else {
		t.Insert(p, n, before)
	}
	return true
}

// merge merges e into the existing node x.
func (a *applier) merge(p, x *data.Node, e *enode, t *data.Txn) bool {
	switch x.Schema.Kind {
	case schema.KindLeaf, schema.KindAnydata, schema.KindAnyxml:
		if x.Value.Str != e.n.Value.Str {
			t.Replace(x, fresh(e))
		}
		return true
	case schema.KindLeafList:
		return a.move(p, x, e, t)
	}
	if !a.kids(x, e.children(), opMerge, t) {
		return false
	}
	return a.move(p, x, e, t)
}

// replace replaces the existing node x by e's subtree.
func (a *applier) replace(p, x *data.Node, e *enode, t *data.Txn) bool {
	switch x.Schema.Kind {
	case schema.KindLeaf, schema.KindAnydata, schema.KindAnyxml:
		if x.Value.Str != e.n.Value.Str {
			t.Replace(x, fresh(e))
		}
		return true
	case schema.KindLeafList:
		return a.move(p, x, e, t)
	}
	n, ok := a.build(e, opReplace, x)
	if !ok {
		return false
	}
	t.Replace(x, n)
	return a.move(p, n, e, t)
}

// move moves the existing entry x where e's insert attribute says, if it has one.
func (a *applier) move(p, x *data.Node, e *enode, t *data.Txn) bool {
	before, mv, ok := a.position(p, e)
	if !ok {
		return false
	}
	if mv && before != x {
		t.Move(x, before)
	}
	return true
}

// position returns the sibling before which e's entry goes under p according to its insert
// attribute (nil: after the last), and whether the attribute asks for a position at all.
func (a *applier) position(p *data.Node, e *enode) (before *data.Node, move, ok bool) {
	s := e.n.Schema
	switch e.insert {
	case insertUnset:
		return nil, false, true
	case insertLast:
		return nil, true, true
	case insertFirst:
		if is := p.Instances(s); len(is) > 0 && !is[0].Default {
			return is[0], true, true
		}
		return nil, true, true
	}
	anc := p.Find(s, e.anchor)
	if anc == nil || anc.Default {
		attr, what := "key", "list entry"
		if s.Kind == schema.KindLeafList {
			attr, what = "value", "leaf-list entry"
		}
		err := rpcerror.BadAttribute(rpcerror.Application, attr, s.Name,
			"insert %s: no %s %s", opInsertName(e.insert), what, describeKey(s, e.anchor))
		err.AppTag = rpcerror.AppTagMissingInstance
		return nil, false, a.fail(err, e)
	}
	if e.insert == insertBefore {
		return anc, true, true
	}
	is := p.Instances(s)
	for i, n := range is {
		if n == anc {
			if i+1 < len(is) {
				return is[i+1], true, true
			}
			break
		}
	}
	return nil, true, true
}

func describeKey(s *schema.Node, key string) string {
	if s.Kind == schema.KindLeafList {
		return fmt.Sprintf("%q", key)
	}
	vals := strings.Split(key, "\x00")
	var b strings.Builder
	for i, ks := range s.Keys() {
		if i < len(vals) {
			fmt.Fprintf(&b, "[%s=%q]", ks.Name, vals[i])
		}
	}
	return b.String()
}

// removeOtherCases removes, under p, the instances of the nodes that lie in other cases of the
// choices that schema node s lies in (RFC 7950 section 7.9: creating a node of one case deletes
// the nodes of the others).
func removeOtherCases(p *data.Node, s *schema.Node, t *data.Txn) {
	for c := s; c.Parent != nil && (c.Parent.Kind == schema.KindCase || c.Parent.Kind == schema.KindChoice); c = c.Parent {
		if c.Parent.Kind != schema.KindChoice {
			continue
		}
		for _, other := range c.Parent.Children {
			if other != c {
				removeUnder(p, other, t)
			}
		}
	}
}

// removeUnder removes the instances under p of schema node s, or of the data nodes of case or
// choice s.
func removeUnder(p *data.Node, s *schema.Node, t *data.Txn) {
	if s.Kind == schema.KindCase || s.Kind == schema.KindChoice {
		for _, c := range s.Children {
			removeUnder(p, c, t)
		}
		return
	}
	if !s.Kind.IsData() {
		return
	}
	is := p.Instances(s)
	for i := len(is) - 1; i >= 0; i-- {
		t.Remove(is[i])
	}
}

// replaceRoot applies the edit with default-operation replace: the datastore's content becomes
// the edit's (RFC 6241 section 7.2: "completely replaces"), top-level nodes absent from the edit
// being removed, and ordered-by user top-level lists taking the edit's order.
func (a *applier) replaceRoot(root *data.Node, tops []*enode, t *data.Txn) {
	type id struct {
		s   *schema.Node
		key string
	}
	in := make(map[id]bool, len(tops))
	for _, e := range tops {
		in[id{e.n.Schema, e.key}] = true
	}
	cs := root.Children()
	var drop []*data.Node
	for i := len(cs) - 1; i >= 0; i-- {
		c := cs[i]
		var k string
		if c.Schema.Kind == schema.KindList || c.Schema.Kind == schema.KindLeafList {
			k = c.Key()
		}
		if !in[id{c.Schema, k}] {
			drop = append(drop, c)
		}
	}
	for _, c := range drop {
		t.Remove(c)
	}
	if !a.kids(root, tops, opReplace, t) {
		return
	}
	for _, e := range tops {
		s := e.n.Schema
		if !s.OrderedByUser || e.insert != insertUnset || e.op.removing() {
			continue
		}
		if x := find(root, e); x != nil {
			t.Move(x, nil)
		}
	}
}
