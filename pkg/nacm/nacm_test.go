package nacm_test

import (
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/nacm"
	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/schema/yangload"
	"github.com/ncws/ncws/pkg/validate"
	"github.com/ncws/ncws/yang"
)

var (
	schOnce sync.Once
	sch     *schema.Schema
	schErr  error
)

func testSchema(t *testing.T) *schema.Schema {
	t.Helper()
	schOnce.Do(func() { sch, schErr = yang.Load(yangload.Options{Files: []string{yang.Example}}) })
	if schErr != nil {
		t.Fatal(schErr)
	}
	return sch
}

// tree decodes an XML document (bare top-level elements) with defaults added.
func tree(t *testing.T, doc string) *data.Node {
	t.Helper()
	s := testSchema(t)
	root, errs := yangxml.Unmarshal([]byte(doc), s, yangxml.DecodeOptions{AllowEmpty: true})
	if len(errs) > 0 {
		t.Fatalf("decoding: %v", errs)
	}
	if errs := validate.New(s).Validate(root, validate.Options{}); len(errs) > 0 {
		t.Fatalf("validating: %v", errs)
	}
	return root
}

const nacmNS = `xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-acm"`

// config is a NACM configuration: admin (alice) may do everything; operators (bob) may read
// and edit interfaces except eth9, may not read interface secret descriptions of eth7, may
// not receive config-saved.
const config = `<nacm ` + nacmNS + `>
  <groups>
    <group><name>admin</name><user-name>alice</user-name></group>
    <group><name>operators</name><user-name>bob</user-name><user-name>carol</user-name></group>
  </groups>
  <rule-list><name>admin</name><group>admin</group>
    <rule><name>permit-all</name><module-name>*</module-name><access-operations>*</access-operations><action>permit</action></rule>
  </rule-list>
  <rule-list><name>ops</name><group>operators</group>
    <rule><name>no-eth9</name><module-name>ncws-example</module-name><path xmlns:ex="urn:ncws:yang:ncws-example">/ex:interfaces/ex:interface[ex:name='eth9']</path><access-operations>create update delete</access-operations><action>deny</action></rule>
    <rule><name>hide-eth7</name><module-name>ncws-example</module-name><path xmlns:ex="urn:ncws:yang:ncws-example">/ex:interfaces/ex:interface[ex:name='eth7']/ex:description</path><access-operations>read</access-operations><action>deny</action></rule>
    <rule><name>interfaces</name><module-name>ncws-example</module-name><path xmlns:e="urn:ncws:yang:ncws-example">/e:interfaces</path><access-operations>create update delete</access-operations><action>permit</action></rule>
    <rule><name>no-saved</name><module-name>ncws-example</module-name><notification-name>config-saved</notification-name><access-operations>read</access-operations><action>deny</action></rule>
    <rule><name>no-reboot</name><module-name>ncws-example</module-name><rpc-name>reboot</rpc-name><access-operations>exec</access-operations><action>deny</action></rule>
  </rule-list>
</nacm>`

func engine(t *testing.T, cfg string, opts nacm.Options) *nacm.Engine {
	t.Helper()
	opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	e := nacm.New(testSchema(t), opts)
	e.Load(tree(t, cfg))
	return e
}

func who(user string) datastore.Who { return datastore.Who{User: user, Session: 7} }

func op(t *testing.T, path string) *schema.Node {
	t.Helper()
	n := testSchema(t).FindNode(path)
	if n == nil {
		t.Fatalf("no node %s", path)
	}
	return n
}

