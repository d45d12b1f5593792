package xpath

import (
	"math"
	"strings"
	"unicode/utf8"
)

// funcDef describes a function of the library: its arity (max -1: unbounded), result type, the
// implementation, and an optional compile-time preparation of constant arguments.
type funcDef struct {
	min, max int
	result   ValueKind
	fn       func(c *evalCtx, f *funcExpr) (Value, error)
	prepare  func(p *parser, f *funcExpr) error
}

var functions map[string]*funcDef

func init() {
	functions = map[string]*funcDef{
		// Node-set functions (XPath 1.0 section 4.1).
		"last":          {0, 0, Number, fnLast, nil},
		"position":      {0, 0, Number, fnPosition, nil},
		"count":         {1, 1, Number, fnCount, nil},
		"id":            {1, 1, NodeSet, fnID, nil},
		"local-name":    {0, 1, String, fnLocalName, nil},
		"namespace-uri": {0, 1, String, fnNamespaceURI, nil},
		"name":          {0, 1, String, fnName, nil},
		// String functions (4.2).
		"string":           {0, 1, String, fnString, nil},
		"concat":           {2, -1, String, fnConcat, nil},
		"starts-with":      {2, 2, Boolean, fnStartsWith, nil},
		"contains":         {2, 2, Boolean, fnContains, nil},
		"substring-before": {2, 2, String, fnSubstringBefore, nil},
		"substring-after":  {2, 2, String, fnSubstringAfter, nil},
		"substring":        {2, 3, String, fnSubstring, nil},
		"string-length":    {0, 1, Number, fnStringLength, nil},
		"normalize-space":  {0, 1, String, fnNormalizeSpace, nil},
		"translate":        {3, 3, String, fnTranslate, nil},
		// Boolean functions (4.3).
		"boolean": {1, 1, Boolean, fnBoolean, nil},
		"not":     {1, 1, Boolean, fnNot, nil},
		"true":    {0, 0, Boolean, fnTrue, nil},
		"false":   {0, 0, Boolean, fnFalse, nil},
		"lang":    {1, 1, Boolean, fnLang, nil},
		// Number functions (4.4).
		"number":  {0, 1, Number, fnNumber, nil},
		"sum":     {1, 1, Number, fnSum, nil},
		"floor":   {1, 1, Number, fnFloor, nil},
		"ceiling": {1, 1, Number, fnCeiling, nil},
		"round":   {1, 1, Number, fnRound, nil},
		// YANG 1.1 functions (RFC 7950 section 10).
		"current":              {0, 0, NodeSet, fnCurrent, nil},
		"re-match":             {2, 2, Boolean, fnReMatch, prepareReMatch},
		"deref":                {1, 1, NodeSet, fnDeref, nil},
		"derived-from":         {2, 2, Boolean, fnDerivedFrom, prepareDerivedFrom},
		"derived-from-or-self": {2, 2, Boolean, fnDerivedFromOrSelf, prepareDerivedFrom},
		"enum-value":           {1, 1, Number, fnEnumValue, nil},
		"bit-is-set":           {2, 2, Boolean, fnBitIsSet, nil},
	}
}

// args evaluates the arguments of f.
func args(c *evalCtx, f *funcExpr) ([]Value, error) {
	vs := make([]Value, len(f.args))
	for i, a := range f.args {
		v, err := eval(c, a)
		if err != nil {
			return nil, err
		}
		vs[i] = v
	}
	return vs, nil
}

// nodeArg evaluates argument i, which must be a node-set.
func nodeArg(c *evalCtx, f *funcExpr, i int) ([]xnode, error) {
	v, err := eval(c, f.args[i])
	if err != nil {
		return nil, err
	}
	if v.kind != NodeSet {
		return nil, c.errorf("argument %d of %s() must be a node-set, got a %v", i+1, f.name, v.kind)
	}
	return v.nodes, nil
}

