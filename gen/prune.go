package gen

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/xpath"
	"github.com/ncws/ncws/yang"
)

// Options.PruneSchema: the embedded schema of a --path package holds only what the kept subtrees
// need. The rules (pruneSchema):
//
//   - Kept whole: the subtrees at the paths, the operations Options.Paths keeps, and every node
//     of the protocol modules a server implements (yang.Protocol).
//   - Kept as needed, with their ancestors: the keys of every kept list; the leafref targets of
//     kept leaves and what their paths read (when require-instance); what the must and when
//     expressions of kept nodes read (xpath.Expr.Deps: the nodes a step may select, the
//     descendants of those whose string value is used); the leaves of kept unique statements;
//     the mandatory children of kept nodes (mandatory leaves, choices, anydata, lists with
//     min-elements, the non-presence containers holding them), so that a kept node can be
//     created exactly as in the whole schema; the default case of a kept choice.
//   - Identities: every identity of a module that stays (identities cannot be deviated away, so
//     a module's texts would otherwise promise identities the server does not know), and the
//     identities derived from the bases of kept identityrefs, which keep their modules.
//   - Modules: a module with a kept node or a kept identity stays as it was (implemented or
//     not), and so do an implemented module without nodes or identities (typedefs only,
//     features), which loses nothing, the deviators of a staying implemented module and the
//     modules it augments; one that only a staying module imports (or whose typedef, prefix or identity base a
//     kept statement refers to) stays import-only, with no data nodes; any other is left out,
//     its text too. The deviators of a staying module stay.
//   - Truthful advertisement: each node left out whose module stays implemented (a sibling of a
//     kept node, a top-level node or operation) is named by a "deviate not-supported" in a
//     generated deviation module, ncws-prune-<package>, which the schema implements and lists
//     among the deviations of the modules it deviates; get-schema serves its text beside the
//     unchanged texts of the staying modules. The modules' full texts plus that module are
//     what the server implements, as yanglint or yangload compile them.
//   - Not bounded: an instance-identifier can name any node, so its targets are not kept (one
//     that names a node left out has no instance); a must, when or leafref path whose reads
//     cannot be bounded statically (xpath.Expr.DepsComplete) keeps what can be known and sees
//     the kept nodes only. Schema's comment in the package counts those expressions.

// pruneModulePrefix is the name of the generated deviation module, before the package name.
const pruneModulePrefix = "ncws-prune-"

// protocolModules are the names of the modules of yang.Protocol: a server built on the package
// serves them, so they are kept whole.
func protocolModules() map[string]bool {
	out := map[string]bool{}
	for _, f := range yang.Protocol {
		name, _, _ := strings.Cut(strings.TrimSuffix(f, ".yang"), "@")
		out[name] = true
	}
	return out
}

// pruner computes the kept part of a schema and copies it.
type pruner struct {
	s        *schema.Schema
	sel, anc map[*schema.Node]bool
	pkg      string
	paths    []string

	kept  map[*schema.Node]bool
	queue []*schema.Node
	// unbounded counts the must, when and leafref expressions of kept nodes whose reads cannot
	// be bounded statically (xpath.Expr.DepsComplete false) or that do not compile.
	unbounded int
	// identMods are the modules holding identities derived from kept identityref bases.
	identMods map[*schema.Module]bool
	// refMods are modules a kept statement refers to (typedef, prefix map, identity base).
	refMods map[*schema.Module]bool
	// hasNodes are the modules with schema nodes (their own or augmenting others), seen up to
	// the first node of the protocol modules and of the kept operations.
	hasNodes map[*schema.Module]bool
	// augments maps a module to the modules whose trees it augments (seen as hasNodes is).
	augments map[*schema.Module]map[*schema.Module]bool

	// The copy.
	mods    map[*schema.Module]*schema.Module
	idents  map[*schema.Identity]*schema.Identity
	nodes   map[*schema.Node]*schema.Node
	types   map[*schema.Type]*schema.Type
	musts   map[*schema.Must]*schema.Must
	whens   map[*schema.When]*schema.When
	uniques map[*schema.Unique]*schema.Unique
	// devs are the nodes left out whose module stays implemented, in schema order.
	devs []*schema.Node
}

