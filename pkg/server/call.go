package server

import (
	"context"
	"regexp"
	"sync"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/netconf"
	"github.com/ncws/ncws/pkg/rpcerror"
)

// call is the per-rpc state the built-in operations share with the session.
type call struct {
	s     *session
	attrs attrCapture
	// raw, when set, is the reply's content, used instead of encoding the output tree; after
	// replyBuffer, it is the whole reply but its end tag.
	raw     []byte
	inPlace bool
	// rawStart is the length of the reply's start tag in raw (after replyBuffer).
	rawStart int
	// end, when set, ends the session after the reply.
	end *netconf.CloseReason
	// after, when set, runs once a successful reply is written (a subscription starts
	// sending then).
	after func()
	// m is the request, for the operations that read more of it than the decoded input holds
	// (the prefixes of partial-lock's select and of get-data's xpath-filter: m.Operation()).
	m *netconf.RPC
	// acc is the user's access for this rpc, asked once (see access).
	acc     Access
	accDone bool
}

// access returns the access of the rpc's user (nil without access control), computed once per
// rpc: one snapshot of the rules for the whole request.
func (c *call) access() Access {
	if !c.accDone {
		c.acc, c.accDone = c.s.access(), true
	}
	return c.acc
}

type callKey struct{}

// newCall returns the state of rpc m, with acc, the access asked for it already (nil without
// access control): one snapshot of the rules for the whole request, asked once.
func (s *session) newCall(m *netconf.RPC, acc Access) *call {
	return &call{s: s, m: m, acc: acc, accDone: true}
}

func withCall(ctx context.Context, c *call) context.Context {
	return context.WithValue(ctx, callKey{}, c)
}

// replyBuffer returns the buffer to build raw in: the reply's start tag is in it already, so
// that the content is encoded in place (no copy of a large reply). The caller must set raw to
// what it appends to it.
func (c *call) replyBuffer(size int) []byte {
	c.inPlace = true
	b := netconf.AppendReplyStart(make([]byte, 0, size), c.m.Attrs)
	c.rawStart = len(b)
	return b
}

func callOf(ctx context.Context) *call {
	c, _ := ctx.Value(callKey{}).(*call)
	return c
}

// encodeOutput encodes the children of an rpc's output tree as the reply content.
func encodeOutput(out *data.Node, ctx context.Context) ([]byte, error) {
	if c := callOf(ctx); c.raw != nil || out == nil {
		return c.raw, nil
	}
	var b []byte
	var err error
	var o yangxml.EncodeOptions
	if c := callOf(ctx); c != nil && c.s != nil {
		// Instance-identifier values may name any module of the schema.
		o.Schema = c.s.srv.Store.Schema()
	}
	for _, n := range out.Children() {
		if b, err = yangxml.Append(b, n, o); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// attrCapture keeps the attributes of the input's nodes (the filter's type and select) and
// the namespaces of the prefixes an XPath select uses.
type attrCapture struct {
	attrs map[*data.Node][]yangxml.Attr
	ns    map[*data.Node]map[string]string
}

// The zero attrCapture is empty; its maps are made by the first attribute (most requests carry
// none).

// prefixRe returns the expression that finds the prefixes of names in an attribute's value,
// compiled on first use rather than when the program starts (every ncws command links the
// server; see journal's castagnoli).
func prefixRe() *regexp.Regexp {
	prefixOnce.Do(func() { prefixExpr = regexp.MustCompile(`([A-Za-z_][A-Za-z0-9_.-]*):[A-Za-z_*]`) })
	return prefixExpr
}

var (
	prefixOnce sync.Once
	prefixExpr *regexp.Regexp
)

func (a *attrCapture) hook(n *data.Node, at yangxml.Attr) *rpcerror.Error {
	if a.attrs == nil {
		a.attrs, a.ns = map[*data.Node][]yangxml.Attr{}, map[*data.Node]map[string]string{}
	}
	a.attrs[n] = append(a.attrs[n], at)
	if at.Local == "select" && at.Namespace == "" && at.Resolve != nil {
		m := map[string]string{}
		for _, sm := range prefixRe().FindAllStringSubmatch(at.Value, -1) {
			if mod := at.Resolve(sm[1]); mod != nil {
				m[sm[1]] = mod.Namespace
			}
		}
		a.ns[n] = m
	}
	return nil
}

// attr returns the value of n's unprefixed attribute name.
func (a *attrCapture) attr(n *data.Node, name string) (string, bool) {
	for _, at := range a.attrs[n] {
		if at.Local == name && at.Namespace == "" {
			return at.Value, true
		}
	}
	return "", false
}
