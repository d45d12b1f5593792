package server_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ncws/ncws/pkg/client"
	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/netconf"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/schema/yangload"
	"github.com/ncws/ncws/pkg/server"
	"github.com/ncws/ncws/pkg/transport/websocket"
	"github.com/ncws/ncws/yang"
)

const (
	nsExample = "urn:ncws:yang:ncws-example"
	nsNotif   = "urn:ietf:params:xml:ns:netconf:notification:1.0"
	nsNcNotif = "urn:ietf:params:xml:ns:netmod:notification"
)

var (
	exampleOnce sync.Once
	exampleSch  [2]*schema.Schema
	exampleErr  error
)

// exampleSchema is the example device model with the protocol modules and the notification
// modules of RFC 5277, and with RFC 6470's ietf-netconf-notifications when events is set.
func exampleSchema(t testing.TB, events bool) *schema.Schema {
	t.Helper()
	exampleOnce.Do(func() {
		// yang.Load's protocol set has ietf-netconf-notifications; the schema without the
		// RFC 6470 events is loaded from the same files without it.
		dir, err := os.MkdirTemp("", "ncws-yang")
		if err != nil {
			exampleErr = err
			return
		}
		defer os.RemoveAll(dir)
		if exampleErr = yang.WriteFiles(dir); exampleErr != nil {
			return
		}
		files := []string{filepath.Join(dir, yang.Example)}
		for _, f := range yang.Protocol {
			if !strings.HasPrefix(f, "ietf-netconf-notifications@") {
				files = append(files, filepath.Join(dir, f))
			}
		}
		if exampleSch[0], exampleErr = yangload.Load(yangload.Options{Files: files, SearchPaths: []string{dir}}); exampleErr != nil {
			return
		}
		exampleSch[1], exampleErr = yang.Load(yangload.Options{Files: []string{yang.Example}})
	})
	if exampleErr != nil {
		t.Fatal(exampleErr)
	}
	if events {
		return exampleSch[1]
	}
	return exampleSch[0]
}

// exampleServer returns a server of the example schema (with the RFC 6470 events when events
// is set); serveWS starts it over WebSocket.
func exampleServer(t testing.TB, events bool) *server.Server {
	t.Helper()
	st, err := datastore.Open(datastore.Options{Schema: exampleSchema(t, events), Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return &server.Server{Store: st}
}

// serveWS serves srv behind a WebSocket listener and returns its URL.
func serveWS(t testing.TB, srv *server.Server) string {
	t.Helper()
	return serveWSWith(t, srv, websocket.Options{})
}

// serveWSWith is serveWS with the listener's options (Authenticate is set here).
func serveWSWith(t testing.TB, srv *server.Server, opts websocket.Options) string {
	t.Helper()
	opts.Authenticate = func(r *http.Request) (string, error) {
		u, _, ok := r.BasicAuth()
		if !ok {
			return "", errors.New("no credentials")
		}
		return u, nil
	}
	l := websocket.NewListener(opts)
	mux := http.NewServeMux()
	mux.Handle("/netconf", l)
	ts := httptest.NewServer(mux)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
		<-done
		ts.Close()
	})
	return "ws" + strings.TrimPrefix(ts.URL, "http") + "/netconf"
}

// note is a received notification.
type note struct {
	at   time.Time
	body string
}

