package xpath

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/schema"
)

// maxDerefDepth bounds nested deref() evaluation (a leafref path using deref on a leafref ...).
const maxDerefDepth = 32

func fnCurrent(c *evalCtx, f *funcExpr) (Value, error) {
	if c.current == nil {
		return nodesVal(nil), nil
	}
	return nodesVal([]xnode{{n: c.current}}), nil
}

// prepareReMatch compiles a literal pattern once, at compile time.
func prepareReMatch(p *parser, f *funcExpr) error {
	if lit, ok := f.args[1].(*literalExpr); ok {
		re, err := compilePattern(lit.s)
		if err != nil {
			return errAt(f.pos, "re-match(): invalid "+err.Error())
		}
		f.static = re
	}
	return nil
}

func fnReMatch(c *evalCtx, f *funcExpr) (Value, error) {
	vs, err := args(c, f)
	if err != nil {
		return Value{}, err
	}
	re, _ := f.static.(*regexp.Regexp)
	if re == nil {
		pat := vs[1].String()
		if cached, ok := c.e.regexps.Load(pat); ok {
			re = cached.(*regexp.Regexp)
		} else {
			re, err = compilePattern(pat)
			if err != nil {
				return Value{}, c.errorf("re-match(): invalid %v", err)
			}
			c.e.regexps.Store(pat, re)
		}
	}
	return boolVal(re.MatchString(vs[0].String())), nil
}

// staticIdentity is derived-from's second argument resolved at compile time (id or err).
type staticIdentity struct {
	id  *schema.Identity
	err string
}

func prepareDerivedFrom(p *parser, f *funcExpr) error {
	if lit, ok := f.args[1].(*literalExpr); ok {
		id, err := resolveIdentity(lit.s, p.prefixes, p.mod)
		st := &staticIdentity{id: id}
		if err != nil {
			// libyang reports this when evaluating, not when compiling the schema.
			st.err = err.Error()
		}
		f.static = st
	}
	return nil
}

// resolveIdentity resolves "prefix:name" (or "name", in mod) through prefixes.
func resolveIdentity(s string, prefixes schema.Prefixes, mod *schema.Module) (*schema.Identity, error) {
	prefix, name, found := strings.Cut(s, ":")
	if !found {
		prefix, name = "", s
	}
	m := mod
	if prefix != "" {
		m = prefixes[prefix]
		if m == nil && mod != nil && len(prefixes) == 0 {
			if mod.Prefix == prefix {
				m = mod
			} else {
				m = mod.Prefixes[prefix]
			}
		}
		if m == nil {
			return nil, fmt.Errorf("unknown prefix %q in identity %q", prefix, s)
		}
	}
	if m == nil {
		return nil, fmt.Errorf("identity %q has no prefix and the expression no module", s)
	}
	id := m.Identity(name)
	if id == nil {
		return nil, fmt.Errorf("identity %q not found in module %q", name, m.Name)
	}
	return id, nil
}

func derivedFrom(c *evalCtx, f *funcExpr, orSelf bool) (Value, error) {
	ns, err := nodeArg(c, f, 0)
	if err != nil {
		return Value{}, err
	}
	var base *schema.Identity
	if st, ok := f.static.(*staticIdentity); ok {
		if st.err != "" {
			return Value{}, c.errorf("%s(): %s", f.name, st.err)
		}
		base = st.id
	} else {
		v, err := eval(c, f.args[1])
		if err != nil {
			return Value{}, err
		}
		if base, err = resolveIdentity(v.String(), c.e.prefixes, c.e.mod); err != nil {
			return Value{}, c.errorf("%s(): %v", f.name, err)
		}
	}
	for _, x := range ns {
		id := x.n.Value.Identity()
		if x.n.Schema == nil || id == nil {
			continue
		}
		if id.DerivedFrom(base) || orSelf && id == base {
			return boolVal(true), nil
		}
	}
	return boolVal(false), nil
}

