package schema

import (
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unsafe"

	"github.com/ncws/ncws/internal/nametab"
)

// Kind is the kind of a schema node.
type Kind uint8

// The schema node kinds.
const (
	KindContainer Kind = iota + 1
	KindList
	KindLeaf
	KindLeafList
	KindChoice
	KindCase
	KindAnydata
	KindAnyxml
	KindRPC
	KindAction
	KindInput
	KindOutput
	KindNotification
)

var kindNames = [...]string{"", "container", "list", "leaf", "leaf-list", "choice", "case", "anydata",
	"anyxml", "rpc", "action", "input", "output", "notification"}

// String returns the YANG keyword of the kind.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// IsData reports whether nodes of kind k appear as elements in instance data
// (container, list, leaf, leaf-list, anydata, anyxml).
func (k Kind) IsData() bool {
	switch k {
	case KindContainer, KindList, KindLeaf, KindLeafList, KindAnydata, KindAnyxml:
		return true
	}
	return false
}

// Schema is a compiled, immutable set of YANG modules. Build one with yangload (from YANG text) or
// from generated tables, then call Finalize once; after that it is safe for concurrent use.
type Schema struct {
	// Modules holds every loaded module (implemented and import-only), sorted by name then revision.
	Modules []*Module

	byName map[string]*Module
	byNS   map[string]*Module
	top    map[qname]*Node
	nodes  int // the highest Node.ID
}

// NodeCount returns the number of schema nodes numbered by Finalize (see Node.ID).
func (s *Schema) NodeCount() int { return s.nodes }

// Module is one YANG module (its submodules merged in).
type Module struct {
	Name        string
	Namespace   string
	Prefix      string
	Revision    string // newest revision date, empty if none
	YangVersion string // "1" or "1.1"
	Description string
	// Implemented is false for modules loaded only because they are imported.
	Implemented bool
	// Features lists the module's features in statement order with their effective state.
	Features []*Feature
	// Identities lists the module's identities in statement order.
	Identities []*Identity
	// Data holds the module's top-level data nodes (and choices) in statement order.
	// Nodes that other modules augment into this module's tree appear in the target's Children.
	Data []*Node
	// RPCs and Notifications hold the module's top-level rpc and notification nodes.
	RPCs          []*Node
	Notifications []*Node
	// Submodules names the included submodules; Deviations names the modules that deviate this one.
	Submodules []string
	// SubmoduleRevisions are the revisions of Submodules, index for index ("" for a submodule
	// without a revision statement); nil when unknown (a schema from a version 1 descriptor).
	SubmoduleRevisions []string
	Deviations         []string
	// Prefixes maps the module's own prefix and its import prefixes to modules.
	Prefixes Prefixes
	// Source is the YANG text (for get-schema); File is where it was read from.
	Source string
	File   string

	identByName map[string]*Identity
}

// Prefixes maps YANG prefixes to modules, as seen from one module or submodule's text.
type Prefixes map[string]*Module

// Feature is a YANG feature and whether it is enabled in this schema.
type Feature struct {
	Name        string
	Module      *Module
	Enabled     bool
	Description string
}

// Identity is a YANG identity.
type Identity struct {
	Name        string
	Module      *Module
	Bases       []*Identity
	Description string
	// Derived lists every identity derived (directly or not) from this one, filled by Finalize.
	Derived []*Identity

	qname      string               // "module:name", cached by Finalize
	derivedIdx map[string]*Identity // Derived by QName, built by Finalize when Derived is long
}

// DerivedNamed returns the identity derived (directly or not) from id whose QName is qname
// ("module:name"), nil if there is none.
func (id *Identity) DerivedNamed(qname string) *Identity {
	if id.derivedIdx != nil {
		return id.derivedIdx[qname]
	}
	for _, d := range id.Derived {
		if d.QName() == qname {
			return d
		}
	}
	return nil
}

// QName returns "module:name", the RFC 7951 form of the identity.
func (id *Identity) QName() string {
	if id.qname != "" {
		return id.qname
	}
	return id.Module.Name + ":" + id.Name
}

// DerivedFrom reports whether id is derived, directly or transitively, from base (not equal to it).
func (id *Identity) DerivedFrom(base *Identity) bool {
	for _, b := range id.Bases {
		if b == base || b.DerivedFrom(base) {
			return true
		}
	}
	return false
}