// dialNotes opens a session as user whose notifications go to the returned channel.
func dialNotes(t testing.TB, url, user string) (*client.Session, chan note) {
	t.Helper()
	ch := make(chan note, 100)
	s, err := client.Dial(context.Background(), url, &client.Options{Username: user, Password: "x",
		OnNotification: func(at time.Time, body []byte) { ch <- note{at, string(body)} }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, ch
}

// next returns the next notification, failing after a generous wait.
func next(t testing.TB, ch chan note) note {
	t.Helper()
	select {
	case n := <-ch:
		return n
	case <-time.After(10 * time.Second):
		t.Fatal("no notification")
		return note{}
	}
}

// none checks that no notification is waiting once a later round trip on s is done.
func none(t testing.TB, s *client.Session, ch chan note) {
	t.Helper()
	// The server writes notifications and replies on one connection in order: after this
	// reply, anything already sent has arrived.
	if _, err := s.GetConfig(context.Background(), client.Running, client.Filter{}); err != nil {
		t.Fatal(err)
	}
	select {
	case n := <-ch:
		t.Errorf("unexpected notification %s", n.body)
	default:
	}
}

func tagsOf(err error) []string {
	var l rpcerror.List
	if !errors.As(err, &l) {
		return []string{"not an rpc-error: " + err.Error()}
	}
	var out []string
	for _, e := range l {
		out = append(out, string(e.Type)+"/"+string(e.Tag))
	}
	return out
}

// configSaved builds the top-level notification config-saved with user.
func configSaved(t testing.TB, sch *schema.Schema, user string) *data.Node {
	t.Helper()
	m := sch.Module("ncws-example")
	var op *schema.Node
	for _, n := range m.Notifications {
		if n.Name == "config-saved" {
			op = n
		}
	}
	n := data.New(op)
	u := op.Child(m, "user")
	v, rerr := data.ParseValue(u.Type, user, nil)
	if rerr != nil {
		t.Fatal(rerr)
	}
	n.Insert(data.NewLeaf(u, v))
	return n
}

// linkChange builds the nested notification link-change of interface name.
func linkChange(t testing.TB, sch *schema.Schema, name, status string) *data.Node {
	t.Helper()
	m := sch.Module("ncws-example")
	ifs := sch.Top(m, "interfaces")
	list := ifs.Child(m, "interface")
	op := list.Operation(m, "link-change")
	top := data.New(ifs)
	e := data.New(list)
	k, _ := data.ParseValue(list.Keys()[0].Type, name, nil)
	e.Insert(data.NewLeaf(list.Keys()[0], k))
	top.Insert(e)
	n := data.New(op)
	os := op.Child(m, "oper-status")
	v, rerr := data.ParseValue(os.Type, status, nil)
	if rerr != nil {
		t.Fatal(rerr)
	}
	n.Insert(data.NewLeaf(os, v))
	e.Insert(n)
	return top
}

// TestSubscriptionFilter: a subscription with a subtree filter receives the notifications it
// selects, top-level and nested, in order, with their eventTime; other rpcs keep working on
// the subscribed session (:interleave).
func TestSubscriptionFilter(t *testing.T) {
	srv := exampleServer(t, true)
	sch := srv.Store.Schema()
	url := serveWS(t, srv)
	for _, c := range []string{netconf.CapNotification, netconf.CapInterleave} {
		if !strings.Contains(strings.Join(srv.Capabilities(), " "), c) {
			t.Errorf("hello lacks %s", c)
		}
	}
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		filter client.Filter
		want   []string
	}{
		{"none", client.Filter{}, []string{
			`<config-saved xmlns="urn:ncws:yang:ncws-example"><user>alice</user></config-saved>`,
			`<interfaces xmlns="urn:ncws:yang:ncws-example"><interface><name>eth0</name><link-change><oper-status>down</oper-status></link-change></interface></interfaces>`,
		}},
		{"subtree top-level", client.Filter{Subtree: []byte(`<config-saved xmlns="urn:ncws:yang:ncws-example"/>`)}, []string{
			`<config-saved xmlns="urn:ncws:yang:ncws-example"><user>alice</user></config-saved>`,
		}},
		{"subtree nested with key", client.Filter{Subtree: []byte(`<interfaces xmlns="urn:ncws:yang:ncws-example"><interface><name>eth0</name><link-change/></interface></interfaces>`)}, []string{
			`<interfaces xmlns="urn:ncws:yang:ncws-example"><interface><name>eth0</name><link-change><oper-status>down</oper-status></link-change></interface></interfaces>`,
		}},
		{"subtree content match", client.Filter{Subtree: []byte(`<config-saved xmlns="urn:ncws:yang:ncws-example"><user>bob</user></config-saved>`)}, nil},
		// Content match and selection nodes inside a notification (they matched nothing before).
		{"subtree content match inside the event", client.Filter{Subtree: []byte(`<config-saved xmlns="urn:ncws:yang:ncws-example"><user>alice</user></config-saved>`)}, []string{
			`<config-saved xmlns="urn:ncws:yang:ncws-example"><user>alice</user></config-saved>`,
		}},
		{"subtree selection inside a nested event", client.Filter{Subtree: []byte(`<interfaces xmlns="urn:ncws:yang:ncws-example"><interface><name>eth0</name><link-change><oper-status/></link-change></interface></interfaces>`)}, []string{
			`<interfaces xmlns="urn:ncws:yang:ncws-example"><interface><name>eth0</name><link-change><oper-status>down</oper-status></link-change></interface></interfaces>`,
		}},
		{"xpath", client.Filter{XPath: "/ex:config-saved[ex:user='alice']", Namespaces: map[string]string{"ex": nsExample}}, []string{
			`<config-saved xmlns="urn:ncws:yang:ncws-example"><user>alice</user></config-saved>`,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, ch := dialNotes(t, url, "alice")
			if err := s.CreateSubscription(ctx, client.SubscribeOptions{Filter: tc.filter}); err != nil {
				t.Fatal(err)
			}
			at := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
			if err := srv.Notify(ctx, configSaved(t, sch, "alice"), at); err != nil {
				t.Fatal(err)
			}
			if err := srv.Notify(ctx, linkChange(t, sch, "eth0", "down"), at.Add(time.Second)); err != nil {
				t.Fatal(err)
			}
			var got []string
			for range tc.want {
				n := next(t, ch)
				got = append(got, n.body)
				if n.at.Before(at) {
					t.Errorf("eventTime %v", n.at)
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("notifications mismatch (-want +got):\n%s", diff)
			}
			none(t, s, ch) // interleave: get-config answered on the subscribed session
		})
	}
}

// TestReplay: startTime replays the logged events from then on, then replayComplete; a
// stopTime in the past ends with notificationComplete; the replay log is bounded.
func TestReplay(t *testing.T) {
	srv := exampleServer(t, false)
	srv.ReplayLogSize = 3
	sch := srv.Store.Schema()
	url := serveWS(t, srv)
	ctx := context.Background()
	t0 := time.Now().Add(-time.Hour).UTC().Truncate(time.Second)
	for i, u := range []string{"u0", "u1", "u2", "u3"} {
		if err := srv.Notify(ctx, configSaved(t, sch, u), t0.Add(time.Duration(i)*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	saved := func(u string) string {
		return `<config-saved xmlns="urn:ncws:yang:ncws-example"><user>` + u + `</user></config-saved>`
	}
	replayComplete := `<replayComplete xmlns="` + nsNcNotif + `"/>`
	notificationComplete := `<notificationComplete xmlns="` + nsNcNotif + `"/>`
	for _, tc := range []struct {
		name string
		opts client.SubscribeOptions
		want []string
	}{
		// u0 was dropped from the log of 3.
		{"from the start", client.SubscribeOptions{StartTime: t0}, []string{saved("u1"), saved("u2"), saved("u3"), replayComplete}},
		{"from u2", client.SubscribeOptions{StartTime: t0.Add(2 * time.Minute)}, []string{saved("u2"), saved("u3"), replayComplete}},
		{"stop in the past", client.SubscribeOptions{StartTime: t0, StopTime: t0.Add(150 * time.Second)},
			[]string{saved("u1"), saved("u2"), replayComplete, notificationComplete}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, ch := dialNotes(t, url, "alice")
			if err := s.CreateSubscription(ctx, tc.opts); err != nil {
				t.Fatal(err)
			}
			var got []string
			for range tc.want {
				got = append(got, next(t, ch).body)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("notifications mismatch (-want +got):\n%s", diff)
			}
			if !tc.opts.StopTime.IsZero() {
				// The subscription is over: a new one is accepted, and live events no
				// longer reach the old one.
				if err := s.CreateSubscription(ctx, client.SubscribeOptions{Filter: client.Filter{Subtree: []byte(`<x xmlns="urn:none"/>`)}}); err != nil {
					t.Errorf("subscribing again after notificationComplete: %v", err)
				}
				if err := srv.Notify(ctx, configSaved(t, sch, "late"), time.Now()); err != nil {
					t.Fatal(err)
				}
			}
			none(t, s, ch)
		})
	}
	// A stopTime in the future: live events until then, then notificationComplete.
	s, ch := dialNotes(t, url, "alice")
	start := time.Now()
	stop := start.Add(3 * time.Second) // the live event below must be sent before then
	if err := s.CreateSubscription(ctx, client.SubscribeOptions{StartTime: start, StopTime: stop,
		Filter: client.Filter{Subtree: []byte(`<config-saved xmlns="urn:ncws:yang:ncws-example"/>`)}}); err != nil {
		t.Fatal(err)
	}
	if err := srv.Notify(ctx, configSaved(t, sch, "live"), start); err != nil {
		t.Fatal(err)
	}
	var got []string
	for range 3 {
		got = append(got, next(t, ch).body)
	}
	if diff := cmp.Diff([]string{replayComplete, saved("live"), notificationComplete}, got); diff != "" {
		t.Errorf("notifications mismatch (-want +got):\n%s", diff)
	}
}

// TestSubscriptionErrors: the rpc-errors of create-subscription (RFC 5277 section 2.1.1).
func TestSubscriptionErrors(t *testing.T) {
	srv := exampleServer(t, true)
	url := serveWS(t, srv)
	ctx := context.Background()
	now := time.Now()
	for _, tc := range []struct {
		name string
		opts client.SubscribeOptions
		want []string
	}{
		{"stop without start", client.SubscribeOptions{StopTime: now}, []string{"protocol/missing-element"}},
		{"start in the future", client.SubscribeOptions{StartTime: now.Add(time.Hour)}, []string{"protocol/bad-element"}},
		{"stop before start", client.SubscribeOptions{StartTime: now.Add(-time.Hour), StopTime: now.Add(-2 * time.Hour)}, []string{"protocol/bad-element"}},
		{"unknown stream", client.SubscribeOptions{Stream: "SYSLOG"}, []string{"application/invalid-value"}},
		{"bad xpath", client.SubscribeOptions{Filter: client.Filter{XPath: "/ex:["}}, []string{"application/invalid-value"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := dialNotes(t, url, "alice")
			err := s.CreateSubscription(ctx, tc.opts)
			if err == nil {
				t.Fatal("no error")
			}
			if diff := cmp.Diff(tc.want, tagsOf(err)); diff != "" {
				t.Errorf("errors mismatch (-want +got):\n%s", diff)
			}
			// The failed request subscribed nothing.
			if err := s.CreateSubscription(ctx, client.SubscribeOptions{}); err != nil {
				t.Errorf("subscribing after the error: %v", err)
			}
		})
	}
	t.Run("second subscription", func(t *testing.T) {
		s, _ := dialNotes(t, url, "alice")
		if err := s.CreateSubscription(ctx, client.SubscribeOptions{}); err != nil {
			t.Fatal(err)
		}
		err := s.CreateSubscription(ctx, client.SubscribeOptions{})
		if diff := cmp.Diff([]string{"protocol/operation-failed"}, tagsOf(err)); diff != "" {
			t.Errorf("errors mismatch (-want +got):\n%s", diff)
		}
	})
}

// TestServerEvents: the RFC 6470 events the server sends itself: session start and end,
// configuration changes with their edits, confirmed commits.
func TestServerEvents(t *testing.T) {
	srv := exampleServer(t, true)
	url := serveWS(t, srv)
	ctx := context.Background()
	watcher, ch := dialNotes(t, url, "watcher")
	if err := watcher.CreateSubscription(ctx, client.SubscribeOptions{}); err != nil {
		t.Fatal(err)
	}
	bob, err := client.Dial(ctx, url, &client.Options{Username: "bob", Password: "x"})
	if err != nil {
		t.Fatal(err)
	}
	id := itoa(bob.ID())
	const ns = `xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-notifications"`
	want := []string{`<netconf-session-start ` + ns + `><username>bob</username><session-id>` + id + `</session-id><source-host>127.0.0.1</source-host></netconf-session-start>`}
	if err := bob.EditConfig(ctx, client.Running, []byte(`<system xmlns="urn:ncws:yang:ncws-example"><hostname>r1</hostname></system>`), client.EditOptions{}); err != nil {
		t.Fatal(err)
	}
	by := `<changed-by><username>bob</username><session-id>` + id + `</session-id><source-host>127.0.0.1</source-host></changed-by>`
	want = append(want, `<netconf-config-change `+ns+`>`+by+`<datastore>running</datastore><edit><target xmlns:ex="urn:ncws:yang:ncws-example">/ex:system</target><operation>create</operation></edit></netconf-config-change>`)
	if err := bob.EditConfig(ctx, client.Candidate, []byte(`<system xmlns="urn:ncws:yang:ncws-example"><hostname>r2</hostname></system>`), client.EditOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := bob.Commit(ctx, client.CommitOptions{Confirmed: true, Timeout: time.Minute}); err != nil {
		t.Fatal(err)
	}
	want = append(want,
		`<netconf-config-change `+ns+`>`+by+`<datastore>running</datastore><edit><target xmlns:ex="urn:ncws:yang:ncws-example">/ex:system/ex:hostname</target><operation>replace</operation></edit></netconf-config-change>`,
		`<netconf-confirmed-commit `+ns+`><username>bob</username><session-id>`+id+`</session-id><source-host>127.0.0.1</source-host><confirm-event>start</confirm-event><timeout>60</timeout></netconf-confirmed-commit>`)
	if err := bob.Commit(ctx, client.CommitOptions{}); err != nil {
		t.Fatal(err)
	}
	want = append(want, `<netconf-confirmed-commit `+ns+`><username>bob</username><session-id>`+id+`</session-id><source-host>127.0.0.1</source-host><confirm-event>complete</confirm-event></netconf-confirmed-commit>`)
	if err := bob.CloseSession(ctx); err != nil {
		t.Fatal(err)
	}
	want = append(want, `<netconf-session-end `+ns+`><username>bob</username><session-id>`+id+`</session-id><source-host>127.0.0.1</source-host><termination-reason>closed</termination-reason></netconf-session-end>`)
	var got []string
	for range want {
		got = append(got, next(t, ch).body)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("events mismatch (-want +got):\n%s", diff)
	}
	// A killed session's end names the killer.
	carol, err := client.Dial(ctx, url, &client.Options{Username: "carol", Password: "x"})
	if err != nil {
		t.Fatal(err)
	}
	// A round trip first: the server has read carol's hello (her session has started) once it
	// answers.
	if _, err := carol.GetConfig(ctx, client.Running, client.Filter{}); err != nil {
		t.Fatal(err)
	}
	if err := watcher.KillSession(ctx, carol.ID()); err != nil {
		t.Fatal(err)
	}
	cid := itoa(carol.ID())
	killed := []string{
		`<netconf-session-start ` + ns + `><username>carol</username><session-id>` + cid + `</session-id><source-host>127.0.0.1</source-host></netconf-session-start>`,
		`<netconf-session-end ` + ns + `><username>carol</username><session-id>` + cid + `</session-id><source-host>127.0.0.1</source-host><killed-by>` + itoa(watcher.ID()) + `</killed-by><termination-reason>killed</termination-reason></netconf-session-end>`,
	}
	got = nil
	for range killed {
		got = append(got, next(t, ch).body)
	}
	if diff := cmp.Diff(killed, got); diff != "" {
		t.Errorf("events mismatch (-want +got):\n%s", diff)
	}
	want = append(want, killed...)
	// The monitoring counters count what was sent. The counter moves once the write has
	// returned, which may be after the client has read the notification: read it again until
	// it has moved (500 reads at most).
	wantStat := "<out-notifications>" + itoa(uint32(len(want))) + "</out-notifications>"
	var d []byte
	for range 500 {
		var err error
		d, err = watcher.Get(ctx, client.Filter{Subtree: []byte(`<netconf-state xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring"><statistics><out-notifications/></statistics></netconf-state>`)})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(d), wantStat) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if !strings.Contains(string(d), wantStat) {
		t.Errorf("statistics %s, want out-notifications %d", d, len(want))
	}
}

func itoa(n uint32) string {
	b := []byte{}
	for {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
		if n == 0 {
			return string(b)
		}
	}
}

// TestStreams: nc-notifications' streams state names the NETCONF stream and its replay log.
func TestStreams(t *testing.T) {
	srv := exampleServer(t, true)
	url := serveWS(t, srv)
	s, _ := dialNotes(t, url, "alice")
	d, err := s.Get(context.Background(), client.Filter{Subtree: []byte(`<netconf xmlns="urn:ietf:params:xml:ns:netmod:notification"/>`)})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<name>NETCONF</name>", "<replaySupport>true</replaySupport>", "<replayLogCreationTime>"} {
		if !strings.Contains(string(d), want) {
			t.Errorf("streams %s lack %s", d, want)
		}
	}
}

// TestSlowSubscriber: a subscriber whose queue overflows is ended; Notify never blocks.
func TestSlowSubscriber(t *testing.T) {
	srv := exampleServer(t, true)
	srv.NotificationQueue = 1
	sch := srv.Store.Schema()
	url := serveWS(t, srv)
	ctx := context.Background()
	block := make(chan struct{})
	s, err := client.Dial(ctx, url, &client.Options{Username: "slow", Password: "x",
		OnNotification: func(time.Time, []byte) { <-block }})
	if err != nil {
		t.Fatal(err)
	}
	defer close(block)
	defer s.Close()
	if err := s.CreateSubscription(ctx, client.SubscribeOptions{}); err != nil {
		t.Fatal(err)
	}
	// The client stops reading after its own buffer fills; the server's queue of 1 then
	// overflows.
	for i := 0; i < 5000; i++ {
		if err := srv.Notify(ctx, configSaved(t, sch, strings.Repeat("x", 1000)), time.Now()); err != nil {
			t.Fatal(err)
		}
		if s.Err() != nil {
			break
		}
	}
	select {
	case <-s.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the slow session was not ended")
	}
	var ce *client.ClosedError
	if !errors.As(s.Err(), &ce) || !strings.Contains(ce.Reason, "notification queue overflow") {
		t.Errorf("session ended with %v, want the overflow reason", s.Err())
	}
	if n := srv.NotificationOverflows(); n != 1 {
		t.Errorf("NotificationOverflows() = %d, want 1", n)
	}
}
