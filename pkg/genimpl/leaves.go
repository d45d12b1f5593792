package genimpl

import (
	"strconv"

	"github.com/ncws/ncws/pkg/data"
)

// The Set* functions store the value of leaf c into the pointer field *p of a generated struct,
// and the Leaf* functions add the leaf of field p to b unless p is nil: one call per leaf in
// generated code, which keeps the conversion functions small (their size is what a big generated
// package's build costs).

// SetInt stores c's integer or enumeration value in *p.
//
//go:noinline
func SetInt[T ~int8 | ~int16 | ~int32 | ~int64](p **T, c *data.Node) {
	v := T(c.Value.Num().Int())
	*p = &v
}

// SetUint stores c's unsigned integer value in *p.
//
//go:noinline
func SetUint[T ~uint8 | ~uint16 | ~uint32 | ~uint64](p **T, c *data.Node) {
	v := T(c.Value.Num().Abs)
	*p = &v
}

// SetString stores c's text (string, identityref as "module:identity", instance-identifier) in *p.
//
//go:noinline
func SetString[T ~string](p **T, c *data.Node) {
	v := T(c.Value.Str)
	*p = &v
}

// SetBool stores c's boolean value in *p.
//
//go:noinline
func SetBool(p **bool, c *data.Node) {
	v := c.Value.Str == "true"
	*p = &v
}

// SetDecimal stores c's decimal64 value in *p.
//
//go:noinline
func SetDecimal(p **Decimal64, c *data.Node) {
	v := Decimal(c.Value)
	*p = &v
}

// LeafInt adds leaf (mod, name) with value *p to b unless p is nil.
//
//go:noinline
func LeafInt[T ~int8 | ~int16 | ~int32 | ~int64](b *Builder, mod, name string, p *T) {
	if p != nil {
		b.Leaf(mod, name, strconv.FormatInt(int64(*p), 10))
	}
}

// LeafUint adds leaf (mod, name) with value *p to b unless p is nil.
//
//go:noinline
func LeafUint[T ~uint8 | ~uint16 | ~uint32 | ~uint64](b *Builder, mod, name string, p *T) {
	if p != nil {
		b.Leaf(mod, name, strconv.FormatUint(uint64(*p), 10))
	}
}

// LeafString adds leaf (mod, name) with text *p to b unless p is nil.
//
//go:noinline
func LeafString[T ~string](b *Builder, mod, name string, p *T) {
	if p != nil {
		b.Leaf(mod, name, string(*p))
	}
}

// LeafBool adds leaf (mod, name) with value *p to b unless p is nil.
//
//go:noinline
func LeafBool(b *Builder, mod, name string, p *bool) {
	if p != nil {
		b.Leaf(mod, name, strconv.FormatBool(*p))
	}
}

// LeafText adds leaf (mod, name) with the text of *p (an enumeration or decimal64: its String) to
// b unless p is nil.
//
//go:noinline
func LeafText[T interface{ String() string }](b *Builder, mod, name string, p *T) {
	if p != nil {
		b.Leaf(mod, name, (*p).String())
	}
}