func fnDerivedFrom(c *evalCtx, f *funcExpr) (Value, error) { return derivedFrom(c, f, false) }
func fnDerivedFromOrSelf(c *evalCtx, f *funcExpr) (Value, error) {
	return derivedFrom(c, f, true)
}

// valueType returns the type of the value held by leaf n (a union's matching member).
func valueType(n *data.Node) *schema.Type {
	if n.Value.Type != nil {
		return n.Value.Type
	}
	if n.Schema != nil {
		return n.Schema.Type
	}
	return nil
}

// firstValueNode returns the first node of ns if it is a leaf or leaf-list entry.
func firstValueNode(ns []xnode) *data.Node {
	if len(ns) == 0 || !isValueNode(ns[0].n) {
		return nil
	}
	return ns[0].n
}

func fnEnumValue(c *evalCtx, f *funcExpr) (Value, error) {
	ns, err := nodeArg(c, f, 0)
	if err != nil {
		return Value{}, err
	}
	n := firstValueNode(ns)
	if n == nil {
		return numVal(nan()), nil
	}
	t := valueType(n)
	for t != nil && t.Base == schema.Leafref && t.Target != nil {
		t = valueType(&data.Node{Schema: t.Target})
	}
	if t == nil || t.Base != schema.Enumeration {
		return numVal(nan()), nil
	}
	if e, ok := t.EnumByName(n.Value.Str); ok {
		return numVal(float64(e.Value)), nil
	}
	return numVal(float64(n.Value.Num().Int())), nil
}

func fnBitIsSet(c *evalCtx, f *funcExpr) (Value, error) {
	ns, err := nodeArg(c, f, 0)
	if err != nil {
		return Value{}, err
	}
	v, err := eval(c, f.args[1])
	if err != nil {
		return Value{}, err
	}
	n := firstValueNode(ns)
	if n == nil {
		return boolVal(false), nil
	}
	t := valueType(n)
	for t != nil && t.Base == schema.Leafref && t.Target != nil {
		t = valueType(&data.Node{Schema: t.Target})
	}
	if t == nil || t.Base != schema.Bits {
		return boolVal(false), nil
	}
	bit := v.String()
	for _, b := range strings.Fields(n.Value.Str) {
		if b == bit {
			return boolVal(true), nil
		}
	}
	return boolVal(false), nil
}

// fnDeref follows the first node of its argument: a leafref to the target instances holding the
// same value, an instance-identifier to the node it names (RFC 7950 section 10.3.1).
func fnDeref(c *evalCtx, f *funcExpr) (Value, error) {
	ns, err := nodeArg(c, f, 0)
	if err != nil {
		return Value{}, err
	}
	n := firstValueNode(ns)
	if n == nil {
		return nodesVal(nil), nil
	}
	if c.depth >= maxDerefDepth {
		return Value{}, c.errorf("deref(): nested too deeply")
	}
	t := valueType(n)
	if t == nil {
		return nodesVal(nil), nil
	}
	switch t.Base {
	case schema.Leafref:
		pe, err := c.e.leafrefPath(t, n.Schema)
		if err != nil {
			return Value{}, c.errorf("deref(): %v", err)
		}
		sub := &evalCtx{e: pe, node: xnode{n: n}, pos: 1, size: 1, current: n, depth: c.depth + 1}
		v, err := eval(sub, pe.root)
		if err != nil {
			return Value{}, err
		}
		if v.kind != NodeSet {
			return nodesVal(nil), nil
		}
		var out []xnode
		for _, x := range v.nodes {
			if stringValue(x) == n.Value.Str {
				out = append(out, x)
			}
		}
		return nodesVal(out), nil
	case schema.InstanceIdentifier:
		root := n
		for root.Parent != nil {
			root = root.Parent
		}
		targets, err := ResolveInstanceID(root, n.Value.Str)
		if err != nil {
			return nodesVal(nil), nil
		}
		out := make([]xnode, len(targets))
		for i, t := range targets {
			out[i] = xnode{n: t}
		}
		return nodesVal(docOrder(out)), nil
	}
	return nodesVal(nil), nil
}