// pruneResult is the pruned schema and what gen reports about it.
type pruneResult struct {
	s *schema.Schema
	// orig maps each module of s to the module of the whole schema it copies (nil for the
	// generated deviation module).
	orig map[*schema.Module]*schema.Module
	// dev is the generated deviation module, nil when nothing needed one.
	dev       *schema.Module
	unbounded int
	// dropped and demoted name the modules left out and those kept import-only.
	dropped, demoted []string
}

// pruneSchema returns the part of s that the subtrees at sel (with their ancestors anc) need,
// as a new finalized schema sharing nothing mutable with s (see the rules above).
func pruneSchema(s *schema.Schema, sel, anc map[*schema.Node]bool, pkg string, paths []string) (*pruneResult, error) {
	p := &pruner{s: s, sel: sel, anc: anc, pkg: pkg, paths: paths, kept: map[*schema.Node]bool{},
		identMods: map[*schema.Module]bool{}, refMods: map[*schema.Module]bool{},
		hasNodes: map[*schema.Module]bool{}, augments: map[*schema.Module]map[*schema.Module]bool{}}
	p.mark()
	return p.copySchema()
}

func (p *pruner) add(n *schema.Node) {
	if n != nil && !p.kept[n] {
		p.kept[n] = true
		p.queue = append(p.queue, n)
	}
}

func (p *pruner) addTree(n *schema.Node) {
	p.add(n)
	for _, c := range n.Children {
		p.addTree(c)
	}
}

// inSel reports whether n is in a selected subtree.
func (p *pruner) inSel(n *schema.Node) bool {
	for a := n; a != nil; a = a.Parent {
		if p.sel[a] {
			return true
		}
	}
	return false
}

// mark computes p.kept.
func (p *pruner) mark() {
	proto := protocolModules()
	for n := range p.sel {
		p.addTree(n)
	}
	for n := range p.anc {
		p.add(n)
	}
	// The protocol modules' nodes, wherever they are (augments too), and the operations
	// Options.Paths keeps (named by a path, on one, or in a subtree): whole.
	var walk func(n *schema.Node, top *schema.Module)
	walk = func(n *schema.Node, top *schema.Module) {
		p.hasNodes[n.Module] = true
		if n.Module != top {
			if p.augments[n.Module] == nil {
				p.augments[n.Module] = map[*schema.Module]bool{}
			}
			p.augments[n.Module][top] = true
		}
		switch {
		case proto[n.Module.Name]:
			p.addTree(n)
			return
		case n.Kind == schema.KindRPC || n.Kind == schema.KindAction || n.Kind == schema.KindNotification:
			if p.anc[n] || p.inSel(n) {
				p.addTree(n)
				return
			}
		}
		for _, c := range n.Children {
			walk(c, top)
		}
	}
	for _, m := range p.s.Modules {
		for _, list := range [][]*schema.Node{m.Data, m.RPCs, m.Notifications} {
			for _, n := range list {
				walk(n, n.Module)
			}
		}
	}
	for len(p.queue) > 0 {
		n := p.queue[len(p.queue)-1]
		p.queue = p.queue[:len(p.queue)-1]
		p.need(n)
	}
}

