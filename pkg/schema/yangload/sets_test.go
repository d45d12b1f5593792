package yangload

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ncws/ncws/pkg/schema"
)

// lookup finds a schema node by an RFC 7951 style path whose steps may carry a module name,
// e.g. /ietf-interfaces:interfaces/interface/ietf-ip:ipv4. Actions, notifications, input and
// output are steps too.
func lookup(s *schema.Schema, path string) *schema.Node {
	var cur *schema.Node
	var mod *schema.Module
	for i, step := range strings.Split(strings.TrimPrefix(path, "/"), "/") {
		if j := strings.IndexByte(step, ':'); j >= 0 {
			mod = s.Module(step[:j])
			step = step[j+1:]
		}
		if mod == nil {
			return nil
		}
		switch {
		case i == 0:
			cur = s.Top(mod, step)
			if cur == nil {
				cur = s.RPC(mod, step)
			}
			if cur == nil {
				for _, n := range mod.Notifications {
					if n.Name == step {
						cur = n
					}
				}
			}
		case step == "input" || step == "output":
			cur = cur.Child(cur.Module, step)
		default:
			next := cur.Child(mod, step)
			if next == nil {
				next = cur.Operation(mod, step)
			}
			cur = next
		}
		if cur == nil {
			return nil
		}
	}
	return cur
}

func names(ns []*schema.Node) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.Name)
	}
	return out
}

type moduleSet struct {
	name        string
	paths       []string
	files       []string
	implemented bool
}

func y(p ...string) []string {
	var out []string
	for _, x := range p {
		out = append(out, filepath.Join(sharedYang, x))
	}
	return out
}

var ifFiles = []string{"ietf/ietf-interfaces@2014-05-08.yang", "ietf/iana-if-type@2014-05-08.yang"}

// moduleSets are the module sets of the validation corpus (conformance/validation/README.md)
// and the RFC 8349 NMDA routing set.
var moduleSets = []moduleSet{
	{"types", y("test"), y("test/oracle-types.yang"), false},
	{"cons", y("test"), y("test/oracle-constraints.yang"), false},
	{"ietf-if", y("ietf"), y(ifFiles...), false},
	{"ietf-ip", y("ietf"), y(append(ifFiles, "ietf/ietf-ip@2014-06-16.yang")...), false},
	{"ietf-rt", y("ietf"), y(append(ifFiles, "ietf/ietf-routing@2016-11-04.yang", "ietf/ietf-ipv4-unicast-routing@2016-11-04.yang")...), false},
	{"ietf-sys", y("ietf"), y("ietf/ietf-system@2014-08-06.yang"), false},
	{"ietf-nacm", y("ietf"), y("ietf/ietf-netconf-acm@2018-02-14.yang"), false},
	{"oc-if", y("openconfig"), y("openconfig/release/models/interfaces/openconfig-interfaces.yang",
		"openconfig/release/models/interfaces/openconfig-if-ip.yang",
		"openconfig/release/models/interfaces/openconfig-if-ethernet.yang",
		"openconfig/third_party/ietf/iana-if-type.yang"), true},
	{"nmda-rt", y("ietf-nmda", "ietf"), y("ietf-nmda/ietf-routing@2018-03-13.yang",
		"ietf-nmda/ietf-ipv4-unicast-routing@2018-03-13.yang",
		"ietf-nmda/ietf-ipv6-unicast-routing@2018-03-13.yang"), false},
}

func loadSet(t testing.TB, set moduleSet) *schema.Schema {
	t.Helper()
	s, err := Load(Options{SearchPaths: set.paths, Files: set.files, ImportsImplemented: set.implemented})
	if err != nil {
		t.Fatalf("Load(%s): %v", set.name, err)
	}
	return s
}

// fact is one property of a loaded set: the node at path, checked by check (which returns what
// it saw, compared to want).
type fact struct {
	path  string
	check func(n *schema.Node) any
	want  any
}

