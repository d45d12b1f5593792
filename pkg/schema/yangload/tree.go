package yangload

import (
	"slices"
	"strconv"
	"strings"

	"github.com/ncws/ncws/pkg/schema"
)

// ctx is where statements are being compiled: the text (unit) they come from, their lexical
// scope, the namespace of the nodes they create, and what applies to the nodes created at this
// level (conditions and if-feature state inherited from uses and augment).
type ctx struct {
	u     *unit
	sc    *scope
	ns    *schema.Module
	whens []*schema.When
	off   bool
	// grp is the Grouping origin of the nodes created at this level less their own name
	// ("module:grouping/parent..."), "" outside groupings.
	grp string
	// inGrp: the statements are a grouping's (built at each of its uses), not built once.
	inGrp bool
	// again: the statements are those of a grouping used before (or below one): the nodes
	// built from them share what they can with the other uses' (nodeInfo.again).
	again bool
}

var nodeKinds = map[string]schema.Kind{
	"container": schema.KindContainer, "list": schema.KindList, "leaf": schema.KindLeaf,
	"leaf-list": schema.KindLeafList, "choice": schema.KindChoice, "case": schema.KindCase,
	"anydata": schema.KindAnydata, "anyxml": schema.KindAnyxml, "rpc": schema.KindRPC,
	"action": schema.KindAction, "input": schema.KindInput, "output": schema.KindOutput,
	"notification": schema.KindNotification,
}

// buildModule compiles the data nodes, rpcs and notifications of an implemented module.
func (l *loader) buildModule(m *module) {
	for _, u := range m.units {
		c := &ctx{u: u, sc: m.top, ns: m.sm}
		kw := "module"
		if u.src.sub {
			kw = "submodule"
		}
		for s := range each(u.top) {
			if !moduleKeywords[s.Keyword()] && !strings.Contains(s.Keyword(), ":") {
				l.errf(s, "unexpected statement %s in %s", s.Keyword(), kw)
			}
		}
		l.buildStmts(nil, m.sm, u.top, c)
		if l.release && u.built {
			u.top = nil
			l.unpin(u)
		}
	}
}

var moduleKeywords = map[string]bool{
	"yang-version": true, "namespace": true, "prefix": true, "belongs-to": true, "import": true,
	"include": true, "organization": true, "contact": true, "description": true, "reference": true,
	"revision": true, "extension": true, "feature": true, "identity": true, "typedef": true,
	"grouping": true, "container": true, "leaf": true, "leaf-list": true, "list": true, "choice": true,
	"anydata": true, "anyxml": true, "uses": true, "augment": true, "rpc": true, "notification": true,
	"deviation": true,
}

// attach adds n under parent (or to module m's top-level lists when parent is nil).
func attach(parent *schema.Node, m *schema.Module, n *schema.Node) {
	n.Parent = parent
	if parent == nil {
		switch n.Kind {
		case schema.KindRPC:
			m.RPCs = append(m.RPCs, n)
		case schema.KindNotification:
			m.Notifications = append(m.Notifications, n)
		default:
			m.Data = append(m.Data, n)
		}
		return
	}
	parent.Children = append(parent.Children, n)
}

// buildStmts compiles the data-definition statements (and uses) of stmts under parent and
// returns the nodes created at this level.
func (l *loader) buildStmts(parent *schema.Node, top *schema.Module, stmts []stmt, c *ctx) []*schema.Node {
	var created []*schema.Node
	for s := range each(stmts) {
		switch s.Keyword() {
		case "uses":
			created = append(created, l.expandUses(parent, top, s, c)...)
		case "input", "output":
			if parent == nil || (parent.Kind != schema.KindRPC && parent.Kind != schema.KindAction) {
				l.errf(s, "%s is only allowed in rpc and action", s.Keyword())
				continue
			}
			created = append(created, l.buildNode(parent, top, s, c))
		case "rpc":
			if parent != nil {
				l.errf(s, "rpc is only allowed at the top level of a module (use action)")
				continue
			}
			created = append(created, l.buildNode(parent, top, s, c))
		case "action":
			if parent == nil {
				l.errf(s, "action is not allowed at the top level (use rpc)")
				continue
			}
			created = append(created, l.buildNode(parent, top, s, c))
		case "case":
			if parent == nil || parent.Kind != schema.KindChoice {
				l.errf(s, "case is only allowed in choice")
				continue
			}
			created = append(created, l.buildNode(parent, top, s, c))
		case "container", "list", "leaf", "leaf-list", "choice", "anydata", "anyxml", "notification":
			if parent != nil && (parent.Kind == schema.KindRPC || parent.Kind == schema.KindAction) {
				l.errf(s, "%s is not allowed directly in %s (only input and output)", s.Keyword(), parent.Kind)
				continue
			}
			created = append(created, l.buildNode(parent, top, s, c))
		}
	}
	return created
}

