package validate

import (
	"fmt"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/xpath"
)

// checkRef checks the require-instance of a leafref or instance-identifier leaf or leaf-list entry
// (RFC 7950 sections 9.9, 9.13, 15.5).
//
// A value of a union is checked as RFC 7950 section 9.12 validates it: against each member type
// in order until one accepts it, require-instance included. The decoder chose the first member
// whose lexical space holds the value; when that member is a leafref without a target (or an
// instance-identifier without an instance), a later member that accepts the value (a string for
// "GLOBAL" beside a leafref to interface names, a second leafref to another list) makes it
// valid, as yanglint decides. Only when no member accepts it is the first member's error reported.
//
// A leaf or leaf-list entry holding an implicit default (created from the schema's default,
// n.Default) is not checked: yanglint never checks an implicit default's leafref or
// instance-identifier, and a model may default a reference to an instance the configuration has
// not created yet (SR Linux's boot interface "mgmt0"), which would make its empty configuration
// invalid. Setting the same value explicitly makes it checked.
func (r *run) checkRef(n *data.Node) {
	if n.Default {
		return
	}
	t := n.Value.Type
	if t == nil {
		t = n.Schema.Type
	}
	if t == nil || !t.RequireInstance {
		return
	}
	e := r.refError(n, t)
	if e == nil {
		return
	}
	if u := n.Schema.Type; u != nil && u.Base == schema.Union && u != t && r.unionAccepts(n, u) {
		return
	}
	r.add(e)
}

// refError returns the error of leaf or leaf-list entry n checked as a value of t, a leafref or
// instance-identifier type requiring an instance; nil if the instance exists.
func (r *run) refError(n *data.Node, t *schema.Type) *rpcerror.Error {
	switch t.Base {
	case schema.Leafref:
		ri := r.v.refOf(n.Schema, t)
		if ri == nil {
			// A type the validator has not seen (a tree built with another schema's types):
			// compile it now, without caching, to stay safe for concurrent use.
			c := r.v.compileLeafref(n.Schema, t)
			ri = &c
		}
		ok, err := r.leafrefOK(n, ri)
		if err != nil {
			return &rpcerror.Error{Type: rpcerror.Application, Tag: rpcerror.TagOperationFailed,
				Path: n.Path(), Line: int(n.Line), Message: err.Error()}
		}
		if !ok {
			return &rpcerror.Error{Type: rpcerror.Application, Tag: rpcerror.TagDataMissing,
				AppTag: rpcerror.AppTagInstanceRequired, Path: n.Path(), Line: int(n.Line),
				Message: fmt.Sprintf("leafref value %q has no target instance %q", n.Value.Str, t.Path)}
		}
	case schema.InstanceIdentifier:
		targets, err := xpath.ResolveInstanceID(r.doc, n.Value.Str)
		if err != nil || len(targets) == 0 {
			msg := fmt.Sprintf("instance-identifier %q has no target instance", n.Value.Str)
			if err != nil {
				msg = fmt.Sprintf("instance-identifier %q: %v", n.Value.Str, err)
			}
			return &rpcerror.Error{Type: rpcerror.Application, Tag: rpcerror.TagDataMissing,
				AppTag: rpcerror.AppTagInstanceRequired, Path: n.Path(), Line: int(n.Line),
				Message: msg}
		}
	}
	return nil
}

// unionAccepts reports whether some member type of union u (nested unions flattened, in order)
// accepts n's value: its lexical space holds the value and, for a leafref or instance-identifier
// requiring an instance, the instance exists.
func (r *run) unionAccepts(n *data.Node, u *schema.Type) bool {
	// Values are stored in their canonical form, whose prefixes are module names (RFC 7951).
	resolve := func(prefix string) *schema.Module {
		if prefix == "" {
			return n.Schema.Module
		}
		return r.v.schema.Module(prefix)
	}
	for _, m := range u.Union {
		if m.Base == schema.Union {
			if r.unionAccepts(n, m) {
				return true
			}
			continue
		}
		if _, err := data.ParseValue(m, n.Value.Str, resolve); err != nil {
			continue
		}
		if m.RequireInstance && (m.Base == schema.Leafref || m.Base == schema.InstanceIdentifier) &&
			r.refError(n, m) != nil {
			continue
		}
		return true
	}
	return false
}

// leafrefOK reports whether some target instance of leafref ri has n's value.
func (r *run) leafrefOK(n *data.Node, ri *refInfo) (bool, error) {
	val := n.Value.Str
	if ri.err != nil {
		return false, ri.err
	}
	if ri.expr != nil {
		nodes, err := ri.expr.EvalNodes(n, n)
		if err != nil {
			return false, fmt.Errorf("leafref path %q: %w", ri.t.Path, err)
		}
		for _, t := range nodes {
			if t.Value.Str == val && t.Schema != nil {
				return true, nil
			}
		}
		return false, nil
	}
	anchor := r.doc
	if ri.up >= 0 {
		anchor = n
		for range ri.up {
			if anchor = anchor.Parent; anchor == nil {
				return false, nil
			}
		}
	}
	if !ri.fanout {
		cur := anchor
		for _, s := range ri.steps {
			if cur = cur.Child(s); cur == nil {
				return false, nil
			}
		}
		return cur.Value.Str == val, nil
	}
	if r.inc != nil {
		if ok, done := findTarget(anchor, ri.steps, val); done {
			return ok, nil
		}
	}
	_, ok := r.targets(anchor, ri)[val]
	return ok, nil
}

// findTarget looks val up among the instances of steps under anchor without building an index,
// when the target is the only key of a list or a leaf-list (done false otherwise): an incremental
// validation checks few references.
func findTarget(anchor *data.Node, steps []*schema.Node, val string) (ok, done bool) {
	n := len(steps)
	last := steps[n-1]
	var holder *schema.Node // the list or leaf-list val keys
	switch {
	case last.Kind == schema.KindLeafList && last.Config:
		holder = last
	case n >= 2 && steps[n-2].Kind == schema.KindList && len(steps[n-2].Keys()) == 1 && steps[n-2].Keys()[0] == last:
		holder = steps[n-2]
	default:
		return false, false
	}
	nodes := []*data.Node{anchor}
	for _, s := range steps {
		if s == holder {
			break
		}
		var next []*data.Node
		for _, nd := range nodes {
			next = append(next, nd.Instances(s)...)
		}
		nodes = next
	}
	for _, nd := range nodes {
		if nd.Find(holder, val) != nil {
			return true, true
		}
	}
	return false, true
}

// targets returns the values of the instances of ri's target under anchor, building the index on
// first use.
func (r *run) targets(anchor *data.Node, ri *refInfo) map[string]struct{} {
	k := indexKey{anchor, ri.steps[len(ri.steps)-1]}
	if m, ok := r.index[k]; ok {
		return m
	}
	nodes := []*data.Node{anchor}
	var next []*data.Node
	for _, s := range ri.steps {
		next = next[:0]
		for _, nd := range nodes {
			next = append(next, nd.Instances(s)...)
		}
		nodes, next = next, nodes
	}
	m := make(map[string]struct{}, len(nodes))
	for _, nd := range nodes {
		m[nd.Value.Str] = struct{}{}
	}
	if r.index == nil {
		r.index = make(map[indexKey]map[string]struct{})
	}
	r.index[k] = m
	return m
}
