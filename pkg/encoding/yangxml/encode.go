package yangxml

import (
	"fmt"
	"strconv"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/schema"
)

// EncodeOptions configures Marshal and Append. The zero value writes compact canonical XML
// without a wrapper.
type EncodeOptions struct {
	// Wrapper, when set ("config", "data"), wraps the output in that element of the NETCONF base
	// namespace.
	Wrapper string
	// SkipDefaults leaves out nodes marked Default (with-defaults trim, RFC 6243).
	SkipDefaults bool
	// Indent, when set, puts each element on its own line, indented by Indent per level.
	Indent string
	// Schema resolves the module names inside instance-identifier values. When nil, the modules
	// are looked up among those the encoded tree's nodes belong to and import.
	Schema *schema.Schema
}

// Marshal encodes a data tree (or a subtree: n itself is then the top-level element) as XML
// in canonical form: children in schema order, list keys first in key order, a default-namespace
// declaration on each top-level element and where the module changes, no element prefixes;
// identityref and instance-identifier values carry prefixes declared on their own element.
func Marshal(n *data.Node, opts EncodeOptions) ([]byte, error) {
	return Append(nil, n, opts)
}

// Append is Marshal appending to dst.
func Append(dst []byte, n *data.Node, opts EncodeOptions) ([]byte, error) {
	e := &encoder{b: dst, o: opts}
	depth := 0
	if opts.Wrapper != "" {
		e.b = append(e.b, '<')
		e.b = append(e.b, opts.Wrapper...)
		e.b = append(e.b, ` xmlns="`...)
		e.b = append(e.b, BaseNamespace...)
		e.b = append(e.b, '"')
		if n.IsRoot() && !e.hasOutput(n) {
			e.b = append(e.b, "/>"...)
			return e.finish(), e.err
		}
		e.b = append(e.b, '>')
		depth = 1
	}
	if n.IsRoot() {
		for _, c := range n.Children() {
			e.node(c, nil, depth)
		}
	} else {
		e.node(n, nil, depth)
	}
	if opts.Wrapper != "" {
		e.newline(0)
		e.b = append(e.b, "</"...)
		e.b = append(e.b, opts.Wrapper...)
		e.b = append(e.b, '>')
	}
	return e.finish(), e.err
}

type encoder struct {
	b    []byte
	o    EncodeOptions
	err  error
	mods map[string]*schema.Module
}

func (e *encoder) finish() []byte {
	if e.o.Indent != "" && len(e.b) > 0 {
		e.b = append(e.b, '\n')
	}
	return e.b
}

func (e *encoder) hasOutput(n *data.Node) bool {
	for _, c := range n.Children() {
		if !(e.o.SkipDefaults && c.Default) {
			return true
		}
	}
	return false
}

func (e *encoder) newline(depth int) {
	if e.o.Indent == "" || len(e.b) == 0 {
		return
	}
	e.b = append(e.b, '\n')
	for i := 0; i < depth; i++ {
		e.b = append(e.b, e.o.Indent...)
	}
}

func (e *encoder) node(n *data.Node, parentMod *schema.Module, depth int) {
	if e.o.SkipDefaults && n.Default {
		return
	}
	sn := n.Schema
	e.newline(depth)
	e.b = append(e.b, '<')
	e.b = append(e.b, sn.Name...)
	if sn.Module != parentMod {
		e.b = append(e.b, ` xmlns="`...)
		e.b = escapeAttr(e.b, sn.Module.Namespace)
		e.b = append(e.b, '"')
	}
	switch sn.Kind {
	case schema.KindLeaf, schema.KindLeafList:
		e.value(n)
	case schema.KindAnydata, schema.KindAnyxml:
		if n.Value.Str == "" {
			e.b = append(e.b, "/>"...)
			return
		}
		e.b = append(e.b, '>')
		e.b = append(e.b, n.Value.Str...)
		e.b = append(e.b, "</"...)
		e.b = append(e.b, sn.Name...)
		e.b = append(e.b, '>')
	default:
		if !e.hasOutput(n) {
			e.b = append(e.b, "/>"...)
			return
		}
		e.b = append(e.b, '>')
		cs := n.Children()
		if sn.Kind == schema.KindList && len(sn.Keys) > 0 {
			for _, k := range sn.Keys {
				if c := n.Child(k); c != nil {
					e.node(c, sn.Module, depth+1)
				}
			}
			for _, c := range cs {
				if !c.Schema.IsKey() || c.Schema.Parent != sn {
					e.node(c, sn.Module, depth+1)
				}
			}
		} else {
			for _, c := range cs {
				e.node(c, sn.Module, depth+1)
			}
		}
		e.newline(depth)
		e.b = append(e.b, "</"...)
		e.b = append(e.b, sn.Name...)
		e.b = append(e.b, '>')
	}
}

