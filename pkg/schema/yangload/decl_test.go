package yangload

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/ncws/ncws/pkg/schema"
)

// The nodes one statement builds (one per use of its grouping) share their Decl when they hold
// the same: also after a refine in one use (that use's differs), with the type's default and
// units added to a leaf (typeDefaults), for the implicit case of a shorthand and an action's
// implicit input; the interning map holds only what is built more than once.
func TestDeclSharing(t *testing.T) {
	dir := writeModules(t, map[string]string{"d.yang": `module d { yang-version 1.1; namespace "urn:d"; prefix d;
  typedef pct { type uint8; default 5; units percent; }
  grouping once { leaf solo { type string; } }
  grouping inner { leaf i { type string; } }
  grouping g {
    leaf a { type string; description "A"; }
    leaf p { type d:pct; }
    choice ch { leaf s { type string; } }
    container c { uses inner; }
    action go;
  }
  container x { uses g; uses once; }
  container y { uses g { refine a { description "refined"; } } }
  container z { uses g; uses inner; }
}`})
	opts := Options{SearchPaths: []string{dir}, Files: []string{filepath.Join(dir, "d.yang")}}
	s, err := Load(opts)
	if err != nil {
		t.Fatal(err)
	}
	decl := func(p string) *schema.Decl { // p: "/d:top/child/..." by the nodes' own names
		t.Helper()
		var n *schema.Node
		kids := s.Module("d").Data
		for _, step := range strings.Split(strings.TrimPrefix(p, "/d:"), "/") {
			n = nil
			for _, c := range kids {
				if c.Name == step {
					n = c
				}
			}
			if n == nil {
				t.Fatalf("%s not found", p)
			}
			kids = n.Children
		}
		return n.Decl
	}
	for _, p := range []string{"p", "ch", "ch/s", "ch/s/s", "c", "c/i", "go", "go/input", "go/output"} {
		if x, z := decl("/d:x/"+p), decl("/d:z/"+p); x != z {
			t.Errorf("x/%s and z/%s: one statement, equal Decls, not one", p, p)
		}
	}
	if decl("/d:x/a") != decl("/d:z/a") || decl("/d:x/a") == decl("/d:y/a") {
		t.Errorf("a: the refined use must have its own Decl, the others one")
	}
	if d := decl("/d:y/a"); d.Description() != "refined" {
		t.Errorf("y/a description %q", d.Description())
	}
	if d := decl("/d:z/p"); len(d.Default()) != 1 || d.Default()[0] != "5" || d.Units() != "percent" {
		t.Errorf("z/p: default %q units %q, want the type's", d.Default(), d.Units())
	}
	if decl("/d:z/i") != decl("/d:x/c/i") {
		t.Errorf("inner's i: used at z and in g's c, Decls not one")
	}

	// Built once, the nodes of grouping once and of the module's own containers are not interned.
	var interned int
	builtHook = func(l *loader) {
		for k, d := range l.decls {
			if d.Name == "solo" || d.Name == "x" || d.Name == "y" || d.Name == "z" {
				t.Errorf("%s (line %d) interned: built once", d.Name, k.Line())
			}
		}
		interned = len(l.decls)
	}
	defer func() { builtHook = nil }()
	if _, err := Load(opts); err != nil {
		t.Fatal(err)
	}
	if interned == 0 {
		t.Error("nothing interned")
	}
}
