package filter

import (
	"strings"

	"github.com/ncws/ncws/internal/xmltok"
	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
)

// maxDepth bounds the nesting of a subtree filter (the XML decoder's default limit).
const maxDepth = 1000

const xmlNamespace = "http://www.w3.org/XML/1998/namespace"

// role is the kind of a subtree filter node (RFC 6241 section 6.2).
type role uint8

const (
	selection role = iota
	containment
	contentMatch
)

// fnode is one element of a subtree filter.
type fnode struct {
	ns    string // namespace URI, "" when the element is in no namespace
	local string
	role  role
	// text is a content match node's trimmed text.
	text string
	// never is set when the element carries an attribute match expression, which no node of our
	// instance data can satisfy.
	never bool
	kids  []*fnode
	// targets are the schema nodes the element can match (given its parent's targets).
	targets []*schema.Node
	// values holds, per target of a content match node, the text's canonical form when it parses
	// with the target's type ("" and ok false otherwise).
	values []matchValue
	// keyed is set on a containment node for a keyed list when its content match children cover
	// every key of each target: entries are then looked up by key.
	keyed bool
	// hasSel is set when the node's children hold a selection or containment node.
	hasSel bool
	// decls are the namespace declarations in scope on a content match node, for identityref
	// values.
	decls []nsBinding
}

type matchValue struct {
	str    string
	parsed bool
}

// nsBinding is one namespace declaration in scope while parsing.
type nsBinding struct {
	prefix, uri string
}

// Subtree compiles a subtree filter (RFC 6241 section 6). content is the content of the <filter>
// element: its child elements, each carrying the namespace declarations in scope for it (what
// pkg/encoding/yangxml stores as the value of an anyxml node). Empty content (or only whitespace
// and comments) is the empty filter, which selects nothing. Content that is not well-formed XML
// (or uses an unbound prefix, or holds text outside the elements) is an invalid-value rpc-error.
func Subtree(content []byte, s *schema.Schema) (*Filter, *rpcerror.Error) {
	z := xmltok.New(content, maxDepth)
	z.SetAllowEmpty(true)
	var (
		ns    []nsBinding
		stack []*fnode
		marks []int // len(ns) at each open element
		texts [][]byte
		top   []*fnode
	)
	lookup := func(prefix string) (string, bool) {
		if prefix == "xml" {
			return xmlNamespace, true
		}
		for i := len(ns) - 1; i >= 0; i-- {
			if ns[i].prefix == prefix {
				return ns[i].uri, true
			}
		}
		return "", prefix == ""
	}
	fail := func(format string, args ...any) *rpcerror.Error {
		return rpcerror.InvalidValue("", "subtree filter: "+format, args...)
	}
	for {
		k, err := z.Next()
		if err != nil {
			return nil, fail("%v", err)
		}
		switch k {
		case xmltok.EOF:
			f := &Filter{s: s, top: top}
			resolve(f.top, nil, true, s)
			return f, nil
		case xmltok.StartElement:
			marks = append(marks, len(ns))
			attrs := z.Attrs()
			for _, a := range attrs {
				switch {
				case a.Prefix == nil && string(a.Local) == "xmlns":
					ns = append(ns, nsBinding{"", string(xmltok.AppendAttrValue(nil, a.Value))})
				case string(a.Prefix) == "xmlns":
					ns = append(ns, nsBinding{string(a.Local), string(xmltok.AppendAttrValue(nil, a.Value))})
				}
			}
			uri, ok := lookup(string(z.Prefix()))
			if !ok {
				return nil, fail("unbound namespace prefix %q in <%s>", z.Prefix(), z.QName())
			}
			n := &fnode{ns: uri, local: string(z.Local())}
			for _, a := range attrs {
				if a.Prefix == nil && string(a.Local) == "xmlns" || string(a.Prefix) == "xmlns" {
					continue
				}
				if a.Prefix == nil {
					n.never = true
					continue
				}
				auri, ok := lookup(string(a.Prefix))
				if !ok {
					return nil, fail("unbound namespace prefix %q in attribute %s:%s", a.Prefix, a.Prefix, a.Local)
				}
				if auri != xmlNamespace {
					n.never = true
				}
			}
			if len(stack) == 0 {
				top = append(top, n)
			} else {
				p := stack[len(stack)-1]
				p.kids = append(p.kids, n)
				p.role = containment
			}
			stack = append(stack, n)
			texts = append(texts, nil)
		case xmltok.EndElement:
			n := stack[len(stack)-1]
			if n.role != containment {
				n.text = strings.Trim(string(texts[len(texts)-1]), " \t\r\n")
				if n.text != "" {
					n.role = contentMatch
					n.values = nil
					// The declarations in scope, for identityref values.
					n.decls = append([]nsBinding(nil), ns...)
				}
			}
			stack = stack[:len(stack)-1]
			texts = texts[:len(texts)-1]
			ns = ns[:marks[len(marks)-1]]
			marks = marks[:len(marks)-1]
		case xmltok.Text, xmltok.CDATA:
			if len(stack) == 0 {
				if !xmltok.IsBlank(z.Text()) {
					return nil, fail("text outside the filter's elements")
				}
				continue
			}
			b := &texts[len(texts)-1]
			if k == xmltok.Text {
				*b = xmltok.AppendText(*b, z.Text())
			} else {
				t := strings.ReplaceAll(string(z.Text()), "\r\n", "\n")
				*b = append(*b, strings.ReplaceAll(t, "\r", "\n")...)
			}
		}
	}
}

