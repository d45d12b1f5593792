package xpath

import (
	"fmt"
	"math"
	"strconv"

	"github.com/ncws/ncws/pkg/schema"
)

// axis is one of the 13 XPath axes (XPath 1.0 section 2.2).
type axis uint8

const (
	axChild axis = iota
	axDescendant
	axDescendantOrSelf
	axParent
	axAncestor
	axAncestorOrSelf
	axFollowingSibling
	axPrecedingSibling
	axFollowing
	axPreceding
	axAttribute
	axNamespace
	axSelf
)

var axisNames = map[string]axis{
	"child": axChild, "descendant": axDescendant, "descendant-or-self": axDescendantOrSelf,
	"parent": axParent, "ancestor": axAncestor, "ancestor-or-self": axAncestorOrSelf,
	"following-sibling": axFollowingSibling, "preceding-sibling": axPrecedingSibling,
	"following": axFollowing, "preceding": axPreceding, "attribute": axAttribute,
	"namespace": axNamespace, "self": axSelf,
}

func (a axis) String() string {
	for n, x := range axisNames {
		if x == a {
			return n
		}
	}
	return "?"
}

// reverse reports whether a is a reverse axis (proximity positions count backwards).
func (a axis) reverse() bool {
	switch a {
	case axParent, axAncestor, axAncestorOrSelf, axPrecedingSibling, axPreceding:
		return true
	}
	return false
}

// testKind is the kind of a node test.
type testKind uint8

const (
	testName    testKind = iota // prefix:local or local
	testModule                  // prefix:*
	testAny                     // *
	testNode                    // node()
	testText                    // text()
	testComment                 // comment(): never matches
	testPI                      // processing-instruction(): never matches
)

// nodeTest is a compiled node test. For name tests mod is the module of the name (nil only when
// Compile was given no module: then any module matches).
type nodeTest struct {
	kind testKind
	mod  *schema.Module
	name string
}

// Expression tree nodes.
type (
	expr interface{}

	binaryExpr struct {
		op   tokKind
		l, r expr
	}
	negExpr     struct{ e expr }
	literalExpr struct{ s string }
	numberExpr  struct{ n float64 }
	unionExpr   struct{ l, r expr }
	funcExpr    struct {
		name string
		pos  int
		def  *funcDef
		args []expr
		// static holds what the compiler could precompute (a compiled pattern, a resolved identity).
		static any
	}
	// pathExpr is a location path (filter nil) or a filter expression followed by steps.
	pathExpr struct {
		filter      expr
		filterPreds []expr
		abs         bool
		steps       []*step
	}
	step struct {
		axis  axis
		test  nodeTest
		preds []expr
		// lookup describes the leading equality predicates usable for a keyed lookup, nil if none.
		lookup *keyLookup
		// top is the top-level schema node a child name test selects from the document root.
		top *schema.Node
	}
)

// keyLookup holds leading predicates of a child step of the form `name = E`, `E = name` or
// `. = E` with E independent of the context node; nEq is how many leading predicates are
// such filters (all boolean and position-independent), eqs those that compare a child or self.
type keyLookup struct {
	nEq int
	eqs []keyEq
}

type keyEq struct {
	pred int      // index in step.preds
	self bool     // `. = E`
	test nodeTest // the child name compared (when !self)
	val  expr     // E
}

type parser struct {
	src      string
	toks     []token
	i        int
	prefixes schema.Prefixes
	mod      *schema.Module
	depth    int
}

const maxDepth = 500

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) next() token { t := p.toks[p.i]; p.i++; return t }

func (p *parser) expect(k tokKind) (token, error) {
	t := p.next()
	if t.kind != k {
		return t, errAt(t.pos, fmt.Sprintf("expected %v, found %v", k, describe(t)))
	}
	return t, nil
}

func describe(t token) string {
	switch t.kind {
	case tName, tFunc, tAxis, tNodeType:
		if t.prefix != "" {
			return fmt.Sprintf("%q", t.prefix+":"+t.text)
		}
		return fmt.Sprintf("%q", t.text)
	case tLiteral:
		return fmt.Sprintf("literal %q", t.text)
	case tNumber:
		return "number " + t.text
	}
	return t.kind.String()
}

func parse(src string, prefixes schema.Prefixes, mod *schema.Module) (expr, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{src: src, toks: toks, prefixes: prefixes, mod: mod}
	e, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		return nil, errAt(t.pos, fmt.Sprintf("unexpected %v", describe(t)))
	}
	return e, nil
}

func (p *parser) enter() error {
	p.depth++
	if p.depth > maxDepth {
		return errAt(p.peek().pos, "expression nested too deeply")
	}
	return nil
}

