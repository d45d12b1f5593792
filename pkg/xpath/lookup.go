package xpath

import (
	"math"
	"strconv"
	"strings"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/schema"
)

// maxKeyCombinations bounds the keyed lookups one step may do for a multi-key list whose key
// expressions yield several values each; beyond it the step scans.
const maxKeyCombinations = 256

// keyedLookup evaluates child step s from x through data.Node.Find when the step's leading
// equality predicates fix every key of the list (or the value of the leaf-list) it selects. It
// returns the selected entries, which predicates it used, and done=false when it could not apply
// (the caller then scans).
func keyedLookup(c *evalCtx, s *step, x xnode, top *schema.Node, buf []xnode) ([]xnode, []bool, bool, error) {
	if x.text {
		return buf, nil, false, nil
	}
	var targets []*schema.Node
	if x.n.Schema == nil {
		if top == nil {
			return buf, nil, false, nil
		}
		targets = []*schema.Node{top}
	} else {
		targets = schemaChild(x.n, &s.test)
	}
	if len(targets) != 1 {
		return buf, nil, false, nil
	}
	l := targets[0]
	used := make([]bool, len(s.preds))
	var keyLeaves []*schema.Node
	var eqs []*keyEq
	switch {
	case l.Kind == schema.KindLeafList:
		for i := range s.lookup.eqs {
			if e := &s.lookup.eqs[i]; e.self {
				keyLeaves, eqs = []*schema.Node{l}, []*keyEq{e}
				break
			}
		}
	case l.Kind == schema.KindList && len(l.Keys()) > 0:
		for _, k := range l.Keys() {
			var found *keyEq
			for i := range s.lookup.eqs {
				e := &s.lookup.eqs[i]
				if !e.self && e.test.name == k.Name && (e.test.mod == nil || sameModule(e.test.mod, k.Module)) {
					found = e
					break
				}
			}
			if found == nil {
				return buf, nil, false, nil
			}
			keyLeaves, eqs = append(keyLeaves, k), append(eqs, found)
		}
	}
	if len(eqs) == 0 {
		return buf, nil, false, nil
	}
	combos := [][]string{nil}
	for i, e := range eqs {
		v, err := eval(c.with(x, 1, 1), e.val)
		if err != nil {
			return buf, nil, false, err
		}
		cands, ok := keyCandidates(c, keyLeaves[i], v)
		if !ok {
			return buf, nil, false, nil
		}
		if len(combos)*len(cands) > maxKeyCombinations {
			return buf, nil, false, nil
		}
		var next [][]string
		for _, cmb := range combos {
			for _, cand := range cands {
				next = append(next, append(cmb[:len(cmb):len(cmb)], cand))
			}
		}
		combos = next
		used[e.pred] = true
	}
	start := len(buf)
	for _, cmb := range combos {
		if e := x.n.Find(l, strings.Join(cmb, "\x00")); e != nil {
			buf = append(buf, xnode{n: e})
		}
	}
	if len(buf)-start > 1 {
		sorted := docOrder(append([]xnode(nil), buf[start:]...))
		buf = append(buf[:start], sorted...)
	}
	return buf, used, true, nil
}