func isOp(k schema.Kind) bool {
	return k == schema.KindRPC || k == schema.KindAction || k == schema.KindNotification
}

// buildNode compiles one data-definition statement.
func (l *loader) buildNode(parent *schema.Node, top *schema.Module, s *stmt, c *ctx) *schema.Node {
	kind := nodeKinds[s.Keyword()]
	name := s.Arg()
	if kind == schema.KindInput || kind == schema.KindOutput {
		name = s.Keyword()
	} else if !identRe.MatchString(name) {
		l.errf(s, "invalid %s name %q", s.Keyword(), name)
	}
	// What the node takes from its statement, read first: nodes built from the same statement
	// share it (their errors are reported by the loop below).
	d := schema.DeclInfo{Name: name, Loc: l.loc(s), Status: "current"}
	if c.grp != "" {
		d.Grouping = l.origin(c.grp, name)
	}
	for ss := range s.subStmts() {
		switch ss.Keyword() {
		case "description":
			d.Description = ss.Arg()
		case "status":
			switch ss.Arg() {
			case "current", "deprecated", "obsolete":
				d.Status = ss.Arg()
			}
		case "presence":
			d.Presence = ss.Arg()
			if d.Presence == "" {
				d.Presence = "true"
			}
		case "units":
			d.Units = ss.Arg()
		case "default":
			switch kind {
			case schema.KindLeaf:
				d.Default = []string{ss.Arg()}
			case schema.KindLeafList:
				d.Default = append(d.Default, ss.Arg())
			}
		}
	}
	n := l.newNode()
	inf := l.infoOf(n)
	inf.built, inf.v10, inf.again = true, c.u.version != "1.1", c.again
	n.Kind, n.Decl, n.Module = kind, l.declOf(n, &d), c.ns
	off := c.off || !l.ifFeatures(s, c.u)
	holder, into := n, parent
	if parent != nil && parent.Kind == schema.KindChoice && kind != schema.KindCase {
		// Shorthand: an implicit case of the node's own name (RFC 7950 7.9.2).
		cs := l.newNode()
		csInf := l.infoOf(cs)
		csInf.built, csInf.v10, csInf.again = true, inf.v10, inf.again
		cd := schema.DeclInfo{Name: name, Loc: n.Loc, Status: "current"}
		cs.Kind, cs.Decl, cs.Module = schema.KindCase, n.Decl, c.ns
		if !holds(n.Decl, &cd) {
			cs.Decl = l.declOf(cs, &cd)
		}
		attach(parent, top, cs)
		holder, into = cs, cs
	}
	holder.SetWhens(append(holder.Whens(), c.whens...))
	if off {
		l.disabled[holder] = true
	}
	attach(into, top, n)
	sc := l.bodyScope(s, c.sc, c.u)
	cc := &ctx{u: c.u, sc: sc, ns: c.ns, grp: n.Grouping(), inGrp: c.inGrp, again: c.again}
	if kind == schema.KindChoice || kind == schema.KindCase || kind == schema.KindInput || kind == schema.KindOutput {
		cc.grp = c.grp // the origin path holds data nodes only
	}
	for ss := range s.subStmts() {
		switch ss.Keyword() {
		case "description":
		case "reference":
			n.SetReference(ss.Arg())
		case "status":
			switch ss.Arg() {
			case "current", "deprecated", "obsolete":
			default:
				l.errf(ss, "invalid status %q", ss.Arg())
			}
		case "config":
			l.setConfig(n, ss)
		case "mandatory":
			l.setMandatory(n, ss)
		case "presence":
			if kind != schema.KindContainer {
				l.errf(ss, "presence is only allowed in container")
			}
		case "min-elements", "max-elements":
			l.setMinMax(n, ss)
		case "ordered-by":
			l.setOrderedBy(n, ss)
		case "key":
			if kind != schema.KindList {
				l.errf(ss, "key is only allowed in list")
				continue
			}
			inf.key = l.keyOf(ss)
		case "unique":
			if kind != schema.KindList {
				l.errf(ss, "unique is only allowed in list")
			}
			m := l.mk(inf)
			m.unique = append(m.unique, uniqueInfo{ss.Arg(), ss.at()})
		case "type":
			if kind != schema.KindLeaf && kind != schema.KindLeafList {
				l.errf(ss, "type is only allowed in leaf and leaf-list")
				continue
			}
			n.Type = l.leafType(ss, c.u, sc)
			if n.Type != nil {
				setPathModule(n.Type, c.ns)
				if l.shareLeafrefs && hasLeafref(n.Type) {
					// A leafref type is resolved for each leaf (leafType): an equal one
					// shared already leaves it unused.
					if p := l.shareLeafref(n, n.Type); p != n.Type {
						l.recycleType(n.Type)
						n.Type = p
					}
				}
				if kind == schema.KindLeafList && n.Type.Base == schema.Empty && c.u.version != "1.1" {
					l.warnf(ss, "leaf-list %s of type empty in a YANG 1.0 module: only YANG 1.1 (RFC 7950) "+
						"has empty leaf-lists (yanglint refuses the module)", name)
				}
			}
		case "default":
			switch kind {
			case schema.KindLeaf:
				if inf.hasDflt {
					l.errf(ss, "leaf %s has two defaults", name)
				}
				inf.hasDflt = true
			case schema.KindLeafList:
				if c.u.version != "1.1" {
					l.errf(ss, "leaf-list default needs yang-version 1.1")
				}
				inf.hasDflt = true
			case schema.KindChoice:
				l.setDflt(inf, ss)
			default:
				l.errf(ss, "default is not allowed in %s", kind)
			}
		case "units":
		case "must":
			n.SetMusts(append(n.Musts(), l.must(ss, c.u, c.ns)))
		case "when":
			if isOp(kind) || kind == schema.KindInput || kind == schema.KindOutput {
				l.errf(ss, "when is not allowed in %s", kind)
				continue
			}
			w := l.when(ss, c.u, c.ns, "node")
			switch kind {
			case schema.KindChoice:
				w.Self, w.Origin = false, "choice"
			case schema.KindCase:
				w.Self, w.Origin = false, "case"
			}
			n.SetWhens(append(n.Whens(), w))
		case "container", "list", "leaf", "leaf-list", "choice", "case", "anydata", "anyxml", "uses",
			"action", "notification", "input", "output":
			if !childAllowed(kind, ss.Keyword()) {
				l.errf(ss, "%s is not allowed in %s", ss.Keyword(), kind)
				continue
			}
			l.buildStmts(n, top, one(ss), cc)
		case "if-feature", "typedef", "grouping":
		default:
			if strings.Contains(ss.Keyword(), ":") {
				n.SetExtensions(append(n.Extensions(), extension(ss)))
			} else {
				l.errf(ss, "unexpected statement %s in %s", ss.Keyword(), s.Keyword())
			}
		}
	}
	switch kind {
	case schema.KindLeaf, schema.KindLeafList:
		if sub(s, "type") == nil {
			l.errf(s, "%s %s has no type", s.Keyword(), name)
		}
	case schema.KindRPC, schema.KindAction:
		l.completeOperation(n)
	}
	return n
}

