package server_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ncws/ncws/pkg/client"
	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/server"
)

const actionNS = `xmlns="urn:ietf:params:xml:ns:yang:1"`

// TestAction: an <action> reaches the handler registered for the action node with its
// target instance (the list entry, keys readable, ancestors attached) and its input; the
// output comes back in the reply. The errors of RFC 7950 section 7.15.2.
func TestAction(t *testing.T) {
	srv := exampleServer(t, false)
	sch := srv.Store.Schema()
	m := sch.Module("ncws-example")
	list := sch.Top(m, "interfaces").Child(m, "interface")
	reset := list.Operation(m, "reset")
	type seen struct{ Target, Top, Delay string }
	var got []seen
	srv.Handle(reset, func(ctx context.Context, req *server.Request) (*data.Node, error) {
		top := req.Target
		for top.Parent != nil && !top.Parent.IsRoot() {
			top = top.Parent
		}
		got = append(got, seen{req.Target.Path(), top.Schema.Name, req.Input.ChildByName("delay").Value.Str})
		out := data.New(reset.Child(m, "output"))
		at := out.Schema.Child(m, "reset-at")
		v, rerr := data.ParseValue(at.Type, "2026-11-24T10:00:00Z", nil)
		if rerr != nil {
			return nil, rerr
		}
		out.Insert(data.NewLeaf(at, v))
		return out, nil
	})
	url := serveWS(t, srv)
	s, _ := dialNotes(t, url, "alice")
	ctx := context.Background()
	if err := s.EditConfig(ctx, client.Running, []byte(`<interfaces xmlns="urn:ncws:yang:ncws-example"><interface><name>eth0</name><type>ethernet</type></interface></interfaces>`), client.EditOptions{}); err != nil {
		t.Fatal(err)
	}
	r, err := s.Call(ctx, []byte(`<action `+actionNS+`><interfaces xmlns="urn:ncws:yang:ncws-example"><interface><name>eth0</name><reset><delay>5</delay></reset></interface></interfaces></action>`))
	if err != nil {
		t.Fatal(err)
	}
	if want := `<reset-at xmlns="urn:ncws:yang:ncws-example">2026-11-24T10:00:00Z</reset-at>`; string(r.Body) != want {
		t.Errorf("reply body %s, want %s", r.Body, want)
	}
	if diff := cmp.Diff([]seen{{"/ncws-example:interfaces/interface[name='eth0']", "interfaces", "5"}}, got); diff != "" {
		t.Errorf("handler saw mismatch (-want +got):\n%s", diff)
	}

	for _, tc := range []struct {
		name, action string
		want         []string
	}{
		{"missing instance", `<interfaces xmlns="urn:ncws:yang:ncws-example"><interface><name>eth9</name><reset/></interface></interfaces>`,
			[]string{"application/data-missing"}},
		{"unknown path element", `<interfaces xmlns="urn:ncws:yang:ncws-example"><ifc><name>eth0</name><reset/></ifc></interfaces>`,
			[]string{"protocol/unknown-element"}},
		{"unknown action", `<interfaces xmlns="urn:ncws:yang:ncws-example"><interface><name>eth0</name><restart/></interface></interfaces>`,
			[]string{"protocol/unknown-element"}},
		{"missing key", `<interfaces xmlns="urn:ncws:yang:ncws-example"><interface><reset/></interface></interfaces>`,
			[]string{"protocol/missing-element"}},
		{"no action", `<interfaces xmlns="urn:ncws:yang:ncws-example"><interface><name>eth0</name></interface></interfaces>`,
			[]string{"protocol/missing-element"}},
		{"two actions", `<interfaces xmlns="urn:ncws:yang:ncws-example"><interface><name>eth0</name><reset/><reset/></interface></interfaces>`,
			[]string{"protocol/bad-element"}},
		{"bad input", `<interfaces xmlns="urn:ncws:yang:ncws-example"><interface><name>eth0</name><reset><delay>soon</delay></reset></interface></interfaces>`,
			[]string{"protocol/invalid-value"}},
		{"notification is no action", `<interfaces xmlns="urn:ncws:yang:ncws-example"><interface><name>eth0</name><link-change/></interface></interfaces>`,
			[]string{"protocol/unknown-element"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.Call(ctx, []byte(`<action `+actionNS+`>`+tc.action+`</action>`))
			if err == nil {
				t.Fatal("no error")
			}
			if diff := cmp.Diff(tc.want, tagsOf(err)); diff != "" {
				t.Errorf("errors mismatch (-want +got):\n%s", diff)
			}
		})
	}

	// A server without a handler for the action.
	srv2 := exampleServer(t, false)
	s2, _ := dialNotes(t, serveWS(t, srv2), "alice")
	if err := s2.EditConfig(ctx, client.Running, []byte(`<interfaces xmlns="urn:ncws:yang:ncws-example"><interface><name>eth0</name><type>ethernet</type></interface></interfaces>`), client.EditOptions{}); err != nil {
		t.Fatal(err)
	}
	_, err = s2.Call(ctx, []byte(`<action `+actionNS+`><interfaces xmlns="urn:ncws:yang:ncws-example"><interface><name>eth0</name><reset/></interface></interfaces></action>`))
	if diff := cmp.Diff([]string{"protocol/operation-not-supported"}, tagsOf(err)); diff != "" {
		t.Errorf("errors mismatch (-want +got):\n%s", diff)
	}
}

// TestGetSchema: get-schema returns a module's YANG text; the monitoring schemas list says
// where to get it; the errors of RFC 6022 section 3.1.
func TestGetSchema(t *testing.T) {
	srv := exampleServer(t, false)
	sch := srv.Store.Schema()
	s, _ := dialNotes(t, serveWS(t, srv), "alice")
	ctx := context.Background()
	m := sch.Module("ncws-example")
	for _, version := range []string{"", m.Revision} {
		text, err := s.GetSchema(ctx, "ncws-example", version)
		if err != nil {
			t.Fatal(err)
		}
		if text != m.Source {
			t.Errorf("get-schema %q: text differs from the module source (%d vs %d bytes)", version, len(text), len(m.Source))
		}
	}
	for _, tc := range []struct {
		name string
		op   string
		want []string
	}{
		{"unknown module", string(client.GetSchemaOp("no-such-module", "")), []string{"application/invalid-value"}},
		{"unknown version", string(client.GetSchemaOp("ncws-example", "1999-01-01")), []string{"application/invalid-value"}},
		{"yin", `<get-schema xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring"><identifier>ncws-example</identifier><format>yin</format></get-schema>`,
			[]string{"application/invalid-value"}},
		{"no identifier", `<get-schema xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring"/>`, []string{"protocol/missing-element"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.Call(ctx, []byte(tc.op))
			if err == nil {
				t.Fatal("no error")
			}
			if diff := cmp.Diff(tc.want, tagsOf(err)); diff != "" {
				t.Errorf("errors mismatch (-want +got):\n%s", diff)
			}
		})
	}
	d, err := s.Get(ctx, client.Filter{Subtree: []byte(`<netconf-state xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring"><schemas><schema><identifier>ncws-example</identifier></schema></schemas></netconf-state>`)})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`>ncm:yang</format>`, "<location>NETCONF</location>"} {
		if !strings.Contains(string(d), want) {
			t.Errorf("schemas entry %s lacks %s", d, want)
		}
	}
}
