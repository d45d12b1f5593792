package server_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/nacm"
	"github.com/ncws/ncws/pkg/netconftest"
	"github.com/ncws/ncws/pkg/server"
)

// TestGetConfigKeptReply: the server keeps the encoded <data> of an unfiltered get-config for
// users who read everything and sends it again while nothing changed. Each read must still
// show what the datastore holds and what the reader may see: after an edit (from a session or
// from the store's own API), per datastore, per with-defaults mode, and for a user whose view
// NACM trims, also when the trimming comes from external groups that changed without any
// write to the store.
func TestGetConfigKeptReply(t *testing.T) {
	sch := exampleSchema(t, false)
	var bobGroups atomic.Value // bob's external groups
	bobGroups.Store([]string{"admin"})
	eng := nacm.New(sch, nacm.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		ExternalGroups: func(user string) []string {
			if user == "bob" {
				return bobGroups.Load().([]string)
			}
			return nil
		}})
	st, err := datastore.Open(datastore.Options{Schema: sch, Dir: t.TempDir(), Hooks: []datastore.Hook{eng.Hook()}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	rules := `<nacm xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-acm"><write-default>permit</write-default>` +
		`<groups><group><name>ops</name><user-name>alice</user-name></group></groups>` +
		`<rule-list><name>admin</name><group>admin</group><rule><name>all</name><module-name>*</module-name><access-operations>*</access-operations><action>permit</action></rule></rule-list>` +
		`<rule-list><name>ops</name><group>ops</group><rule><name>no-hostname</name><module-name>ncws-example</module-name><path xmlns:ex="` + nsExample + `">/ex:system/ex:hostname</path><access-operations>read</access-operations><action>deny</action></rule></rule-list>` +
		`</nacm><system xmlns="` + nsExample + `"><hostname>h0</hostname></system>`
	if errs := st.Edit(context.Background(), datastore.Who{}, datastore.Running, []byte(rules), datastore.EditOptions{}); len(errs) > 0 {
		t.Fatal(errs)
	}
	srv := &server.Server{Store: st}
	if err := eng.Attach(st, srv); err != nil {
		t.Fatal(err)
	}
	l := netconftest.NewListener()
	go srv.Serve(l)
	t.Cleanup(func() { srv.Shutdown(context.Background()); l.Close() })
	session := func(user string) func(body string) string {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		c, err := l.Dial(ctx, user)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Recv(ctx); err != nil {
			t.Fatal(err)
		}
		c.Send(ctx, []byte(`<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.1</capability></capabilities></hello>`))
		id := uint32(0)
		return func(body string) string {
			t.Helper()
			id++
			return roundTrip(t, c, `<rpc message-id="`+itoa(id)+`" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">`+body+`</rpc>`)
		}
	}
	bob, alice := session("bob"), session("alice")
	getConfig := func(rpc func(string) string, ds, extra string) string {
		t.Helper()
		return rpc(`<get-config><source><` + ds + `/></source>` + extra + `</get-config>`)
	}
	hostname := func(who, reply, want string) {
		t.Helper()
		has := strings.Contains(reply, "<hostname>")
		switch {
		case want == "" && has:
			t.Errorf("%s reads a hostname it may not read: %s", who, reply)
		case want != "" && !strings.Contains(reply, "<hostname>"+want+"</hostname>"):
			t.Errorf("%s: want hostname %s in %s", who, want, reply)
		}
	}
	for range 2 { // the second read of each is the one that may be kept
		hostname("bob", getConfig(bob, "running", ""), "h0")
		hostname("alice", getConfig(alice, "running", ""), "")
	}
	if r := bob(`<edit-config><target><running/></target><config><system xmlns="` + nsExample + `"><hostname>h1</hostname></system></config></edit-config>`); !strings.Contains(r, "<ok/>") {
		t.Fatalf("edit-config: %s", r)
	}
	hostname("bob after his edit", getConfig(bob, "running", ""), "h1")
	if errs := st.Edit(context.Background(), datastore.Who{}, datastore.Running, []byte(`<system xmlns="`+nsExample+`"><hostname>h2</hostname></system>`), datastore.EditOptions{}); len(errs) > 0 {
		t.Fatal(errs)
	}
	hostname("bob after the system's edit", getConfig(bob, "running", ""), "h2")
	if r := bob(`<edit-config><target><candidate/></target><config><system xmlns="` + nsExample + `"><hostname>c1</hostname></system></config></edit-config>`); !strings.Contains(r, "<ok/>") {
		t.Fatalf("edit-config of the candidate: %s", r)
	}
	for range 2 {
		hostname("bob, candidate", getConfig(bob, "candidate", ""), "c1")
		hostname("bob, running", getConfig(bob, "running", ""), "h2")
	}
	// The with-defaults modes differ in what they write of the same tree (report-all-tagged
	// marks defaults, which running holds from the NACM module at least).
	wd := func(mode string) string {
		return `<with-defaults xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-with-defaults">` + mode + `</with-defaults>`
	}
	tagged, trim := getConfig(bob, "running", wd("report-all-tagged")), getConfig(bob, "running", wd("trim"))
	if !strings.Contains(tagged, `wd:default="true"`) || strings.Contains(trim, `default="true"`) {
		t.Errorf("with-defaults: report-all-tagged %s\ntrim %s", tagged, trim)
	}
	if again := getConfig(bob, "running", wd("report-all-tagged")); dataOf(t, again) != dataOf(t, tagged) {
		t.Errorf("report-all-tagged read twice differs:\n%s\n%s", tagged, again)
	}
	// bob moves to ops in the groups outside NACM: nothing in the store changed, and yet his
	// next read is trimmed.
	bobGroups.Store([]string{"ops"})
	hostname("bob in ops", getConfig(bob, "running", ""), "")
	bobGroups.Store([]string{"admin"})
	hostname("bob back in admin", getConfig(bob, "running", ""), "h2")
}
