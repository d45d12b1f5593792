package xpath

import (
	"errors"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/schema"
)

// Expr is a compiled XPath 1.0 expression with YANG's functions. It is immutable and safe for
// concurrent use.
type Expr struct {
	src string
}

// Compile parses expr. prefixes resolves QName prefixes in name tests (and in literals given to
// derived-from and friends); mod is the module whose namespace unprefixed names are in (YANG
// XPath: the module the expression was written in, RFC 7950 section 6.4.1); ctx is the schema node
// of the context node (nil for the document root), used to resolve name tests to schema nodes.
func Compile(expr string, prefixes schema.Prefixes, mod *schema.Module, ctx *schema.Node) (*Expr, error) {
	return nil, errors.New("xpath: not implemented")
}

// String returns the source text of the expression.
func (e *Expr) String() string { return e.src }

// EvalBool evaluates e with ctx as the context node and current as the node current() returns,
// converting the result with boolean().
func (e *Expr) EvalBool(ctx, current *data.Node) (bool, error) {
	return false, errors.New("xpath: not implemented")
}

// EvalNodes evaluates e, which must yield a node-set, and returns it in document order.
func (e *Expr) EvalNodes(ctx, current *data.Node) ([]*data.Node, error) {
	return nil, errors.New("xpath: not implemented")
}
