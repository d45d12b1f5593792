package client_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ncws/ncws/pkg/client"
)

func TestOps(t *testing.T) {
	must := func(b []byte, err error) []byte {
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	for _, tc := range []struct {
		name string
		op   []byte
		want string
	}{
		{"get-config xpath", must(client.GetConfigOp(client.Candidate, client.Filter{
			XPath: `/t:a[t:b="x&y"]`, Namespaces: map[string]string{"u": "urn:u", "t": "urn:t"}, WithDefaults: "trim"})),
			`<get-config><source><candidate/></source><filter type="xpath" select="/t:a[t:b=&quot;x&amp;y&quot;]" xmlns:t="urn:t" xmlns:u="urn:u"/>` +
				`<with-defaults xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-with-defaults">trim</with-defaults></get-config>`},
		{"get subtree", must(client.GetOp(client.Filter{Subtree: []byte(`<a xmlns="urn:a"/>`)})),
			`<get><filter type="subtree"><a xmlns="urn:a"/></filter></get>`},
		{"get all", must(client.GetOp(client.Filter{})), `<get></get>`},
		{"edit-config", client.EditConfigOp(client.Running, []byte(`<a xmlns="urn:a"/>`), client.EditOptions{DefaultOperation: "none", TestOption: "test-only", ErrorOption: "rollback-on-error"}),
			`<edit-config><target><running/></target><default-operation>none</default-operation><test-option>test-only</test-option>` +
				`<error-option>rollback-on-error</error-option><config><a xmlns="urn:a"/></config></edit-config>`},
		{"confirmed commit", client.CommitOp(client.CommitOptions{Confirmed: true, Timeout: 1500 * time.Millisecond, Persist: "p<1>"}),
			`<commit><confirmed/><confirm-timeout>2</confirm-timeout><persist>p&lt;1&gt;</persist></commit>`},
		{"confirming commit", client.CommitOp(client.CommitOptions{PersistID: "p1"}), `<commit><persist-id>p1</persist-id></commit>`},
		{"cancel-commit", client.CancelCommitOp(""), `<cancel-commit/>`},
		{"kill-session", client.KillSessionOp(4294967295), `<kill-session><session-id>4294967295</session-id></kill-session>`},
		{"copy-config", client.CopyConfigOp(client.Startup, client.Running), `<copy-config><target><startup/></target><source><running/></source></copy-config>`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, string(tc.op)); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
