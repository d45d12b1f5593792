package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	ws "github.com/coder/websocket"
	"github.com/google/go-cmp/cmp"

	"github.com/ncws/ncws/pkg/client"
	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/encoding/yangjson"
	"github.com/ncws/ncws/pkg/netconf"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/server"
)

const (
	nsSN = "urn:ietf:params:xml:ns:yang:ietf-subscribed-notifications"
	nsYP = "urn:ietf:params:xml:ns:yang:ietf-yang-push"
)

var idRe = regexp.MustCompile(`<id[^>]*>(\d+)</id>`)

// establish sends establish-subscription with the given content and returns the new id.
func establish(t testing.TB, s *client.Session, content string) string {
	t.Helper()
	r, err := s.Call(context.Background(), []byte(`<establish-subscription xmlns="`+nsSN+`" xmlns:yp="`+nsYP+
		`" xmlns:ds="urn:ietf:params:xml:ns:yang:ietf-datastores">`+content+`</establish-subscription>`))
	if err != nil {
		t.Fatalf("establish-subscription: %v", err)
	}
	m := idRe.FindSubmatch(r.Body)
	if m == nil {
		t.Fatalf("establish-subscription reply without id: %s", r.Body)
	}
	return string(m[1])
}

// call sends op (in the subscribed notifications namespace unless it declares another).
func call(s *client.Session, op string) error {
	_, err := s.Call(context.Background(), []byte(op))
	return err
}

// appTag returns the error-app-tag and error-info of the one rpc-error in err.
func appTag(t *testing.T, err error) (string, string) {
	t.Helper()
	var l rpcerror.List
	if !errors.As(err, &l) || len(l) != 1 {
		t.Fatalf("want one rpc-error, got %v", err)
	}
	info := ""
	for _, in := range l[0].Info {
		info += "<" + in.Name + ">" + in.Value + "</" + in.Name + ">"
	}
	return l[0].AppTag, info
}

