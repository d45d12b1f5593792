package schema

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestDecl pins what NewDecl keeps and Info and the methods give back, that a Decl with a
// name and a location only has nothing besides (the point of its shape), and that Info's
// Default cannot be used to change the Decl.
func TestDecl(t *testing.T) {
	loc := NewLoc("m.yang", 4)
	full := DeclInfo{Name: "mtu", Description: "d", Status: "deprecated", Presence: "p", Units: "octets",
		Default: []string{"1500"}, Loc: loc, Grouping: "m:g/mtu"}
	for _, tc := range []struct {
		name string
		in   DeclInfo
		want DeclInfo // Info's result
		bare bool     // no side part
	}{
		{"name and loc", DeclInfo{Name: "a", Loc: loc}, DeclInfo{Name: "a", Loc: loc, Status: "current"}, true},
		{"status current", DeclInfo{Name: "a", Status: "current"}, DeclInfo{Name: "a", Status: "current"}, true},
		{"every field", full, full, false},
		{"empty default", DeclInfo{Name: "a", Default: []string{}}, DeclInfo{Name: "a", Status: "current", Default: []string{}}, false},
		{"obsolete only", DeclInfo{Name: "a", Status: "obsolete"}, DeclInfo{Name: "a", Status: "obsolete"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := NewDecl(tc.in)
			got := d.Info()
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Info mismatch (-want +got):\n%s", diff)
			}
			if (got.Default == nil) != (tc.want.Default == nil) {
				t.Errorf("Info().Default nil = %v, want %v", got.Default == nil, tc.want.Default == nil)
			}
			methods := DeclInfo{Name: d.Name, Loc: d.Loc, Description: d.Description(), Status: d.Status(),
				Presence: d.Presence(), Units: d.Units(), Default: d.Default(), Grouping: d.Grouping()}
			if diff := cmp.Diff(tc.want, methods); diff != "" {
				t.Errorf("methods mismatch (-want +got):\n%s", diff)
			}
			if (d.more == nil) != tc.bare {
				t.Errorf("side part present = %v, want %v", d.more != nil, !tc.bare)
			}
			if c := d.Clone(); c == d || !cmp.Equal(c.Info(), got) {
				t.Errorf("Clone = %+v (same pointer %v), want a copy of %+v", c.Info(), c == d, got)
			}
		})
	}
	// A composite literal with a name only reads as a current Decl with nothing else.
	if d := (&Decl{Name: "x"}); d.Status() != "current" || d.Default() != nil || d.Presence() != "" {
		t.Errorf("literal Decl: status %q, default %v, presence %q", d.Status(), d.Default(), d.Presence())
	}
	// NewDecl copies Default; appending to Info's Default (as a loader's deviate add does)
	// leaves the Decl alone.
	in := []string{"a", "b", "c"}
	d := NewDecl(DeclInfo{Name: "ll", Default: in[:2]})
	in[0] = "changed"
	f := d.Info()
	f.Default = append(f.Default, "x")
	if got := d.Default(); !cmp.Equal(got, []string{"a", "b"}) {
		t.Errorf("Default after changing the input and Info's copy = %q, want [a b]", got)
	}
}

// TestDeclSet checks that a DeclSet's Decls hold what NewDecl's do, that Decls with equal side
// parts share one whatever their names and locations, and that side parts differing in any
// field (defaults nil or empty, ["a b"] or ["a", "b"], status "" or "current") are told apart.
func TestDeclSet(t *testing.T) {
	var s DeclSet
	infos := []DeclInfo{
		{Name: "a", Loc: NewLoc("m.yang", 1)},
		{Name: "a", Units: "octets", Default: []string{"1500"}, Loc: NewLoc("m.yang", 2)},
		{Name: "b", Units: "octets", Default: []string{"1500"}, Loc: NewLoc("n.yang", 9)},
		{Name: "c", Units: "octets", Default: []string{"1500"}, Status: "current"},
		{Name: "d", Units: "octets"},
		{Name: "e", Default: []string{}},
		{Name: "f", Default: []string{"a b"}},
		{Name: "g", Default: []string{"a", "b"}},
		{Name: "h", Default: []string{"a", "b"}},
		{Name: "i", Status: "deprecated"},
		{Name: "j", Description: "x", Presence: "p", Grouping: "m:g/j"},
		{Name: "k", Description: "x", Presence: "p", Grouping: "m:g/k"},
	}
	var ds []*Decl
	for _, f := range infos {
		d := s.New(f)
		if diff := cmp.Diff(NewDecl(f).Info(), d.Info()); diff != "" {
			t.Errorf("DeclSet.New(%+v): Info mismatch with NewDecl's (-want +got):\n%s", f, diff)
		}
		ds = append(ds, d)
	}
	shared := map[[2]int]bool{{1, 2}: true, {1, 3}: true, {2, 3}: true, {7, 8}: true}
	for i := range ds {
		for j := i + 1; j < len(ds); j++ {
			same := ds[i].more != nil && ds[i].more == ds[j].more
			if same != shared[[2]int{i, j}] {
				t.Errorf("Decls %d (%s) and %d (%s) share a side part: %v, want %v", i, ds[i].Name, j, ds[j].Name, same, !same)
			}
		}
	}
	if ds[0].more != nil {
		t.Errorf("a Decl with a name and a location only has a side part")
	}
}
