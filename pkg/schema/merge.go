package schema

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// ErrMergeConflict is wrapped by the errors Merge returns for inputs that cannot be combined: a
// module in different revisions, an implemented module with different features or deviations,
// an identity with different bases, or a schema node of different kind, type, config, presence
// or keys.
var ErrMergeConflict = errors.New("schema: merge conflict")

// Merge combines schemas into one schema holding the union of their modules, as a server needs
// to serve several generated packages (each of which carries the NETCONF protocol modules beside
// its own) at once.
//
// A module (same name and revision) present in several inputs becomes one module. Its schema
// tree is the union of the inputs' trees, nodes identified by module and name at each level:
// the nodes of the first input holding a module keep their order, and the nodes only a later
// input has (typically those another module of that input augments in) follow in that input's
// order. A node's fields come from the first input that has it; so do an identity's. Each
// module's identities are the union of the inputs'. A module implemented in one input and only
// imported in another is implemented, and its metadata (features, deviations, source ...) comes
// from the first input that implements it.
//
// Merge fails with an error wrapping ErrMergeConflict when a module name appears with different
// revisions (or two names with one namespace), when a module implemented in two inputs has
// different features or deviations there, when an identity has different bases, or when a node
// has a different kind, config, presence, keys or leaf type (name and built-in type) in two
// inputs. It fails without wrapping ErrMergeConflict for a nil input or one that is not
// self-contained (a pointer to a module, identity or node outside it).
//
// The result shares nothing with the inputs but strings and compiled regular expressions: every
// module, identity, node, type, must, when, unique, pattern and prefix map is a copy pointing
// into the result. It is finalized and used like a loaded schema. The inputs are not modified.
// With a single input, Merge returns that input itself; with none, an empty schema.
func Merge(schemas ...*Schema) (*Schema, error) {
	for i, s := range schemas {
		if s == nil {
			return nil, fmt.Errorf("schema: merge: schemas[%d] is nil", i)
		}
	}
	if len(schemas) == 1 {
		return schemas[0], nil
	}
	m := &merger{
		out:      &Schema{},
		mods:     map[*Module]*Module{},
		modSrc:   map[*Module]*modOrigin{},
		idents:   map[*Identity]*Identity{},
		identSrc: map[*Identity]identOrigin{},
		nodes:    map[*Node]*Node{},
		nodeSrc:  map[*Node]nodeOrigin{},
		types:    map[*Type]*Type{},
		patterns: map[*Pattern]*Pattern{},
		musts:    map[*Must]*Must{},
		whens:    map[*When]*When{},
		uniques:  map[*Unique]*Unique{},
		prefixes: map[uintptr]Prefixes{},
	}
	if m.modules(schemas); m.err != nil {
		return nil, m.err
	}
	if m.identities(schemas); m.err != nil {
		return nil, m.err
	}
	for i, s := range schemas {
		for _, mod := range s.Modules {
			rm := m.mods[mod]
			rm.Data = m.mergeNodes(rm.Data, mod.Data, nil, i)
			rm.RPCs = m.mergeNodes(rm.RPCs, mod.RPCs, nil, i)
			rm.Notifications = m.mergeNodes(rm.Notifications, mod.Notifications, nil, i)
		}
	}
	if m.err != nil {
		return nil, m.err
	}
	m.fill()
	if m.err != nil {
		return nil, m.err
	}
	m.out.Finalize()
	return m.out, nil
}

// merger holds the state of one Merge: the result and the maps from every input's modules,
// identities and nodes to the result's, with each result object's source (the input object its
// fields are copied from, and that input's index).
type merger struct {
	out      *Schema
	mods     map[*Module]*Module
	modSrc   map[*Module]*modOrigin
	idents   map[*Identity]*Identity
	identSrc map[*Identity]identOrigin
	nodes    map[*Node]*Node
	nodeSrc  map[*Node]nodeOrigin

	// Copies of the values nodes and types point to, by input pointer, so that values the
	// inputs share stay shared in the result.
	types    map[*Type]*Type
	patterns map[*Pattern]*Pattern
	musts    map[*Must]*Must
	whens    map[*When]*When
	uniques  map[*Unique]*Unique
	prefixes map[uintptr]Prefixes // by the input map's address

	err error
}

