package yangload

import (
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strings"

	"github.com/ncws/ncws/pkg/schema"
)

// loader holds the state of one Load.
type loader struct {
	opts     Options
	errs     Errors
	index    map[string][]string // module name -> files on the search path
	byPath   map[string]*source
	explicit []*source
	// givenSubs are the submodules given in Options.Files.
	givenSubs []*source
	sources   []*source // every source turned into a module or submodule
	modules   []*module
	byKey     map[string]*module // "name@revision"
	bySrc     map[*source]*module
	subUnits  map[*source]*unit

	// Per-node facts the tree passes need.
	disabled map[*schema.Node]bool
	bySM     map[*schema.Module]*module
	needImpl map[*module]bool

	warns  []*Error
	warned map[Error]bool
	// typeStmts holds where the type statement of each type with a leafref was written when
	// Options.OmitOrigins leaves its Loc out and the leafref types are not shared (typeErrf).
	typeStmts map[*schema.Type]at
	// shareLeafrefs is set while a build with Options.OmitOrigins gives the leaves whose leafref
	// types will reach the same targets one Type as it builds them (shareLeafref); leafrefs holds
	// those types, for the build only. A load whose build finds a leafref error (leafrefErrs) is
	// done again without it (Load): an error names the type statement of its own leaf
	// (typeStmts).
	shareLeafrefs bool
	leafrefs      map[leafrefKey][]sharedLeafref
	leafrefErrs   int
	// keys interns the lists' key statements (nodeInfo.key).
	keys map[keyInfo]*keyInfo
	// release says a file's statements are let go as soon as the load no longer needs them
	// (see prepareRelease); restart says the load must be done again without that (finish).
	release, restart bool
	// built: Options.Stage was told of StageBuild (by a load done before this one).
	built bool
	// types interns those types by value when Options.OmitOrigins is set (internType).
	types map[typeKey][]*schema.Type
	// spareTypes are Types resolveType made that internType found already interned: the next
	// types are built in them (newType), so that a type the schema already has costs no
	// allocation and leaves no hole among the kept ones (SR OS 26.3 nokia-conf: 13 MB of
	// 416-byte Types made for 2 MB kept).
	spareTypes []*schema.Type
	// origins interns the Grouping strings (origin less its last name, name): every instance
	// of a grouping's node has the same one (Junos QFX conf: 900k nodes, 69 MB of copies).
	origins map[[2]string]string
	// decls and moreDecls intern the nodes' Decls by value: the nodes built from one
	// statement (Junos QFX conf: 897k nodes from 85k statements) share one. Keyed by their
	// Loc (declKey): decls has the first Decl of a Loc, moreDecls the others (refined, deviated,
	// or the implicit case of a shorthand).
	decls     map[declKey]*schema.Decl
	moreDecls map[declKey][]*schema.Decl
	// declSet makes them, sharing their side parts (units, defaults ...) where equal.
	declSet schema.DeclSet
	// nodeSlab and infoSlab hold the next free Nodes and nodeInfos: they are allocated in
	// chunks, so that the nodes fill spans of their own rather than sharing them with the
	// statements and working state freed at the end of the load (which left the heap of the
	// Junos set a third empty), and a Node takes its 88 bytes, not a 96-byte size class.
	nodeSlab   []schema.Node
	nodeChunks [][]schema.Node
	infoChunks [][]nodeInfo
	// mores holds the nodeMores of the nodeInfos that have one.
	mores map[*nodeInfo]*nodeMore
	// strs gives the arguments of the files this load parses their memory (convert); nil once
	// every file is read (finish).
	strs *strTable
}