// Node is a schema node. Data nodes, choices, cases, rpcs, actions, their input/output, and
// notifications are all Nodes.
type Node struct {
	Kind Kind
	// Config is the effective config property (inherited; false under state, rpc, notification).
	Config bool
	// Mandatory is set on leaves, choices, anydata and anyxml with "mandatory true".
	Mandatory bool
	// OrderedByUser is set for "ordered-by user" lists and leaf-lists.
	OrderedByUser bool
	// Amended is set by yangload on a node that its context changed after building it: the
	// target of a refine, an augment or a deviation, and the parent of a node a deviation
	// removed. A node from a grouping that is not Amended, and has no Amended descendant, has
	// the content its grouping gives it (gen shares one Go type between such instances).
	Amended bool
	// nkeys, depth, ordinal and id fill the word of the flags (Keys).
	nkeys   uint8
	depth   int16
	ordinal int32
	id      int32

	// Decl holds what the node takes from its defining statement (Name, Loc, Description,
	// Status, Presence, Units, Default, Grouping): its fields and methods read as the Node's
	// own (n.Name, n.Units()). It is shared by the nodes built from one statement (a grouping
	// used in many places), so it is never changed once the node is built: a loader gives a
	// node a new Decl instead. Never nil.
	*Decl
	// Module is the module whose namespace the node's element is in (for augmented nodes, the
	// augmenting module).
	Module *Module
	// Parent is the parent schema node (a choice's case, an rpc's input ...); nil at top level.
	Parent *Node
	// Children are the child schema nodes in statement order (after uses and augment expansion;
	// augmented children follow the target's own). Choices and cases appear as nodes; their data
	// children are their Children.
	Children []*Node
	// keys points to the first of a list's nkeys key leaves (Keys): 8 bytes in every node
	// rather than a 24-byte slice header that only lists use.
	keys **Node
	// Type is the type of a leaf or leaf-list.
	Type *Type

	// aux holds what few nodes have: the lookup index of the data children, actions and
	// notifications (none when Children holds at most maxScanned data nodes and no choice,
	// case, action or notification, so that Child scans Children itself: a leaf has no index,
	// most containers of a vendor model need none), the reference statement, musts, whens,
	// unique, min/max-elements, a choice's default case and extensions (see their methods).
	// Nil for most nodes: a Node takes 88 bytes (Junos QFX conf has 897k, from 85k
	// statements).
	aux *nodeAux
}

// Keys returns the list's key leaves in key statement order (nil for other nodes).
func (n *Node) Keys() []*Node {
	if n.keys == nil {
		if m := n.m(); m != nil {
			return m.keys
		}
		return nil
	}
	return unsafe.Slice(n.keys, n.nkeys)
}

// SetKeys sets what Keys returns. The node keeps ks (not a copy).
func (n *Node) SetKeys(ks []*Node) {
	n.keys, n.nkeys = nil, 0
	if m := n.m(); m != nil {
		m.keys = nil
	}
	switch {
	case len(ks) == 0:
	case len(ks) <= math.MaxUint8:
		n.keys, n.nkeys = &ks[0], uint8(len(ks))
	default:
		n.xm().keys = ks
	}
}

// Decl is the part of a Node given by its defining statement: the same for every node built
// from one statement in one context (a grouping's statement in each place it is used), so that
// those nodes share one Decl. A Decl is not changed after a node refers to it.
//
// Name and Loc are fields, what most statements have besides is behind methods: a vendor model
// has a Decl per schema node (SR OS nokia-conf: 39k), most with a name and a location only
// (70% there), and such a Decl takes 48 bytes where one with every field took 144. Build one
// with a composite literal when it has a name and a location only, with NewDecl otherwise.
type Decl struct {
	Name string
	// Loc is where the defining statement was read.
	Loc Loc

	more *declSide // the rest, nil when it is all empty (and the status is current)
}

// declSide is what a Decl holds besides its name and location: a leaf's units and defaults
// (SR OS nokia-conf: 10.6k of 39k Decls have one or both), and behind rare what fewer have.
type declSide struct {
	units string
	dflt  []string
	rare  *declRare
}

// declRare is a Decl's description, status (other than current), presence and grouping.
type declRare struct {
	description string
	status      string // "" for current
	presence    string
	grouping    string
}

// declMore is what a Decl holds besides its name and location, as flat fields: the form in
// which NewDecl and the descriptor's decoder gather it before side stores it.
type declMore struct {
	description string
	status      string // "" for current
	presence    string
	units       string
	dflt        []string
	grouping    string
}

// side returns m as a Decl keeps it, nil when m holds nothing.
func (m *declMore) side() *declSide {
	var r *declRare
	if m.description != "" || m.status != "" || m.presence != "" || m.grouping != "" {
		r = &declRare{description: m.description, status: m.status, presence: m.presence, grouping: m.grouping}
	}
	if r == nil && m.units == "" && m.dflt == nil {
		return nil
	}
	return &declSide{units: m.units, dflt: m.dflt, rare: r}
}

// r returns d's rare part, nil when none.
func (d *Decl) r() *declRare {
	if d.more == nil {
		return nil
	}
	return d.more.rare
}

