package server_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/nacm"
	"github.com/ncws/ncws/pkg/netconftest"
	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/schema/yangload"
	"github.com/ncws/ncws/pkg/server"
	"github.com/ncws/ncws/yang"
)

const (
	nsNMDA   = "urn:ietf:params:xml:ns:yang:ietf-netconf-nmda"
	nsDS     = "urn:ietf:params:xml:ns:yang:ietf-datastores"
	nsOrigin = "urn:ietf:params:xml:ns:yang:ietf-origin"
)

// nmdaServer is the example device with the state addStateProviders reports (learned), a
// loopback interface lo0 the device made itself (a provider that says origin system, with
// configuration nodes), and eth0 configured with a description; it returns an rpc function of
// one session.
func nmdaServer(t *testing.T) (*server.Server, netconftest.ClientConn, func(t testing.TB, body string) string) {
	t.Helper()
	srv := exampleServer(t, false)
	addStateProviders(t, srv.Store)
	sch := srv.Store.Schema()
	ifs := sch.FindNode("/ncws-example:interfaces")
	srv.Store.AddStateProvider(ifs, func(ctx context.Context, req *datastore.StateRequest) error {
		req.Origin = data.OriginSystem
		top := data.New(ifs)
		e := data.New(sch.FindNode("/ncws-example:interfaces/interface"))
		e.Add(stateLeaf(t, sch, "/ncws-example:interfaces/interface/name", "lo0"))
		tl := sch.FindNode("/ncws-example:interfaces/interface/type")
		v, rerr := data.ParseValue(tl.Type, "ex:loopback", func(string) *schema.Module { return tl.Module })
		if rerr != nil {
			return rerr
		}
		e.Add(data.NewLeaf(tl, v))
		e.Add(stateLeaf(t, sch, "/ncws-example:interfaces/interface/oper-status", "up"))
		top.Add(e)
		req.Root.Add(top)
		return nil
	})
	c := dial(t, srv)
	id := uint32(0)
	rpc := func(t testing.TB, body string) string {
		t.Helper()
		id++
		return roundTrip(t, c, `<rpc message-id="`+itoa(id)+`" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">`+body+`</rpc>`)
	}
	if r := rpc(t, `<edit-config><target><running/></target><config><interfaces xmlns="`+nsExample+`" xmlns:ex="`+nsExample+`"><interface><name>eth0</name><description>uplink</description><type>ex:ethernet</type></interface></interfaces></config></edit-config>`); !strings.Contains(r, "<ok/>") {
		t.Fatalf("edit-config: %s", r)
	}
	return srv, c, rpc
}

// getData is a get-data request of datastore ds (ds:NAME) with the parameters params.
func getData(ds, params string) string {
	return `<get-data xmlns="` + nsNMDA + `" xmlns:ds="` + nsDS + `"><datastore>ds:` + ds + `</datastore>` + params + `</get-data>`
}

const (
	nmdaData  = `<data xmlns="` + nsNMDA + `">`
	nmdaDataO = `<data xmlns="` + nsNMDA + `" xmlns:or="` + nsOrigin + `">`
	exIfs     = `<interfaces xmlns="` + nsExample + `">`
	exType    = `<type xmlns:ex="` + nsExample + `">ex:`
	eth0Cfg   = `<name>eth0</name><description>uplink</description>` + exType + `ethernet</type>`
	eth0State = `<oper-status>up</oper-status><statistics><in-octets>10</in-octets><out-octets>20</out-octets></statistics>`
	lo0Cfg    = `<name>lo0</name>` + exType + `loopback</type>`
	ifsFilter = `<subtree-filter>` + exIfs + `</interfaces></subtree-filter>`
)

// checkData compares the <data> of reply with want.
func checkData(t *testing.T, what, reply, want string) {
	t.Helper()
	if diff := cmp.Diff(want, dataOf(t, reply)); diff != "" {
		t.Errorf("%s: mismatch (-want +got):\n%s", what, diff)
	}
}

