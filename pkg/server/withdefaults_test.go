package server_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/schema"
)

const nsWD = "urn:ietf:params:xml:ns:yang:ietf-netconf-with-defaults"

// stateLeaf returns a leaf of schema node path holding v.
func stateLeaf(t testing.TB, sch *schema.Schema, path, v string) *data.Node {
	t.Helper()
	sn := sch.FindNode(path)
	if sn == nil {
		t.Fatalf("no schema node %s", path)
	}
	val, err := data.ParseValue(sn.Type, v, nil)
	if err != nil {
		t.Fatal(err)
	}
	return data.NewLeaf(sn, val)
}

// addStateProviders gives the example device the state a real one reports: the system's uptime
// and clock, and the oper-status and counters of interface eth0. The providers add copies of
// trees built here.
func addStateProviders(t testing.TB, st *datastore.Store) {
	sch := st.Schema()
	sys := sch.FindNode("/ncws-example:system")
	sysState := data.New(sys)
	sysState.Add(stateLeaf(t, sch, "/ncws-example:system/uptime", "4200"))
	sysState.Add(stateLeaf(t, sch, "/ncws-example:system/current-time", "2026-11-24T12:00:00Z"))
	st.AddStateProvider(sys, func(ctx context.Context, req *datastore.StateRequest) error {
		req.Root.Add(sysState.Clone())
		return nil
	})
	ifs := sch.FindNode("/ncws-example:interfaces")
	e := data.New(sch.FindNode("/ncws-example:interfaces/interface"))
	e.Add(stateLeaf(t, sch, "/ncws-example:interfaces/interface/name", "eth0"))
	e.Add(stateLeaf(t, sch, "/ncws-example:interfaces/interface/oper-status", "up"))
	stats := data.New(sch.FindNode("/ncws-example:interfaces/interface/statistics"))
	stats.Add(stateLeaf(t, sch, "/ncws-example:interfaces/interface/statistics/in-octets", "10"))
	stats.Add(stateLeaf(t, sch, "/ncws-example:interfaces/interface/statistics/out-octets", "20"))
	e.Add(stats)
	ifsState := data.New(ifs)
	ifsState.Add(e)
	st.AddStateProvider(ifs, func(ctx context.Context, req *datastore.StateRequest) error {
		req.Root.Add(ifsState.Clone())
		return nil
	})
}

// dataOf returns the <data> element of an rpc-reply.
func dataOf(t testing.TB, reply string) string {
	t.Helper()
	i, j := strings.Index(reply, "<data"), strings.LastIndex(reply, "</rpc-reply>")
	if i < 0 || j < i {
		t.Fatalf("no data in %s", reply)
	}
	return reply[i:j]
}

// elementOf returns the first element of reply that starts with open, up to its end tag end.
func elementOf(t testing.TB, reply, open, end string) string {
	t.Helper()
	i := strings.Index(reply, open)
	if i < 0 {
		t.Fatalf("no %s in %s", open, reply)
	}
	j := strings.Index(reply[i:], end)
	if j < 0 {
		t.Fatalf("no %s after %s in %s", end, open, reply)
	}
	return reply[i : i+j+len(end)]
}

