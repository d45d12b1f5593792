package yangload

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/ncws/ncws/pkg/schema"
)

// OmitOrigins: the equal types of different type statements are one Type without Loc, types
// that differ stay apart (leafrefs by their targets too), and no node has a Grouping; the rest
// of the schema (what validation reads) is as without the option.
func TestOmitOrigins(t *testing.T) {
	dir := writeModules(t, map[string]string{"o.yang": `module o { namespace "urn:o"; prefix o;
  typedef name { type string { length "1..8"; } }
  grouping g {
    leaf a { type string { length "1..8"; pattern "[a-z]+"; } }
    leaf b { type o:name; }
    leaf-list c { type enumeration { enum x; enum y; } }
  }
  container top {
    uses g;
    container again { uses g; }
    leaf a2 { type string { length "1..8"; pattern "[a-z]+"; } }
    leaf a3 { type string { length "1..8"; pattern "[a-z]*"; } }
    leaf b2 { type o:name; }
    leaf b3 { type string { length "1..8"; } }
    leaf-list c2 { type enumeration { enum x; enum y; } }
    leaf-list c3 { type enumeration { enum x; enum z; } }
    leaf r { type leafref { path "../a"; } }
    leaf u { type union { type int8; type leafref { path "../b"; } } }
    leaf r2 { type leafref { path "../a"; } }
    leaf u2 { type union { type int8; type leafref { path "../b"; } } }
    container again2 {
      leaf a { type string; }
      leaf r { type leafref { path "../a"; } }
    }
  }
}`})
	files := []string{filepath.Join(dir, "o.yang")}
	full, err := Load(Options{SearchPaths: []string{dir}, Files: files})
	if err != nil {
		t.Fatal(err)
	}
	lean, err := Load(Options{SearchPaths: []string{dir}, Files: files, OmitOrigins: true})
	if err != nil {
		t.Fatal(err)
	}
	typ := func(s *schema.Schema, p string) *schema.Type {
		t.Helper()
		n := s.FindNode(p)
		if n == nil || n.Type == nil {
			t.Fatalf("%s: no typed node", p)
		}
		return n.Type
	}
	same := [][2]string{{"a", "a2"}, {"a", "again/a"}, {"b", "b2"}, {"c", "c2"}, {"c", "again/c"}}
	for _, p := range same {
		a, b := typ(lean, "/o:top/"+p[0]), typ(lean, "/o:top/"+p[1])
		if a != b {
			t.Errorf("OmitOrigins: %s and %s have equal types, not one", p[0], p[1])
		}
		if !a.Loc.IsZero() {
			t.Errorf("OmitOrigins: %s's type has Loc %q", p[0], a.Loc)
		}
		if fa, fb := typ(full, "/o:top/"+p[0]), typ(full, "/o:top/"+p[1]); p[1] != "again/"+p[0] && fa == fb {
			t.Errorf("without OmitOrigins: %s and %s share their type", p[0], p[1])
		}
	}
	for _, p := range [][2]string{{"a", "a3"}, {"b", "b3"}, {"c", "c3"}} {
		if typ(lean, "/o:top/"+p[0]) == typ(lean, "/o:top/"+p[1]) {
			t.Errorf("OmitOrigins: %s and %s have different types, shared", p[0], p[1])
		}
	}
	if lt := typ(lean, "/o:top/b3"); lt.Name != "string" || len(lt.Length) != 1 || lt.Typedef != "" {
		t.Errorf("OmitOrigins: b3's type is %+v", lt)
	}
	for _, p := range []string{"/o:top/r", "/o:top/u"} {
		if l, f := typ(lean, p).Loc, typ(full, p).Loc; !l.IsZero() || f.IsZero() {
			t.Errorf("%s: leafref type Loc %q with OmitOrigins, %q without", p, l, f)
		}
	}
	// Leafrefs with the same path and target share their type once resolved; the same path
	// text reaching another target does not.
	for _, p := range [][2]string{{"r", "r2"}, {"u", "u2"}} {
		if typ(lean, "/o:top/"+p[0]) != typ(lean, "/o:top/"+p[1]) {
			t.Errorf("OmitOrigins: %s and %s reach the same target, their types are not one", p[0], p[1])
		}
		if typ(full, "/o:top/"+p[0]) == typ(full, "/o:top/"+p[1]) {
			t.Errorf("without OmitOrigins: %s and %s share their type", p[0], p[1])
		}
	}
	if r2 := typ(lean, "/o:top/again2/r"); r2 == typ(lean, "/o:top/r") || r2.Target.Path() != "/o:top/again2/a" {
		t.Errorf("OmitOrigins: again2/r shares r's type (target %s)", r2.Target.Path())
	}
	if ta := typ(lean, "/o:top/r").Target; ta == nil || ta.Path() != "/o:top/a" {
		t.Errorf("OmitOrigins: r's target %v", ta)
	}
	if g := full.FindNode("/o:top/a").Grouping(); g != "o:g/a" {
		t.Errorf("without OmitOrigins: Grouping %q", g)
	}
	var walk func(a, b []*schema.Node)
	walk = func(a, b []*schema.Node) {
		if len(a) != len(b) {
			t.Fatalf("child counts differ: %d and %d", len(a), len(b))
		}
		for i := range a {
			x, y := a[i], b[i]
			if y.Grouping() != "" {
				t.Errorf("OmitOrigins: %s has Grouping %q", y.Path(), y.Grouping())
			}
			if x.Path() != y.Path() || x.Kind != y.Kind || x.Config != y.Config ||
				x.Description() != y.Description() || x.Loc != y.Loc || len(x.Keys()) != len(y.Keys()) {
				t.Errorf("%s differs with OmitOrigins", x.Path())
			}
			if (x.Type == nil) != (y.Type == nil) || x.Type != nil && !sameTypeButLoc(x.Type, y.Type) {
				t.Errorf("%s: type differs with OmitOrigins:\n%+v\n%+v", x.Path(), *x.Type, *y.Type)
			}
			walk(x.Children, y.Children)
		}
	}
	walk(full.Module("o").Data, lean.Module("o").Data)
}