// optNode returns the first node of the optional node-set argument, or the context node.
func optNode(c *evalCtx, f *funcExpr) (xnode, bool, error) {
	if len(f.args) == 0 {
		return c.node, true, nil
	}
	ns, err := nodeArg(c, f, 0)
	if err != nil || len(ns) == 0 {
		return xnode{}, false, err
	}
	return ns[0], true, nil
}

// optString returns the optional string argument, or the context node's string-value.
func optString(c *evalCtx, f *funcExpr) (string, error) {
	if len(f.args) == 0 {
		return stringValue(c.node), nil
	}
	v, err := eval(c, f.args[0])
	if err != nil {
		return "", err
	}
	return v.String(), nil
}

func fnLast(c *evalCtx, f *funcExpr) (Value, error)     { return numVal(float64(c.size)), nil }
func fnPosition(c *evalCtx, f *funcExpr) (Value, error) { return numVal(float64(c.pos)), nil }

func fnCount(c *evalCtx, f *funcExpr) (Value, error) {
	ns, err := nodeArg(c, f, 0)
	return numVal(float64(len(ns))), err
}

// fnID returns an empty node-set: YANG data has no ID attributes.
func fnID(c *evalCtx, f *funcExpr) (Value, error) {
	_, err := eval(c, f.args[0])
	return nodesVal(nil), err
}

func fnLocalName(c *evalCtx, f *funcExpr) (Value, error) {
	x, ok, err := optNode(c, f)
	if err != nil || !ok || x.text || x.n.Schema == nil {
		return strVal(""), err
	}
	return strVal(x.n.Schema.Name), nil
}

func fnNamespaceURI(c *evalCtx, f *funcExpr) (Value, error) {
	x, ok, err := optNode(c, f)
	if err != nil || !ok || x.text || x.n.Schema == nil || x.n.Schema.Module == nil {
		return strVal(""), err
	}
	return strVal(x.n.Schema.Module.Namespace), nil
}

// fnName returns "module:name", the qualified name with the module name as prefix (the form
// libyang uses: expressions have no document prefixes to reuse).
func fnName(c *evalCtx, f *funcExpr) (Value, error) {
	x, ok, err := optNode(c, f)
	if err != nil || !ok || x.text || x.n.Schema == nil {
		return strVal(""), err
	}
	if x.n.Schema.Module == nil {
		return strVal(x.n.Schema.Name), nil
	}
	return strVal(x.n.Schema.Module.Name + ":" + x.n.Schema.Name), nil
}

func fnString(c *evalCtx, f *funcExpr) (Value, error) {
	s, err := optString(c, f)
	return strVal(s), err
}

func fnConcat(c *evalCtx, f *funcExpr) (Value, error) {
	vs, err := args(c, f)
	if err != nil {
		return Value{}, err
	}
	var b strings.Builder
	for _, v := range vs {
		b.WriteString(v.String())
	}
	return strVal(b.String()), nil
}

func twoStrings(c *evalCtx, f *funcExpr) (string, string, error) {
	vs, err := args(c, f)
	if err != nil {
		return "", "", err
	}
	return vs[0].String(), vs[1].String(), nil
}

func fnStartsWith(c *evalCtx, f *funcExpr) (Value, error) {
	a, b, err := twoStrings(c, f)
	return boolVal(strings.HasPrefix(a, b)), err
}

func fnContains(c *evalCtx, f *funcExpr) (Value, error) {
	a, b, err := twoStrings(c, f)
	return boolVal(strings.Contains(a, b)), err
}

func fnSubstringBefore(c *evalCtx, f *funcExpr) (Value, error) {
	a, b, err := twoStrings(c, f)
	if i := strings.Index(a, b); i >= 0 {
		return strVal(a[:i]), err
	}
	return strVal(""), err
}

func fnSubstringAfter(c *evalCtx, f *funcExpr) (Value, error) {
	a, b, err := twoStrings(c, f)
	if i := strings.Index(a, b); i >= 0 {
		return strVal(a[i+len(b):]), err
	}
	return strVal(""), err
}

