package netconf

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
)

const replyOpen = `<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="101" xmlns:ex="urn:ex" ex:user="a&amp;&quot;b">`

func TestAppendRPCErrorsGolden(t *testing.T) {
	m, rerr := DecodeRPC([]byte(`<nc:rpc xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="101" xmlns:ex="urn:ex" ex:user="a&amp;&quot;b"><get/></nc:rpc>`))
	if rerr != nil {
		t.Fatal(rerr)
	}
	s := &schema.Schema{Modules: []*schema.Module{{Name: "ietf-interfaces", Prefix: "if", Namespace: "urn:ietf:params:xml:ns:yang:ietf-interfaces", Implemented: true}}}
	s.Finalize()
	errs := rpcerror.List{
		rpcerror.MissingAttribute(rpcerror.RPC, "message-id", "rpc"),
		{Type: rpcerror.Application, Tag: rpcerror.TagOperationFailed, Severity: rpcerror.SeverityWarning,
			AppTag: rpcerror.AppTagDataNotUnique, Path: "/ietf-interfaces:interfaces/interface[name='a:b<']",
			Message: "x < y & z",
			Info: []rpcerror.Info{{Name: "non-unique", Namespace: YANGNamespace, Value: "/ietf-interfaces:interfaces/interface[name='a']/ietf-interfaces:mtu"},
				{Name: "session-id", Namespace: BaseNamespace, Value: "0"}}},
		{Type: rpcerror.Protocol, Tag: rpcerror.TagOperationNotSupported},
	}
	got := string(AppendRPCErrors(nil, m.Attrs, errs, s))
	want := `<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="101" xmlns:ex="urn:ex" ex:user="a&amp;&quot;b">` +
		`<rpc-error><error-type>rpc</error-type><error-tag>missing-attribute</error-tag><error-severity>error</error-severity>` +
		`<error-message xml:lang="en">missing attribute "message-id" on element "rpc"</error-message>` +
		`<error-info><bad-attribute>message-id</bad-attribute><bad-element>rpc</bad-element></error-info></rpc-error>` +
		`<rpc-error xmlns:if="urn:ietf:params:xml:ns:yang:ietf-interfaces"><error-type>application</error-type><error-tag>operation-failed</error-tag>` +
		`<error-severity>warning</error-severity><error-app-tag>data-not-unique</error-app-tag>` +
		`<error-path>/if:interfaces/if:interface[if:name='a:b&lt;']</error-path>` +
		`<error-message xml:lang="en">x &lt; y &amp; z</error-message>` +
		`<error-info><non-unique xmlns="urn:ietf:params:xml:ns:yang:1">/if:interfaces/if:interface[if:name='a']/if:mtu</non-unique>` +
		`<session-id>0</session-id></error-info></rpc-error>` +
		`<rpc-error><error-type>protocol</error-type><error-tag>operation-not-supported</error-tag><error-severity>error</error-severity></rpc-error>` +
		`</rpc-reply>`
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("AppendRPCErrors mismatch (-want +got):\n%s", diff)
	}
	// The rendering is itself a well-formed reply carrying the rpc's message-id.
	back, rerr := DecodeRPC([]byte(got))
	if rerr != nil || back.Kind != KindReply || back.MessageID != "101" {
		t.Errorf("DecodeRPC(reply) = %+v, %v; want a reply with message-id 101", back, rerr)
	}
}

func TestAppendReplies(t *testing.T) {
	attrs := []Attr{{Name: "message-id", Value: "101"}, {Prefix: "xmlns", Name: "ex", Value: "urn:ex"}, {Prefix: "ex", Name: "user", Namespace: "urn:ex", Value: `a&"b`}}
	tests := []struct {
		name string
		got  []byte
		want string
	}{
		{"ok", AppendOK(nil, attrs), replyOpen + `<ok/></rpc-reply>`},
		{"data", AppendData(nil, attrs, []byte(`<a xmlns="urn:a">1</a>`)), replyOpen + `<data><a xmlns="urn:a">1</a></data></rpc-reply>`},
		{"empty data", AppendData(nil, attrs, nil), replyOpen + `<data></data></rpc-reply>`},
		{"no attributes", AppendReply([]byte("x"), nil, []byte("<ok/>")), `x<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><ok/></rpc-reply>`},
		{"rpc", AppendRPC(nil, "a<b", []byte("<get/>")), `<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="a&lt;b"><get/></rpc>`},
		{"notification", AppendNotification(nil, time.Date(2024, 5, 6, 7, 8, 9, 500_000_000, time.FixedZone("", 2*3600)), []byte(`<e xmlns="urn:e"/>`)),
			`<notification xmlns="urn:ietf:params:xml:ns:netconf:notification:1.0"><eventTime>2024-05-06T07:08:09.5+02:00</eventTime><e xmlns="urn:e"/></notification>`},
		{"notification UTC", AppendNotification(nil, time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC), nil),
			`<notification xmlns="urn:ietf:params:xml:ns:netconf:notification:1.0"><eventTime>2024-05-06T07:08:09Z</eventTime></notification>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, string(tt.got)); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReplyRoundTrip(t *testing.T) {
	// The attributes of an rpc come back unchanged on the reply built from them.
	in := `<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="m 1" xmlns:ex="urn:ex" ex:user="fred"><get/></rpc>`
	m, rerr := DecodeRPC([]byte(in))
	if rerr != nil {
		t.Fatal(rerr)
	}
	r, rerr := DecodeRPC(AppendOK(nil, m.Attrs))
	if rerr != nil {
		t.Fatal(rerr)
	}
	if diff := cmp.Diff(m.Attrs, r.Attrs); diff != "" {
		t.Errorf("echoed attributes mismatch (-want +got):\n%s", diff)
	}
	if r.MessageID != "m 1" || string(r.Body) != "<ok/>" {
		t.Errorf("reply message-id %q body %q, want \"m 1\" and <ok/>", r.MessageID, r.Body)
	}
}

func TestPathPrefixes(t *testing.T) {
	got := pathPrefixes(`/a:x/b-c.d:y[a:k="q:r"][z='e:f']/text()::node/e:g`)
	want := []string{"a", "b-c.d", "a", "e"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("pathPrefixes mismatch (-want +got):\n%s", diff)
	}
}