// TestGetDataDatastores: get-data reads each conventional datastore (intended is running) and
// the operational view (configuration merged with the providers' state), with subtree and
// XPath filters; edit-data of the candidate shows in the candidate only.
func TestGetDataDatastores(t *testing.T) {
	_, c, rpc := nmdaServer(t)
	eth0 := exIfs + `<interface>` + eth0Cfg + `</interface></interfaces>`
	checkData(t, "running", rpc(t, getData("running", "")), nmdaData+eth0+`</data>`)
	checkData(t, "intended", rpc(t, getData("intended", "")), nmdaData+eth0+`</data>`)
	checkData(t, "startup", rpc(t, getData("startup", "")), `<data xmlns="`+nsNMDA+`"/>`)
	checkData(t, "operational interfaces", rpc(t, getData("operational", ifsFilter)),
		nmdaData+exIfs+`<interface>`+eth0Cfg+eth0State+`</interface><interface>`+lo0Cfg+`<oper-status>up</oper-status></interface></interfaces></data>`)

	if r := rpc(t, `<edit-data xmlns="`+nsNMDA+`" xmlns:ds="`+nsDS+`"><datastore>ds:candidate</datastore><config>`+
		`<interfaces xmlns="`+nsExample+`" xmlns:ex="`+nsExample+`"><interface><name>eth1</name><type>ex:vlan</type></interface></interfaces></config></edit-data>`); !strings.Contains(r, "<ok/>") {
		t.Fatalf("edit-data candidate: %s", r)
	}
	eth1 := `<interface><name>eth1</name>` + exType + `vlan</type></interface>`
	checkData(t, "candidate", rpc(t, getData("candidate", ifsFilter)), nmdaData+exIfs+`<interface>`+eth0Cfg+`</interface>`+eth1+`</interfaces></data>`)
	checkData(t, "running after candidate edit", rpc(t, getData("running", ifsFilter)), nmdaData+eth0+`</data>`)

	// An XPath filter whose prefix is declared on the xpath-filter element, and one whose prefix
	// is declared on the rpc element.
	want := nmdaData + exIfs + `<interface><name>eth0</name><description>uplink</description></interface></interfaces></data>`
	checkData(t, "xpath-filter, prefix on the element", rpc(t, getData("running",
		`<xpath-filter xmlns:e="`+nsExample+`">/e:interfaces/e:interface[e:name='eth0']/e:description</xpath-filter>`)), want)
	r := roundTrip(t, c, `<rpc message-id="x" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" xmlns:x="`+nsExample+`">`+
		getData("operational", `<xpath-filter>/x:interfaces/x:interface[x:name='eth0']/x:description</xpath-filter>`)+`</rpc>`)
	checkData(t, "xpath-filter, prefix on the rpc", r, want)
}

// TestGetDataWithOrigin: with-origin annotates the operational view: the intended
// configuration intended, its defaults default, the providers' state learned, and the entry a
// provider reports as made by the device system; a node without the annotation has its
// parent's.
func TestGetDataWithOrigin(t *testing.T) {
	_, _, rpc := nmdaServer(t)
	r := rpc(t, getData("operational", `<with-origin/><with-defaults>report-all</with-defaults>`+ifsFilter))
	checkData(t, "with-origin", r, nmdaDataO+`<interfaces xmlns="`+nsExample+`" or:origin="or:intended"><interface>`+eth0Cfg+
		`<enabled or:origin="or:default">true</enabled><speed or:origin="or:default">auto</speed>`+
		`<oper-status or:origin="or:learned">up</oper-status><statistics or:origin="or:learned"><in-octets>10</in-octets><out-octets>20</out-octets></statistics></interface>`+
		`<interface or:origin="or:system">`+lo0Cfg+`<oper-status>up</oper-status></interface></interfaces></data>`)
	// Without with-origin, no annotation.
	r = rpc(t, getData("operational", ifsFilter))
	if strings.Contains(r, "origin") {
		t.Errorf("origin annotation without with-origin: %s", r)
	}
}

// TestGetDataConfigFilter: config-filter true keeps the configuration, false the state, each
// with the ancestors and keys of what it keeps.
func TestGetDataConfigFilter(t *testing.T) {
	_, _, rpc := nmdaServer(t)
	checkData(t, "operational config-filter=true", rpc(t, getData("operational", ifsFilter+`<config-filter>true</config-filter>`)),
		nmdaData+exIfs+`<interface>`+eth0Cfg+`</interface><interface>`+lo0Cfg+`</interface></interfaces></data>`)
	checkData(t, "operational config-filter=false", rpc(t, getData("operational", ifsFilter+`<config-filter>false</config-filter>`)),
		nmdaData+exIfs+`<interface><name>eth0</name>`+eth0State+`</interface><interface><name>lo0</name><oper-status>up</oper-status></interface></interfaces></data>`)
	checkData(t, "running config-filter=false", rpc(t, getData("running", `<config-filter>false</config-filter>`)), `<data xmlns="`+nsNMDA+`"/>`)
	// Without a subtree filter the server's own state is selected too; no configuration.
	r := rpc(t, getData("operational", `<config-filter>false</config-filter>`))
	if strings.Contains(r, "<description>uplink") || !strings.Contains(r, "<yang-library") || !strings.Contains(r, "<uptime>4200</uptime>") {
		t.Errorf("operational config-filter=false: %s", r)
	}
}

