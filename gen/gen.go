package gen

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/ncws/ncws/pkg/genimpl"
	"github.com/ncws/ncws/pkg/schema"
)

// Version is the generator's version, written into the header of every generated file unless
// Options.Version overrides it.
const Version = "0.1.0"

// Options controls Generate. The zero value of each field means its default.
type Options struct {
	// Package is the Go package name of the output (required).
	Package string
	// Modules names the modules whose data nodes are emitted; default: every implemented module.
	Modules []string
	// CompressPaths asks for OpenConfig config/state path compression (not implemented yet:
	// Generate returns ErrUnsupported when set).
	CompressPaths bool
	// Version is written into the file headers; default Version.
	Version string
	// Paths, when not empty, restricts the Go types to the subtrees at these schema node paths
	// ("/junos-conf-root:configuration/interfaces": a step is [module:]name, the module by name
	// or prefix; an unqualified step is the child in its parent's module, else the one child of
	// that name in any module) and
	// their ancestors, which get only the fields leading to them. An rpc, action or
	// notification is kept when it is in a subtree or named by a path. Everything a kept node
	// refers to comes along: identities and typedefs as the leaves' Go types, and a leafref is
	// the Go type of its target wherever the target is. The embedded schema stays whole (unless
	// PruneSchema), so a server validates leafrefs, must and when that reach outside the
	// subtrees exactly; the conversion ignores data outside them.
	Paths []string
	// PruneSchema, with Paths, embeds only the part of the schema the subtrees need instead of
	// the whole schema: the subtrees and their ancestors, what their validation reads (keys,
	// mandatory children, leafref targets, what must, when and leafref paths reach, identities),
	// the protocol modules a server implements (yang.Protocol) and the operations Paths keeps.
	// A server built on the package refuses data outside them as unknown, and advertises the
	// nodes left out of its implemented modules as not-supported by a generated deviation module,
	// ncws-prune-<package> (prune.go has the rules). Off by default: it changes what a server
	// built on the package accepts.
	PruneSchema bool
	// ShareGroupings gives the containers and lists built from one statement inside a grouping
	// one Go type, named after the statement's place in the grouping, when two or more
	// instances of it have the same content (see share.go); an instance changed where it is
	// used (refine, augment, deviation) keeps its own path-named type. Every instance's path
	// name is declared as an alias of the shared type (up to 1,000 instances), so code using
	// path names compiles with or without it and across releases. For vendor model sets whose
	// groupings are used in thousands of places (Junos) it divides the output many times.
	ShareGroupings bool
	// Split "module" writes one Go package per YANG module instead of one package (see
	// split.go): file names then have directories, ImportPath is required. "" is one package.
	Split string
	// ImportPath is the Go import path of the output directory, for the imports between the
	// packages of a split tree.
	ImportPath string
	// SplitStructs is, with Split "module", the most structs a module's package holds before
	// the module is split below it: the subtrees of its too-large nodes get packages of their
	// own (see split.go). 0 means DefaultSplitStructs; a negative value never splits a module.
	SplitStructs int
}

// DefaultSplitStructs is Options.SplitStructs's default: a package of about 1,000 structs with
// their conversion methods, list helpers and enumerations takes the Go compiler about 250 MB.
const DefaultSplitStructs = 1000

// ErrUnsupported is returned for an option gen does not implement yet.
var ErrUnsupported = errors.New("gen: unsupported option")

// Generate returns the Go files (file name -> gofmt'd content) of a package holding typed structs
// for the data nodes of the selected modules of s, with conversion from and to pkg/data trees
// (through pkg/genimpl's tables, from the structs' field tags). The output is deterministic: the same schema and options give the same bytes.
func Generate(s *schema.Schema, opts Options) (map[string][]byte, error) {
	if s == nil {
		return nil, errors.New("gen: nil schema")
	}
	if opts.Package == "" {
		return nil, errors.New("gen: Options.Package is empty")
	}
	if GoName(opts.Package) == "" || !isIdent(opts.Package) {
		return nil, fmt.Errorf("gen: package name %q is not a Go identifier", opts.Package)
	}
	if opts.Version == "" {
		opts.Version = Version
	}
	if err := checkSplit(opts); err != nil {
		return nil, err
	}
	if opts.PruneSchema && len(opts.Paths) == 0 {
		return nil, errors.New("gen: Options.PruneSchema needs Options.Paths")
	}
	var mods []*schema.Module
	if len(opts.Modules) == 0 {
		for _, m := range s.Modules {
			if m.Implemented {
				mods = append(mods, m)
			}
		}
	} else {
		seen := map[string]bool{}
		for _, name := range opts.Modules {
			m := s.Module(name)
			if m == nil {
				return nil, fmt.Errorf("gen: module %q is not in the schema", name)
			}
			if !seen[m.Name] {
				seen[m.Name] = true
				mods = append(mods, m)
			}
		}
		sort.Slice(mods, func(i, j int) bool { return mods[i].Name < mods[j].Name })
	}
	g := &generator{schema: s, opts: opts, mods: mods, emit: map[*schema.Module]bool{},
		names: newNamespace(reservedNames...), named: map[string]*namedType{}}
	if len(opts.Paths) > 0 {
		g.sel, g.anc = map[*schema.Node]bool{}, map[*schema.Node]bool{}
		for _, p := range opts.Paths {
			n, err := ResolvePath(s, p)
			if err != nil {
				return nil, err
			}
			g.sel[n] = true
			for a := n.Parent; a != nil; a = a.Parent {
				g.anc[a] = true
			}
		}
	}
	for _, m := range mods {
		g.emit[m] = true
	}
	g.pack()
	g.build()
	if opts.Split != "" {
		return g.splitFiles()
	}
	return g.files()
}