// DeclInfo is what a Decl holds, as plain fields: NewDecl builds a Decl from it and Decl.Info
// returns it (the form in which a loader changes a node's Decl: Info, change, NewDecl).
type DeclInfo struct {
	Name        string
	Description string
	Status      string // "current" (or ""), "deprecated", "obsolete"
	// Presence is the presence statement's argument for a presence container, empty otherwise.
	Presence string
	Units    string
	// Default holds a leaf's default (one value) or a leaf-list's defaults; for leaves without
	// their own default, the type's default. Nil when none.
	Default []string
	Loc     Loc
	// Grouping is, for a node built from a statement inside a grouping, where that statement
	// sits: "module:grouping/name/name..." (the grouping's module and name, then the data nodes
	// from the grouping down to this node; choices and cases left out; a grouping declared
	// inside another statement is "name#line"). It names the innermost grouping: a node of
	// grouping B used inside grouping A has B's origin. Empty for nodes outside groupings. Set
	// by yangload, not kept in the descriptor.
	Grouping string
}

// NewDecl returns a Decl holding f (a copy of its Default).
func NewDecl(f DeclInfo) *Decl {
	d := &Decl{Name: f.Name, Loc: f.Loc}
	status := f.Status
	if status == "current" {
		status = ""
	}
	m := declMore{description: f.Description, status: status, presence: f.Presence, units: f.Units,
		dflt: slices.Clone(f.Default), grouping: f.Grouping}
	d.more = m.side()
	return d
}

// DeclSet makes Decls as NewDecl does, but shares their side parts (what a Decl holds besides
// its name and location) between the equal ones it makes: a vendor model's leaves repeat a few
// units and defaults (SR OS nokia-conf: 12.5k Decls with a side part, 1.3k distinct ones, which
// saves 0.6 MB). The zero value is ready to use; a DeclSet is not safe for concurrent use, and it
// holds what it has shared until it is dropped (a loader keeps one for a load).
type DeclSet struct {
	sides map[declSideKey]*declSide
}

// declSideKey is a side part's content as a map key: the defaults joined (each ended by a NUL)
// with their count, -1 for none (nil), as a Decl tells nil from empty defaults.
type declSideKey struct {
	description, status, presence, units, grouping, dflt string
	ndflt                                                int
}

// New returns a Decl holding f (as NewDecl(f)), whose side part may be shared with Decls s
// made before.
func (s *DeclSet) New(f DeclInfo) *Decl {
	d := &Decl{Name: f.Name, Loc: f.Loc}
	status := f.Status
	if status == "current" {
		status = ""
	}
	if f.Description == "" && status == "" && f.Presence == "" && f.Grouping == "" && f.Units == "" && f.Default == nil {
		return d
	}
	k := declSideKey{description: f.Description, status: status, presence: f.Presence, units: f.Units,
		grouping: f.Grouping, ndflt: -1}
	if f.Default != nil {
		k.ndflt = len(f.Default)
		var b strings.Builder
		for _, v := range f.Default {
			b.WriteString(v)
			b.WriteByte(0)
		}
		k.dflt = b.String()
	}
	if side := s.sides[k]; side != nil {
		d.more = side
		return d
	}
	m := declMore{description: f.Description, status: status, presence: f.Presence, units: f.Units,
		dflt: slices.Clone(f.Default), grouping: f.Grouping}
	d.more = m.side()
	if s.sides == nil {
		s.sides = map[declSideKey]*declSide{}
	}
	s.sides[k] = d.more
	return d
}

// Info returns what d holds, as plain fields (Status "current" when d has no other). Its
// Default is d's own, clipped: not to be changed, and appending to it makes a new slice.
func (d *Decl) Info() DeclInfo {
	f := DeclInfo{Name: d.Name, Loc: d.Loc, Status: "current"}
	if m := d.more; m != nil {
		f.Units, f.Default = m.units, slices.Clip(m.dflt)
	}
	if r := d.r(); r != nil {
		f.Description, f.Presence, f.Grouping = r.description, r.presence, r.grouping
		if r.status != "" {
			f.Status = r.status
		}
	}
	return f
}

// Description returns the argument of the statement's description, "" if none.
func (d *Decl) Description() string {
	if r := d.r(); r != nil {
		return r.description
	}
	return ""
}

// Status returns the statement's status: "current" (also when it has none), "deprecated" or
// "obsolete".
func (d *Decl) Status() string {
	if r := d.r(); r != nil && r.status != "" {
		return r.status
	}
	return "current"
}

// Presence returns the presence statement's argument for a presence container, "" otherwise.
func (d *Decl) Presence() string {
	if r := d.r(); r != nil {
		return r.presence
	}
	return ""
}