// TestGetDataOriginFilter: the origin filters select configuration nodes by origin (or:origin,
// the base, matches all); state nodes are not filtered.
func TestGetDataOriginFilter(t *testing.T) {
	_, _, rpc := nmdaServer(t)
	of := func(kind string, ids ...string) string {
		var b strings.Builder
		for _, id := range ids {
			b.WriteString(`<` + kind + ` xmlns:or="` + nsOrigin + `">or:` + id + `</` + kind + `>`)
		}
		return b.String()
	}
	const wd = `<with-defaults>report-all</with-defaults>`
	defaults := `<enabled>true</enabled><speed>auto</speed>`
	for _, c := range []struct{ name, params, want string }{
		{"system", of("origin-filter", "system"),
			exIfs + `<interface><name>eth0</name>` + eth0State + `</interface><interface>` + lo0Cfg + `<oper-status>up</oper-status></interface></interfaces>`},
		{"intended", of("origin-filter", "intended"),
			exIfs + `<interface>` + eth0Cfg + eth0State + `</interface><interface><name>lo0</name><oper-status>up</oper-status></interface></interfaces>`},
		{"default or system", of("origin-filter", "default", "system"),
			exIfs + `<interface><name>eth0</name>` + defaults + eth0State + `</interface><interface>` + lo0Cfg + `<oper-status>up</oper-status></interface></interfaces>`},
		{"negated intended", of("negated-origin-filter", "intended"),
			exIfs + `<interface><name>eth0</name>` + defaults + eth0State + `</interface><interface>` + lo0Cfg + `<oper-status>up</oper-status></interface></interfaces>`},
	} {
		t.Run(c.name, func(t *testing.T) {
			checkData(t, c.name, rpc(t, getData("operational", ifsFilter+c.params+wd)), nmdaData+c.want+`</data>`)
		})
	}
}

