package validate

import (
	"fmt"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/xpath"
)

// OpOptions tunes ValidateOp. The zero value validates the input or output of an rpc against
// itself alone.
type OpOptions struct {
	// Tree is the rest of the accessible tree (RFC 7950 section 6.4.1): a document root holding
	// what the operation's must, when and leafref paths may read besides the operation itself,
	// a copy of the running configuration (or of the parts OpReads names). ValidateOp puts the
	// operation in it for the time of the call (an action below its target, whose ancestors
	// it creates if Tree lacks them) and takes it out again; Tree must not be read concurrently.
	// Nil means an empty tree.
	Tree *data.Node
	// Target is the instance an action is invoked on, in any tree: its location (the keys of
	// it and of its ancestors) places the action in Tree. Nil means the parent of the node
	// given to ValidateOp, as yangxml.UnmarshalNested leaves it. Ignored for an rpc.
	Target *data.Node
	// CheckValues parses every leaf and leaf-list value again against its type (range, length,
	// pattern ...): for trees built by code rather than by a decoder, such as a handler's output.
	CheckValues bool
	// ErrorType, when set, is the error-type of the errors about the presence of the
	// operation's parameters: missing-element (a mandatory leaf, a list key), unknown-element
	// (a node whose when is false, a node of the wrong schema) and bad-element (data from two
	// cases). Empty means application, as for data. The other errors keep their type: RFC
	// 6241 Appendix A allows only application for data-missing.
	ErrorType rpcerror.Type
}

// opInfo is what the validator precomputes for the input or output of one operation.
type opInfo struct {
	// reads are the top-level data nodes whose instances the operation's constraints can read
	// outside the operation; all is set when that is not statically known.
	reads []*schema.Node
	all   bool
}

// forOps calls f with the input and output of every rpc and action (those of top-level rpcs,
// and of actions in containers, lists, choices and cases of the data trees).
func (v *Validator) forOps(f func(io *schema.Node)) {
	var walk func([]*schema.Node)
	walk = func(ns []*schema.Node) {
		for _, c := range ns {
			switch c.Kind {
			case schema.KindRPC, schema.KindAction:
				for _, io := range c.Children {
					if io.Kind == schema.KindInput || io.Kind == schema.KindOutput {
						f(io)
					}
				}
			case schema.KindContainer, schema.KindList, schema.KindChoice, schema.KindCase:
				walk(c.Children)
			}
		}
	}
	for _, m := range v.schema.Modules {
		walk(m.Data)
		walk(m.RPCs)
	}
}

// compileIO compiles the info of io, the input or output of an rpc or action: its children get
// infos like data nodes (the must and when expressions compiled against them), but take no part
// in the data tree's constraints (markReadDefaults, the constraint index).
func (v *Validator) compileIO(io *schema.Node) *nodeInfo {
	op := io.Parent
	in := newInfo()
	// A must of the input or output statement has the operation's node as context node.
	for _, m := range io.Musts() {
		cm := &compiledMust{m: m}
		cm.expr, cm.err = xpath.Compile(m.Expr, m.Prefixes, m.Module, op)
		in.musts = append(in.musts, cm)
	}
	v.compileParent(in, io.Children)
	in.shrink()
	return in
}

// opReads computes what the constraints below io (of operation op) read outside op.
func (v *Validator) opReads(op, io *schema.Node) *opInfo {
	var d depsOf
	for _, cm := range v.infoOf(io).musts {
		d.add(cm.expr)
	}
	var walk func(*schema.Node)
	walk = func(s *schema.Node) {
		for _, c := range s.Children {
			if in := v.infoOf(c); in != nil {
				for _, cm := range in.musts {
					d.add(cm.expr)
				}
				for _, cw := range in.whens {
					d.add(cw.expr)
				}
				if c.Kind == schema.KindLeaf || c.Kind == schema.KindLeafList {
					v.refDeps(c, c.Type, &d)
				}
			}
			walk(c)
		}
	}
	walk(io)
	oi := &opInfo{all: d.unbounded}
	if oi.all {
		return oi
	}
	// An action's target and its ancestors, with their keys, come with the request.
	path := map[*schema.Node]bool{}
	for p := op.DataParent(); p != nil; p = p.DataParent() {
		path[p] = true
		for _, k := range p.Keys() {
			path[k] = true
		}
	}
	seen := map[*schema.Node]bool{}
	for _, n := range d.nodes {
		if path[n] || isUnder(n, op) {
			continue
		}
		top := n
		for top.DataParent() != nil {
			top = top.DataParent()
		}
		if !top.Kind.IsData() || seen[top] {
			continue // in another operation or notification: never in the tree
		}
		seen[top] = true
		oi.reads = append(oi.reads, top)
	}
	return oi
}