// sameTypeButLoc reports whether a and b are equal but for their Locs (a leafref's Target
// compared by path, modules by name): the type of a node with and without OmitOrigins. The Types the interning
// leaves unused are built in again (newType): a kept one built in by mistake would differ.
func sameTypeButLoc(a, b *schema.Type) bool {
	x, y := *a, *b
	x.Loc, y.Loc = schema.Loc{}, schema.Loc{}
	if (x.Target == nil) != (y.Target == nil) || x.Target != nil && x.Target.Path() != y.Target.Path() {
		return false
	}
	x.Target, y.Target = nil, nil
	for _, m := range [][2]*schema.Module{{x.Module, y.Module}, {x.PathModule, y.PathModule}} {
		if (m[0] == nil) != (m[1] == nil) || m[0] != nil && m[0].Name != m[1].Name {
			return false
		}
	}
	x.Module, y.Module, x.PathModule, y.PathModule = nil, nil, nil, nil
	if len(x.PathPrefixes) != len(y.PathPrefixes) {
		return false
	}
	for p, m := range x.PathPrefixes {
		if n := y.PathPrefixes[p]; n == nil || n.Name != m.Name {
			return false
		}
	}
	x.PathPrefixes, y.PathPrefixes = nil, nil
	x.Union, y.Union = nil, nil
	if !typeEqual(&x, &y) || len(a.Union) != len(b.Union) {
		return false
	}
	for i := range a.Union {
		if !sameTypeButLoc(a.Union[i], b.Union[i]) {
			return false
		}
	}
	return true
}

