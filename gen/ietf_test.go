package gen

import (
	"bytes"
	"fmt"
	"go/format"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ncws/ncws/pkg/schema/yangload"
	"github.com/ncws/ncws/yang"
)

// sharedYang returns the shared YANG models beside the repository ($NCWS_SHARED/yang when set),
// failing the test when they are missing.
func sharedYang(t testing.TB) string {
	t.Helper()
	d := os.Getenv("NCWS_SHARED")
	if d == "" {
		d = filepath.Join("..", "..", "shared")
	}
	abs, err := filepath.Abs(filepath.Join(d, "yang"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(abs, "ietf")); err != nil {
		t.Fatalf("shared YANG models not found at %s (set NCWS_SHARED): %v", abs, err)
	}
	return abs
}

// modelSet is a set of third-party modules to generate a package from, loaded as `ncws gen`
// loads them: with the protocol modules, emitting only the modules of files.
type modelSet struct {
	search   []string // search directories
	files    []string // the modules emitted
	features map[string][]string
	// lintImplemented runs yanglint with -i (imported modules implemented).
	lintImplemented bool
	// paths is Options.Paths.
	paths []string
	// share is Options.ShareGroupings; split Options.Split, with the import path
	// example.com/roundtrip/<pkg> (roundTripModule's).
	share bool
	split string
	// prune is Options.PruneSchema.
	prune bool
}

// ietfSet is the IETF device model set of issue 3: ietf-interfaces, ietf-ip and ietf-routing with
// the IPv4 and IPv6 unicast routing modules, all in their NMDA revisions (RFC 8343, 8344, 8349),
// ietf-system (RFC 7317) and ietf-netconf-acm (RFC 8341), with iana-if-type for the interface
// types.
func ietfSet(t testing.TB) modelSet {
	y := sharedYang(t)
	nmda, ietf := filepath.Join(y, "ietf-nmda"), filepath.Join(y, "ietf")
	return modelSet{
		search: []string{nmda, ietf},
		files: []string{
			filepath.Join(nmda, "ietf-interfaces@2018-02-20.yang"),
			filepath.Join(nmda, "ietf-ip@2018-02-22.yang"),
			filepath.Join(nmda, "ietf-routing@2018-03-13.yang"),
			filepath.Join(nmda, "ietf-ipv4-unicast-routing@2018-03-13.yang"),
			filepath.Join(nmda, "ietf-ipv6-unicast-routing@2018-03-13.yang"),
			filepath.Join(ietf, "ietf-system@2014-08-06.yang"),
			filepath.Join(ietf, "ietf-netconf-acm@2018-02-14.yang"),
			filepath.Join(ietf, "iana-if-type@2014-05-08.yang"),
		},
	}
}

// generateSet loads set with the protocol modules and generates package pkg for the modules of
// set.files, as `ncws gen` does.
func generateSet(t testing.TB, set modelSet, pkg string, compress bool) (map[string][]byte, error) {
	t.Helper()
	s, err := yang.Load(yangload.Options{SearchPaths: set.search, Files: set.files, Features: set.features})
	if err != nil {
		t.Fatal(err)
	}
	var mods []string
	for _, f := range set.files {
		var name string
		for _, m := range s.Modules {
			if m.File == f {
				name = m.Name
			}
		}
		if name == "" {
			t.Fatalf("no module read from %s", f)
		}
		mods = append(mods, name)
	}
	opts := Options{Package: pkg, Modules: mods, CompressPaths: compress, Paths: set.paths, PruneSchema: set.prune, ShareGroupings: set.share, Split: set.split}
	if set.split != "" {
		opts.ImportPath = "example.com/roundtrip/" + pkg
	}
	return Generate(s, opts)
}

// yanglintValid runs yanglint on doc (configuration data) against set and fails the test when
// yanglint finds it invalid; without yanglint on PATH it skips the check, unless $CI is set.
func yanglintValid(t *testing.T, set modelSet, doc string) {
	t.Helper()
	lint, err := exec.LookPath("yanglint")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("yanglint not on PATH, and CI is set")
		}
		t.Log("yanglint not on PATH: the document is not checked")
		return
	}
	var args []string
	if set.lintImplemented {
		args = append(args, "-i")
	}
	for _, p := range set.search {
		args = append(args, "-p", p)
	}
	for m, fs := range set.features {
		args = append(args, "-F", m+":"+strings.Join(fs, ","))
	}
	args = append(append(append(args, "-t", "config"), set.files...), doc)
	if out, err := exec.Command(lint, args...).CombinedOutput(); err != nil {
		t.Fatalf("yanglint finds %s invalid (%v):\n%s", doc, err, out)
	}
}