// Units returns the units of a leaf or leaf-list (its own, else its type's), "" if none.
func (d *Decl) Units() string {
	if d.more == nil {
		return ""
	}
	return d.more.units
}

// Default returns a leaf's default (one value) or a leaf-list's defaults; for leaves without
// their own default, the type's default. Nil when none. The slice is d's own: not to be
// changed.
func (d *Decl) Default() []string {
	if d.more == nil {
		return nil
	}
	return d.more.dflt
}

// Grouping returns where the statement sits when it is inside a grouping (see
// DeclInfo.Grouping), "" otherwise or when the loader left it out.
func (d *Decl) Grouping() string {
	if r := d.r(); r != nil {
		return r.grouping
	}
	return ""
}

// Clone returns a copy of d (its Default too).
func (d *Decl) Clone() *Decl {
	return NewDecl(d.Info())
}

// nodeAux is the part of a Node that most nodes do not have (Node.aux): the lookup index
// Finalize builds for a node with more than maxScanned data children or with a choice, case,
// action or notification among its children (Junos QFX conf: 52k nodes), the min- and
// max-elements of lists and leaf-lists, and behind more what even fewer have (1.3k there).
type nodeAux struct {
	// kids are the data children, looking through choice/case: in statement order when there
	// are maxScanned or fewer, sorted by name otherwise (sorted is then set). A sorted slice
	// takes 8 bytes a child where a map took about 40 (Junos: 159k children in 8.8k maps).
	kids    []*Node
	ops     map[qname]*Node // actions and notifications
	indexed bool            // kids and ops are set (by Finalize)
	sorted  bool

	// minElements and maxElements are here rather than in more: many lists and leaf-lists of
	// a vendor model have a max-elements and nothing else of more's (SR OS nokia-conf: 6.3k of
	// 39k nodes), and a nodeAux of 64 bytes costs them less than one of 48 with a 160-byte
	// auxMore.
	minElements uint64
	maxElements uint64

	more *auxMore
}

// auxMore holds the node's statements that few nodes have (see their methods).
type auxMore struct {
	reference   string
	unique      []*Unique
	defaultCase *Node
	musts       []*Must
	whens       []*When
	extensions  []string
	keys        []*Node // Keys, when there are more than the Node's count holds
}

// x returns n.aux, made when missing.
func (n *Node) x() *nodeAux {
	if n.aux == nil {
		n.aux = &nodeAux{}
	}
	return n.aux
}

// xm returns n.aux.more, made when missing.
func (n *Node) xm() *auxMore {
	x := n.x()
	if x.more == nil {
		x.more = &auxMore{}
	}
	return x.more
}

// m returns n.aux.more, nil when missing.
func (n *Node) m() *auxMore {
	if n.aux == nil {
		return nil
	}
	return n.aux.more
}

// Unique returns the list's unique statements, each a set of descendant leaves (paths relative
// to the list entry).
func (n *Node) Unique() []*Unique {
	if m := n.m(); m != nil {
		return m.unique
	}
	return nil
}

// SetUnique sets what Unique returns.
func (n *Node) SetUnique(u []*Unique) {
	if n.m() != nil || u != nil {
		n.xm().unique = u
	}
}

// MinElements returns the min-elements of a list or leaf-list (0 when none).
func (n *Node) MinElements() uint64 {
	if x := n.aux; x != nil {
		return x.minElements
	}
	return 0
}

// SetMinElements sets what MinElements returns.
func (n *Node) SetMinElements(v uint64) {
	if n.aux != nil || v != 0 {
		n.x().minElements = v
	}
}

// MaxElements returns the max-elements of a list or leaf-list; 0 means unbounded.
func (n *Node) MaxElements() uint64 {
	if x := n.aux; x != nil {
		return x.maxElements
	}
	return 0
}

// SetMaxElements sets what MaxElements returns.
func (n *Node) SetMaxElements(v uint64) {
	if n.aux != nil || v != 0 {
		n.x().maxElements = v
	}
}

// DefaultCase returns a choice's default case, nil if none.
func (n *Node) DefaultCase() *Node {
	if m := n.m(); m != nil {
		return m.defaultCase
	}
	return nil
}

// SetDefaultCase sets what DefaultCase returns.
func (n *Node) SetDefaultCase(c *Node) {
	if n.m() != nil || c != nil {
		n.xm().defaultCase = c
	}
}

// Musts returns the node's must statements.
func (n *Node) Musts() []*Must {
	if m := n.m(); m != nil {
		return m.musts
	}
	return nil
}

// SetMusts sets what Musts returns.
func (n *Node) SetMusts(m []*Must) {
	if n.m() != nil || m != nil {
		n.xm().musts = m
	}
}

// Whens returns the conditions on the node: its own and those inherited from uses and augment.
func (n *Node) Whens() []*When {
	if m := n.m(); m != nil {
		return m.whens
	}
	return nil
}

