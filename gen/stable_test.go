package gen

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
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

// TestStableNamesShared: under ShareGroupings every container and list keeps the name it has
// without sharing (its path name), as its struct or as an alias of the shared type, and code
// written against the path names of one module set compiles against the package of the next:
// testdata/stable's module stable alone, then beside module added (whose augments stop two
// instances of stable's groupings from being shared, leaving one grouping node with one unchanged
// instance), and stable's later release release2/stable.yang (a grouping renamed and used once
// more, a refine). The names of the shared types themselves follow their grouping and may go.
func TestStableNamesShared(t *testing.T) {
	dir := filepath.Join("testdata", "stable")
	gen := func(share bool, files ...string) map[string][]byte {
		var paths []string
		for _, f := range files {
			paths = append(paths, filepath.Join(dir, f))
		}
		s, err := yangload.Load(yangload.Options{Files: paths, SearchPaths: []string{filepath.Dir(paths[len(paths)-1])}})
		if err != nil {
			t.Fatal(err)
		}
		out, err := Generate(s, Options{Package: "stable", ShareGroupings: share})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	// The path names: the structs of stable alone, without sharing, with their fields.
	plain := gen(false, "stable.yang")
	structs := pathStructs(t, plain)
	if len(structs["Stable_Peers_Left_Address"]) == 0 || len(structs["Stable_Peers_Backup_Timers"]) == 0 {
		t.Fatalf("stable alone lacks the structs of /peers: %v", structs)
	}
	// Code using each path name, each field, and each struct field's type by its path name.
	var user strings.Builder
	user.WriteString("package stable\n\n")
	var names []string
	for n := range structs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(&user, "func _(x *%s) {\n", n)
		for _, f := range structs[n] {
			if f.typ != "" {
				fmt.Fprintf(&user, "\tvar _ %s = x.%s\n", f.typ, f.name)
			} else {
				fmt.Fprintf(&user, "\t_ = x.%s\n", f.name)
			}
		}
		user.WriteString("}\n\n")
	}
	for _, tc := range []struct {
		name  string
		files []string
		// aliased must be aliases of a shared type, ownTypes structs of their own.
		aliased, ownTypes []string
	}{
		{"stable", []string{"stable.yang"},
			[]string{"Stable_Peers_Left_Address", "Stable_Peers_Right_Address", "Stable_Peers_Left_Timers", "Stable_Peers_Backup_Timers"}, nil},
		{"stable+added", []string{"added.yang", "stable.yang"},
			[]string{"Stable_Peers_Left_Timers", "Stable_Peers_Right_Timers"},
			[]string{"Stable_Peers_Left_Address", "Stable_Peers_Right_Address", "Stable_Peers_Backup_Timers"}},
		{"release2", []string{"release2/stable.yang"},
			[]string{"Stable_Peers_Left_Address", "Stable_Peers_Spare_Address", "Stable_Peers_Left_Timers"},
			[]string{"Stable_Peers_Backup_Timers"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := gen(true, tc.files...)
			kinds := typeKinds(t, out)
			for _, n := range names {
				if kinds[n] == "" {
					t.Errorf("path name %s is not declared", n)
				}
			}
			for _, n := range tc.aliased {
				if kinds[n] != "alias" {
					t.Errorf("%s is %q, want an alias of a shared type", n, kinds[n])
				}
			}
			for _, n := range tc.ownTypes {
				if kinds[n] != "struct" {
					t.Errorf("%s is %q, want a struct of its own", n, kinds[n])
				}
			}
			dir := t.TempDir()
			initModule(t, dir, "example.com/stable")
			for name, b := range out {
				writeFile(t, filepath.Join(dir, "stable", name), string(b))
			}
			writeFile(t, filepath.Join(dir, "stable", "user.go"), user.String())
			goCmd(t, dir, true, "build", "./...")
		})
	}
}

// A structField is a field of a generated struct; typ is its Go type when it holds structs.
type structField struct{ name, typ string }

// pathStructs returns the struct types of a generated package other than Root, with their
// fields.
func pathStructs(t *testing.T, files map[string][]byte) map[string][]structField {
	t.Helper()
	out := map[string][]structField{}
	fset := token.NewFileSet()
	for name, src := range files {
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			sp, ok := n.(*ast.TypeSpec)
			if !ok || sp.Name.Name == "Root" {
				return true
			}
			st, ok := sp.Type.(*ast.StructType)
			if !ok {
				return true
			}
			fs := []structField{}
			for _, fl := range st.Fields.List {
				typ := ""
				if fieldStruct(fl.Type) != "" {
					typ = types.ExprString(fl.Type)
				}
				for _, n := range fl.Names {
					fs = append(fs, structField{n.Name, typ})
				}
			}
			out[sp.Name.Name] = fs
			return false
		})
	}
	// Keep the types of struct fields only when they are structs of the package.
	for n, fs := range out {
		for i, f := range fs {
			if f.typ != "" {
				if _, ok := out[strings.TrimLeft(f.typ, "[]*")]; !ok {
					fs[i].typ = ""
				}
			}
		}
		out[n] = fs
	}
	return out
}

// fieldStruct returns the type name under the pointers and slices of e, "" if none.
func fieldStruct(e ast.Expr) string {
	for {
		switch x := e.(type) {
		case *ast.StarExpr:
			e = x.X
		case *ast.ArrayType:
			e = x.Elt
		case *ast.Ident:
			return x.Name
		default:
			return ""
		}
	}
}

// typeKinds returns the package-level type names of a generated package: "struct", "alias" or
// "other".
func typeKinds(t *testing.T, files map[string][]byte) map[string]string {
	t.Helper()
	out := map[string]string{}
	fset := token.NewFileSet()
	for name, src := range files {
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, sp := range gd.Specs {
				ts := sp.(*ast.TypeSpec)
				switch _, isStruct := ts.Type.(*ast.StructType); {
				case ts.Assign.IsValid():
					out[ts.Name.Name] = "alias"
				case isStruct:
					out[ts.Name.Name] = "struct"
				default:
					out[ts.Name.Name] = "other"
				}
			}
		}
	}
	return out
}