// TestGetDataMaxDepth: max-depth limits each selected node's subtree (the node is level 1,
// list entries keep their keys), with no filter, a subtree filter and an XPath filter.
func TestGetDataMaxDepth(t *testing.T) {
	_, _, rpc := nmdaServer(t)
	md := func(n string) string { return `<max-depth>` + n + `</max-depth>` }
	for _, c := range []struct{ name, ds, params, want string }{
		{"1 without filter", "running", md("1"), exIfs + `</interfaces>`},
		{"2 without filter", "running", md("2"), exIfs + `<interface><name>eth0</name></interface></interfaces>`},
		{"3 without filter", "running", md("3"), exIfs + `<interface>` + eth0Cfg + `</interface></interfaces>`},
		{"unbounded", "running", md("unbounded"), exIfs + `<interface>` + eth0Cfg + `</interface></interfaces>`},
		{"1 below a subtree filter's selection", "operational",
			`<subtree-filter>` + exIfs + `<interface><name>eth0</name><statistics/></interface></interfaces></subtree-filter>` + md("1"),
			exIfs + `<interface><name>eth0</name><statistics/></interface></interfaces>`},
		{"2 below an XPath selection", "operational",
			`<xpath-filter xmlns:e="` + nsExample + `">/e:interfaces/e:interface[e:name='eth0']</xpath-filter>` + md("2"),
			exIfs + `<interface>` + eth0Cfg + `<oper-status>up</oper-status><statistics/></interface></interfaces>`},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := dataOf(t, rpc(t, getData(c.ds, c.params)))
			// The running datastore holds the interfaces only; compare them.
			if c.ds == "running" {
				got = strings.Replace(got, `<interfaces xmlns="`+nsExample+`"/>`, exIfs+`</interfaces>`, 1)
			}
			if diff := cmp.Diff(nmdaData+c.want+`</data>`, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// rpcErrorTag returns the error-tag of an rpc-reply holding one rpc-error ("" if none).
func rpcErrorTag(reply string) string {
	i := strings.Index(reply, "<error-tag>")
	if i < 0 {
		return ""
	}
	j := strings.Index(reply[i:], "</error-tag>")
	return reply[i+len("<error-tag>") : i+j]
}

// TestGetDataErrors: every bad get-data parameter is an rpc-error with the tag RFC 8526 names.
func TestGetDataErrors(t *testing.T) {
	_, _, rpc := nmdaServer(t)
	for _, c := range []struct{ name, body, tag string }{
		{"with-origin on running", getData("running", `<with-origin/>`), "invalid-value"},
		{"with-origin on intended", getData("intended", `<with-origin/>`), "invalid-value"},
		{"origin-filter on candidate", getData("candidate", `<origin-filter xmlns:or="`+nsOrigin+`">or:learned</origin-filter>`), "invalid-value"},
		{"negated-origin-filter on startup", getData("startup", `<negated-origin-filter xmlns:or="`+nsOrigin+`">or:learned</negated-origin-filter>`), "invalid-value"},
		{"a datastore the server does not have", getData("conventional", ""), "invalid-value"},
		{"an identity that is no datastore", `<get-data xmlns="` + nsNMDA + `" xmlns:or="` + nsOrigin + `"><datastore>or:learned</datastore></get-data>`, "invalid-value"},
		{"no datastore", `<get-data xmlns="` + nsNMDA + `"/>`, "missing-element"},
		{"max-depth 0", getData("running", `<max-depth>0</max-depth>`), "invalid-value"},
		{"max-depth not a number", getData("running", `<max-depth>deep</max-depth>`), "invalid-value"},
		{"with-defaults unknown", getData("running", `<with-defaults>all</with-defaults>`), "invalid-value"},
		{"config-filter not boolean", getData("running", `<config-filter>yes</config-filter>`), "invalid-value"},
		{"bad XPath", getData("running", `<xpath-filter>/interfaces[</xpath-filter>`), "invalid-value"},
		{"XPath that is no node-set", getData("running", `<xpath-filter>1 + 1</xpath-filter>`), "invalid-value"},
		{"both filters", getData("running", ifsFilter+`<xpath-filter>/*</xpath-filter>`), "bad-element"},
		{"both origin filters", getData("operational", `<origin-filter xmlns:or="`+nsOrigin+`">or:learned</origin-filter><negated-origin-filter xmlns:or="`+nsOrigin+`">or:system</negated-origin-filter>`), "bad-element"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := rpc(t, c.body)
			if got := rpcErrorTag(r); got != c.tag {
				t.Errorf("error-tag %q, want %q in %s", got, c.tag, r)
			}
		})
	}
}

// editData is an edit-data request of datastore ds with the parameters params.
func editData(ds, params string) string {
	return `<edit-data xmlns="` + nsNMDA + `" xmlns:ds="` + nsDS + `"><datastore>ds:` + ds + `</datastore>` + params + `</edit-data>`
}

// TestEditData: edit-data applies edit-config's semantics to running and candidate with each
// default-operation, is all or nothing, and refuses the datastores it cannot write.
func TestEditData(t *testing.T) {
	_, _, rpc := nmdaServer(t)
	cfg := func(body string) string {
		return `<config><interfaces xmlns="` + nsExample + `" xmlns:ex="` + nsExample + `" xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0">` + body + `</interfaces></config>`
	}
	ok := func(what, r string) {
		t.Helper()
		if !strings.Contains(r, "<ok/>") {
			t.Fatalf("%s: %s", what, r)
		}
	}
	running := func() string { return dataOf(t, rpc(t, getData("running", ifsFilter))) }
	ok("merge", rpc(t, editData("running", cfg(`<interface><name>eth1</name><type>ex:vlan</type></interface>`))))
	eth1 := `<interface><name>eth1</name>` + exType + `vlan</type></interface>`
	if diff := cmp.Diff(nmdaData+exIfs+`<interface>`+eth0Cfg+`</interface>`+eth1+`</interfaces></data>`, running()); diff != "" {
		t.Errorf("after merge: mismatch (-want +got):\n%s", diff)
	}

	// All or nothing: creating eth2 and creating eth1 again (data-exists) changes nothing.
	before := running()
	r := rpc(t, editData("running", cfg(`<interface><name>eth2</name><type>ex:vlan</type></interface><interface nc:operation="create"><name>eth1</name><type>ex:vlan</type></interface>`)))
	if tag := rpcErrorTag(r); tag != "data-exists" {
		t.Errorf("create of an existing entry: error-tag %q, want data-exists: %s", tag, r)
	}
	if diff := cmp.Diff(before, running()); diff != "" {
		t.Errorf("a failed edit-data changed running (-before +after):\n%s", diff)
	}

	// default-operation none: only the operation attributes act.
	ok("none", rpc(t, editData("running", `<default-operation>none</default-operation>`+cfg(`<interface nc:operation="delete"><name>eth1</name></interface><interface><name>eth0</name><description>ignored without an operation</description></interface>`))))
	if diff := cmp.Diff(nmdaData+exIfs+`<interface>`+eth0Cfg+`</interface></interfaces></data>`, running()); diff != "" {
		t.Errorf("after default-operation none: mismatch (-want +got):\n%s", diff)
	}

	// default-operation replace: the content replaces the interfaces.
	ok("replace", rpc(t, editData("running", `<default-operation>replace</default-operation>`+cfg(`<interface><name>eth3</name><type>ex:ethernet</type></interface>`))))
	if diff := cmp.Diff(nmdaData+exIfs+`<interface><name>eth3</name>`+exType+`ethernet</type></interface></interfaces></data>`, running()); diff != "" {
		t.Errorf("after replace: mismatch (-want +got):\n%s", diff)
	}

	// The candidate: changed by edit-data, running only after commit.
	ok("candidate", rpc(t, editData("candidate", cfg(`<interface><name>eth4</name><type>ex:ethernet</type></interface>`))))
	if strings.Contains(running(), "eth4") {
		t.Errorf("edit-data of the candidate changed running")
	}
	ok("commit", rpc(t, `<commit/>`))
	if !strings.Contains(running(), "<name>eth4</name>") {
		t.Errorf("committed candidate edit not in running: %s", running())
	}

	for _, c := range []struct{ name, body, tag string }{
		{"operational", editData("operational", cfg(`<interface><name>eth5</name><type>ex:vlan</type></interface>`)), "invalid-value"},
		{"intended", editData("intended", cfg(`<interface><name>eth5</name><type>ex:vlan</type></interface>`)), "invalid-value"},
		{"startup", editData("startup", cfg(`<interface><name>eth5</name><type>ex:vlan</type></interface>`)), "invalid-value"},
		{"no config", editData("running", ""), "missing-element"},
		{"unknown element", editData("running", `<config><bogus xmlns="`+nsExample+`"/></config>`), "unknown-element"},
		{"bad default-operation", editData("running", `<default-operation>remove</default-operation>`+cfg("")), "invalid-value"},
		{"invalid result (no type)", editData("running", cfg(`<interface><name>eth6</name></interface>`)), "missing-element"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := running()
			r := rpc(t, c.body)
			if got := rpcErrorTag(r); got != c.tag {
				t.Errorf("error-tag %q, want %q in %s", got, c.tag, r)
			}
			if diff := cmp.Diff(before, running()); diff != "" {
				t.Errorf("a refused edit-data changed running (-before +after):\n%s", diff)
			}
		})
	}
}

// TestNMDALockValidate: lock, unlock and validate take RFC 8526's datastore parameter.
func TestNMDALockValidate(t *testing.T) {
	_, _, rpc := nmdaServer(t)
	ds := func(op, where, name string) string {
		return `<` + op + `><` + where + `><datastore xmlns="` + nsNMDA + `" xmlns:ds="` + nsDS + `">ds:` + name + `</datastore></` + where + `></` + op + `>`
	}
	for _, c := range []struct{ name, body, tag string }{
		{"lock running", ds("lock", "target", "running"), ""},
		{"lock running again", ds("lock", "target", "running"), "lock-denied"},
		{"unlock running", ds("unlock", "target", "running"), ""},
		{"lock candidate", ds("lock", "target", "candidate"), ""},
		{"unlock candidate", ds("unlock", "target", "candidate"), ""},
		{"lock operational", ds("lock", "target", "operational"), "invalid-value"},
		{"lock intended", ds("lock", "target", "intended"), "invalid-value"},
		{"validate candidate", ds("validate", "source", "candidate"), ""},
		{"validate intended", ds("validate", "source", "intended"), ""},
		{"validate operational", ds("validate", "source", "operational"), "invalid-value"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := rpc(t, c.body)
			if got := rpcErrorTag(r); got != c.tag {
				t.Errorf("error-tag %q, want %q in %s", got, c.tag, r)
			}
		})
	}
}