func isIdent(s string) bool {
	for i, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return s != ""
}

// fieldKind is what a struct field holds.
type fieldKind int

const (
	fContainer fieldKind = iota
	fList
	fLeaf
	fLeafList
	fAnydata
)

type structType struct {
	name       string
	sn         *schema.Node // nil for Root
	mod        *schema.Module
	fields     []*field
	parentName string
	// ns holds the names of the fields and methods.
	ns *namespace
	// op is the operation whose input, output or notification content st is; nil for data.
	op *operation
	// origin is, for a type shared by the instances of a grouping's node (Options.ShareGroupings),
	// the node's place in its grouping (schema.Node.Grouping), and instances are those nodes;
	// sn is the first of them.
	origin    string
	instances []*schema.Node
	// aliases are the path names of the instances (rule 3 of naming.go), declared as aliases
	// of the shared type; nil past maxPathAliases instances.
	aliases []string
}

type field struct {
	name  string
	kind  fieldKind
	sn    *schema.Node
	st    *structType    // container and list
	typ   *goType        // leaf and leaf-list
	cases []*schema.Node // enclosing cases, outermost first (see dataFields)
	// via is the container a compressed field sits in (config, state or the container around
	// a list), nil for a child of the struct's own node.
	via *schema.Node
	// twins are the config leaves (and the list key) merged into this field under
	// CompressPaths: read and written with it. dropped are the state leaves merged into it:
	// neither read nor written.
	twins   []*field
	dropped []*schema.Node
	get     string // list helper names ("" when not generated)
	new     string
	append  string
}

// goKind is the representation of a YANG value.
type goKind int

const (
	gInt goKind = iota
	gUint
	gString
	gBool
	gEmpty
	gDecimal
	gBinary
	gBits
	gEnum
	gIdent
	gUnion
)

type goType struct {
	kind  goKind
	gname string     // the Go type: "uint16", "OperState", "genimpl.Decimal64" ...
	tag   string     // union wrapper suffix: "Uint16", "String", "OperState" ...
	named *namedType // enum, identity, union
}

type namedType struct {
	kind   goKind // gEnum, gIdent, gUnion
	name   string
	t      *schema.Type
	mod    *schema.Module // module whose file holds it
	origin string         // what it was made for, for its doc comment
	enums  []enumConst
	idents []identConst
	// union members in genimpl.UnionMembers order, each mapped to a wrapper.
	members  []*goType
	wrappers []*wrapper
	memberOf []int // member index -> wrapper index
	gt       *goType
	// same is, for an inline enumeration or union identical to one before it in the package
	// (sameTypes), that type: nt is declared as an alias of it.
	same *namedType
	// table is the name of an enumeration's genimpl.Enum (enumTables).
	table string
}

// goType returns the Go type of the leaves of named type nt: one value for all of them.
func (nt *namedType) goType() *goType {
	if nt.gt == nil {
		nt.gt = &goType{kind: nt.kind, gname: nt.name, tag: nt.name, named: nt}
	}
	return nt.gt
}

type enumConst struct {
	name string
	e    schema.Enum
}

type identConst struct {
	name string
	id   *schema.Identity
}

type wrapper struct {
	name   string
	typ    *goType
	member int // first member index it stands for
}

type generator struct {
	schema  *schema.Schema
	opts    Options
	mods    []*schema.Module
	emit    map[*schema.Module]bool
	names   *namespace
	structs []*structType
	root    *structType
	named   map[string]*namedType
	// prefer names an inline enumeration or union shared by several leaves (one statement in a
	// grouping) after its first use in the module that defines it, by key (see preferOwners).
	prefer    map[string]preferred
	pathNames map[*schema.Node]string
	nameds    []*namedType
	ops       []*operation
	// per emitted module with operations: the names of its Server, Client, Notifier ... types
	api map[*schema.Module]*moduleAPI
	// sel holds the nodes of Options.Paths and anc their ancestors; both nil without Paths.
	sel, anc map[*schema.Node]bool
	// texts numbers descriptions for share's signatures (textID).
	texts map[string]int
	// packed delivers the compressed descriptor and module texts (pack).
	packed <-chan packedSchema
}

