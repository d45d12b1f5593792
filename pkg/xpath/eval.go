package xpath

import (
	"fmt"
	"math"
	"strconv"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/schema"
)

// evalCtx is the evaluation context (XPath 1.0 section 1): context node, position and size, plus
// YANG's current() node.
type evalCtx struct {
	e         *Expr
	node      xnode
	pos, size int
	current   *data.Node
	depth     int // deref nesting
	stats     *evalStats
}

// evalStats counts what evaluation did, for tests.
type evalStats struct {
	lookups int // child steps answered through the key index
}

func (c *evalCtx) errorf(format string, args ...any) error {
	return &Error{Expr: c.e.src, Pos: -1, Msg: fmt.Sprintf(format, args...)}
}

func (c *evalCtx) with(x xnode, pos, size int) *evalCtx {
	cc := *c
	cc.node, cc.pos, cc.size = x, pos, size
	return &cc
}

func eval(c *evalCtx, x expr) (Value, error) {
	switch x := x.(type) {
	case *literalExpr:
		return strVal(x.s), nil
	case *numberExpr:
		return numVal(x.n), nil
	case *negExpr:
		v, err := eval(c, x.e)
		if err != nil {
			return Value{}, err
		}
		return numVal(-v.Number()), nil
	case *binaryExpr:
		return evalBinary(c, x)
	case *unionExpr:
		l, err := eval(c, x.l)
		if err != nil {
			return Value{}, err
		}
		r, err := eval(c, x.r)
		if err != nil {
			return Value{}, err
		}
		if l.kind != NodeSet || r.kind != NodeSet {
			return Value{}, c.errorf("operands of '|' must be node-sets, got %v and %v", l.kind, r.kind)
		}
		return nodesVal(mergeSets(l.nodes, r.nodes)), nil
	case *funcExpr:
		return x.def.fn(c, x)
	case *pathExpr:
		ns, err := evalPath(c, x)
		if err != nil {
			return Value{}, err
		}
		return nodesVal(ns), nil
	}
	return Value{}, c.errorf("internal error: unknown expression %T", x)
}

func evalBinary(c *evalCtx, x *binaryExpr) (Value, error) {
	l, err := eval(c, x.l)
	if err != nil {
		return Value{}, err
	}
	switch x.op {
	case tOr, tAnd:
		lb := l.Bool()
		if (x.op == tOr) == lb {
			return boolVal(lb), nil
		}
		r, err := eval(c, x.r)
		if err != nil {
			return Value{}, err
		}
		return boolVal(r.Bool()), nil
	}
	r, err := eval(c, x.r)
	if err != nil {
		return Value{}, err
	}
	switch x.op {
	case tEq, tNeq, tLt, tLe, tGt, tGe:
		return boolVal(compare(c, x.op, l, r)), nil
	}
	a, b := l.Number(), r.Number()
	switch x.op {
	case tPlus:
		return numVal(a + b), nil
	case tMinus:
		return numVal(a - b), nil
	case tMul:
		return numVal(a * b), nil
	case tDiv:
		return numVal(a / b), nil
	case tMod:
		return numVal(math.Mod(a, b)), nil
	}
	return Value{}, c.errorf("internal error: unknown operator %v", x.op)
}

// compare implements XPath 1.0 section 3.4, with YANG's typed comparison of a leaf with a string
// (the string is read as a value of the leaf's type, as libyang does: an identityref literal's
// prefix is resolved in the expression's module, integers and decimals compare by value).
func compare(c *evalCtx, op tokKind, l, r Value) bool {
	if l.kind == NodeSet && r.kind == NodeSet {
		return compareSets(op, l.nodes, r.nodes)
	}
	if l.kind == NodeSet || r.kind == NodeSet {
		ns, other, op := l, r, op
		if r.kind == NodeSet {
			ns, other, op = r, l, swapOp(op)
		}
		switch other.kind {
		case Boolean:
			return cmpAtoms(op, boolVal(ns.Bool()), other)
		case Number:
			for _, a := range ns.nodes {
				if cmpNum(op, parseNumber(stringValue(a)), other.num) {
					return true
				}
			}
			return false
		default: // String
			for _, a := range ns.nodes {
				if op == tEq || op == tNeq {
					sa := stringValue(a)
					so := other.str
					if !a.text {
						so = c.canonical(a.n, so)
					}
					if (sa == so) == (op == tEq) {
						return true
					}
				} else if cmpNum(op, parseNumber(stringValue(a)), parseNumber(other.str)) {
					return true
				}
			}
			return false
		}
	}
	return cmpAtoms(op, l, r)
}

