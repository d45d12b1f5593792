package server

import (
	"bytes"
	"context"
	"encoding/xml"
	"strconv"

	"github.com/ncws/ncws/internal/filter"
	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/netconf"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
)

const (
	nsNMDA       = "urn:ietf:params:xml:ns:yang:ietf-netconf-nmda"
	nsDatastores = "urn:ietf:params:xml:ns:yang:ietf-datastores"
	nsOrigin     = "urn:ietf:params:xml:ns:yang:ietf-origin"

	// dsIntended and dsOperational name the NMDA datastores that are not conventional
	// datastore.Names of the store: intended is running (ncws has no inactive configuration
	// nor templates), operational is the store's operational view.
	dsIntended    datastore.Name = "intended"
	dsOperational datastore.Name = datastore.Operational
)

// registerNMDA installs get-data and edit-data (RFC 8526) when the schema has
// ietf-netconf-nmda and no Handle call replaced them. srv.mu is held.
func (srv *Server) registerNMDA(sch *schema.Schema) {
	m := sch.ModuleByNamespace(nsNMDA)
	if m == nil {
		return
	}
	for name, h := range map[string]Handler{"get-data": srv.opGetData, "edit-data": srv.opEditData} {
		if rpc := sch.RPC(m, name); rpc != nil && srv.handlers[rpc] == nil {
			srv.handlers[rpc] = h
		}
	}
}

// nmdaDatastore reads an NMDA datastore parameter (a ds:datastore-ref leaf): running,
// candidate, startup, intended or operational. Any other identity is invalid-value (RFC 8526
// section 3.1: the server does not have that datastore).
func nmdaDatastore(p *data.Node) (datastore.Name, *rpcerror.Error) {
	id := p.Value.Identity()
	if id != nil && id.Module.Namespace == nsDatastores {
		switch id.Name {
		case "running", "candidate", "startup", "intended", "operational":
			return datastore.Name(id.Name), nil
		}
	}
	e := rpcerror.InvalidValue(p.Path(), "datastore %s is not supported by this server", p.Value.Str)
	e.Type = rpcerror.Protocol
	return "", e
}

// nmdaParam returns the input parameter of ietf-netconf-nmda called name (nil if absent).
func nmdaParam(in *data.Node, name string) *data.Node {
	for _, c := range in.Children() {
		if c.Schema.Name == name && c.Schema.Module.Namespace == nsNMDA {
			return c
		}
	}
	return nil
}

func protocolInvalid(path, format string, args ...any) *rpcerror.Error {
	e := rpcerror.InvalidValue(path, format, args...)
	e.Type = rpcerror.Protocol
	return e
}

// getDataQuery is a get-data request's parameters, checked.
type getDataQuery struct {
	ds       datastore.Name
	f        *filter.Filter
	wd       yangxml.WithDefaults
	depth    int   // 0: unbounded
	config   *bool // config-filter
	origins  []*schema.Identity
	negated  bool // origins is the negated-origin-filter
	byOrigin bool // an origin filter was given
	withOrig bool
	// cut holds the containers and list entries a max-depth cut (written even when empty),
	// except those holding only defaults.
	cut map[*data.Node]bool
}

// pruning reports whether the selected tree needs pruning after the filter.
func (q *getDataQuery) pruning() bool { return q.config != nil || q.byOrigin }