// The load's errors about a leafref's path name its type statement with OmitOrigins too, where
// the type keeps no Loc: also a union member's, copied from a typedef.
func TestOmitOriginsLeafrefErrors(t *testing.T) {
	dir := writeModules(t, map[string]string{"e.yang": `module e { namespace "urn:e"; prefix e;
  typedef ref {
    type union {
      type int8;
      type leafref { path "../nothing"; }
    }
  }
  container top {
    leaf a { type string; config false; }
    leaf r {
      type leafref {
        path "../missing";
      }
    }
    leaf s { type leafref { path "../a"; } }
    leaf u { type e:ref; }
    leaf c1 { type leafref { path "../c2"; } }
    leaf c2 { type leafref { path "../c1"; } }
  }
}`})
	files := []string{filepath.Join(dir, "e.yang")}
	_, full := Load(Options{SearchPaths: []string{dir}, Files: files})
	_, lean := Load(Options{SearchPaths: []string{dir}, Files: files, OmitOrigins: true})
	if full == nil {
		t.Fatal("no errors without OmitOrigins")
	}
	if lean == nil || lean.Error() != full.Error() {
		t.Errorf("errors differ with OmitOrigins:\n%v\nwithout:\n%v", lean, full)
	}
	for _, want := range []string{"e.yang:11: leafref path \"../missing\"", "e.yang:5: leafref path \"../nothing\"",
		"e.yang:15: leafref path \"../a\" of config node", "e.yang:17: leafref /e:top/c1 leads back"} {
		if full == nil || !strings.Contains(full.Error(), want) {
			t.Errorf("errors lack %q:\n%v", want, full)
		}
	}
}

// With OmitOrigins, two leaves have one leafref type exactly when their types are equal once
// resolved (typeEqual: the same paths reaching the same targets), as interning the resolved
// types would make them: the build shares a leafref type as it builds the leaves (shareLeafref,
// from where the paths are walked), the rest is interned at the end.
func TestOmitOriginsLeafrefSharing(t *testing.T) {
	dir := writeModules(t, map[string]string{"s.yang": `module s { namespace "urn:s"; prefix s;
  grouping rel { leaf a { type string; } leaf r { type leafref { path "../a"; } } }
  grouping abs { leaf ar { type leafref { path "/s:top/s:b"; } } }
  grouping both {
    leaf a { type string; }
    leaf u { type union { type leafref { path "../a"; } type leafref { path "/s:top/s:b"; } } }
  }
  container top {
    leaf b { type string; }
    container x { uses rel; uses abs; container in { uses abs; } }
    container y { uses rel; container in { uses abs; } }
    container p { uses both; leaf u2 { type union { type leafref { path "../a"; } type leafref { path "/s:top/s:b"; } } } }
    container q { uses both; }
    container c {
      leaf a { type string; }
      choice ch { leaf r { type leafref { path "../a"; } } case k { leaf r2 { type leafref { path "../a"; } } } }
      leaf r3 { type leafref { path "../a"; } }
      leaf d { type string; }
    }
    container n {
      leaf b { type string; }
      container i1 { leaf c { type string; } leaf r { type leafref { path "../c/../../b"; } } }
      container i2 { leaf c { type string; } leaf r { type leafref { path "../c/../../b"; } } }
    }
  }
  rpc op { input { leaf a { type string; } leaf r { type leafref { path "../a"; } } leaf r2 { type leafref { path "../a"; } } } }
  deviation "/s:top/s:c/s:d" { deviate replace { type leafref { path "../a"; } } }
}`})
	opts := Options{SearchPaths: []string{dir}, Files: []string{filepath.Join(dir, "s.yang")}, OmitOrigins: true}
	// Shared as built: all but n/i1/r and n/i2/r, whose paths are walked from different nodes
	// (i1, i2) to one target (n/b), and the deviated type of c/d, resolved apart.
	if built, interned := leafrefTypesBuilt(t, opts); built != interned+2 {
		t.Errorf("%d leafref types built, %d once interned: want 2 more", built, interned)
	}
	s, err := Load(opts)
	if err != nil {
		t.Fatal(err)
	}
	checkLeafrefSharing(t, s)
	typ := func(p string) *schema.Type { return s.FindNode(p).Type }
	for _, p := range [][2]string{{"/s:top/x/ar", "/s:top/x/in/ar"}, {"/s:top/x/in/ar", "/s:top/y/in/ar"},
		{"/s:top/c/r", "/s:top/c/r2"}, {"/s:top/c/r", "/s:top/c/r3"}, {"/s:top/c/r", "/s:top/c/d"},
		{"/s:top/p/u", "/s:top/p/u2"}, {"/s:top/n/i1/r", "/s:top/n/i2/r"}} {
		if typ(p[0]) != typ(p[1]) {
			t.Errorf("%s and %s reach the same targets: their types are not one", p[0], p[1])
		}
	}
	for _, p := range [][2]string{{"/s:top/x/r", "/s:top/y/r"}, {"/s:top/p/u", "/s:top/q/u"}} {
		if typ(p[0]) == typ(p[1]) {
			t.Errorf("%s and %s reach different targets: their types are one", p[0], p[1])
		}
	}
	if r := s.FindNode("/s:op/input/r"); r == nil || r.Type != s.FindNode("/s:op/input/r2").Type || r.Type.Target.Name != "a" {
		t.Errorf("rpc input leafrefs: %+v", r)
	}
}

