package schema_test

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/schema/yangload"
	"github.com/ncws/ncws/pkg/validate"
	"github.com/ncws/ncws/yang"
)

const sharedYang = "../../../shared/yang"

// descSet is a module set the descriptor tests load.
type descSet struct {
	name    string
	search  []string
	files   []string
	implAll bool
}

func shared(p ...string) []string {
	var out []string
	for _, x := range p {
		out = append(out, filepath.Join(sharedYang, x))
	}
	return out
}

var ifFiles = []string{"ietf/ietf-interfaces@2014-05-08.yang", "ietf/iana-if-type@2014-05-08.yang"}

// descSets are the module sets of the validation corpus plus larger IETF and NMDA sets.
var descSets = []descSet{
	{"types", shared("test"), shared("test/oracle-types.yang"), false},
	{"cons", shared("test"), shared("test/oracle-constraints.yang"), false},
	{"ietf-if", shared("ietf"), shared(ifFiles...), false},
	{"ietf-ip", shared("ietf"), shared(append(ifFiles, "ietf/ietf-ip@2014-06-16.yang")...), false},
	{"ietf-rt", shared("ietf"), shared(append(ifFiles, "ietf/ietf-routing@2016-11-04.yang",
		"ietf/ietf-ipv4-unicast-routing@2016-11-04.yang")...), false},
	{"ietf-sys", shared("ietf"), shared("ietf/ietf-system@2014-08-06.yang"), false},
	{"ietf-nacm", shared("ietf"), shared("ietf/ietf-netconf-acm@2018-02-14.yang"), false},
	{"ietf", shared("ietf"), shared(append(ifFiles, "ietf/ietf-ip@2014-06-16.yang",
		"ietf/ietf-system@2014-08-06.yang", "ietf/ietf-netconf-acm@2018-02-14.yang")...), false},
	{"nmda-rt", shared("ietf-nmda", "ietf"), shared("ietf-nmda/ietf-routing@2018-03-13.yang",
		"ietf-nmda/ietf-ipv4-unicast-routing@2018-03-13.yang",
		"ietf-nmda/ietf-ipv6-unicast-routing@2018-03-13.yang"), false},
	{"oc-if", shared("openconfig"), shared("openconfig/release/models/interfaces/openconfig-interfaces.yang",
		"openconfig/release/models/interfaces/openconfig-if-ip.yang",
		"openconfig/release/models/interfaces/openconfig-if-ethernet.yang",
		"openconfig/third_party/ietf/iana-if-type.yang"), true},
}

