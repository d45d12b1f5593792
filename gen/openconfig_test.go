package gen

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ncws/ncws/pkg/schema/yangload"
)

// openConfigEnv enables TestOpenConfig (make test-openconfig sets it): it generates, builds and
// vets a package of every OpenConfig module, which takes minutes.
const openConfigEnv = "NCWS_TEST_OPENCONFIG"

// openConfigSet is every module under openconfig/release/models (submodules come with their
// modules) and iana-if-type for the interface types, searched in the whole openconfig tree.
func openConfigSet(t testing.TB) modelSet {
	oc := filepath.Join(sharedYang(t), "openconfig")
	files, err := yangload.ModuleFiles(filepath.Join(oc, "release", "models"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no OpenConfig modules under %s: %v", oc, err)
	}
	files = append(files, filepath.Join(oc, "third_party", "ietf", "iana-if-type.yang"))
	// yanglint compiles each module as it reads it, so without -i a module whose defaults name
	// identities of a module given later fails to compile.
	return modelSet{search: []string{oc}, files: files, lintImplemented: true}
}

// openConfigFacts reads the typed structs of the OpenConfig document (uncompressed paths).
const openConfigFacts = `package main

import (
	"fmt"

	"example.com/roundtrip/openconfig"
)

func facts(root *openconfig.Root) error {
	eth := root.Interfaces.GetInterface("Ethernet1")
	fmt.Println("interface:", *eth.Config.MTU, *eth.Config.Description, len(eth.Subinterfaces.Subinterface))
	sub0 := eth.Subinterfaces.GetSubinterface(0)
	fmt.Println("ipv4:", *sub0.IPv4.Addresses.Address[0].Config.IP, *sub0.IPv4.Addresses.Address[0].Config.PrefixLength)
	fmt.Println("ipv6:", *sub0.IPv6.Addresses.Address[0].Config.IP, *sub0.IPv6.Addresses.Address[0].Config.PrefixLength)
	fmt.Println("vlan:", *eth.Subinterfaces.GetSubinterface(100).VLAN.Match.SingleTagged.Config.VLANID)
	ni := root.NetworkInstances.GetNetworkInstance("DEFAULT")
	static := ni.Protocols.Protocol[0].StaticRoutes.Static
	fmt.Println("static:", len(static), *static[0].Config.Prefix, static[0].NextHops.NextHop[0].Config.NextHop, *static[0].NextHops.NextHop[0].Config.Metric)
	fmt.Println("system:", *root.System.Config.Hostname, *root.System.Clock.Config.TimezoneName, root.System.DNS.Config.Search)
	fmt.Println("lldp:", *root.LLDP.Config.Enabled, *root.LLDP.Config.HelloTimer, *root.LLDP.Interfaces.Interface[0].Name)
	return nil
}
`

// openConfigCompressedFacts reads the same facts as openConfigFacts through the structs
// generated with compressed paths.
const openConfigCompressedFacts = `package main

import (
	"fmt"

	"example.com/roundtrip/openconfig"
)

func facts(root *openconfig.Root) error {
	eth := root.GetInterface("Ethernet1")
	fmt.Println("interface:", *eth.MTU, *eth.Description, len(eth.Subinterface))
	sub0 := eth.GetSubinterface(0)
	fmt.Println("ipv4:", *sub0.IPv4.Address[0].IP, *sub0.IPv4.GetAddress("192.0.2.1").PrefixLength)
	fmt.Println("ipv6:", *sub0.IPv6.Address[0].IP, *sub0.IPv6.Address[0].PrefixLength)
	fmt.Println("vlan:", *eth.GetSubinterface(100).VLAN.Match.SingleTagged.VLANID)
	static := root.GetNetworkInstance("DEFAULT").Protocol[0].Static
	fmt.Println("static:", len(static), *static[0].Prefix, static[0].NextHop[0].NextHop, *static[0].NextHop[0].Metric)
	fmt.Println("system:", *root.System.Hostname, *root.System.Clock.TimezoneName, root.System.DNS.Search)
	fmt.Println("lldp:", *root.LLDP.Enabled, *root.LLDP.HelloTimer, *root.LLDP.Interface[0].Name)
	return nil
}
`

// TestOpenConfig generates one package from every OpenConfig module, with uncompressed and with
// compressed paths, builds and vets it, and round-trips testdata/openconfig/doc.xml (interfaces
// with subinterfaces, IPv4/IPv6 addresses and a VLAN, a network instance with static routes,
// system with DNS, NTP and AAA, LLDP; valid for yanglint): XML -> tree -> typed structs -> tree
// -> XML, equal. Set NCWS_TEST_OPENCONFIG=1 (make test-openconfig) to run it.
func TestOpenConfig(t *testing.T) {
	if os.Getenv(openConfigEnv) == "" {
		t.Skip("slow (generates, builds and vets all of OpenConfig): run with " + openConfigEnv + "=1 (make test-openconfig)")
	}
	set := openConfigSet(t)
	doc := filepath.Join("testdata", "openconfig", "doc.xml")
	start := time.Now()
	yanglintValid(t, set, doc)
	t.Logf("yanglint: %v", time.Since(start).Round(time.Millisecond))
	for _, tc := range []struct {
		name     string
		compress bool
		facts    string
		want     string
	}{
		{"uncompressed", false, openConfigFacts, strings.Join([]string{
			"interface: 9000 uplink to spine-1 2",
			"ipv4: 192.0.2.1 31",
			"ipv6: 2001:db8::1 127",
			"vlan: 100",
			"static: 2 0.0.0.0/0 192.0.2.0 10",
			"system: leaf-1 Europe/Berlin [example.net]",
			"lldp: true 30 Ethernet1",
			"",
		}, "\n")},
		// The same facts through the compressed structs: no config containers, lists one level up.
		{"compressed", true, openConfigCompressedFacts, strings.Join([]string{
			"interface: 9000 uplink to spine-1 2",
			"ipv4: 192.0.2.1 31",
			"ipv6: 2001:db8::1 127",
			"vlan: 100",
			"static: 2 0.0.0.0/0 192.0.2.0 10",
			"system: leaf-1 Europe/Berlin [example.net]",
			"lldp: true 30 Ethernet1",
			"",
		}, "\n")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			files, err := generateSet(t, set, "openconfig", tc.compress)
			if errors.Is(err, ErrUnsupported) {
				t.Skipf("gen does not implement this yet: %v", err)
			}
			if err != nil {
				t.Fatal(err)
			}
			size := 0
			for _, b := range files {
				size += len(b)
			}
			t.Logf("generate: %v, %d files, %d bytes", time.Since(start).Round(time.Millisecond), len(files), size)
			checkFiles(t, files)
			start = time.Now()
			out := roundTripModule(t, "openconfig", files, tc.facts, doc)
			t.Logf("build, vet and round trip: %v", time.Since(start).Round(time.Millisecond))
			_, out, _ = strings.Cut(out, "\n")
			if diff := cmpDiff(tc.want, out); diff != "" {
				t.Errorf("typed structs mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
