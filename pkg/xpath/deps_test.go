package xpath

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDeps(t *testing.T) {
	f := newFixture(t)
	cases := []struct {
		expr     string
		ctx      string // fixture schema node name, "" for the root
		want     []string
		complete bool
	}{
		{"../a", "item", []string{"/t:top", "/t:top/a"}, true},
		{"count(item) > 2", "top", []string{"/t:top/item"}, true},
		{"item[id = current()/ref]/v", "top", []string{"/t:top/item", "/t:top/item/id", "/t:top", "/t:top/ref", "/t:top/item/v"}, true},
		{"string(item[1])", "top", []string{"/t:top/item", "/t:top/item/id", "/t:top/item/v", "/t:top/item/n", "/t:top/item/sub", "/t:top/item/sub/x"}, true},
		{"deref(ref)/../v", "top", []string{"/t:top/ref", "/t:top", "/t:top/item", "/t:top/item/id", "/t:top/item/v"}, true},
		{". > 5", "n", []string{"/t:top/item/n"}, true},
		{"oo:extra = 'x'", "top", []string{"/t:top/o:extra"}, true},
		{"/t:other/b and /t:top/c1leaf", "", []string{"/t:other", "/t:other/b", "/t:top", "/t:top/c1leaf"}, true},
		{"../../../../t:other", "x", []string{"/t:top/item/sub", "/t:top/item", "/t:top", "/t:other"}, true},
		{"../out1", "in1", []string{"/t:doit", "/t:doit/output/out1"}, true},
		{"//x", "", nil, false},
		{"/*", "", nil, false},
		{"deref(ii)", "top", []string{"/t:top/ii"}, false},
		{"string(/)", "top", nil, false},
		{"following::a", "top", nil, false},
		{"1 + 2", "top", nil, true},
	}
	for _, tc := range cases {
		t.Run(tc.expr, func(t *testing.T) {
			e := MustCompile(tc.expr, f.t.Prefixes, f.t, f.sn[tc.ctx])
			var got []string
			for _, n := range e.Deps() {
				got = append(got, n.Path())
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Deps mismatch (-want +got):\n%s", diff)
			}
			if e.DepsComplete() != tc.complete {
				t.Errorf("DepsComplete() = %v, want %v", e.DepsComplete(), tc.complete)
			}
		})
	}
}
