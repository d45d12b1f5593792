package server

import (
	"fmt"
	"strings"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/netconf"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/validate"
)

// checkInput validates the input of an rpc or action (in, with target the action's target
// instance, nil for an rpc) before its handler runs, as RFC 7950 sections 7.14.2 and 7.15.2
// ask: mandatory parameters, must, when, min/max-elements, unique and leafref, with XPath
// evaluated in the accessible tree (the running configuration plus the input). The defaults in
// use are added to in. The errors are the client's: a missing parameter is missing-element
// with error-type protocol (see validate.OpOptions.ErrorType), as the decoder reports the
// input's unknown elements and bad values; the rest is what pkg/validate reports for data.
func (srv *Server) checkInput(in, target *data.Node) rpcerror.List {
	if in == nil {
		return nil
	}
	tree, err := srv.accessible(in.Schema)
	if err != nil {
		srv.Logger.Error("server: reading running to validate an input failed", "err", err)
		return rpcerror.List{rpcerror.OperationFailed("running cannot be read")}
	}
	return srv.Store.Validator().ValidateOp(in, validate.OpOptions{Tree: tree, Target: target,
		ErrorType: rpcerror.Protocol})
}

// checkOutput validates what the handler of req returned (out, nil for <ok/>, taken as an
// empty output) before it is sent (RFC 7950 sections 7.14.3, 7.15.3): a tree of the
// operation's output node whose values have their types and whose constraints hold. A
// violation is the handler's bug, not the client's: it is logged with the operation's name
// and the client gets a generic operation-failed.
func (srv *Server) checkOutput(req *Request, out *data.Node) (errs rpcerror.List) {
	fail := rpcerror.List{rpcerror.OperationFailed("the %s operation failed", req.RPC.Name)}
	// The tree is the handler's: however it is built, a bad one must not take the server down.
	defer func() {
		if r := recover(); r != nil {
			srv.Logger.Error("server: validating an rpc handler's output panicked", "rpc", req.RPC.Name,
				"path", req.RPC.Path(), "panic", fmt.Sprint(r))
			errs = fail
		}
	}()
	want := outputOf(req.RPC)
	switch {
	case want == nil && out == nil:
		return nil
	case out == nil:
		out = data.New(want)
	case want == nil || out.Schema != want:
		got := "a tree without schema"
		if out.Schema != nil {
			got = out.Schema.Kind.String() + " " + out.Schema.Path()
		}
		srv.Logger.Error("server: rpc handler returned output of the wrong schema node", "rpc", req.RPC.Name,
			"path", req.RPC.Path(), "got", got)
		return fail
	default:
		// The handler's tree is sent as it is: validation adds defaults.
		out = out.Clone()
	}
	tree, err := srv.accessible(want)
	if err != nil {
		srv.Logger.Error("server: reading running to validate an output failed", "rpc", req.RPC.Name, "err", err)
		return fail
	}
	errs = srv.Store.Validator().ValidateOp(out, validate.OpOptions{Tree: tree, Target: req.Target, CheckValues: true})
	if len(errs) > 0 {
		srv.Logger.Error("server: rpc handler returned invalid output", "rpc", req.RPC.Name,
			"path", req.RPC.Path(), "errors", errs.Error())
		return fail
	}
	return nil
}

// accessible returns a copy of the parts of running that the constraints of io (an input or
// output node) can read, nil when they read nothing outside the operation: running is then
// not read at all, and checking an operation costs nothing that grows with the datastore.
// Otherwise the top-level subtrees they reach are copied (all of running when that is not
// statically known). State data are not included.
func (srv *Server) accessible(io *schema.Node) (*data.Node, error) {
	tops, all := srv.Store.Validator().OpReads(io)
	if !all && len(tops) == 0 {
		return nil, nil
	}
	tree := data.NewRoot()
	err := srv.Store.Read(datastore.Running, func(root *data.Node) {
		if all {
			tree = root.Clone()
			return
		}
		for _, t := range tops {
			for _, n := range root.Instances(t) {
				tree.InsertBefore(n.Clone(), nil)
			}
		}
	})
	return tree, err
}

// outputOf returns the output node of an rpc or action, nil if it has none.
func outputOf(op *schema.Node) *schema.Node {
	for _, c := range op.Children {
		if c.Kind == schema.KindOutput {
			return c
		}
	}
	return nil
}

// requestPaths returns errs with the error-paths that name a parameter of the operation
// (paths at or below opPath, the operation's path in the RFC 7951 form data.Node.Path gives an
// input: /mod:rpc, or the target's path followed by the action) moved into the request, where
// the parameters are: /ietf-netconf:rpc/mod:rpc/param, or
// /ietf-netconf:rpc/yang:action/mod:list[key='k']/action/param (the XML form, sent on the wire,
// is /nc:rpc/ex:rpc/ex:param: netconf.XMLPath). Errors about other nodes (data) keep their
// paths. The errors changed are copies: a handler's errors may be shared values.
func (srv *Server) requestPaths(errs rpcerror.List, opPath string, action bool) rpcerror.List {
	nc := srv.Store.Schema().ModuleByNamespace(nsNetconf)
	if nc == nil || opPath == "" {
		return errs
	}
	prefix := "/" + nc.Name + ":rpc"
	if action {
		prefix += "/" + netconf.PathActionModule + ":action"
	}
	under := func(p string) bool { return p == opPath || strings.HasPrefix(p, opPath+"/") }
	var out rpcerror.List
	for i, e := range errs {
		moved := under(e.Path)
		for _, in := range e.Info {
			moved = moved || (in.Namespace == netconf.YANGNamespace && under(in.Value))
		}
		if !moved {
			continue
		}
		if out == nil {
			out = append(rpcerror.List(nil), errs...)
		}
		c := *e
		if under(e.Path) {
			c.Path = prefix + e.Path
		}
		// Instance-identifiers in error-info (non-unique) name the parameters as the path does.
		c.Info = append([]rpcerror.Info(nil), e.Info...)
		for j, in := range c.Info {
			if in.Namespace == netconf.YANGNamespace && under(in.Value) {
				c.Info[j].Value = prefix + in.Value
			}
		}
		out[i] = &c
	}
	if out == nil {
		return errs
	}
	return out
}

// rpcPath is the path of an rpc's input as data.Node.Path names it: /mod:rpc.
func rpcPath(rpc *schema.Node) string { return "/" + rpc.Module.Name + ":" + rpc.Name }
