package schema

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// A descriptor is the compiled schema in a compact binary form, for generated code to carry as a
// string constant and rebuild at init without parsing YANG (as protobuf-go carries raw file
// descriptors). Layout, every integer an unsigned varint unless said otherwise:
//
//	magic "NCWS-SD", format version byte
//	strings: count, each length, then the bytes (index 0 is the empty string, not stored)
//	counts: modules, identities, nodes
//	tables, each a count then its items: prefix maps, patterns, identities, types, musts,
//	whens, uniques
//	modules (count from the header), each with its features and its node trees in preorder
//
// Pointers are indexes: modules, identities and nodes (numbered in preorder, module by module:
// data, rpcs, notifications) into their tables, optional ones stored as index+1 with 0 for nil.
// Types, patterns, prefix maps, musts, whens and uniques are stored once per distinct content,
// so a decoded schema shares equal values; a type holding a leafref is never shared. Nodes and
// types store a bit set of the fields they have; unknown bits are rejected.

const (
	descriptorMagic = "NCWS-SD"
	// descriptorVersion is the format written; version 1 (without submodule revisions) is
	// still read.
	descriptorVersion = 2
	// maxDescriptorDepth bounds the node nesting a descriptor may have.
	maxDescriptorDepth = 1000
)

// DescriptorOptions tune MarshalDescriptor.
type DescriptorOptions struct {
	// OmitSources leaves each module's YANG text (Module.Source) out of the descriptor.
	OmitSources bool
	// BaseNames records only the base name of each file path (Module.File and the file part of
	// every Loc), so that the descriptor does not depend on where the modules were read from.
	BaseNames bool
}

// Node field bits.
const (
	nfConfig = 1 << iota
	nfMandatory
	nfOrdered
	nfDescription
	nfReference
	nfStatus
	nfPresence
	nfKeys
	nfUnique
	nfMin
	nfMax
	nfType
	nfDefault
	nfDefaultCase
	nfUnits
	nfMusts
	nfWhens
	nfLoc
	nfExtensions
	nfChildren
	nfEnd
)

// Type field bits.
const (
	tfName = 1 << iota
	tfTypedef
	tfModule
	tfRange
	tfRangeError
	tfLength
	tfLengthError
	tfPatterns
	tfFractionDigits
	tfEnums
	tfBits
	tfPath
	tfPathPrefixes
	tfPathModule
	tfTarget
	tfRequireInstance
	tfBases
	tfUnion
	tfDefault
	tfUnits
	tfLoc
	tfEnd
)

// table is one deduplicated section of the descriptor.
type table struct {
	index map[string]uint64
	buf   []byte
	n     uint64
}

// add appends item unless an equal one is there (or always, when shared is false) and returns
// its index.
func (t *table) add(item []byte, shared bool) uint64 {
	if shared {
		if i, ok := t.index[string(item)]; ok {
			return i
		}
		if t.index == nil {
			t.index = map[string]uint64{}
		}
		t.index[string(item)] = t.n
	}
	t.buf = append(t.buf, item...)
	t.n++
	return t.n - 1
}

type encoder struct {
	opts     DescriptorOptions
	strIdx   map[string]uint64
	strs     []string
	mods     map[*Module]uint64
	idents   map[*Identity]uint64
	nodes    map[*Node]uint64
	typeIdx  map[*Type]uint64
	patIdx   map[*Pattern]uint64
	mustIdx  map[*Must]uint64
	whenIdx  map[*When]uint64
	uniqIdx  map[*Unique]uint64
	prefixes table
	patterns table
	types    table
	musts    table
	whens    table
	uniques  table
	err      error
}

