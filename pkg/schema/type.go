package schema

import (
	"strconv"
)

// BaseKind is a YANG built-in type (RFC 7950 section 4.2.4).
type BaseKind uint8

// The built-in types.
const (
	Int8 BaseKind = iota + 1
	Int16
	Int32
	Int64
	Uint8
	Uint16
	Uint32
	Uint64
	Decimal64
	String
	Boolean
	Enumeration
	Bits
	Binary
	Leafref
	Identityref
	Empty
	Union
	InstanceIdentifier
)

var baseNames = [...]string{"", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
	"decimal64", "string", "boolean", "enumeration", "bits", "binary", "leafref", "identityref", "empty",
	"union", "instance-identifier"}

// String returns the YANG name of the built-in type.
func (k BaseKind) String() string {
	if int(k) < len(baseNames) {
		return baseNames[k]
	}
	return "unknown"
}

// BaseKindOf returns the built-in type with that YANG name, 0 if none.
func BaseKindOf(name string) BaseKind {
	for i, n := range baseNames {
		if i > 0 && n == name {
			return BaseKind(i)
		}
	}
	return 0
}

// IsInteger reports whether k is one of int8..uint64.
func (k BaseKind) IsInteger() bool { return k >= Int8 && k <= Uint64 }

// IsSigned reports whether k is int8..int64 or decimal64.
func (k BaseKind) IsSigned() bool { return k >= Int8 && k <= Int64 || k == Decimal64 }

// Type is a resolved YANG type: the built-in base with every restriction of the typedef chain
// applied. Restrictions are stored in their effective (most derived) form.
type Type struct {
	// Name is the name the type was referred by ("inet:ipv4-address", "string" ...).
	Name string
	// Typedef is the typedef's name and Module its module, when the type comes from a typedef.
	Typedef string
	Module  *Module
	Base    BaseKind
	// RequireInstance applies to leafref and instance-identifier (default true). (It sits next
	// to Base, where it takes no room of its own.)
	RequireInstance bool
	// Range holds the allowed intervals for integer and decimal64 types (nil: the base type's bounds).
	// Decimal64 bounds are scaled by 10^FractionDigits.
	Range      []Interval
	RangeError Restriction
	// Length holds the allowed intervals for string and binary lengths (characters, octets).
	Length      []Interval
	LengthError Restriction
	// Patterns must all match a string value (every level of the typedef chain contributes).
	Patterns       []*Pattern
	FractionDigits int
	// Enums lists an enumeration's enums with their values; Bits a bits type's bits with positions.
	Enums []Enum
	Bits  []Bit
	// Path is a leafref's path expression; PathPrefixes resolves its prefixes; Target is the leaf or
	// leaf-list the path points to (resolved by the compiler).
	Path         string
	PathPrefixes Prefixes
	PathModule   *Module
	Target       *Node
	// Bases are an identityref's base identities (a value must be derived from all of them).
	Bases []*Identity
	// Union lists a union's member types in order.
	Union []*Type
	// Default is the typedef's default value (empty if none).
	Default string
	Units   string
	// Loc is where the type statement was read.
	Loc Loc
}

// Restriction carries the error-message and error-app-tag of a range, length or pattern statement.
type Restriction struct {
	ErrorMessage string
	ErrorAppTag  string
}

// Pattern is a YANG pattern: its expression, compiled on first use (Regexp). Make one with
// NewPattern; a Pattern literal with only Expr works too (its compiled form is found by Expr).
type Pattern struct {
	// Expr is the XSD regular expression as written.
	Expr   string
	Invert bool
	Restriction
	// compiled is Expr's compiled form, shared by the patterns with the same Expr (nil in a
	// literal: Regexp finds it).
	compiled *compiledPattern
}

// Enum is one enum of an enumeration.
type Enum struct {
	Name  string
	Value int32
}

// Bit is one bit of a bits type.
type Bit struct {
	Name     string
	Position uint32
}

// Number is an integer or a decimal64 value scaled by 10^fraction-digits: a sign and a magnitude,
// so that every int64 and uint64 value is representable.
type Number struct {
	Neg bool
	Abs uint64
}

// Cmp compares a and b: -1, 0 or +1.
func (a Number) Cmp(b Number) int {
	if a.Abs == 0 && b.Abs == 0 {
		return 0
	}
	switch {
	case a.Neg && !b.Neg:
		return -1
	case !a.Neg && b.Neg:
		return 1
	}
	c := 0
	switch {
	case a.Abs < b.Abs:
		c = -1
	case a.Abs > b.Abs:
		c = 1
	}
	if a.Neg {
		c = -c
	}
	return c
}

// Int returns n as an int64 (wrapping when out of range).
func (n Number) Int() int64 {
	if n.Neg {
		return -int64(n.Abs)
	}
	return int64(n.Abs)
}

// NumberOf returns the Number for an int64.
func NumberOf(i int64) Number {
	if i < 0 {
		return Number{Neg: true, Abs: uint64(-i)}
	}
	return Number{Abs: uint64(i)}
}

// String formats n as an integer.
func (n Number) String() string {
	s := strconv.FormatUint(n.Abs, 10)
	if n.Neg && n.Abs != 0 {
		return "-" + s
	}
	return s
}

// Interval is a closed interval [Min, Max] of a range or length restriction.
type Interval struct {
	Min, Max Number
}

// Contains reports whether v lies within the interval.
func (iv Interval) Contains(v Number) bool { return iv.Min.Cmp(v) <= 0 && v.Cmp(iv.Max) <= 0 }

// EnumByName returns the enum with that name.
func (t *Type) EnumByName(name string) (Enum, bool) {
	for _, e := range t.Enums {
		if e.Name == name {
			return e, true
		}
	}
	return Enum{}, false
}

// BitByName returns the bit with that name.
func (t *Type) BitByName(name string) (Bit, bool) {
	for _, b := range t.Bits {
		if b.Name == name {
			return b, true
		}
	}
	return Bit{}, false
}

// BaseBounds returns the value bounds of an integer base type (scaled int64 bounds for decimal64).
func (k BaseKind) BaseBounds() Interval {
	switch k {
	case Int8:
		return Interval{NumberOf(-128), NumberOf(127)}
	case Int16:
		return Interval{NumberOf(-32768), NumberOf(32767)}
	case Int32:
		return Interval{NumberOf(-2147483648), NumberOf(2147483647)}
	case Int64, Decimal64:
		return Interval{Number{Neg: true, Abs: 1 << 63}, Number{Abs: 1<<63 - 1}}
	case Uint8:
		return Interval{Number{}, Number{Abs: 255}}
	case Uint16:
		return Interval{Number{}, Number{Abs: 65535}}
	case Uint32:
		return Interval{Number{}, Number{Abs: 4294967295}}
	case Uint64:
		return Interval{Number{}, Number{Abs: 1<<64 - 1}}
	}
	return Interval{}
}

// ValueType returns the type that values of t have: for a leafref, its target's type, followed
// through chains of leafrefs; t itself otherwise (also for an unresolved leafref). It is nil-safe.
// The compiler rejects leafref cycles; the bound guards hand-built schemas.
func (t *Type) ValueType() *Type {
	for i := 0; i < 16 && t != nil && t.Base == Leafref && t.Target != nil && t.Target.Type != nil; i++ {
		t = t.Target.Type
	}
	return t
}

// ValueBase returns the built-in type of ValueType, String for a nil type (anydata values).
func (t *Type) ValueBase() BaseKind {
	if vt := t.ValueType(); vt != nil {
		return vt.Base
	}
	return String
}
