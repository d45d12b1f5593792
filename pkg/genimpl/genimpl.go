package genimpl

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/schema"
)

// SupportPackageIsVersion2 is referenced by generated code to assert at compile time that this
// runtime supports version 2 of the generated code's contract: conversion through Package
// tables read from struct tags. Version 1 (generated FromTree/ToTree bodies over the Key, Set*
// and Leaf* helpers, and a newStruct switch for Typed) is no longer supported; regenerate.
const SupportPackageIsVersion2 = true

// SupportPackageIsVersion3 is referenced by generated code of version 3 of the contract: version
// 2 with list helpers and enumeration String/Parse as calls into Append, Get, New and Enum
// (list.go), list keys named by key=N tags. Version 2 code is still supported.
const SupportPackageIsVersion3 = true

// SupportPackageIsVersion4 is referenced by the packages of a tree generated with --split
// module: version 3 with every package converting through one shared Package
// (Package.Shared, Package.Register) and union key texts through UnionText. Version 3 code is
// still supported.
const SupportPackageIsVersion4 = true

// SupportPackageIsVersion5 is referenced by generated code of version 5 of the contract
// (one package or a --split tree): version 4 with the list helpers as calls into the
// non-generic ListAppend, ListGet and ListNew. Version 2 to 4 code is still supported.
const SupportPackageIsVersion5 = true

// The helpers generated code calls (enumeration String methods, union wrappers, the keys of
// operations) are marked go:noinline, as were those of the generated conversion functions that
// the tables replaced: a generated package calls them from thousands of small functions, and inlining them there is what the compiler spends
// most of a big package's build on (OpenConfig, compressed: 17.2 s and 1.28 GB with inlining,
// 10.2 s and 0.88 GB without), for a call's worth of run time each.

// ErrNoSchema is returned (wrapped) by Builder.Done when a generated package names a schema node
// that the schema given to ToTree does not have: the package was generated from other modules.
var ErrNoSchema = errors.New("genimpl: schema node not found")

// ErrDuplicate is returned (wrapped) when a list entry or leaf-list value is added twice.
var ErrDuplicate = errors.New("genimpl: duplicate entry")

// ErrMissingKey is returned (wrapped) when a list entry lacks a key.
var ErrMissingKey = errors.New("genimpl: list entry without key")

// ErrNoMember is returned (wrapped) when no member type of a union takes a value.
var ErrNoMember = errors.New("genimpl: no union member takes the value")

// Duplicate returns an ErrDuplicate error naming the list or leaf-list at path.
//
//go:noinline
func Duplicate(path string) error { return fmt.Errorf("%w: %s", ErrDuplicate, path) }

// MissingKey returns an ErrMissingKey error naming the list at path and the key leaf.
//
//go:noinline
func MissingKey(path, key string) error { return fmt.Errorf("%w: %s: %s", ErrMissingKey, path, key) }

// NoMember returns an ErrNoMember error for value v.
//
//go:noinline
func NoMember(v data.Value) error { return fmt.Errorf("%w: %q", ErrNoMember, v.Str) }

// A UnionValue is what a generated union value hands to Builder.UnionLeaf: the index of its
// member type in UnionMembers and its lexical form.
type UnionValue struct {
	Member int
	Text   string
}

// Decimal64 is a YANG decimal64 value (RFC 7950 section 9.3): Scaled / 10^Digits.
type Decimal64 struct {
	Scaled int64
	Digits uint8
}

// String returns the canonical form of d: at least one fraction digit, no trailing zeros beyond
// the first, no leading zeros.
func (d Decimal64) String() string {
	return data.FormatDecimal(schema.NumberOf(d.Scaled), int(d.Digits))
}

// Float64 returns d as the nearest float64.
func (d Decimal64) Float64() float64 {
	f, _ := strconv.ParseFloat(d.String(), 64)
	return f
}

// Ptr returns a pointer to a copy of v.
//
//go:noinline
func Ptr[T any](v T) *T { return &v }

// Int returns the value of a signed integer (or enumeration) leaf.
//
//go:noinline
func Int[T ~int8 | ~int16 | ~int32 | ~int64](v data.Value) T { return T(v.Num().Int()) }

// Uint returns the value of an unsigned integer leaf.
//
//go:noinline
func Uint[T ~uint8 | ~uint16 | ~uint32 | ~uint64](v data.Value) T { return T(v.Num().Abs) }

// Bool returns the value of a boolean leaf.
//
//go:noinline
func Bool(v data.Value) bool { return v.Str == "true" }