// leafrefPath returns the compiled path of leafref type t (context schema node leaf), compiling
// it once per Expr.
func (e *Expr) leafrefPath(t *schema.Type, leaf *schema.Node) (*Expr, error) {
	if v, ok := e.leafrefs.Load(t); ok {
		r := v.(leafrefEntry)
		return r.e, r.err
	}
	pe, err := CompileLeafref(t, leaf)
	e.leafrefs.Store(t, leafrefEntry{pe, err})
	return pe, err
}

type leafrefEntry struct {
	e   *Expr
	err error
}

// CompileLeafref compiles the path of leafref type t for leaf (the leaf or leaf-list whose type
// it is, the context node of the path, RFC 7950 section 9.9.2).
func CompileLeafref(t *schema.Type, leaf *schema.Node) (*Expr, error) {
	if t == nil || t.Base != schema.Leafref || t.Path == "" {
		return nil, fmt.Errorf("xpath: not a leafref type with a path")
	}
	mod := t.PathModule
	if mod == nil && leaf != nil {
		mod = leaf.Module
	}
	return Compile(t.Path, t.PathPrefixes, mod, leaf)
}

// ResolveInstanceID returns the nodes named by instance-identifier path, in the canonical RFC 7951
// section 6.11 form that data.ParseValue gives instance-identifier values (module-name prefixes),
// in the tree of document root root. Keyed lists and leaf-lists are looked up through the key
// index. It returns no nodes when the path names no instance, and an error when it is malformed.
// deref() and the validator's require-instance check both use it.
func ResolveInstanceID(root *data.Node, path string) ([]*data.Node, error) {
	cur := []*data.Node{root}
	s := path
	var curMod string
	for s != "" {
		if s[0] != '/' {
			return nil, fmt.Errorf("expected '/' at %q", s)
		}
		s = s[1:]
		i := 0
		for i < len(s) && s[i] != '/' && s[i] != '[' {
			i++
		}
		qn := strings.TrimSpace(s[:i])
		s = s[i:]
		modName, name, ok := strings.Cut(qn, ":")
		if !ok {
			modName, name = curMod, qn
		}
		if modName == "" || name == "" {
			return nil, fmt.Errorf("bad node name %q", qn)
		}
		curMod = modName
		var preds []iiPred
		for len(s) > 0 && s[0] == '[' {
			end, pred, err := scanIIPred(s)
			if err != nil {
				return nil, err
			}
			s = s[end:]
			if pred.mod == "" {
				pred.mod = curMod
			}
			preds = append(preds, pred)
		}
		var next []*data.Node
		for _, n := range cur {
			for _, sn := range childSchemasNamed(n, modName, name) {
				next = append(next, instancesMatching(n, sn, preds)...)
			}
		}
		cur = next
		if len(cur) == 0 {
			return nil, nil
		}
	}
	return cur, nil
}

// childSchemasNamed returns the schema nodes named modName:name whose instances can be children
// of n (for the document root: those that have instances).
func childSchemasNamed(n *data.Node, modName, name string) []*schema.Node {
	if n.Schema == nil {
		// Jump over runs of instances of one schema node: O(distinct top-level nodes).
		cs := n.Children()
		for i := 0; i < len(cs); {
			s := cs[i].Schema
			if s.Name == name && s.Module != nil && s.Module.Name == modName {
				return []*schema.Node{s}
			}
			run := 1
			if s.Kind.IsData() {
				run = max(len(n.Instances(s)), 1)
			}
			i += run
		}
		return nil
	}
	var found []*schema.Node
	for _, c := range dataChildren(n.Schema) {
		if c.Name == name && c.Module != nil && c.Module.Name == modName {
			found = append(found, c)
		}
	}
	return found
}