// resolve fills the targets of the filter nodes fs whose parent element matched the schema nodes
// parents (top: fs are the filter's top-level elements), and the parsed values of content match
// nodes.
func resolve(fs []*fnode, parents []*schema.Node, top bool, s *schema.Schema) {
	for _, n := range fs {
		var cands []*schema.Node
		if top {
			if s != nil {
				cands = s.TopNodes()
				// Notifications too, so that a filter of create-subscription (RFC 5277
				// section 2.1.1) selects events; data trees never hold them.
				for _, m := range s.Modules {
					cands = append(cands, m.Notifications...)
				}
			}
		} else {
			for _, p := range parents {
				switch p.Kind {
				case schema.KindContainer, schema.KindList:
					cands = append(cands, p.DataChildren()...)
					for _, c := range p.Children {
						if c.Kind == schema.KindNotification {
							cands = append(cands, c)
						}
					}
				case schema.KindNotification:
					cands = append(cands, p.DataChildren()...)
				}
			}
		}
		for _, c := range cands {
			if c.Name == n.local && (n.ns == "" || c.Module.Namespace == n.ns) {
				n.targets = append(n.targets, c)
			}
		}
		if n.role == contentMatch {
			n.values = make([]matchValue, len(n.targets))
			for i, t := range n.targets {
				n.values[i] = parseMatch(n, t, s)
			}
		}
		for _, k := range n.kids {
			if k.role != contentMatch {
				n.hasSel = true
			}
		}
		resolve(n.kids, n.targets, false, s)
		n.keyed = coversKeys(n)
	}
}

// parseMatch parses a content match node's text as a value of leaf or leaf-list t.
func parseMatch(n *fnode, t *schema.Node, s *schema.Schema) matchValue {
	if t.Kind != schema.KindLeaf && t.Kind != schema.KindLeafList {
		return matchValue{}
	}
	r := func(prefix string) *schema.Module {
		for i := len(n.decls) - 1; i >= 0; i-- {
			if n.decls[i].prefix == prefix {
				if s == nil {
					return nil
				}
				return s.ModuleByNamespace(n.decls[i].uri)
			}
		}
		return nil
	}
	v, err := parseValue(t.Type, n.text, r)
	if err != nil {
		return matchValue{}
	}
	return matchValue{str: v.Str, parsed: true}
}

// parseValue is data.ParseValue, guarded so that a filter can never crash the server.
func parseValue(t *schema.Type, text string, r data.Resolver) (v data.Value, err *rpcerror.Error) {
	defer func() {
		if recover() != nil {
			v, err = data.Value{}, rpcerror.InvalidValue("", "value %q", text)
		}
	}()
	return data.ParseValue(t, text, r)
}

// coversKeys reports whether containment node n targets only keyed lists whose keys all have a
// parsed content match among n's children.
func coversKeys(n *fnode) bool {
	if n.role != containment || n.never || len(n.targets) == 0 {
		return false
	}
	for _, t := range n.targets {
		if t.Kind != schema.KindList || len(t.Keys()) == 0 {
			return false
		}
		for _, k := range t.Keys() {
			if _, ok := keyMatch(n, k); !ok {
				return false
			}
		}
	}
	return true
}

// keyMatch returns the canonical value a content match child of n requires for key leaf k.
func keyMatch(n *fnode, k *schema.Node) (string, bool) {
	for _, c := range n.kids {
		if c.role != contentMatch || c.never {
			continue
		}
		for i, t := range c.targets {
			if t == k && c.values[i].parsed {
				return c.values[i].str, true
			}
		}
	}
	return "", false
}
