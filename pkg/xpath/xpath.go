package xpath

import (
	"fmt"
	"sync"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/schema"
)

// Expr is a compiled XPath 1.0 expression with YANG's functions. It is immutable and safe for
// concurrent use.
type Expr struct {
	src      string
	root     expr
	prefixes schema.Prefixes
	mod      *schema.Module
	ctx      *schema.Node

	deps         []*schema.Node
	depsComplete bool

	regexps  sync.Map // pattern string -> *regexp.Regexp (re-match with computed patterns)
	leafrefs sync.Map // *schema.Type -> leafrefEntry (deref)
}

// Error is a compile or evaluation error. Pos is the byte offset in Expr where the problem was
// found (-1 for evaluation errors, which have no single position).
type Error struct {
	Expr string
	Pos  int
	Msg  string
}

// Error formats the message with the offset and the expression.
func (e *Error) Error() string {
	if e.Pos < 0 {
		return fmt.Sprintf("xpath: %s (in %q)", e.Msg, e.Expr)
	}
	return fmt.Sprintf("xpath: %s at offset %d in %q", e.Msg, e.Pos, e.Expr)
}

func errAt(pos int, msg string) *Error { return &Error{Pos: pos, Msg: msg} }

// Compile parses expr. prefixes resolves QName prefixes in name tests (and in literals given to
// derived-from and friends); mod is the module whose namespace unprefixed names are in (YANG
// XPath: the module the expression was written in, RFC 7950 section 6.4.1); ctx is the schema node
// of the context node (nil for the document root), used to resolve name tests to schema nodes.
//
// An unknown prefix, an unknown function, a wrong number of arguments, a variable reference or a
// syntax error is an *Error with the offset of the offending token. A name that matches no schema
// node is not an error: the step selects nothing.
func Compile(expr string, prefixes schema.Prefixes, mod *schema.Module, ctx *schema.Node) (*Expr, error) {
	root, err := parse(expr, prefixes, mod)
	if err != nil {
		if e, ok := err.(*Error); ok {
			e.Expr = expr
		}
		return nil, err
	}
	if prefixes == nil && mod != nil {
		prefixes = mod.Prefixes
	}
	optimizeDescendants(root)
	planLookups(root)
	e := &Expr{src: expr, root: root, prefixes: prefixes, mod: mod, ctx: ctx}
	e.deps, e.depsComplete = analyzeDeps(root, ctx)
	return e, nil
}

// MustCompile is like Compile but panics on error; for expressions known to be valid (tests,
// package-level tables).
func MustCompile(expr string, prefixes schema.Prefixes, mod *schema.Module, ctx *schema.Node) *Expr {
	e, err := Compile(expr, prefixes, mod, ctx)
	if err != nil {
		panic(err)
	}
	return e
}

// String returns the source text of the expression.
func (e *Expr) String() string { return e.src }

// Eval evaluates e with ctx as the context node (position and size 1) and current as the node
// current() returns. A nil current makes current() an empty node-set. Errors are *Error: an
// operand of the wrong type for a path, '|' or a node-set function, an invalid computed
// re-match pattern, or an identity derived-from cannot resolve.
func (e *Expr) Eval(ctx, current *data.Node) (Value, error) {
	if ctx == nil {
		return Value{}, &Error{Expr: e.src, Pos: -1, Msg: "nil context node"}
	}
	c := &evalCtx{e: e, node: xnode{n: ctx}, pos: 1, size: 1, current: current}
	return eval(c, e.root)
}

func (e *Expr) evalStats(ctx, current *data.Node, st *evalStats) (Value, error) {
	c := &evalCtx{e: e, node: xnode{n: ctx}, pos: 1, size: 1, current: current, stats: st}
	return eval(c, e.root)
}

// EvalBool evaluates e with ctx as the context node and current as the node current() returns,
// converting the result with boolean().
func (e *Expr) EvalBool(ctx, current *data.Node) (bool, error) {
	v, err := e.Eval(ctx, current)
	if err != nil {
		return false, err
	}
	return v.Bool(), nil
}

// EvalNodes evaluates e, which must yield a node-set, and returns it in document order.
func (e *Expr) EvalNodes(ctx, current *data.Node) ([]*data.Node, error) {
	v, err := e.Eval(ctx, current)
	if err != nil {
		return nil, err
	}
	if v.kind != NodeSet {
		return nil, &Error{Expr: e.src, Pos: -1, Msg: fmt.Sprintf("expression yields a %v, not a node-set", v.kind)}
	}
	return v.Nodes(), nil
}

// Deps returns the schema nodes whose instances the expression may read (their existence or
// value), as far as they can be known statically from the context schema node given to Compile:
// every node a location step can select, the descendants of nodes whose string-value is used,
// and the targets of leafrefs followed by deref(). See DepsComplete. The slice must not be
// modified.
func (e *Expr) Deps() []*schema.Node { return e.deps }

// DepsComplete reports whether Deps is a complete over-approximation. It is false when a step
// could not be resolved statically (a wildcard or descendant step from the document root, a name
// test without context schema, deref() of an instance-identifier ...): then any change may
// affect the result.
func (e *Expr) DepsComplete() bool { return e.depsComplete }