func loadDescSet(t testing.TB, name string) *schema.Schema {
	t.Helper()
	switch name {
	case "protocol":
		s, err := yang.Load(yangload.Options{Files: []string{yang.Example}})
		if err != nil {
			t.Fatal(err)
		}
		return s
	case "openconfig":
		s, err := yangload.Load(yangload.Options{SearchPaths: shared("openconfig"), Files: ocFiles(t)})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	for _, set := range descSets {
		if set.name == name {
			for _, f := range set.files {
				if _, err := os.Stat(f); err != nil {
					t.Skip("shared models not available:", err)
				}
			}
			s, err := yangload.Load(yangload.Options{SearchPaths: set.search, Files: set.files,
				ImportsImplemented: set.implAll})
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
	}
	t.Fatalf("unknown module set %q", name)
	return nil
}

// ocFiles lists every OpenConfig release module (submodules come with their modules).
func ocFiles(t testing.TB) []string {
	files, err := yangload.ModuleFiles(filepath.Join(sharedYang, "openconfig", "release", "models"))
	if err != nil || len(files) == 0 {
		t.Skip("OpenConfig models not available:", err)
	}
	return files
}

// dumpSchema prints every exported field of every module, feature, identity, node, type, must,
// when and unique of s, one line per module, identity and node; modules, identities and nodes
// referred to from elsewhere are printed as names and paths. Reflection keeps it complete when
// fields are added.
func dumpSchema(s *schema.Schema) []string {
	var lines []string
	var walk func(n *schema.Node)
	walk = func(n *schema.Node) {
		lines = append(lines, fmt.Sprintf("node %s ordinal=%d depth=%d %s", nodeID(n), n.Ordinal(), n.Depth(),
			dumpValue(reflect.ValueOf(*n))))
		for _, c := range n.Children {
			walk(c)
		}
	}
	for _, m := range s.Modules {
		lines = append(lines, "module "+dumpValue(reflect.ValueOf(*m)))
		for _, id := range m.Identities {
			lines = append(lines, "identity "+id.QName()+" "+dumpValue(reflect.ValueOf(*id)))
		}
		for _, list := range [][]*schema.Node{m.Data, m.RPCs, m.Notifications} {
			for _, n := range list {
				walk(n)
			}
		}
	}
	for _, m := range s.Modules {
		for _, n := range m.Data {
			if top := s.Top(n.Module, n.Name); n.Kind.IsData() && top != n {
				lines = append(lines, "Top mismatch "+nodeID(n))
			}
		}
	}
	return lines
}

// nodeID is the schema node identifier of n, choice and case included, with every module.
func nodeID(n *schema.Node) string {
	var parts []string
	for p := n; p != nil; p = p.Parent {
		mod := "<nil>"
		if p.Module != nil {
			mod = p.Module.Name
		}
		parts = append(parts, "/"+mod+":"+p.Name)
	}
	var b strings.Builder
	for i := len(parts) - 1; i >= 0; i-- {
		b.WriteString(parts[i])
	}
	return b.String()
}

var (
	moduleType   = reflect.TypeFor[*schema.Module]()
	nodeType     = reflect.TypeFor[*schema.Node]()
	identityType = reflect.TypeFor[*schema.Identity]()
	regexpType   = reflect.TypeFor[*regexp.Regexp]()
)

func dumpValue(v reflect.Value) string {
	switch v.Type() {
	case moduleType, nodeType, identityType, regexpType:
		if v.IsNil() {
			return "nil"
		}
		switch x := v.Interface().(type) {
		case *schema.Module:
			return "module(" + x.Name + "@" + x.Revision + ")"
		case *schema.Node:
			return "node(" + nodeID(x) + ")"
		case *schema.Identity:
			return "identity(" + x.QName() + ")"
		case *regexp.Regexp:
			return "regexp(" + x.String() + ")"
		}
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return "nil"
		}
		return "&" + dumpValue(v.Elem())
	case reflect.Slice:
		var parts []string
		for i := range v.Len() {
			parts = append(parts, dumpValue(v.Index(i)))
		}
		return "[" + strings.Join(parts, " ") + "]"
	case reflect.Map:
		var parts []string
		for _, k := range v.MapKeys() {
			parts = append(parts, fmt.Sprint(k.Interface())+"="+dumpValue(v.MapIndex(k)))
		}
		sort.Strings(parts)
		return "map[" + strings.Join(parts, " ") + "]"
	case reflect.Struct:
		var parts []string
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			if (v.Type() == reflect.TypeFor[schema.Decl]() && f.Name == "Grouping") ||
				(v.Type() == reflect.TypeFor[schema.Node]() && f.Name == "Amended") {
				continue // the generator's information about the source, not in the descriptor
			}
			parts = append(parts, f.Name+":"+dumpValue(v.Field(i)))
		}
		return "{" + strings.Join(parts, " ") + "}"
	case reflect.String:
		return fmt.Sprintf("%q", v.String())
	}
	return fmt.Sprint(v.Interface())
}

// diffLines reports the first lines where want and got differ.
func diffLines(t *testing.T, want, got []string) {
	t.Helper()
	if len(want) != len(got) {
		t.Errorf("dump has %d lines, want %d", len(got), len(want))
	}
	bad := 0
	for i := 0; i < len(want) && i < len(got); i++ {
		if want[i] != got[i] {
			t.Errorf("line %d mismatch (-want +got):\n%s", i, cmp.Diff(want[i], got[i]))
			if bad++; bad == 5 {
				t.Fatal("too many mismatches")
			}
		}
	}
}

