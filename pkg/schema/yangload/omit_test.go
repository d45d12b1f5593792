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
			if (x.Type == nil) != (y.Type == nil) || x.Type != nil && (x.Type.Base != y.Type.Base ||
				x.Type.Name != y.Type.Name || len(x.Type.Patterns) != len(y.Type.Patterns) ||
				len(x.Type.Enums) != len(y.Type.Enums)) {
				t.Errorf("%s: type differs with OmitOrigins", x.Path())
			}
			walk(x.Children, y.Children)
		}
	}
	walk(full.Module("o").Data, lean.Module("o").Data)
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