// nodeInfo keeps what is resolved after the tree is complete. It is made for every node
// (Junos QFX conf: 897k, 16 bytes each), so what only some choices, lists' unique statements and
// nodes with a config statement need is in a nodeMore the loader finds by the nodeInfo (moreOf).
// Neither refers to a statement: what the later passes read of one (an argument, where it was
// written) is copied, so that a file's statements can be freed while the nodes built from them
// live on (releaseUnit).
type nodeInfo struct {
	key     *keyInfo // a list's key statement (the last, as the build kept it), nil if none
	config  int8     // explicit config: 0 none, 1 true, -1 false
	hasDflt bool     // leaf or leaf-list has a default statement
	// v10 is set when the node was defined in a YANG 1.0 text.
	v10 bool
	// built is set for a node built from a statement (not an rpc's implicit input or output):
	// its errors are reported at its Loc, the statement's.
	built bool
	// again is set when the node's statement builds other nodes too (it is in the body of a
	// grouping used more than once, ctx.again): its Decls are interned (declOf).
	again bool
}

// keyInfo is a list's key statement: its argument and where it was written. The nodes built
// from one statement share one (loader.keys).
type keyInfo struct {
	arg string
	at  at
}

// uniqueInfo is a unique statement: its argument and where it was written.
type uniqueInfo struct {
	arg string
	at  at
}

// nodeMore is the part of a nodeInfo few nodes need.
type nodeMore struct {
	configAt at // the config statement (set with nodeInfo.config)
	unique   []uniqueInfo
	dflt     string // choice default case ("": none)
	dfltAt   at
}

// moreOf returns the nodeMore of inf, nil if none.
func (l *loader) moreOf(inf *nodeInfo) *nodeMore { return l.mores[inf] }

// mk returns the nodeMore of inf, made when missing.
func (l *loader) mk(inf *nodeInfo) *nodeMore {
	m := l.mores[inf]
	if m == nil {
		m = &nodeMore{}
		if l.mores == nil {
			l.mores = map[*nodeInfo]*nodeMore{}
		}
		l.mores[inf] = m
	}
	return m
}

// keyOf returns the shared keyInfo of key statement s.
func (l *loader) keyOf(s *stmt) *keyInfo {
	k := keyInfo{s.Arg(), s.at()}
	if p := l.keys[k]; p != nil {
		return p
	}
	if l.keys == nil {
		l.keys = map[keyInfo]*keyInfo{}
	}
	p := &k
	l.keys[k] = p
	return p
}

// dflt returns the choice's default case name, "" if none.
func (l *loader) dflt(inf *nodeInfo) string {
	if m := l.moreOf(inf); m != nil {
		return m.dflt
	}
	return ""
}

// setDflt sets the choice's default case statement.
func (l *loader) setDflt(inf *nodeInfo, s *stmt) {
	m := l.mk(inf)
	m.dflt, m.dfltAt = s.Arg(), s.at()
}

// uniques returns the list's unique statements.
func (l *loader) uniques(inf *nodeInfo) []uniqueInfo {
	if m := l.moreOf(inf); m != nil {
		return m.unique
	}
	return nil
}

// module is one main module with its submodules.
type module struct {
	name, rev string
	src       *source
	units     []*unit // the module's own text first, then its submodules
	sm        *schema.Module
	top       *scope
	features  map[string]*feature
	idents    map[string]*identity
	implement bool
}

// unit is the text of one module or submodule: it has its own imports and prefixes.
type unit struct {
	src      *source
	mod      *module
	prefix   string // the main module's prefix in this text
	prefixes schema.Prefixes
	imports  map[string]*module
	version  string

	// What the build reads of the text's top level: its statements (built if the module is
	// implemented), augments and deviations, taken from the source once it is read.
	top                  []stmt
	augments, deviations []*stmt
	// scopes are the scopes of the text's statements that define typedefs or groupings
	// (bodyScope), leafTypes the types of its type statements that need no leafref (leafType).
	scopes    map[*stmt]*scope
	leafTypes map[*stmt]*schema.Type
	// pins counts what may still read the text's statements (see prepareRelease): its unreleased top-level groupings, its top level until built, its
	// augments and deviations until applied. At 0 the unit lets them go (releaseUnit).
	pins int
	// built: buildModule reads the top level (buildsNothing is false), and unpins it after.
	built bool
}