type modOrigin struct {
	src *Module
	in  int
	// implemented is set when any input implements the module.
	implemented bool
}

type identOrigin struct {
	src *Identity
	in  int
}

type nodeOrigin struct {
	src *Node
	in  int
}

func (m *merger) conflict(format string, args ...any) {
	if m.err == nil {
		m.err = fmt.Errorf("%w: "+format, append([]any{ErrMergeConflict}, args...)...)
	}
}

func (m *merger) fail(format string, args ...any) {
	if m.err == nil {
		m.err = fmt.Errorf("schema: merge: "+format, args...)
	}
}

// modName is "name@revision", or the name alone for a module without revision.
func modName(mod *Module) string {
	if mod.Revision == "" {
		return mod.Name
	}
	return mod.Name + "@" + mod.Revision
}

// modules creates the result's modules, one per name and revision, and checks that the inputs
// agree on them.
func (m *merger) modules(schemas []*Schema) {
	type revs struct {
		in   int
		revs []string
	}
	first := map[string]revs{}
	nsName := map[string]string{} // namespace -> module name
	type key struct{ name, rev string }
	byKey := map[key]*Module{}
	for i, s := range schemas {
		mine := map[string][]string{}
		var names []string
		for j, mod := range s.Modules {
			if mod == nil {
				m.fail("schemas[%d]: module %d is nil", i, j)
				return
			}
			if _, ok := mine[mod.Name]; !ok {
				names = append(names, mod.Name)
			}
			mine[mod.Name] = append(mine[mod.Name], mod.Revision)
		}
		for _, name := range names {
			rs := mine[name]
			slices.Sort(rs)
			prev, ok := first[name]
			if !ok {
				first[name] = revs{i, rs}
				continue
			}
			if !slices.Equal(prev.revs, rs) {
				m.conflict("module %s: revision %s in schemas[%d], %s in schemas[%d]",
					name, revList(prev.revs), prev.in, revList(rs), i)
				return
			}
		}
		for _, mod := range s.Modules {
			if other, ok := nsName[mod.Namespace]; ok && other != mod.Name {
				m.conflict("namespace %s: module %s and module %s (schemas[%d])", mod.Namespace, other, mod.Name, i)
				return
			}
			nsName[mod.Namespace] = mod.Name
			k := key{mod.Name, mod.Revision}
			rm := byKey[k]
			if rm == nil {
				rm = &Module{Name: mod.Name, Revision: mod.Revision}
				byKey[k] = rm
				m.out.Modules = append(m.out.Modules, rm)
				m.modSrc[rm] = &modOrigin{src: mod, in: i, implemented: mod.Implemented}
				m.mods[mod] = rm
				continue
			}
			m.mods[mod] = rm
			o := m.modSrc[rm]
			if o.src.Namespace != mod.Namespace {
				m.conflict("module %s: namespace %s in schemas[%d], %s in schemas[%d]",
					modName(mod), o.src.Namespace, o.in, mod.Namespace, i)
				return
			}
			switch {
			case o.src.Implemented && mod.Implemented:
				m.sameFeatures(o.src, o.in, mod, i)
				m.sameDeviations(o.src, o.in, mod, i)
			case mod.Implemented:
				// An implemented module wins over an import-only one: its features are those
				// the server advertises.
				o.src, o.in, o.implemented = mod, i, true
			}
			if m.err != nil {
				return
			}
		}
	}
}

func revList(rs []string) string {
	out := make([]string, len(rs))
	for i, r := range rs {
		if r == "" {
			r = "(none)"
		}
		out[i] = r
	}
	return strings.Join(out, ",")
}