// keep reports whether node n gets Go types under Options.Paths: it is in a selected subtree
// or an ancestor of one.
func (g *generator) keep(n *schema.Node) bool {
	if g.sel == nil || g.anc[n] {
		return true
	}
	for p := n; p != nil; p = p.Parent {
		if g.sel[p] {
			return true
		}
	}
	return false
}

// ResolvePath returns the schema node at path: "/" then steps "[module:]name" separated by
// "/"; the module is named by its name or its prefix. An unqualified step is the child of that
// name in its parent's module, else the one child of that name in any module; choices and cases
// are looked through (and may be named too), as are input and output.
func ResolvePath(s *schema.Schema, path string) (*schema.Node, error) {
	if !strings.HasPrefix(path, "/") || len(path) < 2 {
		return nil, fmt.Errorf("gen: path %q: want /[module:]name, then more /[module:]name steps", path)
	}
	var cur *schema.Node
	var children []*schema.Node
	for _, m := range s.Modules {
		children = append(children, m.Data...)
		children = append(children, m.RPCs...)
		children = append(children, m.Notifications...)
	}
	for _, step := range strings.Split(path[1:], "/") {
		q, name, ok := strings.Cut(step, ":")
		if !ok {
			q, name = "", step
		}
		var found []*schema.Node
		var look func(ns []*schema.Node)
		look = func(ns []*schema.Node) {
			for _, c := range ns {
				if c.Name == name && (q == "" || c.Module.Name == q || c.Module.Prefix == q) {
					found = append(found, c)
				}
				if c.Kind == schema.KindChoice || c.Kind == schema.KindCase {
					look(c.Children)
				}
			}
		}
		look(children)
		if q == "" && len(found) > 1 && cur != nil {
			// An unqualified step is first the child in its parent's module.
			var own []*schema.Node
			for _, f := range found {
				if f.Module == cur.Module {
					own = append(own, f)
				}
			}
			if len(own) > 0 {
				found = own
			}
		}
		where := "the top level"
		if cur != nil {
			where = cur.Path()
		}
		switch {
		case len(found) == 0:
			return nil, fmt.Errorf("gen: path %q: no node %q under %s", path, step, where)
		case len(found) > 1 && (q == "" || found[0].Module != found[1].Module):
			var qs []string
			for _, f := range found {
				qs = append(qs, f.Module.Name+":"+f.Name)
			}
			return nil, fmt.Errorf("gen: path %q: %q under %s is ambiguous: %s; qualify it", path, step, where, strings.Join(qs, ", "))
		}
		cur = found[0]
		children = cur.Children
	}
	return cur, nil
}

// dataFields lists the data nodes under children (choices and cases looked through) with the
// cases they sit in, outermost first; a shorthand case is its data node itself. A case's choice
// is its Parent.
func dataFields(children []*schema.Node, cases []*schema.Node, fn func(c *schema.Node, cases []*schema.Node)) {
	for _, c := range children {
		switch c.Kind {
		case schema.KindChoice:
			for _, k := range c.Children {
				cs := append(append([]*schema.Node(nil), cases...), k)
				if k.Kind == schema.KindCase {
					dataFields(k.Children, cs, fn)
				} else {
					dataFields([]*schema.Node{k}, cs, fn)
				}
			}
		case schema.KindContainer, schema.KindList, schema.KindLeaf, schema.KindLeafList, schema.KindAnydata, schema.KindAnyxml:
			fn(c, cases)
		}
	}
}