// need adds what kept node n needs.
func (p *pruner) need(n *schema.Node) {
	p.add(n.Parent)
	for _, k := range n.Keys() {
		p.add(k)
	}
	if n.Type != nil {
		p.typeNeeds(n, n.Type)
	}
	for _, m := range n.Musts() {
		p.refMods[m.Module] = true
		p.prefixMods(m.Prefixes)
		p.deps(m.Expr, m.Prefixes, m.Module, n)
	}
	for _, w := range n.Whens() {
		p.refMods[w.Module] = true
		p.prefixMods(w.Prefixes)
		// The context node as the validator takes it (pkg/validate compile.go): the node
		// itself for its own when with Self, else its parent instance.
		ctx := n.DataParent()
		if w.Self && n.Kind.IsData() {
			ctx = n
		}
		p.deps(w.Expr, w.Prefixes, w.Module, ctx)
	}
	for _, u := range n.Unique() {
		for _, l := range u.Leaves {
			p.add(l)
		}
	}
	if dc := n.DefaultCase(); dc != nil {
		p.addTree(dc)
	}
	for _, c := range n.Children {
		if mandatory(c) {
			if c.Kind == schema.KindChoice {
				p.addTree(c) // which case a client picks is its choice
			} else {
				p.add(c)
			}
		}
	}
}

// mandatory reports whether n is a mandatory node (RFC 7950 section 3): a mandatory leaf,
// choice, anydata or anyxml, a list or leaf-list with min-elements, or a non-presence container
// holding one.
func mandatory(n *schema.Node) bool {
	switch n.Kind {
	case schema.KindLeaf, schema.KindChoice, schema.KindAnydata, schema.KindAnyxml:
		return n.Mandatory
	case schema.KindList, schema.KindLeafList:
		return n.MinElements() > 0
	case schema.KindContainer:
		if n.Presence() != "" {
			return false
		}
		for _, c := range n.Children {
			if mandatory(c) {
				return true
			}
		}
	}
	return false
}

// deps adds what expression expr (a must, when or leafref path) evaluated at ctx may read.
func (p *pruner) deps(expr string, prefixes schema.Prefixes, mod *schema.Module, ctx *schema.Node) {
	e, err := xpath.Compile(expr, prefixes, mod, ctx)
	if err != nil {
		p.unbounded++
		return
	}
	if !e.DepsComplete() {
		p.unbounded++
	}
	for _, d := range e.Deps() {
		p.add(d)
	}
}

func (p *pruner) prefixMods(ps schema.Prefixes) {
	for _, m := range ps {
		p.refMods[m] = true
	}
}

// typeNeeds adds what the type t of kept leaf n needs.
func (p *pruner) typeNeeds(n *schema.Node, t *schema.Type) {
	if t.Module != nil {
		p.refMods[t.Module] = true
	}
	switch t.Base {
	case schema.Leafref:
		p.add(t.Target) // the leafref's values are the target's type
		if t.PathModule != nil {
			p.refMods[t.PathModule] = true
		}
		p.prefixMods(t.PathPrefixes)
		if t.RequireInstance && t.Path != "" {
			p.deps(t.Path, t.PathPrefixes, t.PathModule, n)
		}
	case schema.Identityref:
		for _, b := range t.Bases {
			p.identMods[b.Module] = true
			for _, d := range b.Derived {
				p.identMods[d.Module] = true
			}
		}
	case schema.Union:
		for _, u := range t.Union {
			p.typeNeeds(n, u)
		}
	}
}