// scope is a lexical scope of typedefs and groupings.
type scope struct {
	parent    *scope
	typedefs  map[string]*def
	groupings map[string]*def
	// pending are the errors of the scope's definitions, made ahead of the build
	// (prepareRelease) and reported when the build first enters the scope, as before.
	pending []*Error
}

// def is a typedef or grouping with where it was written.
type def struct {
	st    *stmt
	u     *unit
	scope *scope // the scope the definition itself sits in
	// t is a typedef's type once resolved (state 2; nil after an error).
	t *schema.Type
	// state: a typedef's 0 unresolved, 1 being resolved, 2 resolved; a grouping's 1 while it
	// is expanded.
	state int8
	// checked: the grouping's statements were checked (once, not at every use).
	checked bool
	// refs counts the uses statements that may still expand the grouping, inner the
	// groupings its own uses statements name (prepareRelease); released: it was let go.
	refs     int32
	released bool
	inner    []*def
	// uses counts a grouping's uses in the build (0, 1, 2 for more), first holds the nodes the
	// first built until a second comes (expandUses, seedDecls).
	uses  int8
	first []*schema.Node
}

type feature struct {
	st    *stmt
	u     *unit
	f     *schema.Feature
	state int8 // 0 unknown, 1 evaluating, 2 done
}

type identity struct {
	st  *stmt
	u   *unit
	id  *schema.Identity
	on  bool
	res int8
}

func newLoader(opts Options) *loader {
	l := &loader{
		opts:     opts,
		byPath:   map[string]*source{},
		byKey:    map[string]*module{},
		bySrc:    map[*source]*module{},
		subUnits: map[*source]*unit{},
		disabled: map[*schema.Node]bool{},
		// Not in a load done again (Load): it may be done again for its leafref errors.
		shareLeafrefs: opts.OmitOrigins,
		strs:          newStrTable(),
	}
	l.indexPaths()
	return l
}

// stage reports the stage the load enters to Options.Stage.
func (l *loader) stage(name string) {
	if l.opts.Stage != nil {
		l.opts.Stage(name)
	}
}

