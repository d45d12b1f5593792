package server_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/nacm"
	"github.com/ncws/ncws/pkg/netconftest"
	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/server"
	"github.com/ncws/ncws/pkg/validate"
)

// nacmRules is a configuration of 1,000 rules in 100 rule-lists, one per group g0..g99; the
// benchmark user is in ten of them. Each list holds rpc-name rules, notification rules, rules
// on nodes of other modules, keyed deny rules on single entries of the flat list and, in its
// last position, a permit of the whole store: the lists of the user's groups put 100 rules
// before a decision, 20 of them keyed on the list the requests touch.
func nacmRules(user string) string {
	var b strings.Builder
	b.WriteString(`<nacm xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-acm"><groups>`)
	for g := 0; g < 100; g++ {
		fmt.Fprintf(&b, "<group><name>g%d</name><user-name>u%d</user-name>", g, g)
		if g%10 == 3 {
			fmt.Fprintf(&b, "<user-name>%s</user-name>", user)
		}
		b.WriteString("</group>")
	}
	b.WriteString("</groups>")
	for g := 0; g < 100; g++ {
		fmt.Fprintf(&b, "<rule-list><name>l%d</name><group>g%d</group>", g, g)
		rule := func(i int, body string) {
			fmt.Fprintf(&b, "<rule><name>r%d</name>%s</rule>", i, body)
		}
		rule(0, `<module-name>ietf-netconf</module-name><rpc-name>kill-session</rpc-name><access-operations>exec</access-operations><action>deny</action>`)
		rule(1, `<module-name>ietf-netconf</module-name><rpc-name>delete-config</rpc-name><access-operations>exec</access-operations><action>deny</action>`)
		rule(2, `<module-name>*</module-name><notification-name>netconf-session-start</notification-name><access-operations>read</access-operations><action>deny</action>`)
		rule(3, `<module-name>ietf-netconf-monitoring</module-name><path xmlns:ncm="urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring">/ncm:netconf-state/ncm:sessions</path><access-operations>read</access-operations><action>deny</action>`)
		rule(4, `<module-name>ietf-netconf-acm</module-name><path xmlns:n="urn:ietf:params:xml:ns:yang:ietf-netconf-acm">/n:nacm</path><access-operations>*</access-operations><action>deny</action>`)
		rule(5, `<module-name>ncws-server</module-name><rpc-name>rollback</rpc-name><access-operations>exec</access-operations><action>deny</action>`)
		rule(6, fmt.Sprintf(`<module-name>dstest</module-name><path xmlns:d="urn:ncws:test:dstest">/d:store/d:entry[d:id='%d']</path><access-operations>read update delete</access-operations><action>deny</action>`, 1000000+g))
		rule(7, fmt.Sprintf(`<module-name>dstest</module-name><path xmlns:d="urn:ncws:test:dstest">/d:store/d:entry[d:id='%d']/d:value</path><access-operations>update</access-operations><action>deny</action>`, 2000000+g))
		rule(8, `<module-name>dstest</module-name><path xmlns:d="urn:ncws:test:dstest">/d:store/d:newest</path><access-operations>update</access-operations><action>deny</action>`)
		rule(9, `<module-name>dstest</module-name><path xmlns:d="urn:ncws:test:dstest">/d:store</path><access-operations>*</access-operations><action>permit</action>`)
		b.WriteString("</rule-list>")
	}
	b.WriteString("</nacm>")
	return b.String()
}

