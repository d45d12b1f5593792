package gen

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/schema/yangload"
)

// splitMain uses the golden case "split" (Options.Split "module") as an agent would: it reads
// testdata/split/doc.xml into Root and walks into the augmenting module's structs through the
// augmented ones' fields, builds configuration from structs of three packages, edits running
// with a hook printing the typed changes, and calls split-ext's rpc through its generated client
// and server over a real WebSocket session, and an action of split-ext in split-base's list whose
// key is a union type of package base.
const splitMain = `package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"

	"example.com/roundtrip/split"
	"example.com/roundtrip/split/base"
	"example.com/roundtrip/split/splitbase"
	"example.com/roundtrip/split/splitbasetypes"
	"example.com/roundtrip/split/splitext"
	"github.com/ncws/ncws/pkg/client"
	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/genimpl"
	"github.com/ncws/ncws/pkg/server"
	"github.com/ncws/ncws/pkg/transport/websocket"
)

type pinger struct {
	splitext.UnimplementedSplitExtServer
}

func (pinger) Ping(ctx context.Context, in *splitext.SplitExt_PingInput) (*splitext.SplitExt_PingOutput, error) {
	fmt.Println("server: ping", *in.Target, in.Level.String())
	return &splitext.SplitExt_PingOutput{Rtt: genimpl.Ptr(uint32(12))}, nil
}

func (pinger) ZoneDrain(ctx context.Context, kID base.Union_Uint8_String, in *splitext.SplitBase_System_Zone__SplitExt_DrainInput) (*splitext.SplitBase_System_Zone__SplitExt_DrainOutput, error) {
	fmt.Printf("server: drain %T %v %v\n", kID, kID, *in.Force)
	return &splitext.SplitBase_System_Zone__SplitExt_DrainOutput{Drained: genimpl.Ptr(uint32(2))}, nil
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run() error {
	ctx := context.Background()
	doc, err := os.ReadFile(os.Args[1])
	if err != nil {
		return err
	}
	tree, errs := yangxml.Unmarshal(doc, split.Schema(), yangxml.DecodeOptions{})
	if len(errs) > 0 {
		return errs
	}
	var root split.Root
	if err := root.FromTree(tree); err != nil {
		return err
	}
	sys := root.System
	fmt.Printf("types %T %T %T %T\n", sys, sys.Monitor, sys.Monitor.Address, sys.Left.Address)
	fmt.Printf("values %T %T %T\n", sys.Left.Address.Level, sys.Left.Address.Timeout, sys.Monitor.GetProbe(1).Mode)
	fmt.Println("monitor:", *sys.Monitor.Address.Host, *sys.Monitor.Address.Level, *sys.Monitor.Interval,
		*sys.Monitor.GetProbe(1).Mode, *sys.Monitor.GetProbe(1).Level)
	s1 := sys.GetServer("s1")
	fmt.Println("server s1:", *s1.Kind, *s1.Weight, *s1.Health.Up, "s2:", *sys.GetServer("s2").Kind, sys.GetServer("s2").Health == nil)
	fmt.Printf("zones %T %v %T %v\n", sys.Zone[0].ID, sys.Zone[0].ID, sys.Zone[1].ID, sys.Zone[1].ID)
	fmt.Println("left:", *sys.Left.Address.Host, *sys.Left.Address.Level, sys.Left.Address.Timeout, sys.Right.Address.Timeout, root.Notes.Note)

	dir, err := os.MkdirTemp("", "split")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	hook := datastore.HookFuncs{ApplyFunc: func(ctx context.Context, c *datastore.Commit) error {
		chs, err := split.Changes(c)
		if err != nil {
			return err
		}
		for _, ch := range chs {
			fmt.Printf("change %s: %T -> %T\n", ch.Path, ch.Old, ch.New)
			if m, ok := ch.New.(*splitext.SplitBase_System__SplitExt_Monitor); ok {
				fmt.Println("  monitor interval", *m.Interval)
			}
		}
		return nil
	}}
	st, err := datastore.Open(datastore.Options{Schema: split.Schema(), Dir: dir, Hooks: []datastore.Hook{hook}})
	if err != nil {
		return err
	}
	defer st.Close()
	srv := &server.Server{Store: st}
	if err := splitext.RegisterSplitExtServer(srv, pinger{}); err != nil {
		return err
	}
	l := websocket.NewListener(websocket.Options{Authenticate: func(r *http.Request) (string, error) { return "admin", nil }})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	go http.Serve(ln, l)
	go srv.Serve(l)
	defer srv.Shutdown(ctx)
	s, err := client.Dial(ctx, "ws://"+ln.Addr().String()+"/", nil)
	if err != nil {
		return err
	}
	defer s.Close()

	// Configuration built from the structs of three packages.
	var cfg split.Root
	cfg.System = &splitbase.SplitBase_System{Name: genimpl.Ptr("edge")}
	e, err := cfg.System.NewServer("s9")
	if err != nil {
		return err
	}
	if err := cfg.System.AppendZone(&splitbase.SplitBase_System_Zone{ID: base.Union_Uint8_String_Uint8(3)}); err != nil {
		return err
	}
	e.Kind = genimpl.Ptr(splitbasetypes.SplitBase_Kind_SplitExt_KindB)
	e.Health = &splitext.SplitBase_System_Server__SplitExt_Health{Up: genimpl.Ptr(false)}
	cfg.System.Monitor = &splitext.SplitBase_System__SplitExt_Monitor{Interval: genimpl.Ptr(uint32(5)),
		Address: &splitext.SplitBase_System__SplitExt_Monitor_Address{Host: genimpl.Ptr("10.9.9.9"),
			Level: genimpl.Ptr(splitbasetypes.SplitBase_Level_High), Timeout: base.Union_Uint32_String_Uint32(7)}}
	t, err := cfg.ToTree(split.Schema())
	if err != nil {
		return err
	}
	x, err := yangxml.Marshal(t, yangxml.EncodeOptions{})
	if err != nil {
		return err
	}
	fmt.Println(string(x))
	for _, edit := range []string{string(x),
		"<system xmlns='urn:example:split-base'><monitor xmlns='urn:example:split-ext'><interval>6</interval></monitor></system>"} {
		fmt.Println("edit")
		if errs := st.Edit(ctx, datastore.Who{User: "admin"}, datastore.Running, []byte(edit), datastore.EditOptions{}); len(errs) > 0 {
			return errs
		}
	}
	out, err := splitext.NewSplitExtClient(s).Ping(ctx, &splitext.SplitExt_PingInput{Target: genimpl.Ptr("10.9.9.9"),
		Level: genimpl.Ptr(splitbasetypes.SplitBase_Level_Low)})
	if err != nil {
		return err
	}
	fmt.Println("client: rtt", *out.Rtt)
	d, err := splitext.NewSplitExtClient(s).ZoneDrain(ctx, base.Union_Uint8_String_Uint8(3),
		&splitext.SplitBase_System_Zone__SplitExt_DrainInput{Force: genimpl.Ptr(true)})
	if err != nil {
		return err
	}
	fmt.Println("client: drained", *d.Drained)
	return nil
}
`

