package gen

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/ncws/ncws/pkg/schema/yangload"
)

// declarations returns the package-level names of a generated package (types, constants,
// variables, functions, and methods as Type.Method) with their doc comments, and each
// struct's fields as Type.Field with theirs: what code using the package refers to.
func declarations(t *testing.T, files map[string][]byte) map[string]string {
	t.Helper()
	out := map[string]string{}
	fset := token.NewFileSet()
	for name, src := range files {
		f, err := parser.ParseFile(fset, name, src, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				key := d.Name.Name
				if d.Recv != nil {
					rt := d.Recv.List[0].Type
					if s, ok := rt.(*ast.StarExpr); ok {
						rt = s.X
					}
					key = rt.(*ast.Ident).Name + "." + key
				}
				out[key] = d.Doc.Text()
			case *ast.GenDecl:
				for _, sp := range d.Specs {
					switch sp := sp.(type) {
					case *ast.TypeSpec:
						doc := sp.Doc
						if doc == nil {
							doc = d.Doc
						}
						out[sp.Name.Name] = doc.Text()
						if st, ok := sp.Type.(*ast.StructType); ok {
							for _, fl := range st.Fields.List {
								for _, n := range fl.Names {
									out[sp.Name.Name+"."+n.Name] = fl.Doc.Text()
								}
							}
						}
					case *ast.ValueSpec:
						for _, n := range sp.Names {
							out[n.Name] = sp.Doc.Text() + sp.Comment.Text()
						}
					}
				}
			}
		}
	}
	return out
}

// TestStableNames generates testdata/stable's module stable alone and then beside module
// added, which reuses every name of stable in every place a name can clash and sorts first:
// each type, constant, function and method of the first package, and each field of its
// structs other than Root's, keeps its name and its doc (which names its schema path) in the
// second. Root's fields are the documented exception of rule 4 (a top-level node of another
// module with the same name qualifies both), asserted here too.
func TestStableNames(t *testing.T) {
	dir := filepath.Join("testdata", "stable")
	gen := func(files ...string) map[string]string {
		var paths []string
		for _, f := range files {
			paths = append(paths, filepath.Join(dir, f))
		}
		s, err := yangload.Load(yangload.Options{Files: paths, SearchPaths: []string{dir}})
		if err != nil {
			t.Fatal(err)
		}
		out, err := Generate(s, Options{Package: "stable"})
		if err != nil {
			t.Fatal(err)
		}
		for n := range out {
			if strings.HasSuffix(n, "_yang.go") || strings.HasPrefix(n, "schema") {
				delete(out, n) // the embedded schema changes with the set, by design
			}
		}
		return declarations(t, out)
	}
	before := gen("stable.yang")
	after := gen("added.yang", "stable.yang")
	var names []string
	for n := range before {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if strings.HasPrefix(n, "Root.") {
			continue
		}
		doc, ok := after[n]
		if !ok {
			t.Errorf("%s is gone once module added is loaded", n)
			continue
		}
		if doc != before[n] {
			t.Errorf("%s changed its doc once module added is loaded (-before +after):\n-%s\n+%s", n, before[n], doc)
		}
	}
	// The added module's nodes did take every name stable's could have lost.
	for _, n := range []string{
		"Stable_System", "Added_System", "Added_Item",
		"Stable_Top_Item", "Stable_Top__Added_Item", "Stable_Top_Entry_Item", "Stable_Top_Entry__Added_Item",
		"Stable_Top.Item", "Stable_Top.Added_Item", "Stable_Top.Entry", "Stable_Top.Added_Entry",
		"Stable_Level", "Added_Level", "Stable_Top_Item_Mode",
		"Stable_LinkType_Ethernet", "Stable_LinkType_Added_Ethernet",
		"Root.Stable_System", "Root.Added_System", "Root.Top", "Root.Item",
	} {
		if _, ok := after[n]; !ok {
			t.Errorf("with module added, the package lacks %s", n)
		}
	}
	if _, ok := before["Root.System"]; !ok {
		t.Errorf("module stable alone: Root lacks field System")
	}
}

// TestPaths: Options.Paths keeps the subtree at /stable:top/entry (with what module added
// augments into it) and its ancestor /stable:top holding only the field leading to it; the
// names are those of the whole package.
func TestPaths(t *testing.T) {
	dir := filepath.Join("testdata", "stable")
	s, err := yangload.Load(yangload.Options{Files: []string{filepath.Join(dir, "added.yang"), filepath.Join(dir, "stable.yang")}, SearchPaths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	whole, err := Generate(s, Options{Package: "stable"})
	if err != nil {
		t.Fatal(err)
	}
	part, err := Generate(s, Options{Package: "stable", Paths: []string{"/stable:top/entry"}})
	if err != nil {
		t.Fatal(err)
	}
	all, got := declarations(t, whole), declarations(t, part)
	var names []string
	for n := range got {
		if strings.HasPrefix(n, "Stable_") || strings.HasPrefix(n, "Added_") || strings.HasPrefix(n, "Root.") {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	want := []string{
		"Root.FromTree", "Root.ToTree", "Root.Top",
		"Stable_Top", "Stable_Top.AppendEntry", "Stable_Top.Entry", "Stable_Top.FromTree", "Stable_Top.GetEntry",
		"Stable_Top.NewEntry", "Stable_Top.ToTree",
		"Stable_Top_Entry", "Stable_Top_Entry.FromTree", "Stable_Top_Entry.Item", "Stable_Top_Entry.Name",
		"Stable_Top_Entry.ToTree", "Stable_Top_Entry__Added_Item", "Stable_Top_Entry__Added_Item.Colour",
		"Stable_Top_Entry__Added_Item.FromTree", "Stable_Top_Entry__Added_Item.ToTree", "Stable_Top_Entry.Added_Item",
		"Stable_Top_Entry_Item", "Stable_Top_Entry_Item.FromTree", "Stable_Top_Entry_Item.ToTree", "Stable_Top_Entry_Item.Weight",
	}
	sort.Strings(want)
	if diff := cmpDiff(want, names); diff != "" {
		t.Errorf("declarations mismatch (-want +got):\n%s", diff)
	}
	for _, n := range names {
		if _, ok := all[n]; !ok {
			t.Errorf("%s is not a name of the whole package", n)
		}
	}

	for _, tt := range []struct{ path, want string }{
		{"/stable:nope", `gen: path "/stable:nope": no node "stable:nope" under the top level`},
		{"/st:top/entry/nope", `gen: path "/st:top/entry/nope": no node "nope" under /stable:top/entry`},
		{"stable:top", `gen: path "stable:top": want /[module:]name, then more /[module:]name steps`},
	} {
		_, err := Generate(s, Options{Package: "stable", Paths: []string{tt.path}})
		if err == nil {
			t.Errorf("Paths %q: no error", tt.path)
			continue
		}
		if diff := cmpDiff(tt.want, err.Error()); diff != "" {
			t.Errorf("Paths %q: error mismatch (-want +got):\n%s", tt.path, diff)
		}
	}
	if _, err := Generate(s, Options{Package: "stable", Paths: []string{"/stable:top/added:item"}}); err != nil {
		t.Errorf("a qualified step: %v", err)
	}
}