// compareSets compares two node-sets in linear time: = through a set of string-values, != by
// counting distinct values, relational operators through the extremes of each side.
func compareSets(op tokKind, a, b []xnode) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	switch op {
	case tEq:
		if len(a) > len(b) {
			a, b = b, a
		}
		set := make(map[string]bool, len(a))
		for _, x := range a {
			set[stringValue(x)] = true
		}
		for _, y := range b {
			if set[stringValue(y)] {
				return true
			}
		}
		return false
	case tNeq:
		// False only when every node of both sides has one and the same string-value.
		first := stringValue(a[0])
		for _, x := range a[1:] {
			if stringValue(x) != first {
				return true
			}
		}
		for _, y := range b {
			if stringValue(y) != first {
				return true
			}
		}
		return false
	}
	minA, maxA, okA := numRange(a)
	minB, maxB, okB := numRange(b)
	if !okA || !okB {
		return false
	}
	switch op {
	case tLt:
		return minA < maxB
	case tLe:
		return minA <= maxB
	case tGt:
		return maxA > minB
	default: // tGe
		return maxA >= minB
	}
}

// numRange returns the smallest and largest number() of the nodes' string-values, ignoring NaN;
// ok is false when every value is NaN.
func numRange(ns []xnode) (lo, hi float64, ok bool) {
	for _, x := range ns {
		f := parseNumber(stringValue(x))
		if math.IsNaN(f) {
			continue
		}
		if !ok || f < lo {
			lo = f
		}
		if !ok || f > hi {
			hi = f
		}
		ok = true
	}
	return lo, hi, ok
}

func swapOp(op tokKind) tokKind {
	switch op {
	case tLt:
		return tGt
	case tLe:
		return tGe
	case tGt:
		return tLt
	case tGe:
		return tLe
	}
	return op
}

func cmpAtoms(op tokKind, l, r Value) bool {
	if op == tEq || op == tNeq {
		var eq bool
		switch {
		case l.kind == Boolean || r.kind == Boolean:
			eq = l.Bool() == r.Bool()
		case l.kind == Number || r.kind == Number:
			eq = l.Number() == r.Number()
		default:
			eq = l.String() == r.String()
		}
		return eq == (op == tEq)
	}
	return cmpNum(op, l.Number(), r.Number())
}

func cmpNum(op tokKind, a, b float64) bool {
	switch op {
	case tEq:
		return a == b
	case tNeq:
		return a != b
	case tLt:
		return a < b
	case tLe:
		return a <= b
	case tGt:
		return a > b
	case tGe:
		return a >= b
	}
	return false
}

// canonical returns s read as a value of the type of leaf n, in canonical form, when s is a valid
// lexical value of an integer, decimal64 or identityref leaf; otherwise s unchanged.
func (c *evalCtx) canonical(n *data.Node, s string) string {
	if !isValueNode(n) || n.Schema.Type == nil {
		return s
	}
	t := n.Value.Type
	if t == nil {
		t = n.Schema.Type
	}
	t = t.ValueType()
	return canonicalLiteral(t, n.Value, s, c.e.prefixes, c.e.mod)
}

func canonicalLiteral(t *schema.Type, v data.Value, s string, prefixes schema.Prefixes, mod *schema.Module) string {
	switch {
	case t.Base == schema.Identityref || v.Identity() != nil:
		if id, err := resolveIdentity(s, prefixes, mod); err == nil && id != nil {
			return id.QName()
		}
	case t.Base.IsInteger():
		if i, err := strconv.ParseInt(trimSpace(s), 10, 64); err == nil {
			return strconv.FormatInt(i, 10)
		}
		if u, err := strconv.ParseUint(trimSpace(s), 10, 64); err == nil {
			return strconv.FormatUint(u, 10)
		}
	case t.Base == schema.Decimal64:
		if d, ok := canonicalDecimal(trimSpace(s)); ok {
			return d
		}
	}
	return s
}