// TestNMDAAccessControl: NACM applies to get-data and edit-data as to get and edit-config: a
// node the user may not read is left out (and a filter cannot reveal its value), a write the
// user may not make is access-denied and changes nothing, and an exec rule on the operation
// itself refuses it.
func TestNMDAAccessControl(t *testing.T) {
	sch := exampleSchema(t, false)
	eng := nacm.New(sch, nacm.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	st, err := datastore.Open(datastore.Options{Schema: sch, Dir: t.TempDir(), Hooks: []datastore.Hook{eng.Hook()}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	addStateProviders(t, st)
	// The rules, written by the system (session 0, which access control does not check).
	rules := `<nacm xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-acm"><groups><group><name>ops</name><user-name>alice</user-name></group></groups>` +
		`<rule-list><name>ops</name><group>ops</group>` +
		`<rule><name>no-stats</name><module-name>ncws-example</module-name><path xmlns:ex="` + nsExample + `">/ex:interfaces/ex:interface/ex:statistics</path><access-operations>read</access-operations><action>deny</action></rule>` +
		`<rule><name>no-hostname</name><module-name>ncws-example</module-name><path xmlns:ex="` + nsExample + `">/ex:system/ex:hostname</path><access-operations>create update delete</access-operations><action>deny</action></rule>` +
		`<rule><name>ifs</name><module-name>ncws-example</module-name><access-operations>create update delete</access-operations><action>permit</action></rule>` +
		`</rule-list></nacm>`
	if errs := st.Edit(context.Background(), datastore.Who{}, datastore.Running, []byte(rules), datastore.EditOptions{}); len(errs) > 0 {
		t.Fatal(errs)
	}
	srv := &server.Server{Store: st}
	if err := eng.Attach(st, srv); err != nil {
		t.Fatal(err)
	}
	c := dial(t, srv)
	id := uint32(0)
	rpc := func(body string) string {
		t.Helper()
		id++
		return roundTrip(t, c, `<rpc message-id="`+itoa(id)+`" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">`+body+`</rpc>`)
	}
	cfg := `<config><interfaces xmlns="` + nsExample + `" xmlns:ex="` + nsExample + `"><interface><name>eth0</name><type>ex:ethernet</type></interface></interfaces></config>`
	if r := rpc(editData("running", cfg)); !strings.Contains(r, "<ok/>") {
		t.Fatalf("permitted edit-data: %s", r)
	}
	r := rpc(getData("operational", ifsFilter))
	checkData(t, "statistics hidden", r, nmdaData+exIfs+`<interface><name>eth0</name>`+exType+`ethernet</type><oper-status>up</oper-status></interface></interfaces></data>`)
	r = rpc(getData("operational", `<subtree-filter>`+exIfs+`<interface><statistics><in-octets>10</in-octets></statistics></interface></interfaces></subtree-filter>`))
	checkData(t, "content match on a hidden value", r, `<data xmlns="`+nsNMDA+`"/>`)
	r = rpc(getData("operational", `<xpath-filter xmlns:e="`+nsExample+`">/e:interfaces/e:interface[e:statistics/e:in-octets=10]</xpath-filter>`))
	checkData(t, "XPath on a hidden value", r, `<data xmlns="`+nsNMDA+`"/>`)

	before := dataOf(t, rpc(getData("running", "")))
	r = rpc(editData("running", `<config><system xmlns="`+nsExample+`"><hostname>h1</hostname></system></config>`))
	if tag := rpcErrorTag(r); tag != "access-denied" {
		t.Errorf("denied edit-data: error-tag %q, want access-denied: %s", tag, r)
	}
	if diff := cmp.Diff(before, dataOf(t, rpc(getData("running", "")))); diff != "" {
		t.Errorf("a denied edit-data changed running (-before +after):\n%s", diff)
	}

	// An exec rule on get-data itself.
	rules2 := `<nacm xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-acm"><rule-list><name>ops</name><rule><name>no-get-data</name><module-name>ietf-netconf-nmda</module-name><rpc-name>get-data</rpc-name><access-operations>exec</access-operations><action>deny</action></rule></rule-list></nacm>`
	if errs := st.Edit(context.Background(), datastore.Who{}, datastore.Running, []byte(rules2), datastore.EditOptions{}); len(errs) > 0 {
		t.Fatal(errs)
	}
	r = rpc(getData("running", ""))
	if tag := rpcErrorTag(r); tag != "access-denied" {
		t.Errorf("get-data denied by an exec rule: error-tag %q, want access-denied: %s", tag, r)
	}
}

// TestYangLibrary: /yang-library lists the datastores, each with its schema (the configuration
// datastores share one, operational adds the state modules), module sets holding every module
// once with its features; /modules-state (RFC 7895) lists every module with its conformance
// type; the hello announces yang-library:1.1 with the content-id and yang-library:1.0 with the
// module-set-id the trees hold, and with-operational-defaults. yanglint accepts both trees
// against ietf-yang-library, with the origin annotations against ietf-origin.
func TestYangLibrary(t *testing.T) {
	srv, _, rpc := nmdaServer(t)
	sch := srv.Store.Schema()
	const yl = `xmlns="urn:ietf:params:xml:ns:yang:ietf-yang-library"`
	r := rpc(t, getData("operational", `<with-origin/><subtree-filter><yang-library `+yl+`/><modules-state `+yl+`/></subtree-filter>`))
	body := dataOf(t, r)
	for _, want := range []string{
		`<schema><name>config-schema</name><module-set>config-modules</module-set></schema>`,
		`<schema><name>operational-schema</name><module-set>config-modules</module-set><module-set>state-modules</module-set></schema>`,
		`<datastore><name xmlns:ds="` + nsDS + `">ds:running</name><schema>config-schema</schema></datastore>`,
		`<datastore><name xmlns:ds="` + nsDS + `">ds:candidate</name><schema>config-schema</schema></datastore>`,
		`<datastore><name xmlns:ds="` + nsDS + `">ds:startup</name><schema>config-schema</schema></datastore>`,
		`<datastore><name xmlns:ds="` + nsDS + `">ds:intended</name><schema>config-schema</schema></datastore>`,
		`<datastore><name xmlns:ds="` + nsDS + `">ds:operational</name><schema>operational-schema</schema></datastore>`,
		`<module><name>ncws-example</name><revision>2026-11-24</revision><namespace>` + nsExample + `</namespace><feature>ntp</feature></module>`,
		`<module><name>ietf-netconf-nmda</name><revision>2019-01-07</revision><namespace>` + nsNMDA + `</namespace><feature>origin</feature><feature>with-defaults</feature></module>`,
		`<import-only-module><name>ietf-yang-types</name><revision>2013-07-15</revision>`,
		`<module><name>ietf-yang-metadata</name><revision>2016-08-05</revision><namespace>urn:ietf:params:xml:ns:yang:ietf-yang-metadata</namespace><conformance-type>import</conformance-type></module>`,
		`<module><name>ietf-origin</name><revision>2018-02-14</revision><namespace>` + nsOrigin + `</namespace><conformance-type>implement</conformance-type></module>`,
		`<yang-library ` + yl + ` or:origin="or:system">`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("yang-library lacks %s", want)
		}
	}
	// Every module once, in the module set of the schema its data belongs to.
	config := elementOf(t, body, `<module-set><name>config-modules</name>`, `</module-set>`)
	state := elementOf(t, body, `<module-set><name>state-modules</name>`, `</module-set>`)
	for _, m := range sch.Modules {
		n := strings.Count(config+state, `<name>`+m.Name+`</name>`)
		if n != 1 {
			t.Errorf("module %s is in the module sets %d times", m.Name, n)
		}
	}
	for _, m := range []string{"ncws-example", "ietf-netconf-acm"} {
		if !strings.Contains(config, `<name>`+m+`</name>`) {
			t.Errorf("module %s (configuration) not in config-modules", m)
		}
	}
	for _, m := range []string{"ietf-netconf-monitoring", "ietf-yang-library"} {
		if !strings.Contains(state, `<name>`+m+`</name>`) {
			t.Errorf("module %s (state only) not in state-modules", m)
		}
	}

	contentID := between(body, "<content-id>", "</content-id>")
	setID := between(body, "<module-set-id>", "</module-set-id>")
	if contentID == "" || setID != contentID {
		t.Errorf("content-id %q, module-set-id %q: want the same non-empty id", contentID, setID)
	}
	caps := strings.Join(srv.Capabilities(), "\n")
	for _, want := range []string{
		"urn:ietf:params:netconf:capability:yang-library:1.1?revision=2019-01-04&content-id=" + contentID,
		"urn:ietf:params:netconf:capability:yang-library:1.0?revision=2019-01-04&module-set-id=" + setID,
		"urn:ietf:params:netconf:capability:with-operational-defaults:1.0?basic-mode=explicit&also-supported=report-all,report-all-tagged,trim",
	} {
		if !strings.Contains(caps, want) {
			t.Errorf("hello lacks %s:\n%s", want, caps)
		}
	}

	yanglint, err := exec.LookPath("yanglint")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("yanglint not on PATH, and CI is set")
		}
		t.Skip("yanglint not on PATH")
	}
	// The children of <data>, each declaring the or prefix <data> declared.
	inner := body[strings.Index(body, ">")+1 : strings.LastIndex(body, "</data>")]
	inner = strings.ReplaceAll(inner, ` or:origin=`, ` xmlns:or="`+nsOrigin+`" or:origin=`)
	dir := t.TempDir()
	if err := yang.WriteFiles(dir); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "library.xml")
	if err := os.WriteFile(file, []byte(inner), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(yanglint, "-p", dir, filepath.Join(dir, "ietf-yang-library@2019-01-04.yang"),
		filepath.Join(dir, "ietf-datastores@2018-02-14.yang"), filepath.Join(dir, "ietf-origin@2018-02-14.yang"), file)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("yanglint refuses the yang-library data: %v\n%s\n%s", err, out, inner)
	}
}

