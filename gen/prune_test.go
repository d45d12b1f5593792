package gen

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ncws/ncws/pkg/agent"
	"github.com/ncws/ncws/pkg/client"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/genimpl"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/schema/yangload"
	"github.com/ncws/ncws/pkg/validate"
	"github.com/ncws/ncws/yang"
)

// pruneCase prunes the schema of golden case testdata/prune with its options (the paths
// /prune-base:interfaces and /prune-base:reset-interface).
func pruneCase(t *testing.T) (full *schema.Schema, pr *pruneResult, dir string) {
	t.Helper()
	dir = filepath.Join("testdata", "prune")
	s, opts := loadCase(t, dir, "prune", "")
	return s, pruneFor(t, s, "prune", opts.Paths), dir
}

// pruneFor prunes s to paths as Generate does with Options.PruneSchema.
func pruneFor(t testing.TB, s *schema.Schema, pkg string, paths []string) *pruneResult {
	t.Helper()
	sel, anc := map[*schema.Node]bool{}, map[*schema.Node]bool{}
	for _, p := range paths {
		n, err := ResolvePath(s, p)
		if err != nil {
			t.Fatal(err)
		}
		sel[n] = true
		for a := n.Parent; a != nil; a = a.Parent {
			anc[a] = true
		}
	}
	pr, err := pruneSchema(s, sel, anc, pkg, paths)
	if err != nil {
		t.Fatal(err)
	}
	return pr
}

