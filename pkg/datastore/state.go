package datastore

import (
	"context"
	"fmt"
	"runtime/debug"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
)

// StateRequest is what a StateProvider is asked to fill.
type StateRequest struct {
	Who Who
	// Root is an empty document tree: the provider adds the state data of its subtree (with the
	// list entries and keys leading to it) and nothing else. The store merges it with the
	// configuration and filters the result.
	Root *data.Node
	// Origin is the origin (RFC 8342 section 5.3.4) of the nodes the provider adds: a node whose
	// Origin the provider leaves unset gets its parent's when the provider set that, Origin
	// otherwise; data.OriginNone (the zero value) means data.OriginLearned. The operational
	// view reports it with get-data's with-origin.
	Origin data.Origin
}

// A StateProvider supplies config false data (RFC 8342's operational view) for the subtree of
// the schema node it is registered for. It is called for a <get> only when the request's
// filter can select something in that subtree. An error becomes an rpc-error as for hooks; a
// panic is recovered into operation-failed.
type StateProvider func(ctx context.Context, req *StateRequest) error

type provider struct {
	node *schema.Node
	fn   StateProvider
}

// AddStateProvider registers p for the subtree of schema node n.
func (s *Store) AddStateProvider(n *schema.Node, p StateProvider) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.prov = append(s.prov, provider{node: n, fn: p})
}

// A Selector chooses what an operational read returns: a <get> filter.
type Selector interface {
	// Apply returns a new tree holding copies of the selected nodes of root.
	Apply(root *data.Node) *data.Node
	// MaySelect reports whether anything at or below schema node n can be selected.
	MaySelect(n *schema.Node) bool
}

// Operational returns the operational view selected by sel (nil: everything): the selected
// running configuration merged with the state data of the providers whose subtree sel can
// select, as a private tree.
func (s *Store) Operational(ctx context.Context, who Who, sel Selector) (*data.Node, rpcerror.List) {
	s.mu.RLock()
	if s.closed {
		s.mu.RUnlock()
		return nil, rpcerror.List{rpcerror.OperationFailed("the datastore is closed")}
	}
	var out *data.Node
	if sel == nil {
		out = s.running.Clone()
	} else {
		out = sel.Apply(s.running)
	}
	prov := append([]provider(nil), s.prov...)
	s.mu.RUnlock()

	st := data.NewRoot()
	for _, p := range prov {
		if sel != nil && !sel.MaySelect(p.node) {
			continue
		}
		req := &StateRequest{Who: who, Root: data.NewRoot()}
		if errs := s.callProvider(ctx, p, req); len(errs) > 0 {
			return nil, errs
		}
		o := req.Origin
		if o == data.OriginNone {
			o = data.OriginLearned
		}
		markOrigin(req.Root, o)
		merge(st, req.Root)
	}
	if len(st.Children()) == 0 {
		return out, nil
	}
	merge(out, st)
	if sel != nil {
		out = sel.Apply(out)
	}
	return out, nil
}

func (s *Store) callProvider(ctx context.Context, p provider, req *StateRequest) (errs rpcerror.List) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("datastore: state provider panicked", "node", p.node.Path(), "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			errs = rpcerror.List{rpcerror.OperationFailed("the device failed to report its state")}
		}
	}()
	if err := p.fn(ctx, req); err != nil {
		s.log.Info("datastore: state provider failed", "node", p.node.Path(), "err", err)
		return rpcerror.From(err)
	}
	return nil
}

// markOrigin sets the Origin of n's descendants that have none: their parent's, or o below the
// root.
func markOrigin(n *data.Node, o data.Origin) {
	for _, c := range n.Children() {
		if c.Origin == data.OriginNone {
			c.Origin = o
		}
		markOrigin(c, c.Origin)
	}
}

// merge moves the nodes of src into dst, descending into the containers and list entries both
// hold. A container of dst marked data.Node.Default (it held only schema defaults) that receives
// a node not so marked loses the mark: it now holds data of its own, and the with-defaults modes
// that leave out default nodes (RFC 6243 sections 3.2 and 3.3) must still report it.
func merge(dst, src *data.Node) {
	for _, c := range append([]*data.Node(nil), src.Children()...) {
		var d *data.Node
		switch c.Schema.Kind {
		case schema.KindList, schema.KindLeafList:
			if len(c.Schema.Keys()) > 0 || c.Schema.Kind == schema.KindLeafList && c.Schema.Config {
				d = dst.Find(c.Schema, c.Key())
			}
		case schema.KindContainer:
			d = dst.Child(c.Schema)
		case schema.KindLeaf, schema.KindAnydata, schema.KindAnyxml:
			if old := dst.Child(c.Schema); old != nil {
				if c.Schema.IsKey() {
					// The entry was found by its keys: they stay (and keep their origin).
					continue
				}
				dst.Remove(old)
			}
		}
		if d != nil {
			if !c.Default {
				d.Default = false
			}
			merge(d, c)
			continue
		}
		src.Remove(c)
		dst.Add(c)
	}
}
