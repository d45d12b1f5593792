package xpath

import (
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestResolveInstanceID(t *testing.T) {
	f := newFixture(t)
	b := newBigTree(t, 20)
	cases := []struct {
		tree string
		path string
		want []string
	}{
		{"t", "/t:top/item[id='3']/n", []string{"/t:top/item[id='3']/n"}},
		{"t", "/t:top/item[ id = \"2\" ]", []string{"/t:top/item[id='2']"}},
		{"t", "/t:top/t:item[t:id='2']/v", []string{"/t:top/item[id='2']/v"}},
		{"t", "/t:top/tag[.='y']", []string{"/t:top/tag[.='y']"}},
		{"t", "/t:top/tag[2]", []string{"/t:top/tag[.='y']"}},
		{"t", "/t:top/item[3]/id", []string{"/t:top/item[id='3']/id"}},
		{"t", "/t:top/o:extra", []string{"/t:top/o:extra"}},
		{"t", "/t:top/extra", nil},
		{"t", "/t:other/b", []string{"/t:other/b"}},
		{"t", "/t:top/item[id='9']", nil},
		{"t", "/t:top/item[v='two']/n", []string{"/t:top/item[id='2']/n"}},
		{"t", "/x:top", nil},
		{"b", "/b:c/l[k1='c'][k2='2']/val", []string{"/b:c/l[k1='c'][k2='2']/val"}},
		{"b", "/b:c/l[k2='2'][k1='c']", []string{"/b:c/l[k1='c'][k2='2']"}},
		{"b", "/b:c/big[name='if19']/mtu", []string{"/b:c/big[name='if19']/mtu"}},
	}
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			root := f.root
			if tc.tree == "b" {
				root = b.root
			}
			ns, err := ResolveInstanceID(root, tc.path)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, n := range ns {
				got = append(got, n.Path())
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
	for _, bad := range []string{"t:top", "/t:top/item[id='1", "/t:top/item[id=1]", "/t:top/item[0]", "/:x"} {
		if _, err := ResolveInstanceID(f.root, bad); err == nil {
			t.Errorf("ResolveInstanceID(%q) succeeded, want an error", bad)
		}
	}
}

func TestCompileLeafref(t *testing.T) {
	f := newFixture(t)
	ref := f.sn["ref"]
	e, err := CompileLeafref(ref.Type, ref)
	if err != nil {
		t.Fatal(err)
	}
	leaf := f.top.Child(ref)
	ns, err := e.EvalNodes(leaf, leaf)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, n := range ns {
		got = append(got, n.Value.Str)
	}
	if diff := cmp.Diff([]string{"1", "2", "3"}, got); diff != "" {
		t.Errorf("leafref targets mismatch (-want +got):\n%s", diff)
	}
	if _, err := CompileLeafref(f.sn["a"].Type, f.sn["a"]); err == nil {
		t.Error("CompileLeafref of a string type succeeded")
	}
}

func TestEvalNodesErrors(t *testing.T) {
	f := newFixture(t)
	e := MustCompile("count(item)", f.t.Prefixes, f.t, f.sn["top"])
	if _, err := e.EvalNodes(f.top, f.top); err == nil || !strings.Contains(err.Error(), "yields a number, not a node-set") {
		t.Errorf("EvalNodes of a number: error %v", err)
	}
	if _, err := e.Eval(nil, nil); err == nil {
		t.Error("Eval with a nil context succeeded")
	}
	txt := MustCompile("a/text() | a", f.t.Prefixes, f.t, f.sn["top"])
	ns, err := txt.EvalNodes(f.top, nil)
	if err != nil || len(ns) != 1 || ns[0].Schema.Name != "a" {
		t.Errorf("EvalNodes(a/text() | a) = %v, %v; want the leaf a once", ns, err)
	}
}

// TestConcurrentEval evaluates one Expr from many goroutines (run with -race): the lazily
// filled caches (computed patterns, leafref paths) must be safe.
func TestConcurrentEval(t *testing.T) {
	f := newFixture(t)
	e := MustCompile("re-match(a, concat('h', '.*')) and deref(ref)/../v = 'two' and item[id = current()/ref]",
		f.t.Prefixes, f.t, f.sn["top"])
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 50; j++ {
				ok, err := e.EvalBool(f.top, f.top)
				if err != nil || !ok {
					errs <- "EvalBool = false or error"
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func TestRewritePrefixes(t *testing.T) {
	m := map[string]string{"a": "mod-a", "b": "mod.b"}
	for _, tc := range []struct{ in, want string }{
		{"/a:top/a:item[a:id='x:y']", "/mod-a:top/mod-a:item[mod-a:id='x:y']"},
		{"/a:top/child::b:*", "/mod-a:top/child::mod.b:*"},
		{"count(/a:x) > 1 and c:y", "count(/mod-a:x) > 1 and c:y"},
		{`/a:x[. = "a:b"]`, `/mod-a:x[. = "a:b"]`},
		{"//b:x | /top", "//mod.b:x | /top"},
	} {
		got, err := RewritePrefixes(tc.in, func(p string) string { return m[p] })
		if err != nil || got != tc.want {
			t.Errorf("RewritePrefixes(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	if _, err := RewritePrefixes("/a:", func(string) string { return "" }); err == nil {
		t.Error("RewritePrefixes of a bad expression succeeded")
	}
}
