package gen

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/ncws/ncws/pkg/schema/yangload"
	"github.com/ncws/ncws/yang"
)

// roundTripMain is the program run against the package generated from the example device model:
// XML -> tree -> typed structs -> tree -> XML must give the XML the first tree encodes to, and the
// typed structs must hold what the document says.
const roundTripMain = `package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"

	"example.com/roundtrip/example"
	"github.com/ncws/ncws/pkg/genimpl"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/schema/yangload"
	"github.com/ncws/ncws/yang"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run() error {
	s, err := yang.Load(yangload.Options{Files: []string{yang.Example}})
	if err != nil {
		return err
	}
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
	var root example.Root
	if err := root.FromTree(tree); err != nil {
		return fmt.Errorf("FromTree: %w", err)
	}
	back, err := root.ToTree(s)
	if err != nil {
		return fmt.Errorf("ToTree: %w", err)
	}
	got, err := yangxml.Marshal(back, yangxml.EncodeOptions{Indent: "  "})
	if err != nil {
		return err
	}
	if !bytes.Equal(want, got) {
		return fmt.Errorf("round trip mismatch:\n--- want\n%s\n--- got\n%s", want, got)
	}
	eth0 := root.Interfaces.GetInterface("eth0")
	vlan := root.Interfaces.GetInterface("eth0.100")
	fmt.Println("type:", *eth0.Type, *vlan.Type == example.NcwsExample_InterfaceType_VLAN)
	fmt.Printf("speed: %T %v / %T %v\n", eth0.Speed, eth0.Speed, vlan.Speed, vlan.Speed)
	fmt.Println("flags:", eth0.Flags, len(vlan.Flags), vlan.Flags != nil)
	fmt.Println("oper:", *eth0.OperStatus, *vlan.OperStatus, *eth0.Statistics.InOctets)
	fmt.Println("ipv6:", eth0.IPv6 != nil, *eth0.IPv6.Autoconf, vlan.IPv6 == nil)
	fmt.Println("routes:", *root.Routing.Route[0].Gateway, *root.Routing.Route[0].OutgoingInterface, root.Routing.Route[1].Discard)
	fmt.Println("rules:", *root.ACL.Rule[0].Name, *root.ACL.Rule[1].Name, *root.ACL.Rule[0].Action)
	fmt.Printf("vendor: %s\n", root.VendorData)
	if _, err := root.Interfaces.NewInterface("eth0"); !errors.Is(err, genimpl.ErrDuplicate) {
		return fmt.Errorf("NewInterface of a taken name: %v", err)
	}
	root.Routing.Route[1].Gateway = genimpl.Ptr("192.0.2.1")
	_, err = root.ToTree(s)
	if !errors.Is(err, genimpl.ErrTwoCases) {
		return fmt.Errorf("ToTree of a route with two cases: %v", err)
	}
	fmt.Println("two cases:", err)
	return nil
}
`

// TestRoundTripExample generates the package of the example device model into a temporary module
// and runs a program that round-trips a document through the typed structs.
func TestRoundTripExample(t *testing.T) {
	t.Parallel() // a program built and run in a temporary module of its own
	if testing.Short() {
		t.Skip("builds and runs a program")
	}
	s, err := yang.Load(yangload.Options{Files: []string{yang.Example}})
	if err != nil {
		t.Fatal(err)
	}
	// Every implemented module (the protocol modules too), so that they are built as well.
	files, err := Generate(s, Options{Package: "example"})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	initModule(t, dir, "example.com/roundtrip")
	writeFile(t, filepath.Join(dir, "main.go"), roundTripMain)
	for name, b := range files {
		writeFile(t, filepath.Join(dir, "example", name), string(b))
	}
	doc, err := filepath.Abs(filepath.Join("testdata", "roundtrip", "example.xml"))
	if err != nil {
		t.Fatal(err)
	}
	out := goCmd(t, dir, true, "run", ".", doc)
	want := strings.Join([]string{
		"type: ncws-example:ethernet true",
		"speed: example.NcwsExample_Interfaces_Interface_Speed_Uint32 10000 / example.NcwsExample_Interfaces_Interface_Speed_Enum auto",
		"flags: [promiscuous monitor] 0 true",
		"oper: up testing 18446744073709551615",
		"ipv6: true false true",
		"routes: 192.0.2.254 eth0 true",
		"rules: zeta alpha deny",
		`vendor: <blob xmlns="urn:example:vendor">x<y a="1">z</y></blob>`,
		"two cases: genimpl: fields of two cases of one choice are set: choice next-hop in /ncws-example:routing/route",
		"",
	}, "\n")
	if diff := cmpDiff(want, out); diff != "" {
		t.Errorf("program output mismatch (-want +got):\n%s", diff)
	}
}