// MarshalDescriptor encodes the whole compiled schema s as a descriptor that UnmarshalDescriptor
// turns back into an equal schema. The same schema always gives the same bytes. It fails when s
// is not self-contained (a pointer to a module, identity or node that is not part of s, or a
// node whose Parent is not the node holding it) or nests nodes deeper than 1000 levels.
func MarshalDescriptor(s *Schema, opts DescriptorOptions) ([]byte, error) {
	e := &encoder{opts: opts, strIdx: map[string]uint64{"": 0}, strs: []string{""},
		mods: map[*Module]uint64{}, idents: map[*Identity]uint64{}, nodes: map[*Node]uint64{},
		typeIdx: map[*Type]uint64{}, patIdx: map[*Pattern]uint64{}, mustIdx: map[*Must]uint64{},
		whenIdx: map[*When]uint64{}, uniqIdx: map[*Unique]uint64{}}
	var identList []*Identity
	for i, m := range s.Modules {
		if _, dup := e.mods[m]; dup || m == nil {
			return nil, fmt.Errorf("schema: descriptor: module %d is nil or listed twice", i)
		}
		e.mods[m] = uint64(i)
		for _, id := range m.Identities {
			if _, dup := e.idents[id]; dup || id == nil {
				return nil, fmt.Errorf("schema: descriptor: module %s: identity nil or listed twice", m.Name)
			}
			e.idents[id] = uint64(len(identList))
			identList = append(identList, id)
		}
	}
	for _, m := range s.Modules {
		for _, list := range [][]*Node{m.Data, m.RPCs, m.Notifications} {
			for _, n := range list {
				if err := e.number(n, nil, 0); err != nil {
					return nil, err
				}
			}
		}
	}
	var idents []byte
	for _, id := range identList {
		idents = e.str(idents, id.Name)
		idents = e.modRef(idents, id.Module)
		idents = e.str(idents, id.Description)
		idents = binary.AppendUvarint(idents, uint64(len(id.Bases)))
		for _, b := range id.Bases {
			idents = e.identRef(idents, b)
		}
	}
	var mods []byte
	for _, m := range s.Modules {
		mods = e.module(mods, m)
	}
	if e.err != nil {
		return nil, e.err
	}

	out := append([]byte(descriptorMagic), descriptorVersion)
	out = binary.AppendUvarint(out, uint64(len(e.strs)-1))
	for _, str := range e.strs[1:] {
		out = binary.AppendUvarint(out, uint64(len(str)))
	}
	for _, str := range e.strs[1:] {
		out = append(out, str...)
	}
	out = binary.AppendUvarint(out, uint64(len(s.Modules)))
	out = binary.AppendUvarint(out, uint64(len(identList)))
	out = binary.AppendUvarint(out, uint64(len(e.nodes)))
	for _, t := range []*table{&e.prefixes, &e.patterns} {
		out = binary.AppendUvarint(out, t.n)
		out = append(out, t.buf...)
	}
	out = append(out, idents...)
	for _, t := range []*table{&e.types, &e.musts, &e.whens, &e.uniques} {
		out = binary.AppendUvarint(out, t.n)
		out = append(out, t.buf...)
	}
	return append(out, mods...), nil
}

// number assigns node indexes in preorder and checks the Parent links.
func (e *encoder) number(n, parent *Node, depth int) error {
	if n == nil {
		return errors.New("schema: descriptor: nil node")
	}
	if depth >= maxDescriptorDepth {
		return fmt.Errorf("schema: descriptor: %s: nodes nested too deep", n.Path())
	}
	if _, dup := e.nodes[n]; dup {
		return fmt.Errorf("schema: descriptor: node %s appears twice in the tree", n.Path())
	}
	if n.Parent != parent {
		return fmt.Errorf("schema: descriptor: node %s: Parent is not the node holding it", n.Name)
	}
	e.nodes[n] = uint64(len(e.nodes))
	for _, c := range n.Children {
		if err := e.number(c, n, depth+1); err != nil {
			return err
		}
	}
	return nil
}

func (e *encoder) fail(format string, args ...any) {
	if e.err == nil {
		e.err = fmt.Errorf("schema: descriptor: "+format, args...)
	}
}

func (e *encoder) str(b []byte, s string) []byte {
	i, ok := e.strIdx[s]
	if !ok {
		i = uint64(len(e.strs))
		e.strIdx[s] = i
		e.strs = append(e.strs, s)
	}
	return binary.AppendUvarint(b, i)
}

func (e *encoder) strList(b []byte, ss []string) []byte {
	b = binary.AppendUvarint(b, uint64(len(ss)))
	for _, s := range ss {
		b = e.str(b, s)
	}
	return b
}

// modRef appends an optional module reference.
func (e *encoder) modRef(b []byte, m *Module) []byte {
	if m == nil {
		return append(b, 0)
	}
	i, ok := e.mods[m]
	if !ok {
		e.fail("module %s is not part of the schema", m.Name)
	}
	return binary.AppendUvarint(b, i+1)
}

func (e *encoder) identRef(b []byte, id *Identity) []byte {
	i, ok := e.idents[id]
	if !ok {
		name := "<nil>"
		if id != nil {
			name = id.Name
		}
		e.fail("identity %s is not part of the schema", name)
	}
	return binary.AppendUvarint(b, i)
}

// nodeRef appends an optional node reference.
func (e *encoder) nodeRef(b []byte, n *Node) []byte {
	if n == nil {
		return append(b, 0)
	}
	i, ok := e.nodes[n]
	if !ok {
		e.fail("node %s is not part of the schema tree", n.Name)
	}
	return binary.AppendUvarint(b, i+1)
}

func (e *encoder) prefixRef(b []byte, p Prefixes) []byte {
	if p == nil {
		return append(b, 0)
	}
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	item := binary.AppendUvarint(nil, uint64(len(keys)))
	for _, k := range keys {
		item = e.str(item, k)
		item = e.modRef(item, p[k])
	}
	return binary.AppendUvarint(b, e.prefixes.add(item, true)+1)
}

func interval(b []byte, iv Interval) []byte {
	var neg byte
	if iv.Min.Neg {
		neg |= 1
	}
	if iv.Max.Neg {
		neg |= 2
	}
	b = append(b, neg)
	b = binary.AppendUvarint(b, iv.Min.Abs)
	return binary.AppendUvarint(b, iv.Max.Abs)
}

func (e *encoder) restriction(b []byte, r Restriction) []byte {
	return e.str(e.str(b, r.ErrorMessage), r.ErrorAppTag)
}

