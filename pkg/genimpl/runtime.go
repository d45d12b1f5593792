package genimpl

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ncws/ncws/pkg/client"
	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/netconf"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/server"
)

// Server is the NETCONF server generated registration and notifiers work with.
type Server = server.Server

// Request is the request a generated server method's handler reads.
type Request = server.Request

// Session is the client session generated clients call over.
type Session = client.Session

// ErrUnknownNotification is wrapped by DecodeNotification's error when the notification is
// not one the schema defines (a notification of another module, such as replayComplete when
// the schema lacks nc-notifications).
var ErrUnknownNotification = errors.New("genimpl: notification not in the schema")

// Unimplemented is the error an Unimplemented<Module>Server method returns:
// operation-not-supported (error-type protocol, RFC 6241 Appendix A) naming the rpc or action.
func Unimplemented(op *schema.Node) error {
	e := rpcerror.OperationNotSupported("%s %s is not implemented by this server", op.Kind, op.Path())
	e.Type = rpcerror.Protocol
	return e
}

// TargetKeys returns the key values of the action's target instance: every list ancestor's
// keys, outermost list first, each list's keys in key-statement order. Nil for an rpc.
func TargetKeys(req *Request) []data.Value {
	if req == nil || req.Target == nil {
		return nil
	}
	return keysOf(req.Target)
}

// keysOf returns the keys of n and of its list ancestors, outermost first.
func keysOf(n *data.Node) []data.Value {
	var lists []*data.Node
	for p := n; p != nil && p.Schema != nil; p = p.Parent {
		if p.Schema.Kind == schema.KindList {
			lists = append(lists, p)
		}
	}
	var out []data.Value
	for i := len(lists) - 1; i >= 0; i-- {
		for _, k := range lists[i].Schema.Keys() {
			if c := lists[i].Child(k); c != nil {
				out = append(out, c.Value)
			}
		}
	}
	return out
}

// Notify sends the notification op (a notification schema node, top-level or nested) with
// content ev (a node of op, children = the notification's content; nil = no content) now;
// keys are the canonical texts of the keys of every list ancestor of a nested notification
// (outermost first, key order), nil for a top-level one. identityref key texts are
// "module:identity". See server.Server.Notify for the delivery.
func Notify(ctx context.Context, srv *Server, op *schema.Node, keys []string, ev *data.Node) error {
	if op == nil || op.Kind != schema.KindNotification {
		return fmt.Errorf("genimpl: Notify of %v: not a notification", op)
	}
	ev, err := opNode(op, op, ev)
	if err != nil {
		return err
	}
	top, err := placeAt(ServerSchema(srv), op, keys, ev)
	if err != nil {
		return err
	}
	return srv.Notify(ctx, top, time.Now())
}

// opNode returns ev, a node of sn (the operation's node whose children hold its content), or
// a new empty one when ev is nil; ev is copied when attached.
func opNode(op, sn *schema.Node, ev *data.Node) (*data.Node, error) {
	if ev == nil {
		return data.New(sn), nil
	}
	if ev.Schema != sn {
		return nil, fmt.Errorf("genimpl: %s: content is a node of %s, want %s", op.Path(), nodePath(ev.Schema), sn.Path())
	}
	if ev.Parent != nil {
		ev = ev.Clone()
	}
	return ev, nil
}

func nodePath(sn *schema.Node) string {
	if sn == nil {
		return "a document root"
	}
	return sn.Path()
}

// placeAt builds the data path down to op's parent (containers, list entries with keys parsed
// from their texts) and attaches n, op's node, below it. It returns the top-level node: n
// itself for a top-level operation.
func placeAt(sch *schema.Schema, op *schema.Node, keys []string, n *data.Node) (*data.Node, error) {
	var path []*schema.Node
	for p := op.DataParent(); p != nil; p = p.DataParent() {
		path = append(path, p)
	}
	want := 0
	for _, p := range path {
		if p.Kind == schema.KindList {
			want += len(p.Keys())
		}
	}
	if len(keys) != want {
		return nil, fmt.Errorf("genimpl: %s: %d key values for a target with %d keys", op.Path(), len(keys), want)
	}
	resolve := func(prefix string) *schema.Module {
		if sch != nil {
			return sch.Module(prefix)
		}
		return nil
	}
	var top, cur *data.Node
	for i := len(path) - 1; i >= 0; i-- {
		sn := path[i]
		e := data.New(sn)
		for _, k := range sn.Keys() {
			v, rerr := data.ParseValue(k.Type, keys[0], moduleResolver(k, resolve))
			if rerr != nil {
				return nil, fmt.Errorf("genimpl: %s: key %s %q: %s", op.Path(), k.Name, keys[0], rerr.Message)
			}
			keys = keys[1:]
			e.Insert(data.NewLeaf(k, v))
		}
		if cur == nil {
			top = e
		} else {
			cur.Insert(e)
		}
		cur = e
	}
	if cur == nil {
		return n, nil
	}
	cur.Insert(n)
	return top, nil
}