// isUnder reports whether schema node n is op or lies below it.
func isUnder(n, op *schema.Node) bool {
	for p := n; p != nil; p = p.Parent {
		if p == op {
			return true
		}
	}
	return false
}

// OpReads reports what the must, when, leafref and instance-identifier constraints of io (the
// input or output schema node of an rpc or action) can read outside the operation: the
// top-level data nodes whose instances ValidateOp's OpOptions.Tree must hold for a correct
// result. For an action, its target and the target's ancestors with their keys do not count
// (the request names them). all reports that what is read is not statically known (an
// instance-identifier, a path from the root through a wildcard): Tree must then hold the whole
// datastore. Nil and false mean that the operation is validated on its own, without reading
// any datastore.
func (v *Validator) OpReads(io *schema.Node) (tops []*schema.Node, all bool) {
	if io == nil || (io.Kind != schema.KindInput && io.Kind != schema.KindOutput) || io.Parent == nil ||
		v.infoOf(io) == nil {
		return nil, false
	}
	v.opsMu.Lock()
	defer v.opsMu.Unlock()
	oi := v.ops[io]
	if oi == nil {
		oi = v.opReads(io.Parent, io)
		if v.ops == nil {
			v.ops = map[*schema.Node]*opInfo{}
		}
		v.ops[io] = oi
	}
	return oi.reads, oi.all
}

// ValidateOp validates io, the input or output of an rpc or action (a node of the input or
// output schema node holding the parameters, as yangxml decodes it or a handler builds it),
// with the semantics RFC 7950 sections 7.14.2, 7.14.3, 7.15.2 and 7.15.3 give it: every
// constraint Validate checks on data, evaluated on the operation's instance in the accessible
// tree of section 6.4.1 (the rpc's node a child of the document root, an action's node a child
// of its target, the parameters its children; the rest is OpOptions.Tree). It returns the
// violations in document order, an empty list when io is valid.
//
// The defaults in use are left in io as Validate leaves them in data (RFC 7950 section 7.14.2:
// the server processes the input with its defaults). io's children must be instances of its
// schema node's children: others are reported as unknown-element and nothing else is checked.
//
// Error paths go through the operation's node, as the request names the parameters:
// /mod:rpc/param, or /mod:list[key='k']/action/param. Errors follow pkg/validate's choice
// of tags (mandatory: missing-element, when false: unknown-element, must: operation-failed
// with must-violation or the must's error-app-tag ...), with OpOptions.ErrorType.
func (v *Validator) ValidateOp(io *data.Node, opts OpOptions) rpcerror.List {
	if io == nil || io.Schema == nil {
		return nil
	}
	s := io.Schema
	in := v.infoOf(s)
	switch {
	case s.Kind == schema.KindRPC || s.Kind == schema.KindAction:
		// An operation without input statement, as a decoder represents its input: no
		// parameter can be valid.
		var errs rpcerror.List
		for _, c := range io.Children() {
			errs = append(errs, misplaced(c, io.Path()))
		}
		return retype(errs, opts.ErrorType)
	case (s.Kind != schema.KindInput && s.Kind != schema.KindOutput) || in == nil || s.Parent == nil:
		return rpcerror.List{rpcerror.OperationFailed("%s is not the input or output of an operation of the validator's schema",
			s.Path())}
	}
	op := s.Parent
	doc := opts.Tree
	if doc == nil {
		doc = data.NewRoot()
	}
	parent, created := doc, (*data.Node)(nil)
	if op.Kind == schema.KindAction {
		target := opts.Target
		if target == nil {
			target = io.Parent
		}
		if target == nil || target.Schema != op.DataParent() {
			return rpcerror.List{rpcerror.OperationFailed("action %s validated without its target instance", op.Path())}
		}
		parent, created = graft(doc, target)
	}

	// The operation's node takes the parameters for the time of the checks.
	opn := data.New(op)
	parent.InsertBefore(opn, nil)
	kids := append([]*data.Node(nil), io.Children()...)
	for i := len(kids) - 1; i >= 0; i-- {
		io.Remove(kids[i])
	}
	for _, c := range kids {
		opn.InsertBefore(c, nil)
	}
	defer func() {
		kids = append(kids[:0], opn.Children()...)
		for _, c := range kids {
			io.InsertBefore(c, nil)
		}
		parent.Remove(opn)
		if created != nil {
			created.Parent.Remove(created)
		}
	}()

	r := &run{v: v, mode: 1, top: opn, doc: doc}
	r.placement(opn, s)
	if len(r.errs) == 0 && opts.CheckValues {
		r.values(opn)
	}
	if len(r.errs) > 0 {
		return retype(r.errs, opts.ErrorType)
	}
	r.fill(opn, in)
	r.resolveWhens(r.whenList)
	for _, cm := range in.musts {
		r.must(opn, cm)
	}
	r.check(opn, in, false)
	r.prune()
	return retype(r.errs, opts.ErrorType)
}