func (g *generator) build() {
	// Pass 1: every struct node in schema order, with its base name.
	type pending struct {
		sn     *schema.Node
		mod    *schema.Module
		parent int // index in list, -1 for top level
	}
	var nodes []pending
	var walk func(children []*schema.Node, mod *schema.Module, parent int)
	walk = func(children []*schema.Node, mod *schema.Module, parent int) {
		dataFields(children, nil, func(c *schema.Node, _ []*schema.Node) {
			if c.Kind != schema.KindContainer && c.Kind != schema.KindList || !g.keep(c) {
				return
			}
			if g.compressed(c) {
				walk(c.Children, mod, parent)
				return
			}
			nodes = append(nodes, pending{c, mod, parent})
			walk(c.Children, mod, len(nodes)-1)
		})
	}
	for _, m := range g.mods {
		walk(m.Data, m, -1)
	}
	// Pass 2: names, parents first (rule 3: a function of the node's path).
	sts := make([]*structType, len(nodes))
	for i, p := range nodes {
		st := &structType{sn: p.sn, mod: p.mod}
		want := topName(p.sn)
		if p.parent >= 0 {
			st.parentName = sts[p.parent].name
			want = st.parentName + pathStep(p.sn, p.sn.DataParent().Module)
		}
		st.name = g.names.claim(want)
		sts[i] = st
	}
	g.structs = sts
	bySN := make(map[*schema.Node]*structType, len(sts))
	for _, st := range sts {
		bySN[st.sn] = st
	}
	// The rpcs, actions and notifications with their structs, after every data struct.
	g.buildOps(bySN)
	// Pass 3: fields, with value types.
	g.root = &structType{name: "Root"}
	g.preferOwners()
	for _, m := range g.mods {
		g.fields(g.root, m.Data, m, bySN)
	}
	for _, st := range g.structs {
		g.fields(st, st.sn.Children, st.mod, bySN)
	}
	g.fieldNames(g.root)
	g.helpers(g.root)
	for _, st := range g.structs {
		g.fieldNames(st)
		g.helpers(st)
		st.ns = nil // every name of st is claimed
	}
	if g.opts.ShareGroupings {
		g.share()
	}
	// Pass 4: constants of the named types, after every type name.
	for _, nt := range g.nameds {
		switch nt.kind {
		case gEnum:
			for _, e := range nt.t.ValueType().Enums {
				nt.enums = append(nt.enums, enumConst{g.names.claim(nt.name + "_" + constName(e.Name)), e})
			}
		case gIdent:
			for _, id := range identValues(nt.t.ValueType()) {
				want := nt.name + "_" + constName(id.Name)
				if bs := nt.t.ValueType().Bases; len(bs) > 0 && id.Module != bs[0].Module {
					want = nt.name + "_" + modName(id.Module) + "_" + constName(id.Name)
				}
				nt.idents = append(nt.idents, identConst{g.names.claim(want), id})
			}
		}
	}
	if g.opts.Split == "" {
		g.sameTypes()
	}
	g.enumTables()
}

// enumTables names the genimpl.Enum table of each enumeration that is not an alias of another:
// "enum" and the last part of the type's name, numbered by rule 5 when taken
// (JunosQfxConf..._ChecksumValidate_Match: enumMatch, enumMatch2, ...). The table is used only
// by the String and Parse<Type> written next to it, and its Type field names the type; named
// in full, the name was 4 of the 7 repetitions of a type's name per enumeration (Junos: 135
// bytes on average). No other package-level name starts with "enum".
func (g *generator) enumTables() {
	taken := map[string]bool{}
	for _, nt := range g.nameds {
		if nt.kind != gEnum || nt.same != nil {
			continue
		}
		want := "enum" + nt.name[strings.LastIndexByte(nt.name, '_')+1:]
		nt.table = want
		for i := 2; taken[nt.table]; i++ {
			nt.table = want + strconv.Itoa(i)
		}
		taken[nt.table] = true
	}
}

// preferOwners fills g.prefer: an inline enumeration or union statement used by several
// leaves (in a grouping) gets one Go type, named after its first use (in schema order) by a
// leaf of the module whose text holds the statement, so that modules using the grouping
// elsewhere do not rename it. A statement that module never uses is named after its first use.
func (g *generator) preferOwners() {
	g.prefer, g.pathNames = map[string]preferred{}, map[*schema.Node]string{}
	var visit func(t *schema.Type, owner, leafName string, leaf *schema.Node)
	visit = func(t *schema.Type, owner, leafName string, leaf *schema.Node) {
		vt := t.ValueType()
		if vt == nil || vt.Typedef != "" || vt.Loc.IsZero() {
			if vt != nil && vt.Base == schema.Union {
				for _, m := range genimpl.UnionMembers(vt) {
					visit(m, memberOwner(vt, owner), memberHint(vt, leafName), leaf)
				}
			}
			return
		}
		var key string
		switch vt.Base {
		case schema.Enumeration:
			key = enumKey(vt)
		case schema.Union:
			key = unionKey(vt)
			for _, m := range genimpl.UnionMembers(vt) {
				visit(m, memberOwner(vt, owner), memberHint(vt, leafName), leaf)
			}
		default:
			return
		}
		if _, ok := g.prefer[key]; ok || g.locModule(vt.Loc) != leaf.Module {
			return
		}
		want := leafName
		if owner != "" {
			want = owner + "_" + leafName
		}
		g.prefer[key] = preferred{want, leaf.Path()}
	}
	// The data nodes of the whole schema, not only those Options.Paths keeps, so that the
	// names do not depend on the selection; then the operations' own structs.
	var walkData func(owner string, children []*schema.Node)
	walkData = func(owner string, children []*schema.Node) {
		dataFields(children, nil, func(c *schema.Node, _ []*schema.Node) {
			switch c.Kind {
			case schema.KindContainer, schema.KindList:
				switch {
				case !g.compressed(c):
					walkData(g.pathName(c), c.Children)
				case surroundedList(c) != nil:
					l := surroundedList(c)
					walkData(g.pathName(l), l.Children)
				default:
					walkData(owner, c.Children)
				}
			case schema.KindLeaf, schema.KindLeafList:
				o := owner
				if o == "" {
					o = modName(c.Module)
				}
				visit(c.Type, o, GoName(c.Name), c)
			}
		})
	}
	for _, m := range g.mods {
		walkData("", m.Data)
	}
	g.pathNames = nil // a name for every struct node of the schema: 50 MB for Junos
	for _, st := range g.structs {
		if st.op == nil {
			continue
		}
		dataFields(st.sn.Children, nil, func(c *schema.Node, _ []*schema.Node) {
			if c.Kind == schema.KindLeaf || c.Kind == schema.KindLeafList {
				visit(c.Type, st.name, GoName(c.Name), c)
			}
		})
	}
}

