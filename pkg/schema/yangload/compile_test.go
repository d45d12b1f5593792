package yangload

import (
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ncws/ncws/pkg/schema"
)

// writeModules writes name -> text into a new temporary directory and returns it.
func writeModules(t *testing.T, mods map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range mods {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

type compileCase struct {
	name     string
	modules  map[string]string // file name -> text, in a search directory
	files    []string          // the implemented ones
	features map[string][]string
	facts    []fact
	oracle   bool // also compare the tree with yanglint's
}

var compileCases = []compileCase{
	{
		name: "refine",
		modules: map[string]string{"a.yang": `module a { yang-version 1.1; namespace "urn:a"; prefix a;
  feature f;
  grouping g {
    leaf l1 { type string; }
    leaf l2 { type string; mandatory true; }
    container c { leaf x { type int8; } }
    leaf-list ll { type int8; }
    leaf-list ll2 { type int8; }
    list li { key k; leaf k { type string; } }
    choice ch { leaf p { type string; } leaf q { type string; } }
    container st { leaf s { type string; } }
  }
  container top {
    uses g {
      refine l1 { default "d"; description "refined"; must "string-length(.) > 0" { error-message "empty"; } }
      refine l2 { mandatory false; }
      refine c { presence "enables c"; }
      refine ll { max-elements 5; default 3; }
      refine ll2 { min-elements 2; }
      refine ch { default q; }
      refine li { if-feature f; }
      refine st { config false; }
    }
  }
}`},
		files:    []string{"a.yang"},
		features: map[string][]string{"a": {}},
		oracle:   true,
		facts: []fact{
			{"/a:top/l1", func(n *schema.Node) any {
				return []any{n.Default(), n.Description(), n.Musts()[0].Expr, n.Musts()[0].ErrorMessage}
			}, []any{[]string{"d"}, "refined", "string-length(.) > 0", "empty"}},
			{"/a:top/l2", func(n *schema.Node) any { return n.Mandatory }, false},
			{"/a:top/c", func(n *schema.Node) any { return n.Presence() }, "enables c"},
			{"/a:top/ll", func(n *schema.Node) any { return []any{n.MinElements(), n.MaxElements(), n.Default()} }, []any{uint64(0), uint64(5), []string{"3"}}},
			{"/a:top/ll2", func(n *schema.Node) any { return n.MinElements() }, uint64(2)},
			{"/a:top/p", func(n *schema.Node) any { return n.Parent.Parent.DefaultCase().Name }, "q"},
			{"/a:top", func(n *schema.Node) any { return names(n.DataChildren()) }, []string{"l1", "l2", "c", "ll", "ll2", "p", "q", "st"}},
			{"/a:top/st/s", config, false},
		},
	},
	{
		name: "uses-augment and groupings across modules",
		modules: map[string]string{
			"g.yang": `module g { namespace "urn:g"; prefix g;
  identity base-id;
  grouping body {
    leaf ref { type leafref { path "../name"; } }
    leaf name { type string; }
    container inner { leaf v { type string; } must "../g:name != 'x'"; }
    choice ch { case one { leaf o { type string; } } }
    leaf kind { type identityref { base g:base-id; } }
  }
}`,
			"u.yang": `module u { namespace "urn:u"; prefix u; import g { prefix gg; }
  container top {
    uses gg:body {
      augment "inner" { leaf added { type string; } }
      augment "ch" { case two { leaf t { type string; } } }
      augment "ch/one" { leaf o2 { type int32; } }
    }
  }
}`},
		files:  []string{"u.yang"},
		oracle: true,
		facts: []fact{
			{"/u:top/name", modName, "u"},
			{"/u:top/inner/added", modName, "u"},
			{"/u:top/t", func(n *schema.Node) any { return n.Parent.Name }, "two"},
			{"/u:top/o2", func(n *schema.Node) any { return n.Parent.Name }, "one"},
			{"/u:top/ref", target, "/u:top/name"},
			{"/u:top/kind", func(n *schema.Node) any { return n.Type.Bases[0].QName() }, "g:base-id"},
			// XPath prefixes resolve with the grouping's module, unprefixed names in the using module.
			{"/u:top/inner", func(n *schema.Node) any {
				m := n.Musts()[0]
				return []string{m.Expr, m.Prefixes["g"].Name, m.Module.Name}
			}, []string{"../g:name != 'x'", "g", "u"}},
		},
	},
	{
		name: "top-level augments across modules, into choice, rpc input, notification, augment of augment",
		modules: map[string]string{
			"base.yang": `module base { yang-version 1.1; namespace "urn:base"; prefix b;
  container c { choice ch { leaf x { type string; } } }
  rpc doit { input { leaf in1 { type string; } } }
  notification ev { leaf e1 { type string; } }
}`,
			"z-aug2.yang": `module z-aug2 { yang-version 1.1; namespace "urn:aug2"; prefix a2; import a-aug1 { prefix a1; } import base { prefix b; }
  augment "/b:c/a1:more" { leaf deeper { type string; } }
}`,
			"a-aug1.yang": `module a-aug1 { yang-version 1.1; namespace "urn:aug1"; prefix a1; import base { prefix b; }
  augment "/b:c" { when "b:x = 'on'"; container more { leaf m { type string; } } }
  augment "/b:c/b:ch" { leaf y { type string; } case z { leaf z1 { type string; } } }
  augment "/b:doit/b:input" { leaf in2 { type int8; } }
  augment "/b:doit/b:output" { leaf out1 { type int8; } }
  augment "/b:ev" { leaf e2 { type string; } }
}`},
		files:  []string{"z-aug2.yang", "a-aug1.yang", "base.yang"},
		oracle: true,
		facts: []fact{
			{"/base:c/a-aug1:more", func(n *schema.Node) any {
				w := n.Whens()[0]
				return []any{w.Expr, w.Self, w.Origin, w.Module.Name}
			}, []any{"b:x = 'on'", false, "augment", "a-aug1"}},
			{"/base:c/a-aug1:more/z-aug2:deeper", modName, "z-aug2"},
			{"/base:c/a-aug1:y", func(n *schema.Node) any { return []string{n.Parent.Kind.String(), n.Parent.Name} }, []string{"case", "y"}},
			{"/base:c/a-aug1:z1", func(n *schema.Node) any { return n.Parent.Name }, "z"},
			{"/base:doit/input", children, []string{"in1", "in2"}},
			{"/base:doit/output/a-aug1:out1", config, false},
			{"/base:ev", children, []string{"e1", "e2"}},
		},
	},
	{
		name: "deviations",
		modules: map[string]string{
			"t.yang": `module t { yang-version 1.1; namespace "urn:t"; prefix t;
  container c {
    leaf gone { type string; }
    leaf a { type string; }
    leaf b { type string; default "x"; units "s"; must "1 = 1"; }
    leaf m { type int8; }
    list l { key k; leaf k { type string; } leaf v { type string; } leaf w { type string; } unique "v"; max-elements 3; }
    leaf-list ll { type string; default "p"; default "q"; }
  }
}`,
			"d.yang": `module d { yang-version 1.1; namespace "urn:d"; prefix d; import t { prefix t; }
  deviation "/t:c/t:gone" { deviate not-supported; }
  deviation "/t:c/t:a" { deviate add { default "new"; must "string-length(.) < 9"; units "ms"; } }
  deviation "/t:c/t:b" { deviate delete { default "x"; units "s"; must "1 = 1"; } }
  deviation "/t:c/t:m" { deviate replace { type uint16 { range "1..9"; } } deviate add { mandatory true; config false; } }
  deviation "/t:c/t:l" { deviate add { unique "w"; } deviate replace { max-elements 7; } deviate delete { unique "v"; } }
  deviation "/t:c/t:ll" { deviate delete { default "p"; } }
}`},
		files: []string{"t.yang", "d.yang"},
		// yanglint's tree printer shows a deviated type as it was before the deviation.
		facts: []fact{
			{"/t:c", children, []string{"a", "b", "m", "l", "ll"}},
			{"/t:c/a", func(n *schema.Node) any {
				return []any{n.Default(), n.Musts()[0].Expr, n.Musts()[0].Prefixes["t"].Name, n.Units()}
			},
				[]any{[]string{"new"}, "string-length(.) < 9", "t", "ms"}},
			{"/t:c/b", func(n *schema.Node) any { return []any{len(n.Default()), len(n.Musts()), n.Units()} }, []any{0, 0, ""}},
			{"/t:c/m", func(n *schema.Node) any { return []any{n.Type.Base.String(), n.Config, n.Mandatory} }, []any{"uint16", false, true}},
			{"/t:c/l", func(n *schema.Node) any { return []any{n.MaxElements(), len(n.Unique()), n.Unique()[0].Paths} }, []any{uint64(7), 1, []string{"w"}}},
			{"/t:c/ll", dflt, []string{"q"}},
		},
	},
	{
		name: "if-feature expressions with a feature restriction",
		modules: map[string]string{"f.yang": `module f { yang-version 1.1; namespace "urn:f"; prefix f;
  feature a; feature b; feature c;
  feature d { if-feature "a and c"; }
  identity base; identity i1 { base base; if-feature b; } identity i2 { base base; }
  identity i3 { base i1; }
  container top {
    leaf ab { if-feature "a and b"; type string; }
    leaf a-or-not-b { if-feature "a or not b"; type string; }
    leaf paren { if-feature "(a or b) and not c"; type string; }
    leaf both { if-feature a; if-feature c; type string; }
    leaf dd { if-feature d; type string; }
    leaf e { type enumeration { enum x; enum y { if-feature b; } enum z; } }
    leaf bt { type bits { bit p; bit q { if-feature "not a"; } } }
    choice ch { case c1 { if-feature b; leaf c1 { type string; } } case c2 { leaf c2 { type string; } } }
  }
}`},
		files:    []string{"f.yang"},
		features: map[string][]string{"f": {"a"}},
		oracle:   true,
		facts: []fact{
			{"/f:top", func(n *schema.Node) any { return names(n.DataChildren()) }, []string{"a-or-not-b", "paren", "e", "bt", "c2"}},
			{"/f:top/e", func(n *schema.Node) any { return n.Type.Enums }, []schema.Enum{{Name: "x", Value: 0}, {Name: "z", Value: 2}}},
			{"/f:top/bt", func(n *schema.Node) any { return n.Type.Bits }, []schema.Bit{{Name: "p", Position: 0}}},
		},
	},
	{
		name: "choice shorthand, default case, config inheritance, nested operations",
		modules: map[string]string{"c.yang": `module c { yang-version 1.1; namespace "urn:c"; prefix c;
  container top {
    choice ch {
      default short;
      leaf short { type string; default "s"; }
      container box { leaf b { type string; } }
      case full { leaf f1 { type string; } leaf f2 { type string; } }
    }
    container state { config false; leaf s { type string; } list entries { leaf v { type string; } } }
    list items {
      key id; ordered-by user;
      leaf id { type string; }
      action reset { input { leaf how { type string; } } output { leaf done { type boolean; } } }
      notification changed { leaf what { type string; } }
    }
  }
  rpc ping;
}`},
		files:  []string{"c.yang"},
		oracle: true,
		facts: []fact{
			{"/c:top/short", func(n *schema.Node) any {
				return []any{n.Parent.Kind.String(), n.Parent.Name, n.Parent.Parent.DefaultCase() == n.Parent}
			}, []any{"case", "short", true}},
			{"/c:top/box/b", func(n *schema.Node) any { return n.Parent.Parent.Kind.String() }, "case"},
			{"/c:top/state/entries/v", config, false},
			{"/c:top/state/entries", keys, []string(nil)},
			{"/c:top/items", func(n *schema.Node) any { return n.OrderedByUser }, true},
			{"/c:top/items/reset/input/how", config, false},
			{"/c:top/items/reset/output/done", config, false},
			{"/c:top/items/changed/what", func(n *schema.Node) any { return []any{n.Config, n.Parent.Kind.String()} }, []any{false, "notification"}},
			{"/c:ping", children, []string{"input", "output"}},
			{"/c:ping/output", kind, "output"},
		},
	},
	{
		name: "identities with several bases across modules",
		modules: map[string]string{
			"ia.yang": `module ia { yang-version 1.1; namespace "urn:ia"; prefix ia; identity animal; identity pet; }`,
			"ib.yang": `module ib { yang-version 1.1; namespace "urn:ib"; prefix ib; import ia { prefix ia; }
  identity dog { base ia:animal; base ia:pet; }
  identity puppy { base dog; }
  leaf l { type identityref { base ia:animal; base ia:pet; } }
}`},
		files:  []string{"ib.yang"},
		oracle: true,
		facts: []fact{
			{"/ib:l", func(n *schema.Node) any {
				var out []string
				for _, b := range n.Type.Bases {
					out = append(out, b.QName())
					for _, d := range b.Derived {
						out = append(out, "  "+d.QName())
					}
				}
				return out
			}, []string{"ia:animal", "  ib:dog", "  ib:puppy", "ia:pet", "  ib:dog", "  ib:puppy"}},
		},
	},
	{
		name: "submodule include with its own imports",
		modules: map[string]string{
			"types.yang": `module types { namespace "urn:types"; prefix ty; typedef name { type string { length "1..8"; } } }`,
			"main.yang": `module main { yang-version 1.1; namespace "urn:main"; prefix m; include sub;
  container top { uses shared; leaf own { type local; } }
}`,
			"sub.yang": `submodule sub { yang-version 1.1; belongs-to main { prefix mm; } import types { prefix t; }
  typedef local { type t:name; }
  grouping shared { leaf s { type t:name; } leaf r { type leafref { path "/mm:top/mm:own"; } } }
  augment "/mm:top" { leaf from-sub { type string; } }
}`},
		files:  []string{"main.yang"},
		oracle: true,
		facts: []fact{
			{"/main:top", children, []string{"s", "r", "own", "from-sub"}},
			{"/main:top/own", func(n *schema.Node) any { return []any{n.Type.Typedef, n.Type.Length[0].Max.String()} }, []any{"local", "8"}},
			{"/main:top/r", target, "/main:top/own"},
			{"/main:top/from-sub", modName, "main"},
		},
	},
	{
		name: "import by revision",
		modules: map[string]string{
			"old/lib@2020-01-01.yang": `module lib { namespace "urn:lib"; prefix l; revision 2020-01-01; typedef t { type int8; } }`,
			"new/lib@2021-01-01.yang": `module lib { namespace "urn:lib"; prefix l; revision 2021-01-01; revision 2020-01-01; typedef t { type int16; } }`,
			"pin.yang":                `module pin { namespace "urn:pin"; prefix p; import lib { prefix l; revision-date 2020-01-01; } leaf x { type l:t; } }`,
			"any.yang":                `module any { namespace "urn:any"; prefix a; import lib { prefix l; } leaf y { type l:t; } }`,
		},
		files: []string{"pin.yang", "any.yang"},
		facts: []fact{
			{"/pin:x", func(n *schema.Node) any { return n.Type.Base.String() }, "int8"},
			{"/any:y", func(n *schema.Node) any { return n.Type.Base.String() }, "int16"},
		},
	},
	{
		name: "explicit file wins over a newer revision on the path",
		modules: map[string]string{
			"new/lib@2021-01-01.yang": `module lib { namespace "urn:lib"; prefix l; revision 2021-01-01; typedef t { type int16; } }`,
			"lib.yang":                `module lib { namespace "urn:lib"; prefix l; revision 2019-01-01; typedef t { type int8; } }`,
			"any.yang":                `module any { namespace "urn:any"; prefix a; import lib { prefix l; } leaf y { type l:t; } }`,
		},
		files: []string{"any.yang", "lib.yang"},
		facts: []fact{{"/any:y", func(n *schema.Node) any { return n.Type.Base.String() }, "int8"}},
	},
	{
		name: "typedef chain restrictions accumulate",
		modules: map[string]string{"td.yang": `module td { yang-version 1.1; namespace "urn:td"; prefix td;
  typedef t1 { type int32 { range "0..100" { error-message "out of 0..100"; } } default 5; units seconds; }
  typedef t2 { type t1 { range "1..50"; } }
  typedef s1 { type string { length "1..10"; pattern "[a-z]*" { error-app-tag lower; } } default "abc"; }
  typedef s2 { type s1 { pattern "a.*"; } }
  typedef d1 { type decimal64 { fraction-digits 3; range "-1.5..1.5"; } }
  container top {
    typedef local { type t2 { range "min..20 | 30..max"; } }
    leaf x { type local; }
    leaf s { type s2 { length "2..5"; } }
    leaf d { type d1 { range "0..max"; } }
    leaf kept { type t1; default 7; }
  }
}`},
		files:  []string{"td.yang"},
		oracle: true,
		facts: []fact{
			{"/td:top/x", func(n *schema.Node) any {
				var r []string
				for _, iv := range n.Type.Range {
					r = append(r, iv.Min.String()+".."+iv.Max.String())
				}
				return []any{r, n.Type.RangeError.ErrorMessage, n.Default(), n.Units(), n.Type.Typedef, n.Type.Base.String()}
			}, []any{[]string{"1..20", "30..50"}, "", []string{"5"}, "seconds", "local", "int32"}},
			{"/td:top/s", func(n *schema.Node) any {
				var p []string
				for _, pt := range n.Type.Patterns {
					p = append(p, pt.Expr+"|"+pt.ErrorAppTag)
				}
				return []any{p, n.Type.Length[0].Min.String() + ".." + n.Type.Length[0].Max.String(), n.Default()}
			}, []any{[]string{"[a-z]*|lower", "a.*|"}, "2..5", []string{"abc"}}},
			{"/td:top/d", func(n *schema.Node) any {
				return []any{n.Type.FractionDigits, n.Type.Range[0].Min.String(), n.Type.Range[0].Max.String()}
			},
				[]any{3, "0", "1500"}},
			{"/td:top/kept", dflt, []string{"7"}},
		},
	},
	{
		name: "leafref chains, predicates and require-instance",
		modules: map[string]string{"lr.yang": `module lr { yang-version 1.1; namespace "urn:lr"; prefix lr;
  typedef if-ref { type leafref { path "/lr:ifs/lr:if/lr:name"; } }
  container ifs { list if { key name; leaf name { type string; } leaf mtu { type uint16; } } }
  container use {
    leaf ifname { type if-ref; }
    leaf again { type leafref { path "../ifname"; } }
    leaf mtu { type leafref { path "/ifs/if[name = current()/../ifname]/mtu"; } }
    leaf loose { type leafref { path "/lr:ifs/lr:if/lr:mtu"; require-instance false; } }
    leaf either { type union { type if-ref; type uint8; } }
  }
}`},
		files:  []string{"lr.yang"},
		oracle: true,
		facts: []fact{
			{"/lr:use/ifname", target, "/lr:ifs/if/name"},
			{"/lr:use/again", func(n *schema.Node) any { return []string{n.Type.Target.Path(), n.Type.Target.Type.Target.Path()} },
				[]string{"/lr:use/ifname", "/lr:ifs/if/name"}},
			{"/lr:use/mtu", target, "/lr:ifs/if/mtu"},
			{"/lr:use/loose", func(n *schema.Node) any { return n.Type.RequireInstance }, false},
			{"/lr:use/either", func(n *schema.Node) any { return n.Type.Union[0].Target.Path() }, "/lr:ifs/if/name"},
		},
	},
	{
		name: "grouping origins and amended instances",
		modules: map[string]string{"go.yang": `module go { yang-version 1.1; namespace "urn:go"; prefix go;
  import gx { prefix gx; }
  grouping inner { list item { key k; leaf k { type string; } } }
  grouping outer {
    container box { choice c { case a { container deep { uses inner; } } } leaf size { type uint8; } }
    uses inner;
  }
  container one { uses outer; }
  container two { uses outer { refine "box/size" { default 3; } } }
  container three {
    grouping local { container here { leaf x { type string; } } }
    uses local;
    uses gx:far;
  }
  augment "/go:one/go:box" { leaf extra { type string; } }
}`, "gx.yang": `module gx { yang-version 1.1; namespace "urn:gx"; prefix gx;
  grouping far { container away { leaf y { type string; } } }
}`},
		files: []string{"go.yang"},
		facts: []fact{
			{"/go:one", origin, "  "},
			{"/go:one/box", origin, "go:outer/box amended "},
			{"/go:one/box/deep", origin, "go:outer/box/deep  "},
			{"/go:one/box/deep/item", origin, "go:inner/item  "},
			{"/go:one/item/k", origin, "go:inner/item/k  "},
			{"/go:one/box/extra", origin, "  "},
			{"/go:two/box", origin, "go:outer/box  "},
			{"/go:two/box/size", origin, "go:outer/box/size amended "},
			{"/go:three/here", origin, "go:local#11/here  "},
			{"/go:three/away", origin, "gx:far/away  "},
		},
	},
	{
		name: "when origins",
		modules: map[string]string{"w.yang": `module w { yang-version 1.1; namespace "urn:w"; prefix w;
  grouping g { leaf a { type string; } container b { leaf c { type string; } } }
  container top {
    leaf flag { type boolean; }
    uses g { when "flag = 'true'"; }
    choice ch { when "flag"; case one { when "../flag = 'false'"; leaf one { type string; } } }
    leaf self { when "../flag"; type string; }
  }
  augment "/w:top/w:b" { when "c = 'z'"; leaf d { type string; } }
}`},
		files:  []string{"w.yang"},
		oracle: true,
		facts: []fact{
			{"/w:top/a", func(n *schema.Node) any { return whenList(n) }, []string{"flag = 'true' uses self=false"}},
			{"/w:top/b", func(n *schema.Node) any { return whenList(n) }, []string{"flag = 'true' uses self=false"}},
			{"/w:top/b/c", func(n *schema.Node) any { return whenList(n) }, []string(nil)},
			{"/w:top/one", func(n *schema.Node) any { return []any{whenList(n.Parent), whenList(n.Parent.Parent)} },
				[]any{[]string{"../flag = 'false' case self=false"}, []string{"flag choice self=false"}}},
			{"/w:top/self", func(n *schema.Node) any { return whenList(n) }, []string{"../flag node self=true"}},
			{"/w:top/b/d", func(n *schema.Node) any { return whenList(n) }, []string{"c = 'z' augment self=false"}},
		},
	},
}

// origin shows a node's Grouping and Amended.
func origin(n *schema.Node) any {
	a := ""
	if n.Amended {
		a = "amended"
	}
	return n.Grouping() + " " + a + " "
}

func whenList(n *schema.Node) []string {
	var out []string
	for _, w := range n.Whens() {
		s := "self=false"
		if w.Self {
			s = "self=true"
		}
		out = append(out, w.Expr+" "+w.Origin+" "+s)
	}
	return out
}

func TestCompile(t *testing.T) {
	_, lintErr := exec.LookPath("yanglint")
	for _, tc := range compileCases {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeModules(t, tc.modules)
			var files []string
			for _, f := range tc.files {
				files = append(files, filepath.Join(dir, f))
			}
			s, err := Load(Options{SearchPaths: []string{dir}, Files: files, Features: tc.features})
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			for _, f := range tc.facts {
				n := lookup(s, f.path)
				if n == nil {
					t.Errorf("%s: not found", f.path)
					continue
				}
				got := f.check(n)
				if f.want == nil {
					continue // computed only for its side effects on the lookup
				}
				if d := cmp.Diff(f.want, got); d != "" {
					t.Errorf("%s: mismatch (-want +got):\n%s", f.path, d)
				}
			}
			if tc.oracle && lintErr == nil {
				args := []string{"-p", dir}
				var mods []string
				for m := range tc.features {
					mods = append(mods, m)
				}
				sort.Strings(mods)
				for _, m := range mods {
					args = append(args, "-F", m+":"+strings.Join(tc.features[m], ","))
				}
				compareWithYanglint(t, s, append(args, files...))
			}
		})
	}
}