// copySchema copies the kept nodes, the modules that stay and their identities, and adds the
// deviation module.
func (p *pruner) copySchema() (*pruneResult, error) {
	// Which modules stay, and how.
	stay := map[*schema.Module]bool{} // true: as it was; false: import-only
	var visit func(m *schema.Module, asIs bool)
	visit = func(m *schema.Module, asIs bool) {
		if m == nil {
			return
		}
		if was, ok := stay[m]; ok && (was || !asIs) {
			return
		}
		stay[m] = asIs
		for _, im := range m.Prefixes {
			if im != m {
				visit(im, false)
			}
		}
		for _, id := range m.Identities {
			for _, b := range id.Bases {
				visit(b.Module, false)
			}
		}
	}
	proto := protocolModules()
	hasKept := map[*schema.Module]bool{}
	for n := range p.kept {
		hasKept[n.Module] = true
	}
	for _, m := range p.s.Modules {
		// A module without nodes (typedefs, identities, features) loses nothing: as it was.
		if hasKept[m] || p.identMods[m] || proto[m.Name] || !p.hasNodes[m] && m.Implemented && len(m.Identities) == 0 {
			visit(m, true)
		}
	}
	for m := range p.refMods {
		visit(m, false)
	}
	// The deviators of a staying implemented module stay as they were, and so do the modules
	// it augments: implementing a module with an augment implements the augmented module
	// (RFC 7950 section 5.6.5), whose nodes left out are then deviated.
	for changed := true; changed; {
		changed = false
		for _, m := range p.s.Modules {
			if asIs, ok := stay[m]; !ok || !asIs || !m.Implemented {
				continue
			}
			for _, d := range m.Deviations {
				if dm := p.s.Module(d); dm != nil && !stay[dm] {
					visit(dm, true)
					changed = true
				}
			}
			for _, am := range p.s.Modules {
				if p.augments[m][am] && !stay[am] {
					visit(am, true)
					changed = true
				}
			}
		}
	}
	// A module that stays import-only has no kept node (its augments do not apply); one kept as
	// it was may have been import-only already.
	implemented := func(m *schema.Module) bool { return stay[m] && m.Implemented }

	res := &pruneResult{s: &schema.Schema{}, orig: map[*schema.Module]*schema.Module{}}
	p.mods = map[*schema.Module]*schema.Module{}
	p.idents = map[*schema.Identity]*schema.Identity{}
	p.nodes = map[*schema.Node]*schema.Node{}
	p.types = map[*schema.Type]*schema.Type{}
	p.musts = map[*schema.Must]*schema.Must{}
	p.whens = map[*schema.When]*schema.When{}
	p.uniques = map[*schema.Unique]*schema.Unique{}
	for _, m := range p.s.Modules {
		asIs, ok := stay[m]
		if !ok {
			res.dropped = append(res.dropped, moduleID(m))
			continue
		}
		c := &schema.Module{Name: m.Name, Namespace: m.Namespace, Prefix: m.Prefix, Revision: m.Revision,
			YangVersion: m.YangVersion, Description: m.Description, Implemented: m.Implemented && asIs,
			Submodules: slices.Clone(m.Submodules), SubmoduleRevisions: slices.Clone(m.SubmoduleRevisions),
			Source: m.Source, File: m.File}
		if m.Implemented && !asIs {
			res.demoted = append(res.demoted, moduleID(m))
		}
		for _, d := range m.Deviations {
			if dm := p.s.Module(d); dm != nil && stay[dm] {
				c.Deviations = append(c.Deviations, d)
			}
		}
		for _, f := range m.Features {
			fc := *f
			fc.Module = c
			c.Features = append(c.Features, &fc)
		}
		p.mods[m] = c
		res.orig[c] = m
		res.s.Modules = append(res.s.Modules, c)
	}
	for _, m := range p.s.Modules {
		c := p.mods[m]
		if c == nil {
			continue
		}
		c.Prefixes = p.prefixes(m.Prefixes)
		for _, id := range m.Identities {
			c.Identities = append(c.Identities, p.identity(id))
		}
	}
	// Nodes: a module's top-level lists keep its kept nodes; a node left out whose module
	// stays implemented is deviated.
	devOf := func(n *schema.Node) {
		if implemented(n.Module) && !proto[n.Module.Name] {
			p.devs = append(p.devs, n)
		}
	}
	var copyList func(ns []*schema.Node, parent *schema.Node) []*schema.Node
	copyList = func(ns []*schema.Node, parent *schema.Node) []*schema.Node {
		var out []*schema.Node
		for _, n := range ns {
			if !p.kept[n] { // a kept node's module stays as it was (hasKept)
				devOf(n)
				continue
			}
			c := p.node(n)
			c.Parent = parent
			c.Children = copyList(n.Children, c)
			out = append(out, c)
		}
		return out
	}
	for _, m := range p.s.Modules {
		c := p.mods[m]
		if c == nil {
			continue
		}
		c.Data = copyList(m.Data, nil)
		c.RPCs = copyList(m.RPCs, nil)
		c.Notifications = copyList(m.Notifications, nil)
	}
	// Pointers between nodes, once every kept node has its copy.
	for o, c := range p.nodes {
		if err := p.fill(o, c); err != nil {
			return nil, err
		}
	}
	res.unbounded = p.unbounded
	if len(p.devs) > 0 {
		res.dev = p.devModule()
		res.s.Modules = append(res.s.Modules, res.dev)
	}
	res.s.Finalize()
	return res, nil
}