// pathName is the name rule 3 gives the struct of data node n (container or list), before
// any numeric suffix.
func (g *generator) pathName(n *schema.Node) string {
	if s, ok := g.pathNames[n]; ok {
		return s
	}
	s := g.pathName1(n)
	g.pathNames[n] = s
	return s
}

func (g *generator) pathName1(n *schema.Node) string {
	p := n.DataParent()
	for p != nil && g.compressed(p) {
		p = p.DataParent()
	}
	if p == nil {
		return topName(n)
	}
	return g.pathName(p) + pathStep(n, n.DataParent().Module)
}

// preferred is the name of a shared inline type and the path of the leaf it is named after.
type preferred struct{ name, path string }

// locModule returns the module whose text (or a submodule's) holds the statement at loc, nil
// if none.
func (g *generator) locModule(loc schema.Loc) *schema.Module {
	file := loc.File()
	unit := file[strings.LastIndexAny(file, "/\\")+1:]
	unit = strings.TrimSuffix(unit, ".yang")
	if i := strings.IndexByte(unit, '@'); i >= 0 {
		unit = unit[:i]
	}
	for _, m := range g.schema.Modules {
		if m.Name == unit {
			return m
		}
		for _, sm := range m.Submodules {
			if sm == unit {
				return m
			}
		}
	}
	return nil
}

// enumKey identifies the Go type of an enumeration: its typedef and values, else its type
// statement and values.
func enumKey(vt *schema.Type) string {
	var sig []string
	for _, e := range vt.Enums {
		sig = append(sig, fmt.Sprintf("%s=%d", e.Name, e.Value))
	}
	switch {
	case vt.Typedef != "" && vt.Module != nil:
		return "enum " + vt.Module.Name + ":" + vt.Typedef + " " + strings.Join(sig, ",")
	case !vt.Loc.IsZero():
		// One Go type per enumeration statement, however often a grouping or typedef uses it.
		return "enum @" + vt.Loc.String() + " " + strings.Join(sig, ",")
	}
	return fmt.Sprintf("enum %p", vt)
}

// identValues returns the identities an identityref of t takes: those derived from every base,
// in the first base's Derived order.
func identValues(t *schema.Type) []*schema.Identity {
	if len(t.Bases) == 0 {
		return nil
	}
	var out []*schema.Identity
	for _, id := range t.Bases[0].Derived {
		ok := true
		for _, b := range t.Bases[1:] {
			ok = ok && id.DerivedFrom(b)
		}
		if ok {
			out = append(out, id)
		}
	}
	return out
}