// nacmEngine compiles cfg (a /nacm document) for s.
func nacmEngine(tb testing.TB, s *schema.Schema, cfg string) *nacm.Engine {
	root, errs := yangxml.Unmarshal([]byte(cfg), s, yangxml.DecodeOptions{})
	if len(errs) > 0 {
		tb.Fatal(errs)
	}
	if errs := validate.New(s).Validate(root, validate.Options{}); len(errs) > 0 {
		tb.Fatal(errs)
	}
	e := nacm.New(s, nacm.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	e.Load(root)
	return e
}

// adminNACM is the configuration `ncws serve` writes at its first start, for the benchmark
// user: group admin, whose one rule permits everything (pkg/agent's seedNACM).
const adminNACM = `<nacm xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-acm"><groups><group><name>admin</name><user-name>bench</user-name></group></groups><rule-list><name>admin</name><group>admin</group><rule><name>permit-all</name><module-name>*</module-name><access-operations>*</access-operations><action>permit</action><comment>Written by ncws at the first start: the admin group may do everything.</comment></rule></rule-list></nacm>`

// nacmSession starts a server with a persistent store holding n entries of the flat list and
// returns a client session to it, with access control by mode: "none" (no access control), "off"
// (the engine with enable-nacm false), "rules" (nacmRules, the user in ten groups) or "admin"
// (adminNACM, in running too).
func nacmSession(b *testing.B, n int, mode string) func(rpc string) []byte {
	s := flatSchema(b)
	st, err := datastore.Open(datastore.Options{Schema: s, Dir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	if n > 0 {
		var cfg strings.Builder
		cfg.WriteString(`<store xmlns="urn:ncws:test:dstest">`)
		for i := range n {
			fmt.Fprintf(&cfg, "<entry><id>%d</id><value>value-%d</value></entry>", i, i)
		}
		cfg.WriteString(`</store>`)
		if errs := st.Copy(context.Background(), datastore.Who{}, datastore.Running, datastore.Source{Config: []byte(cfg.String())}); len(errs) > 0 {
			b.Fatal(errs)
		}
	}
	srv := &server.Server{Store: st}
	switch mode {
	case "admin":
		if errs := st.Edit(context.Background(), datastore.Who{}, datastore.Running, []byte(adminNACM), datastore.EditOptions{}); len(errs) > 0 {
			b.Fatal(errs)
		}
		e := nacmEngine(b, s, adminNACM)
		st.SetAccessControl(e)
		srv.Access = func(who datastore.Who) server.Access { return e.For(who) }
	case "off":
		e := nacmEngine(b, s, `<nacm xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-acm"><enable-nacm>false</enable-nacm></nacm>`)
		st.SetAccessControl(e)
		srv.Access = func(who datastore.Who) server.Access { return e.For(who) }
	case "rules":
		e := nacmEngine(b, s, nacmRules("bench"))
		st.SetAccessControl(e)
		srv.Access = func(who datastore.Who) server.Access { return e.For(who) }
	}
	l := netconftest.NewListener()
	go srv.Serve(l)
	b.Cleanup(func() { srv.Shutdown(context.Background()); l.Close() })
	ctx := context.Background()
	c, err := l.Dial(ctx, "bench")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := c.Recv(ctx); err != nil {
		b.Fatal(err)
	}
	c.Send(ctx, []byte(`<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.1</capability></capabilities></hello>`))
	id := 0
	return func(rpc string) []byte {
		id++
		c.Send(ctx, []byte(fmt.Sprintf(`<rpc message-id="%d" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">%s</rpc>`, id, rpc)))
		reply, err := c.Recv(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if bytes.Contains(reply, []byte("rpc-error")) {
			b.Fatalf("rpc-error: %s", reply)
		}
		return reply
	}
}

// BenchmarkNACMGetConfig100k is get-config of 100k entries without access control, with NACM
// off, and with 1,000 rules across 100 groups (make bench-nacm).
func BenchmarkNACMGetConfig100k(b *testing.B) {
	for _, mode := range []string{"none", "off", "rules"} {
		b.Run("nacm="+mode, func(b *testing.B) {
			call := nacmSession(b, 100000, mode)
			var size int
			for b.Loop() {
				size = len(call(`<get-config><source><running/></source></get-config>`))
			}
			b.ReportMetric(float64(size), "reply-bytes")
		})
	}
}

// BenchmarkNACMEdit100k is a one-entry edit-config of running (durable) among 100k entries,
// in the same three modes.
func BenchmarkNACMEdit100k(b *testing.B) {
	for _, mode := range []string{"none", "off", "rules"} {
		b.Run("nacm="+mode, func(b *testing.B) {
			call := nacmSession(b, 100000, mode)
			i := 0
			for b.Loop() {
				i++
				call(fmt.Sprintf(`<edit-config><target><running/></target><config><store xmlns="urn:ncws:test:dstest"><entry><id>%d</id><value>changed-%d</value></entry></store></config></edit-config>`, (i*7919)%100000, i))
			}
		})
	}
}

// TestNACMBenchRules checks that the benchmark's configuration does what it says: the user
// reads every entry but the keyed ones, and a keyed deny refuses its entry's update.
func TestNACMBenchRules(t *testing.T) {
	s := flatSchema(t)
	e := nacmEngine(t, s, nacmRules("bench"))
	doc := `<store xmlns="urn:ncws:test:dstest"><entry><id>1</id><value>a</value></entry><entry><id>1000003</id><value>b</value></entry></store>`
	root, errs := yangxml.Unmarshal([]byte(doc), s, yangxml.DecodeOptions{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	a := e.For(datastore.Who{User: "bench", Session: 1})
	out, err := yangxml.Marshal(root, yangxml.EncodeOptions{Hide: a.Hidden})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "<id>1</id>") || strings.Contains(string(out), "1000003") {
		t.Errorf("bench user reads:\n%s", out)
	}
}