func (srv *Server) getDataQuery(ctx context.Context, in *data.Node) (*getDataQuery, *rpcerror.Error) {
	q := &getDataQuery{}
	p := nmdaParam(in, "datastore")
	if p == nil {
		return nil, rpcerror.MissingElement(rpcerror.Protocol, "datastore", "", "missing parameter \"datastore\"")
	}
	var rerr *rpcerror.Error
	if q.ds, rerr = nmdaDatastore(p); rerr != nil {
		return nil, rerr
	}
	oper := q.ds == dsOperational
	if c := nmdaParam(in, "with-origin"); c != nil {
		if !oper {
			return nil, protocolInvalid(c.Path(), "with-origin applies to the operational datastore only, not %s", q.ds)
		}
		q.withOrig = true
	}
	// The decoder reads builtin operations' input without validating it: the cases of one
	// choice are checked here.
	if rerr := oneCase(in, "subtree-filter", "xpath-filter"); rerr != nil {
		return nil, rerr
	}
	if rerr := oneCase(in, "origin-filter", "negated-origin-filter"); rerr != nil {
		return nil, rerr
	}
	for _, name := range []string{"origin-filter", "negated-origin-filter"} {
		for _, c := range in.Children() {
			if c.Schema.Name != name || c.Schema.Module.Namespace != nsNMDA {
				continue
			}
			if !oper {
				return nil, protocolInvalid(c.Path(), "%s applies to the operational datastore only, not %s", name, q.ds)
			}
			id := c.Value.Identity()
			if id == nil {
				return nil, protocolInvalid(c.Path(), "%s %q is not an origin identity", name, c.Value.Str)
			}
			q.byOrigin, q.negated = true, name == "negated-origin-filter"
			q.origins = append(q.origins, id)
		}
	}
	if c := nmdaParam(in, "config-filter"); c != nil {
		b := c.Value.Str == "true"
		q.config = &b
	}
	if c := nmdaParam(in, "max-depth"); c != nil && c.Value.Str != "unbounded" {
		n, err := strconv.ParseUint(c.Value.Str, 10, 16)
		if err != nil || n == 0 {
			return nil, protocolInvalid(c.Path(), "max-depth %q is not 1..65535 or unbounded", c.Value.Str)
		}
		q.depth = int(n)
	}
	// get-data's with-defaults comes from a grouping its own module uses: it is in the
	// ietf-netconf-nmda namespace (RFC 8526 section 3.1.1.2).
	q.wd = yangxml.Explicit
	if c := nmdaParam(in, "with-defaults"); c != nil {
		wd, ok := yangxml.ParseWithDefaults(c.Value.Str)
		if !ok {
			return nil, protocolInvalid(c.Path(), "with-defaults mode %q is not supported", c.Value.Str)
		}
		q.wd = wd
	}
	sch := srv.Store.Schema()
	if c := nmdaParam(in, "subtree-filter"); c != nil {
		if q.f, rerr = filter.Subtree([]byte(c.Value.Str), sch); rerr != nil {
			return nil, rerr
		}
	}
	if c := nmdaParam(in, "xpath-filter"); c != nil {
		var ns map[string]string
		if cl := callOf(ctx); cl != nil && cl.m != nil {
			ns = scopeOf(cl.m.Operation(), nsNMDA, "xpath-filter")
		}
		if q.f, rerr = filter.XPath(c.Value.Str, ns, sch); rerr != nil {
			return nil, rerr
		}
	}
	if q.depth > 0 {
		q.cut = map[*data.Node]bool{}
		if q.f != nil {
			q.f = q.f.WithMaxDepth(q.depth, func(n *data.Node) {
				if !n.Default {
					q.cut[n] = true
				}
			})
		}
	}
	return q, nil
}

// oneCase returns a bad-element error when in holds parameters of both cases a and b of a
// choice (RFC 7950 section 7.9: one case at a time).
func oneCase(in *data.Node, a, b string) *rpcerror.Error {
	if nmdaParam(in, a) != nil {
		if c := nmdaParam(in, b); c != nil {
			return rpcerror.BadElement(rpcerror.Protocol, b, c.Path(), "%s and %s are cases of one choice: give one of them", a, b)
		}
	}
	return nil
}