// completeOperation gives an rpc or action both input and output, in that order.
func (l *loader) completeOperation(n *schema.Node) {
	var in, out *schema.Node
	for _, c := range n.Children {
		switch c.Kind {
		case schema.KindInput:
			in = c
		case schema.KindOutput:
			out = c
		}
	}
	if in == nil {
		in = l.newNode()
		l.infoOf(in).again = l.infoOf(n).again
		in.Kind, in.Decl, in.Module, in.Parent = schema.KindInput, l.declOf(in, &schema.DeclInfo{Name: "input", Loc: n.Loc, Status: "current"}), n.Module, n
	}
	if out == nil {
		out = l.newNode()
		l.infoOf(out).again = l.infoOf(n).again
		out.Kind, out.Decl, out.Module, out.Parent = schema.KindOutput, l.declOf(out, &schema.DeclInfo{Name: "output", Loc: n.Loc, Status: "current"}), n.Module, n
	}
	n.Children = []*schema.Node{in, out}
}

func childAllowed(parent schema.Kind, kw string) bool {
	switch parent {
	case schema.KindLeaf, schema.KindLeafList, schema.KindAnydata, schema.KindAnyxml:
		return false
	case schema.KindChoice:
		switch kw {
		case "uses", "action", "notification", "input", "output":
			return false
		}
		return true
	case schema.KindRPC, schema.KindAction:
		return kw == "input" || kw == "output"
	case schema.KindInput, schema.KindOutput, schema.KindNotification:
		return kw != "case" && kw != "input" && kw != "output" && kw != "action" && kw != "notification"
	case schema.KindCase:
		return kw != "case" && kw != "input" && kw != "output" && kw != "action" && kw != "notification"
	}
	return kw != "case" && kw != "input" && kw != "output"
}