func (p *pruner) prefixes(ps schema.Prefixes) schema.Prefixes {
	if ps == nil {
		return nil
	}
	out := make(schema.Prefixes, len(ps))
	for k, m := range ps {
		out[k] = p.mods[m]
	}
	return out
}

func (p *pruner) identity(id *schema.Identity) *schema.Identity {
	if id == nil {
		return nil
	}
	if c := p.idents[id]; c != nil {
		return c
	}
	c := &schema.Identity{Name: id.Name, Module: p.mods[id.Module], Description: id.Description}
	p.idents[id] = c
	for _, b := range id.Bases {
		c.Bases = append(c.Bases, p.identity(b))
	}
	return c
}

// node returns the copy of kept node n, its fields but the pointers to other nodes filled.
func (p *pruner) node(n *schema.Node) *schema.Node {
	c := &schema.Node{Kind: n.Kind, Config: n.Config, Mandatory: n.Mandatory, OrderedByUser: n.OrderedByUser,
		Amended: n.Amended, Decl: n.Decl, Module: p.mods[n.Module]}
	c.SetReference(n.Reference())
	c.SetMinElements(n.MinElements())
	c.SetMaxElements(n.MaxElements())
	c.SetExtensions(slices.Clone(n.Extensions()))
	for _, m := range n.Musts() {
		c.SetMusts(append(c.Musts(), p.must(m)))
	}
	for _, w := range n.Whens() {
		c.SetWhens(append(c.Whens(), p.when(w)))
	}
	p.nodes[n] = c
	return c
}

// fill sets the pointers of copy c of node o to other nodes (keys, unique leaves, the default
// case, leafref targets).
func (p *pruner) fill(o, c *schema.Node) error {
	ref := func(n *schema.Node, what string) (*schema.Node, error) {
		if n == nil {
			return nil, nil
		}
		if r := p.nodes[n]; r != nil {
			return r, nil
		}
		return nil, fmt.Errorf("gen: pruning the schema: %s of %s (%s) was left out", what, o.Path(), n.Path())
	}
	var err error
	var keys []*schema.Node
	for _, k := range o.Keys() {
		r, e := ref(k, "key")
		if e != nil {
			return e
		}
		keys = append(keys, r)
	}
	c.SetKeys(keys)
	for _, u := range o.Unique() {
		cu := p.uniques[u]
		if cu == nil {
			cu = &schema.Unique{Paths: slices.Clone(u.Paths), Loc: u.Loc}
			for _, l := range u.Leaves {
				r, e := ref(l, "a unique leaf")
				if e != nil {
					return e
				}
				cu.Leaves = append(cu.Leaves, r)
			}
			p.uniques[u] = cu
		}
		c.SetUnique(append(c.Unique(), cu))
	}
	dc, err := ref(o.DefaultCase(), "the default case")
	if err != nil {
		return err
	}
	c.SetDefaultCase(dc)
	if c.Type, err = p.typ(o, o.Type); err != nil {
		return err
	}
	return nil
}

func (p *pruner) typ(o *schema.Node, t *schema.Type) (*schema.Type, error) {
	if t == nil {
		return nil, nil
	}
	if c := p.types[t]; c != nil {
		return c, nil
	}
	c := new(schema.Type)
	*c = *t
	p.types[t] = c
	c.Module = p.mods[t.Module]
	c.PathModule = p.mods[t.PathModule]
	c.PathPrefixes = p.prefixes(t.PathPrefixes)
	if t.Target != nil {
		if c.Target = p.nodes[t.Target]; c.Target == nil {
			return nil, fmt.Errorf("gen: pruning the schema: the leafref target of %s (%s) was left out", o.Path(), t.Target.Path())
		}
	}
	c.Bases = nil
	for _, b := range t.Bases {
		c.Bases = append(c.Bases, p.identity(b))
	}
	c.Union = nil
	for _, u := range t.Union {
		cu, err := p.typ(o, u)
		if err != nil {
			return nil, err
		}
		c.Union = append(c.Union, cu)
	}
	return c, nil
}