func trimSpace(s string) string {
	for len(s) > 0 && isSpace(s[0]) {
		s = s[1:]
	}
	for len(s) > 0 && isSpace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

// canonicalDecimal rewrites a decimal number in the canonical decimal64 form (RFC 7950 9.3.2):
// no leading zeros, no "+", at least one fraction digit, no trailing zeros after it.
func canonicalDecimal(s string) (string, bool) {
	neg := false
	switch {
	case len(s) > 0 && s[0] == '-':
		neg, s = true, s[1:]
	case len(s) > 0 && s[0] == '+':
		s = s[1:]
	}
	ip, fp := s, ""
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			ip, fp = s[:i], s[i+1:]
			break
		}
	}
	if ip == "" {
		return "", false
	}
	for _, part := range []string{ip, fp} {
		for i := 0; i < len(part); i++ {
			if !isDigit(part[i]) {
				return "", false
			}
		}
	}
	for len(ip) > 1 && ip[0] == '0' {
		ip = ip[1:]
	}
	for len(fp) > 1 && fp[len(fp)-1] == '0' {
		fp = fp[:len(fp)-1]
	}
	if fp == "" {
		fp = "0"
	}
	if neg && !(ip == "0" && fp == "0") {
		ip = "-" + ip
	}
	return ip + "." + fp, true
}

func evalPath(c *evalCtx, p *pathExpr) ([]xnode, error) {
	var set []xnode
	switch {
	case p.filter != nil:
		v, err := eval(c, p.filter)
		if err != nil {
			return nil, err
		}
		if v.kind != NodeSet {
			return nil, c.errorf("a %v cannot be used as a node-set (in a path or with a predicate)", v.kind)
		}
		set = v.nodes
		for _, pr := range p.filterPreds {
			if set, err = filterPred(c, pr, set); err != nil {
				return nil, err
			}
		}
	case p.abs:
		set = []xnode{rootOf(c.node)}
	default:
		set = []xnode{c.node}
	}
	for _, s := range p.steps {
		if len(set) == 0 {
			return nil, nil
		}
		var err error
		if set, err = evalStep(c, s, set); err != nil {
			return nil, err
		}
	}
	return set, nil
}

// filterPred keeps the nodes of set (in proximity order) for which predicate pr holds.
func filterPred(c *evalCtx, pr expr, set []xnode) ([]xnode, error) {
	if n, ok := pr.(*numberExpr); ok {
		i := int(n.n)
		if float64(i) == n.n && i >= 1 && i <= len(set) {
			return set[i-1 : i], nil
		}
		return nil, nil
	}
	out := set[:0:0]
	cc := *c
	for i, x := range set {
		cc.node, cc.pos, cc.size = x, i+1, len(set)
		v, err := eval(&cc, pr)
		if err != nil {
			return nil, err
		}
		keep := false
		if v.kind == Number {
			keep = v.num == float64(i+1)
		} else {
			keep = v.Bool()
		}
		if keep {
			out = append(out, x)
		}
	}
	return out, nil
}

// evalStep applies location step s to every node of set (document order, no duplicates) and
// returns the union of the results in document order.
func evalStep(c *evalCtx, s *step, set []xnode) ([]xnode, error) {
	var out []xnode
	top := s.top
	ordered := true
	switch s.axis {
	case axSelf, axAttribute, axNamespace:
	case axChild:
		ordered = len(set) == 1 || uniformSchema(set)
	case axDescendant, axDescendantOrSelf:
		ordered = len(s.preds) == 0 || len(set) == 1
	default:
		ordered = len(set) == 1
	}
	var skipUnder *data.Node
	var buf []xnode
	for _, x := range set {
		if (s.axis == axDescendant || s.axis == axDescendantOrSelf) && len(s.preds) == 0 {
			// Descendants of a node already walked are already in out.
			if skipUnder != nil && isAncestor(skipUnder, x) {
				continue
			}
			if !x.text {
				skipUnder = x.n
			}
		}
		preds := s.preds
		buf = buf[:0]
		done := false
		if s.lookup != nil {
			var used []bool
			var err error
			buf, used, done, err = keyedLookup(c, s, x, top, buf)
			if err != nil {
				return nil, err
			}
			if done {
				if c.stats != nil {
					c.stats.lookups++
				}
				preds = nil
				for i, pr := range s.preds {
					if i >= len(used) || !used[i] {
						preds = append(preds, pr)
					}
				}
			}
		}
		if !done {
			buf = axisNodes(buf[:0], x, s.axis, &s.test, top)
		}
		res := buf
		for _, pr := range preds {
			var err error
			if res, err = filterPred(c, pr, res); err != nil {
				return nil, err
			}
		}
		if s.axis.reverse() {
			for i := len(res) - 1; i >= 0; i-- {
				out = append(out, res[i])
			}
		} else {
			out = append(out, res...)
		}
	}
	if !ordered {
		out = docOrder(out)
	}
	return out, nil
}