func extension(s *stmt) string {
	if s.hasArg() {
		return s.Keyword() + " " + s.Arg()
	}
	return s.Keyword()
}

// leafType resolves the type statement of a leaf or leaf-list. A type without a leafref is
// resolved once per statement and shared by every node built from that statement (a grouping's
// leaves, built again for each use: Junos's 580k leaves have a few thousand distinct types), since
// nothing changes it once resolved: a type statement means the same wherever its grouping is used
// (its names resolve where it is written). A leafref's target and path module depend on where the
// leaf is, so a type holding one is resolved for each node.
func (l *loader) leafType(st *stmt, u *unit, sc *scope) *schema.Type {
	if t, ok := u.leafTypes[st]; ok {
		return t
	}
	t := l.resolveType(st, u, sc)
	if t != nil && !hasLeafref(t) {
		if l.opts.OmitOrigins {
			if p := l.internType(t); p != t {
				l.recycleType(t)
				t = p
			}
		}
		if u.leafTypes == nil {
			u.leafTypes = map[*stmt]*schema.Type{}
		}
		u.leafTypes[st] = t
	}
	return t
}

// typeKey is what tells most types apart (internType).
type typeKey struct {
	name                         string
	mod                          *schema.Module
	base                         schema.BaseKind
	enums, bits, patterns, union int
}

// internType returns the type equal to t (a type without Loc: one without leafref, or one whose
// leafrefs are resolved) that an earlier statement resolved to, t itself the first time.
func (l *loader) internType(t *schema.Type) *schema.Type {
	k := typeKey{t.Name, t.Module, t.Base, len(t.Enums), len(t.Bits), len(t.Patterns), len(t.Union)}
	same := l.types[k]
	for _, p := range same {
		if typeEqual(p, t) {
			return p
		}
	}
	if l.types == nil {
		l.types = map[typeKey][]*schema.Type{}
	}
	l.types[k] = append(same, t)
	return t
}

// leafrefKey is what tells most leafref types apart (shareLeafref): the type's internType key,
// and the first leafref's path and the node from which it is walked (leafrefAnchor).
type leafrefKey struct {
	typeKey
	path   string
	anchor *schema.Node
}

// sharedLeafref is a type shareLeafref gave a leaf, with the first leaf it was given to.
type sharedLeafref struct {
	t    *schema.Type
	leaf *schema.Node
}

