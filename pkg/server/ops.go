package server

import (
	"bytes"
	"context"
	"strconv"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/ncws/ncws/internal/filter"
	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/netconf"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
)

const (
	nsNetconf      = "urn:ietf:params:xml:ns:netconf:base:1.0"
	nsWithDefaults = "urn:ietf:params:xml:ns:yang:ietf-netconf-with-defaults"
	nsHistory      = "urn:ncws:yang:ncws-server"
)

// registerBuiltins installs the handlers of the RFC 6241 operations (and of ncws-commit-history's
// rollback) that the schema defines and that no Handle call replaced.
func (srv *Server) registerBuiltins() {
	sch := srv.Store.Schema()
	builtins := map[string]Handler{
		"get": srv.opGet, "get-config": srv.opGetConfig, "edit-config": srv.opEditConfig,
		"copy-config": srv.opCopyConfig, "delete-config": srv.opDeleteConfig,
		"lock": srv.targetOp(srv.Store.Lock), "unlock": srv.targetOp(srv.Store.Unlock), "close-session": srv.opCloseSession,
		"kill-session": srv.opKillSession, "commit": srv.opCommit, "discard-changes": srv.opDiscard,
		"cancel-commit": srv.opCancelCommit, "validate": srv.opValidate,
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	// The handlers installed here read their parameters' absence themselves; every other
	// handler gets its input with the defaults in place (RFC 7950 section 7.14.2).
	defer func() {
		for rpc, h := range srv.handlers {
			if h != nil && !srv.custom[rpc] {
				srv.builtin[rpc] = true
			}
		}
	}()
	if m := sch.ModuleByNamespace(nsNetconf); m != nil {
		for name, h := range builtins {
			if rpc := sch.RPC(m, name); rpc != nil && srv.handlers[rpc] == nil {
				srv.handlers[rpc] = h
			}
		}
	}
	if rpc := srv.createSubscriptionRPC(); rpc != nil && srv.handlers[rpc] == nil {
		srv.handlers[rpc] = srv.opCreateSubscription
	}
	if m := sch.ModuleByNamespace(nsMonitoring); m != nil {
		if rpc := sch.RPC(m, "get-schema"); rpc != nil && srv.handlers[rpc] == nil {
			srv.handlers[rpc] = srv.opGetSchema
		}
	}
	if m := sch.ModuleByNamespace(nsPartialLock); m != nil {
		if rpc := sch.RPC(m, "partial-lock"); rpc != nil && srv.handlers[rpc] == nil {
			srv.handlers[rpc] = srv.opPartialLock
		}
		if rpc := sch.RPC(m, "partial-unlock"); rpc != nil && srv.handlers[rpc] == nil {
			srv.handlers[rpc] = srv.opPartialUnlock
		}
	}
	if m := sch.ModuleByNamespace(nsHistory); m != nil {
		if rpc := sch.RPC(m, "rollback"); rpc != nil && srv.handlers[rpc] == nil {
			srv.handlers[rpc] = srv.opRollback
		}
	}
	srv.registerNMDA(sch)
}

// param returns the input parameter called name, nil if absent.
func param(in *data.Node, name string) *data.Node { return in.ChildByName(name) }

// datastoreParam reads a target or source container: the name of its one child.
func datastoreParam(in *data.Node, name string) (datastore.Name, *data.Node, *rpcerror.Error) {
	c := param(in, name)
	if c == nil || len(c.Children()) == 0 {
		return "", nil, rpcerror.MissingElement(rpcerror.Protocol, name, "", "missing parameter %q", name)
	}
	k := c.Children()[0]
	switch k.Schema.Name {
	case "running", "candidate", "startup":
		return datastore.Name(k.Schema.Name), nil, nil
	case "config":
		return "", k, nil
	case "datastore":
		// ietf-netconf-nmda's datastore of lock, unlock (target) and validate (source).
		return configDatastore(k, name)
	}
	e := rpcerror.OperationNotSupported("%s %q is not supported", name, k.Schema.Name)
	e.Type = rpcerror.Protocol
	return "", nil, e
}

// withDefaults reads the with-defaults parameter (RFC 6243 section 4.5.1); the basic mode is
// explicit.
func withDefaults(in *data.Node) (yangxml.WithDefaults, *rpcerror.Error) {
	for _, c := range in.Children() {
		if c.Schema.Name == "with-defaults" && c.Schema.Module.Namespace == nsWithDefaults {
			wd, ok := yangxml.ParseWithDefaults(c.Value.Str)
			if !ok {
				return 0, rpcerror.InvalidValue(c.Path(), "with-defaults mode %q is not supported", c.Value.Str)
			}
			return wd, nil
		}
	}
	return yangxml.Explicit, nil
}

// selector compiles the filter parameter; nil selects everything.
func (srv *Server) selector(ctx context.Context, in *data.Node) (*filter.Filter, *rpcerror.Error) {
	f := param(in, "filter")
	if f == nil {
		return nil, nil
	}
	attrs := &callOf(ctx).attrs
	typ, _ := attrs.attr(f, "type")
	switch typ {
	case "", "subtree":
		return filter.Subtree([]byte(f.Value.Str), srv.Store.Schema())
	case "xpath":
		sel, ok := attrs.attr(f, "select")
		if !ok {
			return nil, rpcerror.MissingAttribute(rpcerror.Protocol, "select", "filter")
		}
		return filter.XPath(sel, attrs.ns[f], srv.Store.Schema())
	}
	return nil, rpcerror.BadAttribute(rpcerror.Protocol, "type", "filter", "filter type %q is not supported", typ)
}

// readable returns root, or a copy without what acc hides when acc hides anything: a filter
// applies to what the user may read only, so that a content match cannot reveal a hidden
// value (RFC 8341 section 3.4.5).
func readable(root *data.Node, acc Access) *data.Node {
	if acc == nil || acc.ReadsAll() {
		return root
	}
	c := root.Clone()
	prune(c, acc)
	return c
}

func prune(n *data.Node, acc Access) {
	for _, c := range append([]*data.Node(nil), n.Children()...) {
		if acc.Hidden(c) {
			n.Remove(c)
			continue
		}
		prune(c, acc)
	}
}

// prunedSelector applies a filter to what the user may read.
type prunedSelector struct {
	f   *filter.Filter
	acc Access
}

func (p prunedSelector) Apply(root *data.Node) *data.Node { return p.f.Apply(readable(root, p.acc)) }
func (p prunedSelector) MaySelect(n *schema.Node) bool    { return p.f.MaySelect(n) }

// dataReply sets the reply to <data> holding tree, encoded with the with-defaults mode,
// without what the session's user may not read.
//
// hint names the kind of read (an unfiltered get-config of a datastore, an unfiltered get) whose
// last reply size sizes the buffer, "" for none: a reply of the whole configuration is about as
// large as the one before, and growing a buffer to 5.5 MB (100k entries) by appends allocates
// several times that.
func (srv *Server) dataReply(ctx context.Context, tree *data.Node, wd yangxml.WithDefaults, hint string) error {
	o := yangxml.EncodeOptions{Wrapper: "data", WithDefaults: wd, Schema: srv.Store.Schema()}
	return srv.encodeReply(ctx, tree, o, hint)
}

// encodeReply sets the reply to tree encoded with o (get's and get-config's <data>, get-data's),
// hiding what the session's user may not read; hint is dataReply's.
func (srv *Server) encodeReply(ctx context.Context, tree *data.Node, o yangxml.EncodeOptions, hint string) error {
	c := callOf(ctx)
	var b []byte
	var last *atomic.Int64
	if hint != "" {
		v, _ := srv.replyHints.LoadOrStore(hint, new(atomic.Int64))
		last = v.(*atomic.Int64)
	}
	if c != nil && c.s != nil {
		if acc := c.access(); acc != nil && !acc.ReadsAll() {
			o.Hide = acc.Hidden
			last = nil // what a user may read is not what the last reader could
		}
		size := 256
		if last != nil {
			size = max(size, int(min(last.Load(), maxReplyHint))*9/8)
		}
		b = c.replyBuffer(size)
	}
	b, err := yangxml.Append(b, tree, o)
	if err != nil {
		if c != nil {
			c.inPlace = false
		}
		return err
	}
	if last != nil {
		last.Store(int64(len(b)))
	}
	c.raw = b
	return nil
}

// cachedData is the encoded <data> of an unfiltered get-config, as of a store version.
type cachedData struct {
	version uint64
	body    []byte
}

// maxCachedData bounds the <data> configReply keeps: a large configuration is encoded for
// each read (its reply costs more to send than to encode), not held twice in memory.
const maxCachedData = 64 << 10

// configReply is dataReply for an unfiltered get-config of datastore name, whose tree root is
// as of the store's version. The encoded <data> depends only on the tree and the with-defaults
// mode when the user reads everything (no access control, or NACM rules that hide nothing,
// asked for this rpc): it is kept per datastore and mode and sent again while the store's
// version is the same (monitoring that polls an unchanged configuration), instead of encoding
// the tree again. Users whose replies NACM trims get theirs encoded each time.
func (srv *Server) configReply(ctx context.Context, name datastore.Name, root *data.Node, version uint64, wd yangxml.WithDefaults) error {
	c := callOf(ctx)
	var slot *atomic.Pointer[cachedData]
	if i := configIndex(name); i >= 0 && int(wd) < len(srv.configReplies[i]) && c != nil && c.s != nil {
		if acc := c.access(); acc == nil || acc.ReadsAll() {
			slot = &srv.configReplies[i][wd]
		}
	}
	if slot == nil {
		return srv.dataReply(ctx, root, wd, getConfigHint(name))
	}
	if d := slot.Load(); d != nil && d.version == version {
		c.raw = append(c.replyBuffer(len(d.body)+replyOverhead(c.m.Attrs)), d.body...)
		return nil
	}
	if err := srv.dataReply(ctx, root, wd, getConfigHint(name)); err != nil {
		return err
	}
	if body := c.raw[c.rawStart:]; len(body) <= maxCachedData {
		slot.Store(&cachedData{version: version, body: bytes.Clone(body)})
	} else {
		slot.Store(nil)
	}
	return nil
}

// configIndex numbers the configuration datastores for Server.configReplies (-1: another).
func configIndex(name datastore.Name) int {
	switch name {
	case datastore.Running:
		return 0
	case datastore.Candidate:
		return 1
	case datastore.Startup:
		return 2
	}
	return -1
}

// getConfigHint is the reply size hint of an unfiltered get-config of name (constants for the
// three configuration datastores: no string built per rpc).
func getConfigHint(name datastore.Name) string {
	switch name {
	case datastore.Running:
		return "get-config running"
	case datastore.Candidate:
		return "get-config candidate"
	case datastore.Startup:
		return "get-config startup"
	}
	return "get-config " + string(name)
}

// maxReplyHint bounds the buffer a reply size hint allocates up front.
const maxReplyHint = 256 << 20

func (srv *Server) opGetConfig(ctx context.Context, req *Request) (*data.Node, error) {
	name, _, rerr := datastoreParam(req.Input, "source")
	if rerr != nil {
		return nil, rerr
	}
	wd, rerr := withDefaults(req.Input)
	if rerr != nil {
		return nil, rerr
	}
	f, rerr := srv.selector(ctx, req.Input)
	if rerr != nil {
		return nil, rerr
	}
	var out *data.Node
	acc := callOf(ctx).access()
	err := srv.Store.ReadVersion(name, func(root *data.Node, version uint64) {
		if f != nil {
			out = f.Apply(readable(root, acc))
			return
		}
		// Encoding reads the tree under the read lock instead of copying it.
		if e := srv.configReply(ctx, name, root, version, wd); e != nil {
			srv.Logger.Error("server: encoding get-config failed", "err", e)
		}
	})
	if err != nil {
		return nil, rpcerror.OperationFailed("%s cannot be read", name)
	}
	if out != nil {
		return nil, srv.dataReply(ctx, out, wd, "")
	}
	return nil, nil
}

func (srv *Server) opGet(ctx context.Context, req *Request) (*data.Node, error) {
	wd, rerr := withDefaults(req.Input)
	if rerr != nil {
		return nil, rerr
	}
	f, rerr := srv.selector(ctx, req.Input)
	if rerr != nil {
		return nil, rerr
	}
	var sel datastore.Selector
	if f != nil {
		sel = f
		if acc := callOf(ctx).access(); acc != nil && !acc.ReadsAll() {
			sel = prunedSelector{f, acc}
		}
	}
	tree, errs := srv.Store.Operational(ctx, req.Who, sel)
	if len(errs) > 0 {
		return nil, errs
	}
	hint := ""
	if f == nil {
		hint = "get"
	}
	return nil, srv.dataReply(ctx, tree, wd, hint)
}

func (srv *Server) opEditConfig(ctx context.Context, req *Request) (*data.Node, error) {
	target, _, rerr := datastoreParam(req.Input, "target")
	if rerr != nil {
		return nil, rerr
	}
	var o datastore.EditOptions
	if p := param(req.Input, "default-operation"); p != nil {
		o.DefaultOperation = p.Value.Str
	}
	if p := param(req.Input, "test-option"); p != nil {
		o.TestOption = p.Value.Str
	}
	if p := param(req.Input, "error-option"); p != nil {
		o.ErrorOption = p.Value.Str
	}
	return srv.edit(ctx, req, target, param(req.Input, "config"), param(req.Input, "url"), o)
}

// edit applies the <config> (or, with :url on, the document at <url>; RFC 6241 section 8.8)
// of an edit-config or edit-data to target, and reports the change.
func (srv *Server) edit(ctx context.Context, req *Request, target datastore.Name, cfg, u *data.Node, o datastore.EditOptions) (*data.Node, error) {
	var content []byte
	if cfg != nil {
		// The edit only reads its input: no copy of what may be the whole configuration (a
		// bulk load's 30 MB).
		content = unsafe.Slice(unsafe.StringData(cfg.Value.Str), len(cfg.Value.Str))
	} else if u != nil {
		if !srv.urlEnabled() {
			return nil, urlNotEnabled()
		}
		var errs rpcerror.List
		if content, errs = srv.urlEdit(ctx, u); len(errs) > 0 {
			return nil, errs
		}
	} else {
		return nil, rpcerror.MissingElement(rpcerror.Protocol, "config", "", "missing parameter \"config\"")
	}
	since := srv.changeMark(target)
	if errs := srv.Store.Edit(ctx, req.Who, target, content, o); len(errs) > 0 {
		return nil, errs
	}
	srv.changed(req.Who, target, since)
	return nil, nil
}

func (srv *Server) opCopyConfig(ctx context.Context, req *Request) (*data.Node, error) {
	if urlParam(req.Input, "target") != nil || urlParam(req.Input, "source") != nil {
		if !srv.urlEnabled() {
			return nil, urlNotEnabled()
		}
		if tu := urlParam(req.Input, "target"); tu != nil {
			return nil, srv.copyToURL(ctx, req, tu)
		}
	}
	target, tcfg, rerr := datastoreParam(req.Input, "target")
	if rerr != nil {
		return nil, rerr
	}
	if tcfg != nil {
		return nil, rpcerror.InvalidValue("", "the target of copy-config must be a datastore")
	}
	var name datastore.Name
	var scfg *data.Node
	su := urlParam(req.Input, "source")
	if su == nil {
		if name, scfg, rerr = datastoreParam(req.Input, "source"); rerr != nil {
			return nil, rerr
		}
	}
	wd, rerr := withDefaults(req.Input)
	if rerr != nil {
		return nil, rerr
	}
	src := datastore.Source{Name: name, ReportDefaults: wd == yangxml.ReportAll || wd == yangxml.ReportAllTagged}
	if scfg != nil {
		src.Config = []byte(scfg.Value.Str)
	}
	if su != nil {
		cfg, errs := srv.urlConfig(ctx, su)
		if len(errs) > 0 {
			return nil, errs
		}
		src.Config = cfg
	}
	since := srv.changeMark(target)
	if errs := srv.Store.Copy(ctx, req.Who, target, src); len(errs) > 0 {
		return nil, errs
	}
	srv.changed(req.Who, target, since)
	return nil, nil
}

// targetOp is the handler of an operation whose only parameter is a target datastore
// (delete-config, lock, unlock).
func (srv *Server) targetOp(fn func(datastore.Who, datastore.Name) rpcerror.List) Handler {
	return func(ctx context.Context, req *Request) (*data.Node, error) {
		target, _, rerr := datastoreParam(req.Input, "target")
		if rerr != nil {
			return nil, rerr
		}
		if errs := fn(req.Who, target); len(errs) > 0 {
			return nil, errs
		}
		return nil, nil
	}
}

func (srv *Server) opCloseSession(ctx context.Context, req *Request) (*data.Node, error) {
	callOf(ctx).end = &netconf.CloseReason{Code: netconf.CloseNormal, Text: "close-session"}
	return nil, nil
}

func (srv *Server) opKillSession(ctx context.Context, req *Request) (*data.Node, error) {
	p := param(req.Input, "session-id")
	if p == nil {
		return nil, rpcerror.MissingElement(rpcerror.Protocol, "session-id", "", "missing parameter \"session-id\"")
	}
	id, _ := strconv.ParseUint(p.Value.Str, 10, 32)
	if uint32(id) == req.Who.Session {
		return nil, rpcerror.InvalidValue(p.Path(), "a session cannot kill itself; use close-session")
	}
	victim := srv.session(uint32(id))
	if victim == nil {
		return nil, rpcerror.InvalidValue(p.Path(), "no session %d", id)
	}
	victim.close(netconf.CloseReason{Code: netconf.CloseKilled, KilledBy: req.Who.Session,
		Text: "killed by session " + strconv.FormatUint(uint64(req.Who.Session), 10)})
	// The reply waits until the victim's locks and unconfirmed commit are released, not for
	// its connection to finish closing (a peer that stopped reading would hold it).
	victim.releaseWhenIdle(ctx)
	return nil, nil
}

func (srv *Server) opCommit(ctx context.Context, req *Request) (*data.Node, error) {
	var o datastore.CommitOptions
	o.Confirmed = param(req.Input, "confirmed") != nil
	if p := param(req.Input, "confirm-timeout"); p != nil {
		n, _ := strconv.ParseUint(p.Value.Str, 10, 32)
		o.Timeout = time.Duration(n) * time.Second
	}
	if p := param(req.Input, "persist"); p != nil {
		o.Persist = p.Value.Str
	}
	if p := param(req.Input, "persist-id"); p != nil {
		v := p.Value.Str
		o.PersistID = &v
	}
	pending := srv.Store.ConfirmPending()
	since := srv.changeMark(datastore.Running)
	if errs := srv.Store.Commit(ctx, req.Who, o); len(errs) > 0 {
		return nil, errs
	}
	srv.changed(req.Who, datastore.Running, since)
	switch {
	case o.Confirmed && pending:
		srv.confirmedCommit(req.Who, "extend", confirmTimeout(o.Timeout))
	case o.Confirmed:
		srv.confirmedCommit(req.Who, "start", confirmTimeout(o.Timeout))
	case pending:
		srv.confirmedCommit(req.Who, "complete", 0)
	}
	return nil, nil
}

func (srv *Server) opDiscard(ctx context.Context, req *Request) (*data.Node, error) {
	if errs := srv.Store.Discard(req.Who); len(errs) > 0 {
		return nil, errs
	}
	return nil, nil
}

func (srv *Server) opCancelCommit(ctx context.Context, req *Request) (*data.Node, error) {
	var id *string
	if p := param(req.Input, "persist-id"); p != nil {
		v := p.Value.Str
		id = &v
	}
	since := srv.changeMark(datastore.Running)
	if errs := srv.Store.CancelCommit(ctx, req.Who, id); len(errs) > 0 {
		return nil, errs
	}
	srv.confirmedCommit(req.Who, "cancel", 0)
	srv.changed(req.Who, datastore.Running, since)
	return nil, nil
}

func (srv *Server) opValidate(ctx context.Context, req *Request) (*data.Node, error) {
	if su := urlParam(req.Input, "source"); su != nil {
		if !srv.urlEnabled() {
			return nil, urlNotEnabled()
		}
		cfg, errs := srv.urlConfig(ctx, su)
		if len(errs) > 0 {
			return nil, errs
		}
		if errs := srv.Store.Validate(datastore.Source{Config: cfg}); len(errs) > 0 {
			return nil, errs
		}
		return nil, nil
	}
	name, cfg, rerr := datastoreParam(req.Input, "source")
	if rerr != nil {
		return nil, rerr
	}
	src := datastore.Source{Name: name}
	if cfg != nil {
		src.Config = []byte(cfg.Value.Str)
	}
	if errs := srv.Store.Validate(src); len(errs) > 0 {
		return nil, errs
	}
	return nil, nil
}

func (srv *Server) opRollback(ctx context.Context, req *Request) (*data.Node, error) {
	p := param(req.Input, "id")
	if p == nil {
		return nil, rpcerror.MissingElement(rpcerror.Protocol, "id", "", "missing parameter \"id\"")
	}
	id, _ := strconv.ParseUint(p.Value.Str, 10, 64)
	since := srv.changeMark(datastore.Running)
	if errs := srv.Store.Rollback(ctx, req.Who, id); len(errs) > 0 {
		return nil, errs
	}
	srv.changed(req.Who, datastore.Running, since)
	return nil, nil
}

// stateNode finds a top-level node of the schema by module namespace and name.
func stateNode(sch *schema.Schema, ns, name string) *schema.Node {
	m := sch.ModuleByNamespace(ns)
	if m == nil {
		return nil
	}
	return sch.Top(m, name)
}

// deleteConfig is delete-config, with its netconf-config-change event.
func (srv *Server) deleteConfig(who datastore.Who, target datastore.Name) rpcerror.List {
	if errs := srv.Store.Delete(who, target); len(errs) > 0 {
		return errs
	}
	srv.changed(who, target, 0)
	return nil
}

// changeMark is what changed needs to know which commits an operation on ds makes: running's
// newest commit before it.
func (srv *Server) changeMark(ds datastore.Name) uint64 {
	if ds != datastore.Running {
		return 0
	}
	return srv.lastCommit()
}

// changed sends netconf-config-change (RFC 6470 section 2.1) after an operation changed ds,
// when ds is running or startup.
func (srv *Server) changed(who datastore.Who, ds datastore.Name, since uint64) {
	if ds == datastore.Running || ds == datastore.Startup {
		srv.configChanged(who, ds, since)
	}
}

// confirmTimeout is the confirm-timeout in effect: the RFC 6241 default 600 s when 0.
func confirmTimeout(d time.Duration) time.Duration {
	if d <= 0 {
		return datastore.DefaultConfirmTimeout
	}
	return d
}

func (srv *Server) opDeleteConfig(ctx context.Context, req *Request) (*data.Node, error) {
	if u := urlParam(req.Input, "target"); u != nil {
		if !srv.urlEnabled() {
			return nil, urlNotEnabled()
		}
		t, e := srv.resolveURL(u)
		if e != nil {
			return nil, e
		}
		if e := srv.deleteURL(ctx, t); e != nil {
			return nil, e
		}
		return nil, nil
	}
	return srv.targetOp(srv.deleteConfig)(ctx, req)
}

// copyToURL is copy-config into a URL (RFC 6241 section 8.8.5.1): the source (a datastore,
// inline configuration or another URL), as much of it as the user may read, written as a
// <config> document.
func (srv *Server) copyToURL(ctx context.Context, req *Request, tu *data.Node) error {
	t, e := srv.resolveURL(tu)
	if e != nil {
		return e
	}
	wd, e := withDefaults(req.Input)
	if e != nil {
		return e
	}
	sch := srv.Store.Schema()
	var tree *data.Node
	if su := urlParam(req.Input, "source"); su != nil {
		cfg, errs := srv.urlConfig(ctx, su)
		if len(errs) > 0 {
			return errs
		}
		if tree, errs = yangxml.Unmarshal(cfg, sch, yangxml.DecodeOptions{Wrappers: []string{}, AllowEmpty: true}); len(errs) > 0 {
			return errs
		}
	} else {
		name, scfg, rerr := datastoreParam(req.Input, "source")
		if rerr != nil {
			return rerr
		}
		if scfg != nil {
			var errs rpcerror.List
			if tree, errs = yangxml.Unmarshal([]byte(scfg.Value.Str), sch, yangxml.DecodeOptions{Wrappers: []string{}, AllowEmpty: true, RejectState: true}); len(errs) > 0 {
				return errs
			}
		} else if err := srv.Store.Read(name, func(root *data.Node) { tree = root.Clone() }); err != nil {
			return rpcerror.List{unsupportedSource(name)}
		}
	}
	doc, err := yangxml.Marshal(readable(tree, callOf(ctx).access()), yangxml.EncodeOptions{Wrapper: "config", WithDefaults: wd, Schema: sch})
	if err != nil {
		srv.Logger.Error("server: encoding a configuration for a URL failed", "err", err)
		return rpcerror.OperationFailed("the configuration could not be encoded")
	}
	if e := srv.writeURL(ctx, t, doc); e != nil {
		return e
	}
	return nil
}

// unsupportedSource is the error of a source datastore the store does not have.
func unsupportedSource(name datastore.Name) *rpcerror.Error {
	return rpcerror.InvalidValue("", "datastore %q is not supported here", name)
}