// sameFeatures checks that two inputs implement a module with the same enabled features.
func (m *merger) sameFeatures(a *Module, ai int, b *Module, bi int) {
	state := func(mod *Module) map[string]string {
		out := map[string]string{}
		for _, f := range mod.Features {
			if f == nil {
				continue
			}
			if f.Enabled {
				out[f.Name] = "enabled"
			} else {
				out[f.Name] = "disabled"
			}
		}
		return out
	}
	as, bs := state(a), state(b)
	var names []string
	for n := range as {
		names = append(names, n)
	}
	for n := range bs {
		if _, ok := as[n]; !ok {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	for _, n := range names {
		x, y := as[n], bs[n]
		if x == y {
			continue
		}
		if x == "" {
			x = "undefined"
		}
		if y == "" {
			y = "undefined"
		}
		m.conflict("module %s: feature %s %s in schemas[%d], %s in schemas[%d]", modName(a), n, x, ai, y, bi)
		return
	}
}

// sameDeviations checks that two inputs implement a module with the same deviation modules.
func (m *merger) sameDeviations(a *Module, ai int, b *Module, bi int) {
	x, y := slices.Clone(a.Deviations), slices.Clone(b.Deviations)
	slices.Sort(x)
	slices.Sort(y)
	if !slices.Equal(x, y) {
		m.conflict("module %s: deviations [%s] in schemas[%d], [%s] in schemas[%d]",
			modName(a), strings.Join(x, " "), ai, strings.Join(y, " "), bi)
	}
}

// identities creates the result's identities, the union of each module's, and checks that the
// inputs agree on their bases.
func (m *merger) identities(schemas []*Schema) {
	type key struct {
		mod  *Module
		name string
	}
	byKey := map[key]*Identity{}
	for i, s := range schemas {
		for _, mod := range s.Modules {
			rm := m.mods[mod]
			for _, id := range mod.Identities {
				if id == nil {
					m.fail("schemas[%d]: module %s: nil identity", i, modName(mod))
					return
				}
				k := key{rm, id.Name}
				ri := byKey[k]
				if ri == nil {
					ri = &Identity{Name: id.Name, Module: rm}
					byKey[k] = ri
					rm.Identities = append(rm.Identities, ri)
					m.identSrc[ri] = identOrigin{id, i}
				}
				m.idents[id] = ri
			}
		}
	}
	// Bases once every identity is mapped.
	for _, rm := range m.out.Modules {
		for _, ri := range rm.Identities {
			o := m.identSrc[ri]
			ri.Bases = m.identList(o.src.Bases, o.in)
		}
	}
	for i, s := range schemas {
		for _, mod := range s.Modules {
			for _, id := range mod.Identities {
				ri := m.idents[id]
				if o := m.identSrc[ri]; o.src == id {
					continue
				}
				if bases := m.identList(id.Bases, i); !sameIdentities(ri.Bases, bases) {
					m.conflict("identity %s:%s: bases [%s] in schemas[%d], [%s] in schemas[%d]", modName(ri.Module), ri.Name,
						identNames(ri.Bases), m.identSrc[ri].in, identNames(bases), i)
					return
				}
			}
		}
	}
}

func sameIdentities(a, b []*Identity) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

func identNames(ids []*Identity) string {
	var out []string
	for _, id := range ids {
		if id != nil {
			out = append(out, id.Module.Name+":"+id.Name)
		}
	}
	return strings.Join(out, " ")
}

// mergeNodes merges the input nodes src (of schemas[in]) into the result nodes dst, children of
// parent, and returns the new list: dst's nodes in their order, then src's nodes dst did not
// have.
func (m *merger) mergeNodes(dst, src []*Node, parent *Node, in int) []*Node {
	var index map[qname]*Node
	if len(dst) > 0 {
		index = make(map[qname]*Node, len(dst))
		for _, r := range dst {
			index[qname{r.Module, r.Name}] = r
		}
	}
	for _, s := range src {
		if m.err != nil {
			return dst
		}
		if s == nil {
			m.fail("schemas[%d]: nil node", in)
			return dst
		}
		rmod := m.mods[s.Module]
		if rmod == nil {
			m.fail("schemas[%d]: node %s: its module is not part of the schema", in, s.Name)
			return dst
		}
		k := qname{rmod, s.Name}
		if r := index[k]; r != nil {
			m.nodes[s] = r
			m.sameNode(r, s, in)
			r.Children = m.mergeNodes(r.Children, s.Children, r, in)
			continue
		}
		r := &Node{Kind: s.Kind, Decl: &Decl{Name: s.Name}, Module: rmod, Parent: parent}
		m.nodes[s] = r
		m.nodeSrc[r] = nodeOrigin{s, in}
		if index == nil {
			index = map[qname]*Node{}
		}
		index[k] = r
		dst = append(dst, r)
		r.Children = m.mergeNodes(nil, s.Children, r, in)
	}
	return dst
}

// sameNode checks that input node b (of schemas[bi]) agrees with the result node r it merges
// into on what is cheap to compare.
func (m *merger) sameNode(r, b *Node, bi int) {
	o := m.nodeSrc[r]
	a := o.src
	diff := func(what string, x, y any) {
		m.conflict("node %s: %s %v in schemas[%d], %v in schemas[%d]", r.Path(), what, x, o.in, y, bi)
	}
	switch {
	case a.Kind != b.Kind:
		diff("kind", a.Kind, b.Kind)
	case a.Config != b.Config:
		diff("config", a.Config, b.Config)
	case a.Presence() != b.Presence():
		diff("presence", fmt.Sprintf("%q", a.Presence()), fmt.Sprintf("%q", b.Presence()))
	case keyNames(a) != keyNames(b):
		diff("keys", "["+keyNames(a)+"]", "["+keyNames(b)+"]")
	case typeName(a.Type) != typeName(b.Type):
		diff("type", typeName(a.Type), typeName(b.Type))
	}
}

func keyNames(n *Node) string {
	var out []string
	for _, k := range n.Keys() {
		if k != nil {
			out = append(out, k.Name)
		}
	}
	return strings.Join(out, " ")
}

// typeName is the name a type was referred by and its built-in type.
func typeName(t *Type) string {
	if t == nil {
		return "(none)"
	}
	return t.Name + " (" + t.Base.String() + ")"
}

// fill copies every field of the result's modules, identities and nodes from their sources,
// pointers mapped into the result.
func (m *merger) fill() {
	for _, rm := range m.out.Modules {
		o := m.modSrc[rm]
		src := o.src
		ids, data, rpcs, notifs := rm.Identities, rm.Data, rm.RPCs, rm.Notifications
		*rm = *src
		rm.Identities, rm.Data, rm.RPCs, rm.Notifications = ids, data, rpcs, notifs
		rm.identByName = nil
		rm.Implemented = o.implemented
		rm.Submodules = slices.Clone(src.Submodules)
		rm.SubmoduleRevisions = slices.Clone(src.SubmoduleRevisions)
		rm.Deviations = slices.Clone(src.Deviations)
		rm.Prefixes = m.prefixMap(src.Prefixes, o.in)
		rm.Features = nil
		if len(src.Features) > 0 {
			fs := make([]Feature, len(src.Features))
			rm.Features = make([]*Feature, len(src.Features))
			for i, f := range src.Features {
				if f == nil {
					m.fail("schemas[%d]: module %s: nil feature", o.in, modName(src))
					return
				}
				fs[i] = *f
				fs[i].Module = m.module(f.Module, o.in)
				rm.Features[i] = &fs[i]
			}
		}
		for _, ri := range rm.Identities {
			io := m.identSrc[ri]
			bases := ri.Bases
			*ri = *io.src
			ri.Module, ri.Bases, ri.Derived, ri.qname, ri.derivedIdx = rm, bases, nil, "", nil
		}
	}
	var walk func(r *Node)
	walk = func(r *Node) {
		m.fillNode(r)
		for _, c := range r.Children {
			walk(c)
		}
	}
	for _, rm := range m.out.Modules {
		for _, list := range [][]*Node{rm.Data, rm.RPCs, rm.Notifications} {
			for _, r := range list {
				walk(r)
			}
		}
	}
}

func (m *merger) fillNode(r *Node) {
	o := m.nodeSrc[r]
	s, in := o.src, o.in
	kids, parent, mod := r.Children, r.Parent, r.Module
	*r = *s
	r.Children, r.Parent, r.Module = kids, parent, mod
	r.aux, r.depth, r.ordinal, r.id = nil, 0, 0, 0
	r.SetReference(s.Reference())
	r.SetMinElements(s.MinElements())
	r.SetMaxElements(s.MaxElements())
	r.SetKeys(m.nodeList(s.Keys(), in))
	r.SetUnique(nil)
	for _, u := range s.Unique() {
		r.SetUnique(append(r.Unique(), m.unique(u, in)))
	}
	r.Type = m.typ(s.Type, in)
	r.Decl = s.Decl.Clone()
	r.SetDefaultCase(m.node(s.DefaultCase(), in))
	r.SetMusts(nil)
	for _, x := range s.Musts() {
		r.SetMusts(append(r.Musts(), m.must(x, in)))
	}
	r.SetWhens(nil)
	for _, x := range s.Whens() {
		r.SetWhens(append(r.Whens(), m.when(x, in)))
	}
	r.SetExtensions(slices.Clone(s.Extensions()))
}

// module maps an input module of schemas[in] to the result's; nil stays nil.
func (m *merger) module(mod *Module, in int) *Module {
	if mod == nil {
		return nil
	}
	r := m.mods[mod]
	if r == nil {
		m.fail("schemas[%d]: module %s is not part of the schema", in, modName(mod))
	}
	return r
}

// node maps an input node of schemas[in] to the result's; nil stays nil.
func (m *merger) node(n *Node, in int) *Node {
	if n == nil {
		return nil
	}
	r := m.nodes[n]
	if r == nil {
		m.fail("schemas[%d]: node %s is not part of the schema tree", in, n.Name)
	}
	return r
}

func (m *merger) nodeList(ns []*Node, in int) []*Node {
	if ns == nil {
		return nil
	}
	out := make([]*Node, len(ns))
	for i, n := range ns {
		out[i] = m.node(n, in)
	}
	return out
}

func (m *merger) identList(ids []*Identity, in int) []*Identity {
	if ids == nil {
		return nil
	}
	out := make([]*Identity, len(ids))
	for i, id := range ids {
		out[i] = m.idents[id]
		if out[i] == nil {
			name := "<nil>"
			if id != nil {
				name = id.Name
			}
			m.fail("schemas[%d]: identity %s is not part of the schema", in, name)
		}
	}
	return out
}

func (m *merger) prefixMap(p Prefixes, in int) Prefixes {
	if p == nil {
		return nil
	}
	key := reflect.ValueOf(p).Pointer()
	if c, ok := m.prefixes[key]; ok {
		return c
	}
	c := make(Prefixes, len(p))
	for k, mod := range p {
		c[k] = m.module(mod, in)
	}
	m.prefixes[key] = c
	return c
}

func (m *merger) typ(t *Type, in int) *Type {
	if t == nil {
		return nil
	}
	if c, ok := m.types[t]; ok {
		return c
	}
	c := new(Type)
	*c = *t
	m.types[t] = c
	c.Module = m.module(t.Module, in)
	c.Range = slices.Clone(t.Range)
	c.Length = slices.Clone(t.Length)
	c.Patterns = nil
	for _, p := range t.Patterns {
		c.Patterns = append(c.Patterns, m.pattern(p))
	}
	c.Enums = slices.Clone(t.Enums)
	c.Bits = slices.Clone(t.Bits)
	c.PathPrefixes = m.prefixMap(t.PathPrefixes, in)
	c.PathModule = m.module(t.PathModule, in)
	c.Target = m.node(t.Target, in)
	c.Bases = m.identList(t.Bases, in)
	c.Union = nil
	for _, u := range t.Union {
		c.Union = append(c.Union, m.typ(u, in))
	}
	return c
}

// pattern copies a pattern; the compiled regular expression, immutable and safe for concurrent
// use, is shared.
func (m *merger) pattern(p *Pattern) *Pattern {
	if p == nil {
		return nil
	}
	if c, ok := m.patterns[p]; ok {
		return c
	}
	c := new(Pattern)
	*c = *p
	m.patterns[p] = c
	return c
}

func (m *merger) must(x *Must, in int) *Must {
	if x == nil {
		return nil
	}
	if c, ok := m.musts[x]; ok {
		return c
	}
	c := new(Must)
	*c = *x
	c.Prefixes = m.prefixMap(x.Prefixes, in)
	c.Module = m.module(x.Module, in)
	m.musts[x] = c
	return c
}

func (m *merger) when(x *When, in int) *When {
	if x == nil {
		return nil
	}
	if c, ok := m.whens[x]; ok {
		return c
	}
	c := new(When)
	*c = *x
	c.Prefixes = m.prefixMap(x.Prefixes, in)
	c.Module = m.module(x.Module, in)
	m.whens[x] = c
	return c
}

func (m *merger) unique(u *Unique, in int) *Unique {
	if u == nil {
		return nil
	}
	if c, ok := m.uniques[u]; ok {
		return c
	}
	c := new(Unique)
	*c = *u
	c.Leaves = m.nodeList(u.Leaves, in)
	c.Paths = slices.Clone(u.Paths)
	m.uniques[u] = c
	return c
}