// checkTruthful fails unless the pruned schema pr is what the texts it advertises compile to:
// the staying implemented modules' files (found in the schema's Module.File; the protocol
// modules are load's to add) and the generated deviation module, loaded by load with search
// paths search; yanglint, when installed, accepts
// them too.
func checkTruthful(t *testing.T, pr *pruneResult, search []string, load func(yangload.Options) (*schema.Schema, error)) {
	t.Helper()
	tmp := t.TempDir()
	devFile := filepath.Join(tmp, pr.dev.Name+".yang")
	if err := os.WriteFile(devFile, []byte(pr.dev.Source), 0o644); err != nil {
		t.Fatal(err)
	}
	files := []string{devFile}
	var lintFiles []string
	for _, m := range pr.s.Modules {
		// The protocol modules are yang.Load's to add.
		if m.Implemented && m != pr.dev && !protocolModules()[m.Name] {
			files = append(files, pr.orig[m].File)
			lintFiles = append(lintFiles, pr.orig[m].File)
		}
	}
	re, err := load(yangload.Options{Files: files, SearchPaths: search})
	if err != nil {
		t.Fatalf("the staying modules with %s do not load: %v\n%s", pr.dev.Name, err, pr.dev.Source)
	}
	opts := schema.DescriptorOptions{OmitSources: true, BaseNames: true}
	want, err := schema.MarshalDescriptor(re, opts)
	if err != nil {
		t.Fatal(err)
	}
	got, err := schema.MarshalDescriptor(pr.s, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(want, got) {
		if diff := cmpDiff(schemaListing(re), schemaListing(pr.s)); diff != "" {
			t.Errorf("pruned schema mismatch (-compiled from the texts +pruned):\n%s", diff)
		}
		t.Errorf("the pruned schema's descriptor differs from that of the texts it advertises")
	}
	if _, err := exec.LookPath("yanglint"); err != nil {
		t.Log("yanglint not installed: not cross-checked")
		return
	}
	var args []string
	for _, d := range search {
		args = append(args, "-p", d)
	}
	out, err := exec.Command("yanglint", append(append(args, lintFiles...), devFile)...).CombinedOutput()
	if err != nil || len(bytes.TrimSpace(out)) > 0 {
		t.Errorf("yanglint on the staying modules and %s: %v\n%s", pr.dev.Name, err, out)
	}
}

// schemaListing lists every module (implemented, deviations) and schema node (path, kind) of s.
func schemaListing(s *schema.Schema) []string {
	var out []string
	var walk func(n *schema.Node)
	walk = func(n *schema.Node) {
		out = append(out, n.Kind.String()+" "+n.Path())
		for _, c := range n.Children {
			walk(c)
		}
	}
	for _, m := range s.Modules {
		state := "import-only"
		if m.Implemented {
			state = "implemented"
		}
		out = append(out, "module "+m.Name+" "+state+" deviations="+strings.Join(m.Deviations, ","))
		for _, list := range [][]*schema.Node{m.Data, m.RPCs, m.Notifications} {
			for _, n := range list {
				walk(n)
			}
		}
	}
	return out
}

// TestPruneSchema pins what Options.PruneSchema keeps of the prune case: the interfaces subtree
// (with prune-extra's augment) and the rpc named by a path whole; the routing instance's key
// (the vrf leafref's target) and its mandatory route-distinguisher, not its other children;
// the system's min-mtu (read by the mtu leaf's must), not its siblings; every identity of the
// modules that stay. prune-types, implemented but used only for a typedef, stays import-only;
// prune-target, none of whose nodes is kept, stays implemented because prune-extra, which
// stays, augments it (its container is deviated); prune-other, which nothing refers to, is
// left out.
func TestPruneSchema(t *testing.T) {
	_, pr, _ := pruneCase(t)
	want := []string{
		"module ncws-prune-prune implemented deviations=",
		"module prune-base implemented deviations=ncws-prune-prune",
		"container /prune-base:system",
		"leaf /prune-base:system/min-mtu",
		"container /prune-base:interfaces",
		"list /prune-base:interfaces/interface",
		"leaf /prune-base:interfaces/interface/name",
		"leaf /prune-base:interfaces/interface/index",
		"leaf /prune-base:interfaces/interface/type",
		"leaf /prune-base:interfaces/interface/mtu",
		"leaf /prune-base:interfaces/interface/vrf",
		"leaf /prune-base:interfaces/interface/loopback-only",
		"choice /prune-base:interfaces/interface",
		"case /prune-base:interfaces/interface",
		"leaf /prune-base:interfaces/interface/address",
		"case /prune-base:interfaces/interface",
		"leaf /prune-base:interfaces/interface/dhcp",
		"leaf /prune-base:interfaces/interface/prune-extra:speed",
		"container /prune-base:routing",
		"list /prune-base:routing/instance",
		"leaf /prune-base:routing/instance/name",
		"leaf /prune-base:routing/instance/route-distinguisher",
		"rpc /prune-base:reset-interface",
		"input /prune-base:reset-interface/input",
		"leaf /prune-base:reset-interface/input/name",
		"output /prune-base:reset-interface/output",
		"module prune-extra implemented deviations=ncws-prune-prune",
		"module prune-target implemented deviations=ncws-prune-prune",
		"module prune-types import-only deviations=",
	}
	if diff := cmpDiff(want, schemaListing(pr.s)); diff != "" {
		t.Errorf("pruned schema mismatch (-want +got):\n%s", diff)
	}
	var idents []string
	for _, m := range pr.s.Modules {
		for _, id := range m.Identities {
			idents = append(idents, id.QName())
		}
	}
	wantIdents := []string{"prune-base:if-type", "prune-base:ethernet", "prune-base:loopback", "prune-base:unused-identity", "prune-extra:fast-ethernet"}
	if diff := cmpDiff(wantIdents, idents); diff != "" {
		t.Errorf("identities mismatch (-want +got):\n%s", diff)
	}
	if diff := cmpDiff([]string{"prune-other"}, pr.dropped); diff != "" {
		t.Errorf("dropped modules mismatch (-want +got):\n%s", diff)
	}
	if diff := cmpDiff([]string{"prune-types"}, pr.demoted); diff != "" {
		t.Errorf("demoted modules mismatch (-want +got):\n%s", diff)
	}
	var targets []string
	for _, l := range strings.Split(pr.dev.Source, "\n") {
		if t, ok := strings.CutPrefix(strings.TrimSpace(l), "deviation "); ok {
			targets = append(targets, strings.TrimSuffix(t, " {"))
		}
	}
	wantTargets := []string{`"/pb:system/pb:hostname"`, `"/pb:system/pb:ntp"`, `"/pb:system/px:logging"`,
		`"/pb:routing/pb:instance/pb:description"`, `"/pb:routing/pb:instance/pb:protocols"`, `"/pb:reboot"`, `"/pb:link-flap"`, `"/tg:stats"`}
	if diff := cmpDiff(wantTargets, targets); diff != "" {
		t.Errorf("deviation targets mismatch (-want +got):\n%s", diff)
	}
}

// TestPruneSchemaTruthful: the pruned schema is what the staying implemented modules' own texts
// plus the generated deviation module compile to (the modules left import-only read as imports),
// descriptor for descriptor, so what a server advertises (modules, deviations, get-schema texts)
// describes exactly the schema it validates with. yanglint, when installed, accepts the same
// set.
func TestPruneSchemaTruthful(t *testing.T) {
	_, pr, dir := pruneCase(t)
	checkTruthful(t, pr, []string{dir}, yangload.Load)
}

// TestPruneSchemaValidate validates documents against the pruned schema as the generated
// package embeds it (through its descriptor) and against the whole schema: the kept
// subtree's leafref, must, when, unique and mandatory checks reach into the kept nodes outside
// it and give the same verdicts as with the whole schema; data outside the kept nodes is
// refused as unknown by the pruned schema and accepted by the whole one.
func TestPruneSchemaValidate(t *testing.T) {
	full, pr, _ := pruneCase(t)
	desc, err := schema.MarshalDescriptor(pr.s, schema.DescriptorOptions{OmitSources: true, BaseNames: true})
	if err != nil {
		t.Fatal(err)
	}
	pruned, err := schema.UnmarshalDescriptor(desc)
	if err != nil {
		t.Fatal(err)
	}
	const head = `<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">`
	const sys = `<system xmlns="urn:example:prune-base"><min-mtu>1280</min-mtu></system>`
	const blue = `<routing xmlns="urn:example:prune-base"><instance><name>blue</name><route-distinguisher>65000:1</route-distinguisher></instance></routing>`
	iface := func(body string) string {
		return `<interfaces xmlns="urn:example:prune-base"><interface><name>eth0</name><type>ethernet</type>` + body + `</interface></interfaces>`
	}
	tests := []struct {
		name string
		doc  string
		// want is the errors (tag path) with either schema; wantFull, when set, those with the
		// whole schema where the pruned one gives want.
		want, wantFull []string
	}{
		{"valid", sys + blue + iface(`<mtu>1500</mtu><vrf>blue</vrf><px:speed xmlns:px="urn:example:prune-extra">1000</px:speed>`), nil, nil},
		{"leafref into the kept routing instance", blue + iface(`<vrf>red</vrf>`),
			[]string{"data-missing /prune-base:interfaces/interface[name='eth0']/vrf"}, nil},
		{"must reads the kept min-mtu", sys + iface(`<mtu>1000</mtu>`),
			[]string{"operation-failed /prune-base:interfaces/interface[name='eth0']/mtu"}, nil},
		{"must with min-mtu's default", iface(`<mtu>68</mtu>`), nil, nil},
		{"when on the identity", iface(`<loopback-only>x</loopback-only>`),
			[]string{"unknown-element /prune-base:interfaces/interface[name='eth0']/loopback-only"}, nil},
		{"mandatory child of a kept list", `<routing xmlns="urn:example:prune-base"><instance><name>blue</name></instance></routing>`,
			[]string{"missing-element /prune-base:routing/instance[name='blue']/route-distinguisher"}, nil},
		{"unique", `<interfaces xmlns="urn:example:prune-base"><interface><name>a</name><type>ethernet</type><index>1</index></interface>` +
			`<interface><name>b</name><type>ethernet</type><index>1</index></interface></interfaces>`,
			[]string{"operation-failed /prune-base:interfaces/interface[name='b']"}, nil},
		{"outside: a sibling of min-mtu", `<system xmlns="urn:example:prune-base"><hostname>r1</hostname></system>`,
			[]string{"unknown-element /prune-base:system"}, []string{}},
		{"outside: a non-key child of the leafref's target list", `<routing xmlns="urn:example:prune-base"><instance><name>blue</name>` +
			`<route-distinguisher>1:1</route-distinguisher><description>d</description></instance></routing>`,
			[]string{"unknown-element /prune-base:routing/instance[name='blue']"}, []string{}},
		{"outside: a left-out module", `<unrelated xmlns="urn:example:prune-other"><value>v</value></unrelated>`,
			[]string{"unknown-namespace /"}, []string{}},
	}
	verdict := func(s *schema.Schema, doc string) []string {
		root, errs := yangxml.Unmarshal([]byte(head+doc+`</config>`), s, yangxml.DecodeOptions{})
		out := []string{}
		for _, e := range errs {
			out = append(out, string(e.Tag)+" "+e.Path)
		}
		if len(errs) > 0 {
			return out
		}
		for _, e := range validate.New(s).Validate(root, validate.Options{}) {
			out = append(out, string(e.Tag)+" "+e.Path)
		}
		return out
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := tt.want
			if want == nil {
				want = []string{}
			}
			if diff := cmpDiff(want, verdict(pruned, tt.doc)); diff != "" {
				t.Errorf("pruned schema: errors mismatch (-want +got):\n%s", diff)
			}
			wantFull := want
			if tt.wantFull != nil {
				wantFull = tt.wantFull
			}
			if diff := cmpDiff(wantFull, verdict(full, tt.doc)); diff != "" {
				t.Errorf("whole schema: errors mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPruneSchemaNothingLeftOut: pruning a schema where the paths keep everything gives the
// schema itself, descriptor for descriptor (every field of the nodes, types, musts, whens,
// identities and modules is copied), and no deviation module.
func TestPruneSchemaNothingLeftOut(t *testing.T) {
	for _, name := range goldenCases {
		t.Run(name, func(t *testing.T) {
			s, _ := loadCase(t, filepath.Join("testdata", name), name, "")
			sel := map[*schema.Node]bool{}
			for _, m := range s.Modules {
				for _, list := range [][]*schema.Node{m.Data, m.RPCs, m.Notifications} {
					for _, n := range list {
						sel[n] = true
					}
				}
			}
			pr, err := pruneSchema(s, sel, map[*schema.Node]bool{}, name, []string{"/"})
			if err != nil {
				t.Fatal(err)
			}
			if pr.dev != nil {
				t.Errorf("a deviation module for nothing left out:\n%s", pr.dev.Source)
			}
			opts := schema.DescriptorOptions{BaseNames: true}
			want, err := schema.MarshalDescriptor(s, opts)
			if err != nil {
				t.Fatal(err)
			}
			got, err := schema.MarshalDescriptor(pr.s, opts)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(want, got) {
				if diff := cmpDiff(schemaListing(s), schemaListing(pr.s)); diff != "" {
					t.Errorf("listing mismatch (-whole +pruned):\n%s", diff)
				}
				t.Errorf("the copy's descriptor differs from the schema's (%d and %d bytes)", len(want), len(got))
			}
		})
	}
}

// TestPruneSchemaProtocol: with the protocol modules loaded as ncws gen loads them
// (yang.Load), pruning keeps every node of those modules (a server built on the package serves
// their operations and state) and deviates none of them; the texts still compile to the
// pruned schema.
func TestPruneSchemaProtocol(t *testing.T) {
	dir := filepath.Join("testdata", "prune")
	var files []string
	for _, f := range []string{"prune-base.yang", "prune-extra.yang", "prune-other.yang", "prune-target.yang", "prune-types.yang"} {
		files = append(files, filepath.Join(dir, f))
	}
	s, err := yang.Load(yangload.Options{Files: files, SearchPaths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	n, err := ResolvePath(s, "/prune-base:interfaces")
	if err != nil {
		t.Fatal(err)
	}
	pr, err := pruneSchema(s, map[*schema.Node]bool{n: true}, map[*schema.Node]bool{}, "prune", []string{"/prune-base:interfaces"})
	if err != nil {
		t.Fatal(err)
	}
	count := func(s *schema.Schema, mod string) (implemented bool, nodes int) {
		m := s.Module(mod)
		if m == nil {
			return false, -1
		}
		var walk func(ns []*schema.Node)
		walk = func(ns []*schema.Node) {
			for _, n := range ns {
				nodes++
				walk(n.Children)
			}
		}
		for _, list := range [][]*schema.Node{m.Data, m.RPCs, m.Notifications} {
			walk(list)
		}
		return m.Implemented, nodes
	}
	for _, f := range yang.Protocol {
		name, _, _ := strings.Cut(f, "@")
		wi, wn := count(s, name)
		gi, gn := count(pr.s, name)
		if wi != gi || wn != gn {
			t.Errorf("module %s: implemented %v with %d nodes in the pruned schema, want %v with %d", name, gi, gn, wi, wn)
		}
		if m := pr.s.Module(name); m != nil && slices.Contains(m.Deviations, pr.dev.Name) {
			t.Errorf("module %s is deviated by %s", name, pr.dev.Name)
		}
	}
	if pr.s.FindNode("/ietf-netconf:edit-config/input/target") == nil || pr.s.FindNode("/ietf-yang-library:yang-library/module-set/module/deviation") == nil {
		t.Error("protocol nodes missing from the pruned schema")
	}
	if pr.s.FindNode("/prune-base:system/hostname") != nil || pr.s.FindNode("/prune-base:interfaces/interface/vrf") == nil {
		t.Error("the pruned schema is not pruned to the interfaces subtree")
	}
	checkTruthful(t, pr, []string{dir}, yang.Load)
}

// TestPruneSchemaSplit: with --split module the pruned schema and the deviation module's text
// go to the base package as the whole schema does.
func TestPruneSchemaSplit(t *testing.T) {
	s, opts := loadCase(t, filepath.Join("testdata", "prune"), "prune", "example.com/prune")
	opts.Split, opts.ImportPath = "module", "example.com/prune"
	files, err := Generate(s, opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := files["base/ncws_prune_prune_yang.go"]; !ok {
		t.Errorf("no base/ncws_prune_prune_yang.go among the files")
	}
	if _, ok := files["base/prune_other_yang.go"]; ok {
		t.Errorf("the text of the left-out module prune-other is written")
	}
	if !strings.Contains(string(files["base/schema.go"]), `"ncws-prune-prune":`) {
		t.Errorf("base/schema.go does not embed the deviation module's text")
	}
}

// TestPruneSchemaServed serves the pruned schema of the prune case (loaded with the protocol
// modules as ncws gen loads them, through the descriptor and texts a generated package embeds)
// with an agent on a loopback port, and talks to it with the client over WebSocket: the
// yang-library lists the generated deviation module as a deviation of the modules it prunes
// (the modules are YANG 1.1, so not in the hello), the module kept for its typedef as
// import-only and not the module left out; get-schema
// serves its text and the full text of a pruned module, an edit inside the kept subtree is
// validated into the kept nodes outside it (a dangling leafref is refused, a resolved one
// accepted), and an edit outside the kept nodes is refused as unknown.
func TestPruneSchemaServed(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("testdata", "prune")
	var files []string
	for _, f := range []string{"prune-base.yang", "prune-extra.yang", "prune-other.yang", "prune-target.yang", "prune-types.yang"} {
		files = append(files, filepath.Join(dir, f))
	}
	full, err := yang.Load(yangload.Options{Files: files, SearchPaths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	pr := pruneFor(t, full, "prune", []string{"/prune-base:interfaces"})
	desc, err := schema.MarshalDescriptor(pr.s, schema.DescriptorOptions{OmitSources: true, BaseNames: true})
	if err != nil {
		t.Fatal(err)
	}
	sources := map[string]string{}
	for _, m := range pr.s.Modules {
		sources[m.Name] = genimpl.Deflate([]byte(m.Source))
	}
	s, err := genimpl.LoadCompressedSchema(genimpl.Deflate(desc), sources)
	if err != nil {
		t.Fatal(err)
	}
	var password string
	a, err := agent.New(&agent.Options{Schemas: []*schema.Schema{s}, Dir: t.TempDir(), Listen: "127.0.0.1:0",
		AdminCreated: func(_, pw string) { password = pw }, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := a.Listen()
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- a.ServeContext(ctx, ln) }()
	defer func() {
		stop()
		if err := <-served; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	c, err := client.Dial(ctx, "ws://"+ln.Addr().String()+"/netconf", &client.Options{Username: "admin", Password: password})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	// YANG 1.1 modules are advertised by the yang-library (RFC 7950 section 5.6.4), with the
	// modules deviating them.
	lib, err := c.Get(ctx, client.Filter{Subtree: []byte(`<yang-library xmlns="urn:ietf:params:xml:ns:yang:ietf-yang-library"><module-set><module/><import-only-module/></module-set></yang-library>`)})
	if err != nil {
		t.Fatal(err)
	}
	var mods []string
	for _, part := range strings.SplitAfter(string(lib), "</module>") {
		i := strings.LastIndex(part, "<module>")
		if i < 0 || !strings.Contains(part[i:], "prune") {
			continue
		}
		m := part[i:]
		name := m[strings.Index(m, "<name>")+6 : strings.Index(m, "</name>")]
		var devs []string
		for _, d := range strings.Split(m, "<deviation>")[1:] {
			devs = append(devs, d[:strings.Index(d, "</deviation>")])
		}
		mods = append(mods, name+" deviations="+strings.Join(devs, ","))
	}
	wantMods := []string{"ncws-prune-prune deviations=", "prune-base deviations=ncws-prune-prune", "prune-extra deviations=ncws-prune-prune",
		"prune-target deviations=ncws-prune-prune"}
	if diff := cmpDiff(wantMods, mods); diff != "" {
		t.Errorf("yang-library prune modules mismatch (-want +got):\n%s\n%s", diff, lib)
	}
	if !strings.Contains(string(lib), "<import-only-module><name>prune-types</name>") || strings.Contains(string(lib), "prune-other") {
		t.Errorf("yang-library: prune-types not import-only, or prune-other listed:\n%s", lib)
	}
	text, err := c.GetSchema(ctx, "ncws-prune-prune", "")
	if err != nil || text != pr.dev.Source {
		t.Errorf("get-schema ncws-prune-prune: %v\n%s", err, text)
	}
	base, err := os.ReadFile(filepath.Join(dir, "prune-base.yang"))
	if err != nil {
		t.Fatal(err)
	}
	if text, err := c.GetSchema(ctx, "prune-base", ""); err != nil || text != string(base) {
		t.Errorf("get-schema prune-base: not the module's full text (%v)", err)
	}

	edit := func(body string) []string {
		err := c.EditConfig(ctx, client.Running, []byte(body), client.EditOptions{})
		var errs rpcerror.List
		if err != nil && !errors.As(err, &errs) {
			t.Fatalf("edit-config: %v", err)
		}
		out := []string{}
		for _, e := range errs {
			out = append(out, string(e.Tag)+" "+e.Path)
		}
		return out
	}
	iface := `<interfaces xmlns="urn:example:prune-base"><interface><name>eth0</name><type>ethernet</type><vrf>blue</vrf></interface></interfaces>`
	for _, tt := range []struct {
		name, body string
		want       []string
	}{
		{"dangling leafref", iface, []string{"data-missing /pb:interfaces/pb:interface[pb:name='eth0']/pb:vrf"}},
		{"outside the kept nodes", `<system xmlns="urn:example:prune-base"><hostname>r1</hostname></system>`,
			[]string{"unknown-element /pb:system"}},
		{"resolved leafref", `<routing xmlns="urn:example:prune-base"><instance><name>blue</name>` +
			`<route-distinguisher>65000:1</route-distinguisher></instance></routing>` + iface, []string{}},
	} {
		if diff := cmpDiff(tt.want, edit(tt.body)); diff != "" {
			t.Errorf("%s: errors mismatch (-want +got):\n%s", tt.name, diff)
		}
	}
}

// TestPruneSchemaMerge: a server cannot serve a pruned package beside another package of the
// same modules pruned otherwise, or beside the whole schema: schema.Merge refuses the
// different deviations of one module rather than advertise one package's deviations for both.
func TestPruneSchemaMerge(t *testing.T) {
	full, pr, _ := pruneCase(t)
	other := pruneFor(t, full, "other", []string{"/prune-base:routing"})
	for _, tt := range []struct {
		name string
		with *schema.Schema
	}{{"pruned otherwise", other.s}, {"whole", full}} {
		if _, err := schema.Merge(pr.s, tt.with); !errors.Is(err, schema.ErrMergeConflict) {
			t.Errorf("merge with the schema %s: error %v, want ErrMergeConflict", tt.name, err)
		}
	}
}