// Binary returns the value of a binary leaf, decoded from base64, never nil. Values in a tree
// were checked by data.ParseValue; text that is not base64 gives an empty slice.
//
//go:noinline
func Binary(v data.Value) []byte {
	b, err := base64.StdEncoding.DecodeString(v.Str)
	if err != nil || b == nil {
		b = []byte{}
	}
	return b
}

// Decimal returns the value of a decimal64 leaf.
//
//go:noinline
func Decimal(v data.Value) Decimal64 {
	d := Decimal64{Scaled: v.Num().Int()}
	if t := v.Type.ValueType(); t != nil {
		d.Digits = uint8(t.FractionDigits)
	}
	return d
}

// Bits returns the set bits of a bits leaf in position order, an empty non-nil slice when none.
//
//go:noinline
func Bits(v data.Value) []string {
	f := strings.Fields(v.Str)
	if f == nil {
		f = []string{}
	}
	return f
}

// FormatInt returns the canonical form of a signed integer.
//
//go:noinline
func FormatInt[T ~int8 | ~int16 | ~int32 | ~int64](v T) string {
	return strconv.FormatInt(int64(v), 10)
}

// FormatUint returns the canonical form of an unsigned integer.
//
//go:noinline
func FormatUint[T ~uint8 | ~uint16 | ~uint32 | ~uint64](v T) string {
	return strconv.FormatUint(uint64(v), 10)
}

// FormatBool returns "true" or "false".
//
//go:noinline
func FormatBool(v bool) string { return strconv.FormatBool(v) }