// instancesMatching returns the instances of sn under n that pass the predicates.
func instancesMatching(n *data.Node, sn *schema.Node, preds []iiPred) []*data.Node {
	if e, ok := findByPreds(n, sn, preds); ok {
		if e == nil {
			return nil
		}
		return []*data.Node{e}
	}
	ns := instancesOf(n, sn)
	for _, p := range preds {
		ns = filterIIPred(ns, p)
	}
	return ns
}

// findByPreds looks the entry up by key when preds are exactly the list's keys or a leaf-list
// value; ok=false when they are not.
func findByPreds(n *data.Node, sn *schema.Node, preds []iiPred) (*data.Node, bool) {
	switch {
	case sn.Kind == schema.KindLeafList && len(preds) == 1 && preds[0].self:
		return n.Find(sn, preds[0].value), true
	case sn.Kind == schema.KindList && len(sn.Keys()) > 0 && len(preds) == len(sn.Keys()):
		vals := make([]string, len(sn.Keys()))
		for i, k := range sn.Keys() {
			found := false
			for _, p := range preds {
				if !p.self && p.pos == 0 && p.name == k.Name && k.Module != nil && p.mod == k.Module.Name {
					vals[i], found = p.value, true
				}
			}
			if !found {
				return nil, false
			}
		}
		return n.Find(sn, strings.Join(vals, "\x00")), true
	}
	return nil, false
}

type iiPred struct {
	pos   int    // [N], 0 if not positional
	self  bool   // [.='v']
	name  string // [name='v'] or [mod:name='v']
	mod   string
	value string
}

// scanIIPred parses one predicate at the start of s, returning its length.
func scanIIPred(s string) (int, iiPred, error) {
	var p iiPred
	i := 1
	skip := func() {
		for i < len(s) && isSpace(s[i]) {
			i++
		}
	}
	skip()
	start := i
	for i < len(s) && s[i] != '=' && s[i] != ']' && !isSpace(s[i]) {
		i++
	}
	lhs := s[start:i]
	skip()
	if i < len(s) && s[i] == ']' {
		n := 0
		for _, ch := range lhs {
			if ch < '0' || ch > '9' || n > 1<<30 {
				return 0, p, fmt.Errorf("bad predicate %q", lhs)
			}
			n = n*10 + int(ch-'0')
		}
		if n == 0 {
			return 0, p, fmt.Errorf("bad position %q", lhs)
		}
		p.pos = n
		return i + 1, p, nil
	}
	if i >= len(s) || s[i] != '=' {
		return 0, p, fmt.Errorf("unterminated predicate")
	}
	i++
	skip()
	if i >= len(s) || (s[i] != '\'' && s[i] != '"') {
		return 0, p, fmt.Errorf("expected a quoted value in predicate")
	}
	q := s[i]
	end := strings.IndexByte(s[i+1:], q)
	if end < 0 {
		return 0, p, fmt.Errorf("unterminated value in predicate")
	}
	p.value = s[i+1 : i+1+end]
	i += end + 2
	skip()
	if i >= len(s) || s[i] != ']' {
		return 0, p, fmt.Errorf("expected ']'")
	}
	if lhs == "." {
		p.self = true
	} else if m, n, ok := strings.Cut(lhs, ":"); ok {
		p.mod, p.name = m, n
	} else {
		p.name = lhs
	}
	return i + 1, p, nil
}

func filterIIPred(ns []*data.Node, p iiPred) []*data.Node {
	if p.pos > 0 {
		if p.pos <= len(ns) {
			return ns[p.pos-1 : p.pos]
		}
		return nil
	}
	var out []*data.Node
	for _, n := range ns {
		if p.self {
			if n.Value.Str == p.value {
				out = append(out, n)
			}
			continue
		}
		for _, c := range n.Children() {
			if c.Schema.Name == p.name && c.Schema.Module != nil && c.Schema.Module.Name == p.mod && c.Value.Str == p.value {
				out = append(out, n)
				break
			}
		}
	}
	return out
}

// compilePattern compiles a YANG (XSD) regular expression, anchored at both ends.
func compilePattern(pat string) (*regexp.Regexp, error) {
	return schema.CompilePattern(pat)
}
