package server

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/xpath"
)

// Partial locks (RFC 5717): <partial-lock> locks the nodes of running its select expressions
// pick, <partial-unlock> releases them; the store keeps the locks and refuses what conflicts
// with them (datastore.Store.PartialLockRunning).

const (
	nsPartialLock = "urn:ietf:params:xml:ns:netconf:partial-lock:1.0"
	// CapPartialLock is the capability of RFC 5717 section 2.3.
	capPartialLock = "urn:ietf:params:netconf:capability:partial-lock:1.0"
)

// partialLockModule returns the ietf-netconf-partial-lock module of the schema, nil if absent.
func (srv *Server) partialLockModule() *schema.Module {
	return srv.Store.Schema().ModuleByNamespace(nsPartialLock)
}

func (srv *Server) opPartialLock(ctx context.Context, req *Request) (*data.Node, error) {
	var selects []*data.Node
	for _, c := range req.Input.Children() {
		if c.Schema.Name == "select" {
			selects = append(selects, c)
		}
	}
	if len(selects) == 0 {
		return nil, rpcerror.MissingElement(rpcerror.Protocol, "select", req.Input.Path(), "missing parameter \"select\"")
	}
	c := callOf(ctx)
	var scopes []map[string]string
	if c.m != nil {
		scopes = selectScopes(c.m.Operation())
	}
	type compiled struct {
		expr *xpath.Expr
		text string
	}
	var exprs []compiled
	var texts []string
	sch := srv.Store.Schema()
	for i, p := range selects {
		var ns map[string]string
		if i < len(scopes) {
			ns = scopes[i]
		}
		e, rerr := compileSelect(p.Value.Str, ns, sch)
		if rerr != nil {
			rerr.Path = p.Path()
			return nil, rerr
		}
		exprs = append(exprs, compiled{e, p.Value.Str})
		texts = append(texts, withModuleNames(p.Value.Str, ns, sch))
	}
	acc := c.access()
	pl, errs := srv.Store.PartialLockRunning(req.Who, texts, func(running *data.Node) ([]*data.Node, rpcerror.List) {
		// What the user may not read is not there to select (RFC 8341 section 3.4.5).
		root := readable(running, acc)
		var nodes []*data.Node
		for i, e := range exprs {
			v, err := evalSelect(e.expr, root)
			if err != nil {
				return nil, rpcerror.List{xpathError(selects[i].Path(), e.text, err)}
			}
			if v.Kind() != xpath.NodeSet {
				return nil, rpcerror.List{notNodeSet(selects[i].Path(), e.text, v.Kind())}
			}
			nodes = append(nodes, v.Nodes()...)
		}
		return nodes, nil
	})
	if len(errs) > 0 {
		return nil, errs
	}
	out := data.New(outputOf(req.RPC))
	b := &builder{sch: sch}
	b.leaf(out, "lock-id", strconv.FormatUint(uint64(pl.ID), 10))
	for _, l := range pl.Nodes {
		b.leaf(out, "locked-node", l.Path())
	}
	if b.err != nil {
		return nil, b.err
	}
	return out, nil
}

func (srv *Server) opPartialUnlock(ctx context.Context, req *Request) (*data.Node, error) {
	p := param(req.Input, "lock-id")
	if p == nil {
		return nil, rpcerror.MissingElement(rpcerror.Protocol, "lock-id", req.Input.Path(), "missing parameter \"lock-id\"")
	}
	id, _ := strconv.ParseUint(p.Value.Str, 10, 32)
	if errs := srv.Store.PartialUnlock(req.Who, uint32(id)); len(errs) > 0 {
		for _, e := range errs {
			if e.Path == "" {
				e.Path = p.Path()
			}
		}
		return nil, errs
	}
	return nil, nil
}

