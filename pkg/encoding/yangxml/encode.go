package yangxml

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/schema"
)

// EncodeOptions configures Marshal and Append. The zero value writes compact canonical XML
// without a wrapper.
type EncodeOptions struct {
	// Wrapper, when set ("config", "data"), wraps the output in that element of the NETCONF base
	// namespace.
	Wrapper string
	// WrapperNamespace, when set, is the wrapper element's namespace instead of the NETCONF
	// base namespace (get-data's <data> is in ietf-netconf-nmda's, RFC 8526 section 3.1.1).
	WrapperNamespace string
	// WithDefaults is how default data is written (RFC 6243); the zero value writes everything.
	WithDefaults WithDefaults
	// SkipDefaults is the older spelling of WithDefaults: Explicit; it applies when WithDefaults
	// is ReportAll.
	SkipDefaults bool
	// Indent, when set, puts each element on its own line, indented by Indent per level.
	Indent string
	// Schema resolves the module names inside instance-identifier values. When nil, the modules
	// are looked up among those the encoded tree's nodes belong to and import.
	Schema *schema.Schema
	// Hide, when set, leaves out the nodes it reports (with their subtrees), as if they were
	// not in the tree: access control's silent omission of what a user may not read (RFC
	// 8341 section 3.4.5). It may be called more than once for a node and must be cheap.
	Hide func(n *data.Node) bool
	// Origin, when set, writes the 'origin' metadata annotation of ietf-origin (RFC 8342
	// section 7, encoded as RFC 7952 section 5.2 says): it returns the name of n's origin
	// identity ("intended", "learned" ...), or "" when n has none. The annotation
	// or:origin="or:NAME" is written on each element whose origin differs from the nearest
	// ancestor element's that has one (a node inherits its parent's), with the prefix "or"
	// declared on the wrapper element, or on each top-level element without a wrapper.
	Origin func(n *data.Node) string
	// Keep, when set, reports the non-presence containers to write even when nothing under
	// them is written: those a depth limit cut (get-data's max-depth), which the modes that
	// leave out empty containers would otherwise drop.
	Keep func(n *data.Node) bool
}

// OriginNamespace is the namespace of ietf-origin, the module of the origin annotation.
const OriginNamespace = "urn:ietf:params:xml:ns:yang:ietf-origin"

// WithDefaults is a with-defaults retrieval mode (RFC 6243 section 3): which default data the
// encoder writes. A node carries its schema default when it is marked data.Node.Default (the
// validator instantiated it) or, for the Trim and ReportAllTagged modes, when it is a leaf set to
// its schema default value or a leaf-list whose entries are exactly its schema defaults (RFC 6243
// section 3.4: a server considers any data node set to its schema default value a default node).
// Keys never carry defaults. In the modes that leave default nodes out, a non-presence container
// is written when any of its children is, whether or not it is marked Default, so state data
// under a container of configuration defaults is reported.
type WithDefaults uint8

// The with-defaults modes.
const (
	// ReportAll writes every node, Default-marked ones included (RFC 6243 section 3.1).
	ReportAll WithDefaults = iota
	// Explicit leaves out configuration nodes marked Default, the data the server created rather
	// than a client; non-configuration (state) nodes are always written (RFC 6243 section 3.3).
	Explicit
	// Trim leaves out Default-marked nodes and leaves and leaf-lists set to their schema default
	// (RFC 6243 section 3.2).
	Trim
	// ReportAllTagged writes every node and marks those that carry their schema default with the
	// attribute default="true" in the namespace urn:ietf:params:xml:ns:netconf:default:1.0
	// (RFC 6243 section 3.4), declared with the prefix "wd" on the wrapper element, or on each
	// top-level element without a wrapper.
	ReportAllTagged
)

// DefaultAttrNamespace is the namespace of the with-defaults default attribute (RFC 6243
// section 6).
const DefaultAttrNamespace = "urn:ietf:params:xml:ns:netconf:default:1.0"

var withDefaultsNames = [...]string{"report-all", "explicit", "trim", "report-all-tagged"}

// String returns the mode's name in the ietf-netconf-with-defaults module ("report-all" ...).
func (m WithDefaults) String() string {
	if int(m) < len(withDefaultsNames) {
		return withDefaultsNames[m]
	}
	return "WithDefaults(" + strconv.Itoa(int(m)) + ")"
}

