package schema_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ncws/ncws/generated/example"
	"github.com/ncws/ncws/generated/netconf"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/schema/yangload"
	"github.com/ncws/ncws/pkg/validate"
)

// mergeYang are the modules of the merge tests: b the base, v a vendor module augmenting b's
// container and deriving from b's identity, o another module augmenting b's list.
var mergeYang = map[string]string{
	"b": `module b { yang-version 1.1; namespace "urn:b"; prefix b; revision 2024-01-01;
  feature fast;
  identity kind;
  identity eth { base kind; }
  container sys {
    leaf name { type string; }
    leaf kind { type identityref { base kind; } }
    list port { key id; unique label;
      leaf id { type string; }
      leaf label { type string; }
      leaf speed { if-feature fast; type uint32; }
    }
  }
}`,
	"v": `module v { yang-version 1.1; namespace "urn:v"; prefix v; revision 2024-02-01;
  import b { prefix b; }
  identity vendor-kind { base b:kind; }
  augment "/b:sys" {
    leaf uplink { type leafref { path "../b:port/b:id"; } }
    container extra { must "../b:name" { error-app-tag need-name; } leaf note { type string; } }
  }
}`,
	"o": `module o { yang-version 1.1; namespace "urn:o"; prefix o;
  import b { prefix b; }
  identity o-kind { base b:kind; }
  container stats { leaf count { type uint32; } leaf what { type identityref { base b:kind; } } }
  augment "/b:sys/b:port" { leaf mtu { type uint16; } }
  rpc reset { input { leaf port { type leafref { path "/b:sys/b:port/b:id"; } } } }
  notification up { leaf port { type string; } }
}`,
	// t only imports b, for its identity.
	"t": `module t { namespace "urn:t"; prefix t; import b { prefix b; }
  leaf which { type identityref { base b:kind; } }
}`,
}