func TestExec(t *testing.T) {
	e := engine(t, config, nacm.Options{RecoveryUser: "root"})
	for _, tc := range []struct {
		user, op string
		ok       bool
	}{
		{"alice", "/ietf-netconf:kill-session", true}, // the admin's permit-all rule
		{"bob", "/ietf-netconf:kill-session", false},  // default-deny-all for ietf-netconf's kill-session
		{"bob", "/ietf-netconf:delete-config", false}, // likewise
		{"bob", "/ietf-netconf:close-session", true},  // always
		{"bob", "/ietf-netconf:get-config", true},     // exec-default permit
		{"bob", "/ncws-example:reboot", false},        // rule no-reboot
		{"carol", "/ncws-example:reboot", false},      // same group
		{"dave", "/ncws-example:reboot", true},        // no group: exec-default
		{"dave", "/ncws-server:rollback", false},      // nacm:default-deny-all in ncws-server
		{"root", "/ietf-netconf:kill-session", true},  // the recovery user
		{"bob", "/ncws-example:interfaces/interface/reset", true},
	} {
		err := e.For(who(tc.user)).Exec(op(t, tc.op), nil)
		if (err == nil) != tc.ok {
			t.Errorf("%s exec %s: %v, want permitted=%v", tc.user, tc.op, err, tc.ok)
		}
		if err != nil && (err.Tag != "access-denied" || err.Type != "protocol") {
			t.Errorf("%s exec %s: error %s/%s, want protocol/access-denied", tc.user, tc.op, err.Type, err.Tag)
		}
	}
	ops, _, _ := e.Counters()
	if ops != 5 {
		t.Errorf("denied-operations = %d, want 5", ops)
	}
	// The system (session 0) is never checked.
	if err := e.For(datastore.Who{}).Exec(op(t, "/ietf-netconf:kill-session"), nil); err != nil {
		t.Errorf("system session: %v", err)
	}
}

const data1 = `<interfaces xmlns="urn:ncws:yang:ncws-example" xmlns:ex="urn:ncws:yang:ncws-example">
  <interface><name>eth0</name><type>ex:ethernet</type><description>uplink</description></interface>
  <interface><name>eth7</name><type>ex:ethernet</type><description>secret</description></interface>
</interfaces>
<system xmlns="urn:ncws:yang:ncws-example"><hostname>r1</hostname></system>`

func visible(a *nacm.Access, root *data.Node) string {
	b, err := yangxml.Marshal(root, yangxml.EncodeOptions{Hide: a.Hidden})
	if err != nil {
		panic(err)
	}
	return string(b)
}

func TestRead(t *testing.T) {
	e := engine(t, config, nacm.Options{})
	root := tree(t, config+data1)
	got := visible(e.For(who("bob")), root)
	if !strings.Contains(got, "<description>uplink</description>") || strings.Contains(got, "secret") {
		t.Errorf("bob reads eth0's description but not eth7's:\n%s", got)
	}
	if strings.Contains(got, "<nacm") {
		t.Errorf("bob reads /nacm (default-deny-all):\n%s", got)
	}
	if !strings.Contains(got, "<name>eth7</name>") {
		t.Errorf("bob reads eth7 itself:\n%s", got)
	}
	got = visible(e.For(who("alice")), root)
	if !strings.Contains(got, "secret") || !strings.Contains(got, "<nacm") {
		t.Errorf("alice (permit-all) reads everything:\n%s", got)
	}
	// Without NACM enabled nothing is hidden.
	off := engine(t, strings.Replace(config, "<groups>", "<enable-nacm>false</enable-nacm><groups>", 1), nacm.Options{})
	if a := off.For(who("bob")); !a.ReadsAll() || strings.Contains(visible(a, root), "secret") == false {
		t.Errorf("enable-nacm false: ReadsAll %v", a.ReadsAll())
	}
	// A list entry whose key may not be read goes entirely.
	keyDeny := strings.Replace(config, `<rule><name>hide-eth7</name>`,
		`<rule><name>hide-names</name><module-name>*</module-name><path xmlns:ex="urn:ncws:yang:ncws-example">/ex:interfaces/ex:interface/ex:name</path><access-operations>read</access-operations><action>deny</action></rule><rule><name>hide-eth7</name>`, 1)
	got = visible(engine(t, keyDeny, nacm.Options{}).For(who("bob")), root)
	if strings.Contains(got, "<interface>") {
		t.Errorf("entries without readable keys shown:\n%s", got)
	}
	a := e.For(who("bob"))
	if a.ReadablePath("/ncws-example:interfaces/interface[name='eth7']/description") ||
		!a.ReadablePath("/ncws-example:interfaces/interface[name='eth0']/description") ||
		a.ReadablePath("/ietf-netconf-acm:nacm/groups") {
		t.Error("ReadablePath disagrees with the rules")
	}
}

// changes returns the changes an edit of running makes (through a real Txn).
func changes(t *testing.T, root *data.Node, fn func(t *data.Txn)) []data.Change {
	t.Helper()
	var txn data.Txn
	fn(&txn)
	return txn.Changes()
}