// FormatBinary returns b in base64.
//
//go:noinline
func FormatBinary(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// FormatBits returns the lexical form of a set of bits.
//
//go:noinline
func FormatBits(bits []string) string { return strings.Join(bits, " ") }

// UnionMembers returns the member types of union type t (or of the union a leafref points to),
// nested unions flattened, in order. Generated union types number their members in this order.
func UnionMembers(t *schema.Type) []*schema.Type {
	var out []*schema.Type
	var walk func(t *schema.Type, depth int)
	walk = func(t *schema.Type, depth int) {
		vt := t.ValueType()
		if vt == nil || depth > 32 {
			return
		}
		if vt.Base != schema.Union {
			out = append(out, t)
			return
		}
		for _, m := range vt.Union {
			walk(m, depth+1)
		}
	}
	walk(t, 0)
	return out
}

// UnionMember returns the index in UnionMembers(t) of the member type value v has, and v as a
// value of that member. When v does not name its member (a leafref to a union), the text is
// parsed against each member in order. It returns -1 when no member takes the value.
func UnionMember(t *schema.Type, v data.Value) (int, data.Value) {
	ms := UnionMembers(t)
	for i, m := range ms {
		if v.Type == m || v.Type == m.ValueType() {
			return i, v
		}
	}
	r := resolver(t)
	for i, m := range ms {
		if mv, err := data.ParseValue(m, v.Str, r); err == nil {
			return i, mv
		}
	}
	return -1, v
}

// resolver resolves the module-name prefixes of identityref values of t (through unions and
// leafrefs) and of instance-identifiers naming modules t's module imports.
func resolver(t *schema.Type) data.Resolver {
	mods := map[string]*schema.Module{}
	var add func(m *schema.Module, depth int)
	add = func(m *schema.Module, depth int) {
		if m == nil || mods[m.Name] != nil || depth > 8 {
			return
		}
		mods[m.Name] = m
		for _, im := range m.Prefixes {
			add(im, depth+1)
		}
	}
	var walk func(t *schema.Type, depth int)
	walk = func(t *schema.Type, depth int) {
		t = t.ValueType()
		if t == nil || depth > 32 {
			return
		}
		add(t.Module, 0)
		for _, b := range t.Bases {
			add(b.Module, 0)
			for _, d := range b.Derived {
				add(d.Module, 0)
			}
		}
		for _, m := range t.Union {
			walk(m, depth+1)
		}
	}
	walk(t, 0)
	return func(prefix string) *schema.Module { return mods[prefix] }
}

// A Builder builds the tree node of one generated struct (or a document root) for ToTree.
// The first error is kept and returned by Done; later calls do nothing.
type Builder struct {
	n   *data.Node
	s   *schema.Schema
	err error
}

// NewBuilder returns a Builder of a new detached node for schema node sn.
//
//go:noinline
func NewBuilder(sn *schema.Node) *Builder {
	if sn == nil {
		return &Builder{err: fmt.Errorf("%w: nil schema node", ErrNoSchema)}
	}
	return &Builder{n: data.New(sn)}
}

// NewRootBuilder returns a Builder of a new document root whose children are top-level nodes of s.
//
//go:noinline
func NewRootBuilder(s *schema.Schema) *Builder {
	if s == nil {
		return &Builder{err: fmt.Errorf("%w: nil schema", ErrNoSchema)}
	}
	return &Builder{n: data.NewRoot(), s: s}
}

// Schema returns the schema node of the child named name in module mod, nil (and an error kept
// for Done) when there is none.
//
//go:noinline
func (b *Builder) Schema(mod, name string) *schema.Node {
	if b.err != nil {
		return nil
	}
	var sn *schema.Node
	if b.s != nil {
		if m := b.s.Module(mod); m != nil {
			sn = b.s.Top(m, name)
		}
	} else {
		sn = dataChild(b.n.Schema.Children, mod, name, 0)
	}
	if sn == nil {
		where := "/"
		if b.n.Schema != nil {
			where = b.n.Schema.Path()
		}
		b.err = fmt.Errorf("%w: %s:%s under %s", ErrNoSchema, mod, name, where)
	}
	return sn
}

// Leaf adds a leaf or leaf-list entry of the child named name in module mod with lexical value
// text, parsed and checked against the leaf's type.
//
//go:noinline
func (b *Builder) Leaf(mod, name, text string) {
	sn := b.Schema(mod, name)
	if sn == nil {
		return
	}
	b.leaf(sn, sn.Type, text)
}

// UnionLeaf is Leaf for a union-typed leaf whose value is of member type number member (see
// UnionMembers). A value the member does not take is parsed against the whole union.
//
//go:noinline
func (b *Builder) UnionLeaf(mod, name string, u UnionValue) {
	member, text := u.Member, u.Text
	sn := b.Schema(mod, name)
	if sn == nil {
		return
	}
	if sn.Type != nil && sn.Type.Base == schema.Union {
		if ms := UnionMembers(sn.Type); member >= 0 && member < len(ms) {
			if v, err := data.ParseValue(ms[member], text, resolver(sn.Type)); err == nil {
				b.insert(data.NewLeaf(sn, v))
				return
			}
		}
	}
	b.leaf(sn, sn.Type, text)
}

// Anydata adds an anydata or anyxml child holding raw XML content.
//
//go:noinline
func (b *Builder) Anydata(mod, name string, raw []byte) {
	sn := b.Schema(mod, name)
	if sn == nil {
		return
	}
	b.insert(data.NewLeaf(sn, data.Value{Str: string(raw)}))
}

func (b *Builder) leaf(sn *schema.Node, t *schema.Type, text string) {
	v, rerr := data.ParseValue(t, text, resolver(t))
	if rerr != nil {
		b.err = fmt.Errorf("genimpl: %s: %q: %s", sn.Path(), text, rerr.Message)
		return
	}
	b.insert(data.NewLeaf(sn, v))
}

// Add adds c, the result of a child's ToTree, unless err is set (then kept for Done). A
// non-presence container without children is dropped.
//
//go:noinline
func (b *Builder) Add(c *data.Node, err error) {
	if b.err != nil {
		return
	}
	if err != nil {
		b.err = err
		return
	}
	if c.Schema.IsNPContainer() && len(c.Children()) == 0 {
		return
	}
	if c.Schema.Kind == schema.KindList {
		for _, k := range c.Schema.Keys() {
			if c.Child(k) == nil {
				b.err = MissingKey(c.Schema.Path(), k.Name)
				return
			}
		}
	}
	b.insert(c)
}

func (b *Builder) insert(c *data.Node) {
	if b.err != nil {
		return
	}
	if dup := b.n.Add(c); dup != nil {
		b.err = Duplicate(c.Schema.Path())
	}
}

// Done returns the built node, or the first error.
//
//go:noinline
func (b *Builder) Done() (*data.Node, error) {
	if b.err != nil {
		return nil, b.err
	}
	return b.n, nil
}

// ErrTwoCases is returned (wrapped) by ToTree when fields of two cases of one choice are set.
var ErrTwoCases = errors.New("genimpl: fields of two cases of one choice are set")

// TwoCases returns an ErrTwoCases error naming the choice and the data node holding it.
//
//go:noinline
func TwoCases(path, choice string) error {
	return fmt.Errorf("%w: choice %s in %s", ErrTwoCases, choice, path)
}

// dataChild finds the data node named name in module mod among children, looking through choice
// and case, without allocating.
func dataChild(children []*schema.Node, mod, name string, depth int) *schema.Node {
	if depth > 64 {
		return nil
	}
	for _, c := range children {
		switch c.Kind {
		case schema.KindChoice, schema.KindCase:
			if d := dataChild(c.Children, mod, name, depth+1); d != nil {
				return d
			}
		default:
			if c.Kind.IsData() && c.Name == name && c.Module != nil && c.Module.Name == mod {
				return c
			}
		}
	}
	return nil
}