// shareLeafref returns the type an earlier leaf of the build was given that is equal to t (the
// type of leaf n, with a leafref, not yet resolved) and whose leafrefs will reach the same
// targets: their paths are walked from the same nodes (leafrefAnchor). A leafref's target is
// found once the trees are complete, but it depends only on the path, its module and prefixes
// (in the type) and that node, all known now: sharing the type as the leaf is built, rather than
// interning the resolved types at the end, the build never holds a leafref type per leaf (SR OS
// 26.3 nokia-conf: 7,683 leafref types, 1,672 distinct; 3 MB at the load's peak).
func (l *loader) shareLeafref(n *schema.Node, t *schema.Type) *schema.Type {
	first := firstLeafref(t)
	anchor, ok := leafrefAnchor(n, first.Path)
	if !ok {
		return t
	}
	k := leafrefKey{typeKey{t.Name, t.Module, t.Base, len(t.Enums), len(t.Bits), len(t.Patterns), len(t.Union)},
		first.Path, anchor}
	same := l.leafrefs[k]
	for _, p := range same {
		if typeEqual(p.t, t) && sameAnchors(p.leaf, n, t) {
			return p.t
		}
	}
	if l.leafrefs == nil {
		l.leafrefs = map[leafrefKey][]sharedLeafref{}
	}
	l.leafrefs[k] = append(same, sharedLeafref{t, n})
	return t
}

// firstLeafref returns the first leafref of t (t or a union member, depth first), nil if none.
func firstLeafref(t *schema.Type) *schema.Type {
	if t.Base == schema.Leafref {
		return t
	}
	for _, m := range t.Union {
		if f := firstLeafref(m); f != nil {
			return f
		}
	}
	return nil
}

// sameAnchors reports whether every leafref path of t is walked from the same node for leaves a
// and b.
func sameAnchors(a, b *schema.Node, t *schema.Type) bool {
	if t.Base == schema.Leafref {
		x, okx := leafrefAnchor(a, t.Path)
		y, oky := leafrefAnchor(b, t.Path)
		return okx && oky && x == y
	}
	for _, m := range t.Union {
		if !sameAnchors(a, b, m) {
			return false
		}
	}
	return true
}

// typeEqual reports whether a and b are the same type (every field of one equal to the
// other's, their patterns by expression, a leafref's Target by identity).
func typeEqual(a, b *schema.Type) bool {
	if a.Name != b.Name || a.Typedef != b.Typedef || a.Module != b.Module || a.Base != b.Base ||
		!slices.Equal(a.Range, b.Range) || a.RangeError != b.RangeError ||
		!slices.Equal(a.Length, b.Length) || a.LengthError != b.LengthError ||
		a.FractionDigits != b.FractionDigits || !slices.Equal(a.Enums, b.Enums) ||
		!slices.Equal(a.Bits, b.Bits) || a.Path != b.Path || a.PathModule != b.PathModule ||
		a.Target != b.Target || a.RequireInstance != b.RequireInstance ||
		!slices.Equal(a.Bases, b.Bases) || a.Default != b.Default || a.Units != b.Units ||
		a.Loc != b.Loc || len(a.PathPrefixes) != len(b.PathPrefixes) ||
		(a.Range == nil) != (b.Range == nil) || (a.Length == nil) != (b.Length == nil) ||
		(a.Enums == nil) != (b.Enums == nil) || (a.Bits == nil) != (b.Bits == nil) ||
		(a.Bases == nil) != (b.Bases == nil) || (a.Union == nil) != (b.Union == nil) ||
		(a.Patterns == nil) != (b.Patterns == nil) ||
		!slices.EqualFunc(a.Patterns, b.Patterns, func(p, q *schema.Pattern) bool {
			return p.Expr == q.Expr && p.Invert == q.Invert && p.Restriction == q.Restriction
		}) || !slices.EqualFunc(a.Union, b.Union, typeEqual) {
		return false
	}
	for k, m := range a.PathPrefixes {
		if b.PathPrefixes[k] != m {
			return false
		}
	}
	return true
}

func hasLeafref(t *schema.Type) bool {
	if t.Base == schema.Leafref {
		return true
	}
	for _, m := range t.Union {
		if hasLeafref(m) {
			return true
		}
	}
	return false
}

func setPathModule(t *schema.Type, ns *schema.Module) {
	if t.Base == schema.Leafref && t.PathModule == nil {
		t.PathModule = ns
	}
	for _, m := range t.Union {
		setPathModule(m, ns)
	}
}

func (l *loader) must(s *stmt, u *unit, ns *schema.Module) *schema.Must {
	return &schema.Must{Expr: s.Arg(), ErrorMessage: subArg(s, "error-message"),
		ErrorAppTag: subArg(s, "error-app-tag"), Prefixes: u.prefixes, Module: ns, Loc: l.loc(s)}
}