func (l *loader) errf(st *stmt, format string, args ...any) {
	file, line := "", 0
	if st != nil {
		file, line = st.pos()
	}
	l.errs = append(l.errs, &Error{File: file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// errAt records an error at a statement's place.
func (l *loader) errAt(a at, format string, args ...any) {
	file, line := a.pos()
	l.errs = append(l.errs, &Error{File: file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// declKey is a Decl's Loc as a map key.
type declKey = schema.Loc

// decl returns the interned Decl holding *f: a new one the first time. Decls are found by
// their Loc (the nodes of one statement share it): an 8-byte key rather than the three
// strings (Junos QFX conf: 86k Decls, the map 13 -> 4 MB).
func (l *loader) decl(f *schema.DeclInfo) *schema.Decl {
	if p := l.findDecl(f); p != nil {
		return p
	}
	p := l.declSet.New(*f)
	l.addDecl(p)
	return p
}

// findDecl returns the interned Decl holding *f, nil if none.
func (l *loader) findDecl(f *schema.DeclInfo) *schema.Decl {
	k := f.Loc
	first := l.decls[k]
	if first == nil {
		return nil
	}
	if holds(first, f) {
		return first
	}
	for _, p := range l.moreDecls[k] {
		if holds(p, f) {
			return p
		}
	}
	return nil
}

// addDecl interns p, which holds what no interned Decl does.
func (l *loader) addDecl(p *schema.Decl) {
	k := p.Loc
	if l.decls[k] == nil {
		if l.decls == nil {
			l.decls = map[declKey]*schema.Decl{}
		}
		l.decls[k] = p
		return
	}
	if l.moreDecls == nil {
		l.moreDecls = map[declKey][]*schema.Decl{}
	}
	l.moreDecls[k] = append(l.moreDecls[k], p)
}

// declOf returns a Decl holding *f for node n: the interned one (decl) when n's statement
// builds other nodes too (nodeInfo.again: the nodes of a grouping used more than once, one per
// use, share their Decls), a new one otherwise. Most statements build one node, whose Decl
// nothing shares (SR OS nokia-conf: 39k nodes, 39k Decls, nearly all in groupings used once;
// interned, their map held 1.7 MB at the load's peak).
func (l *loader) declOf(n *schema.Node, f *schema.DeclInfo) *schema.Decl {
	if inf := l.infoOf(n); inf != nil && inf.again {
		return l.decl(f)
	}
	return l.declSet.New(*f)
}

// seedDecls interns the Decls of the nodes ns and their descendants, built by the first use of
// a grouping now used again (expandUses), and marks the nodes as built again (nodeInfo.again),
// so that the nodes of every use share Decls, as if interned from the first.
func (l *loader) seedDecls(ns []*schema.Node) {
	for _, n := range ns {
		if p := n.Parent; p != nil && p.Kind == schema.KindCase && p.Name == n.Name && p.Loc == n.Loc {
			l.seedDecl(p) // the implicit case of a shorthand
		}
		l.seedDecl(n)
		l.seedDecls(n.Children)
	}
}

func (l *loader) seedDecl(n *schema.Node) {
	inf := l.infoOf(n)
	if inf == nil || inf.again {
		return
	}
	inf.again = true
	f := n.Info()
	if p := l.findDecl(&f); p != nil {
		n.Decl = p
	} else {
		l.addDecl(n.Decl)
	}
}

// holds reports whether d holds *f (a status "" is "current").
func holds(d *schema.Decl, f *schema.DeclInfo) bool {
	g := d.Info()
	st := f.Status
	if st == "" {
		st = "current"
	}
	return g.Name == f.Name && g.Loc == f.Loc && g.Grouping == f.Grouping && g.Description == f.Description &&
		g.Status == st && g.Presence == f.Presence && g.Units == f.Units &&
		slices.Equal(g.Default, f.Default) && (g.Default == nil) == (f.Default == nil)
}

// bigLoad is the node count from which a load collects its working state before Finalize
// (Junos QFX conf: 897k nodes; SR OS 19.7 nokia-conf: 29k, whose peak this takes from 130 to
// 99 MB). A small load's heap is mostly its working state too, but a collection costs the
// whole heap's marking, which in a large process may be more than the load.
const bigLoad = 10_000

// slabChunk is how many Nodes or nodeInfos are allocated at once.
const slabChunk = 256

// newNode returns a new zero Node, numbered (Node.ID) for its nodeInfo (infoOf).
func (l *loader) newNode() *schema.Node {
	if len(l.nodeSlab) == 0 {
		l.nodeSlab = make([]schema.Node, slabChunk)
		l.nodeChunks = append(l.nodeChunks, l.nodeSlab)
		l.infoChunks = append(l.infoChunks, make([]nodeInfo, slabChunk))
	}
	n := &l.nodeSlab[0]
	l.nodeSlab = l.nodeSlab[1:]
	n.SetID((len(l.nodeChunks)-1)*slabChunk + slabChunk - len(l.nodeSlab))
	return n
}

// infoOf returns the working state of a node newNode made (nil for another node).
func (l *loader) infoOf(n *schema.Node) *nodeInfo {
	id := n.ID() - 1
	if id < 0 || id/slabChunk >= len(l.infoChunks) {
		return nil
	}
	return &l.infoChunks[id/slabChunk][id%slabChunk]
}

// dropNodes forgets the nodes built so far and their working state (their numbers too).
func (l *loader) dropNodes() {
	for _, ch := range l.nodeChunks {
		for i := range ch {
			ch[i].SetID(0)
		}
	}
	l.nodeSlab, l.nodeChunks, l.infoChunks, l.mores = nil, nil, nil, nil
}

// amend gives n a Decl changed by f (its own, then interned again): n's Decl may be shared.
func (l *loader) amend(n *schema.Node, f func(d *schema.DeclInfo)) {
	d := n.Info()
	f(&d)
	n.Decl = l.declOf(n, &d)
}

// origin returns the Grouping of a node named name built where the origin is grp (non-empty).
func (l *loader) origin(grp, name string) string {
	k := [2]string{grp, name}
	if s, ok := l.origins[k]; ok {
		return s
	}
	s := grp + "/" + name
	if l.origins == nil {
		l.origins = map[[2]string]string{}
	}
	l.origins[k] = s
	return s
}

// loc returns where a statement was read. The Loc is its file's name (one string per file)
// and its line, not their text: a schema keeps one per statement (SR OS nokia-conf: 48k).
func (l *loader) loc(st *stmt) schema.Loc {
	f, n := st.pos()
	return schema.NewLoc(f, n)
}

func sub(st *stmt, kw string) *stmt {
	for s := range st.subStmts() {
		if s.Keyword() == kw {
			return s
		}
	}
	return nil
}

func subArg(st *stmt, kw string) string {
	if s := sub(st, kw); s != nil {
		return s.Arg()
	}
	return ""
}

func (l *loader) finish() (*schema.Schema, error) {
	for _, src := range l.explicit {
		m := l.module(src)
		if m != nil {
			m.implement = true
		}
	}
	if len(l.explicit) == 0 && len(l.errs) == 0 && len(l.givenSubs) == 0 {
		l.errs = append(l.errs, &Error{Msg: "no module given"})
	}
	l.checkGivenSubmodules()
	for _, m := range l.modules {
		if l.opts.ImportsImplemented {
			m.implement = true
		}
	}
	l.checkFeatureOptions()
	for _, m := range l.modules {
		l.collectDefs(m)
	}
	for _, m := range l.modules {
		l.collectFeatures(m)
	}
	for _, m := range l.modules {
		for _, f := range m.sm.Features {
			l.featureEnabled(m.features[f.Name])
		}
	}
	for _, m := range l.modules {
		l.collectIdentities(m)
	}
	for _, m := range l.modules {
		for _, id := range m.sm.Identities {
			l.resolveIdentity(m.idents[id.Name])
		}
		l.pruneIdentities(m)
	}
	l.bySM = map[*schema.Module]*module{}
	for _, m := range l.modules {
		l.bySM[m.sm] = m
	}
	// What the build reads of each text: its top-level statements. Nothing reads the sources'
	// statements, nor the features' and identities' (all resolved), from here on.
	for _, m := range l.modules {
		for _, u := range m.units {
			u.top = u.src.stmt.SubStatements()
			for s := range each(u.top) {
				switch s.Keyword() {
				case "augment":
					u.augments = append(u.augments, s)
				case "deviation":
					u.deviations = append(u.deviations, s)
				}
			}
		}
		for _, f := range m.features {
			f.st = nil
		}
		for _, id := range m.idents {
			id.st = nil
		}
	}
	for _, src := range l.sources {
		src.stmt = nil
	}
	for _, src := range l.givenSubs {
		src.stmt = nil
	}
	l.strs = nil // every file is read: its map goes
	// Compiling may find leafrefs into modules that are only imported; those become implemented
	// (as libyang does) and the trees are compiled again.
	if !l.built {
		l.stage(StageBuild)
	}
	mark := len(l.errs)
	for attempt := 0; ; attempt++ {
		l.leafrefErrs = 0
		l.implementTargets()
		if attempt == 0 && l.release {
			l.prepareRelease()
		}
		for _, m := range l.modules {
			m.sm.Implemented = m.implement
			if m.implement {
				l.buildModule(m)
			}
		}
		l.applyAugments()
		l.applyDeviations()
		if l.release {
			l.dropBuildState()
		}
		l.needImpl = map[*module]bool{}
		l.leafrefs = nil // shared as the leaves are built: the map is not needed beyond
		l.resolveTrees()
		if l.release && (l.restart || len(l.needImpl) > 0) {
			// Built again, the trees need statements let go: the load is done again
			// keeping them (Load).
			l.restart = true
			return nil, nil
		}
		if len(l.needImpl) == 0 || attempt >= len(l.modules) {
			if l.shareLeafrefs && l.leafrefErrs > 0 {
				// The load fails; its leafref errors are found again with a type per leaf,
				// so that each names its leaf's type statement, not that of the first leaf
				// sharing it (Load does it again, without sharing).
				l.restart = true
				return nil, nil
			}
			break
		}
		for m := range l.needImpl {
			m.implement = true
		}
		l.rebuild(mark)
	}
	if builtHook != nil {
		builtHook(l)
	}
	if len(l.errs) == 0 && l.opts.OmitOrigins {
		l.internLeafrefTypes()
	}
	if len(l.errs) > 0 {
		sort.SliceStable(l.errs, func(i, j int) bool {
			a, b := l.errs[i], l.errs[j]
			if a.File != b.File {
				return a.File < b.File
			}
			return a.Line < b.Line
		})
		return nil, l.errs
	}
	s := &schema.Schema{}
	for _, m := range l.modules {
		s.Modules = append(s.Modules, m.sm)
	}
	// The parsed statements and the per-node working state (a third of the heap at this point
	// for the Junos set) go before Finalize allocates the schema's indexes, not after.
	nodes := len(l.nodeChunks) * slabChunk
	l.dropNodes()
	*l = loader{opts: l.opts, warns: l.warns}
	if nodes >= bigLoad {
		// Collected now, the memory of that state holds Finalize's indexes and the caller's
		// next allocations (a validator's); left to the pacer, whose goal is twice the live
		// heap of the last collection (taken while all of it was live), the heap grew on
		// instead: the Junos set peaked at 431-441 MB without this collection, 385-389 MB
		// with it, for no more CPU time.
		runtime.GC()
	}
	l.stage(StageFinalize)
	s.Finalize()
	return s, nil
}

// rebuild readies the loader to build the trees again (finish; the statements are all kept):
// the nodes and the errors of the last build go, and so does what a build resolves and reports
// once per statement (typedefs' types, leaf types, nested scopes, checked groupings, Decls):
// kept, they would not report again the errors dropped here, and a load with such an error
// could succeed.
func (l *loader) rebuild(mark int) {
	l.errs = l.errs[:mark]
	l.dropNodes()
	l.disabled = map[*schema.Node]bool{}
	l.typeStmts, l.decls, l.moreDecls = nil, nil, nil
	for _, m := range l.modules {
		m.sm.Data, m.sm.RPCs, m.sm.Notifications, m.sm.Deviations = nil, nil, nil, nil
		if m.top != nil {
			for _, d := range m.top.typedefs {
				d.t, d.state = nil, 0
			}
			for _, d := range m.top.groupings {
				d.checked, d.uses, d.first = false, 0, nil
			}
		}
		for _, u := range m.units {
			u.scopes, u.leafTypes = nil, nil
		}
	}
}

// checkGivenSubmodules reports each submodule given in Options.Files that no loaded module
// includes: the module it belongs to is missing (or includes another revision of it).
func (l *loader) checkGivenSubmodules() {
	for _, g := range l.givenSubs {
		if _, ok := l.subUnits[g]; ok {
			continue
		}
		owner := subArg(g.stmt, "belongs-to")
		included := false
		for _, m := range l.modules {
			for _, u := range m.units[1:] {
				if u.src.name == g.name {
					included = true
				}
			}
		}
		if included {
			continue // another file of the same submodule was included
		}
		if m := l.findSource(owner, ""); m != nil && !m.sub {
			l.errf(g.stmt, "%s is a submodule of %s, which is not loaded: give %s too", g.name, owner, m.file)
			continue
		}
		l.errf(g.stmt, "%s is a submodule of %s, which is not found: give its module's file or its directory (-p)", g.name, owner)
	}
}

// module returns the compiled module of a main source, reading its header, imports and includes.
func (l *loader) module(src *source) *module {
	if m, ok := l.bySrc[src]; ok {
		return m
	}
	key := src.name + "@" + src.revision
	if m, ok := l.byKey[key]; ok {
		l.bySrc[src] = m
		return m
	}
	m := &module{name: src.name, rev: src.revision, src: src}
	l.byKey[key] = m
	l.bySrc[src] = m
	l.sources = append(l.sources, src)
	l.modules = append(l.modules, m)
	st := src.stmt
	m.sm = &schema.Module{
		Name:        src.name,
		Revision:    src.revision,
		YangVersion: "1",
		Source:      src.text,
		File:        src.file,
	}
	u := &unit{src: src, mod: m, imports: map[string]*module{}, version: "1"}
	m.units = []*unit{u}
	if v := sub(st, "yang-version"); v != nil {
		if v.Arg() != "1" && v.Arg() != "1.1" {
			l.errf(v, "unsupported yang-version %q", v.Arg())
		}
		u.version = v.Arg()
		m.sm.YangVersion = v.Arg()
	}
	ns := sub(st, "namespace")
	if ns == nil {
		l.errf(st, "module %s has no namespace statement", src.name)
	} else {
		m.sm.Namespace = ns.Arg()
	}
	pf := sub(st, "prefix")
	if pf == nil {
		l.errf(st, "module %s has no prefix statement", src.name)
	} else {
		m.sm.Prefix = pf.Arg()
		u.prefix = pf.Arg()
	}
	m.sm.Description = subArg(st, "description")
	l.warnEscapes(src, u.version)
	l.readImports(u)
	l.readIncludes(m, u)
	for _, u := range m.units {
		u.prefixes = schema.Prefixes{}
		for p, im := range u.imports {
			u.prefixes[p] = im.sm
		}
		if u.prefix != "" {
			u.prefixes[u.prefix] = m.sm
		}
	}
	m.sm.Prefixes = m.units[0].prefixes
	return m
}

func (l *loader) readImports(u *unit) {
	for s := range u.src.stmt.subStmts() {
		if s.Keyword() != "import" {
			continue
		}
		p := sub(s, "prefix")
		if p == nil {
			l.errf(s, "import %s has no prefix", s.Arg())
			continue
		}
		if _, dup := u.imports[p.Arg()]; dup || p.Arg() == u.prefix {
			l.errf(p, "prefix %q used twice", p.Arg())
			continue
		}
		rev := subArg(s, "revision-date")
		src := l.findSource(s.Arg(), rev)
		if src == nil {
			if rev != "" {
				l.errf(s, "imported module %s revision %s not found on the search path", s.Arg(), rev)
			} else {
				l.errf(s, "imported module %s not found on the search path", s.Arg())
			}
			continue
		}
		if src.sub {
			l.errf(s, "import of %s: it is a submodule", s.Arg())
			continue
		}
		if src == u.src {
			l.errf(s, "module %s imports itself", s.Arg())
			continue
		}
		im := l.module(src)
		u.imports[p.Arg()] = im
	}
}

func (l *loader) readIncludes(m *module, u *unit) {
	for s := range u.src.stmt.subStmts() {
		if s.Keyword() != "include" {
			continue
		}
		rev := subArg(s, "revision-date")
		src := l.findSource(s.Arg(), rev)
		if src == nil {
			l.errf(s, "included submodule %s not found on the search path", s.Arg())
			continue
		}
		if !src.sub {
			l.errf(s, "include of %s: it is not a submodule", s.Arg())
			continue
		}
		if su, ok := l.subUnits[src]; ok {
			if su.mod != m {
				l.errf(s, "submodule %s is included by two modules", s.Arg())
			}
			continue
		}
		bt := sub(src.stmt, "belongs-to")
		if bt == nil || bt.Arg() != m.name {
			l.errf(s, "submodule %s does not belong to module %s", s.Arg(), m.name)
			continue
		}
		su := &unit{src: src, mod: m, imports: map[string]*module{}, version: "1",
			prefix: subArg(bt, "prefix")}
		if v := sub(src.stmt, "yang-version"); v != nil {
			su.version = v.Arg()
		}
		l.subUnits[src] = su
		l.warnEscapes(src, su.version)
		l.sources = append(l.sources, src)
		m.units = append(m.units, su)
		m.sm.Submodules = append(m.sm.Submodules, src.name)
		m.sm.SubmoduleRevisions = append(m.sm.SubmoduleRevisions, src.revision)
		l.readImports(su)
		l.readIncludes(m, su)
	}
}

// collectDefs gathers the module's (and its submodules') top-level typedefs and groupings.
func (l *loader) collectDefs(m *module) {
	m.top = &scope{typedefs: map[string]*def{}, groupings: map[string]*def{}}
	for _, u := range m.units {
		for s := range u.src.stmt.subStmts() {
			l.addDef(m.top, s, u)
		}
	}
}

func (l *loader) addDef(sc *scope, s *stmt, u *unit) {
	if e := addDef(sc, s, u); e != nil {
		l.errs = append(l.errs, e)
	}
}

// addDef adds typedef or grouping s (written in u) to sc; the error if it cannot.
func addDef(sc *scope, s *stmt, u *unit) *Error {
	var tab map[string]*def
	switch s.Keyword() {
	case "typedef":
		tab = sc.typedefs
		if schema.BaseKindOf(s.Arg()) != 0 {
			return errOf(s, "typedef %s shadows a built-in type", s.Arg())
		}
	case "grouping":
		tab = sc.groupings
	default:
		return nil
	}
	if _, dup := tab[s.Arg()]; dup {
		return errOf(s, "%s %s defined twice", s.Keyword(), s.Arg())
	}
	tab[s.Arg()] = &def{st: s, u: u, scope: sc}
	return nil
}

// errOf returns an error at statement st.
func errOf(st *stmt, format string, args ...any) *Error {
	file, line := st.pos()
	return &Error{File: file, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// bodyScope returns the scope for the substatements of st: a new one if st defines typedefs or
// groupings, else the parent.
func (l *loader) bodyScope(st *stmt, parent *scope, u *unit) *scope {
	sc := scopeOf(st, parent, u)
	if len(sc.pending) > 0 {
		l.errs = append(l.errs, sc.pending...)
		sc.pending = nil
	}
	return sc
}

// scopeOf is bodyScope leaving the errors of a new scope's definitions in its pending list.
func scopeOf(st *stmt, parent *scope, u *unit) *scope {
	if sc, ok := u.scopes[st]; ok && sc.parent == parent {
		return sc
	}
	var sc *scope
	for s := range st.subStmts() {
		if s.Keyword() == "typedef" || s.Keyword() == "grouping" {
			if sc == nil {
				sc = &scope{parent: parent, typedefs: map[string]*def{}, groupings: map[string]*def{}}
			}
			if e := addDef(sc, s, u); e != nil {
				sc.pending = append(sc.pending, e)
			}
		}
	}
	if sc == nil {
		return parent
	}
	if u.scopes == nil {
		u.scopes = map[*stmt]*scope{}
	}
	u.scopes[st] = sc
	return sc
}

// splitPrefix splits "p:name".
func splitPrefix(s string) (string, string) {
	if i := strings.IndexByte(s, ':'); i >= 0 {
		return s[:i], s[i+1:]
	}
	return "", s
}

// moduleOf returns the module a prefix names in unit u ("" is u's own module).
func (u *unit) moduleOf(prefix string) *module {
	if prefix == "" || prefix == u.prefix {
		return u.mod
	}
	return u.imports[prefix]
}

// lookupDef finds a typedef or grouping by (possibly prefixed) name from scope sc in unit u.
func (l *loader) lookupDef(name string, sc *scope, u *unit, grouping bool) *def {
	pfx, local := splitPrefix(name)
	if pfx != "" && pfx != u.prefix {
		m := u.imports[pfx]
		if m == nil || m.top == nil {
			return nil
		}
		sc = m.top
	}
	for ; sc != nil; sc = sc.parent {
		tab := sc.typedefs
		if grouping {
			tab = sc.groupings
		}
		if d, ok := tab[local]; ok {
			return d
		}
	}
	return nil
}