// roundTripProgram is the main package run against a generated package: it decodes the document
// with the schema the package embeds, converts the tree to the typed Root and back, requires
// the re-encoded XML to equal the canonical encoding of the document, and then prints what
// facts (facts.go, written per test) reads from the typed structs.
const roundTripProgram = `package main

import (
	"bytes"
	"fmt"
	"os"

	"github.com/ncws/ncws/pkg/encoding/yangxml"

	%[1]q
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run() error {
	s := %[2]s.Schema()
	doc, err := os.ReadFile(os.Args[1])
	if err != nil {
		return err
	}
	tree, errs := yangxml.Unmarshal(doc, s, yangxml.DecodeOptions{})
	if len(errs) > 0 {
		return errs
	}
	want, err := yangxml.Marshal(tree, yangxml.EncodeOptions{Indent: "  "})
	if err != nil {
		return err
	}
	var root %[2]s.Root
	if err := root.FromTree(tree); err != nil {
		return fmt.Errorf("FromTree: %%w", err)
	}
	back, err := root.ToTree(s)
	if err != nil {
		return fmt.Errorf("ToTree: %%w", err)
	}
	got, err := yangxml.Marshal(back, yangxml.EncodeOptions{Indent: "  "})
	if err != nil {
		return err
	}
	if !bytes.Equal(want, got) {
		return fmt.Errorf("round trip mismatch:\n--- want\n%%s\n--- got\n%%s", want, got)
	}
	fmt.Printf("round trip: %%d bytes equal\n", len(got))
	return facts(&root)
}
`

// roundTripModule writes files as package pkg into a temporary module beside the round-trip
// program and facts.go (package main, func facts(*<pkg>.Root) error), builds and vets the module,
// runs the program on doc and returns what it printed.
func roundTripModule(t *testing.T, pkg string, files map[string][]byte, facts, doc string) string {
	t.Helper()
	dir := t.TempDir()
	initModule(t, dir, "example.com/roundtrip")
	for name, b := range files {
		writeFile(t, filepath.Join(dir, pkg, name), string(b))
	}
	writeFile(t, filepath.Join(dir, "main.go"), fmt.Sprintf(roundTripProgram, "example.com/roundtrip/"+pkg, pkg))
	writeFile(t, filepath.Join(dir, "facts.go"), facts)
	goCmd(t, dir, true, "build", "./...")
	goCmd(t, dir, true, "vet", "./...")
	docAbs, err := filepath.Abs(doc)
	if err != nil {
		t.Fatal(err)
	}
	return goCmd(t, dir, true, "run", ".", docAbs)
}

// ietfFacts reads the typed structs of the IETF document.
const ietfFacts = `package main

import (
	"fmt"

	"example.com/roundtrip/ietf"
)

func facts(root *ietf.Root) error {
	eth0 := root.Interfaces.GetInterface("eth0")
	fmt.Println("eth0:", *eth0.Type == ietf.IetfInterfaces_InterfaceType_IanaIfType_EthernetCsmacd, *eth0.LinkUpDownTrapEnable)
	fmt.Println("ipv4:", *eth0.IPv4.Address[0].IP, *eth0.IPv4.Address[0].PrefixLength, *eth0.IPv4.Address[1].Netmask, *eth0.IPv4.MTU)
	fmt.Println("ipv6:", *eth0.IPv6.Address[0].IP, *eth0.IPv6.Address[0].PrefixLength, *eth0.IPv6.Autoconf.TemporaryValidLifetime)
	fmt.Println("lo0:", *root.Interfaces.GetInterface("lo0").Enabled, len(root.Interfaces.Interface))
	st := root.Routing.ControlPlaneProtocols.GetControlPlaneProtocol(ietf.IetfRouting_ControlPlaneProtocol_Static, "st0")
	v4 := st.StaticRoutes.IPv4.Route
	fmt.Println("static v4:", *v4[0].DestinationPrefix, *v4[0].NextHop.NextHopAddress, *v4[1].NextHop.SpecialNextHop,
		len(v4[2].NextHop.NextHopList.NextHop), *v4[2].NextHop.NextHopList.NextHop[0].OutgoingInterface)
	v6 := st.StaticRoutes.IPv6.Route[0]
	fmt.Println("static v6:", *v6.DestinationPrefix, *v6.NextHop.OutgoingInterface, *v6.NextHop.NextHopAddress)
	fmt.Println("rib:", *root.Routing.Ribs.GetRib("custom-v4").AddressFamily == ietf.IetfRouting_AddressFamily_IetfIPv4UnicastRouting_IPv4Unicast)
	sys := root.System
	fmt.Println("system:", *sys.Hostname, *sys.Clock.TimezoneName, *sys.NTP.GetServer("ntp1").UDP.Port, *sys.NTP.GetServer("ntp2").UDP.Address)
	fmt.Println("dns:", sys.DNSResolver.Search, *sys.DNSResolver.GetServer("dns1").UDPAndTCP.Address, *sys.DNSResolver.Options.Attempts)
	admin := sys.Authentication.GetUser("admin")
	fmt.Println("users:", sys.Authentication.UserAuthenticationOrder, len(sys.Authentication.User), *admin.AuthorizedKey[0].Algorithm, len(admin.AuthorizedKey[0].KeyData))
	nacm := root.Nacm
	fmt.Println("nacm:", *nacm.EnableNacm, *nacm.WriteDefault, nacm.Groups.GetGroup("operators").UserName)
	deny := nacm.GetRuleList("operators").GetRule("deny-kill-session")
	fmt.Println("rule:", *deny.RPCName, *deny.Action, deny.AccessOperations, *nacm.GetRuleList("operators").GetRule("permit-interfaces").ModuleName)
	return nil
}
`