func (l *loader) when(s *stmt, u *unit, ns *schema.Module, origin string) *schema.When {
	return &schema.When{Expr: s.Arg(), Prefixes: u.prefixes, Module: ns, Self: origin == "node",
		Origin: origin, Loc: l.loc(s)}
}

func (l *loader) setConfig(n *schema.Node, s *stmt) {
	inf := l.infoOf(n)
	switch s.Arg() {
	case "true":
		inf.config = 1
	case "false":
		inf.config = -1
	default:
		l.errf(s, "invalid config %q", s.Arg())
		return
	}
	l.mk(inf).configAt = s.at()
}

func (l *loader) setMandatory(n *schema.Node, s *stmt) {
	switch n.Kind {
	case schema.KindLeaf, schema.KindChoice, schema.KindAnydata, schema.KindAnyxml:
	default:
		l.errf(s, "mandatory is not allowed in %s", n.Kind)
		return
	}
	switch s.Arg() {
	case "true":
		n.Mandatory = true
	case "false":
		n.Mandatory = false
	default:
		l.errf(s, "invalid mandatory %q", s.Arg())
	}
}

func (l *loader) setMinMax(n *schema.Node, s *stmt) {
	if n.Kind != schema.KindList && n.Kind != schema.KindLeafList {
		l.errf(s, "%s is only allowed in list and leaf-list", s.Keyword())
		return
	}
	if s.Keyword() == "max-elements" && s.Arg() == "unbounded" {
		n.SetMaxElements(0)
		return
	}
	v, err := strconv.ParseUint(s.Arg(), 10, 64)
	if err != nil || (s.Keyword() == "max-elements" && v == 0) || (s.Arg() != "0" && strings.HasPrefix(s.Arg(), "0")) {
		l.errf(s, "invalid %s %q", s.Keyword(), s.Arg())
		return
	}
	if s.Keyword() == "min-elements" {
		n.SetMinElements(v)
	} else {
		n.SetMaxElements(v)
	}
}

func (l *loader) setOrderedBy(n *schema.Node, s *stmt) {
	if n.Kind != schema.KindList && n.Kind != schema.KindLeafList {
		l.errf(s, "ordered-by is only allowed in list and leaf-list")
		return
	}
	switch s.Arg() {
	case "user":
		n.OrderedByUser = true
	case "system":
		n.OrderedByUser = false
	default:
		l.errf(s, "invalid ordered-by %q", s.Arg())
	}
}

// expandUses instantiates a grouping under parent, then applies the uses' refines and augments.
func (l *loader) expandUses(parent *schema.Node, top *schema.Module, s *stmt, c *ctx) []*schema.Node {
	d := l.lookupDef(s.Arg(), c.sc, c.u, true)
	if d == nil {
		if pfx, _ := splitPrefix(s.Arg()); c.u.moduleOf(pfx) == nil {
			l.errf(s, "uses %s: unknown prefix %q", s.Arg(), pfx)
		} else {
			l.errf(s, "grouping %s not found", s.Arg())
		}
		return nil
	}
	if d.released {
		// The pre-pass found no use left of it (prepareRelease): the load is done again,
		// keeping every statement.
		l.restart = true
		return nil
	}
	if !c.inGrp {
		defer l.unuse(d) // built once: d is not expanded again for this statement
	}
	if d.state == 1 {
		l.errf(s, "grouping %s uses itself", s.Arg())
		return nil
	}
	off := c.off || !l.ifFeatures(s, c.u)
	whens := append([]*schema.When(nil), c.whens...)
	if w := sub(s, "when"); w != nil {
		whens = append(whens, l.when(w, c.u, c.ns, "uses"))
	}
	for gs := range d.st.subStmts() {
		switch gs.Keyword() {
		case "description", "reference", "status", "typedef", "grouping", "container", "leaf", "leaf-list",
			"list", "choice", "anydata", "anyxml", "uses", "action", "notification":
		default:
			if !strings.Contains(gs.Keyword(), ":") && !d.checked {
				l.errf(gs, "unexpected statement %s in grouping", gs.Keyword())
			}
		}
	}
	d.checked = true
	// The grouping's first use builds its nodes as any others; a second one makes them and
	// those of every later use share their Decls (seedDecls, ctx.again).
	if d.uses == 1 {
		l.seedDecls(d.first)
		d.first = nil
	}
	if d.uses > 0 || c.again {
		d.uses = 2
	} else {
		d.uses = 1
	}
	again := d.uses == 2
	gc := &ctx{u: d.u, sc: l.bodyScope(d.st, d.scope, d.u), ns: c.ns, whens: whens, off: off, grp: l.groupingID(d),
		inGrp: true, again: again}
	d.state = 1
	created := l.buildStmts(parent, top, d.st.SubStatements(), gc)
	d.state = 0
	if !again {
		d.first = created
	}
	for ss := range s.subStmts() {
		switch ss.Keyword() {
		case "refine":
			t := l.findDescendant(created, ss.Arg(), c.u, ss)
			if t != nil {
				t.Amended = true
				l.refine(t, ss, c)
			}
		case "augment":
			t := l.findDescendant(created, ss.Arg(), c.u, ss)
			if t != nil {
				l.augmentInto(t, ss, c.u, c.sc, c.ns, off, c.inGrp, c.again)
			}
		case "when", "if-feature", "description", "reference", "status":
		default:
			if !strings.Contains(ss.Keyword(), ":") {
				l.errf(ss, "unexpected statement %s in uses", ss.Keyword())
			}
		}
	}
	return created
}