func (e *encoder) pattern(p *Pattern) uint64 {
	if i, ok := e.patIdx[p]; ok {
		return i
	}
	item := e.str(nil, p.Expr)
	if p.Invert {
		item = append(item, 1)
	} else {
		item = append(item, 0)
	}
	item = e.restriction(item, p.Restriction)
	i := e.patterns.add(item, true)
	e.patIdx[p] = i
	return i
}

func hasLeafref(t *Type) bool {
	if t.Base == Leafref {
		return true
	}
	for _, m := range t.Union {
		if m != nil && hasLeafref(m) {
			return true
		}
	}
	return false
}

// typ adds t (members first) to the type table and returns its index.
func (e *encoder) typ(t *Type) uint64 {
	if i, ok := e.typeIdx[t]; ok {
		return i
	}
	var members []uint64
	for _, m := range t.Union {
		if m == nil {
			e.fail("type %s: nil union member", t.Name)
			return 0
		}
		members = append(members, e.typ(m))
	}
	var bits uint64
	set := func(bit uint64, on bool) {
		if on {
			bits |= bit
		}
	}
	set(tfName, t.Name != "")
	set(tfTypedef, t.Typedef != "")
	set(tfModule, t.Module != nil)
	set(tfRange, t.Range != nil)
	set(tfRangeError, t.RangeError != Restriction{})
	set(tfLength, t.Length != nil)
	set(tfLengthError, t.LengthError != Restriction{})
	set(tfPatterns, len(t.Patterns) > 0)
	set(tfFractionDigits, t.FractionDigits != 0)
	set(tfEnums, len(t.Enums) > 0)
	set(tfBits, len(t.Bits) > 0)
	set(tfPath, t.Path != "")
	set(tfPathPrefixes, t.PathPrefixes != nil)
	set(tfPathModule, t.PathModule != nil)
	set(tfTarget, t.Target != nil)
	set(tfRequireInstance, t.RequireInstance)
	set(tfBases, len(t.Bases) > 0)
	set(tfUnion, len(t.Union) > 0)
	set(tfDefault, t.Default != "")
	set(tfUnits, t.Units != "")
	set(tfLoc, !t.Loc.IsZero())
	item := append(binary.AppendUvarint(nil, bits), byte(t.Base))
	if bits&tfName != 0 {
		item = e.str(item, t.Name)
	}
	if bits&tfTypedef != 0 {
		item = e.str(item, t.Typedef)
	}
	if bits&tfModule != 0 {
		item = e.modRef(item, t.Module)
	}
	if bits&tfRange != 0 {
		item = binary.AppendUvarint(item, uint64(len(t.Range)))
		for _, iv := range t.Range {
			item = interval(item, iv)
		}
	}
	if bits&tfRangeError != 0 {
		item = e.restriction(item, t.RangeError)
	}
	if bits&tfLength != 0 {
		item = binary.AppendUvarint(item, uint64(len(t.Length)))
		for _, iv := range t.Length {
			item = interval(item, iv)
		}
	}
	if bits&tfLengthError != 0 {
		item = e.restriction(item, t.LengthError)
	}
	if bits&tfPatterns != 0 {
		item = binary.AppendUvarint(item, uint64(len(t.Patterns)))
		for _, p := range t.Patterns {
			if p == nil {
				e.fail("type %s: nil pattern", t.Name)
				return 0
			}
			item = binary.AppendUvarint(item, e.pattern(p))
		}
	}
	if bits&tfFractionDigits != 0 {
		item = binary.AppendVarint(item, int64(t.FractionDigits))
	}
	if bits&tfEnums != 0 {
		item = binary.AppendUvarint(item, uint64(len(t.Enums)))
		for _, en := range t.Enums {
			item = binary.AppendVarint(e.str(item, en.Name), int64(en.Value))
		}
	}
	if bits&tfBits != 0 {
		item = binary.AppendUvarint(item, uint64(len(t.Bits)))
		for _, bt := range t.Bits {
			item = binary.AppendUvarint(e.str(item, bt.Name), uint64(bt.Position))
		}
	}
	if bits&tfPath != 0 {
		item = e.str(item, t.Path)
	}
	if bits&tfPathPrefixes != 0 {
		item = e.prefixRef(item, t.PathPrefixes)
	}
	if bits&tfPathModule != 0 {
		item = e.modRef(item, t.PathModule)
	}
	if bits&tfTarget != 0 {
		item = e.nodeRef(item, t.Target)
	}
	if bits&tfBases != 0 {
		item = binary.AppendUvarint(item, uint64(len(t.Bases)))
		for _, b := range t.Bases {
			item = e.identRef(item, b)
		}
	}
	if bits&tfUnion != 0 {
		item = binary.AppendUvarint(item, uint64(len(members)))
		for _, m := range members {
			item = binary.AppendUvarint(item, m)
		}
	}
	if bits&tfDefault != 0 {
		item = e.str(item, t.Default)
	}
	if bits&tfUnits != 0 {
		item = e.str(item, t.Units)
	}
	if bits&tfLoc != 0 {
		item = e.path(item, t.Loc.String())
	}
	i := e.types.add(item, !hasLeafref(t))
	e.typeIdx[t] = i
	return i
}

