package server

import (
	"context"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/netconf"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
)

// handleAction answers an <action> (RFC 7950 section 7.15.2): the path down to the action is
// decoded as data, the action's handler is looked up, the target instance checked and the
// input validated (checkInput); the output the handler returns is validated before it is sent.
func (s *session) handleAction(ctx context.Context, m *netconf.RPC) ([]byte, *netconf.CloseReason, func()) {
	sch := s.srv.Store.Schema()
	acc := s.access()
	c := s.newCall(m, acc)
	top, in, errs := yangxml.UnmarshalNested(m.Operation(), sch, yangxml.DecodeOptions{
		MaxDepth: s.srv.MaxDepth, ErrorType: rpcerror.Protocol, Attr: c.attrs.hook,
	})
	if len(errs) > 0 {
		if in != nil && in.Parent != nil {
			errs = s.srv.requestPaths(errs, in.Path(), true)
		}
		return s.errorReply(m.Attrs, errs), nil, nil
	}
	if in == nil || top == nil {
		e := rpcerror.MissingElement(rpcerror.Protocol, "action", "", "the <action> element holds no action")
		return s.errorReply(m.Attrs, rpcerror.List{e}), nil, nil
	}
	act := in.Schema
	if act.Kind == schema.KindInput {
		act = act.Parent
	}
	if act.Kind != schema.KindAction {
		e := rpcerror.UnknownElement(rpcerror.Protocol, act.Name, "")
		e.Message = act.Kind.String() + " \"" + act.Name + "\" is not an action"
		return s.errorReply(m.Attrs, rpcerror.List{e}), nil, nil
	}
	s.op = act
	s.srv.mu.Lock()
	h := s.srv.handlers[act]
	s.srv.mu.Unlock()
	if h == nil {
		e := rpcerror.OperationNotSupported("action %s is not implemented by this server", act.Path())
		e.Type = rpcerror.Protocol
		return s.errorReply(m.Attrs, rpcerror.List{e}), nil, nil
	}
	if acc != nil {
		if e := acc.Exec(act, in.Parent); e != nil {
			return s.errorReply(m.Attrs, rpcerror.List{e}), nil, nil
		}
	}
	target := in.Parent
	if e := s.srv.checkTarget(target); e != nil {
		return s.errorReply(m.Attrs, rpcerror.List{e}), nil, nil
	}
	opPath := in.Path()
	if errs := s.srv.checkInput(in, target); len(errs) > 0 {
		return s.errorReply(m.Attrs, s.srv.requestPaths(errs, opPath, true)), nil, nil
	}
	req := &Request{Who: s.who, RPC: act, Input: in, Target: target, MessageID: m.MessageID}
	return s.call(ctx, c, h, req, true, opPath)
}

// checkTarget reports data-missing when the action's target instance does not exist (RFC 7950
// section 7.15.2). Configuration is what running holds: the target's path is checked there
// down to its last configuration node. State below that (a config false container or list
// entry) is not looked up, since that would ask the state providers for it: the handler
// answers data-missing itself for a state instance it does not know.
func (srv *Server) checkTarget(target *data.Node) *rpcerror.Error {
	loc := data.LocOf(target)
	n := 0
	for n < len(loc) && loc[n].Schema.Config {
		n++
	}
	if n == 0 {
		return nil
	}
	cfg := loc[:n]
	found := false
	if err := srv.Store.Read(datastore.Running, func(root *data.Node) {
		found = cfg.Resolve(root) != nil
	}); err != nil {
		return rpcerror.OperationFailed("running cannot be read")
	}
	if !found {
		e := rpcerror.New(rpcerror.Application, rpcerror.TagDataMissing, "the action's target %s does not exist", cfg.Path())
		e.Path = cfg.Path()
		return e
	}
	return nil
}