// fnSubstring returns the characters at positions p with round(start) <= p < round(start) +
// round(length), comparisons done in floating point so NaN and infinities behave as specified.
func fnSubstring(c *evalCtx, f *funcExpr) (Value, error) {
	vs, err := args(c, f)
	if err != nil {
		return Value{}, err
	}
	s := vs[0].String()
	start := xround(vs[1].Number())
	end := math.Inf(1)
	if len(vs) == 3 {
		end = start + xround(vs[2].Number())
	}
	var b strings.Builder
	p := 1.0
	for _, r := range s {
		if p >= start && p < end {
			b.WriteRune(r)
		}
		p++
	}
	return strVal(b.String()), nil
}

func fnStringLength(c *evalCtx, f *funcExpr) (Value, error) {
	s, err := optString(c, f)
	return numVal(float64(utf8.RuneCountInString(s))), err
}

func fnNormalizeSpace(c *evalCtx, f *funcExpr) (Value, error) {
	s, err := optString(c, f)
	return strVal(strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\r' || r == '\n'
	}), " ")), err
}

func fnTranslate(c *evalCtx, f *funcExpr) (Value, error) {
	vs, err := args(c, f)
	if err != nil {
		return Value{}, err
	}
	from, to := []rune(vs[1].String()), []rune(vs[2].String())
	m := make(map[rune]rune, len(from))
	for i, r := range from {
		if _, dup := m[r]; dup {
			continue // the first occurrence wins
		}
		if i < len(to) {
			m[r] = to[i]
		} else {
			m[r] = -1
		}
	}
	var b strings.Builder
	for _, r := range vs[0].String() {
		if t, ok := m[r]; ok {
			if t >= 0 {
				b.WriteRune(t)
			}
			continue
		}
		b.WriteRune(r)
	}
	return strVal(b.String()), nil
}

func fnBoolean(c *evalCtx, f *funcExpr) (Value, error) {
	v, err := eval(c, f.args[0])
	return boolVal(v.Bool()), err
}

func fnNot(c *evalCtx, f *funcExpr) (Value, error) {
	v, err := eval(c, f.args[0])
	return boolVal(!v.Bool()), err
}

func fnTrue(c *evalCtx, f *funcExpr) (Value, error)  { return boolVal(true), nil }
func fnFalse(c *evalCtx, f *funcExpr) (Value, error) { return boolVal(false), nil }

// fnLang is always false: YANG data carries no xml:lang.
func fnLang(c *evalCtx, f *funcExpr) (Value, error) {
	_, err := eval(c, f.args[0])
	return boolVal(false), err
}

func fnNumber(c *evalCtx, f *funcExpr) (Value, error) {
	if len(f.args) == 0 {
		return numVal(parseNumber(stringValue(c.node))), nil
	}
	v, err := eval(c, f.args[0])
	return numVal(v.Number()), err
}

func fnSum(c *evalCtx, f *funcExpr) (Value, error) {
	ns, err := nodeArg(c, f, 0)
	sum := 0.0
	for _, x := range ns {
		sum += parseNumber(stringValue(x))
	}
	return numVal(sum), err
}

func numArg(c *evalCtx, f *funcExpr) (float64, error) {
	v, err := eval(c, f.args[0])
	return v.Number(), err
}

func fnFloor(c *evalCtx, f *funcExpr) (Value, error) {
	n, err := numArg(c, f)
	return numVal(math.Floor(n)), err
}

func fnCeiling(c *evalCtx, f *funcExpr) (Value, error) {
	n, err := numArg(c, f)
	return numVal(math.Ceil(n)), err
}

func fnRound(c *evalCtx, f *funcExpr) (Value, error) {
	n, err := numArg(c, f)
	return numVal(xround(n)), err
}

// xround is XPath's round(): the closest integer, halves towards positive infinity; NaN,
// infinities and zeros unchanged; values in [-0.5, 0) give negative zero.
func xround(x float64) float64 {
	switch {
	case math.IsNaN(x) || math.IsInf(x, 0) || x == 0:
		return x
	case x < 0 && x >= -0.5:
		return math.Copysign(0, -1)
	}
	r := math.Floor(x)
	if x-r >= 0.5 {
		r++
	}
	return r
}