func (e *encoder) must(m *Must) uint64 {
	if i, ok := e.mustIdx[m]; ok {
		return i
	}
	item := e.str(nil, m.Expr)
	item = e.str(item, m.ErrorMessage)
	item = e.str(item, m.ErrorAppTag)
	item = e.prefixRef(item, m.Prefixes)
	item = e.modRef(item, m.Module)
	item = e.path(item, m.Loc.String())
	i := e.musts.add(item, true)
	e.mustIdx[m] = i
	return i
}

func (e *encoder) when(w *When) uint64 {
	if i, ok := e.whenIdx[w]; ok {
		return i
	}
	item := e.str(nil, w.Expr)
	item = e.prefixRef(item, w.Prefixes)
	item = e.modRef(item, w.Module)
	if w.Self {
		item = append(item, 1)
	} else {
		item = append(item, 0)
	}
	item = e.str(item, w.Origin)
	item = e.path(item, w.Loc.String())
	i := e.whens.add(item, true)
	e.whenIdx[w] = i
	return i
}

func (e *encoder) unique(u *Unique) uint64 {
	if i, ok := e.uniqIdx[u]; ok {
		return i
	}
	item := binary.AppendUvarint(nil, uint64(len(u.Leaves)))
	for _, n := range u.Leaves {
		item = e.nodeRef(item, n)
	}
	item = e.strList(item, u.Paths)
	item = e.path(item, u.Loc.String())
	i := e.uniques.add(item, true)
	e.uniqIdx[u] = i
	return i
}

func (e *encoder) module(b []byte, m *Module) []byte {
	for _, s := range []string{m.Name, m.Namespace, m.Prefix, m.Revision, m.YangVersion, m.Description} {
		b = e.str(b, s)
	}
	if m.Implemented {
		b = append(b, 1)
	} else {
		b = append(b, 0)
	}
	if e.opts.OmitSources {
		b = e.str(b, "")
	} else {
		b = e.str(b, m.Source)
	}
	b = e.path(b, m.File)
	b = e.strList(b, m.Submodules)
	b = e.strList(b, m.SubmoduleRevisions)
	b = e.strList(b, m.Deviations)
	b = e.prefixRef(b, m.Prefixes)
	b = binary.AppendUvarint(b, uint64(len(m.Features)))
	for _, f := range m.Features {
		if f == nil {
			e.fail("module %s: nil feature", m.Name)
			return b
		}
		b = e.str(b, f.Name)
		b = e.modRef(b, f.Module)
		if f.Enabled {
			b = append(b, 1)
		} else {
			b = append(b, 0)
		}
		b = e.str(b, f.Description)
	}
	b = binary.AppendUvarint(b, uint64(len(m.Identities)))
	for _, list := range [][]*Node{m.Data, m.RPCs, m.Notifications} {
		b = binary.AppendUvarint(b, uint64(len(list)))
		for _, n := range list {
			b = e.node(b, n)
		}
	}
	return b
}

func (e *encoder) node(b []byte, n *Node) []byte {
	var bits uint64
	set := func(bit uint64, on bool) {
		if on {
			bits |= bit
		}
	}
	set(nfConfig, n.Config)
	set(nfMandatory, n.Mandatory)
	set(nfOrdered, n.OrderedByUser)
	set(nfDescription, n.Description() != "")
	set(nfReference, n.Reference() != "")
	set(nfStatus, n.Status() != "current")
	set(nfPresence, n.Presence() != "")
	set(nfKeys, len(n.Keys()) > 0)
	set(nfUnique, len(n.Unique()) > 0)
	set(nfMin, n.MinElements() != 0)
	set(nfMax, n.MaxElements() != 0)
	set(nfType, n.Type != nil)
	set(nfDefault, len(n.Default()) > 0)
	set(nfDefaultCase, n.DefaultCase() != nil)
	set(nfUnits, n.Units() != "")
	set(nfMusts, len(n.Musts()) > 0)
	set(nfWhens, len(n.Whens()) > 0)
	set(nfLoc, !n.Loc.IsZero())
	set(nfExtensions, len(n.Extensions()) > 0)
	set(nfChildren, len(n.Children) > 0)
	b = append(b, byte(n.Kind))
	b = binary.AppendUvarint(b, bits)
	b = e.str(b, n.Name)
	b = e.modRef(b, n.Module)
	if bits&nfDescription != 0 {
		b = e.str(b, n.Description())
	}
	if bits&nfReference != 0 {
		b = e.str(b, n.Reference())
	}
	if bits&nfStatus != 0 {
		b = e.str(b, n.Status())
	}
	if bits&nfPresence != 0 {
		b = e.str(b, n.Presence())
	}
	if bits&nfKeys != 0 {
		b = binary.AppendUvarint(b, uint64(len(n.Keys())))
		for _, k := range n.Keys() {
			b = e.nodeRef(b, k)
		}
	}
	if bits&nfUnique != 0 {
		b = binary.AppendUvarint(b, uint64(len(n.Unique())))
		for _, u := range n.Unique() {
			if u == nil {
				e.fail("node %s: nil unique", n.Path())
				return b
			}
			b = binary.AppendUvarint(b, e.unique(u))
		}
	}
	if bits&nfMin != 0 {
		b = binary.AppendUvarint(b, n.MinElements())
	}
	if bits&nfMax != 0 {
		b = binary.AppendUvarint(b, n.MaxElements())
	}
	if bits&nfType != 0 {
		b = binary.AppendUvarint(b, e.typ(n.Type))
	}
	if bits&nfDefault != 0 {
		b = e.strList(b, n.Default())
	}
	if bits&nfDefaultCase != 0 {
		b = e.nodeRef(b, n.DefaultCase())
	}
	if bits&nfUnits != 0 {
		b = e.str(b, n.Units())
	}
	if bits&nfMusts != 0 {
		b = binary.AppendUvarint(b, uint64(len(n.Musts())))
		for _, m := range n.Musts() {
			if m == nil {
				e.fail("node %s: nil must", n.Path())
				return b
			}
			b = binary.AppendUvarint(b, e.must(m))
		}
	}
	if bits&nfWhens != 0 {
		b = binary.AppendUvarint(b, uint64(len(n.Whens())))
		for _, w := range n.Whens() {
			if w == nil {
				e.fail("node %s: nil when", n.Path())
				return b
			}
			b = binary.AppendUvarint(b, e.when(w))
		}
	}
	if bits&nfLoc != 0 {
		b = e.path(b, n.Loc.String())
	}
	if bits&nfExtensions != 0 {
		b = e.strList(b, n.Extensions())
	}
	if bits&nfChildren != 0 {
		b = binary.AppendUvarint(b, uint64(len(n.Children)))
		for _, c := range n.Children {
			b = e.node(b, c)
		}
	}
	return b
}