// TestOmitOriginsLeafrefSharingOpenConfig checks the sharing on every OpenConfig module, whose
// groupings use relative leafref paths all over.
func TestOmitOriginsLeafrefSharingOpenConfig(t *testing.T) {
	files := ocFiles(t)
	opts := Options{SearchPaths: []string{filepath.Join(sharedYang, "openconfig")}, Files: files, OmitOrigins: true}
	if built, interned := leafrefTypesBuilt(t, opts); built != interned {
		t.Errorf("%d leafref types built, %d once interned: the build shares fewer", built, interned)
	}
	s, err := Load(opts)
	if err != nil {
		t.Fatal(err)
	}
	if n := checkLeafrefSharing(t, s); n < 1000 {
		t.Errorf("only %d leaves with a leafref", n)
	}
}

// checkLeafrefSharing fails unless the leaves of s with a leafref have one type exactly when
// their types are equal (typeEqual), and returns how many such leaves there are.
func checkLeafrefSharing(t *testing.T, s *schema.Schema) int {
	t.Helper()
	byPath := map[string][]*schema.Node{} // by the first leafref's path: equal types have equal ones
	var walk func(n *schema.Node)
	walk = func(n *schema.Node) {
		if n.Type != nil && hasLeafref(n.Type) {
			f := firstLeafref(n.Type)
			if f.Target == nil {
				t.Errorf("%s: leafref %q not resolved", n.Path(), f.Path)
			}
			byPath[f.Path] = append(byPath[f.Path], n)
		}
		for _, c := range n.Children {
			walk(c)
		}
	}
	for _, m := range s.Modules {
		for _, list := range [][]*schema.Node{m.Data, m.RPCs, m.Notifications} {
			for _, n := range list {
				walk(n)
			}
		}
	}
	leaves := 0
	for _, ns := range byPath {
		leaves += len(ns)
		for i, a := range ns {
			for _, b := range ns[i+1:] {
				if eq, same := typeEqual(a.Type, b.Type), a.Type == b.Type; eq != same {
					t.Errorf("%s and %s: equal types %v, one type %v", a.Path(), b.Path(), eq, same)
				}
			}
		}
	}
	return leaves
}

// leafrefTypesBuilt loads as Load does and counts the distinct types with a leafref of the
// leaves, as built (builtHook) and once interned at the end.
func leafrefTypesBuilt(t *testing.T, opts Options) (built, interned int) {
	t.Helper()
	count := func(mods []*schema.Module) int {
		types := map[*schema.Type]bool{}
		var walk func(n *schema.Node)
		walk = func(n *schema.Node) {
			if n.Type != nil && hasLeafref(n.Type) {
				types[n.Type] = true
			}
			for _, c := range n.Children {
				walk(c)
			}
		}
		for _, m := range mods {
			for _, list := range [][]*schema.Node{m.Data, m.RPCs, m.Notifications} {
				for _, n := range list {
					walk(n)
				}
			}
		}
		return len(types)
	}
	builtHook = func(l *loader) {
		var mods []*schema.Module
		for _, m := range l.modules {
			mods = append(mods, m.sm)
		}
		built = count(mods)
	}
	defer func() { builtHook = nil }()
	s, err := Load(opts)
	if err != nil {
		t.Fatal(err)
	}
	return built, count(s.Modules)
}
