package xpath

import (
	"testing"
)

// FuzzCompile compiles arbitrary text and, when it compiles, evaluates it over the fixture tree:
// neither may panic, and a compiled expression's String is its source.
func FuzzCompile(f *testing.F) {
	for _, s := range []string{
		"/t:top/item[id = current()/../ref]/v", "//item[n > 0][last()]", "count(//node()) + 1 div 0",
		"substring('12345', -42, 1 div 0)", "deref(ref)/../v", "derived-from-or-self(ty, 't:eth')",
		"re-match(a, '\\d{1,3}')", "(item | tag)[2]/text()", "ancestor-or-self::node()[last()]",
		"preceding::*[1] = following::*[1]", "-a | b", "a[", "'x", "$v", "t:", "1.5.a", "..[1]",
		"enum-value(en) * bit-is-set(bi, 'c')", "tag[. = 'y']", "l[k1 = 'a'][k2 = 1]",
		"translate(normalize-space(z), 'z', 'Z')", "oo:*", "processing-instruction('x')",
	} {
		f.Add(s)
	}
	fx := newFixture(f)
	f.Fuzz(func(t *testing.T, src string) {
		e, err := Compile(src, fx.t.Prefixes, fx.t, fx.sn["top"])
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("Compile(%q) returned %T, want *Error", src, err)
			}
			return
		}
		if e.String() != src {
			t.Fatalf("String() = %q, want %q", e.String(), src)
		}
		for _, ctx := range []string{"top", "item2", "a", "root"} {
			n := fx.ctxNode(ctx)
			_, _ = e.Eval(n, n)
		}
	})
}

// FuzzResolveInstanceID resolves arbitrary instance-identifiers over the fixture tree: it may not
// panic, and every node it returns belongs to the tree.
func FuzzResolveInstanceID(f *testing.F) {
	for _, s := range []string{
		"/t:top/item[id='3']/n", `/t:top/item[ id = "2" ]`, "/t:top/item[1]", "/t:top/item[id='1'][id='2']",
		"/t:top/tag[.='x']", "/t:top/tag[ . = 'y' ]", "/", "", "/t:", "/t:top[", "/t:top/item[id=']",
		"/t:top/item[0]", "t:top", "/:x",
	} {
		f.Add(s)
	}
	fx := newFixture(f)
	f.Fuzz(func(t *testing.T, in string) {
		ns, err := ResolveInstanceID(fx.root, in)
		if err != nil {
			return
		}
		for _, n := range ns {
			r := n
			for r.Parent != nil {
				r = r.Parent
			}
			if r != fx.root {
				t.Fatalf("%q resolved to %s outside the tree", in, n.Path())
			}
		}
	})
}