// between returns the text of s between the first open and the following end.
func between(s, open, end string) string {
	i := strings.Index(s, open)
	if i < 0 {
		return ""
	}
	s = s[i+len(open):]
	j := strings.Index(s, end)
	if j < 0 {
		return ""
	}
	return s[:j]
}

// TestYangLibraryDeviations: a module's deviation list names the modules that deviate it, in
// its module set (the deviating module joins it), in /yang-library and /modules-state, and
// yanglint accepts the result (the deviation leafref resolves within the set).
func TestYangLibraryDeviations(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"devbase.yang": `module devbase { yang-version 1.1; namespace "urn:example:devbase"; prefix db;
  revision 2026-01-01; container c { leaf a { type string; } leaf b { type string; } } }`,
		"devmod.yang": `module devmod { yang-version 1.1; namespace "urn:example:devmod"; prefix dm;
  import devbase { prefix db; } revision 2026-02-02;
  deviation /db:c/db:b { deviate not-supported; } }`,
	}
	var paths []string
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	sch, err := yang.Load(yangload.Options{Files: paths})
	if err != nil {
		t.Fatal(err)
	}
	st, err := datastore.Open(datastore.Options{Schema: sch, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c := dial(t, &server.Server{Store: st})
	const yl = `xmlns="urn:ietf:params:xml:ns:yang:ietf-yang-library"`
	body := dataOf(t, roundTrip(t, c, `<rpc message-id="1" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">`+
		getData("operational", `<subtree-filter><yang-library `+yl+`/><modules-state `+yl+`/></subtree-filter>`)+`</rpc>`))
	config := elementOf(t, body, `<module-set><name>config-modules</name>`, `</module-set>`)
	for _, want := range []string{
		`<module><name>devbase</name><revision>2026-01-01</revision><namespace>urn:example:devbase</namespace><deviation>devmod</deviation></module>`,
		`<module><name>devmod</name><revision>2026-02-02</revision><namespace>urn:example:devmod</namespace></module>`,
	} {
		if !strings.Contains(config, want) {
			t.Errorf("config-modules lacks %s:\n%s", want, config)
		}
	}
	want := `<module><name>devbase</name><revision>2026-01-01</revision><namespace>urn:example:devbase</namespace>` +
		`<deviation><name>devmod</name><revision>2026-02-02</revision></deviation><conformance-type>implement</conformance-type></module>`
	if !strings.Contains(body, want) {
		t.Errorf("modules-state lacks %s", want)
	}
	yanglint, err := exec.LookPath("yanglint")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("yanglint not on PATH, and CI is set")
		}
		t.Skip("yanglint not on PATH")
	}
	if err := yang.WriteFiles(dir); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "library.xml")
	if err := os.WriteFile(file, []byte(body[strings.Index(body, ">")+1:strings.LastIndex(body, "</data>")]), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(yanglint, "-p", dir, filepath.Join(dir, "ietf-yang-library@2019-01-04.yang"),
		filepath.Join(dir, "ietf-datastores@2018-02-14.yang"), file)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("yanglint refuses the yang-library data: %v\n%s", err, out)
	}
}