// writeYang writes modules (name -> text, the text of mergeYang when empty) into a new directory
// and returns it.
func writeYang(t *testing.T, mods map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range mods {
		if text == "" {
			text = mergeYang[name]
		}
		if err := os.WriteFile(filepath.Join(dir, name+".yang"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// loadIn compiles the named modules of dir (the others are found there when imported).
func loadIn(t *testing.T, dir string, features map[string][]string, names ...string) *schema.Schema {
	t.Helper()
	var files []string
	for _, n := range names {
		files = append(files, filepath.Join(dir, n+".yang"))
	}
	s, err := yangload.Load(yangload.Options{SearchPaths: []string{dir}, Files: files, Features: features})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// mergeInputs compiles schema 1 = {b, v} and schema 2 = {b, o}.
func mergeInputs(t *testing.T) (s1, s2 *schema.Schema) {
	t.Helper()
	dir := writeYang(t, map[string]string{"b": "", "v": "", "o": ""})
	return loadIn(t, dir, nil, "b", "v"), loadIn(t, dir, nil, "b", "o")
}

// snapshot records what a schema holds, to check that Merge leaves its inputs alone.
func snapshot(t *testing.T, s *schema.Schema) []string {
	t.Helper()
	desc, err := schema.MarshalDescriptor(s, schema.DescriptorOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return append(dumpSchema(s), string(desc))
}

func TestMerge(t *testing.T) {
	s1, s2 := mergeInputs(t)
	before1, before2 := snapshot(t, s1), snapshot(t, s2)
	s, err := schema.Merge(s1, s2)
	if err != nil {
		t.Fatal(err)
	}
	diffLines(t, before1, snapshot(t, s1))
	diffLines(t, before2, snapshot(t, s2))

	var mods []string
	for _, m := range s.Modules {
		mods = append(mods, m.Name+"@"+m.Revision)
	}
	if diff := cmp.Diff([]string{"b@2024-01-01", "o@", "v@2024-02-01"}, mods); diff != "" {
		t.Errorf("modules mismatch (-want +got):\n%s", diff)
	}

	// Every node of every input is found at its path, in the result.
	for _, in := range []*schema.Schema{s1, s2} {
		var walk func(n *schema.Node)
		walk = func(n *schema.Node) {
			id := schemaNodeID(n)
			got := s.FindNode(id)
			switch {
			case got == nil:
				t.Errorf("FindNode(%s) = nil", id)
			case got == n:
				t.Errorf("FindNode(%s) returns the input's node", id)
			case got.Module != s.Module(n.Module.Name) || got.Kind != n.Kind:
				t.Errorf("FindNode(%s): module %s kind %s, want the result's %s, kind %s",
					id, got.Module.Name, got.Kind, n.Module.Name, n.Kind)
			}
			for _, c := range n.Children {
				walk(c)
			}
		}
		for _, m := range in.Modules {
			for _, list := range [][]*schema.Node{m.Data, m.RPCs, m.Notifications} {
				for _, n := range list {
					walk(n)
				}
			}
		}
	}

	// Children: the first input's order, then what the second adds.
	for _, tt := range []struct {
		path string
		want []string
	}{
		{"/b:sys", []string{"b:name", "b:kind", "b:port", "v:uplink", "v:extra"}},
		{"/b:sys/port", []string{"b:id", "b:label", "b:speed", "o:mtu"}},
		{"/o:reset/input", []string{"o:port"}},
	} {
		n := s.FindNode(tt.path)
		if n == nil {
			t.Errorf("FindNode(%s) = nil", tt.path)
			continue
		}
		var got []string
		for _, c := range n.Children {
			got = append(got, c.Module.Name+":"+c.Name)
			if c.Parent != n {
				t.Errorf("%s: Parent is not the node holding it", c.Path())
			}
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s children mismatch (-want +got):\n%s", tt.path, diff)
		}
	}

	// Pointers into the result: leafref targets, keys, unique leaves, identity bases.
	port := s.FindNode("/b:sys/port")
	id := s.FindNode("/b:sys/port/id")
	if got := s.FindNode("/b:sys/v:uplink").Type.Target; got != id {
		t.Errorf("uplink's leafref target is %p, want the result's %s", got, id.Path())
	}
	if got := s.FindNode("/o:reset/input/port").Type.Target; got != id {
		t.Errorf("reset's leafref target is %p, want the result's %s", got, id.Path())
	}
	if len(port.Keys()) != 1 || port.Keys()[0] != id {
		t.Errorf("port's keys are %v, want the result's id", port.Keys())
	}
	if len(port.Unique()) != 1 || port.Unique()[0].Leaves[0] != s.FindNode("/b:sys/port/label") {
		t.Errorf("port's unique leaf is not the result's label")
	}
	kind := s.Module("b").Identity("kind")
	var derived []string
	for _, d := range kind.Derived {
		derived = append(derived, d.QName())
	}
	slices.Sort(derived)
	if diff := cmp.Diff([]string{"b:eth", "o:o-kind", "v:vendor-kind"}, derived); diff != "" {
		t.Errorf("b:kind's derived identities mismatch (-want +got):\n%s", diff)
	}
	for _, path := range []string{"/b:sys/kind", "/o:stats/what"} {
		if bases := s.FindNode(path).Type.Bases; len(bases) != 1 || bases[0] != kind {
			t.Errorf("%s: identityref base is not the result's b:kind", path)
		}
	}
	if got := s.Module("v").Prefixes["b"]; got != s.Module("b") {
		t.Errorf("v's prefix b maps to %p, want the result's module b", got)
	}

	checkDisjoint(t, s, s1, s2)

	// The descriptor round trip gives the same schema.
	desc, err := schema.MarshalDescriptor(s, schema.DescriptorOptions{})
	if err != nil {
		t.Fatal(err)
	}
	back, err := schema.UnmarshalDescriptor(desc)
	if err != nil {
		t.Fatal(err)
	}
	diffLines(t, dumpSchema(s), dumpSchema(back))
}

// checkDisjoint checks that the merged schema shares no pointer, map or slice with its inputs.
func checkDisjoint(t *testing.T, merged *schema.Schema, inputs ...*schema.Schema) {
	t.Helper()
	in := reachable(inputs...)
	bad := 0
	for p, what := range reachable(merged) {
		if other, ok := in[p]; ok {
			t.Errorf("the result's %s is the input's %s", what, other)
			if bad++; bad == 5 {
				t.Fatal("too many shared values")
			}
		}
	}
}

// schemaNodeID is the schema node identifier of n as FindNode reads it: every step prefixed,
// choices and cases included.
func schemaNodeID(n *schema.Node) string {
	var parts []string
	for p := n; p != nil; p = p.Parent {
		parts = append(parts, "/"+p.Module.Name+":"+p.Name)
	}
	slices.Reverse(parts)
	return strings.Join(parts, "")
}

// reachable returns the address of every pointer, map and slice array reachable from schemas
// (unexported fields included, compiled patterns left out: they are shared by every pattern of
// their expression) with a description.
func reachable(schemas ...*schema.Schema) map[uintptr]string {
	out := map[uintptr]string{}
	type seen struct {
		p uintptr
		t reflect.Type
	}
	visited := map[seen]bool{}
	reType := reflect.TypeFor[*regexp.Regexp]()
	var walk func(v reflect.Value, where string)
	walk = func(v reflect.Value, where string) {
		switch v.Kind() {
		case reflect.Pointer, reflect.Map, reflect.Slice:
			if v.IsNil() || v.Type() == reType || v.Type().String() == "*schema.compiledPattern" ||
				(v.Kind() == reflect.Slice && v.Cap() == 0) {
				return
			}
			k := seen{v.Pointer(), v.Type()}
			if visited[k] {
				return
			}
			visited[k] = true
			if _, ok := out[k.p]; !ok {
				out[k.p] = v.Type().String() + " at " + where
			}
		}
		switch v.Kind() {
		case reflect.Pointer:
			walk(v.Elem(), where)
		case reflect.Slice:
			for i := range v.Len() {
				walk(v.Index(i), where)
			}
		case reflect.Map:
			for it := v.MapRange(); it.Next(); {
				walk(it.Value(), where+"["+it.Key().String()+"]")
			}
		case reflect.Struct:
			here := where
			if f := v.FieldByName("Name"); f.IsValid() && f.Kind() == reflect.String {
				here = where + "/" + f.String()
			}
			for i := range v.NumField() {
				walk(v.Field(i), here+"."+v.Type().Field(i).Name)
			}
		}
	}
	for _, s := range schemas {
		walk(reflect.ValueOf(s), "")
	}
	return out
}

func TestMergeValidate(t *testing.T) {
	s1, s2 := mergeInputs(t)
	s, err := schema.Merge(s1, s2)
	if err != nil {
		t.Fatal(err)
	}
	v := validate.New(s)
	const doc = `<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">
<sys xmlns="urn:b"><name>r1</name><kind xmlns:o="urn:o">%KIND%</kind>
  <port><id>p1</id><speed>10</speed><mtu xmlns="urn:o">1500</mtu></port>
  <uplink xmlns="urn:v">%UPLINK%</uplink>
  <extra xmlns="urn:v"><note>n</note></extra>
</sys>
<stats xmlns="urn:o"><count>3</count><what xmlns:v="urn:v" xmlns:b="urn:b">%WHAT%</what></stats>
</config>`
	for _, tt := range []struct {
		name               string
		kind, uplink, what string
		want               []string // tag path
	}{
		{"valid", "o:o-kind", "p1", "v:vendor-kind", nil},
		{"dangling leafref", "o:o-kind", "p2", "v:vendor-kind", []string{"data-missing /b:sys/v:uplink"}},
		{"the base itself", "o:o-kind", "p1", "b:kind", []string{"invalid-value /o:stats/what"}},
		{"no such identity", "o:o-kind", "p1", "v:nope", []string{"invalid-value /o:stats/what"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			text := strings.NewReplacer("%KIND%", tt.kind, "%UPLINK%", tt.uplink, "%WHAT%", tt.what).Replace(doc)
			root, errs := yangxml.Unmarshal([]byte(text), s, yangxml.DecodeOptions{})
			if len(errs) == 0 {
				errs = v.Validate(root, validate.Options{})
			}
			var got []string
			for _, e := range errs {
				got = append(got, string(e.Tag)+" "+e.Path)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("errors mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestMergeIdentity merges one schema with a copy of itself (decoded from its descriptor) and
// with itself: the result is the same schema, every field of it.
func TestMergeIdentity(t *testing.T) {
	s := smallSchema(t)
	desc, err := schema.MarshalDescriptor(s, schema.DescriptorOptions{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := schema.UnmarshalDescriptor(desc)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name   string
		inputs []*schema.Schema
	}{
		{"copy", []*schema.Schema{s, c}},
		{"itself", []*schema.Schema{s, s}},
		{"three", []*schema.Schema{c, s, c}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m, err := schema.Merge(tt.inputs...)
			if err != nil {
				t.Fatal(err)
			}
			diffLines(t, dumpSchema(s), dumpSchema(m))
			checkDisjoint(t, m, tt.inputs...)
			got, err := schema.MarshalDescriptor(m, schema.DescriptorOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(desc, got) {
				t.Errorf("the merged schema's descriptor differs (%d bytes, want %d)", len(got), len(desc))
			}
		})
	}
}

// TestMergeShared merges the IETF interfaces set with the set that adds ietf-ip (which augments
// ietf-interfaces): the result is the second set.
func TestMergeShared(t *testing.T) {
	ifs, ip := loadDescSet(t, "ietf-if"), loadDescSet(t, "ietf-ip")
	for _, tt := range []struct {
		name   string
		inputs []*schema.Schema
	}{
		{"if first", []*schema.Schema{ifs, ip}},
		{"ip first", []*schema.Schema{ip, ifs}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m, err := schema.Merge(tt.inputs...)
			if err != nil {
				t.Fatal(err)
			}
			diffLines(t, dumpSchema(ip), dumpSchema(m))
		})
	}
}

func TestMergeImportOnly(t *testing.T) {
	dir := writeYang(t, map[string]string{"b": "", "t": ""})
	imp := loadIn(t, dir, nil, "t") // b only imported: no data nodes, no feature enabled
	if b := imp.Module("b"); b.Implemented || len(b.Data) > 0 {
		t.Fatalf("b implemented in {t}: %v, %d data nodes", b.Implemented, len(b.Data))
	}
	impl := loadIn(t, dir, nil, "b")
	for _, tt := range []struct {
		name   string
		inputs []*schema.Schema
	}{
		{"import-only first", []*schema.Schema{imp, impl}},
		{"implemented first", []*schema.Schema{impl, imp}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, err := schema.Merge(tt.inputs...)
			if err != nil {
				t.Fatal(err)
			}
			b := s.Module("b")
			if !b.Implemented || !b.Feature("fast").Enabled {
				t.Errorf("b: implemented %v, feature fast enabled %v, want both", b.Implemented, b.Feature("fast").Enabled)
			}
			if s.FindNode("/b:sys/port/speed") == nil || s.FindNode("/t:which") == nil {
				t.Errorf("nodes of b or t missing")
			}
			if b.Source != mergeYang["b"] {
				t.Errorf("b's source is not kept")
			}
			if bases := s.FindNode("/t:which").Type.Bases; len(bases) != 1 || bases[0] != b.Identity("kind") {
				t.Errorf("t:which's base is not the result's b:kind")
			}
		})
	}
}

func TestMergeConflicts(t *testing.T) {
	// Variants of b, each in a directory of its own.
	variant := func(old, new string) string {
		if !strings.Contains(mergeYang["b"], old) {
			t.Fatalf("b has no %q", old)
		}
		return strings.Replace(mergeYang["b"], old, new, 1)
	}
	base := loadIn(t, writeYang(t, map[string]string{"b": ""}), nil, "b")
	load := func(text string, features map[string][]string, extra map[string]string) *schema.Schema {
		mods := map[string]string{"b": text}
		names := []string{"b"}
		for name, text := range extra {
			mods[name] = text
			names = append(names, name)
		}
		return loadIn(t, writeYang(t, mods), features, names...)
	}
	for _, tt := range []struct {
		name  string
		other *schema.Schema
		want  []string // in the message
	}{
		{"revision", load(variant("2024-01-01", "2025-06-30"), nil, nil),
			[]string{"module b:", "2024-01-01 in schemas[0]", "2025-06-30 in schemas[1]"}},
		{"features", load(mergeYang["b"], map[string][]string{"b": {}}, nil),
			[]string{"module b@2024-01-01:", "feature fast enabled in schemas[0], disabled in schemas[1]"}},
		{"deviations", load(mergeYang["b"], nil, map[string]string{"d": `module d { namespace "urn:d"; prefix d;
  import b { prefix b; } deviation /b:sys/b:name { deviate not-supported; } }`}),
			[]string{"module b@2024-01-01:", "deviations [] in schemas[0], [d] in schemas[1]"}},
		{"namespace", load(variant(`"urn:b"`, `"urn:b2"`), nil, nil),
			[]string{"module b@2024-01-01:", "urn:b in schemas[0], urn:b2 in schemas[1]"}},
		{"kind", load(variant("leaf name { type string; }", "container name { }"), nil, nil),
			[]string{"node /b:sys/name:", "kind leaf in schemas[0], container in schemas[1]"}},
		{"leaf type", load(variant("leaf name { type string; }", "leaf name { type int32; }"), nil, nil),
			[]string{"node /b:sys/name:", "type string (string) in schemas[0], int32 (int32) in schemas[1]"}},
		{"config", load(variant("leaf name { type string; }", "leaf name { type string; config false; }"), nil, nil),
			[]string{"node /b:sys/name:", "config true in schemas[0], false in schemas[1]"}},
		{"keys", load(variant("list port { key id;", "list port { key label;"), nil, nil),
			[]string{"node /b:sys/port:", "keys [id] in schemas[0], [label] in schemas[1]"}},
		{"identity bases", load(variant("identity eth { base kind; }", "identity eth;"), nil, nil),
			[]string{"identity b@2024-01-01:eth:", "bases [b:kind] in schemas[0], [] in schemas[1]"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := snapshot(t, base)
			s, err := schema.Merge(base, tt.other)
			if !errors.Is(err, schema.ErrMergeConflict) {
				t.Fatalf("Merge = %v, %v; want an error wrapping ErrMergeConflict", s, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			diffLines(t, before, snapshot(t, base))
		})
	}
}

func TestMergeTrivial(t *testing.T) {
	s1, _ := mergeInputs(t)
	if got, err := schema.Merge(s1); got != s1 || err != nil {
		t.Errorf("Merge(s) = %p, %v; want s itself", got, err)
	}
	if _, err := schema.Merge(s1, nil); err == nil || errors.Is(err, schema.ErrMergeConflict) {
		t.Errorf("Merge(s, nil) = %v, want an error other than a conflict", err)
	}
	// A leafref target outside the schema.
	mod := &schema.Module{Name: "h", Namespace: "urn:h", Prefix: "h", Implemented: true}
	stray := &schema.Node{Decl: &schema.Decl{Name: "stray"}, Kind: schema.KindLeaf, Module: mod}
	ref := &schema.Node{Decl: &schema.Decl{Name: "ref"}, Kind: schema.KindLeaf, Module: mod,
		Type: &schema.Type{Name: "leafref", Base: schema.Leafref, Target: stray}}
	mod.Data = []*schema.Node{ref}
	hand := &schema.Schema{Modules: []*schema.Module{mod}}
	hand.Finalize()
	if _, err := schema.Merge(s1, hand); err == nil || !strings.Contains(err.Error(), "stray is not part of") {
		t.Errorf("Merge(s, schema with a stray leafref target) = %v, want a not-part-of-the-schema error", err)
	}
	empty, err := schema.Merge()
	if err != nil || len(empty.Modules) != 0 || empty.Module("b") != nil {
		t.Errorf("Merge() = %v, %v; want an empty schema", empty, err)
	}
}

// TestMergeGenerated merges the schemas two generated packages embed.
func TestMergeGenerated(t *testing.T) {
	ex, nc := example.Schema(), netconf.Schema()
	beforeEx, beforeNc := snapshot(t, ex), snapshot(t, nc)
	s, err := schema.Merge(ex, nc)
	if err != nil {
		t.Fatal(err)
	}
	diffLines(t, beforeEx, snapshot(t, ex))
	diffLines(t, beforeNc, snapshot(t, nc))

	want := map[string]*schema.Module{}
	for _, in := range []*schema.Schema{ex, nc} {
		for _, m := range in.Modules {
			want[m.Name+"@"+m.Revision] = m
		}
	}
	got := map[string]bool{}
	for _, m := range s.Modules {
		got[m.Name+"@"+m.Revision] = true
	}
	for name, m := range want {
		r := s.Module(m.Name)
		switch {
		case !got[name]:
			t.Errorf("module %s missing", name)
		case m.Implemented && !r.Implemented:
			t.Errorf("module %s: implemented in an input, not in the result", name)
		case r.Source == "" && m.Source != "":
			t.Errorf("module %s: source lost", name)
		}
	}
	if len(got) != len(want) {
		t.Errorf("the result has %d modules, want %d", len(got), len(want))
	}
	for _, path := range []string{"/ncws-example:interfaces/interface/mtu", "/ietf-netconf:get-config/input/source",
		"/ietf-yang-library:yang-library"} {
		if s.FindNode(path) == nil {
			t.Errorf("FindNode(%s) = nil", path)
		}
	}
	validate.New(s)
	checkDisjoint(t, s, ex, nc)

	desc, err := schema.MarshalDescriptor(s, schema.DescriptorOptions{})
	if err != nil {
		t.Fatal(err)
	}
	back, err := schema.UnmarshalDescriptor(desc)
	if err != nil {
		t.Fatal(err)
	}
	diffLines(t, dumpSchema(s), dumpSchema(back))
}

// Two schemas compiled apart, a base module with a vendor augment and the base module with
// another module, served as one.
func ExampleMerge() {
	dir, _ := os.MkdirTemp("", "schema-example")
	defer os.RemoveAll(dir)
	for name, text := range map[string]string{
		"base":   `module base { namespace "urn:base"; prefix b; container sys { leaf name { type string; } } }`,
		"vendor": `module vendor { namespace "urn:vendor"; prefix v; import base { prefix b; } augment /b:sys { leaf turbo { type boolean; } } }`,
		"other":  `module other { namespace "urn:other"; prefix o; leaf motd { type string; } }`,
	} {
		os.WriteFile(filepath.Join(dir, name+".yang"), []byte(text), 0o644)
	}
	load := func(names ...string) *schema.Schema {
		var files []string
		for _, n := range names {
			files = append(files, filepath.Join(dir, n+".yang"))
		}
		s, err := yangload.Load(yangload.Options{SearchPaths: []string{dir}, Files: files})
		if err != nil {
			panic(err)
		}
		return s
	}
	s, err := schema.Merge(load("base", "vendor"), load("base", "other"))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range s.Modules {
		fmt.Println(m.Name)
	}
	for _, c := range s.FindNode("/base:sys").Children {
		fmt.Println(c.Path())
	}
	fmt.Println(s.FindNode("/other:motd").Path())
	// Output:
	// base
	// other
	// vendor
	// /base:sys/name
	// /base:sys/vendor:turbo
	// /other:motd
}

func BenchmarkMergeGenerated(b *testing.B) {
	ex, nc := example.Schema(), netconf.Schema()
	for b.Loop() {
		if _, err := schema.Merge(ex, nc); err != nil {
			b.Fatal(err)
		}
	}
}
