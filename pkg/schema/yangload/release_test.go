package yangload

import (
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"weak"

	"github.com/google/go-cmp/cmp"
	"github.com/ncws/ncws/pkg/schema"
)

// releaseModules is a module in SR OS's shape: submodules that each define groupings the main
// module's container uses, one of them also from another submodule's grouping, one twice, one
// nested; a submodule's typedef used by the main module after that submodule is let go; lists
// whose keys, uniques, config, min/max and defaults are resolved after the build, errors among
// them when bad is set.
func releaseModules(bad bool) map[string]string {
	key, minElements := "name", "1"
	if bad {
		key, minElements = "nosuch", "3"
	}
	return map[string]string{
		"m.yang": `module m {
  yang-version 1.1;
  namespace "urn:m";
  prefix m;
  include m-a;
  include m-b;
  include m-c;
  include m-t;
  container top {
    uses g-a;
    uses g-b;
    container again { uses g-shared; }
    leaf typed { type t-size; }
  }
  augment "/m:top/m:again" { uses g-late; }
}`,
		"m-a.yang": `submodule m-a {
  yang-version 1.1;
  belongs-to m { prefix m; }
  include m-c;
  grouping g-a {
    grouping g-nested {
      leaf n { type string; }
    }
    list la {
      key "` + key + `";
      unique "val";
      leaf name { type string; }
      leaf val { type int8; default 3; }
      uses g-nested;
    }
    uses g-shared;
  }
}`,
		"m-b.yang": `submodule m-b {
  yang-version 1.1;
  belongs-to m { prefix m; }
  include m-t;
  grouping g-b {
    container cb {
      config false;
      list lb { key "k"; leaf k { type t-size; } }
      leaf-list ll { type string; min-elements ` + minElements + `; max-elements 2; }
    }
    choice ch { default "c1"; case c1 { leaf x { type string; } } case c2 { leaf y { type string; } } }
  }
}`,
		"m-c.yang": `submodule m-c {
  yang-version 1.1;
  belongs-to m { prefix m; }
  grouping g-shared { leaf s { type string; } }
  grouping g-late { leaf late { type string; } }
  grouping g-unused { leaf u { type string; } }
}`,
		"m-t.yang": `submodule m-t {
  yang-version 1.1;
  belongs-to m { prefix m; }
  typedef t-size { type t-base { range "1..100"; } default 10; }
  typedef t-base { type uint16; }
  typedef t-unused { type string { length "1..8"; } }
}`,
	}
}

// describe prints what a schema holds that the passes after the build compute (and the nodes
// themselves), for comparing two loads.
func describe(s *schema.Schema) string {
	var b strings.Builder
	var walk func(n *schema.Node)
	walk = func(n *schema.Node) {
		fmt.Fprintf(&b, "%s %s %v config=%v mandatory=%v default=%q units=%q", n.Path(), n.Kind, n.Loc, n.Config,
			n.Mandatory, n.Default(), n.Units())
		for _, k := range n.Keys() {
			fmt.Fprintf(&b, " key=%s", k.Name)
		}
		for _, u := range n.Unique() {
			fmt.Fprintf(&b, " unique=%q@%v", u.Paths, u.Loc)
		}
		if d := n.DefaultCase(); d != nil {
			fmt.Fprintf(&b, " defaultcase=%s", d.Name)
		}
		if t := n.Type; t != nil {
			fmt.Fprintf(&b, " type=%s/%s range=%v default=%q", t.Name, t.Base, t.Range, t.Default)
		}
		b.WriteByte('\n')
		for _, c := range n.Children {
			walk(c)
		}
	}
	for _, m := range s.Modules {
		fmt.Fprintf(&b, "module %s implemented=%v submodules=%q\n", m.Name, m.Implemented, m.Submodules)
		for _, n := range m.Data {
			walk(n)
		}
	}
	return b.String()
}

// loadKeeping loads as Load did before statements were let go: every statement kept.
func loadKeeping(opts Options) (*schema.Schema, error) {
	l := newLoader(opts)
	s, err := l.run(func(l *loader) {
		for _, f := range opts.Files {
			l.loadFile(f)
		}
	})
	l.flushWarnings()
	return s, err
}

