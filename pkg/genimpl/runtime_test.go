package genimpl_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ncws/ncws/pkg/client"
	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/genimpl"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/schema/yangload"
	"github.com/ncws/ncws/pkg/server"
	"github.com/ncws/ncws/pkg/transport/websocket"
	"github.com/ncws/ncws/yang"
)

// serveExample serves the example model with the notification modules over WebSocket and returns
// the server, a client session whose notifications go to notes, and the schema.
func serveExample(t *testing.T) (*genimpl.Server, *genimpl.Session, chan []byte, *schema.Schema) {
	srv, s, notes, sch, _ := serveExampleKeys(t)
	return srv, s, notes, sch
}

// serveExampleKeys is serveExample, also returning the TargetKeys texts the reset action's handler saw.
func serveExampleKeys(t *testing.T) (*genimpl.Server, *genimpl.Session, chan []byte, *schema.Schema, *[]string) {
	t.Helper()
	sch, err := yang.Load(yangload.Options{Files: []string{yang.Example,
		"notifications@2008-07-14.yang", "nc-notifications@2008-07-14.yang"}})
	if err != nil {
		t.Fatal(err)
	}
	st, err := datastore.Open(datastore.Options{Schema: sch})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	srv := &server.Server{Store: st}
	l := websocket.NewListener(websocket.Options{Authenticate: func(r *http.Request) (string, error) { return "alice", nil }})
	ts := httptest.NewServer(l)
	done := make(chan error, 1)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
		<-done
		ts.Close()
	})
	notes := make(chan []byte, 10)
	start := func() *genimpl.Session {
		go func() { done <- srv.Serve(l) }()
		s, err := client.Dial(context.Background(), "ws"+strings.TrimPrefix(ts.URL, "http"), &client.Options{
			OnNotification: func(_ time.Time, body []byte) { notes <- body }})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	var seen []string
	m := sch.Module("ncws-example")
	reboot := sch.RPC(m, "reboot")
	reset := sch.Top(m, "interfaces").Child(m, "interface").Operation(m, "reset")
	srv.Handle(reboot, func(ctx context.Context, req *genimpl.Request) (*data.Node, error) {
		if genimpl.TargetKeys(req) != nil {
			t.Errorf("TargetKeys of an rpc = %v, want nil", genimpl.TargetKeys(req))
		}
		if msg := req.Input.ChildByName("message"); msg != nil && msg.Value.Str == "refuse" {
			return nil, genimpl.Unimplemented(req.RPC)
		}
		return outLeaf(t, genimpl.Output(reboot), "reboot-at", "2026-11-24T12:00:00Z"), nil
	})
	srv.Handle(reset, func(ctx context.Context, req *genimpl.Request) (*data.Node, error) {
		for _, k := range genimpl.TargetKeys(req) {
			seen = append(seen, k.Str)
		}
		return outLeaf(t, genimpl.Output(reset), "reset-at", "2026-11-24T13:00:00Z"), nil
	})
	return srv, start(), notes, sch, &seen
}

// outLeaf returns an output node holding leaf name = value.
func outLeaf(t *testing.T, out *schema.Node, name, value string) *data.Node {
	n := data.New(out)
	sn := out.Child(out.Module, name)
	v, rerr := data.ParseValue(sn.Type, value, nil)
	if rerr != nil {
		t.Error(rerr)
	}
	n.Insert(data.NewLeaf(sn, v))
	return n
}