func (g *generator) fields(st *structType, children []*schema.Node, mod *schema.Module, bySN map[*schema.Node]*structType) {
	if st.ns == nil { // Root gets the top-level nodes of every module, one call each
		st.ns = newNamespace("FromTree", "ToTree")
	}
	byName := map[string]*field{}
	var add func(children []*schema.Node, via *schema.Node)
	add = func(children []*schema.Node, via *schema.Node) {
		var states []*schema.Node
		dataFields(children, nil, func(c *schema.Node, cases []*schema.Node) {
			if !g.keep(c) {
				return
			}
			if via == nil && g.compressed(c) {
				if l := surroundedList(c); l != nil {
					f := &field{sn: l, via: c, cases: cases, kind: fList, st: bySN[l]}
					st.fields = append(st.fields, f)
				} else if c.Name == "state" {
					states = append(states, c) // after config and the direct children
				} else {
					add(c.Children, c)
				}
				return
			}
			f := &field{sn: c, cases: cases, via: via}
			switch c.Kind {
			case schema.KindContainer:
				f.kind, f.st = fContainer, bySN[c]
			case schema.KindList:
				f.kind, f.st = fList, bySN[c]
			case schema.KindLeaf, schema.KindLeafList:
				f.kind = fLeaf
				if c.Kind == schema.KindLeafList {
					f.kind = fLeafList
				}
				owner := st.name
				if st == g.root {
					owner = modName(c.Module)
				}
				f.typ = g.goTypeOf(c.Type, owner, c, mod, GoName(c.Name))
			default:
				f.kind = fAnydata
			}
			if g.opts.CompressPaths && (f.kind == fLeaf || f.kind == fLeafList) {
				// A leaf of a config or state container that the parent (or config) already has
				// by name and Go type is that field's twin: config twins are read and written with
				// it, state twins are dropped (config is preferred).
				k := c.Module.Name + ":" + c.Name
				if tw := byName[k]; tw != nil && tw.kind == f.kind && tw.typ.gname == f.typ.gname && len(cases) == 0 && len(tw.cases) == 0 {
					if via == nil || via.Name != "state" {
						tw.twins = append(tw.twins, f)
					} else {
						tw.dropped = append(tw.dropped, c)
					}
					return
				}
				if byName[k] == nil {
					byName[k] = f
				}
			}
			st.fields = append(st.fields, f)
		})
		for _, c := range states {
			add(c.Children, c)
		}
	}
	add(children, nil)
}

// fieldNames names the fields of st by
// step 4 of the rule: a child of the struct node's module keeps its name; a child from
// another module keeps it unless another field of st has it, then it is M(module) '_' name.
func (g *generator) fieldNames(st *structType) {
	count := map[string]int{}
	for _, f := range st.fields {
		count[GoName(f.sn.Name)]++
	}
	for _, f := range st.fields {
		if f.name != "" {
			continue
		}
		want := GoName(f.sn.Name)
		if (st.sn == nil || f.sn.Module != st.sn.Module) && count[want] > 1 {
			want = modName(f.sn.Module) + "_" + want
		}
		f.name = st.ns.claim(want)
	}
}

// compressed reports whether container c disappears under CompressPaths (the OpenConfig path
// compression of ygot): a config or state container of a container or list entry, whose
// children move into their grandparent, and a container around a list and nothing else, whose
// list moves into the container's parent.
func (g *generator) compressed(c *schema.Node) bool {
	if !g.opts.CompressPaths || c.Kind != schema.KindContainer || c.Presence() != "" {
		return false
	}
	if c.Name == "config" || c.Name == "state" {
		p := c.DataParent()
		return p != nil && (p.Kind == schema.KindContainer || p.Kind == schema.KindList)
	}
	return surroundedList(c) != nil
}

// surroundedList returns the list that non-presence container c holds and nothing else (no
// other data node, action or notification), nil if none.
func surroundedList(c *schema.Node) *schema.Node {
	if c.Kind != schema.KindContainer || c.Presence() != "" || c.Name == "config" || c.Name == "state" || len(c.Children) != 1 {
		return nil
	}
	if l := c.Children[0]; l.Kind == schema.KindList {
		return l
	}
	return nil
}

// helpers names the list helper methods of st, once every struct has its fields.
func (g *generator) helpers(st *structType) {
	for _, f := range st.fields {
		if f.kind != fList {
			continue
		}
		f.append = st.ns.claim("Append" + f.name)
		if len(f.sn.Keys()) > 0 && keysComparable(f) {
			f.get = st.ns.claim("Get" + f.name)
			f.new = st.ns.claim("New" + f.name)
		}
	}
}

// keysComparable reports whether every key of list field f has a Go type usable with ==.
func keysComparable(f *field) bool {
	for _, k := range f.sn.Keys() {
		kf := keyField(f.st, k)
		if kf == nil {
			return false
		}
		switch kf.typ.kind {
		case gBinary, gBits, gUnion:
			return false
		}
	}
	return true
}

// keyField returns the field of st for key leaf k, of st's own node or (st shared by grouping
// instances) of another instance.
func keyField(st *structType, k *schema.Node) *field {
	for _, f := range st.fields {
		if f.sn == k || f.sn.Name == k.Name && f.sn.Module == k.Module && f.sn.Kind == k.Kind {
			return f
		}
	}
	return nil
}

