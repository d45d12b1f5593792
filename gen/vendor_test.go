package gen

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/schema/yangload"
	"github.com/ncws/ncws/pkg/validate"
	"github.com/ncws/ncws/yang"
)

// junosSet is Juniper's Junos QFX 24.4 configuration models under $NCWS_SHARED/yang/vendor/junos:
// -p common -p junos-qfx/conf, the 33 modules of junos-qfx/conf/models.
func junosSet(t *testing.T) modelSet {
	t.Helper()
	dir := filepath.Join(sharedYang(t), "vendor", "junos")
	files, err := filepath.Glob(filepath.Join(dir, "junos-qfx", "conf", "models", "*.yang"))
	if err != nil || len(files) != 33 {
		t.Fatalf("want the 33 Junos QFX conf modules under %s, found %d (%v)", dir, len(files), err)
	}
	return modelSet{search: []string{filepath.Join(dir, "common"), filepath.Join(dir, "junos-qfx", "conf")}, files: files}
}

// junosRoundTrip builds and vets the generated Junos package in files, round-trips
// testdata/vendor/junos-interfaces.xml through it and checks what junosFacts reads back.
func junosRoundTrip(t *testing.T, files map[string][]byte) {
	t.Helper()
	out := roundTripModule(t, "junos", files, junosFacts, filepath.Join("testdata", "vendor", "junos-interfaces.xml"))
	want := "xe-0/0/0: uplink to spine1 9216 transit\nxe-0/0/1 disabled: true 2\n"
	_, out, _ = strings.Cut(out, "\n")
	if diff := cmpDiff(want, out); diff != "" {
		t.Errorf("typed structs mismatch (-want +got):\n%s", diff)
	}
}

// junosFacts reads the document of testdata/vendor/junos-interfaces.xml through the structs of
// the interfaces subtree.
const junosFacts = `package main

import (
	"fmt"

	"example.com/roundtrip/junos"
)

func facts(root *junos.Root) error {
	ifs := root.Configuration.Interfaces
	xe0 := ifs.GetInterface("xe-0/0/0")
	fmt.Println("xe-0/0/0:", *xe0.Description, xe0.MTU, *xe0.GetUnit("0").Description)
	fmt.Println("xe-0/0/1 disabled:", ifs.GetInterface("xe-0/0/1").Disable, len(ifs.Interface))
	return nil
}
`

// TestVendorJunosPath generates the Junos QFX conf set with Options.Paths
// /junos-qfx-conf-root:configuration/interfaces, builds and vets the package, and round-trips
// an interfaces document through its structs. Gated by NCWS_TEST_VENDOR (make test-vendor): the
// load alone takes about a minute and 2.5 GB.
func TestVendorJunosPath(t *testing.T) {
	if os.Getenv("NCWS_TEST_VENDOR") == "" {
		t.Skip("set NCWS_TEST_VENDOR=1 (make test-vendor)")
	}
	set := junosSet(t)
	set.paths = []string{"/junos-qfx-conf-root:configuration/interfaces"}
	start := time.Now()
	files, err := generateSet(t, set, "junos", false)
	if err != nil {
		t.Fatal(err)
	}
	size := 0
	for _, b := range files {
		size += len(b)
	}
	t.Logf("load and generate: %v, %d files, %d bytes", time.Since(start).Round(time.Millisecond), len(files), size)
	checkFiles(t, files)
	for name, b := range files {
		// Only the interfaces subtree and its ancestor: no struct of another subtree.
		if strings.Contains(string(b), "type JunosQfxConfRoot_Configuration_System ") ||
			strings.Contains(string(b), "type JunosQfxConfRoot_Configuration__JunosQfxConfSystem_System ") {
			t.Errorf("%s holds a struct outside the selected subtree", name)
		}
	}
	start = time.Now()
	junosRoundTrip(t, files)
	t.Logf("build, vet and round trip: %v", time.Since(start).Round(time.Millisecond))
}

