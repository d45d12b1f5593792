package xpath

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// dump renders a parsed expression as an s-expression.
func dump(e expr) string {
	switch x := e.(type) {
	case *literalExpr:
		return fmt.Sprintf("%q", x.s)
	case *numberExpr:
		return formatNumber(x.n)
	case *negExpr:
		return "(neg " + dump(x.e) + ")"
	case *binaryExpr:
		op := strings.Trim(x.op.String(), "'")
		return "(" + op + " " + dump(x.l) + " " + dump(x.r) + ")"
	case *unionExpr:
		return "(| " + dump(x.l) + " " + dump(x.r) + ")"
	case *funcExpr:
		var as []string
		for _, a := range x.args {
			as = append(as, dump(a))
		}
		return x.name + "(" + strings.Join(as, " ") + ")"
	case *pathExpr:
		var b strings.Builder
		b.WriteString("(path")
		if x.filter != nil {
			b.WriteString(" " + dump(x.filter))
			for _, p := range x.filterPreds {
				b.WriteString("[" + dump(p) + "]")
			}
		}
		if x.abs {
			b.WriteString(" /")
		}
		for _, s := range x.steps {
			b.WriteString(" " + s.axis.String() + "::")
			switch s.test.kind {
			case testName:
				b.WriteString(s.test.mod.Name + ":" + s.test.name)
			case testModule:
				b.WriteString(s.test.mod.Name + ":*")
			case testAny:
				b.WriteString("*")
			case testNode:
				b.WriteString("node()")
			case testText:
				b.WriteString("text()")
			case testComment:
				b.WriteString("comment()")
			case testPI:
				b.WriteString("processing-instruction()")
			}
			for _, p := range s.preds {
				b.WriteString("[" + dump(p) + "]")
			}
		}
		return b.String() + ")"
	}
	return fmt.Sprintf("?%T", e)
}

func TestParse(t *testing.T) {
	f := newFixture(t)
	cases := []struct{ expr, want string }{
		{"1 + 2 * 3", "(+ 1 (* 2 3))"},
		{"1 - 2 - 3", "(- (- 1 2) 3)"},
		{"a or b and c", "(or (path child::t:a) (and (path child::t:b) (path child::t:c)))"},
		{"a = b < c", "(= (path child::t:a) (< (path child::t:b) (path child::t:c)))"},
		{"-a | b", "(neg (| (path child::t:a) (path child::t:b)))"},
		{"- - 1", "(neg (neg 1))"},
		{"a div b mod c", "(mod (div (path child::t:a) (path child::t:b)) (path child::t:c))"},
		{"1 != 2 = 3", "(= (!= 1 2) 3)"},
		{"a >= 1 <= 2 > 3", "(> (<= (>= (path child::t:a) 1) 2) 3)"},
		// Abbreviations (XPath 1.0 section 2.5).
		{".", "(path self::node())"},
		{"..", "(path parent::node())"},
		{"@x", "(path attribute::t:x)"},
		{"/", "(path /)"},
		{"//a", "(path / descendant::t:a)"},
		{"//a[1]", "(path / descendant-or-self::node() child::t:a[1])"},
		{"//a[b]", "(path / descendant::t:a[(path child::t:b)])"},
		{"a//b", "(path child::t:a descendant::t:b)"},
		{"a//.", "(path child::t:a descendant-or-self::node() self::node())"},
		{"../a", "(path parent::node() child::t:a)"},
		{"oo:extra", "(path child::o:extra)"},
		{"oo:*", "(path child::o:*)"},
		{"* | node() | text()", "(| (| (path child::*) (path child::node())) (path child::text()))"},
		{"comment() | processing-instruction('x')", "(| (path child::comment()) (path child::processing-instruction()))"},
		{"ancestor-or-self :: t:a", "(path ancestor-or-self::t:a)"},
		{"(a)[1]/b", "(path (path child::t:a)[1] child::t:b)"},
		{"current()/../a", "(path current() parent::node() child::t:a)"},
		{"deref(.)//a", "(path deref((path self::node())) descendant::t:a)"},
		{"'x'", "\"x\""},
		{"\"it's\"", "\"it's\""},
		{"12.50", "12.5"},
		{"a[b = 'x'][2]", "(path child::t:a[(= (path child::t:b) \"x\")][2])"},
		{"concat('a', 'b', 'c')", "concat(\"a\" \"b\" \"c\")"},
		{"node", "(path child::t:node)"},
		{"text", "(path child::t:text)"},
		{"child::div", "(path child::t:div)"},
		{"and/or", "(path child::t:and child::t:or)"},
		{"* * *", "(* (path child::*) (path child::*))"},
		{"a*b", "(* (path child::t:a) (path child::t:b))"},
		{"a -b", "(- (path child::t:a) (path child::t:b))"},
		{"a-b", "(path child::t:a-b)"},
		{"1.5.a", "?"},
	}
	for _, tc := range cases {
		t.Run(tc.expr, func(t *testing.T) {
			e, err := Compile(tc.expr, f.t.Prefixes, f.t, f.sn["top"])
			got := "?"
			if err == nil {
				got = dump(e.root)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s\n(err %v)", diff, err)
			}
			if err == nil && e.String() != tc.expr {
				t.Errorf("String() = %q, want %q", e.String(), tc.expr)
			}
		})
	}
}
