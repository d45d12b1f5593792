package xpath

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/schema"
)

// bigTree builds module b: container c { leaf ifname; list l {key "k1 k2"; leaf k1; leaf k2
// (uint8); leaf val}; list big {key name; leaf name; leaf mtu (uint32)} } with n entries in big
// (names "if0" ... ) and a 4x4 grid in l.
type bigTree struct {
	m                     *schema.Module
	c, l, k1, k2, val     *schema.Node
	big, name, mtu, ifnam *schema.Node
	root, cont            *data.Node
}

func newBigTree(tb testing.TB, n int) *bigTree {
	tb.Helper()
	b := &bigTree{}
	m := &schema.Module{Name: "b", Namespace: "urn:b", Prefix: "b", Implemented: true}
	m.Prefixes = schema.Prefixes{"b": m}
	b.m = m
	str := &schema.Type{Name: "string", Base: schema.String}
	u8 := &schema.Type{Name: "uint8", Base: schema.Uint8}
	u32 := &schema.Type{Name: "uint32", Base: schema.Uint32}
	mk := func(p *schema.Node, k schema.Kind, name string, t *schema.Type) *schema.Node {
		x := &schema.Node{Decl: &schema.Decl{Name: name}, Kind: k, Module: m, Parent: p, Type: t, Config: true}
		if p != nil {
			p.Children = append(p.Children, x)
		}
		return x
	}
	b.c = mk(nil, schema.KindContainer, "c", nil)
	b.ifnam = mk(b.c, schema.KindLeaf, "ifname", str)
	b.l = mk(b.c, schema.KindList, "l", nil)
	b.k1 = mk(b.l, schema.KindLeaf, "k1", str)
	b.k2 = mk(b.l, schema.KindLeaf, "k2", u8)
	b.val = mk(b.l, schema.KindLeaf, "val", str)
	b.l.SetKeys([]*schema.Node{b.k1, b.k2})
	b.big = mk(b.c, schema.KindList, "big", nil)
	b.name = mk(b.big, schema.KindLeaf, "name", str)
	b.mtu = mk(b.big, schema.KindLeaf, "mtu", u32)
	b.big.SetKeys([]*schema.Node{b.name})
	m.Data = []*schema.Node{b.c}
	s := &schema.Schema{Modules: []*schema.Module{m}}
	s.Finalize()

	b.root = data.NewRoot()
	b.cont = data.New(b.c)
	b.root.Insert(b.cont)
	b.cont.Insert(data.NewLeaf(b.ifnam, data.Value{Str: fmt.Sprintf("if%d", n/2)}))
	for _, k1 := range []string{"a", "b", "c", "d"} {
		for k2 := 1; k2 <= 4; k2++ {
			e := data.New(b.l)
			e.Insert(data.NewLeaf(b.k1, data.Value{Str: k1}))
			e.Insert(data.NewLeaf(b.k2, data.Value{Type: b.k2.Type, Str: strconv.Itoa(k2)}))
			e.Insert(data.NewLeaf(b.val, data.Value{Str: k1 + strconv.Itoa(k2)}))
			b.cont.Insert(e)
		}
	}
	for i := 0; i < n; i++ {
		e := data.New(b.big)
		e.Insert(data.NewLeaf(b.name, data.Value{Str: fmt.Sprintf("if%d", i)}))
		e.Insert(data.NewLeaf(b.mtu, data.Value{Type: b.mtu.Type, Str: strconv.Itoa(1000 + i)}))
		b.cont.Insert(e)
	}
	return b
}

// noLookups clears the keyed-lookup plans so the expression scans.
func noLookups(e *Expr) {
	walk(e.root, func(x expr) {
		if pe, ok := x.(*pathExpr); ok {
			for _, s := range pe.steps {
				s.lookup = nil
			}
		}
	})
}