// moduleResolver resolves the module-name prefixes of key texts ("module:identity"): through
// the schema when there is one, else among the modules the key's module imports.
func moduleResolver(k *schema.Node, resolve data.Resolver) data.Resolver {
	return func(prefix string) *schema.Module {
		if m := resolve(prefix); m != nil {
			return m
		}
		if k.Module.Name == prefix {
			return k.Module
		}
		for _, m := range k.Module.Prefixes {
			if m != nil && m.Name == prefix {
				return m
			}
		}
		return nil
	}
}

// Call invokes the rpc or action op over s with input in (a node of op's input schema node,
// nil = no input); keys as for Notify (the target instance of an action). It returns the
// output (a node of op's output schema node), nil when the reply is <ok/>; rpc-errors come
// back as the client's rpcerror.List.
func Call(ctx context.Context, s *Session, op *schema.Node, keys []string, in *data.Node) (*data.Node, error) {
	if op == nil || (op.Kind != schema.KindRPC && op.Kind != schema.KindAction) {
		return nil, fmt.Errorf("genimpl: Call of %v: not an rpc or action", op)
	}
	var body []byte
	inSchema := Input(op)
	var n *data.Node
	if inSchema != nil {
		var err error
		if n, err = opNode(op, inSchema, in); err != nil {
			return nil, err
		}
	} else if in != nil {
		return nil, fmt.Errorf("genimpl: %s has no input", op.Path())
	}
	if op.Kind == schema.KindRPC {
		if n == nil {
			body = []byte("<" + op.Name + ` xmlns="` + op.Module.Namespace + `"/>`)
		} else {
			var err error
			if body, err = yangxml.Append(nil, n, yangxml.EncodeOptions{}); err != nil {
				return nil, fmt.Errorf("genimpl: encoding %s: %w", op.Path(), err)
			}
		}
	} else {
		if n == nil {
			return nil, fmt.Errorf("genimpl: action %s has no input node in its schema", op.Path())
		}
		top, err := placeAt(nil, op, keys, n)
		if err != nil {
			return nil, err
		}
		body = []byte(`<action xmlns="` + netconf.YANGNamespace + `">`)
		if body, err = yangxml.Append(body, top, yangxml.EncodeOptions{}); err != nil {
			return nil, fmt.Errorf("genimpl: encoding %s: %w", op.Path(), err)
		}
		body = append(body, "</action>"...)
	}
	r, err := s.Call(ctx, body)
	if err != nil {
		return nil, err
	}
	out := Output(op)
	if r.OK || out == nil {
		return nil, nil
	}
	o, errs := yangxml.Unmarshal(r.Body, nil, yangxml.DecodeOptions{Operation: out, AllowEmpty: true})
	if len(errs) > 0 {
		return nil, fmt.Errorf("genimpl: the reply to %s: %w", op.Path(), errs)
	}
	return o, nil
}

// DecodeNotification decodes a notification's content as client.Options.OnNotification
// receives it, against sch: the notification schema node, the keys of its list ancestors (as
// TargetKeys) and its node (a node of the notification schema node holding the content; its
// Parent, for a nested notification, is its parent instance). A notification sch does not
// define gives an error wrapping ErrUnknownNotification.
func DecodeNotification(sch *schema.Schema, body []byte) (op *schema.Node, keys []data.Value, ev *data.Node, err error) {
	_, n, errs := yangxml.UnmarshalNested(body, sch, yangxml.DecodeOptions{})
	if len(errs) > 0 {
		for _, e := range errs {
			if e.Tag == rpcerror.TagUnknownNamespace || e.Tag == rpcerror.TagUnknownElement {
				return nil, nil, nil, fmt.Errorf("%w: %w", ErrUnknownNotification, errs)
			}
		}
		return nil, nil, nil, fmt.Errorf("genimpl: decoding a notification: %w", errs)
	}
	if n == nil || n.Schema.Kind != schema.KindNotification {
		return nil, nil, nil, fmt.Errorf("%w: no notification in %.100q", ErrUnknownNotification, body)
	}
	var ks []data.Value
	if n.Parent != nil {
		ks = keysOf(n.Parent)
	}
	return n.Schema, ks, n, nil
}