// SetWhens sets what Whens returns.
func (n *Node) SetWhens(w []*When) {
	if n.m() != nil || w != nil {
		n.xm().whens = w
	}
}

// Extensions returns the extension statements on the node, as "prefix:keyword argument".
func (n *Node) Extensions() []string {
	if m := n.m(); m != nil {
		return m.extensions
	}
	return nil
}

// SetExtensions sets what Extensions returns.
func (n *Node) SetExtensions(e []string) {
	if n.m() != nil || e != nil {
		n.xm().extensions = e
	}
}

// Reference returns the argument of the node's reference statement, "" if none.
func (n *Node) Reference() string {
	if m := n.m(); m != nil {
		return m.reference
	}
	return ""
}

// SetReference sets the argument of the node's reference statement (what Reference returns).
// Validation never reads it, so it is kept out of the Node's common fields.
func (n *Node) SetReference(ref string) {
	if n.m() != nil || ref != "" {
		n.xm().reference = ref
	}
}

// Unique is one "unique" statement of a list.
type Unique struct {
	// Leaves are the referenced descendant leaves.
	Leaves []*Node
	// Paths are the descendant schema node paths as written (for messages).
	Paths []string
	Loc   Loc
}

// Must is a must statement.
type Must struct {
	Expr         string
	ErrorMessage string
	ErrorAppTag  string
	// Prefixes resolves the prefixes in Expr (those of the module or submodule it was written in).
	Prefixes Prefixes
	// Module is the module the expression was written in: unprefixed names in the expression are
	// in its namespace (RFC 7950 section 6.4.1).
	Module *Module
	Loc    Loc
}

// When is a when statement.
type When struct {
	Expr     string
	Prefixes Prefixes
	Module   *Module
	// Self is true when the context node is the node itself (a when on a data node). Otherwise
	// (when on uses, augment, choice or case) the context node is the closest data-node ancestor
	// of the node carrying it (RFC 7950 section 7.21.5); at top level that is the document root.
	Self bool
	// Origin is "node", "uses", "augment", "choice" or "case".
	Origin string
	Loc    Loc
}

// Loc is where a statement was read: a file and a line in it, in 8 bytes. A vendor model has
// a statement per schema node and a Loc in each node's Decl, so its size counts: a file name
// is kept once per process, in a table that NewLoc adds to and File reads (it only grows, by
// the names of the files loaded), and a Loc holds its number and the line. Locs compare equal
// (==) when their files and lines are equal. The zero Loc is no location.
type Loc struct {
	file uint32 // the file name's number in locFiles (0: "")
	// line is the statement's line, counted from 1; -1 when the file name holds the whole text
	// (a descriptor's location text that is not "file:line").
	line int32
}

// NewLoc returns the Loc of a line (counted from 1) of a file: the file name as the loader was
// given it (its search path joined with the module's file name). A negative line, or one past
// what a Loc holds (2^31-1), makes a Loc whose File is the whole text ("file:line" for the
// latter) and whose Line is -1, so that String is the same text.
func NewLoc(file string, line int) Loc {
	switch {
	case line < 0:
		return Loc{file: locFiles.ID(file), line: -1}
	case line > math.MaxInt32:
		return Loc{file: locFiles.ID(file + ":" + strconv.Itoa(line)), line: -1}
	}
	return Loc{file: locFiles.ID(file), line: int32(line)}
}

// File returns the file name ("" for the zero Loc), or the whole location text when Line is -1.
func (l Loc) File() string { return locFiles.Name(l.file) }

// Line returns the statement's line, counted from 1 (0 for the zero Loc); -1 in a Loc read
// from a descriptor whose location text is not "file:line": File then holds that text.
func (l Loc) Line() int { return int(l.line) }

// String returns "file:line", or "" for the zero Loc (no location known).
func (l Loc) String() string {
	switch {
	case l.line < 0:
		return l.File()
	case l == Loc{}:
		return ""
	}
	return l.File() + ":" + strconv.Itoa(int(l.line))
}

// IsZero reports whether l is the zero Loc (no location known).
func (l Loc) IsZero() bool { return l == Loc{} }

// Equal reports whether l and m are the same location (l == m; go-cmp uses it).
func (l Loc) Equal(m Loc) bool { return l == m }

// parseLoc returns the Loc whose String is s.
func parseLoc(s string) Loc {
	if s == "" {
		return Loc{}
	}
	if i := strings.LastIndexByte(s, ':'); i >= 0 {
		if n, err := strconv.Atoi(s[i+1:]); err == nil && n >= 0 && n <= math.MaxInt32 && strconv.Itoa(n) == s[i+1:] && (n != 0 || i > 0) {
			return NewLoc(s[:i], n)
		}
	}
	return NewLoc(s, -1)
}