// TestSplitModule builds the golden case "split" as an agent's module would use it and runs the
// program above: the augmenting module's structs are reached through the augmented ones' fields,
// values of another package's enumeration, identity and union convert both ways, typed changes
// give the struct of the package that holds it, and the rpc of one package goes through the
// schema of the base package over a real session.
func TestSplitModule(t *testing.T) {
	t.Parallel() // a program built and run in a temporary module of its own
	if testing.Short() {
		t.Skip("builds and runs a program")
	}
	out := runSplitCase(t, "split", "split", splitMain)
	want := strings.Join([]string{
		"types *splitbase.SplitBase_System *splitext.SplitBase_System__SplitExt_Monitor *splitext.SplitBase_System__SplitExt_Monitor_Address *splitbase.SplitBase_Endpoint_Address",
		"values *splitbasetypes.SplitBase_Level base.Union_Uint32_String_Uint32 *splitext.SplitBase_System__SplitExt_Monitor_Probe_Mode",
		"monitor: 10.0.0.3 low 60 passive high",
		"server s1: split-ext:kind-b 7 true s2: split-base:kind-a true",
		"zones base.Union_Uint8_String_Uint8 3 base.Union_Uint8_String_String east",
		"left: 10.0.0.1 high 30 <var> [first second]",
		`<system xmlns="urn:example:split-base"><name>edge</name><zone><id>3</id></zone><server><name>s9</name><kind xmlns:se="urn:example:split-ext">se:kind-b</kind>` +
			`<health xmlns="urn:example:split-ext"><up>false</up></health></server>` +
			`<monitor xmlns="urn:example:split-ext"><address><host>10.9.9.9</host><level>high</level><timeout>7</timeout></address><interval>5</interval></monitor></system>`,
		"edit",
	}, "\n") + "\n"
	if !strings.HasPrefix(out, want) {
		t.Fatalf("program output mismatch (-want +got):\n%s", cmpDiff(want, out))
	}
	rest := out[len(want):]
	for _, w := range []string{
		"change /split-base:system: <nil> -> *splitbase.SplitBase_System\n",
		"edit\nchange /split-base:system/split-ext:monitor: *splitext.SplitBase_System__SplitExt_Monitor -> *splitext.SplitBase_System__SplitExt_Monitor\n  monitor interval 6\n",
		"server: ping 10.9.9.9 low\nclient: rtt 12\n",
		"server: drain base.Union_Uint8_String_Uint8 3 true\nclient: drained 2\n",
	} {
		if !strings.Contains(rest, w) {
			t.Errorf("no %q in the output after the first edit:\n%s", w, rest)
		}
	}
}