// graft returns the instance of target's schema node in doc with target's location, creating
// it and the missing ancestors with their keys (created is the outermost node created, nil if
// none).
func graft(doc, target *data.Node) (parent, created *data.Node) {
	var chain []*data.Node
	for p := target; p != nil && p.Schema != nil; p = p.Parent {
		chain = append(chain, p)
	}
	cur := doc
	for i := len(chain) - 1; i >= 0; i-- {
		src := chain[i]
		var next *data.Node
		switch src.Schema.Kind {
		case schema.KindList, schema.KindLeafList:
			next = cur.Find(src.Schema, src.Key())
		default:
			next = cur.Child(src.Schema)
		}
		if next == nil {
			next = data.New(src.Schema)
			for _, ks := range src.Schema.Keys() {
				if k := src.Child(ks); k != nil {
					next.InsertBefore(data.NewLeaf(ks, k.Value), nil)
				}
			}
			cur.InsertBefore(next, nil)
			if created == nil {
				created = next
			}
		}
		cur = next
	}
	return cur, created
}

// placement reports the descendants of n (whose schema node is s) that are not instances of a
// data child of their parent's schema node.
func (r *run) placement(n *data.Node, s *schema.Node) {
	for _, c := range n.Children() {
		if c.Schema == nil || !c.Schema.Kind.IsData() || c.Schema.DataParent() != s {
			r.add(misplaced(c, n.Path()))
			continue
		}
		if len(c.Children()) > 0 {
			r.placement(c, c.Schema)
		}
	}
}

// misplaced is the unknown-element error of a node c that its parent (at path) cannot hold.
func misplaced(c *data.Node, path string) *rpcerror.Error {
	name, at := "(no schema)", path
	if c.Schema != nil {
		name, at = c.Schema.Name, c.Path()
	}
	e := rpcerror.UnknownElement(rpcerror.Application, name, at)
	e.Message = fmt.Sprintf("%q is not a child of %s", name, path)
	e.Line = int(c.Line)
	return e
}

// values parses the value of every leaf and leaf-list entry below n again against its type.
func (r *run) values(n *data.Node) {
	var s *schema.Node
	// Canonical values name modules (identityref, instance-identifier); prefixes of the
	// node's module are accepted too.
	resolve := func(prefix string) *schema.Module {
		if m := r.v.schema.Module(prefix); m != nil {
			return m
		}
		return s.Module.Prefixes[prefix]
	}
	n.Walk(func(c *data.Node) bool {
		s = c.Schema
		if s == nil || (s.Kind != schema.KindLeaf && s.Kind != schema.KindLeafList) || s.Type == nil {
			return true
		}
		if _, err := data.ParseValue(s.Type, c.Value.Str, resolve); err != nil {
			err.Path = c.Path()
			err.Line = int(c.Line)
			r.add(err)
		}
		return false
	})
}

// retype gives the errors about the parameters' presence the error-type typ (see
// OpOptions.ErrorType).
func retype(errs rpcerror.List, typ rpcerror.Type) rpcerror.List {
	if typ == "" {
		return errs
	}
	for _, e := range errs {
		switch e.Tag {
		case rpcerror.TagMissingElement, rpcerror.TagUnknownElement, rpcerror.TagBadElement:
			if rpcerror.Legal(e.Tag, typ) {
				e.Type = typ
			}
		}
	}
	return errs
}