// builtinTypes returns the Go representations of the YANG types that need no named Go type. They
// are made on first use, not when the program starts: every ncws command links the generator
// (a sync.Once and a function rather than a package-level map or sync.OnceValue, either of
// which is built by the package's initialisation).
func builtinTypes() map[schema.BaseKind]*goType {
	builtinOnce.Do(func() {
		m := map[schema.BaseKind]*goType{
			schema.String:             {kind: gString, gname: "string", tag: "String"},
			schema.Leafref:            {kind: gString, gname: "string", tag: "String"},
			schema.InstanceIdentifier: {kind: gString, gname: "string", tag: "InstanceIdentifier"},
			schema.Boolean:            {kind: gBool, gname: "bool", tag: "Bool"},
			schema.Empty:              {kind: gEmpty, gname: "bool", tag: "Empty"},
			schema.Decimal64:          {kind: gDecimal, gname: "genimpl.Decimal64", tag: "Decimal64"},
			schema.Binary:             {kind: gBinary, gname: "[]byte", tag: "Binary"},
			schema.Bits:               {kind: gBits, gname: "[]string", tag: "Bits"},
		}
		for b, name := range map[schema.BaseKind]string{
			schema.Int8: "int8", schema.Int16: "int16", schema.Int32: "int32", schema.Int64: "int64",
			schema.Uint8: "uint8", schema.Uint16: "uint16", schema.Uint32: "uint32", schema.Uint64: "uint64",
		} {
			k := gInt
			if !b.IsSigned() {
				k = gUint
			}
			m[b] = &goType{kind: k, gname: name, tag: GoName(name)}
		}
		builtinMap = m
	})
	return builtinMap
}

var (
	builtinOnce sync.Once
	builtinMap  map[schema.BaseKind]*goType
)

// goTypeOf maps a leaf type to its Go representation, creating named types on first use.
// owner and leafName name an inline enumeration or union after its leaf.
func (g *generator) goTypeOf(t *schema.Type, owner string, leaf *schema.Node, mod *schema.Module, leafName string) *goType {
	vt := t.ValueType()
	if vt == nil {
		return &goType{kind: gString, gname: "string", tag: "String"}
	}
	switch b := vt.Base; {
	case builtinTypes()[b] != nil:
		// Shared: builtin representations are never changed (split.go renames named ones).
		return builtinTypes()[b]
	case b == schema.Union:
		if nt := g.named[unionKey(vt)]; nt != nil {
			return nt.goType()
		}
		// A union whose members all have one Go representation is that representation.
		var one *goType
		for _, m := range genimpl.UnionMembers(vt) {
			mt := g.goTypeOf(m, memberOwner(vt, owner), leaf, mod, memberHint(vt, leafName))
			if one != nil && mt.gname != one.gname {
				return g.namedOf(vt, owner, leaf, mod, leafName)
			}
			one = mt
		}
		if one != nil {
			return one
		}
		return g.namedOf(vt, owner, leaf, mod, leafName)
	case b == schema.Enumeration, b == schema.Identityref:
		return g.namedOf(vt, owner, leaf, mod, leafName)
	}
	return &goType{kind: gString, gname: "string", tag: "String"}
}

func (g *generator) namedOf(vt *schema.Type, owner string, leaf *schema.Node, mod *schema.Module, leafName string) *goType {
	var key, want, origin string
	var kind goKind
	switch vt.Base {
	case schema.Enumeration:
		kind = gEnum
		key = enumKey(vt)
		if vt.Typedef != "" && vt.Module != nil {
			want, origin = GoName(vt.Typedef), fmt.Sprintf("the enumeration typedef %s:%s", vt.Module.Name, vt.Typedef)
		} else {
			want, origin = leafName, "the enumeration of "+leaf.Path()
		}
	case schema.Identityref:
		kind = gIdent
		var qs, ns []string
		for _, b := range vt.Bases {
			qs = append(qs, b.QName())
			ns = append(ns, modName(b.Module)+"_"+GoName(b.Name))
		}
		key = "ident " + strings.Join(qs, ",")
		want, origin = strings.Join(ns, "_"), "identityref values derived from "+strings.Join(qs, " and ")
	default:
		kind = gUnion
		key = unionKey(vt)
		if vt.Typedef != "" && vt.Module != nil {
			want, origin = GoName(vt.Typedef), fmt.Sprintf("the union typedef %s:%s", vt.Module.Name, vt.Typedef)
		} else {
			want, origin = leafName, "the union of "+leaf.Path()
		}
		if sk, sname, sorigin := g.sharedUnion(vt, owner, leaf, mod, leafName); sk != "" {
			key, want, origin, owner = sk, sname, sorigin, ""
		}
	}
	if nt := g.named[key]; nt != nil {
		return nt.goType()
	}
	switch {
	case kind == gIdent, strings.HasPrefix(key, "union shape "):
	case vt.Typedef != "" && vt.Module != nil:
		want = modName(vt.Module) + "_" + want
	case g.prefer[key].name != "":
		want = g.prefer[key].name
		origin = strings.Replace(origin, leaf.Path(), g.prefer[key].path, 1)
	case owner != "":
		want = owner + "_" + want
	}
	nt := &namedType{kind: kind, t: vt, mod: mod, origin: origin}
	nt.name = g.names.claim(want)
	g.named[key] = nt
	g.nameds = append(g.nameds, nt)
	if kind == gUnion {
		seen := map[string]int{}
		for i, m := range genimpl.UnionMembers(vt) {
			mt := g.goTypeOf(m, memberOwner(vt, owner), leaf, mod, memberHint(vt, leafName))
			if mt.kind == gUnion { // cannot happen after flattening; keep it a string
				mt = &goType{kind: gString, gname: "string", tag: "String"}
			}
			nt.members = append(nt.members, mt)
			wk := wrapperTag(mt) + " " + mt.gname
			if w, ok := seen[wk]; ok {
				nt.memberOf = append(nt.memberOf, w)
				continue
			}
			seen[wk] = len(nt.wrappers)
			nt.memberOf = append(nt.memberOf, len(nt.wrappers))
			nt.wrappers = append(nt.wrappers, &wrapper{
				name:   g.names.claim(nt.name + "_" + wrapperTag(mt)),
				typ:    mt,
				member: i,
			})
		}
	}
	return nt.goType()
}