func (p *pruner) must(m *schema.Must) *schema.Must {
	if c := p.musts[m]; c != nil {
		return c
	}
	c := new(schema.Must)
	*c = *m
	c.Prefixes, c.Module = p.prefixes(m.Prefixes), p.mods[m.Module]
	p.musts[m] = c
	return c
}

func (p *pruner) when(w *schema.When) *schema.When {
	if c := p.whens[w]; c != nil {
		return c
	}
	c := new(schema.When)
	*c = *w
	c.Prefixes, c.Module = p.prefixes(w.Prefixes), p.mods[w.Module]
	p.whens[w] = c
	return c
}

// devModule returns the deviation module naming p.devs not-supported, and adds it to the
// deviations of the copied modules it deviates.
func (p *pruner) devModule() *schema.Module {
	name := pruneModulePrefix + strings.ToLower(strings.ReplaceAll(p.pkg, "_", "-"))
	dev := &schema.Module{Name: name, Namespace: "urn:ncws:prune:" + p.pkg, Prefix: "ncws-prune",
		YangVersion: "1.1", Implemented: true, File: name + ".yang"}
	dev.Prefixes = schema.Prefixes{dev.Prefix: dev}
	// Import prefixes: each deviated module's own, numbered when taken.
	pfx := map[*schema.Module]string{}
	taken := map[string]bool{dev.Prefix: true}
	var imports []*schema.Module
	prefixOf := func(m *schema.Module) string {
		if s, ok := pfx[m]; ok {
			return s
		}
		s := m.Prefix
		for i := 2; taken[s]; i++ {
			s = m.Prefix + strconv.Itoa(i)
		}
		taken[s] = true
		pfx[m] = s
		imports = append(imports, m)
		return s
	}
	var targets []string
	deviated := map[*schema.Module]bool{}
	for _, n := range p.devs {
		var steps []string
		for a := n; a != nil; a = a.Parent {
			steps = append(steps, prefixOf(a.Module)+":"+a.Name)
		}
		slices.Reverse(steps)
		targets = append(targets, "/"+strings.Join(steps, "/"))
		deviated[n.Module] = true
	}
	sort.Slice(imports, func(i, j int) bool { return imports[i].Name < imports[j].Name })
	var b strings.Builder
	fmt.Fprintf(&b, "module %s {\n  yang-version 1.1;\n  namespace %q;\n  prefix %s;\n\n", name, dev.Namespace, dev.Prefix)
	for _, m := range imports {
		fmt.Fprintf(&b, "  import %s {\n    prefix %s;\n", m.Name, pfx[m])
		if m.Revision != "" {
			fmt.Fprintf(&b, "    revision-date %s;\n", m.Revision)
		}
		b.WriteString("  }\n")
		dev.Prefixes[pfx[m]] = p.mods[m]
	}
	dev.Description = "Generated by ncws gen --prune-schema for the Go package " + p.pkg + " (--path " +
		strings.Join(p.paths, " --path ") + "): the schema nodes its embedded schema leaves out. " +
		"A server built on the package implements the modules this module deviates without them, " +
		"and refuses their data as unknown."
	fmt.Fprintf(&b, "\n  description\n    \"%s\";\n", strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(dev.Description))
	for _, t := range targets {
		fmt.Fprintf(&b, "\n  deviation \"%s\" {\n    deviate not-supported;\n  }\n", t)
	}
	b.WriteString("}\n")
	dev.Source = b.String()
	for o, c := range p.mods {
		if deviated[o] {
			c.Deviations = append(c.Deviations, name)
		}
	}
	return dev
}