func TestWrite(t *testing.T) {
	e := engine(t, config, nacm.Options{ExternalGroups: func(u string) []string {
		if u == "erin" {
			return []string{"operators"}
		}
		return nil
	}})
	root := tree(t, config+data1)
	add := tree(t, `<interfaces xmlns="urn:ncws:yang:ncws-example" xmlns:ex="urn:ncws:yang:ncws-example">
	  <interface><name>eth1</name><type>ex:ethernet</type></interface>
	  <interface><name>eth9</name><type>ex:ethernet</type></interface></interfaces>`)
	ifs := root.ChildByName("interfaces")
	newEntry := func(name string) *data.Node {
		for _, c := range add.ChildByName("interfaces").Children() {
			if c.Key() == name {
				return c.Clone()
			}
		}
		t.Fatalf("no %s", name)
		return nil
	}
	create := func(name string) []data.Change {
		return changes(t, root, func(txn *data.Txn) { txn.Insert(ifs, newEntry(name), nil) })
	}
	for _, tc := range []struct {
		user, what string
		ch         []data.Change
		deniedPath string // "" permitted
	}{
		{"bob", "create eth1", create("eth1"), ""},
		{"erin", "create eth1 (external group)", create("eth1"), ""},
		{"dave", "create eth1 (write-default deny)", create("eth1"), "/ncws-example:interfaces/interface[name='eth1']"},
		{"bob", "create eth9 (rule no-eth9)", create("eth9"), "/ncws-example:interfaces/interface[name='eth9']"},
		{"alice", "create eth9", create("eth9"), ""},
		{"bob", "hostname (write-default)", changes(t, root, func(txn *data.Txn) {
			h := root.ChildByName("system").ChildByName("hostname")
			n := data.NewLeaf(h.Schema, data.Value{Type: h.Value.Type, Str: "r2"})
			txn.Replace(h, n)
		}), "/ncws-example:system/hostname"},
		{"bob", "delete eth0", changes(t, root, func(txn *data.Txn) { txn.Remove(ifs.Children()[0]) }), ""},
		{"bob", "touch /nacm (default-deny-all)", changes(t, root, func(txn *data.Txn) {
			txn.Remove(root.ChildByName("nacm"))
		}), "/ietf-netconf-acm:nacm/groups/group[name='admin']"}, // the first node below (nacm is a non-presence container)
	} {
		err := e.For(who(tc.user)).CheckWrite(tc.ch)
		got := ""
		if err != nil {
			got = err.Path
			if err.Tag != "access-denied" || err.Type != "application" {
				t.Errorf("%s %s: %s/%s, want application/access-denied", tc.user, tc.what, err.Type, err.Tag)
			}
		}
		if got != tc.deniedPath {
			t.Errorf("%s %s: denied at %q, want %q", tc.user, tc.what, got, tc.deniedPath)
		}
		// Undo whatever the case changed so the next starts from the same tree.
		for i := len(tc.ch) - 1; i >= 0; i-- {
			c := tc.ch[i]
			if c.New != nil && c.New.Parent != nil {
				c.New.Parent.Remove(c.New)
			}
			if c.Old != nil && c.Old.Parent == nil && c.Parent != nil {
				c.Parent.Insert(c.Old)
			}
		}
	}
}

// TestWriteLocated: a deleted or replaced node is detached from its tree when it is checked;
// rules with keys still match it where it was, and the error-path names it there. An explicit
// value that gives way to its default is a delete of that value.
func TestWriteLocated(t *testing.T) {
	cfg := strings.ReplaceAll(config, "eth9", "eth7") // rule no-eth7: create update delete deny
	e := engine(t, cfg, nacm.Options{})
	for _, tc := range []struct {
		what       string
		edit       func(root *data.Node, txn *data.Txn)
		deniedPath string
	}{
		{"delete eth0", func(root *data.Node, txn *data.Txn) {
			txn.Remove(root.ChildByName("interfaces").Children()[0])
		}, ""},
		{"delete eth7", func(root *data.Node, txn *data.Txn) {
			txn.Remove(root.ChildByName("interfaces").Children()[1])
		}, "/ncws-example:interfaces/interface[name='eth7']"},
		{"replace eth7 without its description", func(root *data.Node, txn *data.Txn) {
			old := root.ChildByName("interfaces").Children()[1]
			nw := old.Clone()
			nw.Remove(nw.ChildByName("description"))
			txn.Replace(old, nw)
		}, "/ncws-example:interfaces/interface[name='eth7']/description"},
		{"hostname back to its default", func(root *data.Node, txn *data.Txn) {
			h := root.ChildByName("system").ChildByName("hostname")
			n := data.NewLeaf(h.Schema, data.Value{Type: h.Value.Type, Str: "device"})
			n.Default = true
			txn.Replace(h, n)
		}, "/ncws-example:system/hostname"},
	} {
		root := tree(t, cfg+data1)
		var txn data.Txn
		tc.edit(root, &txn)
		got := ""
		if err := e.For(who("bob")).CheckWrite(txn.Changes()); err != nil {
			got = err.Path
		}
		if got != tc.deniedPath {
			t.Errorf("bob %s: denied at %q, want %q", tc.what, got, tc.deniedPath)
		}
	}
}