// TestSplitModuleUnchangedNames: splitting renames no type: every type of the one-package
// output of the golden case's modules is declared, under the same name, in one of the split
// packages.
func TestSplitModuleUnchangedNames(t *testing.T) {
	dir := filepath.Join("testdata", "split")
	files, err := filepath.Glob(filepath.Join(dir, "*.yang"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := yangload.Load(yangload.Options{Files: files, SearchPaths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	one := genTypes(t, s, Options{Package: "split", ShareGroupings: true})
	many := genTypes(t, s, Options{Package: "split", ShareGroupings: true, Split: "module", ImportPath: "example.com/x/split"})
	if diff := cmpDiff(one, many); diff != "" {
		t.Errorf("type names mismatch (-one package +split):\n%s", diff)
	}
	if len(one) < 10 {
		t.Errorf("only %d types: %v", len(one), one)
	}
}

// genTypes generates s with opts and returns the names of the declared types, sorted.
func genTypes(t *testing.T, s *schema.Schema, opts Options) []string {
	t.Helper()
	out, err := Generate(s, opts)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, b := range out {
		for _, l := range strings.Split(string(b), "\n") {
			if rest, ok := strings.CutPrefix(l, "type "); ok {
				names = append(names, strings.Fields(rest)[0])
			}
		}
	}
	sort.Strings(names)
	return names
}

// TestSplitLeafAugment: a module that augments another's container with a leaf of its own
// enumeration, and uses that module's typedef, gives packages that import each other's types
// without a cycle (the augmented module's named types move to its types package), and they
// build.
func TestSplitLeafAugment(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds a module")
	}
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "la-a.yang"), `module la-a {
  namespace "urn:la-a"; prefix a;
  typedef color { type enumeration { enum red; enum blue; } }
  container top { leaf paint { type color; } }
}`)
	writeFile(t, filepath.Join(dir, "la-b.yang"), `module la-b {
  namespace "urn:la-b"; prefix b;
  import la-a { prefix a; }
  augment "/a:top" { leaf mood { type enumeration { enum calm; enum busy; } } }
  container other { leaf paint { type a:color; } }
}`)
	s, err := yangload.Load(yangload.Options{Files: []string{filepath.Join(dir, "la-a.yang"), filepath.Join(dir, "la-b.yang")}})
	if err != nil {
		t.Fatal(err)
	}
	files, err := Generate(s, Options{Package: "la", Split: "module", ImportPath: "example.com/la/la"})
	if err != nil {
		t.Fatal(err)
	}
	a := string(files["laa/la_a_types.go"])
	for _, w := range []string{"Paint *laatypes.LaA_Color", "Mood *lab.LaA_Top_Mood"} {
		if !strings.Contains(a, w) {
			t.Errorf("laa/la_a_types.go lacks %q:\n%s", w, a)
		}
	}
	if b := string(files["lab/la_b_types.go"]); !strings.Contains(b, "Paint *laatypes.LaA_Color") {
		t.Errorf("lab/la_b_types.go: want la-a's typedef from laatypes:\n%s", b)
	}
	mod := t.TempDir()
	initModule(t, mod, "example.com/la")
	for n, b := range files {
		writeFile(t, filepath.Join(mod, "la", n), string(b))
	}
	goCmd(t, mod, true, "build", "./...")
}

// TestSplitGoldens generates every golden case with Options.Split "module" (and each once more
// with ShareGroupings, and once with ShareGroupings and SplitStructs 2), builds and vets the packages, and round-trips each case's doc.xml
// through the split tree's Root as TestRoundTripGolden does for one package. Gated by
// NCWS_TEST_SPLIT_GOLDENS (make test-vendor-split runs it): it builds every case again, about a
// minute and a half on the 2-core machine.
func TestSplitGoldens(t *testing.T) {
	if os.Getenv("NCWS_TEST_SPLIT_GOLDENS") == "" {
		t.Skip("set NCWS_TEST_SPLIT_GOLDENS=1 (make test-vendor-split)")
	}
	dir := t.TempDir()
	initModule(t, dir, "example.com/split")
	var imports, roots, want strings.Builder
	args := []string{"run", "."}
	for _, name := range goldenCases {
		caseDir, err := filepath.Abs(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range []struct {
			suffix string
			share  bool
			max    int
		}{{"split", false, 0}, {"shared", true, 0}, {"sub", true, 2}} {
			pkg := name + v.suffix
			s, opts := loadCase(t, caseDir, pkg, "example.com/split/"+pkg)
			opts.Split, opts.ImportPath = "module", "example.com/split/"+pkg
			opts.ShareGroupings = opts.ShareGroupings || v.share
			if v.max != 0 {
				// Subtree packages at every level, and with --share-groupings the shared
				// structs in the types packages.
				opts.SplitStructs = v.max
			}
			files, err := Generate(s, opts)
			if err != nil {
				t.Fatalf("%s: %v", pkg, err)
			}
			for n, b := range files {
				writeFile(t, filepath.Join(dir, pkg, n), string(b))
			}
			fmt.Fprintf(&imports, "\t%q\n", "example.com/split/"+pkg)
			fmt.Fprintf(&roots, "\t%q: {func() root { return new(%s.Root) }, %s.Schema},\n", pkg, pkg, pkg)
			args = append(args, pkg, caseDir, filepath.Join(caseDir, "doc.xml"))
			want.WriteString(pkg + ": ok\n")
		}
	}
	writeFile(t, filepath.Join(dir, "main.go"), fmt.Sprintf(goldenMain, imports.String(), roots.String()))
	goCmd(t, dir, true, "vet", "./...")
	out := goCmd(t, dir, true, args...)
	if diff := cmpDiff(want.String(), out); diff != "" {
		t.Errorf("round trips mismatch (-want +got):\n%s", diff)
	}
}

// splitSubtreeMain uses the golden case "splitsubtree" (a module split below the module): it
// reads doc.xml into Root, prints the packages of structs reached through the subtree
// packages' fields, builds a list entry with a key of the module's types package and a union of
// a subtree package, and writes the tree back.
const splitSubtreeMain = `package main

import (
	"fmt"
	"os"

	"example.com/roundtrip/st"
	"example.com/roundtrip/st/stdevservices"
	"example.com/roundtrip/st/stdevtypes"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
)

func main() {
	doc, err := os.ReadFile(os.Args[1])
	if err != nil {
		panic(err)
	}
	tree, errs := yangxml.Unmarshal(doc, st.Schema(), yangxml.DecodeOptions{})
	if len(errs) > 0 {
		panic(errs)
	}
	var root st.Root
	if err := root.FromTree(tree); err != nil {
		panic(err)
	}
	d := root.Device
	fmt.Printf("%T %T %T %T\n", d, d.Small, d.Routing, d.Routing.Static)
	fmt.Printf("%T %T %T\n", d.Routing.OSPF, d.Routing.OSPF.Auth.KeyType, d.Routing.OSPF.Mode)
	n := d.Routing.BGP.GetNeighbor("10.0.0.1")
	fmt.Printf("%T %T %T %v %v\n", d.Routing.BGP, n, n.State, *n.State, *n.Timers.Hold)
	fmt.Printf("%T %v %v\n", d.Routing.BGP.BFD, *d.Routing.BGP.BFD.Enabled, *d.Routing.BGP.BFD.Mode)
	v := d.Services.GetVPN(7, stdevtypes.StDev_Device_Services_VPN_Kind_L3)
	fmt.Printf("%T %T %v %T %v\n", d.Services, v, v.Kind, v.QoS.Rate, v.QoS.Rate)
	w, err := d.Services.NewVPN(8, stdevtypes.StDev_Device_Services_VPN_Kind_L2)
	if err != nil {
		panic(err)
	}
	w.QoS = &stdevservices.StDev_Device_Services_VPN_QoS{Rate: stdevservices.StDev_Device_Services_VPN_QoS_Rate_Uint32(100)}
	if _, err := d.Services.NewVPN(8, stdevtypes.StDev_Device_Services_VPN_Kind_L2); err == nil {
		panic("duplicate vpn accepted")
	}
	back, err := root.ToTree(st.Schema())
	if err != nil {
		panic(err)
	}
	x, err := yangxml.Marshal(back, yangxml.EncodeOptions{})
	if err != nil {
		panic(err)
	}
	fmt.Println(string(x))
}
`

// TestSplitSubtree builds the golden case "splitsubtree" (Options.SplitStructs 8: the module's
// subtrees in packages of their own) and runs the program above: the tree is navigated as in
// one package, values of the types package and of a subtree package convert both ways, and
// doc.xml comes back whole with the entry added.
func TestSplitSubtree(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds and runs a program")
	}
	out := runSplitCase(t, "splitsubtree", "st", splitSubtreeMain)
	want := strings.Join([]string{
		"*stdev.StDev_Device *stdev.StDev_Device_Small *stdevrouting.StDev_Device_Routing *stdevrouting.StDev_Device_Routing_Static",
		"*stdevroutingospf.StDev_Device_Routing_OSPF *stdevroutingospf.StDev_Device_Routing_OSPF_Auth_KeyType *stdevtypes.StDev_Mode",
		"*stdevroutingbgp.StDev_Device_Routing_BGP *stdevroutingbgp.StDev_Device_Routing_BGP_Neighbor *stdevroutingbgp.StDev_Device_Routing_BGP_Neighbor_State up 90",
		"*stext.StDev_Device_Routing_BGP__StExt_BFD true auto",
		"*stdevservices.StDev_Device_Services *stdevservices.StDev_Device_Services_VPN l3 stdevservices.StDev_Device_Services_VPN_QoS_Rate_Enum max",
		`<device xmlns="urn:example:st-dev"><name>r1</name><small><x>s</x></small><routing><enabled>true</enabled><static><metric>5</metric></static>` +
			`<ospf><area>0.0.0.0</area><mode>manual</mode><timers><hello>10</hello></timers><auth><key-type>sha</key-type></auth></ospf>` +
			`<bgp><as>65000</as><neighbor><address>10.0.0.1</address><state>up</state><timers><hold>90</hold></timers></neighbor><policy><import>all</import></policy>` +
			`<bfd xmlns="urn:example:st-ext"><enabled>true</enabled><mode>auto</mode></bfd></bgp></routing>` +
			`<services><vpn><id>7</id><kind>l3</kind><mode>auto</mode><qos><rate>max</rate></qos></vpn><vpn><id>8</id><kind>l2</kind><qos><rate>100</rate></qos></vpn>` +
			`<options><mtu>1500</mtu></options></services></device>`,
	}, "\n") + "\n"
	if diff := cmpDiff(want, out); diff != "" {
		t.Errorf("program output mismatch (-want +got):\n%s", diff)
	}
}

// TestSplitSubtreeEveryCase generates every golden case with Options.Split "module" and small
// SplitStructs (with and without ShareGroupings), so that the modules are cut into subtree
// packages at every level: the generation checks the packages for import cycles, and no type
// is renamed or lost (the declared names are those of the one-package output).
func TestSplitSubtreeEveryCase(t *testing.T) {
	for _, name := range goldenCases {
		dir := filepath.Join("testdata", name)
		for _, share := range []bool{false, true} {
			for _, max := range []int{1, 2, 5} {
				s, opts := loadCase(t, dir, name, "example.com/x/"+name)
				opts.ShareGroupings = opts.ShareGroupings || share
				opts.Split, opts.ImportPath, opts.SplitStructs = "", "", 0
				one := genTypes(t, s, opts)
				opts.Split, opts.ImportPath, opts.SplitStructs = "module", "example.com/x/"+name, max
				many := genTypes(t, s, opts)
				if diff := cmpDiff(one, many); diff != "" {
					t.Errorf("%s share=%v split-structs=%d: type names mismatch (-one package +split):\n%s", name, share, max, diff)
				}
			}
		}
	}
}

// TestSplitSubtreeShared: with --share-groupings a struct that is a field of several structs
// (grouping endpoint's address, in /system/left and /system/right) goes to the module's types
// package with those below it, so that left and right, now trees, get packages of their own.
func TestSplitSubtreeShared(t *testing.T) {
	s, opts := loadCase(t, filepath.Join("testdata", "split"), "split", "example.com/x/split")
	opts.SplitStructs = 2
	files, err := Generate(s, opts)
	if err != nil {
		t.Fatal(err)
	}
	decl := map[string]string{} // type -> package directory
	for n, b := range files {
		for _, l := range strings.Split(string(b), "\n") {
			if rest, ok := strings.CutPrefix(l, "type "); ok && strings.Contains(rest, " struct {") {
				decl[strings.Fields(rest)[0]] = filepath.Dir(n)
			}
		}
	}
	for typ, want := range map[string]string{
		"SplitBase_System":           "splitbase",
		"SplitBase_System_Left":      "splitbaseleft",
		"SplitBase_System_Right":     "splitbaseright",
		"SplitBase_Endpoint_Address": "splitbasetypes",
		"SplitBase_System_Zone":      "splitbasezone",
	} {
		if decl[typ] != want {
			t.Errorf("%s declared in %q, want %q", typ, decl[typ], want)
		}
	}
	if l := string(files["splitbaseleft/split_base_types.go"]); !strings.Contains(l, "Address *splitbasetypes.SplitBase_Endpoint_Address") {
		t.Errorf("splitbaseleft: want the shared struct from splitbasetypes:\n%s", l)
	}
}

// runSplitCase generates testdata/CASE with --split module as package PKG of a temporary module,
// runs mainSrc there on the case's doc.xml and returns its output.
func runSplitCase(t *testing.T, testCase, pkg, mainSrc string) string {
	t.Helper()
	caseDir, err := filepath.Abs(filepath.Join("testdata", testCase))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	initModule(t, dir, "example.com/roundtrip")
	for n, b := range generateCaseAt(t, caseDir, pkg, "example.com/roundtrip/"+pkg) {
		writeFile(t, filepath.Join(dir, pkg, n), string(b))
	}
	writeFile(t, filepath.Join(dir, "main.go"), mainSrc)
	return goCmd(t, dir, true, "run", ".", filepath.Join(caseDir, "doc.xml"))
}