// TestRoundTripIETF generates the IETF device model set into a temporary module, builds and
// vets it, and round-trips testdata/ietf/doc.xml (interfaces with IPv4 and IPv6 addresses, IPv4
// and IPv6 static routes, system with NTP, DNS and local users, NACM groups and rules; valid for
// yanglint): XML -> tree -> typed structs -> tree -> XML, equal to the canonical XML.
func TestRoundTripIETF(t *testing.T) {
	t.Parallel() // a program built and run in a temporary module of its own
	if testing.Short() {
		t.Skip("builds and runs a program")
	}
	set := ietfSet(t)
	doc := filepath.Join("testdata", "ietf", "doc.xml")
	yanglintValid(t, set, doc)
	files, err := generateSet(t, set, "ietf", false)
	if err != nil {
		t.Fatal(err)
	}
	checkFiles(t, files)
	out := roundTripModule(t, "ietf", files, ietfFacts, doc)
	_, out, _ = strings.Cut(out, "\n") // the byte count depends on the encoder's layout
	want := strings.Join([]string{
		"eth0: true enabled",
		"ipv4: 192.0.2.1 24 255.255.255.0 1500",
		"ipv6: 2001:db8::1 64 86400",
		"lo0: false 2",
		"static v4: 0.0.0.0/0 192.0.2.254 blackhole 2 eth0",
		"static v6: ::/0 eth0 2001:db8::fe",
		"rib: true",
		"system: edge-1.example.com Europe/Berlin 123 ntp.example.com",
		"dns: [example.com example.net] 2001:db8::53 2",
		"users: [ietf-system:local-users] 2 ssh-ed25519 35",
		"nacm: true deny [oper admin]",
		"rule: kill-session deny exec ietf-interfaces",
		"",
	}, "\n")
	if diff := cmpDiff(want, out); diff != "" {
		t.Errorf("typed structs mismatch (-want +got):\n%s", diff)
	}
}

// checkFiles checks what every generated file must be: the header naming its source modules,
// and no file over a megabyte.
func checkFiles(t *testing.T, files map[string][]byte) {
	t.Helper()
	for name, b := range files {
		first, rest, _ := strings.Cut(string(b), "\n")
		second, _, _ := strings.Cut(rest, "\n")
		if !strings.HasPrefix(first, "// Code generated by ncws gen v") || !strings.HasSuffix(first, ". DO NOT EDIT.") ||
			!strings.HasPrefix(second, "// Source modules: ") {
			t.Errorf("%s: header %q %q", name, first, second)
		}
		if len(b) > 1<<20 {
			t.Errorf("%s: %d bytes, over a megabyte", name, len(b))
		}
		// Most files are written in gofmt's layout without go/format (gofmt.go): they must be
		// exactly what gofmt prints.
		if f, err := format.Source(b); err != nil {
			t.Errorf("%s: %v", name, err)
		} else if !bytes.Equal(f, b) {
			t.Errorf("%s is not gofmt'd (-generated +gofmt):\n%s", name, cmpDiff(string(b), string(f)))
		}
	}
}