// TestGetStateWithDefaults: on a fresh device, <get> reports the state data of a container
// whose configuration is only defaults, and of a list entry whose configuration is its key,
// its mandatory type and defaults, in every with-defaults mode (RFC 6243 section 3: state data
// is always reported; the configuration defaults as each mode says), with and without a filter;
// <get-config> reports no state.
func TestGetStateWithDefaults(t *testing.T) {
	srv := exampleServer(t, false)
	addStateProviders(t, srv.Store)
	c := dial(t, srv)
	id := uint32(0)
	rpc := func(t testing.TB, body string) string {
		t.Helper()
		id++
		return roundTrip(t, c, `<rpc message-id="`+itoa(id)+`" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">`+body+`</rpc>`)
	}
	const (
		dataNS   = `xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"`
		taggedNS = dataNS + ` xmlns:wd="urn:ietf:params:xml:ns:netconf:default:1.0"`
		sysOpen  = `<system xmlns="` + nsExample + `">`
		sysState = `<uptime>4200</uptime><current-time>2026-11-24T12:00:00Z</current-time>`
		ifsOpen  = `<interfaces xmlns="` + nsExample + `">`
		ifcKey   = `<name>eth0</name><type xmlns:ex="` + nsExample + `">ex:ethernet</type>`
		ifcState = `<oper-status>up</oper-status><statistics><in-octets>10</in-octets><out-octets>20</out-octets></statistics>`
	)
	modes := []struct {
		name string
		mode string // the with-defaults parameter, "" for none (the basic mode, explicit)
		// dataAttrs are the attributes of <data>; hostname, ifcDefaults are the configuration
		// defaults the mode reports.
		dataAttrs, hostname, ifcDefaults string
	}{
		{"basic mode", "", dataNS, "", ""},
		{"explicit", "explicit", dataNS, "", ""},
		{"trim", "trim", dataNS, "", ""},
		{"report-all", "report-all", dataNS, "<hostname>device</hostname>", "<enabled>true</enabled><speed>auto</speed>"},
		{"report-all-tagged", "report-all-tagged", taggedNS, `<hostname wd:default="true">device</hostname>`,
			`<enabled wd:default="true">true</enabled><speed wd:default="true">auto</speed>`},
	}
	param := func(mode string) string {
		if mode == "" {
			return ""
		}
		return `<with-defaults xmlns="` + nsWD + `">` + mode + `</with-defaults>`
	}

	// A fresh datastore: system holds only the default hostname.
	for _, m := range modes {
		t.Run("system/"+m.name, func(t *testing.T) {
			wd := param(m.mode)
			wantSys := sysOpen + m.hostname + sysState + `</system>`
			got := elementOf(t, rpc(t, `<get>`+wd+`</get>`), sysOpen, `</system>`)
			if diff := cmp.Diff(wantSys, got); diff != "" {
				t.Errorf("get: mismatch (-want +got):\n%s", diff)
			}
			want := `<data ` + m.dataAttrs + `>` + wantSys + `</data>`
			got = dataOf(t, rpc(t, `<get><filter><system xmlns="`+nsExample+`"/></filter>`+wd+`</get>`))
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("get with a subtree filter: mismatch (-want +got):\n%s", diff)
			}
			got = dataOf(t, rpc(t, `<get><filter type="xpath" xmlns:ex="`+nsExample+`" select="/ex:system"/>`+wd+`</get>`))
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("get with an XPath filter: mismatch (-want +got):\n%s", diff)
			}
			want = `<data ` + m.dataAttrs + `/>`
			if m.hostname != "" {
				want = `<data ` + m.dataAttrs + `>` + sysOpen + m.hostname + `</system></data>`
			}
			got = dataOf(t, rpc(t, `<get-config><source><running/></source><filter><system xmlns="`+nsExample+`"/></filter>`+wd+`</get-config>`))
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("get-config: mismatch (-want +got):\n%s", diff)
			}
		})
	}

	// An interface configured with its key, its mandatory type and nothing else.
	if r := rpc(t, `<edit-config><target><running/></target><config><interfaces xmlns="`+nsExample+`" xmlns:ex="`+nsExample+`"><interface><name>eth0</name><type>ex:ethernet</type></interface></interfaces></config></edit-config>`); !strings.Contains(r, "<ok/>") {
		t.Fatalf("edit-config: %s", r)
	}
	for _, m := range modes {
		t.Run("interface/"+m.name, func(t *testing.T) {
			wd := param(m.mode)
			wantIfs := ifsOpen + `<interface>` + ifcKey + m.ifcDefaults + ifcState + `</interface></interfaces>`
			got := elementOf(t, rpc(t, `<get>`+wd+`</get>`), ifsOpen, `</interfaces>`)
			if diff := cmp.Diff(wantIfs, got); diff != "" {
				t.Errorf("get: mismatch (-want +got):\n%s", diff)
			}
			want := `<data ` + m.dataAttrs + `>` + wantIfs + `</data>`
			got = dataOf(t, rpc(t, `<get><filter><interfaces xmlns="`+nsExample+`"><interface><name>eth0</name></interface></interfaces></filter>`+wd+`</get>`))
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("get with a subtree filter: mismatch (-want +got):\n%s", diff)
			}
			want = `<data ` + m.dataAttrs + `>` + ifsOpen + `<interface>` + ifcKey + m.ifcDefaults + `</interface></interfaces></data>`
			got = dataOf(t, rpc(t, `<get-config><source><running/></source><filter><interfaces xmlns="`+nsExample+`"/></filter>`+wd+`</get-config>`))
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("get-config: mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
