package xpath

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ncws/ncws/pkg/data"
)

// ctxNode returns a named fixture node to evaluate from.
func (f *fixture) ctxNode(name string) *data.Node {
	switch name {
	case "", "root":
		return f.root
	case "top":
		return f.top
	case "item1", "item2", "item3":
		return f.items[name[4]-'1']
	case "rpc":
		return f.rpc
	case "in1":
		return f.rpc.Children()[0]
	case "other":
		return f.other
	}
	// A leaf of top.
	return f.top.Child(f.sn[name])
}

type evalCase struct {
	expr string
	ctx  string // fixture node name; current() is the same node
	want string // show() of the result
}

func runEval(t *testing.T, cases []evalCase) {
	t.Helper()
	f := newFixture(t)
	for _, tc := range cases {
		t.Run(tc.ctx+":"+tc.expr, func(t *testing.T) {
			ctx := f.ctxNode(tc.ctx)
			sn := ctx.Schema
			e, err := Compile(tc.expr, f.t.Prefixes, f.t, sn)
			if err != nil {
				t.Fatalf("Compile: %v", err)
			}
			v, err := e.Eval(ctx, ctx)
			if err != nil {
				t.Fatalf("Eval: %v", err)
			}
			if diff := cmp.Diff(tc.want, show(v)); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAxes(t *testing.T) {
	runEval(t, []evalCase{
		{"/t:top/t:a", "", "{/t:top/a}"},
		{"/top/a", "", "{/t:top/a}"},
		{"top", "root", "{/t:top}"},
		{"/", "item2", "{/}"},
		{"/*", "item2", "{/t:top /t:other}"},
		{"item/id", "top", "{/t:top/item[id='1']/id /t:top/item[id='2']/id /t:top/item[id='3']/id}"},
		{"child::item[2]/v", "top", "{/t:top/item[id='2']/v}"},
		{"item[last()]/@id", "top", "{}"},
		{"attribute::*", "top", "{}"},
		{"namespace::*", "top", "{}"},
		{"c1leaf", "top", "{/t:top/c1leaf}"},
		{"oo:extra", "top", "{/t:top/o:extra}"},
		{"extra", "top", "{}"},
		{"oo:*", "top", "{/t:top/o:extra}"},
		{"nosuch", "top", "{}"},
		{"..", "item1", "{/t:top}"},
		{"../..", "item1", "{/}"},
		{"..", "root", "{}"},
		{".", "item1", "{/t:top/item[id='1']}"},
		{"self::t:item", "item1", "{/t:top/item[id='1']}"},
		{"self::t:top", "item1", "{}"},
		{"a/text()", "top", "{/t:top/a/text()}"},
		{"a/node()", "top", "{/t:top/a/text()}"},
		{"a/text()/..", "top", "{/t:top/a}"},
		{"item/v/text()", "top", "{/t:top/item[id='1']/v/text() /t:top/item[id='2']/v/text()}"},
		{"count(descendant::node())", "item1", "number:9"},
		{"descendant::*", "item1", "{/t:top/item[id='1']/id /t:top/item[id='1']/v /t:top/item[id='1']/n /t:top/item[id='1']/sub /t:top/item[id='1']/sub/x}"},
		{"descendant-or-self::t:item", "item1", "{/t:top/item[id='1']}"},
		{"//x", "item3", "{/t:top/item[id='1']/sub/x}"},
		{"//item[n > 0]/id", "root", "{/t:top/item[id='1']/id /t:top/item[id='3']/id}"},
		{"//item[1]", "root", "{/t:top/item[id='1']}"},
		{"(//id)[last()]", "root", "{/t:top/item[id='3']/id}"},
		{"//sub | //id", "root", "{/t:top/item[id='1']/id /t:top/item[id='1']/sub /t:top/item[id='2']/id /t:top/item[id='3']/id /t:top/item[id='3']/sub}"},
		{"ancestor::*", "a", "{/t:top}"},
		{"ancestor::node()", "a", "{/ /t:top}"},
		{"ancestor-or-self::*", "a", "{/t:top /t:top/a}"},
		{"ancestor::node()[1]", "a", "{/t:top}"},
		{"ancestor-or-self::node()[last()]", "a", "{/}"},
		{"following-sibling::*[1]", "item1", "{/t:top/item[id='2']}"},
		{"following-sibling::item", "item1", "{/t:top/item[id='2'] /t:top/item[id='3']}"},
		{"preceding-sibling::*", "item2", "{/t:top/a /t:top/item[id='1']}"},
		{"preceding-sibling::*[1]", "item2", "{/t:top/item[id='1']}"},
		{"preceding-sibling::node()[last()]", "item2", "{/t:top/a}"},
		{"following::*[1]", "item3", "{/t:top/tag[.='x']}"},
		{"count(following::*)", "item3", "number:13"},
		{"following::b", "item1", "{/t:other/b}"},
		{"preceding::*", "item2", "{/t:top/a /t:top/item[id='1'] /t:top/item[id='1']/id /t:top/item[id='1']/v /t:top/item[id='1']/n /t:top/item[id='1']/sub /t:top/item[id='1']/sub/x}"},
		{"preceding::*[1]", "item2", "{/t:top/item[id='1']/sub/x}"},
		{"preceding::text()[1]", "item2", "{/t:top/item[id='1']/sub/x/text()}"},
		{"count(preceding::node())", "item2", "number:12"},
		{"item[2]/preceding::id | item[2]/following::id", "top", "{/t:top/item[id='1']/id /t:top/item[id='3']/id}"},
		{"../in1", "in1", "{/t:doit/in1}"},
		{"in1", "rpc", "{/t:doit/in1}"},
		{"out1", "rpc", "{}"},
		{"item[sub]/id", "top", "{/t:top/item[id='1']/id /t:top/item[id='3']/id}"},
		{"item[not(sub/x)]/id", "top", "{/t:top/item[id='2']/id /t:top/item[id='3']/id}"},
		{"item[position() > 1][1]/id", "top", "{/t:top/item[id='2']/id}"},
		{"item[v][2]/id", "top", "{/t:top/item[id='2']/id}"},
		{"item[2][v]/id", "top", "{/t:top/item[id='2']/id}"},
		{"item[3][v]/id", "top", "{}"},
		{"item[1.5]", "top", "{}"},
		{"item[last() - 1]/id", "top", "{/t:top/item[id='2']/id}"},
		{"item['0']/id", "top", "{/t:top/item[id='1']/id /t:top/item[id='2']/id /t:top/item[id='3']/id}"},
		{"tag[. = 'y']", "top", "{/t:top/tag[.='y']}"},
		{"(item/id)[2]", "top", "{/t:top/item[id='2']/id}"},
		{"item/id[1]", "top", "{/t:top/item[id='1']/id /t:top/item[id='2']/id /t:top/item[id='3']/id}"},
		{"(tag | a | z)[1]", "top", "{/t:top/a}"},
		{"//node()[self::text()][. = 'x']", "root", "{/t:top/tag[.='x']/text()}"},
		{"//*[local-name() = 'b']/..", "root", "{/t:other}"},
		{"current()/../a", "item1", "{/t:top/a}"},
		{"/t:top/item[id = current()/../ref]/v", "top", "{}"},
		{"/t:top/item[id = current()/ref]/v", "top", "{/t:top/item[id='2']/v}"},
	})
}

func TestComparisons(t *testing.T) {
	runEval(t, []evalCase{
		// node-set vs string / number / boolean / node-set (XPath 1.0 section 3.4).
		{"item/v = 'two'", "top", "boolean:true"},
		{"item/v != 'two'", "top", "boolean:true"},
		{"tag != 'x'", "top", "boolean:true"},
		{"a != 'hello'", "top", "boolean:false"},
		{"nosuch = 'x'", "top", "boolean:false"},
		{"nosuch != 'x'", "top", "boolean:false"},
		{"item/n = 7", "top", "boolean:true"},
		{"item/n > 9", "top", "boolean:true"},
		{"item/n < -5", "top", "boolean:false"},
		{"item/n <= -5", "top", "boolean:true"},
		{"7 = item/n", "top", "boolean:true"},
		{"9 < item/n", "top", "boolean:true"},
		{"item/n > '9'", "top", "boolean:true"},
		{"item/id = item/n", "top", "boolean:false"},
		{"item/id < item/n", "top", "boolean:true"},
		{"item/id >= item/n", "top", "boolean:true"},
		{"item/id = ../other/b", "top", "boolean:false"},
		{"tag = tag", "top", "boolean:true"},
		{"tag != tag", "top", "boolean:true"},
		{"a != a", "top", "boolean:false"},
		{"nosuch = false()", "top", "boolean:true"},
		{"a = true()", "top", "boolean:true"},
		{"true() = 'x'", "top", "boolean:true"},
		{"false() = ''", "top", "boolean:true"},
		{"1 = '1.0'", "top", "boolean:true"},
		{"'1' = '1.0'", "top", "boolean:false"},
		{"'abc' < 'abd'", "top", "boolean:false"},
		{"1 = true()", "top", "boolean:true"},
		{"2 = true()", "top", "boolean:true"},
		{"0 div 0 = 0 div 0", "top", "boolean:false"},
		{"0 div 0 != 0 div 0", "top", "boolean:true"},
		{"1 < 2 < 3", "top", "boolean:true"},
		{"3 > 2 > 1", "top", "boolean:false"},
		{"/t:other/b = 12", "top", "boolean:true"},
		{"/t:other/b = '12.0'", "top", "boolean:false"},
		{"/t:other/b = 12.0", "top", "boolean:true"},
		// typed comparison of a literal with a leaf, as libyang does
		{"item/n = '07'", "top", "boolean:true"},
		{"item/n = ' 10 '", "top", "boolean:true"},
		{"dec = '1.50'", "top", "boolean:true"},
		{"dec = '01.5'", "top", "boolean:true"},
		{"dec = 1.5", "top", "boolean:true"},
		{"dec != '1.50'", "top", "boolean:false"},
		{"a = 'hello '", "top", "boolean:false"},
		{"string(item[1]/n) = '010'", "top", "boolean:false"},
		// identityref: literal read with the expression's prefixes (t:, unprefixed = own module)
		{"ty = 't:fast-eth'", "top", "boolean:true"},
		{"ty = 'fast-eth'", "top", "boolean:true"},
		{"ty = 't:eth'", "top", "boolean:false"},
		{"ty != 't:fast-eth'", "top", "boolean:false"},
		{"ty = 'nope:fast-eth'", "top", "boolean:false"},
		{"string(ty)", "top", "string:t:fast-eth"},
	})
}

func TestOperators(t *testing.T) {
	runEval(t, []evalCase{
		{"1 + 2 * 3", "", "number:7"},
		{"(1 + 2) * 3", "", "number:9"},
		{"1 - 2 - 3", "", "number:-4"},
		{"- 2 - - 3", "", "number:1"},
		{"--2", "", "number:2"},
		{"6 div 2 div 3", "", "number:1"},
		{"7 mod 3", "", "number:1"},
		{"-7 mod 3", "", "number:-1"},
		{"7 mod -3", "", "number:1"},
		{"5.5 mod 2", "", "number:1.5"},
		{"1 div 0", "", "number:Infinity"},
		{"-1 div 0", "", "number:-Infinity"},
		{"0 div 0", "", "number:NaN"},
		{"- 0", "", "number:0"},
		{"1 mod 0", "", "number:NaN"},
		{"0.1 + 0.2", "", "number:0.30000000000000004"},
		{"1000000 * 1000000", "", "number:1000000000000"},
		{"1 div 3", "", "number:0.3333333333333333"},
		{".5 + 1.", "", "number:1.5"},
		{"'3' + '4'", "", "number:7"},
		{"'x' + 1", "", "number:NaN"},
		{"true() + true()", "", "number:2"},
		{"/t:top/item[1]/n * 2", "", "number:20"},
		{"1 or 0 and 0", "", "boolean:true"},
		{"(1 or 0) and 0", "", "boolean:false"},
		{"1 = 1 and 2 = 2", "", "boolean:true"},
		{"1 < 2 = 1", "", "boolean:true"},
		{"- /t:top/item[1]/n", "", "number:-10"},
		{"count(/t:top/tag | /t:top/a)", "", "number:3"},
		{"div", "top", "{}"},
		{"div div div", "top", "number:NaN"},
		{"and and and", "top", "boolean:false"},
		{"mod*mod", "top", "number:NaN"},
		{"*", "item1", "{/t:top/item[id='1']/id /t:top/item[id='1']/v /t:top/item[id='1']/n /t:top/item[id='1']/sub}"},
		{"n*n", "item1", "number:100"},
		{"n * n", "item1", "number:100"},
		{"-n", "item2", "number:5"},
		{"n -1", "item1", "number:9"},
	})
}

func TestParseErrors(t *testing.T) {
	f := newFixture(t)
	cases := []struct {
		expr string
		pos  int
		msg  string
	}{
		{"", 0, "expected an expression, found end of expression"},
		{"1 +", 3, "expected an expression, found end of expression"},
		{"a[1", 3, "expected ']', found end of expression"},
		{"foo(1)", 0, "unknown function foo()"},
		{"t:count(a)", 0, "unknown function t:count()"},
		{"count()", 0, "count() takes 1 arguments, got 0"},
		{"substring('a')", 0, "substring() takes 2 to 3 arguments, got 1"},
		{"concat('a')", 0, "concat() takes at least 2 arguments, got 1"},
		{"x:a", 0, "unknown prefix \"x\""},
		{"a/x:*", 2, "unknown prefix \"x\""},
		{"'abc", 0, "unterminated literal"},
		{"a ! b", 2, "unexpected '!' (did you mean '!='?)"},
		{"$var", 0, "unknown variable $var (YANG XPath defines no variables)"},
		{"a b", 2, "expected an operator, found \"b\""},
		{"foo::a", 0, "unknown axis \"foo\""},
		{"child:a", 0, "unknown prefix \"child\""},
		{"t: a", 2, "expected a name after ':'"},
		{"a/", 2, "expected a node test, found end of expression"},
		{"1)", 1, "unexpected ')'"},
		{"@", 1, "expected a node test, found end of expression"},
		{"a[]", 2, "expected an expression, found ']'"},
		{"re-match(a, '[')", 0, "re-match(): invalid pattern \"[\": missing ']' for the class at offset 0"},
		{"text(1)", 5, "expected ')', found number 1"},
		{"a::b", 0, "unknown axis \"a\""},
		{"..[1]", 2, "unexpected '['"},
		{"#", 0, "unexpected character '#'"},
		{"1e3", 1, "expected an operator, found \"e3\""},
	}
	for _, tc := range cases {
		t.Run(tc.expr, func(t *testing.T) {
			_, err := Compile(tc.expr, f.t.Prefixes, f.t, f.sn["top"])
			xe, ok := err.(*Error)
			if !ok {
				t.Fatalf("Compile(%q) error = %v, want an *Error", tc.expr, err)
			}
			got := struct {
				Pos int
				Msg string
			}{xe.Pos, xe.Msg}
			want := struct {
				Pos int
				Msg string
			}{tc.pos, tc.msg}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
			if xe.Expr != tc.expr {
				t.Errorf("Error.Expr = %q, want %q", xe.Expr, tc.expr)
			}
		})
	}
}

func TestEvalErrors(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct{ expr, msg string }{
		{"'a'/b", "a string cannot be used as a node-set (in a path or with a predicate)"},
		{"(1)[1]", "a number cannot be used as a node-set (in a path or with a predicate)"},
		{"a | 'b'", "operands of '|' must be node-sets, got node-set and string"},
		{"count('a')", "argument 1 of count() must be a node-set, got a string"},
		{"re-match('a', concat('[', ''))", "re-match(): invalid pattern \"[\": missing ']' for the class at offset 0"},
		{"derived-from(ty, 'nope')", "derived-from(): identity \"nope\" not found in module \"t\""},
		{"derived-from(ty, 'zz:nope')", "derived-from(): unknown prefix \"zz\" in identity \"zz:nope\""},
		{"derived-from(ty, concat('zz', ':x'))", "derived-from(): unknown prefix \"zz\" in identity \"zz:x\""},
	} {
		t.Run(tc.expr, func(t *testing.T) {
			e, err := Compile(tc.expr, f.t.Prefixes, f.t, f.sn["top"])
			if err != nil {
				t.Fatalf("Compile: %v", err)
			}
			_, err = e.Eval(f.top, f.top)
			xe, ok := err.(*Error)
			if !ok {
				t.Fatalf("Eval error = %v, want an *Error", err)
			}
			if diff := cmp.Diff(tc.msg, xe.Msg); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
