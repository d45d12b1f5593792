package agent

import (
	"context"
	"fmt"
	"runtime/debug"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
)

// A StateRequest says who asks for state data.
type StateRequest struct {
	// Who sent the request (username and session-id).
	Who datastore.Who
	// Origin is set by the provider to say where its data comes from (RFC 8342 section
	// 5.3.4): data.OriginSystem for what the device made itself, data.OriginLearned (what
	// zero means) for what it learned from other systems. A provider of HandleState may also
	// set data.Node.Origin on the nodes it adds (their descendants inherit it). get-data's
	// with-origin reports it.
	Origin data.Origin
}

// HandleState registers fn as the provider of the state data (config false nodes) of the
// subtree at path (a schema node path as for Hook.Path). fn adds the subtree's state to root,
// an empty document tree, with the containers and list entries (and their keys) that lead to
// it; the agent merges it with the configuration and the other providers' state, and the
// request's filter picks what the client sees.
//
// fn is called only when a request can select something in the subtree (a <get> whose filter
// reaches it), with the request's context and a deadline of Options.StateTimeout: a provider
// still running then is answered operation-failed and abandoned (it must not touch root
// afterwards; root is a private tree discarded then). Its error becomes the rpc-error (an
// *rpcerror.Error passes through, anything else is operation-failed, logged) and a panic is
// recovered: the session goes on.
func (a *Agent) HandleState(path string, fn func(ctx context.Context, req *StateRequest, root *data.Node) error) error {
	if err := a.checkNotStarted(); err != nil {
		return err
	}
	sn := a.sch.FindNode(path)
	if sn == nil || !sn.Kind.IsData() {
		return fmt.Errorf("agent: state path %s: no such data node", path)
	}
	a.store.AddStateProvider(sn, func(ctx context.Context, req *datastore.StateRequest) error {
		root := data.NewRoot()
		sr := &StateRequest{Who: req.Who}
		err := a.runProvider(ctx, path, func(ctx context.Context) error {
			return fn(ctx, sr, root)
		})
		if err != nil {
			return err
		}
		req.Origin = sr.Origin
		for _, c := range append([]*data.Node(nil), root.Children()...) {
			root.Remove(c)
			mergeState(req.Root, c)
		}
		return nil
	})
	return nil
}

// State registers a typed state provider for the container at path, a container with no list
// above it whose generated struct is T (example.NcwsExample_System for /ncws-example:system, or the
// container holding a list to fill the whole list). fn sets the state fields of a new T (and
// the keys of the list entries it adds); configuration fields it sets are ignored. Otherwise
// as HandleState.
func State[T any, P interface {
	*T
	ToTree(*schema.Node) (*data.Node, error)
}](a *Agent, path string, fn func(ctx context.Context, req *StateRequest, v *T) error) error {
	sn := a.sch.FindNode(path)
	if sn == nil || sn.Kind != schema.KindContainer {
		return fmt.Errorf("agent: State %s: not a container of the schema", path)
	}
	for p := sn.DataParent(); p != nil; p = p.DataParent() {
		if p.Kind == schema.KindList {
			return fmt.Errorf("agent: State %s: inside list %s; register the container above the list", path, p.Path())
		}
	}
	return a.HandleState(path, func(ctx context.Context, req *StateRequest, root *data.Node) error {
		v := new(T)
		if err := fn(ctx, req, v); err != nil {
			return err
		}
		n, err := P(v).ToTree(sn)
		if err != nil {
			return fmt.Errorf("agent: state of %s: %w", path, err)
		}
		dropConfig(n)
		var chain []*schema.Node
		for p := sn.DataParent(); p != nil; p = p.DataParent() {
			chain = append([]*schema.Node{p}, chain...)
		}
		parent := root
		for _, s := range chain {
			c := parent.Child(s)
			if c == nil {
				c = data.New(s)
				parent.Insert(c)
			}
			parent = c
		}
		parent.Insert(n)
		return nil
	})
}

// dropConfig removes the configuration leaves, leaf-lists and anydata of n's subtree that are
// not list keys: a typed provider's struct may carry configuration fields, which the running
// configuration answers for.
func dropConfig(n *data.Node) {
	for _, c := range append([]*data.Node(nil), n.Children()...) {
		s := c.Schema
		switch s.Kind {
		case schema.KindLeaf, schema.KindLeafList, schema.KindAnydata, schema.KindAnyxml:
			if s.Config && !isKey(s) {
				n.Remove(c)
			}
		default:
			dropConfig(c)
		}
	}
}

func isKey(s *schema.Node) bool {
	p := s.DataParent()
	if p == nil || p.Kind != schema.KindList {
		return false
	}
	for _, k := range p.Keys() {
		if k == s {
			return true
		}
	}
	return false
}

// runProvider runs fn with the state deadline, recovering a panic; a provider still running
// at the deadline is abandoned.
func (a *Agent) runProvider(ctx context.Context, path string, fn func(ctx context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, a.opts.StateTimeout)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				a.log.Error("agent: state provider panicked", "path", path, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				done <- rpcerror.OperationFailed("the device failed to report its state")
			}
		}()
		done <- fn(ctx)
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		a.log.Warn("agent: state provider did not answer in time", "path", path, "timeout", a.opts.StateTimeout, "err", ctx.Err())
		return rpcerror.OperationFailed("the device did not report the state of %s in time", path)
	}
}

// mergeState adds n (detached) to dst, descending into the containers and list entries dst
// already holds, so that providers of neighbouring subtrees share their ancestors.
func mergeState(dst, n *data.Node) {
	var have *data.Node
	switch n.Schema.Kind {
	case schema.KindContainer:
		have = dst.Child(n.Schema)
	case schema.KindList:
		if len(n.Schema.Keys()) > 0 {
			have = dst.Find(n.Schema, n.Key())
		}
	}
	if have == nil {
		dst.Add(n)
		return
	}
	for _, c := range append([]*data.Node(nil), n.Children()...) {
		n.Remove(c)
		mergeState(have, c)
	}
}