// wrapperTag is the suffix of a union wrapper type after the union's name and an underscore.
func wrapperTag(t *goType) string {
	switch t.kind {
	case gEnum:
		return "Enum"
	case gIdent:
		return "Identity"
	}
	return t.tag
}

// constName is the part of a constant's name after its type's name and an underscore.
func constName(yangName string) string {
	if s := camel(yangName); s != "" {
		return s
	}
	return "X"
}

// unionKey identifies the Go type of a union: its typedef, else its type statement.
func unionKey(vt *schema.Type) string {
	switch {
	case vt.Typedef != "" && vt.Module != nil:
		return "union " + vt.Module.Name + ":" + vt.Typedef
	case !vt.Loc.IsZero():
		return "union @" + vt.Loc.String()
	}
	return fmt.Sprintf("union %p", vt)
}

// memberOwner and memberHint name an enumeration inside a union: after the union's typedef
// (Mod_LevelEnum), else after the leaf (Mod_Interfaces_Interface_SpeedEnum).
func memberOwner(vt *schema.Type, owner string) string {
	if vt.Typedef != "" {
		return modName(vt.Module)
	}
	return owner
}

func memberHint(vt *schema.Type, leafName string) string {
	if vt.Typedef != "" {
		return GoName(vt.Typedef) + "Enum"
	}
	return leafName + "Enum"
}

// sameTypes sets nt.same for each inline enumeration (no typedef) with the names and values of
// one before it in g.nameds, and each inline union whose members have the Go types of one
// before it: such a type is declared as an alias of the first (writeNamed), with its own name,
// constants and wrapper names, so no name changes, and the compiler builds one set of String
// methods, union wrappers and type descriptors for them. SR OS nokia-conf has 1,978
// enumerations of 995 value lists and 570 unions of 131 member lists (the "max" and "auto"
// enumerations and unions that vendors write inline in each leaf), and each type costs the Go
// compiler two to four functions (a value method and the pointer wrapper it makes of it).
// Junos QFX conf (--share-groupings) has 5,938 inline enumerations of 756 value lists. Not
// under --split module (an alias would cross packages). Under --share-groupings the unions of
// built-in members are one type per shape already (sharedUnion); the others can be aliases.
func (g *generator) sameTypes() {
	first := map[string]*namedType{}
	key := func(nt *namedType) string {
		vt := nt.t.ValueType()
		switch {
		case nt.kind == gEnum && vt.Typedef == "":
			var b strings.Builder
			b.WriteString("enum")
			for _, e := range vt.Enums {
				fmt.Fprintf(&b, " %q=%d", e.Name, e.Value)
			}
			return b.String()
		case nt.kind == gUnion && vt.Typedef == "":
			var b strings.Builder
			b.WriteString("union")
			for _, wi := range nt.memberOf {
				w := nt.wrappers[wi]
				if m := w.typ.named; m != nil {
					if m.same != nil {
						m = m.same
					}
					b.WriteString(" named:" + m.name)
				} else {
					b.WriteString(" " + w.typ.tag + ":" + w.typ.gname)
				}
			}
			return b.String()
		}
		return ""
	}
	// Enumerations first: a union's key names the first of its member enumerations.
	for _, kind := range []goKind{gEnum, gUnion} {
		for _, nt := range g.nameds {
			if nt.kind != kind {
				continue
			}
			k := key(nt)
			if k == "" {
				continue
			}
			if f := first[k]; f != nil && slices.Equal(f.memberOf, nt.memberOf) && len(f.wrappers) == len(nt.wrappers) {
				nt.same = f
			} else if f == nil {
				first[k] = nt
			}
		}
	}
}