func (p *parser) binary(sub func() (expr, error), ops ...tokKind) (expr, error) {
	l, err := sub()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		found := false
		for _, op := range ops {
			if t.kind == op {
				found = true
			}
		}
		if !found {
			return l, nil
		}
		p.next()
		r, err := sub()
		if err != nil {
			return nil, err
		}
		l = &binaryExpr{op: t.kind, l: l, r: r}
	}
}

func (p *parser) parseOr() (expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	return p.binary(p.parseAnd, tOr)
}
func (p *parser) parseAnd() (expr, error) { return p.binary(p.parseEq, tAnd) }
func (p *parser) parseEq() (expr, error)  { return p.binary(p.parseRel, tEq, tNeq) }
func (p *parser) parseRel() (expr, error) { return p.binary(p.parseAdd, tLt, tLe, tGt, tGe) }
func (p *parser) parseAdd() (expr, error) { return p.binary(p.parseMul, tPlus, tMinus) }
func (p *parser) parseMul() (expr, error) { return p.binary(p.parseUnary, tMul, tDiv, tMod) }

func (p *parser) parseUnary() (expr, error) {
	if p.peek().kind == tMinus {
		p.next()
		if err := p.enter(); err != nil {
			return nil, err
		}
		defer func() { p.depth-- }()
		e, err := p.parseUnary()
		if err != nil {
			return nil, err
		}
		return &negExpr{e: e}, nil
	}
	return p.parseUnion()
}

func (p *parser) parseUnion() (expr, error) {
	l, err := p.parsePath()
	if err != nil {
		return nil, err
	}
	for p.peek().kind == tPipe {
		p.next()
		r, err := p.parsePath()
		if err != nil {
			return nil, err
		}
		l = &unionExpr{l: l, r: r}
	}
	return l, nil
}

// startsStep reports whether t can begin a location step.
func startsStep(t token) bool {
	switch t.kind {
	case tName, tStar, tNodeType, tAxis, tAt, tDot, tDotDot:
		return true
	}
	return false
}

var descOrSelf = &step{axis: axDescendantOrSelf, test: nodeTest{kind: testNode}}

func (p *parser) parsePath() (expr, error) {
	t := p.peek()
	switch t.kind {
	case tSlash:
		p.next()
		pe := &pathExpr{abs: true}
		if startsStep(p.peek()) {
			if err := p.parseRelative(pe); err != nil {
				return nil, err
			}
		}
		return pe, nil
	case tSlashSlash:
		p.next()
		pe := &pathExpr{abs: true, steps: []*step{descOrSelf}}
		if err := p.parseRelative(pe); err != nil {
			return nil, err
		}
		return pe, nil
	case tLParen, tLiteral, tNumber, tFunc, tVar:
		prim, err := p.parsePrimary()
		if err != nil {
			return nil, err
		}
		preds, err := p.parsePreds()
		if err != nil {
			return nil, err
		}
		k := p.peek().kind
		if len(preds) == 0 && k != tSlash && k != tSlashSlash {
			return prim, nil
		}
		pe := &pathExpr{filter: prim, filterPreds: preds}
		if k == tSlash || k == tSlashSlash {
			p.next()
			if k == tSlashSlash {
				pe.steps = append(pe.steps, descOrSelf)
			}
			if err := p.parseRelative(pe); err != nil {
				return nil, err
			}
		}
		return pe, nil
	}
	if !startsStep(t) {
		return nil, errAt(t.pos, fmt.Sprintf("expected an expression, found %v", describe(t)))
	}
	pe := &pathExpr{}
	if err := p.parseRelative(pe); err != nil {
		return nil, err
	}
	return pe, nil
}

func (p *parser) parseRelative(pe *pathExpr) error {
	for {
		s, err := p.parseStep()
		if err != nil {
			return err
		}
		pe.steps = append(pe.steps, s)
		switch p.peek().kind {
		case tSlash:
			p.next()
		case tSlashSlash:
			p.next()
			pe.steps = append(pe.steps, descOrSelf)
		default:
			return nil
		}
	}
}