// locFiles numbers the file names of Locs, for the whole process (a Loc must read its name for
// as long as it exists).
var locFiles nametab.Table

// Path returns the schema node path, e.g. /ietf-interfaces:interfaces/interface, with a module
// prefix on the first node and wherever the module changes (the RFC 7951 form). Choice and case
// nodes are not part of data paths and are skipped; input and output are kept.
func (n *Node) Path() string {
	var parts []*Node
	for p := n; p != nil; p = p.Parent {
		if p.Kind == KindChoice || p.Kind == KindCase {
			continue
		}
		parts = append(parts, p)
	}
	var b strings.Builder
	var prev *Module
	for i := len(parts) - 1; i >= 0; i-- {
		p := parts[i]
		b.WriteByte('/')
		if p.Module != prev {
			b.WriteString(p.Module.Name)
			b.WriteByte(':')
			prev = p.Module
		}
		b.WriteString(p.Name)
	}
	return b.String()
}

// DataParent returns the closest ancestor that is a data node (or rpc, action, input, output,
// notification), skipping choice and case; nil at top level.
func (n *Node) DataParent() *Node {
	p := n.Parent
	for p != nil && (p.Kind == KindChoice || p.Kind == KindCase) {
		p = p.Parent
	}
	return p
}

// Child returns the data child (container, list, leaf, leaf-list, anydata, anyxml) with the
// given module and name, looking through choice and case; for rpc, action and notification nodes
// it finds input and output too ("input"/"output" with the node's own module). Nil if none.
func (n *Node) Child(mod *Module, name string) *Node {
	kids := n.Children
	if x := n.aux; x != nil && x.indexed {
		kids = x.kids
		if x.sorted {
			// The last of the children with that name and module, as the scan below finds.
			var found *Node
			i, _ := slices.BinarySearchFunc(kids, name, func(c *Node, name string) int { return strings.Compare(c.Name, name) })
			for ; i < len(kids) && kids[i].Name == name; i++ {
				if kids[i].Module == mod {
					found = kids[i]
				}
			}
			return found
		}
	}
	for i := len(kids) - 1; i >= 0; i-- {
		if c := kids[i]; c.Name == name && c.Module == mod {
			return c
		}
	}
	return nil
}

// Operation returns the action or notification defined in n with that module and name, nil if none.
func (n *Node) Operation(mod *Module, name string) *Node {
	if n.aux == nil {
		return nil
	}
	return n.aux.ops[qname{mod, name}]
}

// DataChildren returns the data children in statement order, looking through choice and case.
func (n *Node) DataChildren() []*Node {
	var out []*Node
	var walk func([]*Node)
	walk = func(cs []*Node) {
		for _, c := range cs {
			switch {
			case c.Kind == KindChoice || c.Kind == KindCase:
				walk(c.Children)
			case c.Kind.IsData():
				out = append(out, c)
			}
		}
	}
	walk(n.Children)
	return out
}

// IsKey reports whether n is a key leaf of its parent list.
func (n *Node) IsKey() bool {
	if n.Kind != KindLeaf || n.Parent == nil || n.Parent.Kind != KindList {
		return false
	}
	for _, k := range n.Parent.Keys() {
		if k == n {
			return true
		}
	}
	return false
}

// Ordinal is the position of n among the data children of its data parent (or among all
// top-level data nodes of the schema, in module order), filled by Finalize. Instance data is kept
// and encoded in ordinal order. Actions and notifications come after the data children of their
// parent (top-level rpcs and notifications after every top-level data node), and an input or
// output has its operation's ordinal, so that a tree may hold an operation's node below its
// parent instance.
func (n *Node) Ordinal() int { return int(n.ordinal) }

// Depth is the number of data ancestors of n (0 at top level); filled by Finalize.
func (n *Node) Depth() int { return int(n.depth) }

// ID numbers the nodes of a schema (every node reachable from its modules' Data, RPCs and
// Notifications) from 1 to Schema.NodeCount(), in no documented order; filled by Finalize. It is
// 0 for a node Finalize did not reach. Packages that keep facts per schema node index a slice by
// it instead of a map.
func (n *Node) ID() int { return int(n.id) }

// SetID sets what ID returns until Finalize numbers the nodes: a loader may number the nodes
// it builds to keep its working state in slices rather than maps. Finalize gives every node
// it reaches its own number; a loader sets the others (nodes it dropped) back to 0.
func (n *Node) SetID(id int) { n.id = int32(id) }

// IsNPContainer reports whether n is a non-presence container.
func (n *Node) IsNPContainer() bool { return n.Kind == KindContainer && n.Presence() == "" }

type qname struct {
	mod  *Module
	name string
}