// keyCandidates returns the canonical key strings a key leaf's value must equal for `leaf = v` to
// hold, ok=false when that cannot be decided without looking at the entries.
func keyCandidates(c *evalCtx, k *schema.Node, v Value) ([]string, bool) {
	t := k.Type.ValueType()
	if t == nil || t.Base == schema.Union || t.Base == schema.Leafref {
		return nil, false
	}
	switch v.kind {
	case String:
		return []string{canonicalLiteral(t, data.Value{}, v.str, c.e.prefixes, c.e.mod)}, true
	case NodeSet:
		seen := make(map[string]bool, len(v.nodes))
		var out []string
		for _, x := range v.nodes {
			s := stringValue(x)
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
		return out, true
	case Number:
		if !t.Base.IsInteger() {
			return nil, false
		}
		f := v.num
		if math.IsNaN(f) || math.IsInf(f, 0) || f != math.Trunc(f) {
			return nil, true // no integer equals it
		}
		if math.Abs(f) >= 1<<53 {
			return nil, false
		}
		return []string{strconv.FormatInt(int64(f), 10)}, true
	}
	return nil, false
}

// planLookups walks the expression tree and fills step.lookup for child steps whose leading
// predicates are equality filters on a child or on the node itself, with a context-independent
// other side.
func planLookups(x expr) {
	walk(x, func(e expr) {
		pe, ok := e.(*pathExpr)
		if !ok {
			return
		}
		for _, s := range pe.steps {
			if s.axis != axChild || s.test.kind != testName || len(s.preds) == 0 {
				continue
			}
			k := &keyLookup{}
			for i, pr := range s.preds {
				if !posFree(pr) || !neverNumber(pr) {
					break
				}
				k.nEq = i + 1
				be, ok := pr.(*binaryExpr)
				if !ok || be.op != tEq {
					continue
				}
				if eq, ok := keyEqOf(be.l, be.r); ok {
					eq.pred = i
					k.eqs = append(k.eqs, eq)
				} else if eq, ok := keyEqOf(be.r, be.l); ok {
					eq.pred = i
					k.eqs = append(k.eqs, eq)
				}
			}
			if len(k.eqs) > 0 {
				s.lookup = k
			}
		}
	})
}

// keyEqOf reports whether a is `name` (child::name without predicates) or `.` and b does not depend
// on the context node.
func keyEqOf(a, b expr) (keyEq, bool) {
	pe, ok := a.(*pathExpr)
	if !ok || pe.filter != nil || pe.abs || len(pe.steps) != 1 || len(pe.steps[0].preds) != 0 || !ctxFree(b) {
		return keyEq{}, false
	}
	s := pe.steps[0]
	switch {
	case s.axis == axChild && s.test.kind == testName:
		return keyEq{test: s.test, val: b}, true
	case s.axis == axSelf && s.test.kind == testNode:
		return keyEq{self: true, val: b}, true
	}
	return keyEq{}, false
}

// walk calls fn for e and every expression inside it (predicates and arguments included).
func walk(e expr, fn func(expr)) {
	fn(e)
	switch x := e.(type) {
	case *binaryExpr:
		walk(x.l, fn)
		walk(x.r, fn)
	case *unionExpr:
		walk(x.l, fn)
		walk(x.r, fn)
	case *negExpr:
		walk(x.e, fn)
	case *funcExpr:
		for _, a := range x.args {
			walk(a, fn)
		}
	case *pathExpr:
		if x.filter != nil {
			walk(x.filter, fn)
		}
		for _, p := range x.filterPreds {
			walk(p, fn)
		}
		for _, s := range x.steps {
			for _, p := range s.preds {
				walk(p, fn)
			}
		}
	}
}

// contextFuncs are the functions that read the context node when called without arguments.
var contextFuncs = map[string]bool{"string": true, "number": true, "string-length": true,
	"normalize-space": true, "local-name": true, "namespace-uri": true, "name": true}

// ctxFree reports whether e's value does not depend on the context node, position or size.
func ctxFree(e expr) bool {
	switch x := e.(type) {
	case *literalExpr, *numberExpr:
		return true
	case *negExpr:
		return ctxFree(x.e)
	case *binaryExpr:
		return ctxFree(x.l) && ctxFree(x.r)
	case *unionExpr:
		return ctxFree(x.l) && ctxFree(x.r)
	case *funcExpr:
		switch {
		case x.name == "position" || x.name == "last" || x.name == "lang":
			return false
		case len(x.args) == 0 && contextFuncs[x.name]:
			return false
		}
		for _, a := range x.args {
			if !ctxFree(a) {
				return false
			}
		}
		return true
	case *pathExpr:
		if x.filter != nil {
			return ctxFree(x.filter)
		}
		return x.abs
	}
	return false
}

// posFree reports whether e does not read the context position or size (predicates nested in
// paths have their own context and do not count).
func posFree(e expr) bool {
	switch x := e.(type) {
	case *negExpr:
		return posFree(x.e)
	case *binaryExpr:
		return posFree(x.l) && posFree(x.r)
	case *unionExpr:
		return posFree(x.l) && posFree(x.r)
	case *funcExpr:
		if x.name == "position" || x.name == "last" {
			return false
		}
		for _, a := range x.args {
			if !posFree(a) {
				return false
			}
		}
	case *pathExpr:
		if x.filter != nil {
			return posFree(x.filter)
		}
	}
	return true
}

// neverNumber reports whether e never evaluates to a number (so as a predicate it is a boolean
// filter, never a position).
func neverNumber(e expr) bool {
	switch x := e.(type) {
	case *literalExpr, *pathExpr, *unionExpr:
		return true
	case *binaryExpr:
		switch x.op {
		case tOr, tAnd, tEq, tNeq, tLt, tLe, tGt, tGe:
			return true
		}
	case *funcExpr:
		return x.def.result != Number
	}
	return false
}

// optimizeDescendants rewrites descendant-or-self::node()/child::T[p] (from //) into
// descendant::T[p] when no predicate is positional: same nodes, one walk.
func optimizeDescendants(x expr) {
	walk(x, func(e expr) {
		pe, ok := e.(*pathExpr)
		if !ok {
			return
		}
		var out []*step
		for i := 0; i < len(pe.steps); i++ {
			s := pe.steps[i]
			if s.axis == axDescendantOrSelf && s.test.kind == testNode && len(s.preds) == 0 && i+1 < len(pe.steps) {
				n := pe.steps[i+1]
				safe := n.axis == axChild
				for _, p := range n.preds {
					if !posFree(p) || !neverNumber(p) {
						safe = false
					}
				}
				if safe {
					out = append(out, &step{axis: axDescendant, test: n.test, preds: n.preds})
					i++
					continue
				}
			}
			out = append(out, s)
		}
		pe.steps = out
	})
}
