package netconf

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/ncws/ncws/pkg/rpcerror"
)

func TestDecodeRPC(t *testing.T) {
	type result struct {
		Kind        Kind
		MessageID   string
		HasID       bool
		Attrs       []Attr
		Body        string
		OpNamespace string
		OpName      string
		Op          string // Operation()
	}
	tests := []struct {
		name    string
		in      string
		want    *result // nil: no RPC returned
		wantErr *rpcerror.Error
	}{
		{name: "plain", in: `<rpc message-id="101" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><get-config><source><running/></source></get-config></rpc>`,
			want: &result{Kind: KindRPC, MessageID: "101", HasID: true,
				Attrs: []Attr{{Name: "message-id", Value: "101"}, {Name: "xmlns", Value: BaseNamespace}},
				Body:  `<get-config><source><running/></source></get-config>`, OpNamespace: BaseNamespace, OpName: "get-config",
				Op: `<get-config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><source><running/></source></get-config>`}},
		{name: "prefixed with extra attributes", in: `<?xml version="1.0"?>
<nc:rpc xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0" nc:message-id="7" xmlns:ex="urn:ex" ex:user="fred &amp; co">
  <ex:reboot xmlns:ex="urn:ex2" delay="5"/>
</nc:rpc>`,
			want: &result{Kind: KindRPC, MessageID: "7", HasID: true,
				Attrs: []Attr{{Prefix: "xmlns", Name: "nc", Value: BaseNamespace}, {Prefix: "nc", Name: "message-id", Namespace: BaseNamespace, Value: "7"},
					{Prefix: "xmlns", Name: "ex", Value: "urn:ex"}, {Prefix: "ex", Name: "user", Namespace: "urn:ex", Value: "fred & co"}},
				Body:        "\n  <ex:reboot xmlns:ex=\"urn:ex2\" delay=\"5\"/>\n",
				OpNamespace: "urn:ex2", OpName: "reboot",
				Op: `<ex:reboot xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0" xmlns:ex="urn:ex2" delay="5"/>`}},
		{name: "reply", in: `<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="3"><ok/></rpc-reply>`,
			want: &result{Kind: KindReply, MessageID: "3", HasID: true,
				Attrs: []Attr{{Name: "xmlns", Value: BaseNamespace}, {Name: "message-id", Value: "3"}}, Body: "<ok/>"}},
		{name: "hello", in: `<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"/>`,
			want: &result{Kind: KindHello, Attrs: []Attr{{Name: "xmlns", Value: BaseNamespace}}}},
		{name: "notification", in: `<notification xmlns="urn:ietf:params:xml:ns:netconf:notification:1.0"><eventTime>2024-01-01T00:00:00Z</eventTime><e xmlns="urn:e"/></notification>`,
			want: &result{Kind: KindNotification, Attrs: []Attr{{Name: "xmlns", Value: NotificationNamespace}},
				Body: `<eventTime>2024-01-01T00:00:00Z</eventTime><e xmlns="urn:e"/>`}},
		{name: "missing message-id", in: `<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><get/></rpc>`,
			want: &result{Kind: KindRPC, Attrs: []Attr{{Name: "xmlns", Value: BaseNamespace}}, Body: "<get/>", OpNamespace: BaseNamespace, OpName: "get",
				Op: `<get xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"/>`},
			wantErr: rpcerror.MissingAttribute(rpcerror.RPC, "message-id", "rpc")},
		{name: "no operation", in: `<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1"> </rpc>`,
			want:    &result{Kind: KindRPC, MessageID: "1", HasID: true, Attrs: []Attr{{Name: "xmlns", Value: BaseNamespace}, {Name: "message-id", Value: "1"}}, Body: " "},
			wantErr: rpcerror.MalformedMessage("<rpc> has no operation element")},
		{name: "two operations", in: `<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1"><get/>
<lock/></rpc>`,
			want: &result{Kind: KindRPC, MessageID: "1", HasID: true, Attrs: []Attr{{Name: "xmlns", Value: BaseNamespace}, {Name: "message-id", Value: "1"}},
				Body: "<get/>\n<lock/>", OpNamespace: BaseNamespace, OpName: "get", Op: `<get xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"/>`},
			wantErr: &rpcerror.Error{Type: rpcerror.RPC, Tag: rpcerror.TagMalformedMessage, Message: "more than one operation in <rpc>: <lock> after <get>", Line: 2}},
		{name: "text in rpc", in: `<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1">x<get/></rpc>`,
			want: &result{Kind: KindRPC, MessageID: "1", HasID: true, Attrs: []Attr{{Name: "xmlns", Value: BaseNamespace}, {Name: "message-id", Value: "1"}},
				Body: "x<get/>", OpNamespace: BaseNamespace, OpName: "get", Op: `<get xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"/>`},
			wantErr: &rpcerror.Error{Type: rpcerror.RPC, Tag: rpcerror.TagMalformedMessage, Message: `text "x" inside <rpc>`, Line: 1}},
		{name: "bare operation as root", in: `<close-session xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"/>`,
			wantErr: &rpcerror.Error{Type: rpcerror.RPC, Tag: rpcerror.TagMalformedMessage, Line: 1,
				Message: `root element <close-session> in namespace "urn:ietf:params:xml:ns:netconf:base:1.0" is not a NETCONF message`}},
		{name: "rpc in no namespace", in: `<rpc message-id="1"><get/></rpc>`,
			wantErr: &rpcerror.Error{Type: rpcerror.RPC, Tag: rpcerror.TagMalformedMessage, Line: 1,
				Message: `root element <rpc> in namespace "" is not a NETCONF message`}},
		{name: "malformed keeps message-id", in: `<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="9"><get></rpc>`,
			want:    &result{Kind: KindRPC, MessageID: "9", HasID: true, Attrs: []Attr{{Name: "xmlns", Value: BaseNamespace}, {Name: "message-id", Value: "9"}}, OpNamespace: BaseNamespace, OpName: "get"},
			wantErr: &rpcerror.Error{Type: rpcerror.RPC, Tag: rpcerror.TagMalformedMessage, Line: 1, Message: "malformed XML: end tag </rpc> does not match <get>"}},
		{name: "doctype", in: `<!DOCTYPE rpc [<!ENTITY x "y">]><rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1"><get/></rpc>`,
			wantErr: &rpcerror.Error{Type: rpcerror.RPC, Tag: rpcerror.TagMalformedMessage, Line: 1, Message: "malformed XML: DOCTYPE is not allowed"}},
		{name: "two documents", in: `<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1"><get/></rpc><rpc/>`,
			want: &result{Kind: KindRPC, MessageID: "1", HasID: true, Attrs: []Attr{{Name: "xmlns", Value: BaseNamespace}, {Name: "message-id", Value: "1"}},
				Body: "<get/>", OpNamespace: BaseNamespace, OpName: "get", Op: `<get xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"/>`},
			wantErr: &rpcerror.Error{Type: rpcerror.RPC, Tag: rpcerror.TagMalformedMessage, Line: 1, Message: "more than one root element: <rpc> after <rpc>"}},
		{name: "whitespace only", in: " \n",
			wantErr: &rpcerror.Error{Type: rpcerror.RPC, Tag: rpcerror.TagMalformedMessage, Line: 2, Message: "malformed XML: no root element"}},
		{name: "framing in message", in: "<rpc xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\" message-id=\"1\"><get/></rpc>]]>]]>",
			want: &result{Kind: KindRPC, MessageID: "1", HasID: true, Attrs: []Attr{{Name: "xmlns", Value: BaseNamespace}, {Name: "message-id", Value: "1"}},
				Body: "<get/>", OpNamespace: BaseNamespace, OpName: "get", Op: `<get xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"/>`},
			wantErr: &rpcerror.Error{Type: rpcerror.RPC, Tag: rpcerror.TagMalformedMessage, Line: 1, Message: `malformed XML: "]]>" in character data`}},
		{name: "unbound operation prefix", in: `<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1"><x:get/></rpc>`,
			want:    &result{Kind: KindRPC, MessageID: "1", HasID: true, Attrs: []Attr{{Name: "xmlns", Value: BaseNamespace}, {Name: "message-id", Value: "1"}}},
			wantErr: &rpcerror.Error{Type: rpcerror.RPC, Tag: rpcerror.TagMalformedMessage, Line: 1, Message: `malformed XML: unbound namespace prefix "x" in <x:get>`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := DecodeRPC([]byte(tt.in))
			if diff := cmp.Diff(tt.wantErr, err); diff != "" {
				t.Errorf("error mismatch (-want +got):\n%s", diff)
			}
			var got *result
			if m != nil {
				got = &result{Kind: m.Kind, MessageID: m.MessageID, HasID: m.HasMessageID, Attrs: m.Attrs, Body: string(m.Body),
					OpNamespace: m.OpNamespace, OpName: m.OpName, Op: string(m.Operation())}
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("DecodeRPC mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestKindString(t *testing.T) {
	for k, want := range map[Kind]string{KindRPC: "rpc", KindReply: "rpc-reply", KindHello: "hello", KindNotification: "notification", 0: "unknown"} {
		if got := k.String(); got != want {
			t.Errorf("Kind(%d).String() = %q, want %q", k, got, want)
		}
	}
}