// UnmarshalDescriptor rebuilds the schema a descriptor of MarshalDescriptor encodes (checking its
// patterns with NewPattern: each is compiled on its first use) and finalizes it. Malformed input gives an error. Nodes that had
// equal types (other than leafrefs), musts, whens or uniques share one value in the result.
func UnmarshalDescriptor(b []byte) (*Schema, error) {
	return UnmarshalDescriptorString(string(b))
}

// UnmarshalDescriptorString is UnmarshalDescriptor for a descriptor held in a string, such as
// a generated constant: the schema's strings are slices of it, not copies.
func UnmarshalDescriptorString(desc string) (*Schema, error) {
	d := &decoder{s: desc}
	s := d.schema()
	if d.err != nil {
		return nil, d.err
	}
	s.Finalize()
	return s, nil
}

// pool hands out slices carved from larger allocations.
type pool[T any] struct{ buf []T }

func (p *pool[T]) take(n int) []T {
	if n > len(p.buf) {
		p.buf = make([]T, max(n, 512))
	}
	s := p.buf[:n:n]
	p.buf = p.buf[n:]
	return s
}

type decoder struct {
	s   string
	pos int
	err error
	// version is the descriptor's format version.
	version byte

	strs      []string
	mods      []Module
	idents    []Identity
	nodes     []Node
	next      int // next node to decode
	prefixes  []Prefixes
	patterns  []Pattern
	types     []Type
	musts     []Must
	whens     []When
	uniques   []Unique
	nodePtrs  pool[*Node]
	strSlices pool[string]
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("schema: descriptor: offset %d: "+format, append([]any{d.pos}, args...)...)
	}
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	var x uint64
	var shift uint
	for i := 0; ; i++ {
		if d.pos >= len(d.s) {
			d.fail("truncated")
			return 0
		}
		c := d.s[d.pos]
		d.pos++
		if i == 9 && c > 1 {
			d.fail("varint overflows 64 bits")
			return 0
		}
		if c < 0x80 {
			return x | uint64(c)<<shift
		}
		x |= uint64(c&0x7f) << shift
		shift += 7
	}
}

func (d *decoder) varint() int64 {
	u := d.uvarint()
	x := int64(u >> 1)
	if u&1 != 0 {
		x = ^x
	}
	return x
}

func (d *decoder) byte() byte {
	if d.err != nil {
		return 0
	}
	if d.pos >= len(d.s) {
		d.fail("truncated")
		return 0
	}
	d.pos++
	return d.s[d.pos-1]
}

func (d *decoder) bool() bool {
	switch d.byte() {
	case 0:
		return false
	case 1:
		return true
	}
	d.fail("bad boolean")
	return false
}

// count reads a number of items that each take at least minSize bytes.
func (d *decoder) count(minSize int) int {
	n := d.uvarint()
	if d.err == nil && n > uint64(len(d.s)-d.pos)/uint64(minSize) {
		d.fail("count %d exceeds the remaining input", n)
		return 0
	}
	return int(n)
}

// index reads an index below n (optional: 0 means none, returned as -1).
func (d *decoder) index(n int, optional bool, what string) int {
	i := d.uvarint()
	if optional {
		if i == 0 {
			return -1
		}
		i--
	}
	if d.err == nil && i >= uint64(n) {
		d.fail("%s index %d out of range", what, i)
		return -1
	}
	if d.err != nil {
		return -1
	}
	return int(i)
}