// A load lets the statements of each submodule go during the build, as soon as its groupings
// are expanded for the last time (they are collected then), and the schema and errors are those
// of a load that keeps every statement.
func TestReleaseStatements(t *testing.T) {
	dir := writeModules(t, releaseModules(false))
	roots := map[string]weak.Pointer[stmt]{}
	var released []string
	var collected map[string]bool
	parsedHook = func(f string, st *stmt) { roots[filepath.Base(f)] = weak.Make(st) }
	releaseHook = func(f string) {
		released = append(released, filepath.Base(f))
		if filepath.Base(f) == "m.yang" { // the main module is built last
			runtime.GC()
			collected = map[string]bool{}
			for name, wp := range roots {
				collected[name] = wp.Value() == nil
			}
		}
	}
	restarts := 0
	restartHook = func() { restarts++ }
	defer func() { parsedHook, releaseHook, restartHook = nil, nil, nil }()

	for _, omit := range []bool{false, true} {
		released, collected, restarts = nil, nil, 0
		opts := Options{SearchPaths: []string{dir}, Files: []string{filepath.Join(dir, "m.yang")},
			OmitOrigins: omit, OmitDocs: omit}
		s, err := Load(opts)
		if err != nil {
			t.Fatal(err)
		}
		if restarts != 0 {
			t.Errorf("omit %v: the load was done again %d times", omit, restarts)
		}
		// m-t holds only a typedef: copied out, its file goes before the build. m-c's groupings
		// go once g-shared's two uses and g-late's augment are done, the main module's last.
		want := []string{"m-t.yang", "m-a.yang", "m-b.yang", "m-c.yang", "m.yang"}
		if !slices.Equal(released, want) {
			t.Errorf("omit %v: files let go in the order %q, want %q", omit, released, want)
		}
		for _, f := range want[:4] {
			if !collected[f] {
				t.Errorf("omit %v: %s's statements not collected once the main module's were let go", omit, f)
			}
		}
		kept, err := loadKeeping(opts)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(describe(kept), describe(s)); diff != "" {
			t.Errorf("omit %v: schema mismatch (-kept +released):\n%s", omit, diff)
		}
		if !strings.Contains(describe(s), "/m:top/la list") || !strings.Contains(describe(s), "defaultcase=c1") {
			t.Errorf("omit %v: the schema lacks the groupings' nodes:\n%s", omit, describe(s))
		}
	}
}

// The errors found after the build in a grouping's statements (keys, min/max, config) keep
// their files and lines once the statements are let go.
func TestReleaseErrors(t *testing.T) {
	dir := writeModules(t, releaseModules(true))
	opts := Options{SearchPaths: []string{dir}, Files: []string{filepath.Join(dir, "m.yang")}}
	_, err := Load(opts)
	_, kept := loadKeeping(opts)
	if err == nil || kept == nil {
		t.Fatalf("errors %v, kept %v: want both", err, kept)
	}
	want := []string{
		filepath.Join(dir, "m-a.yang") + ":10: list la: key nosuch is not a child leaf",
		filepath.Join(dir, "m-b.yang") + ":9: leaf-list ll: min-elements 3 exceeds max-elements 2",
	}
	if diff := cmp.Diff(want, strings.Split(err.Error(), "\n")); diff != "" {
		t.Errorf("errors mismatch (-want +got):\n%s", diff)
	}
	if err.Error() != kept.Error() {
		t.Errorf("errors %q, the load keeping the statements %q", err, kept)
	}
}

// A leafref into a module that is only imported makes the load build the trees again, which
// reads every statement: such a load keeps them all from the start (and is not done twice).
func TestReleaseKeptForRebuild(t *testing.T) {
	dir := writeModules(t, map[string]string{
		"a.yang": `module a { namespace "urn:a"; prefix a; import b { prefix b; }
  grouping g { leaf r { type leafref { path "/b:x"; } } }
  container c { uses g; }
}`,
		"b.yang": `module b { namespace "urn:b"; prefix b; leaf x { type string; } }`,
	})
	restarts, released := 0, 0
	restartHook = func() { restarts++ }
	releaseHook = func(string) { released++ }
	defer func() { restartHook, releaseHook = nil, nil }()
	opts := Options{SearchPaths: []string{dir}, Files: []string{filepath.Join(dir, "a.yang")}}
	s, err := Load(opts)
	if err != nil {
		t.Fatal(err)
	}
	if restarts != 0 || released != 0 {
		t.Errorf("load done again %d times, %d files let go: want none", restarts, released)
	}
	kept, err := loadKeeping(opts)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(describe(kept), describe(s)); diff != "" {
		t.Errorf("schema mismatch (-kept +released):\n%s", diff)
	}
	if !s.Module("b").Implemented || s.Module("a").Data[0].Children[0].Type.Target == nil {
		t.Errorf("b not implemented or the leafref not resolved:\n%s", describe(s))
	}
}