// TestWriteNPContainer: a rule that permits creating list entries permits the first one, whose
// non-presence container appears with it; deleting the last one takes the container along.
func TestWriteNPContainer(t *testing.T) {
	cfg := `<nacm ` + nacmNS + `>
  <groups><group><name>operators</name><user-name>bob</user-name></group></groups>
  <rule-list><name>ops</name><group>operators</group>
    <rule><name>entries</name><module-name>ncws-example</module-name><path xmlns:ex="urn:ncws:yang:ncws-example">/ex:interfaces/ex:interface</path><access-operations>create delete</access-operations><action>permit</action></rule>
  </rule-list>
</nacm>`
	e := engine(t, cfg, nacm.Options{})
	root := tree(t, cfg)
	ifs := tree(t, `<interfaces xmlns="urn:ncws:yang:ncws-example" xmlns:ex="urn:ncws:yang:ncws-example"><interface><name>eth0</name><type>ex:ethernet</type></interface></interfaces>`).ChildByName("interfaces")
	ifs.Parent.Remove(ifs)
	var txn data.Txn
	txn.Insert(root, ifs, nil)
	if err := e.For(who("bob")).CheckWrite(txn.Changes()); err != nil {
		t.Errorf("bob creates the first interface: %v", err)
	}
	var del data.Txn
	del.Remove(ifs)
	if err := e.For(who("bob")).CheckWrite(del.Changes()); err != nil {
		t.Errorf("bob deletes the last interface: %v", err)
	}
	if err := e.For(who("dave")).CheckWrite(txn.Changes()); err == nil || err.Path != "/ncws-example:interfaces/interface[name='eth0']" {
		t.Errorf("dave (write-default) creates an interface: %v, want denied at the entry", err)
	}
}

// TestActionPath: a data-node rule whose path ends at an action decides its exec.
func TestActionPath(t *testing.T) {
	cfg := strings.Replace(config, `<rule><name>no-reboot</name>`, `<rule><name>no-reset</name><module-name>ncws-example</module-name><path xmlns:ex="urn:ncws:yang:ncws-example">/ex:interfaces/ex:interface/ex:reset</path><access-operations>exec</access-operations><action>deny</action></rule><rule><name>no-reboot</name>`, 1)
	e := engine(t, cfg, nacm.Options{})
	reset := op(t, "/ncws-example:interfaces/interface/reset")
	if err := e.For(who("bob")).Exec(reset, nil); err == nil {
		t.Error("bob resets an interface despite rule no-reset")
	}
	if err := e.For(who("dave")).Exec(reset, nil); err != nil {
		t.Errorf("dave (exec-default): %v", err)
	}
}

// TestActionKeyedRule: a data-node rule with keys over an action decides for the instance
// it names only.
func TestActionKeyedRule(t *testing.T) {
	cfg := strings.Replace(config, `<rule><name>no-reboot</name>`, `<rule><name>no-eth0-reset</name><module-name>ncws-example</module-name><path xmlns:ex="urn:ncws:yang:ncws-example">/ex:interfaces/ex:interface[ex:name='eth0']/ex:reset</path><access-operations>exec</access-operations><action>deny</action></rule><rule><name>no-reboot</name>`, 1)
	e := engine(t, cfg, nacm.Options{})
	reset := op(t, "/ncws-example:interfaces/interface/reset")
	d := tree(t, data1)
	ifs := d.ChildByName("interfaces").Children()
	if err := e.For(who("bob")).Exec(reset, ifs[0]); err == nil {
		t.Error("bob resets eth0 despite rule no-eth0-reset")
	}
	if err := e.For(who("bob")).Exec(reset, ifs[1]); err != nil {
		t.Errorf("bob resets eth7: %v", err)
	}
}