// TestDynamicStreamSubscriptions: several establish-subscriptions on one session beside an RFC
// 5277 create-subscription each get the events their filter selects (the stream events as they
// are, RFC 8640 section 5); delete-subscription stops one.
func TestDynamicStreamSubscriptions(t *testing.T) {
	srv := exampleServer(t, true)
	sch := srv.Store.Schema()
	url := serveWS(t, srv)
	ctx := context.Background()
	s, ch := dialNotes(t, url, "alice")
	if err := s.CreateSubscription(ctx, client.SubscribeOptions{Filter: client.Filter{Subtree: []byte(`<config-saved xmlns="urn:ncws:yang:ncws-example"/>`)}}); err != nil {
		t.Fatal(err)
	}
	saved := establish(t, s, `<stream>NETCONF</stream><stream-subtree-filter><config-saved xmlns="urn:ncws:yang:ncws-example"><user>alice</user></config-saved></stream-subtree-filter>`)
	links := establish(t, s, `<stream>NETCONF</stream><stream-xpath-filter xmlns:ex="urn:ncws:yang:ncws-example">/ex:interfaces/ex:interface/ex:link-change</stream-xpath-filter>`)
	if saved == links {
		t.Fatalf("two subscriptions with id %s", saved)
	}
	if err := srv.Notify(ctx, configSaved(t, sch, "alice"), time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := srv.Notify(ctx, configSaved(t, sch, "bob"), time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := srv.Notify(ctx, linkChange(t, sch, "eth0", "up"), time.Now()); err != nil {
		t.Fatal(err)
	}
	var got []string
	for range 4 {
		got = append(got, next(t, ch).body)
	}
	sort.Strings(got)
	want := []string{
		`<config-saved xmlns="urn:ncws:yang:ncws-example"><user>alice</user></config-saved>`, // 5277
		`<config-saved xmlns="urn:ncws:yang:ncws-example"><user>alice</user></config-saved>`, // saved
		`<config-saved xmlns="urn:ncws:yang:ncws-example"><user>bob</user></config-saved>`,   // 5277
		`<interfaces xmlns="urn:ncws:yang:ncws-example"><interface><name>eth0</name><link-change><oper-status>up</oper-status></link-change></interface></interfaces>`,
	}
	sort.Strings(want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("notifications mismatch (-want +got):\n%s", diff)
	}
	none(t, s, ch)
	if err := call(s, `<delete-subscription xmlns="`+nsSN+`"><id>`+links+`</id></delete-subscription>`); err != nil {
		t.Fatal(err)
	}
	if err := srv.Notify(ctx, linkChange(t, sch, "eth0", "down"), time.Now()); err != nil {
		t.Fatal(err)
	}
	none(t, s, ch)
	// Another session cannot delete it (RFC 8639 section 2.4.4), and the id is gone.
	other, _ := dialNotes(t, url, "bob")
	err := call(other, `<delete-subscription xmlns="`+nsSN+`"><id>`+saved+`</id></delete-subscription>`)
	tag, info := appTag(t, err)
	if tag != "ietf-subscribed-notifications:no-such-subscription" || !strings.Contains(info, "sn:no-such-subscription") {
		t.Errorf("delete of another session's subscription: app-tag %q info %q", tag, info)
	}
	err = call(s, `<delete-subscription xmlns="`+nsSN+`"><id>`+links+`</id></delete-subscription>`)
	if tag, _ := appTag(t, err); tag != "ietf-subscribed-notifications:no-such-subscription" {
		t.Errorf("second delete: app-tag %q", tag)
	}
}

// TestModifyAndKillSubscription: modify-subscription changes the filter (subscription-modified
// first); kill-subscription from another session ends it with subscription-terminated; the
// /subscriptions tree lists it while it lasts.
func TestModifyAndKillSubscription(t *testing.T) {
	srv := exampleServer(t, true)
	sch := srv.Store.Schema()
	url := serveWS(t, srv)
	ctx := context.Background()
	s, ch := dialNotes(t, url, "alice")
	id := establish(t, s, `<stream>NETCONF</stream><stream-subtree-filter><config-saved xmlns="urn:ncws:yang:ncws-example"><user>alice</user></config-saved></stream-subtree-filter>`)
	if err := call(s, `<modify-subscription xmlns="`+nsSN+`"><id>`+id+`</id><stream-subtree-filter><config-saved xmlns="urn:ncws:yang:ncws-example"><user>bob</user></config-saved></stream-subtree-filter></modify-subscription>`); err != nil {
		t.Fatal(err)
	}
	mod := next(t, ch).body
	if !strings.HasPrefix(mod, `<subscription-modified xmlns="`+nsSN+`"`) || !strings.Contains(mod, "<id>"+id+"</id>") ||
		!strings.Contains(mod, "<user>bob</user>") || !strings.Contains(mod, "<stream>NETCONF</stream>") {
		t.Errorf("subscription-modified: %s", mod)
	}
	if err := srv.Notify(ctx, configSaved(t, sch, "alice"), time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := srv.Notify(ctx, configSaved(t, sch, "bob"), time.Now()); err != nil {
		t.Fatal(err)
	}
	if got := next(t, ch).body; got != `<config-saved xmlns="urn:ncws:yang:ncws-example"><user>bob</user></config-saved>` {
		t.Errorf("after modify: %s", got)
	}
	admin, _ := dialNotes(t, url, "admin")
	state, err := admin.Get(ctx, client.Filter{Subtree: []byte(`<subscriptions xmlns="` + nsSN + `"/>`)})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<id>" + id + "</id>", "<stream>NETCONF</stream>", "<sent-event-records>1</sent-event-records>", "<state>active</state>",
		`<stream-subtree-filter><config-saved xmlns="urn:ncws:yang:ncws-example"><user>bob</user></config-saved></stream-subtree-filter>`} {
		if !strings.Contains(string(state), want) {
			t.Errorf("/subscriptions lacks %s: %s", want, state)
		}
	}
	if err := call(admin, `<kill-subscription xmlns="`+nsSN+`"><id>`+id+`</id></kill-subscription>`); err != nil {
		t.Fatal(err)
	}
	want := `<subscription-terminated xmlns="` + nsSN + `" xmlns:sn="` + nsSN + `"><id>` + id + `</id><reason>sn:no-such-subscription</reason></subscription-terminated>`
	if got := next(t, ch).body; got != want {
		t.Errorf("after kill:\n got %s\nwant %s", got, want)
	}
	if err := srv.Notify(ctx, configSaved(t, sch, "bob"), time.Now()); err != nil {
		t.Fatal(err)
	}
	none(t, s, ch)
	err = call(admin, `<kill-subscription xmlns="`+nsSN+`"><id>`+id+`</id></kill-subscription>`)
	if tag, _ := appTag(t, err); tag != "ietf-subscribed-notifications:no-such-subscription" {
		t.Errorf("second kill: app-tag %q", tag)
	}
}

// TestEstablishErrors: the RFC 8640/8641 error identities in error-app-tag and error-info.
func TestEstablishErrors(t *testing.T) {
	srv := exampleServer(t, true)
	url := serveWS(t, srv)
	s, _ := dialNotes(t, url, "alice")
	for _, tc := range []struct {
		name, content, tag, info string
	}{
		{"datastore not subscribable", `<yp:datastore>ds:candidate</yp:datastore><yp:on-change/>`,
			"ietf-yang-push:datastore-not-subscribable", "yp:datastore-not-subscribable"},
		{"encoding of another base", `<stream>NETCONF</stream><encoding>ds:running</encoding>`, "", ""},
		{"bad subtree filter", `<stream>NETCONF</stream><stream-subtree-filter><a xmlns="x">1</a><b:c/></stream-subtree-filter>`, "", ""},
		{"period too short", `<yp:datastore>ds:running</yp:datastore><yp:periodic><yp:period>0</yp:period></yp:periodic>`,
			"ietf-yang-push:period-unsupported", "period-hint"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.Call(context.Background(), []byte(`<establish-subscription xmlns="`+nsSN+`" xmlns:yp="`+nsYP+
				`" xmlns:ds="urn:ietf:params:xml:ns:yang:ietf-datastores">`+tc.content+`</establish-subscription>`))
			if err == nil {
				t.Fatal("establish-subscription succeeded")
			}
			if tc.tag == "" {
				return
			}
			tag, info := appTag(t, err)
			if tag != tc.tag || !strings.Contains(info, tc.info) {
				t.Errorf("app-tag %q info %q, want %q and %q", tag, info, tc.tag, tc.info)
			}
		})
	}
}

// changeUpdates returns the next n push-change-updates of ch (skipping nothing else).
func nextBody(t *testing.T, ch chan note, prefix string) string {
	t.Helper()
	b := next(t, ch).body
	if !strings.HasPrefix(b, prefix) {
		t.Fatalf("want %s..., got %s", prefix, b)
	}
	return b
}

// TestOnChange: an on-change subscription gets a push-update first (sync-on-start), then one
// push-change-update per commit whose yang-patch edits are the changed nodes its filter selects,
// with RESTCONF-style targets.
func TestOnChange(t *testing.T) {
	srv := exampleServer(t, true)
	url := serveWS(t, srv)
	ctx := context.Background()
	editor, _ := dialNotes(t, url, "admin")
	edit := func(cfg string) {
		t.Helper()
		if err := editor.EditConfig(ctx, client.Running, []byte(`<interfaces xmlns="urn:ncws:yang:ncws-example" xmlns:ex="urn:ncws:yang:ncws-example">`+cfg+`</interfaces>`), client.EditOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	edit(`<interface><name>eth0</name><type>ex:ethernet</type><mtu>1500</mtu></interface>`)
	s, ch := dialNotes(t, url, "alice")
	id := establish(t, s, `<yp:datastore>ds:running</yp:datastore><yp:datastore-subtree-filter><interfaces xmlns="urn:ncws:yang:ncws-example"/></yp:datastore-subtree-filter><yp:on-change/>`)
	sync := nextBody(t, ch, `<push-update xmlns="`+nsYP+`"><id>`+id+`</id><datastore-contents><interfaces xmlns="urn:ncws:yang:ncws-example"><interface><name>eth0</name>`)
	if !strings.Contains(sync, "<mtu>1500</mtu>") {
		t.Errorf("sync-on-start push-update: %s", sync)
	}
	edit(`<interface><name>eth0</name><mtu>9000</mtu></interface>`)
	want := `<push-change-update xmlns="` + nsYP + `"><id>` + id + `</id><datastore-changes><yang-patch><patch-id>commit-2</patch-id>` +
		`<edit><edit-id>edit-1</edit-id><operation>replace</operation><target>/ncws-example:interfaces/interface=eth0/mtu</target>` +
		`<value><mtu xmlns="urn:ncws:yang:ncws-example">9000</mtu></value></edit></yang-patch></datastore-changes></push-change-update>`
	if got := next(t, ch).body; got != want {
		t.Errorf("push-change-update:\n got %s\nwant %s", got, want)
	}
	edit(`<interface><name>eth 1/2</name><type>ex:ethernet</type></interface>`)
	got := next(t, ch).body
	for _, w := range []string{"<operation>create</operation>", "<target>/ncws-example:interfaces/interface=eth%201%2F2</target>", "<name>eth 1/2</name>"} {
		if !strings.Contains(got, w) {
			t.Errorf("create: %s lacks %s", got, w)
		}
	}
	// A change outside the filter sends nothing.
	if err := editor.EditConfig(ctx, client.Running, []byte(`<system xmlns="urn:ncws:yang:ncws-example"><hostname>r1</hostname></system>`), client.EditOptions{}); err != nil {
		t.Fatal(err)
	}
	edit(`<interface xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0" nc:operation="delete"><name>eth 1/2</name></interface>`)
	got = next(t, ch).body
	if !strings.Contains(got, "<operation>delete</operation><target>/ncws-example:interfaces/interface=eth%201%2F2</target></edit>") {
		t.Errorf("delete: %s", got)
	}
	none(t, s, ch)
}

// TestOnChangeCoalesced: commits that come within Server.PushCoalesce of each other are
// written to the receiver together, but each is still its own push-change-update (dampening
// period 0: no merging), in commit order, with its own patch-id and value.
func TestOnChangeCoalesced(t *testing.T) {
	st := memStore(t)
	srv := &server.Server{Store: st, PushCoalesce: 300 * time.Millisecond}
	url := serveWS(t, srv)
	ctx := context.Background()
	editor, _ := dialNotes(t, url, "admin")
	edit := func(cfg string) {
		t.Helper()
		if err := editor.EditConfig(ctx, client.Running, []byte(`<interfaces xmlns="urn:ncws:yang:ncws-example" xmlns:ex="urn:ncws:yang:ncws-example">`+cfg+`</interfaces>`), client.EditOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	edit(`<interface><name>eth0</name><type>ex:ethernet</type><mtu>1500</mtu></interface>`)
	s, ch := dialNotes(t, url, "alice")
	id := establish(t, s, `<yp:datastore>ds:running</yp:datastore><yp:datastore-subtree-filter><interfaces xmlns="urn:ncws:yang:ncws-example"/></yp:datastore-subtree-filter><yp:on-change><yp:sync-on-start>false</yp:sync-on-start></yp:on-change>`)
	for mtu := 1501; mtu <= 1505; mtu++ {
		edit(fmt.Sprintf(`<interface><name>eth0</name><mtu>%d</mtu></interface>`, mtu))
	}
	for i, mtu := 0, 1501; mtu <= 1505; i, mtu = i+1, mtu+1 {
		want := fmt.Sprintf(`<push-change-update xmlns="%s"><id>%s</id><datastore-changes><yang-patch><patch-id>commit-%d</patch-id>`+
			`<edit><edit-id>edit-1</edit-id><operation>replace</operation><target>/ncws-example:interfaces/interface=eth0/mtu</target>`+
			`<value><mtu xmlns="urn:ncws:yang:ncws-example">%d</mtu></value></edit></yang-patch></datastore-changes></push-change-update>`, nsYP, id, i+2, mtu)
		if got := next(t, ch).body; got != want {
			t.Errorf("update %d:\n got %s\nwant %s", i, got, want)
		}
	}
}

// TestOnChangeDampening: with a dampening period the first change goes out at once and the
// changes within the period after it come as one update, an edit per target (the last value).
func TestOnChangeDampening(t *testing.T) {
	srv := exampleServer(t, true)
	url := serveWS(t, srv)
	ctx := context.Background()
	editor, _ := dialNotes(t, url, "admin")
	mtu := func(v string) {
		t.Helper()
		if err := editor.EditConfig(ctx, client.Running, []byte(`<interfaces xmlns="urn:ncws:yang:ncws-example" xmlns:ex="urn:ncws:yang:ncws-example"><interface><name>eth0</name><type>ex:ethernet</type><mtu>`+v+`</mtu></interface></interfaces>`), client.EditOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	mtu("1500")
	s, ch := dialNotes(t, url, "alice")
	// 3 s of dampening: the two later commits fall within it on any machine.
	establish(t, s, `<yp:datastore>ds:running</yp:datastore><yp:on-change><yp:dampening-period>300</yp:dampening-period><yp:sync-on-start>false</yp:sync-on-start></yp:on-change>`)
	mtu("1400")
	first := nextBody(t, ch, `<push-change-update`)
	if !strings.Contains(first, "<mtu xmlns=\"urn:ncws:yang:ncws-example\">1400</mtu>") {
		t.Errorf("first update: %s", first)
	}
	mtu("1300")
	mtu("1200")
	second := nextBody(t, ch, `<push-change-update`)
	if n := strings.Count(second, "<edit>"); n != 1 || !strings.Contains(second, ">1200</mtu>") {
		t.Errorf("dampened update has %d edits, want 1 with mtu 1200: %s", n, second)
	}
}

// TestPeriodic: a periodic subscription sends push-updates of its selection, with its id, again
// and again; delete-subscription stops them.
func TestPeriodic(t *testing.T) {
	srv := exampleServer(t, true)
	url := serveWS(t, srv)
	ctx := context.Background()
	editor, _ := dialNotes(t, url, "admin")
	if err := editor.EditConfig(ctx, client.Running, []byte(`<system xmlns="urn:ncws:yang:ncws-example"><hostname>r1</hostname></system>`), client.EditOptions{}); err != nil {
		t.Fatal(err)
	}
	s, ch := dialNotes(t, url, "alice")
	id := establish(t, s, `<yp:datastore>ds:operational</yp:datastore><yp:datastore-xpath-filter xmlns:ex="urn:ncws:yang:ncws-example">/ex:system/ex:hostname</yp:datastore-xpath-filter><yp:periodic><yp:period>5</yp:period></yp:periodic>`)
	want := `<push-update xmlns="` + nsYP + `"><id>` + id + `</id><datastore-contents><system xmlns="urn:ncws:yang:ncws-example"><hostname>r1</hostname></system></datastore-contents></push-update>`
	for range 3 {
		if got := next(t, ch).body; got != want {
			t.Fatalf("periodic update:\n got %s\nwant %s", got, want)
		}
	}
	if err := call(s, `<delete-subscription xmlns="`+nsSN+`"><id>`+id+`</id></delete-subscription>`); err != nil {
		t.Fatal(err)
	}
}

// TestFilterAfterAccessControl: a subscription filter applies to what the user may read
// (RFC 8341 section 3.4.6): a content match on a node access control hides never selects (it
// would tell that the hidden node is there); an on-change update leaves out the changes of
// nodes the user may not read.
func TestFilterAfterAccessControl(t *testing.T) {
	srv := exampleServer(t, true)
	sch := srv.Store.Schema()
	e := nacmEngine(t, sch, `<nacm xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-acm"><write-default>permit</write-default><groups><group><name>ops</name><user-name>alice</user-name></group></groups>`+
		`<rule-list><name>ops</name><group>ops</group>`+
		`<rule><name>eth1</name><module-name>ncws-example</module-name><path xmlns:ex="urn:ncws:yang:ncws-example">/ex:interfaces/ex:interface[ex:name='eth1']</path><access-operations>read</access-operations><action>deny</action></rule>`+
		`<rule><name>mtu</name><module-name>ncws-example</module-name><path xmlns:ex="urn:ncws:yang:ncws-example">/ex:interfaces/ex:interface/ex:mtu</path><access-operations>read</access-operations><action>deny</action></rule>`+
		`</rule-list></nacm>`)
	srv.Store.SetAccessControl(e)
	srv.Access = func(who datastore.Who) server.Access { return e.For(who) }
	url := serveWS(t, srv)
	ctx := context.Background()
	s, ch := dialNotes(t, url, "alice")
	establish(t, s, `<stream>NETCONF</stream><stream-subtree-filter><interfaces xmlns="urn:ncws:yang:ncws-example"><interface><name>eth1</name></interface></interfaces></stream-subtree-filter>`)
	establish(t, s, `<stream>NETCONF</stream><stream-subtree-filter><interfaces xmlns="urn:ncws:yang:ncws-example"><interface><name>eth0</name><link-change/></interface></interfaces></stream-subtree-filter>`)
	if err := srv.Notify(ctx, linkChange(t, sch, "eth1", "down"), time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := srv.Notify(ctx, linkChange(t, sch, "eth0", "down"), time.Now()); err != nil {
		t.Fatal(err)
	}
	if got := next(t, ch).body; got != `<interfaces xmlns="urn:ncws:yang:ncws-example"><interface><name>eth0</name><link-change><oper-status>down</oper-status></link-change></interface></interfaces>` {
		t.Errorf("first event delivered: %s", got)
	}
	none(t, s, ch)

	editor, _ := dialNotes(t, url, "admin")
	// bob, whom no rule restricts, has the same on-change subscription: the same filter does
	// not make his updates and alice's one encoding.
	bob, bobCh := dialNotes(t, url, "bob")
	onChange := `<yp:datastore>ds:running</yp:datastore><yp:on-change><yp:sync-on-start>false</yp:sync-on-start></yp:on-change>`
	establish(t, s, onChange)
	establish(t, bob, onChange)
	if err := editor.EditConfig(ctx, client.Running, []byte(`<interfaces xmlns="urn:ncws:yang:ncws-example" xmlns:ex="urn:ncws:yang:ncws-example"><interface><name>eth0</name><type>ex:ethernet</type><mtu>1500</mtu></interface></interfaces>`), client.EditOptions{}); err != nil {
		t.Fatal(err)
	}
	got := nextBody(t, ch, "<push-change-update")
	if strings.Contains(got, "mtu") || !strings.Contains(got, "<name>eth0</name>") {
		t.Errorf("create as alice may read it: %s", got)
	}
	if got := nextBody(t, bobCh, "<push-change-update"); !strings.Contains(got, ">1500</mtu>") {
		t.Errorf("create as bob may read it: %s", got)
	}
	if err := editor.EditConfig(ctx, client.Running, []byte(`<interfaces xmlns="urn:ncws:yang:ncws-example"><interface><name>eth0</name><mtu>9000</mtu></interface></interfaces>`), client.EditOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := nextBody(t, bobCh, "<push-change-update"); !strings.Contains(got, ">9000</mtu>") {
		t.Errorf("mtu change as bob may read it: %s", got)
	}
	// The mtu change is all the commit did: nothing alice may read changed.
	none(t, s, ch)
}

// TestEstablishReplay: replay-start-time replays the logged events from then on, then
// replay-completed with the subscription's id, then the live events; replay-start-time-revision
// says when the log starts later than asked.
func TestEstablishReplay(t *testing.T) {
	srv := exampleServer(t, false)
	srv.ReplayLogSize = 2
	sch := srv.Store.Schema()
	url := serveWS(t, srv)
	ctx := context.Background()
	t0 := time.Now().Add(-time.Hour).UTC().Truncate(time.Second)
	for i, u := range []string{"u0", "u1", "u2"} {
		if err := srv.Notify(ctx, configSaved(t, sch, u), t0.Add(time.Duration(i)*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	s, ch := dialNotes(t, url, "alice")
	r, err := s.Call(ctx, []byte(`<establish-subscription xmlns="`+nsSN+`"><stream>NETCONF</stream><replay-start-time>`+
		t0.Add(-time.Minute).Format(time.RFC3339)+`</replay-start-time></establish-subscription>`))
	if err != nil {
		t.Fatal(err)
	}
	id := idRe.FindStringSubmatch(string(r.Body))[1]
	// u0 was dropped from the log of 2: the replay starts at its time.
	if want := ">" + t0.Format(time.RFC3339Nano) + "</replay-start-time-revision>"; !strings.Contains(string(r.Body), want) {
		t.Errorf("reply %s lacks %s", r.Body, want)
	}
	var got []string
	for range 3 {
		got = append(got, next(t, ch).body)
	}
	want := []string{
		`<config-saved xmlns="urn:ncws:yang:ncws-example"><user>u1</user></config-saved>`,
		`<config-saved xmlns="urn:ncws:yang:ncws-example"><user>u2</user></config-saved>`,
		`<replay-completed xmlns="` + nsSN + `"><id>` + id + `</id></replay-completed>`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("replay mismatch (-want +got):\n%s", diff)
	}
	if err := srv.Notify(ctx, configSaved(t, sch, "live"), time.Now()); err != nil {
		t.Fatal(err)
	}
	if got := next(t, ch).body; !strings.Contains(got, "<user>live</user>") {
		t.Errorf("live event: %s", got)
	}
}

// TestStreamXPathBoolean: a stream-xpath-filter's result is read as a boolean (RFC 8639): an
// expression that is not a node-set selects the events it is true on.
func TestStreamXPathBoolean(t *testing.T) {
	srv := exampleServer(t, true)
	sch := srv.Store.Schema()
	url := serveWS(t, srv)
	ctx := context.Background()
	s, ch := dialNotes(t, url, "alice")
	establish(t, s, `<stream>NETCONF</stream><stream-xpath-filter xmlns:ex="urn:ncws:yang:ncws-example">count(/ex:config-saved[ex:user='alice']) = 1</stream-xpath-filter>`)
	for _, u := range []string{"bob", "alice"} {
		if err := srv.Notify(ctx, configSaved(t, sch, u), time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	if got := next(t, ch).body; got != `<config-saved xmlns="urn:ncws:yang:ncws-example"><user>alice</user></config-saved>` {
		t.Errorf("got %s", got)
	}
	none(t, s, ch)
}

// TestSuspendSlowReceiver: a dynamic subscription whose receiver stops reading is suspended
// (subscription-suspended, reason insufficient-resources) when its session's queue fills,
// instead of the session being ended; once the receiver reads again and the queue drains it
// is resumed (subscription-resumed) and gets events again; the session lives on. (The queue
// may overflow because the transport's buffers are full or because the writer is slower than
// the events; either way the event that found it full is dropped.) (Whether the
// queue overflowed because the transport's buffers were full or because the writer was slower
// than the events, the event that found it full is dropped.)
func TestSuspendSlowReceiver(t *testing.T) {
	srv := exampleServer(t, true)
	srv.NotificationQueue = 4
	sch := srv.Store.Schema()
	url := serveWS(t, srv)
	ctx := context.Background()
	gate := make(chan struct{})
	ch := make(chan string, 10000)
	s, err := client.Dial(ctx, url, &client.Options{Username: "slow", Password: "x",
		OnNotification: func(_ time.Time, body []byte) {
			<-gate
			ch <- string(body)
		}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	id := establish(t, s, `<stream>NETCONF</stream>`)
	// The client stops reading (its callback blocks): once the transport's buffers are full the
	// queue of 4 overflows.
	sent := 0
	for sent < 5000 && srv.SubscriptionSuspensions() == 0 {
		if err := srv.Notify(ctx, configSaved(t, sch, strings.Repeat("x", 1000)), time.Now()); err != nil {
			t.Fatal(err)
		}
		sent++
	}
	if srv.SubscriptionSuspensions() != 1 {
		t.Fatalf("SubscriptionSuspensions() = %d after 5000 events to a receiver that reads nothing, want 1", srv.SubscriptionSuspensions())
	}
	close(gate)
	var saved, suspended, resumed int
	for resumed == 0 {
		select {
		case b := <-ch:
			switch {
			case strings.Contains(b, "<config-saved"):
				if suspended > 0 {
					t.Fatalf("an event after subscription-suspended, before subscription-resumed: %.200s", b)
				}
				saved++
			case strings.Contains(b, "<subscription-suspended"):
				want := `<subscription-suspended xmlns="` + nsSN + `" xmlns:sn="` + nsSN + `"><id>` + id + `</id><reason>sn:insufficient-resources</reason></subscription-suspended>`
				if b != want {
					t.Fatalf("suspended notification mismatch (-want +got):\n%s", cmp.Diff(want, b))
				}
				suspended++
			case strings.Contains(b, "<subscription-resumed"):
				if suspended != 1 {
					t.Fatalf("subscription-resumed after %d subscription-suspended, want 1", suspended)
				}
				if want := `<subscription-resumed xmlns="` + nsSN + `"><id>` + id + `</id></subscription-resumed>`; b != want {
					t.Fatalf("resumed notification mismatch (-want +got):\n%s", cmp.Diff(want, b))
				}
				resumed++
			default:
				t.Fatalf("unexpected notification %.200s", b)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("no subscription-resumed (%d events, %d suspended)", saved, suspended)
		}
	}
	// The session is alive, the subscription active and receiving: what it gets after the
	// resumption (events published after it, then the new one) and before the suspension
	// is not all that was sent, since the event that found the queue full was dropped.
	if err := call(s, `<get xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><filter><subscriptions xmlns="`+nsSN+`"/></filter></get>`); err != nil {
		t.Fatalf("the session after the suspension: %v", err)
	}
	if err := srv.Notify(ctx, configSaved(t, sch, "after"), time.Now()); err != nil {
		t.Fatal(err)
	}
	late := 0
	for {
		var b string
		select {
		case b = <-ch:
		case <-time.After(10 * time.Second):
			t.Fatal("no event after subscription-resumed")
		}
		if strings.Contains(b, "<user>after</user>") {
			break
		}
		if !strings.Contains(b, "<config-saved") {
			t.Fatalf("after resumption got %.200s, want events", b)
		}
		late++
	}
	if saved == 0 || saved+late >= sent {
		t.Errorf("%d events before the suspension and %d after, of %d sent: want some, and not all", saved, late, sent)
	}
	if n := srv.NotificationOverflows(); n != 0 {
		t.Errorf("NotificationOverflows() = %d, want 0: no session was ended", n)
	}
}

// TestSuspendBeforeReply: events for a subscription whose establish-subscription reply cannot
// be sent yet (its receiver stopped reading) are held only as many as the session's queue
// takes, not without bound; the subscription then starts suspended: after its reply the
// receiver gets the events held, subscription-suspended, and subscription-resumed once it has
// caught up.
func TestSuspendBeforeReply(t *testing.T) {
	srv := exampleServer(t, true)
	srv.NotificationQueue = 4
	sch := srv.Store.Schema()
	url := serveWS(t, srv)
	ctx := context.Background()
	// A receiver that reads only when told to: coder/websocket without a reader goroutine.
	h := http.Header{}
	req := http.Request{Header: http.Header{}}
	req.SetBasicAuth("slow", "x")
	h.Set("Authorization", req.Header.Get("Authorization"))
	c, _, err := ws.Dial(ctx, url, &ws.DialOptions{HTTPHeader: h, Subprotocols: []string{client.Subprotocol}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	c.SetReadLimit(-1)
	if _, _, err := c.Read(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.Write(ctx, ws.MessageText, (&netconf.Hello{Capabilities: []string{netconf.CapBase10, netconf.CapBase11}}).Encode()); err != nil {
		t.Fatal(err)
	}
	establishRaw := func(msgID, filter string) {
		t.Helper()
		op := `<establish-subscription xmlns="` + nsSN + `"><stream>NETCONF</stream><stream-xpath-filter xmlns:ex="urn:ncws:yang:ncws-example">` + filter + `</stream-xpath-filter></establish-subscription>`
		if err := c.Write(ctx, ws.MessageText, netconf.AppendRPC(nil, msgID, []byte(op))); err != nil {
			t.Fatal(err)
		}
	}
	// The first subscription gets the flood, the second the early events.
	establishRaw("1", `/ex:config-saved[not(starts-with(ex:user, 'early'))]`)
	if _, r, err := c.Read(ctx); err != nil || !bytes.Contains(r, []byte("<id")) {
		t.Fatalf("establish-subscription: %s %v", r, err)
	}
	admin, _ := dialNotes(t, url, "admin")
	subscriptions := func() string {
		t.Helper()
		r, err := admin.Call(ctx, []byte(`<get xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><filter><subscriptions xmlns="`+nsSN+`"/></filter></get>`))
		if err != nil {
			t.Fatal(err)
		}
		return string(r.Body)
	}
	// The receiver reads nothing now: once the transport's buffers are full the session's
	// writer is stuck, and the first subscription stays suspended, sending nothing more
	// (10 MB at least, and 5 looks in a row, 50 ms apart, find it so).
	sentRe := regexp.MustCompile(`<sent-event-records>(\d+)</sent-event-records>`)
	prev, stuck := "", 0
	for round := 0; round < 1000 && (stuck < 5 || round < 50); round++ {
		if stuck > 0 {
			time.Sleep(50 * time.Millisecond) // time for a writer that is not stuck to write
		}
		for range 200 {
			if err := srv.Notify(ctx, configSaved(t, sch, strings.Repeat("x", 1000)), time.Now()); err != nil {
				t.Fatal(err)
			}
		}
		st := subscriptions()
		m := sentRe.FindStringSubmatch(st)
		if m != nil && m[1] == prev && strings.Contains(st, "<state>suspended</state>") {
			stuck++
		} else {
			stuck = 0
		}
		if m != nil {
			prev = m[1]
		}
	}
	if stuck < 5 {
		t.Fatal("the writer of a receiver that reads nothing never got stuck")
	}
	// A second subscription: its reply waits behind what the writer cannot send.
	establishRaw("2", `/ex:config-saved[starts-with(ex:user, 'early')]`)
	for strings.Count(subscriptions(), "<subscription>") != 2 {
		time.Sleep(10 * time.Millisecond)
	}
	// 20,000 events of about 1 KB while the reply is not out: four (the queue's length) are
	// held, not all of them (which would keep some 20 MB).
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := range 20000 {
		if err := srv.Notify(ctx, configSaved(t, sch, fmt.Sprintf("early-%d-%s", i, strings.Repeat("y", 1000))), time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	if grew := int64(after.HeapAlloc) - int64(before.HeapAlloc); grew > 8<<20 {
		t.Errorf("the heap grew by %d bytes while 20,000 events waited for an establish-subscription reply: held, not bounded", grew)
	}
	// The receiver reads again.
	var id string
	var early []string
	suspended := false
	earlyRe := regexp.MustCompile(`<user>(early-\d+)-y*</user>`)
	for {
		rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		_, b, err := c.Read(rctx)
		cancel()
		if err != nil {
			t.Fatalf("reading (early events %v, suspended %v): %v", early, suspended, err)
		}
		if bytes.Contains(b, []byte(`message-id="2"`)) {
			m := idRe.FindSubmatch(b)
			if m == nil {
				t.Fatalf("establish-subscription: %s", b)
			}
			id = string(m[1])
			continue
		}
		if m := earlyRe.FindSubmatch(b); m != nil {
			if id == "" || suspended {
				t.Fatalf("%s before the reply or after subscription-suspended", m[1])
			}
			early = append(early, string(m[1]))
			continue
		}
		if id == "" {
			continue
		}
		if bytes.Contains(b, []byte("<subscription-suspended")) && bytes.Contains(b, []byte("<id>"+id+"</id>")) {
			if !bytes.Contains(b, []byte("<reason>sn:insufficient-resources</reason>")) {
				t.Fatalf("subscription-suspended: %s", b)
			}
			suspended = true
		}
		if bytes.Contains(b, []byte("<subscription-resumed")) && bytes.Contains(b, []byte("<id>"+id+"</id>")) {
			if !suspended {
				t.Fatal("subscription-resumed without subscription-suspended")
			}
			break
		}
	}
	if want := []string{"early-0", "early-1", "early-2", "early-3"}; !cmp.Equal(early, want) {
		t.Errorf("events held before the reply mismatch (-want +got):\n%s", cmp.Diff(want, early))
	}
}

// jsonOf returns the JSON text a JSON-encoded notification body (ncws-server's
// json-notification) carries, decoded from XML.
func jsonOf(t *testing.T, body string) map[string]any {
	t.Helper()
	var env struct {
		JSON string `xml:"json"`
	}
	if err := xml.Unmarshal([]byte(body), &env); err != nil || env.JSON == "" {
		t.Fatalf("not a json-notification (%v): %.300s", err, body)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(env.JSON), &doc); err != nil {
		t.Fatalf("json-notification's text is not JSON: %v: %s", err, env.JSON)
	}
	return doc
}

// TestJSONEncodingDecodes: what a JSON subscription's push-update and push-change-update
// carry is RFC 7951 JSON that pkg/encoding/yangjson decodes against the schema to the
// configuration the datastore holds; the envelope is RFC 8040's ietf-restconf:notification.
func TestJSONEncodingDecodes(t *testing.T) {
	srv := exampleServer(t, true)
	sch := srv.Store.Schema()
	url := serveWS(t, srv)
	ctx := context.Background()
	editor, _ := dialNotes(t, url, "admin")
	if err := editor.EditConfig(ctx, client.Running, []byte(`<interfaces xmlns="urn:ncws:yang:ncws-example" xmlns:ex="urn:ncws:yang:ncws-example"><interface><name>eth0</name><type>ex:ethernet</type><mtu>1500</mtu></interface></interfaces>`), client.EditOptions{}); err != nil {
		t.Fatal(err)
	}
	s, ch := dialNotes(t, url, "alice")
	id := establish(t, s, `<yp:datastore>ds:running</yp:datastore><yp:datastore-subtree-filter><interfaces xmlns="urn:ncws:yang:ncws-example"/></yp:datastore-subtree-filter><encoding>encode-json</encoding><yp:on-change/>`)
	doc := jsonOf(t, next(t, ch).body)
	n, _ := doc["ietf-restconf:notification"].(map[string]any)
	if _, err := time.Parse(time.RFC3339Nano, fmt.Sprint(n["eventTime"])); err != nil {
		t.Errorf("eventTime: %v in %v", err, doc)
	}
	pu, _ := n["ietf-yang-push:push-update"].(map[string]any)
	if fmt.Sprint(pu["id"]) != id {
		t.Fatalf("push-update id %v, want %s: %v", pu["id"], id, doc)
	}
	contents, _ := json.Marshal(pu["datastore-contents"])
	tree, errs := yangjson.Unmarshal(contents, sch, yangjson.DecodeOptions{})
	if len(errs) > 0 {
		t.Fatalf("datastore-contents does not decode: %v: %s", errs, contents)
	}
	var names []string
	tree.Walk(func(d *data.Node) bool {
		if d.Schema != nil && d.Schema.Name == "mtu" {
			names = append(names, d.Parent.ChildByName("name").Value.Str+"="+d.Value.Str)
		}
		return true
	})
	if diff := cmp.Diff([]string{"eth0=1500"}, names); diff != "" {
		t.Errorf("decoded push-update mismatch (-want +got):\n%s", diff)
	}
	if err := editor.EditConfig(ctx, client.Running, []byte(`<interfaces xmlns="urn:ncws:yang:ncws-example"><interface><name>eth0</name><mtu>9000</mtu></interface></interfaces>`), client.EditOptions{}); err != nil {
		t.Fatal(err)
	}
	doc = jsonOf(t, next(t, ch).body)
	n, _ = doc["ietf-restconf:notification"].(map[string]any)
	pcu, _ := n["ietf-yang-push:push-change-update"].(map[string]any)
	patch, _ := pcu["datastore-changes"].(map[string]any)["yang-patch"].(map[string]any)
	edits, _ := patch["edit"].([]any)
	if len(edits) != 1 {
		t.Fatalf("push-change-update edits: %v", doc)
	}
	e := edits[0].(map[string]any)
	if e["operation"] != "replace" || e["target"] != "/ncws-example:interfaces/interface=eth0/mtu" {
		t.Errorf("edit %v", e)
	}
	if v, _ := json.Marshal(e["value"]); string(v) != `{"ncws-example:mtu":9000}` {
		t.Errorf("edit value %s, want {\"ncws-example:mtu\":9000}", v)
	}
}

// TestJSONModifiedSubtreeFilter: a JSON subscription's subscription-modified carries its new
// datastore-subtree-filter as RFC 7951 JSON (anydata) when the filter reads as instance data,
// and leaves out one that does not (a selection leaf has no value, of a number or a string).
func TestJSONModifiedSubtreeFilter(t *testing.T) {
	srv := exampleServer(t, true)
	sch := srv.Store.Schema()
	url := serveWS(t, srv)
	s, ch := dialNotes(t, url, "alice")
	id := establish(t, s, `<yp:datastore>ds:running</yp:datastore><yp:datastore-subtree-filter><interfaces xmlns="urn:ncws:yang:ncws-example"/></yp:datastore-subtree-filter><encoding>encode-json</encoding><yp:periodic><yp:period>100000</yp:period></yp:periodic>`)
	modify := func(filter string) map[string]any {
		t.Helper()
		if err := call(s, `<modify-subscription xmlns="`+nsSN+`" xmlns:yp="`+nsYP+`" xmlns:ds="urn:ietf:params:xml:ns:yang:ietf-datastores"><id>`+id+`</id><yp:datastore>ds:running</yp:datastore><yp:datastore-subtree-filter>`+filter+`</yp:datastore-subtree-filter></modify-subscription>`); err != nil {
			t.Fatal(err)
		}
		doc := jsonOf(t, next(t, ch).body)
		n, _ := doc["ietf-restconf:notification"].(map[string]any)
		m, _ := n["ietf-subscribed-notifications:subscription-modified"].(map[string]any)
		if fmt.Sprint(m["id"]) != id {
			t.Fatalf("subscription-modified: %v", doc)
		}
		return m
	}
	m := modify(`<interfaces xmlns="urn:ncws:yang:ncws-example"><interface><name>eth0</name></interface></interfaces>`)
	f, ok := m["ietf-yang-push:datastore-subtree-filter"]
	if !ok {
		t.Fatalf("subscription-modified without its subtree filter: %v", m)
	}
	got, _ := json.Marshal(f)
	if want := `{"ncws-example:interfaces":{"interface":[{"name":"eth0"}]}}`; string(got) != want {
		t.Errorf("datastore-subtree-filter %s, want %s", got, want)
	}
	if _, errs := yangjson.Unmarshal(got, sch, yangjson.DecodeOptions{}); len(errs) > 0 {
		t.Errorf("the filter does not decode as RFC 7951 JSON: %v", errs)
	}
	m = modify(`<interfaces xmlns="urn:ncws:yang:ncws-example"><interface><mtu/></interface></interfaces>`)
	if f, ok := m["ietf-yang-push:datastore-subtree-filter"]; ok {
		t.Errorf("a filter with a selection leaf encoded as %v", f)
	}
	// A string leaf's selection node is no content match for "".
	m = modify(`<interfaces xmlns="urn:ncws:yang:ncws-example"><interface><name>eth0</name><description/></interface></interfaces>`)
	if f, ok := m["ietf-yang-push:datastore-subtree-filter"]; ok {
		t.Errorf("a filter with a string selection leaf encoded as %v", f)
	}
	if m["encoding"] != "ietf-subscribed-notifications:encode-json" {
		t.Errorf("subscription-modified without the rest of its terms: %v", m)
	}
}

// TestJSONModifiedStreamFilter: a JSON stream subscription's subscription-modified carries its
// new stream-subtree-filter as RFC 7951 JSON, one member per notification, when the filter
// reads as notification instances, and leaves out one that does not (a selection leaf; an
// element of no known module).
func TestJSONModifiedStreamFilter(t *testing.T) {
	srv := exampleServer(t, true)
	url := serveWS(t, srv)
	s, ch := dialNotes(t, url, "alice")
	id := establish(t, s, `<stream>NETCONF</stream><encoding>encode-json</encoding>`)
	modify := func(filter string) map[string]any {
		t.Helper()
		if err := call(s, `<modify-subscription xmlns="`+nsSN+`"><id>`+id+`</id><stream-subtree-filter>`+filter+`</stream-subtree-filter></modify-subscription>`); err != nil {
			t.Fatal(err)
		}
		doc := jsonOf(t, next(t, ch).body)
		n, _ := doc["ietf-restconf:notification"].(map[string]any)
		m, _ := n["ietf-subscribed-notifications:subscription-modified"].(map[string]any)
		if fmt.Sprint(m["id"]) != id || m["stream"] != "NETCONF" {
			t.Fatalf("subscription-modified: %v", doc)
		}
		return m
	}
	m := modify(`<config-saved xmlns="urn:ncws:yang:ncws-example"><user>bob</user></config-saved>`)
	f, ok := m["stream-subtree-filter"]
	if !ok {
		t.Fatalf("subscription-modified without its stream filter: %v", m)
	}
	got, _ := json.Marshal(f)
	if want := `{"ncws-example:config-saved":{"user":"bob"}}`; string(got) != want {
		t.Errorf("stream-subtree-filter %s, want %s", got, want)
	}
	for _, filter := range []string{
		`<config-saved xmlns="urn:ncws:yang:ncws-example"><user/></config-saved>`,
		`<config-saved xmlns="urn:ncws:yang:ncws-example"/><gone xmlns="urn:example:unknown"/>`,
	} {
		m := modify(filter)
		if f, ok := m["stream-subtree-filter"]; ok {
			t.Errorf("filter %s encoded as %v", filter, f)
		}
		if m["encoding"] != "ietf-subscribed-notifications:encode-json" {
			t.Errorf("subscription-modified without the rest of its terms: %v", m)
		}
	}
}

// TestOnChangeState: an on-change subscription to ds:operational reports the changes of state
// data under configuration (an interface's oper-status and counters, from a state provider the
// test drives) found by polling, and the configuration's changes once (from the commit, not
// again from the poll).
func TestOnChangeState(t *testing.T) {
	srv := exampleServer(t, true)
	srv.StatePollInterval = 10 * time.Millisecond
	sch := srv.Store.Schema()
	var mu sync.Mutex
	oper, octets := "up", "10"
	ifs := sch.FindNode("/ncws-example:interfaces")
	srv.Store.AddStateProvider(ifs, func(ctx context.Context, req *datastore.StateRequest) error {
		mu.Lock()
		defer mu.Unlock()
		e := data.New(sch.FindNode("/ncws-example:interfaces/interface"))
		e.Add(stateLeaf(t, sch, "/ncws-example:interfaces/interface/name", "eth0"))
		if oper != "" {
			e.Add(stateLeaf(t, sch, "/ncws-example:interfaces/interface/oper-status", oper))
		}
		stats := data.New(sch.FindNode("/ncws-example:interfaces/interface/statistics"))
		stats.Add(stateLeaf(t, sch, "/ncws-example:interfaces/interface/statistics/in-octets", octets))
		e.Add(stats)
		top := data.New(ifs)
		top.Add(e)
		req.Root.Add(top)
		return nil
	})
	set := func(o, n string) {
		mu.Lock()
		oper, octets = o, n
		mu.Unlock()
	}
	url := serveWS(t, srv)
	ctx := context.Background()
	editor, _ := dialNotes(t, url, "admin")
	if err := editor.EditConfig(ctx, client.Running, []byte(`<interfaces xmlns="urn:ncws:yang:ncws-example" xmlns:ex="urn:ncws:yang:ncws-example"><interface><name>eth0</name><type>ex:ethernet</type><mtu>1500</mtu></interface></interfaces>`), client.EditOptions{}); err != nil {
		t.Fatal(err)
	}
	s, ch := dialNotes(t, url, "alice")
	id := establish(t, s, `<yp:datastore>ds:operational</yp:datastore><yp:datastore-subtree-filter><interfaces xmlns="urn:ncws:yang:ncws-example"/></yp:datastore-subtree-filter><yp:on-change/>`)
	sync := nextBody(t, ch, `<push-update xmlns="`+nsYP+`"><id>`+id+`</id>`)
	for _, w := range []string{"<oper-status>up</oper-status>", "<in-octets>10</in-octets>", "<mtu>1500</mtu>"} {
		if !strings.Contains(sync, w) {
			t.Errorf("sync push-update lacks %s: %s", w, sync)
		}
	}
	edit := func(op, target, value string) string {
		s := `<edit><edit-id>edit-1</edit-id><operation>` + op + `</operation><target>` + target + `</target>`
		if value != "" {
			s += `<value>` + value + `</value>`
		}
		return s + `</edit>`
	}
	update := func(edits string) string {
		return `<push-change-update xmlns="` + nsYP + `"><id>` + id + `</id><datastore-changes><yang-patch><patch-id>{{*}}</patch-id>` + edits + `</yang-patch></datastore-changes></push-change-update>`
	}
	patchID := regexp.MustCompile(`<patch-id>[^<]*</patch-id>`)
	expect := func(want string) {
		t.Helper()
		got := patchID.ReplaceAllString(next(t, ch).body, "<patch-id>{{*}}</patch-id>")
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("push-change-update mismatch (-want +got):\n%s", diff)
		}
	}
	set("down", "10")
	expect(update(edit("replace", "/ncws-example:interfaces/interface=eth0/oper-status", `<oper-status xmlns="urn:ncws:yang:ncws-example">down</oper-status>`)))
	set("", "11")
	expect(update(edit("replace", "/ncws-example:interfaces/interface=eth0/statistics/in-octets", `<in-octets xmlns="urn:ncws:yang:ncws-example">11</in-octets>`) +
		strings.Replace(edit("delete", "/ncws-example:interfaces/interface=eth0/oper-status", ""), "edit-1", "edit-2", 1)))
	// A configuration change comes once, from its commit.
	if err := editor.EditConfig(ctx, client.Running, []byte(`<interfaces xmlns="urn:ncws:yang:ncws-example"><interface><name>eth0</name><mtu>9000</mtu></interface></interfaces>`), client.EditOptions{}); err != nil {
		t.Fatal(err)
	}
	expect(update(edit("replace", "/ncws-example:interfaces/interface=eth0/mtu", `<mtu xmlns="urn:ncws:yang:ncws-example">9000</mtu>`)))
	set("up", "11")
	expect(update(edit("create", "/ncws-example:interfaces/interface=eth0/oper-status", `<oper-status xmlns="urn:ncws:yang:ncws-example">up</oper-status>`)))
	none(t, s, ch)
}

// TestOnChangeStateShared: on-change subscriptions to ds:operational with the same filter and
// user share each poll's reading: the state provider, whose counter goes up by one on every
// call, is called once per poll for both, so each sees every value in turn (a reading per
// subscription would show each of them every other value).
func TestOnChangeStateShared(t *testing.T) {
	srv := exampleServer(t, true)
	srv.StatePollInterval = 50 * time.Millisecond
	sch := srv.Store.Schema()
	var calls atomic.Int64
	ifs := sch.FindNode("/ncws-example:interfaces")
	srv.Store.AddStateProvider(ifs, func(ctx context.Context, req *datastore.StateRequest) error {
		e := data.New(sch.FindNode("/ncws-example:interfaces/interface"))
		e.Add(stateLeaf(t, sch, "/ncws-example:interfaces/interface/name", "eth0"))
		stats := data.New(sch.FindNode("/ncws-example:interfaces/interface/statistics"))
		stats.Add(stateLeaf(t, sch, "/ncws-example:interfaces/interface/statistics/in-octets", strconv.FormatInt(calls.Add(1), 10)))
		e.Add(stats)
		top := data.New(ifs)
		top.Add(e)
		req.Root.Add(top)
		return nil
	})
	url := serveWS(t, srv)
	ctx := context.Background()
	editor, _ := dialNotes(t, url, "admin")
	if err := editor.EditConfig(ctx, client.Running, []byte(`<interfaces xmlns="urn:ncws:yang:ncws-example" xmlns:ex="urn:ncws:yang:ncws-example"><interface><name>eth0</name><type>ex:ethernet</type></interface></interfaces>`), client.EditOptions{}); err != nil {
		t.Fatal(err)
	}
	const sub = `<yp:datastore>ds:operational</yp:datastore><yp:datastore-subtree-filter><interfaces xmlns="urn:ncws:yang:ncws-example"/></yp:datastore-subtree-filter><yp:on-change><yp:sync-on-start>false</yp:sync-on-start></yp:on-change>`
	s1, ch1 := dialNotes(t, url, "alice")
	establish(t, s1, sub)
	s2, ch2 := dialNotes(t, url, "alice")
	establish(t, s2, sub)
	octets := regexp.MustCompile(`<in-octets xmlns="urn:ncws:yang:ncws-example">(\d+)</in-octets>`)
	values := func(ch chan note) []int {
		t.Helper()
		var vs []int
		for len(vs) < 6 {
			m := octets.FindStringSubmatch(next(t, ch).body)
			if m == nil {
				continue
			}
			v, _ := strconv.Atoi(m[1])
			vs = append(vs, v)
		}
		return vs[1:] // the first may follow a reading from before the other subscription
	}
	for i, vs := range [][]int{values(ch1), values(ch2)} {
		for j := 1; j < len(vs); j++ {
			if vs[j] != vs[j-1]+1 {
				t.Errorf("subscription %d saw in-octets %v: a poll read the state for it alone", i+1, vs)
				break
			}
		}
	}
}

// TestSharedStatePoll: on-change ds:operational subscriptions that select the same thing as the
// same user share one state poll. Four subscriptions of alice (two on one session) and one of
// bob, all with one filter; the state provider answers a counter that goes up by one with each
// of the user's readings (from 1 to 5, then stays). Each of alice's subscriptions gets every
// value, 1 2 3 4 5: each reading served all four (with a reading per subscription, each would
// see about every fourth). bob's come from his own readings (the provider answers per user).
func TestSharedStatePoll(t *testing.T) {
	srv := exampleServer(t, true)
	// Long enough that a poll's timer running late on a loaded machine (-race, make test)
	// still finds the tick's shared reading (pollsKept intervals are kept).
	srv.StatePollInterval = 40 * time.Millisecond
	sch := srv.Store.Schema()
	ifs := sch.FindNode("/ncws-example:interfaces")
	const top = 5
	var mu sync.Mutex
	calls := map[string]int{}   // readings per user
	started := map[string]int{} // readings per user when the counting started, -1 before
	offset := map[string]int{"alice": 0, "bob": 1000}
	srv.Store.AddStateProvider(ifs, func(ctx context.Context, req *datastore.StateRequest) error {
		mu.Lock()
		defer mu.Unlock()
		u := req.Who.User
		calls[u]++
		v := 0
		if s, ok := started[u]; ok && s >= 0 {
			v = min(calls[u]-s, top)
		}
		e := data.New(sch.FindNode("/ncws-example:interfaces/interface"))
		e.Add(stateLeaf(t, sch, "/ncws-example:interfaces/interface/name", "eth0"))
		stats := data.New(sch.FindNode("/ncws-example:interfaces/interface/statistics"))
		stats.Add(stateLeaf(t, sch, "/ncws-example:interfaces/interface/statistics/in-octets", strconv.Itoa(offset[u]+v)))
		e.Add(stats)
		root := data.New(ifs)
		root.Add(e)
		req.Root.Add(root)
		return nil
	})
	url := serveWS(t, srv)
	editor, _ := dialNotes(t, url, "admin")
	if err := editor.EditConfig(context.Background(), client.Running, []byte(`<interfaces xmlns="urn:ncws:yang:ncws-example" xmlns:ex="urn:ncws:yang:ncws-example"><interface><name>eth0</name><type>ex:ethernet</type></interface></interfaces>`), client.EditOptions{}); err != nil {
		t.Fatal(err)
	}
	const content = `<yp:datastore>ds:operational</yp:datastore><yp:datastore-subtree-filter><interfaces xmlns="urn:ncws:yang:ncws-example"/></yp:datastore-subtree-filter><yp:on-change/>`
	type receiver struct {
		s   *client.Session
		ch  chan note
		ids []string
	}
	var rs []*receiver
	subscriber := map[string]string{} // id -> user
	for _, r := range []struct {
		user string
		subs int
	}{{"alice", 2}, {"alice", 1}, {"alice", 1}, {"bob", 1}} {
		s, ch := dialNotes(t, url, r.user)
		rc := &receiver{s: s, ch: ch}
		for i := 0; i < r.subs; i++ {
			id := establish(t, s, content)
			nextBody(t, ch, `<push-update xmlns="`+nsYP+`"><id>`+id+`</id>`)
			rc.ids = append(rc.ids, id)
			subscriber[id] = r.user
		}
		rs = append(rs, rc)
	}
	// Every subscription has its synchronization (its first reading) and takes part in its
	// poll: two more readings of each user and all of them have been in a poll.
	mu.Lock()
	a0, b0 := calls["alice"], calls["bob"]
	mu.Unlock()
	for {
		mu.Lock()
		done := calls["alice"] >= a0+2 && calls["bob"] >= b0+2
		if done {
			started["alice"], started["bob"] = calls["alice"], calls["bob"]
		}
		mu.Unlock()
		if done {
			break
		}
		time.Sleep(time.Millisecond)
	}
	octets := regexp.MustCompile(`<id>(\d+)</id>.*<in-octets xmlns="urn:ncws:yang:ncws-example">(\d+)</in-octets>`)
	for _, rc := range rs {
		got := map[string][]int{}
		for pending := len(rc.ids); pending > 0; {
			b := nextBody(t, rc.ch, `<push-change-update xmlns="`+nsYP+`">`)
			m := octets.FindStringSubmatch(b)
			if m == nil {
				t.Fatalf("push-change-update without in-octets: %s", b)
			}
			v, _ := strconv.Atoi(m[2])
			v -= offset[subscriber[m[1]]]
			got[m[1]] = append(got[m[1]], v)
			if v == top {
				pending--
			}
		}
		// Each reading of a user serves all of its subscriptions: each sees the user's counter
		// go up one by one. A poll whose timer ran so late (a loaded machine) that its tick's
		// reading was gone reads afresh and may skip a value; without sharing, the four alice
		// subscriptions' own readings take the values in turn and each sees about two of them.
		for _, id := range rc.ids {
			g := got[id]
			ok := len(g) >= 3 && g[len(g)-1] == top && slices.IsSorted(g) && slices.Equal(g, slices.Compact(slices.Clone(g)))
			if !ok {
				t.Errorf("subscription %s (%s) got in-octets %v, want 1..%d rising one by one (a value skipped at most twice)", id, subscriber[id], g, top)
			}
		}
		none(t, rc.s, rc.ch)
	}
}

// TestOnChangeStateNewFilter: an on-change ds:operational subscription whose filter is modified
// to select more state does not get the state its old filter left out as changes (it was there
// all along); the changes after the new filter's first reading come as before.
func TestOnChangeStateNewFilter(t *testing.T) {
	srv := exampleServer(t, true)
	srv.StatePollInterval = 5 * time.Millisecond
	sch := srv.Store.Schema()
	ifs := sch.FindNode("/ncws-example:interfaces")
	var mu sync.Mutex
	calls, octets := 0, "10"
	srv.Store.AddStateProvider(ifs, func(ctx context.Context, req *datastore.StateRequest) error {
		mu.Lock()
		defer mu.Unlock()
		calls++
		req.Root.Add(eth0Counters(t, sch, octets))
		return nil
	})
	url := serveWS(t, srv)
	editor, _ := dialNotes(t, url, "admin")
	if err := editor.EditConfig(context.Background(), client.Running, []byte(`<interfaces xmlns="urn:ncws:yang:ncws-example" xmlns:ex="urn:ncws:yang:ncws-example"><interface><name>eth0</name><type>ex:ethernet</type></interface></interfaces>`), client.EditOptions{}); err != nil {
		t.Fatal(err)
	}
	s, ch := dialNotes(t, url, "alice")
	id := establish(t, s, `<yp:datastore>ds:operational</yp:datastore><yp:datastore-subtree-filter><interfaces xmlns="urn:ncws:yang:ncws-example"><interface><name>eth0</name><statistics/></interface></interfaces></yp:datastore-subtree-filter><yp:on-change/>`)
	if sync := nextBody(t, ch, `<push-update xmlns="`+nsYP+`"><id>`+id+`</id>`); strings.Contains(sync, "oper-status") {
		t.Fatalf("the first filter selected oper-status: %s", sync)
	}
	if err := call(s, `<modify-subscription xmlns="`+nsSN+`" xmlns:yp="`+nsYP+`" xmlns:ds="urn:ietf:params:xml:ns:yang:ietf-datastores"><id>`+id+`</id><yp:datastore>ds:operational</yp:datastore><yp:datastore-subtree-filter><interfaces xmlns="urn:ncws:yang:ncws-example"/></yp:datastore-subtree-filter></modify-subscription>`); err != nil {
		t.Fatal(err)
	}
	nextBody(t, ch, `<subscription-modified xmlns="`+nsSN+`"`)
	// Two polls with the new filter, then a change.
	mu.Lock()
	c0 := calls
	mu.Unlock()
	for {
		mu.Lock()
		done := calls >= c0+2
		if done {
			octets = "11"
		}
		mu.Unlock()
		if done {
			break
		}
		time.Sleep(time.Millisecond)
	}
	got := nextBody(t, ch, `<push-change-update xmlns="`+nsYP+`"><id>`+id+`</id>`)
	if strings.Contains(got, "oper-status") || !strings.Contains(got, `<in-octets xmlns="urn:ncws:yang:ncws-example">11</in-octets>`) || strings.Count(got, "<edit>") != 1 {
		t.Errorf("after the new filter, want the in-octets change alone, got %s", got)
	}
	none(t, s, ch)
}

// TestSuspendOnChangeResync: an on-change subscription suspended for a receiver that stopped
// reading is, once resumed, sent a push-update with what it selects (the changes it missed were
// dropped), and then the changes again.
func TestSuspendOnChangeResync(t *testing.T) {
	// An in-memory store: many commits, none of them journaled.
	st := memStore(t)
	srv := &server.Server{Store: st, NotificationQueue: 4}
	url := serveWS(t, srv)
	ctx := context.Background()
	editor, _ := dialNotes(t, url, "admin")
	edit := func(desc string) {
		t.Helper()
		if err := editor.EditConfig(ctx, client.Running, []byte(`<interfaces xmlns="urn:ncws:yang:ncws-example" xmlns:ex="urn:ncws:yang:ncws-example"><interface><name>eth0</name><type>ex:ethernet</type><description>`+desc+`</description></interface></interfaces>`), client.EditOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	edit("start")
	gate := make(chan struct{})
	ch := make(chan string, 10000)
	s, err := client.Dial(ctx, url, &client.Options{Username: "slow", Password: "x",
		OnNotification: func(_ time.Time, body []byte) {
			<-gate
			ch <- string(body)
		}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	id := establish(t, s, `<yp:datastore>ds:running</yp:datastore><yp:datastore-subtree-filter><interfaces xmlns="urn:ncws:yang:ncws-example"/></yp:datastore-subtree-filter><yp:on-change><yp:sync-on-start>false</yp:sync-on-start></yp:on-change>`)
	big := strings.Repeat("d", 60000)
	n := 0
	for ; n < 2000 && srv.SubscriptionSuspensions() == 0; n++ {
		edit(big + strconv.Itoa(n))
	}
	if srv.SubscriptionSuspensions() != 1 {
		t.Fatalf("no suspension after %d commits of 60 kB to a receiver that reads nothing", n)
	}
	t.Logf("suspended after %d commits", n)
	last := big + strconv.Itoa(n-1)
	close(gate)
	// Updates, subscription-suspended, subscription-resumed, then the resynchronization.
	var order []string
	current := false // the receiver has the last description
	for {
		var b string
		select {
		case b = <-ch:
		case <-time.After(10 * time.Second):
			t.Fatalf("no push-update after the resumption; got %v", order)
		}
		switch {
		case strings.HasPrefix(b, "<push-change-update"):
			if len(order) == 0 || order[len(order)-1] != "change" {
				order = append(order, "change")
			}
			continue
		case strings.HasPrefix(b, "<subscription-suspended"):
			order = append(order, "suspended")
			continue
		case strings.HasPrefix(b, "<subscription-resumed"):
			order = append(order, "resumed")
			continue
		case strings.HasPrefix(b, "<push-update"):
			order = append(order, "update")
			if !strings.Contains(b, "<id>"+id+"</id>") {
				t.Errorf("the resynchronization push-update is not of subscription %s: %.300s", id, b)
			}
			// The queue may drain into the socket's buffers, and the subscription resume, before
			// the loop above has seen the suspension: commits made after the resynchronization
			// follow it as changes.
			current = strings.Contains(b, "<description>"+last+"</description>")
		default:
			t.Fatalf("unexpected notification %.200s", b)
		}
		break
	}
	if diff := cmp.Diff([]string{"change", "suspended", "resumed", "update"}, order); diff != "" {
		t.Errorf("notifications mismatch (-want +got):\n%s", diff)
	}
	// Changes flow again.
	edit("after")
	got := ""
	for !strings.Contains(got, ">after</description>") {
		select {
		case got = <-ch:
		case <-time.After(10 * time.Second):
			t.Fatal("no change after the resynchronization")
		}
		if strings.HasPrefix(got, "<push-change-update") && strings.Contains(got, ">"+last+"</description>") {
			current = true
		}
	}
	if !strings.HasPrefix(got, "<push-change-update") {
		t.Errorf("after the resynchronization: %.200s", got)
	}
	if !current {
		t.Errorf("neither the resynchronization nor the changes after it carried the last description (commit %d)", n-1)
	}
}

// TestXPathFilterShownDeclared: a stream XPath filter written with the client's own prefix is
// shown in subscription-modified and /subscriptions with module names as prefixes, each
// declared on the element, so the reader can evaluate it.
func TestXPathFilterShownDeclared(t *testing.T) {
	srv := exampleServer(t, true)
	url := serveWS(t, srv)
	ctx := context.Background()
	s, ch := dialNotes(t, url, "alice")
	id := establish(t, s, `<stream>NETCONF</stream>`)
	if err := call(s, `<modify-subscription xmlns="`+nsSN+`"><id>`+id+`</id><stream-xpath-filter xmlns:q="urn:ncws:yang:ncws-example">/q:config-saved[q:user='bob']</stream-xpath-filter></modify-subscription>`); err != nil {
		t.Fatal(err)
	}
	const want = `<stream-xpath-filter xmlns:ncws-example="urn:ncws:yang:ncws-example">/ncws-example:config-saved[ncws-example:user='bob']</stream-xpath-filter>`
	if mod := next(t, ch).body; !strings.Contains(mod, want) {
		t.Errorf("subscription-modified lacks %s: %s", want, mod)
	}
	state, err := s.Get(ctx, client.Filter{Subtree: []byte(`<subscriptions xmlns="` + nsSN + `"/>`)})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(state), want) {
		t.Errorf("/subscriptions lacks %s: %s", want, state)
	}
}

// TestModifyWhilePolling: modify-subscription replaces the filter of an operational on-change
// subscription while its state polls and the synchronization read it (run with -race: the
// readers take the filter under the server's notification lock); every modify is answered and
// acknowledged with subscription-modified, and the updates that follow are of the last filter.
func TestModifyWhilePolling(t *testing.T) {
	srv := exampleServer(t, true)
	srv.StatePollInterval = time.Millisecond
	sch := srv.Store.Schema()
	ifs := sch.FindNode("/ncws-example:interfaces")
	var mu sync.Mutex
	octets := 0
	srv.Store.AddStateProvider(ifs, func(ctx context.Context, req *datastore.StateRequest) error {
		mu.Lock()
		defer mu.Unlock()
		octets++
		req.Root.Add(eth0Counters(t, sch, strconv.Itoa(octets)))
		return nil
	})
	url := serveWS(t, srv)
	editor, _ := dialNotes(t, url, "admin")
	if err := editor.EditConfig(context.Background(), client.Running, []byte(`<interfaces xmlns="urn:ncws:yang:ncws-example" xmlns:ex="urn:ncws:yang:ncws-example"><interface><name>eth0</name><type>ex:ethernet</type></interface></interfaces>`), client.EditOptions{}); err != nil {
		t.Fatal(err)
	}
	s, ch := dialNotes(t, url, "alice")
	stats := `<interfaces xmlns="urn:ncws:yang:ncws-example"><interface><name>eth0</name><statistics/></interface></interfaces>`
	status := `<interfaces xmlns="urn:ncws:yang:ncws-example"><interface><name>eth0</name><oper-status/></interface></interfaces>`
	id := establish(t, s, `<yp:datastore>ds:operational</yp:datastore><yp:datastore-subtree-filter>`+stats+`</yp:datastore-subtree-filter><yp:on-change/>`)
	// Drain what arrives while modifying (push-updates and changes of either filter).
	modified := make(chan struct{}, 100)
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case n := <-ch:
				if strings.Contains(n.body, "<subscription-modified") {
					modified <- struct{}{}
				}
			case <-stop:
				return
			}
		}
	}()
	for i := range 40 {
		f := stats
		if i%2 == 0 {
			f = status
		}
		if err := call(s, `<modify-subscription xmlns="`+nsSN+`" xmlns:yp="`+nsYP+`" xmlns:ds="urn:ietf:params:xml:ns:yang:ietf-datastores"><id>`+id+`</id><yp:datastore>ds:operational</yp:datastore><yp:datastore-subtree-filter>`+f+`</yp:datastore-subtree-filter></modify-subscription>`); err != nil {
			t.Fatalf("modify %d: %v", i, err)
		}
		select {
		case <-modified:
		case <-time.After(10 * time.Second):
			t.Fatalf("modify %d: no subscription-modified", i)
		}
		time.Sleep(time.Millisecond)
	}
	close(stop)
	<-done
	// The last filter selects the statistics: after an update or two already on their way, the
	// changes are of in-octets alone.
	var got string
	for range 3 {
		got = nextBody(t, ch, `<push-change-update xmlns="`+nsYP+`"><id>`+id+`</id>`)
	}
	if strings.Contains(got, "oper-status") || !strings.Contains(got, "<in-octets") {
		t.Errorf("after the last modify, want in-octets changes alone, got %s", got)
	}
}

// eth0Counters is the state a provider of /interfaces reports in these tests: interface eth0,
// oper-status up, in-octets octets.
func eth0Counters(t testing.TB, sch *schema.Schema, octets string) *data.Node {
	e := data.New(sch.FindNode("/ncws-example:interfaces/interface"))
	e.Add(stateLeaf(t, sch, "/ncws-example:interfaces/interface/name", "eth0"))
	e.Add(stateLeaf(t, sch, "/ncws-example:interfaces/interface/oper-status", "up"))
	stats := data.New(sch.FindNode("/ncws-example:interfaces/interface/statistics"))
	stats.Add(stateLeaf(t, sch, "/ncws-example:interfaces/interface/statistics/in-octets", octets))
	e.Add(stats)
	root := data.New(sch.FindNode("/ncws-example:interfaces"))
	root.Add(e)
	return root
}

// memStore is an in-memory store of the example schema (no journal: commits are not written
// to disk), closed when the test ends.
func memStore(t testing.TB) *datastore.Store {
	st, err := datastore.Open(datastore.Options{Schema: exampleSchema(t, true)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}