func (e *encoder) value(n *data.Node) {
	v := &n.Value
	if v.Ident != nil {
		p := v.Ident.Module.Prefix
		e.b = append(e.b, " xmlns:"...)
		e.b = append(e.b, p...)
		e.b = append(e.b, `="`...)
		e.b = escapeAttr(e.b, v.Ident.Module.Namespace)
		e.b = append(e.b, `">`...)
		e.b = append(e.b, p...)
		e.b = append(e.b, ':')
		e.b = escapeText(e.b, v.Ident.Name)
	} else if v.Type.ValueBase() == schema.InstanceIdentifier && v.Str != "" {
		e.instanceID(n)
	} else {
		if v.Str == "" {
			e.b = append(e.b, "/>"...)
			return
		}
		e.b = append(e.b, '>')
		e.b = escapeText(e.b, v.Str)
	}
	e.b = append(e.b, "</"...)
	e.b = append(e.b, n.Schema.Name...)
	e.b = append(e.b, '>')
}

// module returns the module with that name, for instance-identifier values.
func (e *encoder) module(name string, from *data.Node) *schema.Module {
	if e.o.Schema != nil {
		return e.o.Schema.Module(name)
	}
	if e.mods == nil {
		e.mods = map[string]*schema.Module{}
		root := from
		for root.Parent != nil {
			root = root.Parent
		}
		add := func(m *schema.Module) {
			if m != nil && e.mods[m.Name] == nil {
				e.mods[m.Name] = m
				for _, im := range m.Prefixes {
					if e.mods[im.Name] == nil {
						e.mods[im.Name] = im
					}
				}
			}
		}
		// The modules of the tree's top-level schema subtrees (augmenting modules included)
		// and what they import.
		var walk func(*schema.Node)
		walk = func(sn *schema.Node) {
			add(sn.Module)
			for _, c := range sn.Children {
				walk(c)
			}
		}
		for _, c := range root.Children() {
			if c.Schema != nil {
				walk(c.Schema)
			}
		}
	}
	return e.mods[name]
}

// instanceID writes an instance-identifier value (held in the RFC 7951 module-name form) with
// XML prefixes, every node name qualified (RFC 7950 section 9.13), declaring the prefixes on the
// element.
func (e *encoder) instanceID(n *data.Node) {
	s := n.Value.Str
	type decl struct {
		prefix string
		mod    *schema.Module
	}
	var decls []decl
	prefixOf := func(m *schema.Module) string {
		for _, d := range decls {
			if d.mod == m {
				return d.prefix
			}
		}
		p := m.Prefix
		for i := 1; ; i++ {
			clash := false
			for _, d := range decls {
				if d.prefix == p {
					clash = true
				}
			}
			if !clash {
				break
			}
			p = m.Prefix + strconv.Itoa(i)
		}
		decls = append(decls, decl{p, m})
		return p
	}
	var out []byte
	var cur *schema.Module
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\'' || c == '"':
			j := i + 1
			for j < len(s) && s[j] != c {
				j++
			}
			if j < len(s) {
				j++
			}
			out = append(out, s[i:j]...)
			i = j
		case c == '/' || c == '[':
			out = append(out, c)
			i++
			j := i
			for j < len(s) && (isNameByte(s[j]) || s[j] == ':') {
				j++
			}
			name := s[i:j]
			if name == "" || name[0] >= '0' && name[0] <= '9' || name == "." {
				out = append(out, name...)
				i = j
				continue
			}
			m := cur
			local := name
			for k := 0; k < len(name); k++ {
				if name[k] == ':' {
					m = e.module(name[:k], n)
					local = name[k+1:]
					if m == nil && e.err == nil {
						e.err = fmt.Errorf("yangxml: instance-identifier %q: unknown module %q", s, name[:k])
					}
					break
				}
			}
			if c == '/' {
				cur = m
			}
			if m != nil {
				out = append(out, prefixOf(m)...)
				out = append(out, ':')
			}
			out = append(out, local...)
			i = j
		default:
			out = append(out, c)
			i++
		}
	}
	for _, d := range decls {
		e.b = append(e.b, " xmlns:"...)
		e.b = append(e.b, d.prefix...)
		e.b = append(e.b, `="`...)
		e.b = escapeAttr(e.b, d.mod.Namespace)
		e.b = append(e.b, '"')
	}
	e.b = append(e.b, '>')
	e.b = escapeText(e.b, string(out))
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.'
}

// escapeText appends s escaped as XML character data: &, <, > and CR as references.
func escapeText(dst []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); i++ {
		var r string
		switch s[i] {
		case '&':
			r = "&amp;"
		case '<':
			r = "&lt;"
		case '>':
			r = "&gt;"
		case '\r':
			r = "&#13;"
		default:
			continue
		}
		dst = append(dst, s[start:i]...)
		dst = append(dst, r...)
		start = i + 1
	}
	return append(dst, s[start:]...)
}

// escapeAttr appends s escaped for a double-quoted attribute value.
func escapeAttr(dst []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); i++ {
		var r string
		switch s[i] {
		case '&':
			r = "&amp;"
		case '<':
			r = "&lt;"
		case '"':
			r = "&quot;"
		case '\t':
			r = "&#9;"
		case '\n':
			r = "&#10;"
		case '\r':
			r = "&#13;"
		default:
			continue
		}
		dst = append(dst, s[start:i]...)
		dst = append(dst, r...)
		start = i + 1
	}
	return append(dst, s[start:]...)
}