func exists(n *schema.Node) any  { return n != nil }
func keys(n *schema.Node) any    { return names(n.Keys()) }
func dflt(n *schema.Node) any    { return n.Default() }
func config(n *schema.Node) any  { return n.Config }
func kind(n *schema.Node) any    { return n.Kind.String() }
func modName(n *schema.Node) any { return n.Module.Name }
func target(n *schema.Node) any {
	if n.Type.Target == nil {
		return "<nil>"
	}
	return n.Type.Target.Path()
}
func children(n *schema.Node) any { return names(n.Children) }

var setFacts = map[string][]fact{
	"types": {
		{"/oracle-types:types/u8r", func(n *schema.Node) any { return n.Type.Range }, []schema.Interval{
			{Min: schema.NumberOf(1), Max: schema.NumberOf(10)}, {Min: schema.NumberOf(20), Max: schema.NumberOf(30)}}},
		{"/oracle-types:types/en", func(n *schema.Node) any { return n.Type.Enums },
			[]schema.Enum{{Name: "red", Value: 0}, {Name: "green", Value: 5}, {Name: "blue", Value: 6}}},
		{"/oracle-types:types/bts", func(n *schema.Node) any { return n.Type.Bits },
			[]schema.Bit{{Name: "read", Position: 0}, {Name: "write", Position: 1}, {Name: "exec", Position: 7}}},
		{"/oracle-types:types/pct", func(n *schema.Node) any {
			return []any{n.Type.Typedef, n.Type.Base.String(), n.Type.Range[0].Max.String()}
		},
			[]any{"percent", "uint8", "100"}},
		{"/oracle-types:types/dec", func(n *schema.Node) any { return []any{n.Type.FractionDigits, n.Type.Range[0].Min.String()} }, []any{2, "-1000"}},
		{"/oracle-types:types/strinv", func(n *schema.Node) any { return n.Type.Patterns[0].Invert }, true},
		{"/oracle-types:types/strpat", func(n *schema.Node) any {
			re := n.Type.Patterns[0].Regexp()
			return []bool{re.MatchString("abc12"), re.MatchString("abc12x")}
		}, []bool{true, false}},
		{"/oracle-types:types/idr", func(n *schema.Node) any { return n.Type.Bases[0].QName() }, "oracle-types:proto"},
		{"/oracle-types:types/un", func(n *schema.Node) any {
			return []string{n.Type.Union[0].Base.String(), n.Type.Union[1].Base.String()}
		},
			[]string{"uint8", "enumeration"}},
		{"/oracle-types:types/ll", func(n *schema.Node) any { return []any{n.Kind.String(), n.MaxElements()} }, []any{"leaf-list", uint64(3)}},
	},
	"cons": {
		{"/oracle-constraints:top", func(n *schema.Node) any { return n.Presence() != "" }, true},
		{"/oracle-constraints:top/server", keys, []string{"name"}},
		{"/oracle-constraints:top/server", func(n *schema.Node) any { return names(n.Unique()[0].Leaves) }, []string{"ip", "port"}},
		{"/oracle-constraints:top/server/port", dflt, []string{"830"}},
		{"/oracle-constraints:top/server/weight", func(n *schema.Node) any { return n.Musts()[0].ErrorMessage }, "weight must be <= 100"},
		{"/oracle-constraints:top/primary", target, "/oracle-constraints:top/server/name"},
		{"/oracle-constraints:top/ext", func(n *schema.Node) any { return []any{n.Whens()[0].Expr, n.Whens()[0].Self, n.Whens()[0].Origin} },
			[]any{"../mode = 'advanced'", true, "node"}},
		{"/oracle-constraints:top/mode", dflt, []string{"basic"}},
		{"/oracle-constraints:top/status", config, false},
		{"/oracle-constraints:top/stats/uptime", config, false},
		{"/oracle-constraints:top/name", func(n *schema.Node) any { return n.Mandatory }, true},
		{"/oracle-constraints:top/ssh-port", func(n *schema.Node) any { return []string{n.Parent.Name, n.Parent.Parent.Name} }, []string{"ssh", "transport"}},
	},
	"ietf-if": {
		{"/ietf-interfaces:interfaces/interface", keys, []string{"name"}},
		{"/ietf-interfaces:interfaces-state/interface/name", config, false},
		{"/ietf-interfaces:interfaces/interface/enabled", dflt, []string{"true"}},
		{"/ietf-interfaces:interfaces/interface/type", func(n *schema.Node) any { return n.Type.Bases[0].QName() }, "ietf-interfaces:interface-type"},
		{"/ietf-interfaces:interfaces-state/interface/higher-layer-if", kind, "leaf-list"},
	},
	"ietf-ip": {
		{"/ietf-interfaces:interfaces/interface/ietf-ip:ipv4", modName, "ietf-ip"},
		{"/ietf-interfaces:interfaces/interface/ietf-ip:ipv4/address", keys, []string{"ip"}},
		{"/ietf-interfaces:interfaces/interface/ietf-ip:ipv4/address/netmask", exists, true},
		{"/ietf-interfaces:interfaces-state/interface/ietf-ip:ipv6/address/origin", config, false},
		{"/ietf-interfaces:interfaces/interface/ietf-ip:ipv6/autoconf/create-global-addresses", dflt, []string{"true"}},
	},
	"ietf-rt": {
		{"/ietf-routing:routing/control-plane-protocols/control-plane-protocol/static-routes/ietf-ipv4-unicast-routing:ipv4/route", keys, []string{"destination-prefix"}},
		{"/ietf-routing:routing-state/ribs/rib/active-route", kind, "action"},
		{"/ietf-routing:routing-state/ribs/rib/active-route/input", children, []string{"destination-address"}},
		{"/ietf-routing:routing-state/ribs/rib/active-route/input/ietf-ipv4-unicast-routing:destination-address", modName, "ietf-ipv4-unicast-routing"},
		{"/ietf-routing:routing/control-plane-protocols/control-plane-protocol/static-routes/ietf-ipv4-unicast-routing:ipv4/route/next-hop/outgoing-interface",
			target, "/ietf-interfaces:interfaces/interface/name"},
		{"/ietf-routing:routing-state/ribs/rib/default-rib", dflt, []string{"true"}},
	},
	"ietf-sys": {
		{"/ietf-system:system/ntp", exists, true},
		{"/ietf-system:system/clock", children, []string{"timezone"}},
		{"/ietf-system:system/authentication/user", keys, []string{"name"}},
		{"/ietf-system:system-restart", children, []string{"input", "output"}},
		{"/ietf-system:system/ntp/server/udp/port", dflt, []string{"123"}},
	},
	"ietf-nacm": {
		{"/ietf-netconf-acm:nacm/enable-nacm", dflt, []string{"true"}},
		{"/ietf-netconf-acm:nacm/write-default", dflt, []string{"deny"}},
		{"/ietf-netconf-acm:nacm/rule-list", func(n *schema.Node) any { return []any{names(n.Keys()), n.OrderedByUser} }, []any{[]string{"name"}, true}},
		{"/ietf-netconf-acm:nacm", func(n *schema.Node) any { return n.Extensions() }, []string{"nacm:default-deny-all"}},
	},
	"oc-if": {
		{"/openconfig-interfaces:interfaces/interface", keys, []string{"name"}},
		{"/openconfig-interfaces:interfaces/interface/name", target, "/openconfig-interfaces:interfaces/interface/config/name"},
		{"/openconfig-interfaces:interfaces/interface/openconfig-if-ethernet:ethernet/config/auto-negotiate", dflt, []string{"true"}},
		{"/openconfig-interfaces:interfaces/interface/subinterfaces/subinterface/openconfig-if-ip:ipv4/addresses/address", keys, []string{"ip"}},
		{"/openconfig-interfaces:interfaces/interface/state/counters/in-octets", config, false},
	},
	"nmda-rt": {
		{"/ietf-routing:routing/ribs/rib/routes/route/ietf-ipv4-unicast-routing:destination-prefix", exists, true},
		{"/ietf-routing:routing/ribs/rib/routes/route/ietf-ipv6-unicast-routing:destination-prefix", exists, true},
		// Added by a submodule of ietf-ipv6-unicast-routing, into ietf-ip's augment of ietf-interfaces.
		{"/ietf-interfaces:interfaces/interface/ietf-ip:ipv6/ietf-ipv6-unicast-routing:ipv6-router-advertisements/send-advertisements", dflt, []string{"false"}},
		{"/ietf-routing:routing/ribs/rib/active-route/input", children, []string{"destination-address", "destination-address"}},
	},
}