func (d *decoder) str() string {
	if i := d.index(len(d.strs), false, "string"); i >= 0 {
		return d.strs[i]
	}
	return ""
}

func (d *decoder) strList() []string {
	n := d.count(1)
	if n == 0 {
		return nil
	}
	out := d.strSlices.take(n)
	for i := range out {
		out[i] = d.str()
	}
	return out
}

func (d *decoder) mod() *Module {
	if i := d.index(len(d.mods), true, "module"); i >= 0 {
		return &d.mods[i]
	}
	return nil
}

// reqMod reads a module reference that must not be nil.
func (d *decoder) reqMod() *Module {
	m := d.mod()
	if m == nil && d.err == nil {
		d.fail("missing module")
	}
	return m
}

func (d *decoder) node() *Node {
	if i := d.index(len(d.nodes), true, "node"); i >= 0 {
		return &d.nodes[i]
	}
	return nil
}

func (d *decoder) identList() []*Identity {
	n := d.count(1)
	if n == 0 {
		return nil
	}
	out := make([]*Identity, n)
	for i := range out {
		if j := d.index(len(d.idents), false, "identity"); j >= 0 {
			out[i] = &d.idents[j]
		}
	}
	return out
}

func (d *decoder) prefixRef() Prefixes {
	if i := d.index(len(d.prefixes), true, "prefix map"); i >= 0 {
		return d.prefixes[i]
	}
	return nil
}

func (d *decoder) restriction() Restriction {
	return Restriction{ErrorMessage: d.str(), ErrorAppTag: d.str()}
}

func (d *decoder) interval() Interval {
	neg := d.byte()
	if neg > 3 {
		d.fail("bad interval")
	}
	return Interval{Min: Number{Neg: neg&1 != 0, Abs: d.uvarint()}, Max: Number{Neg: neg&2 != 0, Abs: d.uvarint()}}
}

func (d *decoder) intervals() []Interval {
	n := d.count(3)
	out := make([]Interval, n)
	for i := range out {
		out[i] = d.interval()
	}
	return out
}

func (d *decoder) schema() *Schema {
	if len(d.s) < len(descriptorMagic)+1 || d.s[:len(descriptorMagic)] != descriptorMagic {
		d.fail("not a schema descriptor")
		return nil
	}
	d.pos = len(descriptorMagic)
	d.version = d.byte()
	if d.version != descriptorVersion && d.version != 1 {
		d.fail("format version %d, want %d", d.version, descriptorVersion)
		return nil
	}
	nstr := d.count(1)
	d.strs = make([]string, nstr+1)
	lens := make([]uint64, nstr)
	total := uint64(0)
	for i := range lens {
		lens[i] = d.uvarint()
		total += lens[i]
		if total > uint64(len(d.s)) {
			d.fail("string table exceeds the input")
			return nil
		}
	}
	if d.err != nil {
		return nil
	}
	if total > uint64(len(d.s)-d.pos) {
		d.fail("string table exceeds the input")
		return nil
	}
	for i, n := range lens {
		d.strs[i+1] = d.s[d.pos : d.pos+int(n)]
		d.pos += int(n)
	}
	d.mods = make([]Module, d.count(8))
	d.idents = make([]Identity, d.count(4))
	d.nodes = make([]Node, d.count(4))
	decls := make([]Decl, len(d.nodes))
	for i := range d.nodes {
		d.nodes[i].Decl = &decls[i]
	}

	d.prefixes = make([]Prefixes, d.count(1))
	for i := range d.prefixes {
		n := d.count(2)
		p := make(Prefixes, n)
		for range n {
			k := d.str()
			p[k] = d.mod()
		}
		d.prefixes[i] = p
	}
	d.patterns = make([]Pattern, d.count(4))
	for i := range d.patterns {
		p := &d.patterns[i]
		p.Expr = d.str()
		p.Invert = d.bool()
		p.Restriction = d.restriction()
		if d.err != nil {
			return nil
		}
		np, err := NewPattern(p.Expr)
		if err != nil {
			d.fail("pattern %q: %v", p.Expr, err)
			return nil
		}
		p.compiled = np.compiled
	}
	for i := range d.idents {
		id := &d.idents[i]
		id.Name = d.str()
		id.Module = d.reqMod()
		id.Description = d.str()
		id.Bases = d.identList()
	}
	if d.err == nil && identCycle(d.idents) {
		d.fail("identity derived from itself")
	}
	d.types = make([]Type, d.count(2))
	for i := range d.types {
		d.typ(i)
	}
	d.musts = make([]Must, d.count(6))
	for i := range d.musts {
		d.musts[i] = Must{Expr: d.str(), ErrorMessage: d.str(), ErrorAppTag: d.str(),
			Prefixes: d.prefixRef(), Module: d.mod(), Loc: parseLoc(d.str())}
	}
	d.whens = make([]When, d.count(6))
	for i := range d.whens {
		d.whens[i] = When{Expr: d.str(), Prefixes: d.prefixRef(), Module: d.mod(), Self: d.bool(),
			Origin: d.str(), Loc: parseLoc(d.str())}
	}
	d.uniques = make([]Unique, d.count(3))
	for i := range d.uniques {
		u := &d.uniques[i]
		if n := d.count(1); n > 0 {
			u.Leaves = d.nodePtrs.take(n)
			for j := range u.Leaves {
				u.Leaves[j] = d.node()
				if u.Leaves[j] == nil && d.err == nil {
					d.fail("nil unique leaf")
				}
			}
		}
		u.Paths = d.strList()
		u.Loc = parseLoc(d.str())
	}
	if d.err != nil {
		return nil
	}
	s := &Schema{Modules: make([]*Module, len(d.mods))}
	nextIdent := 0
	for i := range d.mods {
		m := &d.mods[i]
		s.Modules[i] = m
		m.Name, m.Namespace, m.Prefix, m.Revision, m.YangVersion, m.Description = d.str(), d.str(), d.str(), d.str(), d.str(), d.str()
		m.Implemented = d.bool()
		m.Source, m.File = d.str(), d.str()
		m.Submodules = d.strList()
		if d.version >= 2 {
			m.SubmoduleRevisions = d.strList()
		}
		m.Deviations = d.strList()
		m.Prefixes = d.prefixRef()
		if n := d.count(4); n > 0 {
			fs := make([]Feature, n)
			m.Features = make([]*Feature, n)
			for j := range fs {
				fs[j] = Feature{Name: d.str(), Module: d.reqMod(), Enabled: d.bool(), Description: d.str()}
				m.Features[j] = &fs[j]
			}
		}
		if n := d.uvarint(); n > 0 {
			if n > uint64(len(d.idents)-nextIdent) {
				d.fail("module %s: more identities than the table holds", m.Name)
				return nil
			}
			m.Identities = make([]*Identity, n)
			for j := range m.Identities {
				m.Identities[j] = &d.idents[nextIdent]
				nextIdent++
			}
		}
		m.Data = d.nodeList(nil, 0)
		m.RPCs = d.nodeList(nil, 0)
		m.Notifications = d.nodeList(nil, 0)
		if d.err != nil {
			return nil
		}
	}
	switch {
	case nextIdent != len(d.idents):
		d.fail("%d identities belong to no module", len(d.idents)-nextIdent)
	case d.next != len(d.nodes):
		d.fail("%d nodes declared, %d in the trees", len(d.nodes), d.next)
	case d.pos != len(d.s):
		d.fail("%d bytes of trailing data", len(d.s)-d.pos)
	}
	return s
}