// TestVendorJunosPrune generates the Junos QFX conf set with --path
// /junos-qfx-conf-root:configuration/interfaces and --prune-schema: the pruned schema is what
// the two staying Junos modules' texts and the generated deviation module compile to (yangload;
// yanglint accepts them), it validates the interfaces document and refuses data outside the
// subtree, and the package builds, vets and round-trips the document against it. Gated by
// NCWS_TEST_VENDOR (make test-vendor).
func TestVendorJunosPrune(t *testing.T) {
	if os.Getenv("NCWS_TEST_VENDOR") == "" {
		t.Skip("set NCWS_TEST_VENDOR=1 (make test-vendor)")
	}
	set := junosSet(t)
	set.paths, set.prune = []string{"/junos-qfx-conf-root:configuration/interfaces"}, true
	s, err := yang.Load(yangload.Options{SearchPaths: set.search, Files: set.files})
	if err != nil {
		t.Fatal(err)
	}
	pr := pruneFor(t, s, "junos", set.paths)
	s = nil
	checkTruthful(t, pr, set.search, yang.Load)
	var impl []string
	for _, m := range pr.s.Modules {
		if m.Implemented && strings.HasPrefix(m.Name, "junos") {
			impl = append(impl, m.Name)
		}
	}
	if diff := cmpDiff([]string{"junos-qfx-conf-interfaces", "junos-qfx-conf-root"}, impl); diff != "" {
		t.Errorf("implemented Junos modules mismatch (-want +got):\n%s", diff)
	}
	doc, err := os.ReadFile(filepath.Join("testdata", "vendor", "junos-interfaces.xml"))
	if err != nil {
		t.Fatal(err)
	}
	tree, errs := yangxml.Unmarshal(doc, pr.s, yangxml.DecodeOptions{})
	if len(errs) > 0 {
		t.Fatalf("the interfaces document against the pruned schema: %v", errs)
	}
	if errs := validate.New(pr.s).Validate(tree, validate.Options{}); len(errs) > 0 {
		t.Errorf("the interfaces document is invalid with the pruned schema: %v", errs)
	}
	outside := `<data xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><configuration xmlns="http://yang.juniper.net/junos-qfx/conf/root">` +
		`<system xmlns="http://yang.juniper.net/junos-qfx/conf/system"><host-name>r1</host-name></system></configuration></data>`
	if _, errs := yangxml.Unmarshal([]byte(outside), pr.s, yangxml.DecodeOptions{}); len(errs) == 0 || errs[0].Tag != "unknown-namespace" {
		t.Errorf("system data against the pruned schema: errors %v, want unknown-namespace", errs)
	}
	pr = nil
	start := time.Now()
	files, err := generateSet(t, set, "junos", false)
	if err != nil {
		t.Fatal(err)
	}
	size := 0
	for _, b := range files {
		size += len(b)
	}
	t.Logf("load and generate: %v, %d files, %d bytes", time.Since(start).Round(time.Millisecond), len(files), size)
	checkFiles(t, files)
	if _, ok := files["ncws_prune_junos_yang.go"]; !ok {
		t.Error("no deviation module text among the files")
	}
	for _, gone := range []string{"junos_qfx_conf_system_yang.go", "junos_qfx_conf_protocols_yang.go"} {
		if _, ok := files[gone]; ok {
			t.Errorf("%s written: the module's text should be left out with the module", gone)
		}
	}
	junosRoundTrip(t, files)
}

// TestVendorJunosSplit generates the whole Junos QFX conf set (33 modules, no --path) with
// --share-groupings and --split module, builds and vets its 56 packages (the largest modules
// split below the module), and round-trips the interfaces document through the split tree's
// Root (the interfaces struct is the augmenting module's, in its own package, reached through
// the root module's Configuration). Gated by
// NCWS_TEST_VENDOR_SPLIT (make test-vendor-split): it takes several minutes and GBs of memory,
// more than make test-vendor may.
func TestVendorJunosSplit(t *testing.T) {
	if os.Getenv("NCWS_TEST_VENDOR_SPLIT") == "" {
		t.Skip("set NCWS_TEST_VENDOR_SPLIT=1 (make test-vendor-split)")
	}
	set := junosSet(t)
	set.share, set.split = true, "module"
	start := time.Now()
	files, err := generateSet(t, set, "junos", false)
	if err != nil {
		t.Fatal(err)
	}
	size := 0
	pkgs := map[string]int{}
	for name, b := range files {
		size += len(b)
		dir, _, ok := strings.Cut(name, "/")
		if !ok {
			dir = "."
		}
		pkgs[dir] += len(b)
	}
	t.Logf("load and generate: %v, %d files, %d bytes, %d packages", time.Since(start).Round(time.Millisecond), len(files), size, len(pkgs))
	checkFiles(t, files)
	for _, want := range []string{".", "base", "junosqfxconfroot", "junosqfxconfroottypes", "junosqfxconfinterfaces", "junosqfxconflogicalsystems"} {
		if pkgs[want] == 0 {
			t.Errorf("no package %s among %v", want, pkgs)
		}
	}
	start = time.Now()
	junosRoundTrip(t, files)
	t.Logf("build, vet and round trip: %v", time.Since(start).Round(time.Millisecond))
}