// TestKeyedLookupMatchesScan checks that predicates answered through the key index select
// exactly what a scan selects.
func TestKeyedLookupMatchesScan(t *testing.T) {
	b := newBigTree(t, 50)
	cases := []struct {
		expr      string
		want      string
		useLookup bool
	}{
		{"big[name = 'if7']/mtu", "{/b:c/big[name='if7']/mtu}", true},
		{"big[name = current()/ifname]/mtu", "{/b:c/big[name='if25']/mtu}", true},
		{"big['if3' = name]/mtu", "{/b:c/big[name='if3']/mtu}", true},
		{"big[name = 'nope']", "{}", true},
		{"big[name = /b:c/big[mtu = 1010]/name]/mtu", "{/b:c/big[name='if10']/mtu}", true},
		{"big[name = /b:c/l/val]", "{}", true},
		{"big[name = 'if7'][mtu = 1007]/name", "{/b:c/big[name='if7']/name}", true},
		{"big[mtu = 1007][name = 'if7']/name", "{/b:c/big[name='if7']/name}", true},
		{"big[name = 'if7'][mtu = 1]", "{}", true},
		{"big[name = 'if7'][1]/name", "{/b:c/big[name='if7']/name}", true},
		{"big[1][name = 'if7']", "{}", false},
		{"big[name = 'if7' or name = 'if8']/mtu", "{/b:c/big[name='if7']/mtu /b:c/big[name='if8']/mtu}", false},
		{"big[name = ../ifname]/mtu", "{/b:c/big[name='if25']/mtu}", false},
		{"l[k1 = 'b'][k2 = 3]/val", "{/b:c/l[k1='b'][k2='3']/val}", true},
		{"l[k2 = '03'][k1 = 'b']/val", "{/b:c/l[k1='b'][k2='3']/val}", true},
		{"l[k2 = 3.5][k1 = 'b']/val", "{}", true},
		{"l[k2 = 0 div 0][k1 = 'b']/val", "{}", true},
		{"l[k2 = true()][k1 = 'b']/val", "{/b:c/l[k1='b'][k2='1']/val /b:c/l[k1='b'][k2='2']/val /b:c/l[k1='b'][k2='3']/val /b:c/l[k1='b'][k2='4']/val}", false},
		{"l[k1 = /b:c/l[k2 = 1][k1 != 'a']/k1][k2 = 2]/val", "{/b:c/l[k1='b'][k2='2']/val /b:c/l[k1='c'][k2='2']/val /b:c/l[k1='d'][k2='2']/val}", true},
		{"l[k1 = 'c']/val", "{/b:c/l[k1='c'][k2='1']/val /b:c/l[k1='c'][k2='2']/val /b:c/l[k1='c'][k2='3']/val /b:c/l[k1='c'][k2='4']/val}", false},
		{"/b:c[ifname = 'if25']/big[name = 'if1']/mtu", "{/b:c/big[name='if1']/mtu}", true},
	}
	for _, tc := range cases {
		t.Run(tc.expr, func(t *testing.T) {
			e := MustCompile(tc.expr, b.m.Prefixes, b.m, b.c)
			got, err := e.Eval(b.cont, b.cont)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, show(got)); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
			st := &evalStats{}
			if _, err := e.evalStats(b.cont, b.cont, st); err != nil {
				t.Fatal(err)
			}
			planned := st.lookups > 0
			if planned != tc.useLookup {
				t.Errorf("keyed lookup planned = %v, want %v", planned, tc.useLookup)
			}
			scan := MustCompile(tc.expr, b.m.Prefixes, b.m, b.c)
			noLookups(scan)
			want, err := scan.Eval(b.cont, b.cont)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(show(want), show(got)); diff != "" {
				t.Errorf("lookup and scan differ (-scan +lookup):\n%s", diff)
			}
		})
	}
}

func TestLeafListLookup(t *testing.T) {
	runEval(t, []evalCase{
		{"tag[. = 'y']", "top", "{/t:top/tag[.='y']}"},
		{"tag[. = current()/tag[2]]", "top", "{/t:top/tag[.='y']}"},
		{"tag['x' = .]", "top", "{/t:top/tag[.='x']}"},
		{"tag[. = 'q']", "top", "{}"},
	})
}

// BenchmarkKeyLookup evaluates a leafref-style predicate on a 100k-entry list: the key index
// makes each evaluation O(log n) instead of a scan.
func BenchmarkKeyLookup(b *testing.B) {
	bt := newBigTree(b, 100000)
	e := MustCompile("/b:c/big[name = current()/../ifname]/mtu", bt.m.Prefixes, bt.m, bt.ifnam)
	cur := bt.cont.Child(bt.ifnam)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ns, err := e.EvalNodes(cur, cur)
		if err != nil || len(ns) != 1 {
			b.Fatalf("got %v, %v", ns, err)
		}
	}
}

// BenchmarkKeyScan is the same query with the key index disabled, for comparison.
func BenchmarkKeyScan(b *testing.B) {
	bt := newBigTree(b, 100000)
	e := MustCompile("/b:c/big[name = current()/../ifname]/mtu", bt.m.Prefixes, bt.m, bt.ifnam)
	noLookups(e)
	cur := bt.cont.Child(bt.ifnam)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ns, err := e.EvalNodes(cur, cur)
		if err != nil || len(ns) != 1 {
			b.Fatalf("got %v, %v", ns, err)
		}
	}
}

// BenchmarkDescendant counts every node of a 100k-entry list through //: linear, not quadratic.
func BenchmarkDescendant(b *testing.B) {
	bt := newBigTree(b, 100000)
	e := MustCompile("count(//mtu)", bt.m.Prefixes, bt.m, nil)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		v, err := e.Eval(bt.root, nil)
		if err != nil || v.Number() != 100000 {
			b.Fatalf("got %v, %v", v, err)
		}
	}
}