// initModule makes dir a Go module named module that builds the generated code offline: a
// go.mod requiring this repository through a replace, and this repository's go.sum.
func initModule(t *testing.T, dir, module string) {
	t.Helper()
	repo, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "go.mod"), goMod(module, repo))
	writeFile(t, filepath.Join(dir, "go.sum"), repoGoSum(t))
}

// goMod returns a go.mod requiring this repository at repo, with this repository's go version
// and, as indirect requirements, every module the repository requires (a module building the
// generated code needs the modules providing the runtime's imports listed).
func goMod(module, repo string) string {
	goLine := "go 1.26"
	var reqs []string
	if b, err := os.ReadFile(filepath.Join("..", "go.mod")); err == nil {
		in := false
		for _, l := range strings.Split(string(b), "\n") {
			l = strings.TrimSpace(l)
			switch {
			case strings.HasPrefix(l, "go "):
				goLine = l
			case l == "require (":
				in = true
			case in && l == ")":
				in = false
			case in && l != "":
				reqs = append(reqs, strings.TrimSuffix(l, " // indirect"))
			}
		}
	}
	sort.Strings(reqs)
	var b strings.Builder
	b.WriteString("module " + module + "\n\n" + goLine + "\n\nrequire github.com/ncws/ncws v0.0.0\n\nrequire (\n")
	for _, r := range reqs {
		b.WriteString("\t" + r + " // indirect\n")
	}
	b.WriteString(")\n\nreplace github.com/ncws/ncws => " + repo + "\n")
	return b.String()
}

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// goCmd runs the go command in dir, offline, and returns its standard output. With mod set the
// command may update go.mod and go.sum (temporary modules only).
func goCmd(t *testing.T, dir string, mod bool, args ...string) string {
	t.Helper()
	flags := "-mod=readonly"
	if mod {
		flags = "-mod=mod"
	}
	return runGo(t, dir, []string{"GOWORK=off", "GOFLAGS=" + goFlags(flags), "GOPROXY=off"}, args...)
}

// runGo runs the go command in dir with env added to the environment and returns its standard
// output; it fails the test with the command's output unless the command succeeds.
func runGo(t *testing.T, dir string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go %s in %s: %v\n%s%s", strings.Join(args, " "), dir, err, out, stderr.String())
	}
	return string(out)
}

// goFlags returns the caller's GOFLAGS without its -mod flag, followed by mod (a -mod flag): the
// temporary modules get the -mod they need, and the rest (such as make test's -trimpath, which
// lets the go command reuse a package compiled from the same source in another directory)
// carries over.
func goFlags(mod string) string {
	var flags []string
	for _, f := range strings.Fields(os.Getenv("GOFLAGS")) {
		if !strings.HasPrefix(f, "-mod=") && !strings.HasPrefix(f, "--mod=") {
			flags = append(flags, f)
		}
	}
	return strings.Join(append(flags, mod), " ")
}

// goldenMain round-trips the document of each golden case given as "name dir doc" arguments
// through the case's generated Root, against the schema the package embeds.
const goldenMain = `package main

import (
	"bytes"
	"fmt"
	"os"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/schema"
%s)

type root interface {
	FromTree(*data.Node) error
	ToTree(*schema.Schema) (*data.Node, error)
}

// roots holds each case's Root and its package's embedded schema.
var roots = map[string]struct {
	root   func() root
	schema func() *schema.Schema
}{
%s}

func main() {
	for i := 1; i+2 < len(os.Args); i += 3 {
		if err := run(os.Args[i], os.Args[i+1], os.Args[i+2]); err != nil {
			fmt.Printf("%%s: %%v\n", os.Args[i], err)
			continue
		}
		fmt.Printf("%%s: ok\n", os.Args[i])
	}
}

func run(name, dir, docFile string) error {
	// The schema embedded in the generated package, decoded from its descriptor.
	s := roots[name].schema()
	doc, err := os.ReadFile(docFile)
	if err != nil {
		return err
	}
	tree, errs := yangxml.Unmarshal(doc, s, yangxml.DecodeOptions{})
	if len(errs) > 0 {
		return errs
	}
	want, err := yangxml.Marshal(tree, yangxml.EncodeOptions{Indent: " "})
	if err != nil {
		return err
	}
	r := roots[name].root()
	if err := r.FromTree(tree); err != nil {
		return fmt.Errorf("FromTree: %%w", err)
	}
	back, err := r.ToTree(s)
	if err != nil {
		return fmt.Errorf("ToTree: %%w", err)
	}
	got, err := yangxml.Marshal(back, yangxml.EncodeOptions{Indent: " "})
	if err != nil {
		return err
	}
	if !bytes.Equal(want, got) {
		return fmt.Errorf("round trip mismatch:\n--- want\n%%s\n--- got\n%%s", want, got)
	}
	return nil
}
`