// Module returns the module with the given name, nil if not loaded. With several revisions
// loaded, the implemented one (or else the newest) is returned.
func (s *Schema) Module(name string) *Module { return s.byName[name] }

// ModuleByNamespace returns the module with the given XML namespace, nil if none.
func (s *Schema) ModuleByNamespace(ns string) *Module { return s.byNS[ns] }

// Top returns the top-level data node (looking through top-level choice and case) of module mod
// with that name, nil if none.
func (s *Schema) Top(mod *Module, name string) *Node { return s.top[qname{mod, name}] }

// RPC returns the rpc of module mod with that name, nil if none.
func (s *Schema) RPC(mod *Module, name string) *Node {
	for _, r := range mod.RPCs {
		if r.Name == name {
			return r
		}
	}
	return nil
}

// TopNodes returns every top-level data node of every implemented module (and the nodes of
// import-only modules that other modules augment into), in module order then statement order,
// choices and cases looked through.
func (s *Schema) TopNodes() []*Node {
	var out []*Node
	for _, m := range s.Modules {
		root := &Node{Children: m.Data}
		out = append(out, root.DataChildren()...)
	}
	return out
}

// Identity returns the identity of module mod with that name, nil if none.
func (m *Module) Identity(name string) *Identity { return m.identByName[name] }

