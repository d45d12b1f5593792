package server_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ncws/ncws/pkg/client"
)

// TestConfirmRevertEvents: a confirmed commit that the server reverts itself, at its timeout or
// when its session ends, is announced as one that a client cancels: netconf-confirmed-commit
// (timeout, without session parameters; cancel, naming the lost session) and
// netconf-config-change for the revert, made by the server (RFC 6470 sections 2.1, 2.6).
func TestConfirmRevertEvents(t *testing.T) {
	srv := exampleServer(t, true)
	url := serveWS(t, srv)
	ctx := context.Background()
	watcher, ch := dialNotes(t, url, "watcher")
	if err := watcher.CreateSubscription(ctx, client.SubscribeOptions{
		Filter: client.Filter{Subtree: []byte(`<netconf-confirmed-commit xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-notifications"/>` +
			`<netconf-config-change xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-notifications"/>`)}}); err != nil {
		t.Fatal(err)
	}
	const ns = `xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-notifications"`
	const edit = `<edit><target xmlns:ex="urn:ncws:yang:ncws-example">/ex:system</target><operation>%s</operation></edit>`
	collect := func(n int) []string {
		var got []string
		for range n {
			got = append(got, next(t, ch).body)
		}
		return got
	}

	// The timeout: bob's commit is not confirmed within a second.
	bob, err := client.Dial(ctx, url, &client.Options{Username: "bob", Password: "x"})
	if err != nil {
		t.Fatal(err)
	}
	defer bob.Close()
	bid := itoa(bob.ID())
	by := `<changed-by><username>bob</username><session-id>` + bid + `</session-id><source-host>127.0.0.1</source-host></changed-by>`
	if err := bob.EditConfig(ctx, client.Candidate, []byte(`<system xmlns="urn:ncws:yang:ncws-example"><hostname>r1</hostname></system>`), client.EditOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := bob.Commit(ctx, client.CommitOptions{Confirmed: true, Timeout: time.Second}); err != nil {
		t.Fatal(err)
	}
	want := []string{
		`<netconf-config-change ` + ns + `>` + by + `<datastore>running</datastore>` + fmt.Sprintf(edit, "create") + `</netconf-config-change>`,
		`<netconf-confirmed-commit ` + ns + `><username>bob</username><session-id>` + bid + `</session-id><source-host>127.0.0.1</source-host><confirm-event>start</confirm-event><timeout>1</timeout></netconf-confirmed-commit>`,
		`<netconf-confirmed-commit ` + ns + `><confirm-event>timeout</confirm-event></netconf-confirmed-commit>`,
		`<netconf-config-change ` + ns + `><changed-by><server/></changed-by><datastore>running</datastore>` + fmt.Sprintf(edit, "delete") + `</netconf-config-change>`,
	}
	if diff := cmp.Diff(want, collect(len(want))); diff != "" {
		t.Errorf("events of a confirmed commit's timeout mismatch (-want +got):\n%s", diff)
	}

	// The session ends: carol's commit is reverted when she closes it.
	carol, err := client.Dial(ctx, url, &client.Options{Username: "carol", Password: "x"})
	if err != nil {
		t.Fatal(err)
	}
	cid := itoa(carol.ID())
	by = `<changed-by><username>carol</username><session-id>` + cid + `</session-id><source-host>127.0.0.1</source-host></changed-by>`
	if err := carol.EditConfig(ctx, client.Candidate, []byte(`<system xmlns="urn:ncws:yang:ncws-example"><hostname>r2</hostname></system>`), client.EditOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := carol.Commit(ctx, client.CommitOptions{Confirmed: true, Timeout: time.Hour}); err != nil {
		t.Fatal(err)
	}
	if err := carol.CloseSession(ctx); err != nil {
		t.Fatal(err)
	}
	want = []string{
		`<netconf-config-change ` + ns + `>` + by + `<datastore>running</datastore>` + fmt.Sprintf(edit, "create") + `</netconf-config-change>`,
		`<netconf-confirmed-commit ` + ns + `><username>carol</username><session-id>` + cid + `</session-id><source-host>127.0.0.1</source-host><confirm-event>start</confirm-event><timeout>3600</timeout></netconf-confirmed-commit>`,
		`<netconf-confirmed-commit ` + ns + `><username>carol</username><session-id>` + cid + `</session-id><source-host>127.0.0.1</source-host><confirm-event>cancel</confirm-event></netconf-confirmed-commit>`,
		`<netconf-config-change ` + ns + `><changed-by><server/></changed-by><datastore>running</datastore>` + fmt.Sprintf(edit, "delete") + `</netconf-config-change>`,
	}
	if diff := cmp.Diff(want, collect(len(want))); diff != "" {
		t.Errorf("events of a confirmed commit reverted at its session's end mismatch (-want +got):\n%s", diff)
	}
}