func TestDescriptorRoundTrip(t *testing.T) {
	names := []string{"protocol"}
	for _, set := range descSets {
		names = append(names, set.name)
	}
	names = append(names, "openconfig")
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			if name == "openconfig" && testing.Short() {
				t.Skip("loads every OpenConfig module")
			}
			s := loadDescSet(t, name)
			desc, err := schema.MarshalDescriptor(s, schema.DescriptorOptions{})
			if err != nil {
				t.Fatal(err)
			}
			back, err := schema.UnmarshalDescriptor(desc)
			if err != nil {
				t.Fatal(err)
			}
			diffLines(t, dumpSchema(s), dumpSchema(back))
			again, err := schema.MarshalDescriptor(back, schema.DescriptorOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(desc, again) {
				t.Errorf("marshalling the decoded schema gives other bytes (%d, want %d)", len(again), len(desc))
			}
		})
	}
}

func TestDescriptorOmitSources(t *testing.T) {
	s := loadDescSet(t, "protocol")
	full, err := schema.MarshalDescriptor(s, schema.DescriptorOptions{})
	if err != nil {
		t.Fatal(err)
	}
	small, err := schema.MarshalDescriptor(s, schema.DescriptorOptions{OmitSources: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(small) >= len(full) {
		t.Errorf("descriptor without sources has %d bytes, with them %d", len(small), len(full))
	}
	back, err := schema.UnmarshalDescriptor(small)
	if err != nil {
		t.Fatal(err)
	}
	var want, got []string
	for _, m := range s.Modules {
		want = append(want, m.Name)
	}
	for _, m := range back.Modules {
		if m.Source != "" {
			t.Errorf("module %s has a source", m.Name)
		}
		got = append(got, m.Name)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("modules mismatch (-want +got):\n%s", diff)
	}
}

// TestDescriptorBaseNames: with BaseNames, file paths and the file part of locations are base
// names, so the same modules read from two directories give the same bytes.
func TestDescriptorBaseNames(t *testing.T) {
	src := "module m { namespace urn:m; prefix m; leaf x { type string; } }"
	var descs [][]byte
	for _, dir := range []string{t.TempDir(), t.TempDir()} {
		f := filepath.Join(dir, "m.yang")
		if err := os.WriteFile(f, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		s, err := yangload.Load(yangload.Options{Files: []string{f}})
		if err != nil {
			t.Fatal(err)
		}
		d, err := schema.MarshalDescriptor(s, schema.DescriptorOptions{BaseNames: true})
		if err != nil {
			t.Fatal(err)
		}
		descs = append(descs, d)
		back, err := schema.UnmarshalDescriptor(d)
		if err != nil {
			t.Fatal(err)
		}
		m := back.Module("m")
		if got := []string{m.File, m.Data[0].Loc.String()}; !cmp.Equal(got, []string{"m.yang", "m.yang:1"}) {
			t.Errorf("paths mismatch: got %q, want m.yang and m.yang:1", got)
		}
	}
	if !bytes.Equal(descs[0], descs[1]) {
		t.Error("descriptors of one module read from two directories differ")
	}
}

// TestDescriptorValidate validates every document of the yanglint-checked corpus against the
// schema loaded from YANG and against the one decoded from its descriptor: same errors.
func TestDescriptorValidate(t *testing.T) {
	const corpus = "../../../shared/conformance/validation"
	f, err := os.Open(filepath.Join(corpus, "cases.tsv"))
	if err != nil {
		t.Skip("corpus not available:", err)
	}
	defer f.Close()
	type pair struct{ orig, back *schema.Schema }
	schemas := map[string]pair{}
	sc := bufio.NewScanner(f)
	cases := 0
	for sc.Scan() {
		c := strings.Split(sc.Text(), "\t")
		if len(c) < 3 || c[0] == "case" {
			continue
		}
		file, set := c[0], c[1]
		t.Run(file, func(t *testing.T) {
			p, ok := schemas[set]
			if !ok {
				p.orig = loadDescSet(t, set)
				desc, err := schema.MarshalDescriptor(p.orig, schema.DescriptorOptions{})
				if err != nil {
					t.Fatal(err)
				}
				if p.back, err = schema.UnmarshalDescriptor(desc); err != nil {
					t.Fatal(err)
				}
				schemas[set] = p
			}
			doc, err := os.ReadFile(filepath.Join(corpus, "cases", file))
			if err != nil {
				t.Fatal(err)
			}
			run := func(s *schema.Schema) []string {
				root, errs := yangxml.Unmarshal(doc, s, yangxml.DecodeOptions{AllowEmpty: true, RejectState: true, StrictAttrs: true})
				if len(errs) == 0 {
					errs = validate.New(s).Validate(root, validate.Options{})
				}
				var out []string
				for _, e := range errs {
					out = append(out, fmt.Sprintf("%s %s %s %s: %s", e.Type, e.Tag, e.AppTag, e.Path, e.Message))
				}
				return out
			}
			want := run(p.orig)
			if diff := cmp.Diff(want, run(p.back)); diff != "" {
				t.Errorf("errors mismatch (-want +got):\n%s", diff)
			}
			if c[2] == "invalid" && len(want) == 0 {
				t.Errorf("no error for an invalid document")
			}
		})
		cases++
	}
	if cases < 50 {
		t.Errorf("ran %d corpus cases, want at least 50", cases)
	}
}

// smallSchema compiles a module that uses most schema features.
func smallSchema(t testing.TB) *schema.Schema {
	t.Helper()
	dir := t.TempDir()
	file := filepath.Join(dir, "d.yang")
	err := os.WriteFile(file, []byte(`module d { yang-version 1.1; namespace "urn:d"; prefix d;
  description "descriptor test";
  feature fast;
  identity base; identity derived { base base; }
  typedef pct { type uint8 { range "0..100" { error-message "too big"; } } units percent; default 50; }
  container top {
    presence "on";
    must "count(item) < 10" { error-app-tag too-many; }
    leaf p { type pct; }
    leaf r { type union { type int32 { range "-5..5 | 10"; } type string { length "2..4"; pattern "[a-z]+"; pattern "x.*" { modifier invert-match; } } } }
    leaf e { type enumeration { enum a; enum b { value -3; } } }
    leaf b { type bits { bit x; bit y { position 9; } } }
    leaf dec { type decimal64 { fraction-digits 2; range "-1.5..1.5"; } }
    leaf id { type identityref { base base; } }
    leaf ref { type leafref { path "../item/name"; require-instance false; } }
    leaf-list tags { type string; ordered-by user; max-elements 3; default "t"; }
    list item { key name; unique "v"; min-elements 1; ordered-by user; leaf name { type string; } leaf v { type int8; }
      action go { input { leaf n { type string; } } output { leaf ok { type empty; } } } }
    choice ch { default one; case one { leaf one { if-feature fast; type string; } } leaf two { type string; when "../p > 1"; } }
    anydata blob { status deprecated; reference "RFC 7950"; }
  }
  rpc ping { input { leaf host { type string; mandatory true; } } }
  notification alarm { leaf text { type string; } }
}`), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	s, err := yangload.Load(yangload.Options{Files: []string{file}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestUnmarshalDescriptorErrors(t *testing.T) {
	desc, err := schema.MarshalDescriptor(smallSchema(t), schema.DescriptorOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, "not a schema descriptor"},
		{"magic", []byte("NCWS-XX\x01"), "not a schema descriptor"},
		{"version", append([]byte("NCWS-SD\x03"), desc[8:]...), "format version 3, want 2"},
		{"trailing", append(append([]byte(nil), desc...), 0), "1 bytes of trailing data"},
		{"huge count", []byte("NCWS-SD\x01\xff\xff\xff\xff\x0f"), "exceeds the remaining input"},
		{"varint overflow", []byte("NCWS-SD\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f"), "overflows 64 bits"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := schema.UnmarshalDescriptor(tt.in)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want one containing %q", err, tt.want)
			}
		})
	}
	t.Run("every truncation", func(t *testing.T) {
		for i := range len(desc) {
			if _, err := schema.UnmarshalDescriptor(desc[:i]); err == nil {
				t.Fatalf("descriptor cut at %d of %d bytes decoded without error", i, len(desc))
			}
		}
	})
}

func TestMarshalDescriptorErrors(t *testing.T) {
	s := smallSchema(t)
	m := s.Module("d")
	top := s.Top(m, "top")
	foreign := &schema.Module{Name: "foreign"}
	tests := []struct {
		name   string
		break_ func() (undo func())
		want   string
	}{
		{"parent", func() func() {
			old := top.Children[0].Parent
			top.Children[0].Parent = nil
			return func() { top.Children[0].Parent = old }
		}, "Parent is not the node holding it"},
		{"foreign module", func() func() {
			old := top.Module
			top.Module = foreign
			return func() { top.Module = old }
		}, "module foreign is not part of the schema"},
		{"foreign target", func() func() {
			ref := top.Child(m, "ref")
			old := ref.Type.Target
			ref.Type.Target = &schema.Node{Decl: &schema.Decl{Name: "elsewhere"}}
			return func() { ref.Type.Target = old }
		}, "node elsewhere is not part of the schema tree"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			undo := tt.break_()
			defer undo()
			_, err := schema.MarshalDescriptor(s, schema.DescriptorOptions{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func FuzzUnmarshalDescriptor(f *testing.F) {
	// Small seeds: the fuzzer minimizes what it finds, slowly for large inputs.
	s := smallSchema(f)
	for _, opts := range []schema.DescriptorOptions{{OmitSources: true}, {}} {
		desc, err := schema.MarshalDescriptor(s, opts)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(desc)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := schema.UnmarshalDescriptor(b)
		if err != nil {
			return
		}
		// Whatever decodes must encode again and be usable.
		if _, err := schema.MarshalDescriptor(s, schema.DescriptorOptions{}); err != nil {
			t.Fatalf("decoded schema does not encode: %v", err)
		}
		dumpSchema(s)
	})
}

func benchmarkDescriptor(b *testing.B, set string) {
	s := loadDescSet(b, set)
	desc, err := schema.MarshalDescriptor(s, schema.DescriptorOptions{})
	if err != nil {
		b.Fatal(err)
	}
	noSrc, err := schema.MarshalDescriptor(s, schema.DescriptorOptions{OmitSources: true})
	if err != nil {
		b.Fatal(err)
	}
	str := string(desc)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := schema.UnmarshalDescriptorString(str); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(desc)), "desc-bytes")
	b.ReportMetric(float64(len(noSrc)), "desc-nosrc-bytes")
}

func BenchmarkUnmarshalDescriptorOpenConfig(b *testing.B) { benchmarkDescriptor(b, "openconfig") }
func BenchmarkUnmarshalDescriptorIETF(b *testing.B)       { benchmarkDescriptor(b, "ietf") }

func BenchmarkMarshalDescriptorOpenConfig(b *testing.B) {
	s := loadDescSet(b, "openconfig")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := schema.MarshalDescriptor(s, schema.DescriptorOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// The YANG compiler on the same sets, for comparison (parsed files are cached across loads).
func BenchmarkLoadIETF(b *testing.B) {
	for b.Loop() {
		loadDescSet(b, "ietf")
	}
}

func BenchmarkLoadOpenConfig(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		loadDescSet(b, "openconfig")
	}
}