// scopeOf returns the namespace declarations in scope on the first child element of op's root
// element that has namespace ns and local name local (nil if there is none).
func scopeOf(op []byte, ns, local string) map[string]string {
	d := xml.NewDecoder(bytes.NewReader(op))
	type frame map[string]string
	var stack []frame
	depth := 0
	for {
		tok, err := d.RawToken()
		if err != nil {
			return nil
		}
		switch t := tok.(type) {
		case xml.StartElement:
			f := frame{}
			var prefix string
			if len(stack) > 0 {
				for k, v := range stack[len(stack)-1] {
					f[k] = v
				}
			}
			for _, a := range t.Attr {
				switch {
				case a.Name.Space == "xmlns":
					f[a.Name.Local] = a.Value
				case a.Name.Space == "" && a.Name.Local == "xmlns":
					f[""] = a.Value
				}
			}
			prefix = t.Name.Space
			stack = append(stack, f)
			depth++
			if depth == 2 && t.Name.Local == local && f[prefix] == ns {
				return f
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
			depth--
		}
	}
}

// opGetData is get-data (RFC 8526 section 3.1.1).
func (srv *Server) opGetData(ctx context.Context, req *Request) (*data.Node, error) {
	q, rerr := srv.getDataQuery(ctx, req.Input)
	if rerr != nil {
		return nil, rerr
	}
	acc := callOf(ctx).access()
	if q.ds == dsOperational {
		var sel datastore.Selector
		if q.f != nil {
			sel = q.f
			if acc != nil && !acc.ReadsAll() {
				sel = prunedSelector{q.f, acc}
			}
		}
		tree, errs := srv.Store.Operational(ctx, req.Who, sel)
		if len(errs) > 0 {
			return nil, errs
		}
		if q.f == nil {
			// The operational view is a private tree: what the user may not read goes in place.
			if acc != nil && !acc.ReadsAll() {
				prune(tree, acc)
			}
			if q.depth > 0 {
				limitDepth(tree, q.depth, q.cut)
			}
		}
		q.prune(tree)
		return nil, srv.getDataReply(ctx, tree, q)
	}
	name := q.ds
	if name == dsIntended {
		name = datastore.Running
	}
	var tree *data.Node
	var encErr error
	err := srv.Store.Read(name, func(root *data.Node) {
		switch {
		case q.f != nil:
			tree = q.f.Apply(readable(root, acc))
		case q.depth > 0 || q.pruning():
			tree = readable(root, acc)
			if tree == root {
				tree = root.Clone()
			}
			if q.depth > 0 {
				limitDepth(tree, q.depth, q.cut)
			}
		default:
			// Encoding reads the tree under the read lock instead of copying it.
			encErr = srv.getDataReply(ctx, root, q)
		}
	})
	if err != nil {
		return nil, rpcerror.OperationFailed("%s cannot be read", q.ds)
	}
	if tree == nil {
		return nil, encErr
	}
	q.prune(tree)
	return nil, srv.getDataReply(ctx, tree, q)
}

// getDataReply sets the reply to get-data's <data> holding tree.
func (srv *Server) getDataReply(ctx context.Context, tree *data.Node, q *getDataQuery) error {
	o := yangxml.EncodeOptions{Wrapper: "data", WrapperNamespace: nsNMDA, WithDefaults: q.wd, Schema: srv.Store.Schema()}
	if q.withOrig {
		o.Origin = originName
	}
	if len(q.cut) > 0 {
		o.Keep = func(n *data.Node) bool { return q.cut[n] }
	}
	return srv.encodeReply(ctx, tree, o, "")
}

// originOf is the origin of a node of the operational view: what a state provider said, or for
// the intended configuration's nodes intended, default for the schema defaults.
func originOf(n *data.Node) data.Origin {
	switch {
	case n.Origin != data.OriginNone:
		return n.Origin
	case n.Default:
		return data.OriginDefault
	}
	return data.OriginIntended
}

func originName(n *data.Node) string { return originOf(n).String() }

// limitDepth cuts the tree at root to depth levels, the top-level nodes being level 1; list
// entries keep their keys.
func limitDepth(root *data.Node, depth int, cut map[*data.Node]bool) {
	for _, c := range root.Children() {
		cutBelow(c, depth, cut)
	}
}

// cutBelow keeps depth levels of the subtree at n (n itself the first), adding the containers
// and list entries at the limit to cut.
func cutBelow(n *data.Node, depth int, cut map[*data.Node]bool) {
	if depth == 1 && !n.Default && (n.Schema.Kind == schema.KindContainer || n.Schema.Kind == schema.KindList) {
		cut[n] = true
	}
	for _, c := range append([]*data.Node(nil), n.Children()...) {
		switch {
		case depth > 1:
			cutBelow(c, depth-1, cut)
		case !c.Schema.IsKey() || c.Schema.DataParent() != n.Schema:
			n.Remove(c)
		}
	}
}

// prune applies config-filter and the origin filters to a private tree: a node stays when it
// passes them or when a descendant stays (with its list entry's keys); a non-presence container
// that held nodes and keeps none goes.
func (q *getDataQuery) prune(root *data.Node) {
	if !q.pruning() {
		return
	}
	for _, c := range append([]*data.Node(nil), root.Children()...) {
		if !q.keep(c) {
			root.Remove(c)
		}
	}
}

// passes reports whether n itself passes the filters.
func (q *getDataQuery) passes(n *data.Node) bool {
	if q.config != nil && n.Schema.Config != *q.config {
		return false
	}
	if q.byOrigin && n.Schema.Config {
		// State nodes are not subject to the origin filters (RFC 8526 section 3.1.1).
		return q.originMatches(originOf(n))
	}
	return true
}

func (q *getDataQuery) originMatches(o data.Origin) bool {
	name := o.String()
	hit := false
	for _, id := range q.origins {
		if id.Module.Namespace == nsOrigin && id.Name == name {
			hit = true
			break
		}
		for _, d := range id.Derived {
			if d.Module.Namespace == nsOrigin && d.Name == name {
				hit = true
				break
			}
		}
	}
	return hit != q.negated
}

// keep prunes n's subtree and reports whether n stays.
func (q *getDataQuery) keep(n *data.Node) bool {
	sn := n.Schema
	switch sn.Kind {
	case schema.KindContainer, schema.KindList:
	default:
		return q.passes(n)
	}
	had := len(n.Children())
	kept := 0
	for _, c := range append([]*data.Node(nil), n.Children()...) {
		if c.Schema.IsKey() && c.Schema.DataParent() == sn {
			continue
		}
		if q.keep(c) {
			kept++
		} else {
			n.Remove(c)
		}
	}
	if kept > 0 {
		return true
	}
	if sn.IsNPContainer() {
		return had == 0 && q.passes(n)
	}
	return q.passes(n)
}

// opEditData is edit-data (RFC 8526 section 3.1.2): edit-config's semantics on running or
// candidate, all or nothing.
func (srv *Server) opEditData(ctx context.Context, req *Request) (*data.Node, error) {
	p := nmdaParam(req.Input, "datastore")
	if p == nil {
		return nil, rpcerror.MissingElement(rpcerror.Protocol, "datastore", "", "missing parameter \"datastore\"")
	}
	target, rerr := nmdaDatastore(p)
	if rerr != nil {
		return nil, rerr
	}
	if target != datastore.Running && target != datastore.Candidate {
		return nil, protocolInvalid(p.Path(), "datastore %s is not writable with edit-data", p.Value.Str)
	}
	o := datastore.EditOptions{DefaultOperation: "merge", TestOption: "test-then-set", ErrorOption: "rollback-on-error"}
	if c := nmdaParam(req.Input, "default-operation"); c != nil {
		o.DefaultOperation = c.Value.Str
	}
	if rerr := oneCase(req.Input, "config", "url"); rerr != nil {
		return nil, rerr
	}
	return srv.edit(ctx, req, target, nmdaParam(req.Input, "config"), nmdaParam(req.Input, "url"), o)
}

// configDatastore reads the datastore leaf RFC 8526 adds to lock and unlock (param "target")
// and validate ("source"): a conventional datastore of the store. Validating intended
// validates running, whose validated copy it is; operational, and intended as a lock target,
// are invalid-value.
func configDatastore(p *data.Node, param string) (datastore.Name, *data.Node, *rpcerror.Error) {
	name, rerr := nmdaDatastore(p)
	if rerr != nil {
		return "", nil, rerr
	}
	switch {
	case name == dsIntended && param == "source":
		return datastore.Running, nil, nil
	case name == datastore.Running || name == datastore.Candidate || name == datastore.Startup:
		return name, nil, nil
	}
	return "", nil, protocolInvalid(p.Path(), "datastore %s cannot be the %s of this operation", p.Value.Str, param)
}

// nmdaCapabilities are the capabilities of RFC 8526 and the RFC 7950 yang-library:1.0 one
// the server announces beside yang-library:1.1: with-operational-defaults when get-data is
// served (same modes as :with-defaults), and yang-library:1.0 with /modules-state's
// module-set-id when the library module has /modules-state.
func (srv *Server) nmdaCapabilities() []string {
	var caps []string
	sch := srv.Store.Schema()
	if m := sch.ModuleByNamespace(nsNMDA); m != nil && sch.RPC(m, "get-data") != nil {
		caps = append(caps, netconf.CapWithOperationalDefaults+"?basic-mode=explicit&also-supported=report-all,report-all-tagged,trim")
	}
	if stateNode(sch, nsYangLibrary, "modules-state") != nil {
		caps = append(caps, netconf.YangLibrary10Capability(srv.contentID()))
	}
	return caps
}