func (d *decoder) typ(i int) {
	t := &d.types[i]
	bits := d.uvarint()
	if bits >= tfEnd {
		d.fail("unknown type fields %#x", bits)
		return
	}
	t.Base = BaseKind(d.byte())
	if t.Base == 0 || int(t.Base) >= len(baseNames) {
		d.fail("bad base type %d", t.Base)
		return
	}
	if bits&tfName != 0 {
		t.Name = d.str()
	}
	if bits&tfTypedef != 0 {
		t.Typedef = d.str()
	}
	if bits&tfModule != 0 {
		t.Module = d.mod()
	}
	if bits&tfRange != 0 {
		t.Range = d.intervals()
	}
	if bits&tfRangeError != 0 {
		t.RangeError = d.restriction()
	}
	if bits&tfLength != 0 {
		t.Length = d.intervals()
	}
	if bits&tfLengthError != 0 {
		t.LengthError = d.restriction()
	}
	if bits&tfPatterns != 0 {
		t.Patterns = make([]*Pattern, d.count(1))
		for j := range t.Patterns {
			if k := d.index(len(d.patterns), false, "pattern"); k >= 0 {
				t.Patterns[j] = &d.patterns[k]
			}
		}
	}
	if bits&tfFractionDigits != 0 {
		fd := d.varint()
		if fd < -1<<31 || fd > 1<<31-1 {
			d.fail("bad fraction-digits")
		}
		t.FractionDigits = int(fd)
	}
	if bits&tfEnums != 0 {
		t.Enums = make([]Enum, d.count(2))
		for j := range t.Enums {
			name, v := d.str(), d.varint()
			if v < -1<<31 || v > 1<<31-1 {
				d.fail("enum value %d out of range", v)
			}
			t.Enums[j] = Enum{Name: name, Value: int32(v)}
		}
	}
	if bits&tfBits != 0 {
		t.Bits = make([]Bit, d.count(2))
		for j := range t.Bits {
			name, p := d.str(), d.uvarint()
			if p > 1<<32-1 {
				d.fail("bit position %d out of range", p)
			}
			t.Bits[j] = Bit{Name: name, Position: uint32(p)}
		}
	}
	if bits&tfPath != 0 {
		t.Path = d.str()
	}
	if bits&tfPathPrefixes != 0 {
		t.PathPrefixes = d.prefixRef()
	}
	if bits&tfPathModule != 0 {
		t.PathModule = d.mod()
	}
	if bits&tfTarget != 0 {
		t.Target = d.node()
	}
	t.RequireInstance = bits&tfRequireInstance != 0
	if bits&tfBases != 0 {
		t.Bases = d.identList()
	}
	if bits&tfUnion != 0 {
		t.Union = make([]*Type, d.count(1))
		for j := range t.Union {
			if k := d.index(i, false, "union member type"); k >= 0 {
				t.Union[j] = &d.types[k]
			}
		}
	}
	if bits&tfDefault != 0 {
		t.Default = d.str()
	}
	if bits&tfUnits != 0 {
		t.Units = d.str()
	}
	if bits&tfLoc != 0 {
		t.Loc = parseLoc(d.str())
	}
}