func xmlOf(t *testing.T, n *data.Node) string {
	t.Helper()
	if n == nil {
		return "<nil>"
	}
	b, err := yangxml.Marshal(n, yangxml.EncodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestCall: Call sends an rpc and an action (path built from the keys) and decodes their
// output; rpc-errors come back as an rpcerror.List.
func TestCall(t *testing.T) {
	_, s, _, sch, seen := serveExampleKeys(t)
	ctx := context.Background()
	m := sch.Module("ncws-example")
	reboot := sch.RPC(m, "reboot")
	reset := sch.Top(m, "interfaces").Child(m, "interface").Operation(m, "reset")
	if err := s.EditConfig(ctx, client.Running, []byte(`<interfaces xmlns="urn:ncws:yang:ncws-example"><interface><name>eth0</name><type>ethernet</type></interface></interfaces>`), client.EditOptions{}); err != nil {
		t.Fatal(err)
	}

	out, err := genimpl.Call(ctx, s, reboot, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(`<reboot xmlns="urn:ncws:yang:ncws-example"><reboot-at>2026-11-24T12:00:00Z</reboot-at></reboot>`, xmlOf(t, out)); diff != "" {
		t.Errorf("reboot output mismatch (-want +got):\n%s", diff)
	}
	if out.Schema != genimpl.Output(reboot) {
		t.Errorf("output node of %v, want the output schema node", out.Schema.Path())
	}

	out, err = genimpl.Call(ctx, s, reset, []string{"eth0"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(`<reset xmlns="urn:ncws:yang:ncws-example"><reset-at>2026-11-24T13:00:00Z</reset-at></reset>`, xmlOf(t, out)); diff != "" {
		t.Errorf("reset output mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"eth0"}, *seen); diff != "" {
		t.Errorf("TargetKeys mismatch (-want +got):\n%s", diff)
	}

	in := data.New(genimpl.Input(reboot))
	msg := in.Schema.Child(m, "message")
	v, _ := data.ParseValue(msg.Type, "refuse", nil)
	in.Insert(data.NewLeaf(msg, v))
	for _, tc := range []struct {
		name string
		op   *schema.Node
		keys []string
		in   *data.Node
		want []string
	}{
		{"handler error", reboot, nil, in, []string{"protocol/operation-not-supported"}},
		{"missing target", reset, []string{"eth7"}, nil, []string{"application/data-missing"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := genimpl.Call(ctx, s, tc.op, tc.keys, tc.in)
			var l rpcerror.List
			if !errors.As(err, &l) {
				t.Fatalf("error %v, want an rpcerror.List", err)
			}
			var got []string
			for _, e := range l {
				got = append(got, string(e.Type)+"/"+string(e.Tag))
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("errors mismatch (-want +got):\n%s", diff)
			}
		})
	}
	if _, err := genimpl.Call(ctx, s, reset, nil, nil); err == nil {
		t.Errorf("Call of an action without its keys succeeded")
	}
}

// TestNotifyDecode: Notify sends top-level and nested notifications that DecodeNotification
// turns back into the notification node, its keys and its content.
func TestNotifyDecode(t *testing.T) {
	srv, s, notes, sch := serveExample(t)
	ctx := context.Background()
	if err := s.CreateSubscription(ctx, client.SubscribeOptions{}); err != nil {
		t.Fatal(err)
	}
	m := sch.Module("ncws-example")
	var saved *schema.Node
	for _, n := range m.Notifications {
		if n.Name == "config-saved" {
			saved = n
		}
	}
	link := sch.Top(m, "interfaces").Child(m, "interface").Operation(m, "link-change")
	ev := data.New(link)
	st := link.Child(m, "oper-status")
	v, rerr := data.ParseValue(st.Type, "up", nil)
	if rerr != nil {
		t.Fatal(rerr)
	}
	ev.Insert(data.NewLeaf(st, v))

	for _, tc := range []struct {
		name     string
		op       *schema.Node
		keys     []string
		ev       *data.Node
		wantKeys []string
		wantXML  string
	}{
		{"top-level, no content", saved, nil, nil, nil, `<config-saved xmlns="urn:ncws:yang:ncws-example"/>`},
		{"nested", link, []string{"eth1"}, ev, []string{"eth1"},
			`<link-change xmlns="urn:ncws:yang:ncws-example"><oper-status>up</oper-status></link-change>`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := genimpl.Notify(ctx, srv, tc.op, tc.keys, tc.ev); err != nil {
				t.Fatal(err)
			}
			var body []byte
			select {
			case body = <-notes:
			case <-time.After(10 * time.Second):
				t.Fatal("no notification")
			}
			op, keys, got, err := genimpl.DecodeNotification(sch, body)
			if err != nil {
				t.Fatal(err)
			}
			if op != tc.op {
				t.Errorf("op %s, want %s", op.Path(), tc.op.Path())
			}
			var ks []string
			for _, k := range keys {
				ks = append(ks, k.Str)
			}
			if diff := cmp.Diff(tc.wantKeys, ks); diff != "" {
				t.Errorf("keys mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantXML, xmlOf(t, got)); diff != "" {
				t.Errorf("content mismatch (-want +got):\n%s", diff)
			}
		})
	}

	// Errors: wrong key count, a content node of another schema node, a foreign notification.
	if err := genimpl.Notify(ctx, srv, link, nil, ev); err == nil {
		t.Errorf("Notify without the keys succeeded")
	}
	if err := genimpl.Notify(ctx, srv, saved, nil, ev); err == nil {
		t.Errorf("Notify with another notification's content succeeded")
	}
	if _, _, _, err := genimpl.DecodeNotification(sch, []byte(`<other xmlns="urn:other"/>`)); !errors.Is(err, genimpl.ErrUnknownNotification) {
		t.Errorf("DecodeNotification of a foreign notification: %v, want ErrUnknownNotification", err)
	}
}

func TestUnimplemented(t *testing.T) {
	sch, err := yang.Load(yangload.Options{Files: []string{yang.Example}})
	if err != nil {
		t.Fatal(err)
	}
	reboot := sch.RPC(sch.Module("ncws-example"), "reboot")
	var e *rpcerror.Error
	if !errors.As(genimpl.Unimplemented(reboot), &e) {
		t.Fatal("not an rpc-error")
	}
	got := []string{string(e.Type), string(e.Tag), e.Message}
	want := []string{"protocol", "operation-not-supported", "rpc /ncws-example:reboot is not implemented by this server"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}