// TestRoundTripGolden builds and vets every golden case's expected package, testdata/<case>/out
// (which TestGolden holds equal to what the generator writes), as the module it is: one go.work
// workspace holds the 19 modules and a program that round-trips each case's doc.xml through the
// case's Root: XML -> tree -> typed structs -> tree -> XML, equal. One go vet, one go build and
// one go run for all the cases: each case's packages are compiled once (with a go build and a go
// vet per module, and the round trip over a fresh generation under other import paths, each
// case was compiled twice and the go command started 39 times).
func TestRoundTripGolden(t *testing.T) {
	t.Parallel() // a program built and run in a temporary workspace of its own
	if testing.Short() {
		t.Skip("builds and runs a program")
	}
	repo, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	rt := filepath.Join(dir, "rt")
	initModule(t, rt, "example.com/roundtrip")
	var imports, roots, use strings.Builder
	args := []string{"run", "."}
	var pkgs []string
	var want strings.Builder
	for _, name := range goldenCases {
		caseDir, err := filepath.Abs(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		// The golden module's own go.mod: the module path the generated imports use, the
		// repository replaced by its directory (../../../..).
		out := filepath.Join(caseDir, "out")
		if mod, err := os.ReadFile(filepath.Join(out, "go.mod")); err != nil || !strings.HasPrefix(string(mod), "module example.com/golden/"+name+"\n") {
			t.Fatalf("%s/go.mod: not module example.com/golden/%s (%v); run go test ./gen -run TestGolden -update", out, name, err)
		}
		fmt.Fprintf(&use, "\t%s\n", out)
		pkgs = append(pkgs, "example.com/golden/"+name+"/...")
		fmt.Fprintf(&imports, "\t%q\n", "example.com/golden/"+name)
		fmt.Fprintf(&roots, "\t%q: {func() root { return new(%s.Root) }, %s.Schema},\n", name, name, name)
		args = append(args, name, caseDir, filepath.Join(caseDir, "doc.xml"))
		want.WriteString(name + ": ok\n")
	}
	writeFile(t, filepath.Join(rt, "main.go"), fmt.Sprintf(goldenMain, imports.String(), roots.String()))
	work := filepath.Join(dir, "go.work")
	writeFile(t, work, fmt.Sprintf("%s\n\nuse (\n\t./rt\n%s)\n\nreplace github.com/ncws/ncws => %s\n", repoGoLine(), use.String(), repo))
	goWorkCmd(t, rt, work, append([]string{"vet"}, pkgs...)...)
	goWorkCmd(t, rt, work, append([]string{"build"}, pkgs...)...)
	out := goWorkCmd(t, rt, work, args...)
	if diff := cmpDiff(want.String(), out); diff != "" {
		t.Errorf("round trips mismatch (-want +got):\n%s", diff)
	}
}

// repoGoLine is the go line of the repository's go.mod (that of every golden module).
func repoGoLine() string {
	if b, err := os.ReadFile(filepath.Join("..", "go.mod")); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(l, "go ") {
				return strings.TrimSpace(l)
			}
		}
	}
	return "go 1.26"
}

// goWorkCmd runs the go command in dir in the workspace of go.work file work, offline, and
// returns its standard output.
func goWorkCmd(t *testing.T, dir, work string, args ...string) string {
	t.Helper()
	return runGo(t, dir, []string{"GOWORK=" + work, "GOFLAGS=" + goFlags("-mod=readonly"), "GOPROXY=off"}, args...)
}