// nodeList decodes a count and that many node trees.
func (d *decoder) nodeList(parent *Node, depth int) []*Node {
	n := d.count(4)
	if n == 0 {
		return nil
	}
	if depth >= maxDescriptorDepth {
		d.fail("nodes nested too deep")
		return nil
	}
	out := d.nodePtrs.take(n)
	for i := range out {
		if d.err != nil {
			return nil
		}
		if d.next >= len(d.nodes) {
			d.fail("more nodes than declared")
			return nil
		}
		nd := &d.nodes[d.next]
		d.next++
		out[i] = nd
		d.decodeNode(nd, parent, depth)
	}
	return out
}

func (d *decoder) decodeNode(n *Node, parent *Node, depth int) {
	n.Parent = parent
	n.Kind = Kind(d.byte())
	if n.Kind == 0 || int(n.Kind) >= len(kindNames) {
		d.fail("bad node kind %d", n.Kind)
		return
	}
	bits := d.uvarint()
	if bits >= nfEnd {
		d.fail("unknown node fields %#x", bits)
		return
	}
	n.Name = d.str()
	n.Module = d.reqMod()
	n.Config = bits&nfConfig != 0
	n.Mandatory = bits&nfMandatory != 0
	n.OrderedByUser = bits&nfOrdered != 0
	var more declMore // n.Decl's fields besides Name and Loc
	if bits&nfDescription != 0 {
		more.description = d.str()
	}
	if bits&nfReference != 0 {
		n.SetReference(d.str())
	}
	if bits&nfStatus != 0 {
		// An encoder writes any status but current ("" from a Decl built by hand before
		// Decl.Status said "current" for it); either reads back as current.
		if more.status = d.str(); more.status == "current" {
			more.status = ""
		}
	}
	if bits&nfPresence != 0 {
		more.presence = d.str()
	}
	if bits&nfKeys != 0 {
		keys := d.nodePtrs.take(d.count(1))
		for i := range keys {
			if keys[i] = d.node(); keys[i] == nil && d.err == nil {
				d.fail("nil key")
			}
		}
		n.SetKeys(keys)
	}
	if bits&nfUnique != 0 {
		n.SetUnique(make([]*Unique, d.count(1)))
		for i := range n.Unique() {
			if k := d.index(len(d.uniques), false, "unique"); k >= 0 {
				n.Unique()[i] = &d.uniques[k]
			}
		}
	}
	if bits&nfMin != 0 {
		n.SetMinElements(d.uvarint())
	}
	if bits&nfMax != 0 {
		n.SetMaxElements(d.uvarint())
	}
	if bits&nfType != 0 {
		if k := d.index(len(d.types), false, "type"); k >= 0 {
			n.Type = &d.types[k]
		}
	}
	if bits&nfDefault != 0 {
		more.dflt = d.strList()
	}
	if bits&nfDefaultCase != 0 {
		n.SetDefaultCase(d.node())
	}
	if bits&nfUnits != 0 {
		more.units = d.str()
	}
	n.Decl.more = more.side()
	if bits&nfMusts != 0 {
		n.SetMusts(make([]*Must, d.count(1)))
		for i := range n.Musts() {
			if k := d.index(len(d.musts), false, "must"); k >= 0 {
				n.Musts()[i] = &d.musts[k]
			}
		}
	}
	if bits&nfWhens != 0 {
		n.SetWhens(make([]*When, d.count(1)))
		for i := range n.Whens() {
			if k := d.index(len(d.whens), false, "when"); k >= 0 {
				n.Whens()[i] = &d.whens[k]
			}
		}
	}
	if bits&nfLoc != 0 {
		n.Loc = parseLoc(d.str())
	}
	if bits&nfExtensions != 0 {
		n.SetExtensions(d.strList())
	}
	if bits&nfChildren != 0 {
		n.Children = d.nodeList(n, depth+1)
	}
}

// identCycle reports whether some identity is, through its bases, derived from itself.
func identCycle(ids []Identity) bool {
	state := make(map[*Identity]int8, len(ids)) // 1 visiting, 2 done
	var visit func(*Identity) bool
	visit = func(id *Identity) bool {
		switch state[id] {
		case 1:
			return true
		case 2:
			return false
		}
		state[id] = 1
		for _, b := range id.Bases {
			if visit(b) {
				return true
			}
		}
		state[id] = 2
		return false
	}
	for i := range ids {
		if visit(&ids[i]) {
			return true
		}
	}
	return false
}

// path appends a file path or a "file:line" location, trimmed to its base name when
// BaseNames is set.
func (e *encoder) path(b []byte, p string) []byte {
	if e.opts.BaseNames {
		if i := strings.LastIndexAny(p, `/\`); i >= 0 {
			p = p[i+1:]
		}
	}
	return e.str(b, p)
}
