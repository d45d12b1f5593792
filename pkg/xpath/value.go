package xpath

import (
	"math"
	"strconv"
	"strings"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/schema"
)

// ValueKind is the type of an XPath value (XPath 1.0 section 1).
type ValueKind uint8

// The four XPath 1.0 value types.
const (
	NodeSet ValueKind = iota + 1
	String
	Number
	Boolean
)

// String returns the XPath name of the type ("node-set", "string", "number", "boolean").
func (k ValueKind) String() string {
	switch k {
	case NodeSet:
		return "node-set"
	case String:
		return "string"
	case Number:
		return "number"
	case Boolean:
		return "boolean"
	}
	return "invalid"
}

// Value is the result of evaluating an expression: a node-set, a string, a number or a boolean.
// The zero Value is invalid; Values returned by Eval are never zero.
type Value struct {
	kind  ValueKind
	nodes []xnode // in document order, no duplicates
	str   string
	num   float64
	b     bool
}

// xnode is a node of the XPath data model: an element (a data node), the document root (a
// data.Node without Schema), or the text node of a leaf or leaf-list entry (text set).
type xnode struct {
	n    *data.Node
	text bool
}

func nodesVal(ns []xnode) Value { return Value{kind: NodeSet, nodes: ns} }
func strVal(s string) Value     { return Value{kind: String, str: s} }
func numVal(f float64) Value    { return Value{kind: Number, num: f} }
func boolVal(b bool) Value      { return Value{kind: Boolean, b: b} }

// StringValue returns a string Value.
func StringValue(s string) Value { return strVal(s) }

// NumberValue returns a number Value.
func NumberValue(f float64) Value { return numVal(f) }

// BooleanValue returns a boolean Value.
func BooleanValue(b bool) Value { return boolVal(b) }

// Kind returns the value's type.
func (v Value) Kind() ValueKind { return v.kind }

// Nodes returns the nodes of a node-set in document order (nil for other kinds). A text node
// (selected by text()) is returned as the leaf or leaf-list entry that holds it.
func (v Value) Nodes() []*data.Node {
	if v.kind != NodeSet {
		return nil
	}
	out := make([]*data.Node, 0, len(v.nodes))
	for i, x := range v.nodes {
		if x.text && i > 0 && v.nodes[i-1].n == x.n {
			continue // the leaf itself was selected too
		}
		out = append(out, x.n)
	}
	return out
}

// String converts v with the string() function (XPath 1.0 section 4.2): a node-set gives the
// string-value of its first node, a number is formatted as XPath specifies.
func (v Value) String() string {
	switch v.kind {
	case String:
		return v.str
	case Number:
		return formatNumber(v.num)
	case Boolean:
		if v.b {
			return "true"
		}
		return "false"
	case NodeSet:
		if len(v.nodes) == 0 {
			return ""
		}
		return stringValue(v.nodes[0])
	}
	return ""
}

// Number converts v with the number() function (XPath 1.0 section 4.4).
func (v Value) Number() float64 {
	switch v.kind {
	case Number:
		return v.num
	case Boolean:
		if v.b {
			return 1
		}
		return 0
	case String:
		return parseNumber(v.str)
	case NodeSet:
		return parseNumber(v.String())
	}
	return math.NaN()
}

// Bool converts v with the boolean() function (XPath 1.0 section 4.3).
func (v Value) Bool() bool {
	switch v.kind {
	case Boolean:
		return v.b
	case Number:
		return v.num != 0 && !math.IsNaN(v.num)
	case String:
		return v.str != ""
	case NodeSet:
		return len(v.nodes) > 0
	}
	return false
}

// formatNumber formats f as XPath's string() does: NaN, Infinity, -Infinity, integers without a
// decimal point, others in plain decimal notation without exponent; negative zero is "0".
func formatNumber(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		return "0"
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// parseNumber converts a string as number() does: optional whitespace, an optional minus, digits
// with an optional fraction (or a fraction alone), optional whitespace; anything else is NaN.
func parseNumber(s string) float64 {
	s = strings.Trim(s, " \t\r\n")
	t := strings.TrimPrefix(s, "-")
	if t == "" || t == "." {
		return math.NaN()
	}
	dot := false
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case isDigit(c):
		case c == '.' && !dot:
			dot = true
		default:
			return math.NaN()
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		// Only range errors remain possible: ParseFloat returns ±Inf for them.
		return f
	}
	return f
}

// stringValue is the string-value of a node (XPath 1.0 section 5): a leaf's canonical value, the
// concatenation of the descendant leaf values for the root, a container or a list entry.
func stringValue(x xnode) string {
	n := x.n
	if x.text || isValueNode(n) {
		return n.Value.Str
	}
	var b strings.Builder
	n.Walk(func(d *data.Node) bool {
		if d != n && isValueNode(d) {
			b.WriteString(d.Value.Str)
			return false
		}
		return true
	})
	return b.String()
}

// isValueNode reports whether n is a leaf, leaf-list entry, anydata or anyxml: a node whose
// string-value is its Value.Str and whose only child is a text node.
func isValueNode(n *data.Node) bool {
	if n.Schema == nil {
		return false
	}
	switch n.Schema.Kind {
	case schema.KindLeaf, schema.KindLeafList, schema.KindAnydata, schema.KindAnyxml:
		return true
	}
	return false
}