// groupingID is the Grouping origin prefix of grouping d: "module:name", or "module:name#line"
// for a grouping declared inside another statement (whose name need not be unique).
func (l *loader) groupingID(d *def) string {
	if l.opts.OmitOrigins {
		return "" // no Grouping origins: the nodes' Grouping stays ""
	}
	id := d.u.mod.name + ":" + d.st.Arg()
	if d.scope != d.u.mod.top {
		_, line := d.st.pos()
		id += "#" + strconv.Itoa(line)
	}
	return id
}

// stepMatch reports whether schema node n is named by the node identifier step (prefix, name)
// written in unit u. Inside groupings the nodes take the using module's namespace, so a name
// prefixed with the text's own module also matches.
func stepMatch(n *schema.Node, pfx, name string, u *unit, relative bool) bool {
	if n.Name != name {
		return false
	}
	if n.Kind == schema.KindInput || n.Kind == schema.KindOutput {
		return true
	}
	m := u.moduleOf(pfx)
	if m == nil {
		return false
	}
	return n.Module == m.sm || relative && m == u.mod
}

// findDescendant resolves a descendant schema node identifier among the nodes a uses created.
func (l *loader) findDescendant(roots []*schema.Node, path string, u *unit, s *stmt) *schema.Node {
	steps := strings.Split(strings.TrimSpace(path), "/")
	cands := roots
	var cur *schema.Node
	for _, st := range steps {
		pfx, name := splitPrefix(strings.TrimSpace(st))
		if u.moduleOf(pfx) == nil {
			l.errf(s, "%s %s: unknown prefix %q", s.Keyword(), path, pfx)
			return nil
		}
		cur = nil
		for _, n := range cands {
			if stepMatch(n, pfx, name, u, true) {
				cur = n
				break
			}
		}
		if cur == nil {
			l.errf(s, "%s target %s not found", s.Keyword(), path)
			return nil
		}
		cands = cur.Children
	}
	return cur
}

// findAbsolute resolves an absolute schema node identifier (augment and deviation targets).
func (l *loader) findAbsolute(path string, u *unit, s *stmt) (*schema.Node, bool) {
	p := strings.TrimSpace(path)
	if !strings.HasPrefix(p, "/") {
		l.errf(s, "%s target %s must be an absolute path", s.Keyword(), path)
		return nil, false
	}
	var cur *schema.Node
	for i, st := range strings.Split(p[1:], "/") {
		pfx, name := splitPrefix(strings.TrimSpace(st))
		m := u.moduleOf(pfx)
		if m == nil {
			l.errf(s, "%s %s: unknown prefix %q", s.Keyword(), path, pfx)
			return nil, false
		}
		var cands []*schema.Node
		if i == 0 {
			cands = append(append(append(cands, m.sm.Data...), m.sm.RPCs...), m.sm.Notifications...)
		} else {
			cands = cur.Children
		}
		cur = nil
		for _, n := range cands {
			if stepMatch(n, pfx, name, u, false) {
				cur = n
				break
			}
		}
		if cur == nil {
			return nil, true
		}
	}
	return cur, true
}