// Should the count of a grouping's uses be short (a bug), the build meets the grouping let go and
// the load is done again keeping every statement: the same schema and errors.
func TestReleaseFallback(t *testing.T) {
	for _, bad := range []bool{false, true} {
		dir := writeModules(t, releaseModules(bad))
		restarts := 0
		restartHook = func() { restarts++ }
		miscountHook = func(g string) bool { return g == "g-shared" }
		opts := Options{SearchPaths: []string{dir}, Files: []string{filepath.Join(dir, "m.yang")}}
		s, err := Load(opts)
		restartHook, miscountHook = nil, nil
		if restarts != 1 {
			t.Errorf("bad %v: load done again %d times, want 1", bad, restarts)
		}
		kept, errKept := loadKeeping(opts)
		if fmt.Sprint(err) != fmt.Sprint(errKept) {
			t.Errorf("bad %v: errors %v, the load keeping the statements %v", bad, err, errKept)
		}
		if !bad && (s == nil || describe(s) != describe(kept)) {
			t.Errorf("bad %v: schema differs from the load keeping the statements", bad)
		}
	}
}

func TestPathPrefixes(t *testing.T) {
	for _, c := range []struct {
		path string
		want []string
	}{
		{"/if:interfaces/if:interface/if:name", []string{"if", "if", "if"}},
		{"../../name", nil},
		{"/a:x[b:k = current()/../c:v]/d:y", []string{"a", "b", "c", "d"}},
		{"deref(../x)/../y", nil},
	} {
		if got := pathPrefixes(c.path); !slices.Equal(got, c.want) {
			t.Errorf("pathPrefixes(%q) = %q, want %q", c.path, got, c.want)
		}
	}
}

// A top-level typedef that no type statement names is let go before the build (its copy is not
// made); those named are resolved, also through another typedef, and their Types dropped once
// the trees are built. Should the build still resolve
// one let go (a bug: the names missed it), the load is done again keeping every statement: the
// same schema.
func TestReleaseUnusedTypedefs(t *testing.T) {
	dir := writeModules(t, releaseModules(false))
	opts := Options{SearchPaths: []string{dir}, Files: []string{filepath.Join(dir, "m.yang")}}
	kept, err := loadKeeping(opts)
	if err != nil {
		t.Fatal(err)
	}
	typedefs := func(l *loader) map[string]string {
		state := map[string]string{}
		for _, m := range l.modules {
			for name, d := range m.top.typedefs {
				state[name] = fmt.Sprintf("released=%v resolved=%v", d.released, d.t != nil)
			}
		}
		return state
	}
	var prepared, built map[string]string
	preparedHook = func(l *loader) { prepared = typedefs(l) }
	builtHook = func(l *loader) { built = typedefs(l) }
	restarts := 0
	restartHook = func() { restarts++ }
	defer func() { preparedHook, builtHook, restartHook, typeNamesHook = nil, nil, nil, nil }()
	s, err := Load(opts)
	if err != nil {
		t.Fatal(err)
	}
	// Before the build, only t-unused is let go; after it, every typedef's Type is dropped.
	want := map[string]string{
		"t-size":   "released=false resolved=false",
		"t-base":   "released=false resolved=false",
		"t-unused": "released=true resolved=false",
	}
	if diff := cmp.Diff(want, prepared); diff != "" || restarts != 0 {
		t.Errorf("typedefs before the build (-want +got), load done again %d times:\n%s", restarts, diff)
	}
	for name := range want {
		want[name] = "released=true resolved=false"
	}
	if diff := cmp.Diff(want, built); diff != "" {
		t.Errorf("typedefs after the build (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(describe(kept), describe(s)); diff != "" {
		t.Errorf("schema mismatch (-kept +released):\n%s", diff)
	}
	if !strings.Contains(describe(s), `/m:top/typed leaf`) || !strings.Contains(describe(s), `type=t-size/uint16 range=[{1 100}] default="10"`) {
		t.Errorf("leaf typed lacks its typedef's type:\n%s", describe(s))
	}

	typeNamesHook = func(names map[string]bool) { delete(names, "t-base") }
	s, err = Load(opts)
	if err != nil {
		t.Fatal(err)
	}
	if restarts != 1 {
		t.Errorf("with t-base missed, load done again %d times, want 1", restarts)
	}
	if diff := cmp.Diff(describe(kept), describe(s)); diff != "" {
		t.Errorf("with t-base missed: schema mismatch (-kept +released):\n%s", diff)
	}
}