func TestNotification(t *testing.T) {
	e := engine(t, config, nacm.Options{})
	_, n, errs := yangxml.UnmarshalNested([]byte(`<config-saved xmlns="urn:ncws:yang:ncws-example"><user>x</user></config-saved>`), testSchema(t), yangxml.DecodeOptions{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if e.For(who("bob")).Notification(n) {
		t.Error("bob receives config-saved despite rule no-saved")
	}
	if !e.For(who("alice")).Notification(n) || !e.For(who("dave")).Notification(n) {
		t.Error("alice (permit-all) and dave (read-default) receive config-saved")
	}
	if _, _, nots := e.Counters(); nots != 1 {
		t.Errorf("denied-notifications = %d, want 1", nots)
	}
}

// TestNotificationInData: a rule with keys over a notification defined in a list entry
// withholds the events of the entries it names only.
func TestNotificationInData(t *testing.T) {
	cfg := strings.Replace(config, `<rule><name>no-reboot</name>`, `<rule><name>no-eth0-link</name><module-name>ncws-example</module-name><path xmlns:ex="urn:ncws:yang:ncws-example">/ex:interfaces/ex:interface[ex:name='eth0']/ex:link-change</path><access-operations>read</access-operations><action>deny</action></rule><rule><name>no-reboot</name>`, 1)
	e := engine(t, cfg, nacm.Options{})
	event := func(name string) *data.Node {
		_, n, errs := yangxml.UnmarshalNested([]byte(`<interfaces xmlns="urn:ncws:yang:ncws-example"><interface><name>`+name+`</name><link-change><oper-status>down</oper-status></link-change></interface></interfaces>`), testSchema(t), yangxml.DecodeOptions{})
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		return n
	}
	if e.For(who("bob")).Notification(event("eth0")) {
		t.Error("bob receives eth0's link-change despite rule no-eth0-link")
	}
	if !e.For(who("bob")).Notification(event("eth1")) {
		t.Error("bob does not receive eth1's link-change")
	}
}

func TestBadRuleSkipped(t *testing.T) {
	// A stored rule whose path no longer resolves (its module left the schema) cannot match:
	// the rule is skipped, and the write-default decides.
	root := tree(t, config)
	root.Walk(func(n *data.Node) bool {
		if n.Schema != nil && n.Schema.Name == "path" && strings.HasSuffix(n.Value.Str, ":interfaces") {
			n.Value.Str = "/nosuch:interfaces"
		}
		return true
	})
	e := nacm.New(testSchema(t), nacm.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	e.Load(root)
	d := tree(t, data1)
	ifs := d.ChildByName("interfaces")
	ch := changes(t, d, func(txn *data.Txn) { txn.Remove(ifs.Children()[0]) })
	if err := e.For(who("bob")).CheckWrite(ch); err == nil {
		t.Error("a rule with an unknown module in its path still permits")
	}
}

// TestPathStoredInModuleForm: a rule path written with any XML prefixes is kept in the RFC
// 7951 form and encoded back with declared prefixes, so that it survives storage and reads.
func TestPathStoredInModuleForm(t *testing.T) {
	root := tree(t, config)
	var paths []string
	root.Walk(func(n *data.Node) bool {
		if n.Schema != nil && n.Schema.Name == "path" {
			paths = append(paths, n.Value.Str)
		}
		return true
	})
	want := []string{"/ncws-example:interfaces/interface[name='eth9']", "/ncws-example:interfaces/interface[name='eth7']/description", "/ncws-example:interfaces"}
	if strings.Join(paths, " ") != strings.Join(want, " ") {
		t.Errorf("stored paths %q, want %q", paths, want)
	}
	b, err := yangxml.Marshal(root, yangxml.EncodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	again := tree(t, string(b))
	var paths2 []string
	again.Walk(func(n *data.Node) bool {
		if n.Schema != nil && n.Schema.Name == "path" {
			paths2 = append(paths2, n.Value.Str)
		}
		return true
	})
	if strings.Join(paths2, " ") != strings.Join(want, " ") {
		t.Errorf("after an XML round trip %q, want %q\n%s", paths2, want, b)
	}
}