func TestModuleSets(t *testing.T) {
	for _, set := range moduleSets {
		t.Run(set.name, func(t *testing.T) {
			s := loadSet(t, set)
			facts := setFacts[set.name]
			if len(facts) == 0 {
				t.Fatal("no facts for the set")
			}
			for _, f := range facts {
				n := lookup(s, f.path)
				if n == nil {
					t.Errorf("%s: not found", f.path)
					continue
				}
				if d := cmp.Diff(f.want, f.check(n)); d != "" {
					t.Errorf("%s: mismatch (-want +got):\n%s", f.path, d)
				}
			}
		})
	}
}

func TestModuleSetsFeatures(t *testing.T) {
	set := moduleSets[5] // ietf-sys
	s, err := Load(Options{SearchPaths: set.paths, Files: set.files,
		Features: map[string][]string{"ietf-system": {"ntp", "authentication"}}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, p := range []string{"/ietf-system:system/ntp", "/ietf-system:system/ntp/server/udp/port", "/ietf-system:system/radius",
		"/ietf-system:system/authentication", "/ietf-system:system/authentication/user"} {
		got[p] = lookup(s, p) != nil
	}
	want := map[string]bool{"/ietf-system:system/ntp": true, "/ietf-system:system/ntp/server/udp/port": false,
		"/ietf-system:system/radius": false, "/ietf-system:system/authentication": true,
		"/ietf-system:system/authentication/user": false}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("mismatch (-want +got):\n%s", d)
	}
	f := s.Module("ietf-system").Feature("local-users")
	if f == nil || f.Enabled {
		t.Errorf("feature local-users = %+v, want present and disabled", f)
	}
}

// TestModuleSetsOracle compares each set's compiled tree (node paths, config, keys, mandatory,
// presence, type names, leafref paths) with yanglint's tree output.
func TestModuleSetsOracle(t *testing.T) {
	if _, err := exec.LookPath("yanglint"); err != nil {
		t.Skip("yanglint not installed")
	}
	for _, set := range moduleSets {
		t.Run(set.name, func(t *testing.T) {
			s := loadSet(t, set)
			var args []string
			for _, p := range set.paths {
				args = append(args, "-p", p)
			}
			if set.implemented {
				args = append(args, "-i")
			}
			compareWithYanglint(t, s, append(args, set.files...))
		})
	}
}

func compareWithYanglint(t *testing.T, s *schema.Schema, args []string) {
	t.Helper()
	want, err := yanglintTreePaths(args)
	if err != nil {
		t.Fatalf("yanglint: %v %s", err, err.(*exec.ExitError).Stderr)
	}
	mods := map[string]bool{}
	for _, w := range want {
		mods[w[:strings.IndexByte(w, '|')]] = true
	}
	var got []string
	for _, g := range treePaths(s) {
		if mods[g[:strings.IndexByte(g, '|')]] {
			got = append(got, g)
		}
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("tree mismatch with yanglint (-want +got):\n%s", d)
	}
}