// refine applies a refine statement to its target (RFC 7950 7.13.2).
func (l *loader) refine(t *schema.Node, s *stmt, c *ctx) {
	f := t.Info() // t's Decl while it is changed, then interned again
	defer func() { t.Decl = l.declOf(t, &f) }()
	inf := l.infoOf(t)
	var dflts []string
	for ss := range s.subStmts() {
		switch ss.Keyword() {
		case "if-feature":
			if !l.evalIfFeature(ss, c.u) {
				l.disabled[t] = true
			}
		case "description":
			f.Description = ss.Arg()
		case "reference":
			t.SetReference(ss.Arg())
		case "default":
			switch t.Kind {
			case schema.KindLeaf, schema.KindLeafList:
				dflts = append(dflts, ss.Arg())
			case schema.KindChoice:
				l.setDflt(inf, ss)
			default:
				l.errf(ss, "refine of %s: default is not allowed in %s", t.Name, t.Kind)
			}
		case "mandatory":
			l.setMandatory(t, ss)
		case "presence":
			if t.Kind != schema.KindContainer {
				l.errf(ss, "refine of %s: presence is only allowed in container", t.Name)
				continue
			}
			f.Presence = ss.Arg()
		case "min-elements", "max-elements":
			l.setMinMax(t, ss)
		case "config":
			l.setConfig(t, ss)
		case "must":
			t.SetMusts(append(t.Musts(), l.must(ss, c.u, c.ns)))
		default:
			if strings.Contains(ss.Keyword(), ":") {
				t.SetExtensions(append(t.Extensions(), extension(ss)))
			} else {
				l.errf(ss, "unexpected statement %s in refine", ss.Keyword())
			}
		}
	}
	if len(dflts) > 0 {
		if t.Kind == schema.KindLeaf && len(dflts) > 1 {
			l.errf(s, "refine of leaf %s: more than one default", t.Name)
		}
		f.Default = dflts
		inf.hasDflt = true
	}
}

// augmentInto adds an augment's nodes to target (RFC 7950 7.17).
// inGrp says the augment is a grouping's (in a uses of it).
func (l *loader) augmentInto(target *schema.Node, s *stmt, u *unit, sc *scope, ns *schema.Module, off, inGrp, again bool) {
	switch target.Kind {
	case schema.KindContainer, schema.KindList, schema.KindChoice, schema.KindCase, schema.KindInput,
		schema.KindOutput, schema.KindNotification, schema.KindAction:
	default:
		l.errf(s, "augment target %s is a %s, which cannot be augmented", s.Arg(), target.Kind)
		return
	}
	target.Amended = true
	off = off || !l.ifFeatures(s, u)
	var whens []*schema.When
	if w := sub(s, "when"); w != nil {
		whens = append(whens, l.when(w, u, ns, "augment"))
	}
	ac := &ctx{u: u, sc: l.bodyScope(s, sc, u), ns: ns, whens: whens, off: off, inGrp: inGrp, again: again}
	for ss := range s.subStmts() {
		switch ss.Keyword() {
		case "when", "if-feature", "description", "reference", "status":
			continue
		case "container", "list", "leaf", "leaf-list", "choice", "case", "anydata", "anyxml", "uses",
			"action", "notification", "input", "output":
			if !childAllowed(target.Kind, ss.Keyword()) && !(target.Kind == schema.KindChoice && ss.Keyword() == "uses") {
				l.errf(ss, "%s is not allowed in augment of a %s", ss.Keyword(), target.Kind)
				continue
			}
			l.buildStmts(target, nil, one(ss), ac)
		default:
			if !strings.Contains(ss.Keyword(), ":") {
				l.errf(ss, "unexpected statement %s in augment", ss.Keyword())
			}
		}
	}
}