// ParseWithDefaults returns the mode named s, the value of the with-defaults parameter of
// <get>, <get-config> and <copy-config> (RFC 6243 section 4.5.1).
func ParseWithDefaults(s string) (WithDefaults, bool) {
	for i, n := range withDefaultsNames {
		if n == s {
			return WithDefaults(i), true
		}
	}
	return ReportAll, false
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
	e := &encoder{b: dst, o: opts, mode: opts.WithDefaults}
	if e.mode == ReportAll && opts.SkipDefaults {
		e.mode = Explicit
	}
	depth := 0
	if opts.Wrapper != "" {
		e.b = append(e.b, '<')
		e.b = append(e.b, opts.Wrapper...)
		e.b = append(e.b, ` xmlns="`...)
		if opts.WrapperNamespace != "" {
			e.b = escapeAttr(e.b, opts.WrapperNamespace)
		} else {
			e.b = append(e.b, BaseNamespace...)
		}
		e.b = append(e.b, '"')
		if e.mode == ReportAllTagged {
			e.b = append(e.b, ` xmlns:wd="`+DefaultAttrNamespace+`"`...)
			e.wdDeclared = true
		}
		if opts.Origin != nil {
			e.b = append(e.b, ` xmlns:or="`+OriginNamespace+`"`...)
			e.orDeclared = true
		}
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
	mode WithDefaults
	err  error
	mods map[string]*schema.Module
	// wdDeclared is set when the wrapper declares the wd prefix.
	wdDeclared bool
	// orDeclared is set when the wrapper declares the or prefix; origin is the origin the
	// element being written inherits, pendingOrigin the one to write on it (when not "").
	orDeclared            bool
	origin, pendingOrigin string
	// defaults caches the canonical default values of leaves and leaf-lists.
	defaults map[*schema.Node][]string
}

func (e *encoder) finish() []byte {
	if e.o.Indent != "" && len(e.b) > 0 {
		e.b = append(e.b, '\n')
	}
	return e.b
}

// hasOutput reports whether any child of n is written.
func (e *encoder) hasOutput(n *data.Node) bool {
	for _, c := range n.Children() {
		if e.writes(c) {
			return true
		}
	}
	return false
}

// writes reports whether n is written at all. In the explicit and trim modes a non-presence
// container is written when it has a child to write, whatever its Default mark says (the mark
// summarizes its children, which decide); default leaves and leaf-lists are not written, except
// non-configuration ones in the explicit mode (RFC 6243 section 3.3: the server sets state data,
// which is always reported).
func (e *encoder) writes(n *data.Node) bool {
	if e.o.Hide != nil && e.o.Hide(n) {
		return false
	}
	switch e.mode {
	case Explicit, Trim:
		if n.Schema.IsNPContainer() {
			return e.hasOutput(n) || e.o.Keep != nil && e.o.Keep(n)
		}
		if e.mode == Trim && e.isDefault(n) || e.mode == Explicit && n.Default && n.Schema.Config {
			return false
		}
	}
	return true
}

// isDefault reports whether leaf or leaf-list entry n holds its schema default: marked Default,
// or a leaf set to its default value, or a leaf-list entry of a leaf-list whose entries are
// exactly its defaults.
func (e *encoder) isDefault(n *data.Node) bool {
	if n.Default {
		return true
	}
	sn := n.Schema
	if len(sn.Default()) == 0 || (sn.Kind != schema.KindLeaf && sn.Kind != schema.KindLeafList) || sn.IsKey() {
		return false
	}
	defs := e.defaultValues(sn)
	if sn.Kind == schema.KindLeaf {
		return len(defs) == 1 && n.Value.Str == defs[0]
	}
	if n.Parent == nil {
		return false
	}
	entries := n.Parent.Instances(sn)
	if len(entries) != len(defs) {
		return false
	}
	for i, c := range entries {
		if c.Value.Str != defs[i] {
			return false
		}
	}
	return true
}

// defaultValues returns the canonical forms of the defaults of leaf or leaf-list sn.
func (e *encoder) defaultValues(sn *schema.Node) []string {
	if v, ok := e.defaults[sn]; ok {
		return v
	}
	if e.defaults == nil {
		e.defaults = map[*schema.Node][]string{}
	}
	v := make([]string, len(sn.Default()))
	for i, d := range sn.Default() {
		v[i] = CanonicalDefault(sn, d)
	}
	e.defaults[sn] = v
	return v
}

// CanonicalDefault returns the canonical form of default value text d of leaf or leaf-list sn:
// the value parsed with the node's type, prefixes (identityref) resolved as in sn's module.
// Text that does not parse is returned as is.
func CanonicalDefault(sn *schema.Node, d string) (s string) {
	if sn.Type == nil || sn.Module == nil {
		return d
	}
	defer func() {
		if recover() != nil {
			s = d
		}
	}()
	mod := sn.Module
	v, err := data.ParseValue(sn.Type, d, func(prefix string) *schema.Module {
		if prefix == "" {
			return mod
		}
		return mod.Prefixes[prefix]
	})
	if err != nil {
		return d
	}
	return v.Str
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
	if e.mode != ReportAll && e.mode != ReportAllTagged && !e.writes(n) {
		return
	}
	if (e.mode == ReportAll || e.mode == ReportAllTagged) && e.o.Hide != nil && e.o.Hide(n) {
		return
	}
	sn := n.Schema
	name := sn.Name
	if (sn.Kind == schema.KindInput || sn.Kind == schema.KindOutput) && sn.Parent != nil {
		// An operation's parameters are written inside the operation's element (RFC 7950
		// sections 7.14.2 and 7.15.2).
		name = sn.Parent.Name
	}
	e.grow()
	e.newline(depth)
	e.b = append(e.b, '<')
	e.b = append(e.b, name...)
	if sn.Module != parentMod {
		e.b = append(e.b, ` xmlns="`...)
		e.b = escapeAttr(e.b, sn.Module.Namespace)
		e.b = append(e.b, '"')
	}
	if parentMod == nil && e.mode == ReportAllTagged && !e.wdDeclared {
		e.b = append(e.b, ` xmlns:wd="`+DefaultAttrNamespace+`"`...)
	}
	if e.o.Origin != nil {
		if parentMod == nil && !e.orDeclared {
			e.b = append(e.b, ` xmlns:or="`+OriginNamespace+`"`...)
		}
		inherited := e.origin
		if parentMod == nil {
			inherited = ""
		}
		if o := e.o.Origin(n); o != "" && o != inherited {
			e.pendingOrigin = o
			defer func(saved string) { e.origin = saved }(e.origin)
			e.origin = o
		} else if parentMod == nil {
			defer func(saved string) { e.origin = saved }(e.origin)
			e.origin = ""
		}
	}
	switch sn.Kind {
	case schema.KindLeaf, schema.KindLeafList:
		e.value(n, e.mode == ReportAllTagged && e.isDefault(n))
	case schema.KindAnydata, schema.KindAnyxml:
		e.originAttr(nil)
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
		e.originAttr(nil)
		if !e.hasOutput(n) {
			e.b = append(e.b, "/>"...)
			return
		}
		e.b = append(e.b, '>')
		cs := n.Children()
		if sn.Kind == schema.KindList && len(sn.Keys()) > 0 {
			for _, k := range sn.Keys() {
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
		e.b = append(e.b, name...)
		e.b = append(e.b, '>')
	}
}

// value writes the rest of a leaf or leaf-list element: namespace declarations for the value,
// the with-defaults default attribute when tag is set, and the value.
func (e *encoder) value(n *data.Node, tag bool) {
	v := &n.Value
	if id := v.Identity(); id != nil {
		p := id.Module.Prefix
		e.b = append(e.b, " xmlns:"...)
		e.b = append(e.b, p...)
		e.b = append(e.b, `="`...)
		e.b = escapeAttr(e.b, id.Module.Namespace)
		e.b = append(e.b, '"')
		if tag {
			e.defaultAttr([]string{p})
		}
		e.originAttr([]string{p})
		e.b = append(e.b, '>')
		e.b = append(e.b, p...)
		e.b = append(e.b, ':')
		e.b = escapeText(e.b, id.Name)
	} else if v.Type.ValueBase() == schema.InstanceIdentifier && v.Str != "" || data.IsNodeInstanceID(v.Type) && v.Str != "" && v.Str != "/" {
		e.instanceID(n, tag)
	} else if isXPath(v.Type) && strings.IndexByte(v.Str, ':') >= 0 {
		own := e.xpathDecls(n)
		if tag {
			e.defaultAttr(own)
		}
		e.originAttr(own)
		e.b = append(e.b, '>')
		e.b = escapeText(e.b, v.Str)
	} else {
		if tag {
			e.defaultAttr(nil)
		}
		e.originAttr(nil)
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

// defaultAttr writes the with-defaults attribute default="true". The prefix wd is declared on the
// wrapper or the top-level element; when the element itself binds wd to something else (one of
// the prefixes in own, for its value), another prefix is declared for the attribute.
func (e *encoder) defaultAttr(own []string) {
	p := "wd"
	for i := 1; contains(own, p); i++ {
		p = "wd" + strconv.Itoa(i)
	}
	if p != "wd" {
		e.b = append(e.b, " xmlns:"...)
		e.b = append(e.b, p...)
		e.b = append(e.b, `="`+DefaultAttrNamespace+`"`...)
	}
	e.b = append(e.b, ' ')
	e.b = append(e.b, p...)
	e.b = append(e.b, `:default="true"`...)
}

// originAttr writes the pending origin annotation, if any: or:origin="or:NAME", with another
// prefix declared on the element when it binds or to something else (one of the prefixes in
// own, for its value).
func (e *encoder) originAttr(own []string) {
	o := e.pendingOrigin
	if o == "" {
		return
	}
	e.pendingOrigin = ""
	p := "or"
	for i := 1; contains(own, p); i++ {
		p = "or" + strconv.Itoa(i)
	}
	if p != "or" {
		e.b = append(e.b, " xmlns:"...)
		e.b = append(e.b, p...)
		e.b = append(e.b, `="`+OriginNamespace+`"`...)
	}
	e.b = append(e.b, ' ')
	e.b = append(e.b, p...)
	e.b = append(e.b, ":origin=\""...)
	e.b = append(e.b, p...)
	e.b = append(e.b, ':')
	e.b = escapeAttr(e.b, o)
	e.b = append(e.b, '"')
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
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

// isXPath reports whether t is ietf-yang-types' xpath1.0 (used directly).
func isXPath(t *schema.Type) bool {
	return t != nil && t.Typedef == "xpath1.0" && t.Module != nil && t.Module.Name == "ietf-yang-types"
}

// xpathDecls declares, on the element being written, the prefixes of an xpath1.0 value that
// are module names (the form the server keeps XPath expressions in, RFC 7951's), so that the
// expression stays usable where it is read (RFC 6991: its prefixes are those in scope). It
// returns the prefixes declared.
func (e *encoder) xpathDecls(n *data.Node) []string {
	s := n.Value.Str
	var declared []string
	for i := 0; i < len(s); {
		c := s[i]
		if c == '\'' || c == '"' {
			j := strings.IndexByte(s[i+1:], c)
			if j < 0 {
				break
			}
			i += j + 2
			continue
		}
		if !isNameStartByte(c) || (i > 0 && isNCNameByte(s[i-1])) {
			i++
			continue
		}
		j := i
		for j < len(s) && isNCNameByte(s[j]) {
			j++
		}
		name := s[i:j]
		if j+1 < len(s) && s[j] == ':' && s[j+1] != ':' && !contains(declared, name) {
			if m := e.module(name, n); m != nil {
				e.b = append(e.b, " xmlns:"...)
				e.b = append(e.b, name...)
				e.b = append(e.b, `="`...)
				e.b = escapeAttr(e.b, m.Namespace)
				e.b = append(e.b, '"')
				declared = append(declared, name)
			}
		}
		i = j
	}
	return declared
}

func isNameStartByte(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80
}

// isNCNameByte reports whether c may continue an NCName (any byte of a multi-byte rune does).
func isNCNameByte(c byte) bool {
	return isNameStartByte(c) || c == '-' || c == '.' || (c >= '0' && c <= '9')
}

// instanceID writes an instance-identifier value (held in the RFC 7951 module-name form) with
// XML prefixes, every node name qualified (RFC 7950 section 9.13), declaring the prefixes on the
// element.
func (e *encoder) instanceID(n *data.Node, tag bool) {
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
	var own []string
	for _, d := range decls {
		e.b = append(e.b, " xmlns:"...)
		e.b = append(e.b, d.prefix...)
		e.b = append(e.b, `="`...)
		e.b = escapeAttr(e.b, d.mod.Namespace)
		e.b = append(e.b, '"')
		own = append(own, d.prefix)
	}
	if tag {
		e.defaultAttr(own)
	}
	e.originAttr(own)
	e.b = append(e.b, '>')
	e.b = escapeText(e.b, string(out))
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.'
}

// grow doubles the buffer when it is nearly full. append grows a large slice by about a quarter
// at a time, so that a 5.5 MB reply (get-config of 100k entries) cost 35 MB of allocations, and
// the garbage collector's work with it; doubling makes it about twice the reply. A small buffer
// is left to append, which doubles those itself: taking 4 KiB of room up front cost every
// small reply (a get-config of a few hundred bytes) a 4.6 KB allocation cleared to zero.
func (e *encoder) grow() {
	const room = 4 << 10
	if cap(e.b) < 4*room || cap(e.b)-len(e.b) >= room {
		return
	}
	b := make([]byte, len(e.b), 2*cap(e.b)+room)
	copy(b, e.b)
	e.b = b
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