func (p *parser) parseStep() (*step, error) {
	t := p.next()
	s := &step{axis: axChild}
	switch t.kind {
	case tDot:
		return &step{axis: axSelf, test: nodeTest{kind: testNode}}, nil
	case tDotDot:
		return &step{axis: axParent, test: nodeTest{kind: testNode}}, nil
	case tAt:
		s.axis = axAttribute
		t = p.next()
	case tAxis:
		a, ok := axisNames[t.text]
		if !ok {
			return nil, errAt(t.pos, fmt.Sprintf("unknown axis %q", t.text))
		}
		s.axis = a
		if _, err := p.expect(tColCol); err != nil {
			return nil, err
		}
		t = p.next()
	}
	switch t.kind {
	case tStar:
		s.test = nodeTest{kind: testAny}
	case tName:
		mod, err := p.resolvePrefix(t.prefix, t.pos)
		if err != nil {
			return nil, err
		}
		if t.text == "*" {
			s.test = nodeTest{kind: testModule, mod: mod}
		} else {
			s.test = nodeTest{kind: testName, mod: mod, name: t.text}
			if s.axis == axChild {
				s.top = topNode(mod, t.text)
			}
		}
	case tNodeType:
		if _, err := p.expect(tLParen); err != nil {
			return nil, err
		}
		switch t.text {
		case "node":
			s.test.kind = testNode
		case "text":
			s.test.kind = testText
		case "comment":
			s.test.kind = testComment
		case "processing-instruction":
			s.test.kind = testPI
			if p.peek().kind == tLiteral {
				p.next()
			}
		}
		if _, err := p.expect(tRParen); err != nil {
			return nil, err
		}
	default:
		return nil, errAt(t.pos, fmt.Sprintf("expected a node test, found %v", describe(t)))
	}
	preds, err := p.parsePreds()
	if err != nil {
		return nil, err
	}
	s.preds = preds
	return s, nil
}

func (p *parser) resolvePrefix(prefix string, pos int) (*schema.Module, error) {
	if prefix == "" {
		return p.mod, nil
	}
	if m := p.prefixes[prefix]; m != nil {
		return m, nil
	}
	if p.prefixes == nil && p.mod != nil {
		if p.mod.Prefix == prefix {
			return p.mod, nil
		}
		if m := p.mod.Prefixes[prefix]; m != nil {
			return m, nil
		}
	}
	return nil, errAt(pos, fmt.Sprintf("unknown prefix %q", prefix))
}

func (p *parser) parsePreds() ([]expr, error) {
	var preds []expr
	for p.peek().kind == tLBrack {
		p.next()
		e, err := p.parseOr()
		if err != nil {
			return nil, err
		}
		if _, err := p.expect(tRBrack); err != nil {
			return nil, err
		}
		preds = append(preds, e)
	}
	return preds, nil
}

func (p *parser) parsePrimary() (expr, error) {
	t := p.next()
	switch t.kind {
	case tLParen:
		e, err := p.parseOr()
		if err != nil {
			return nil, err
		}
		if _, err := p.expect(tRParen); err != nil {
			return nil, err
		}
		return e, nil
	case tLiteral:
		return &literalExpr{s: t.text}, nil
	case tNumber:
		f, err := strconv.ParseFloat(t.text, 64)
		if err != nil && !math.IsInf(f, 0) {
			return nil, errAt(t.pos, fmt.Sprintf("bad number %q", t.text))
		}
		return &numberExpr{n: f}, nil
	case tVar:
		return nil, errAt(t.pos, fmt.Sprintf("unknown variable $%s (YANG XPath defines no variables)", t.text))
	case tFunc:
		return p.parseCall(t)
	}
	return nil, errAt(t.pos, fmt.Sprintf("expected an expression, found %v", describe(t)))
}

func (p *parser) parseCall(t token) (expr, error) {
	name := t.text
	if t.prefix != "" {
		name = t.prefix + ":" + t.text
	}
	def := functions[name]
	if def == nil || t.prefix != "" {
		return nil, errAt(t.pos, fmt.Sprintf("unknown function %s()", name))
	}
	if _, err := p.expect(tLParen); err != nil {
		return nil, err
	}
	f := &funcExpr{name: name, pos: t.pos, def: def}
	if p.peek().kind != tRParen {
		for {
			a, err := p.parseOr()
			if err != nil {
				return nil, err
			}
			f.args = append(f.args, a)
			if p.peek().kind != tComma {
				break
			}
			p.next()
		}
	}
	if _, err := p.expect(tRParen); err != nil {
		return nil, err
	}
	if len(f.args) < def.min || (def.max >= 0 && len(f.args) > def.max) {
		want := strconv.Itoa(def.min)
		switch {
		case def.max < 0:
			want = "at least " + want
		case def.max != def.min:
			want = fmt.Sprintf("%d to %d", def.min, def.max)
		}
		return nil, errAt(t.pos, fmt.Sprintf("%s() takes %s arguments, got %d", name, want, len(f.args)))
	}
	if def.prepare != nil {
		if err := def.prepare(p, f); err != nil {
			return nil, err
		}
	}
	return f, nil
}