// selectScopes returns, for each <select> element of a <partial-lock> operation element (op,
// a standalone document: netconf.RPC.Operation), in order, the namespace declarations in scope
// for it: the prefixes its XPath may use (RFC 5717 section 2.4.1).
func selectScopes(op []byte) []map[string]string {
	d := xml.NewDecoder(bytes.NewReader(op))
	var stack []map[string]string
	var out []map[string]string
	for {
		tok, err := d.RawToken()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				return out
			}
			return out
		}
		switch t := tok.(type) {
		case xml.StartElement:
			scope := map[string]string{}
			if len(stack) > 0 {
				for k, v := range stack[len(stack)-1] {
					scope[k] = v
				}
			}
			for _, a := range t.Attr {
				if a.Name.Space == "xmlns" {
					scope[a.Name.Local] = a.Value
				} else if a.Name.Space == "" && a.Name.Local == "xmlns" {
					scope[""] = a.Value
				}
			}
			stack = append(stack, scope)
			if len(stack) == 2 && t.Name.Local == "select" {
				ns := scope[t.Name.Space] // the element's own prefix, if any
				if t.Name.Space == "" {
					ns = scope[""]
				}
				if ns == nsPartialLock {
					out = append(out, scope)
				}
			}
		case xml.EndElement:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
	}
}

// withModuleNames rewrites expr with module names as prefixes (RFC 7951's form) where ns (the
// declarations it was written with) binds a prefix to a module of the schema: the form kept
// with a partial lock and shown in ietf-netconf-monitoring, whose encoder declares the module
// names it uses, so that a reader can evaluate it. Other prefixes are kept.
func withModuleNames(expr string, ns map[string]string, s *schema.Schema) string {
	out, err := xpath.RewritePrefixes(expr, func(p string) string {
		if m := s.ModuleByNamespace(ns[p]); m != nil && ns[p] != "" {
			return m.Name
		}
		return ""
	})
	if err != nil {
		return expr
	}
	return out
}

// compileSelect compiles a select expression with the prefixes of ns (prefix -> namespace); a
// namespace of no module of the schema is kept so that its names match no node.
func compileSelect(expr string, ns map[string]string, s *schema.Schema) (e *xpath.Expr, rerr *rpcerror.Error) {
	prefixes := schema.Prefixes{}
	for p, uri := range ns {
		if p == "" {
			continue
		}
		m := s.ModuleByNamespace(uri)
		if m == nil {
			m = &schema.Module{Name: uri, Namespace: uri}
		}
		prefixes[p] = m
	}
	defer func() {
		if recover() != nil {
			e, rerr = nil, rpcerror.InvalidValue("", "invalid XPath %q", expr)
		}
	}()
	e, err := xpath.Compile(expr, prefixes, nil, nil)
	if err != nil {
		return nil, xpathError("", expr, err)
	}
	return e, nil
}

// evalSelect evaluates a select expression with the document root as context node; a panic in
// the evaluator is an error, never a crash.
func evalSelect(e *xpath.Expr, root *data.Node) (v xpath.Value, err error) {
	defer func() {
		if recover() != nil {
			err = errors.New("internal error")
		}
	}()
	return e.Eval(root, nil)
}

func xpathError(path, expr string, err error) *rpcerror.Error {
	var xe *xpath.Error
	msg := "invalid XPath " + strconv.Quote(expr)
	if errors.As(err, &xe) {
		if xe.Pos >= 0 {
			msg += " at offset " + strconv.Itoa(xe.Pos)
		}
		msg += ": " + xe.Msg
	}
	return rpcerror.InvalidValue(path, "%s", msg)
}

// notNodeSet is the error of a select expression whose result is not a node-set (RFC 5717
// section 2.4.1: error-app-tag not-a-node-set).
func notNodeSet(path, expr string, k xpath.ValueKind) *rpcerror.Error {
	e := rpcerror.InvalidValue(path, "select %q evaluates to a %s, not a node-set", expr, k)
	e.AppTag = "not-a-node-set"
	return e
}

// partialLockState fills the partial-lock entries of running's locks in ietf-netconf-monitoring
// (RFC 6022 section 2.1.3); the global lock, when held, is shown instead (the two are cases of
// one choice).
func (srv *Server) partialLockState(b *builder, d *data.Node, locks []datastore.PartialLock) {
	if len(locks) == 0 {
		return
	}
	ls := b.entry(d, "locks")
	for _, pl := range locks {
		e := b.entry(ls, "partial-lock", strconv.FormatUint(uint64(pl.ID), 10))
		b.leaf(e, "locked-by-session", strconv.FormatUint(uint64(pl.Session), 10))
		b.leaf(e, "locked-time", timeString(pl.Time))
		for _, s := range pl.Select {
			b.leaf(e, "select", strings.TrimSpace(s))
		}
		for _, l := range pl.Nodes {
			b.leaf(e, "locked-node", l.Path())
		}
	}
}