// Feature returns the module's feature with that name, nil if none.
func (m *Module) Feature(name string) *Feature {
	for _, f := range m.Features {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// Finalize builds the lookup indexes and derived data (Identity.Derived, depths). Call it once
// after the schema is fully built and before use; it does not otherwise change the schema.
func (s *Schema) Finalize() {
	sort.SliceStable(s.Modules, func(i, j int) bool {
		a, b := s.Modules[i], s.Modules[j]
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.Revision < b.Revision
	})
	s.byName = make(map[string]*Module, len(s.Modules))
	s.byNS = make(map[string]*Module, len(s.Modules))
	s.top = make(map[qname]*Node)
	s.nodes = 0
	for _, m := range s.Modules {
		if old := s.byName[m.Name]; old == nil || m.Implemented || (!old.Implemented && m.Revision > old.Revision) {
			s.byName[m.Name] = m
			s.byNS[m.Namespace] = m
		}
	}
	for _, m := range s.Modules {
		m.identByName = make(map[string]*Identity, len(m.Identities))
		for _, id := range m.Identities {
			m.identByName[id.Name] = id
			id.Derived, id.derivedIdx = nil, nil
			id.qname = m.Name + ":" + id.Name
		}
	}
	for _, m := range s.Modules {
		for _, id := range m.Identities {
			seen := map[*Identity]bool{}
			var up func(*Identity)
			up = func(x *Identity) {
				for _, b := range x.Bases {
					if !seen[b] {
						seen[b] = true
						b.Derived = append(b.Derived, id)
						up(b)
					}
				}
			}
			up(id)
		}
	}
	for _, m := range s.Modules {
		for _, id := range m.Identities {
			if len(id.Derived) > 8 {
				id.derivedIdx = make(map[string]*Identity, len(id.Derived))
				for _, d := range id.Derived {
					id.derivedIdx[d.qname] = d
				}
			}
		}
	}
	ord := 0
	for _, m := range s.Modules {
		root := &Node{Children: m.Data}
		for _, c := range root.DataChildren() {
			s.top[qname{c.Module, c.Name}] = c
			c.ordinal = int32(ord)
			ord++
		}
		for _, n := range m.Data {
			s.finalizeNode(n, 0)
		}
		for _, n := range m.RPCs {
			s.finalizeNode(n, 0)
		}
		for _, n := range m.Notifications {
			s.finalizeNode(n, 0)
		}
	}
	// Top-level notifications order after every top-level data node (see finalizeNode), and
	// the input and output of rpcs where their rpc does.
	for _, m := range s.Modules {
		for _, n := range m.RPCs {
			n.ordinal = int32(ord)
			ord++
			for _, c := range n.Children {
				c.ordinal = n.ordinal
			}
		}
		for _, n := range m.Notifications {
			n.ordinal = int32(ord)
			ord++
		}
	}
}

// maxScanned is the number of data children up to which Child scans a slice instead of a map.
const maxScanned = 8

func (s *Schema) finalizeNode(n *Node, depth int) {
	s.nodes++
	n.id = int32(s.nodes)
	n.depth = int16(min(depth, math.MaxInt16))
	if x := n.aux; x != nil {
		x.kids, x.ops, x.indexed, x.sorted = nil, nil, false, false
	}
	var kids []*Node
	var ops map[qname]*Node
	plain := true // Children are the data children
	var walk func([]*Node)
	walk = func(cs []*Node) {
		for _, c := range cs {
			switch c.Kind {
			case KindChoice, KindCase:
				plain = false
				walk(c.Children)
			case KindAction, KindNotification:
				plain = false
				if ops == nil {
					ops = make(map[qname]*Node)
				}
				ops[qname{c.Module, c.Name}] = c
			default:
				kids = append(kids, c)
			}
		}
	}
	walk(n.Children)
	// A few children are found by a scan as fast as by a map, without its memory (a leaf has
	// none; most containers of a vendor model have a handful), and without an index at all
	// when they are the node's Children.
	if len(kids) > maxScanned || !plain {
		x := n.x()
		x.indexed, x.ops = true, ops
		x.kids = slices.Clip(kids)
		if len(kids) > maxScanned {
			slices.SortStableFunc(x.kids, func(a, b *Node) int { return strings.Compare(a.Name, b.Name) })
			x.sorted = true
		}
	}
	if n.Kind != KindChoice && n.Kind != KindCase {
		dc := n.DataChildren()
		for i, c := range dc {
			c.ordinal = int32(i)
		}
		// Actions and notifications order after the data children, and an operation's input
		// and output where the operation does: a tree may then hold an action's input or a
		// nested notification below its parent instance, as their XML does (RFC 7950 sections
		// 7.15.2 and 7.16.2), without disturbing the order of the data children.
		k := len(dc)
		var ops func([]*Node)
		ops = func(cs []*Node) {
			for _, c := range cs {
				switch c.Kind {
				case KindChoice, KindCase:
					ops(c.Children)
				case KindAction, KindNotification:
					c.ordinal = int32(k)
					k++
				case KindInput, KindOutput:
					c.ordinal = n.ordinal
				}
			}
		}
		ops(n.Children)
	}
	childDepth := depth
	if n.Kind != KindChoice && n.Kind != KindCase {
		childDepth = depth + 1
	}
	for _, c := range n.Children {
		s.finalizeNode(c, childDepth)
	}
}

// FindNode resolves an absolute schema node identifier (RFC 7950 section 6.5), such as
// /ietf-interfaces:interfaces/interface/ietf-ip:ipv4/address/subnet, to its schema node. A step's
// prefix is a module name (as in RFC 7951 paths and libyang's messages) and an unprefixed step is
// in the module of the previous one. Steps may name choice and case nodes or leave them out (as
// Node.Path does): a name not found among a node's children is looked up through its choices and
// cases. Rpc, action, notification, input and output steps are allowed. It returns nil when the
// path does not resolve.
func (s *Schema) FindNode(path string) *Node {
	if !strings.HasPrefix(path, "/") {
		return nil
	}
	var mod *Module
	var cur *Node
	for i, step := range strings.Split(path[1:], "/") {
		name := step
		if k := strings.IndexByte(step, ':'); k >= 0 {
			mod, name = s.Module(step[:k]), step[k+1:]
		}
		if mod == nil {
			return nil
		}
		var cands []*Node
		if i == 0 {
			cands = append(append(append(cands, mod.Data...), mod.RPCs...), mod.Notifications...)
		} else {
			cands = cur.Children
		}
		if cur = findStep(cands, mod, name); cur == nil {
			return nil
		}
	}
	return cur
}

// findStep returns the node of module mod named name among nodes, looking through choices and
// cases when none of nodes has that name.
func findStep(nodes []*Node, mod *Module, name string) *Node {
	for _, n := range nodes {
		if n.Name == name && n.Module == mod {
			return n
		}
	}
	return findThrough(nodes, mod, name)
}

// findThrough returns the data or operation node of module mod named name among nodes and the
// descendants of their choices and cases (whose own names do not count).
func findThrough(nodes []*Node, mod *Module, name string) *Node {
	for _, n := range nodes {
		if n.Kind == KindChoice || n.Kind == KindCase {
			if r := findThrough(n.Children, mod, name); r != nil {
				return r
			}
		} else if n.Name == name && n.Module == mod {
			return n
		}
	}
	return nil
}

// SplitPath splits a schema or instance path (without its leading '/') at the slashes outside
// predicates and quotes: "a/b[k='x/y']/c" gives a, b[k='x/y'] and c.
func SplitPath(p string) []string {
	var out []string
	for {
		step, rest, more := CutPath(p)
		out = append(out, step)
		if !more {
			return out
		}
		p = rest
	}
}

// CutPath cuts the first step off a schema or instance path p (without its leading '/'), at
// the first slash outside predicates and quotes, as SplitPath splits it; more says whether
// other steps follow (rest may be "" when p ends in a slash).
func CutPath(p string) (step, rest string, more bool) {
	depth := 0
	var quote byte
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '[':
			depth++
		case c == ']':
			depth--
		case c == '/' && depth == 0:
			return p[:i], p[i+1:], true
		}
	}
	return p, "", false
}
