package netconf

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ncws/ncws/pkg/rpcerror"
)

func TestDecodeReply(t *testing.T) {
	for _, tc := range []struct {
		name string
		msg  string
		want *Reply
	}{{
		name: "ok",
		msg:  `<rpc-reply message-id="7" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><ok/></rpc-reply>`,
		want: &Reply{MessageID: "7", HasMessageID: true, OK: true,
			Body: []byte(`<ok xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"/>`)},
	}, {
		name: "data with its own namespace",
		msg:  `<rpc-reply message-id="1" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><data><top xmlns="urn:t"><name>a</name></top></data></rpc-reply>`,
		want: &Reply{MessageID: "1", HasMessageID: true,
			Data: []byte(`<top xmlns="urn:t"><name>a</name></top>`),
			Body: []byte(`<data xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><top xmlns="urn:t"><name>a</name></top></data>`)},
	}, {
		name: "empty data",
		msg:  `<rpc-reply message-id="1" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><data/></rpc-reply>`,
		want: &Reply{MessageID: "1", HasMessageID: true, Data: []byte{},
			Body: []byte(`<data xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"/>`)},
	}, {
		// Declarations of the envelope travel with the data that uses them.
		name: "prefixed envelope",
		msg:  `<nc:rpc-reply xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0" xmlns:t="urn:t" nc:message-id="2"><nc:data><t:top><t:name>a</t:name></t:top><plain/></nc:data></nc:rpc-reply>`,
		want: &Reply{MessageID: "2", HasMessageID: true,
			Data: []byte(`<t:top xmlns:t="urn:t" xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0" xmlns=""><t:name>a</t:name></t:top><plain xmlns:t="urn:t" xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0" xmlns=""/>`),
			Body: []byte(`<nc:data xmlns:t="urn:t" xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0" xmlns=""><t:top><t:name>a</t:name></t:top><plain/></nc:data>`)},
	}, {
		name: "errors and a warning",
		msg: `<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">
  <rpc-error>
    <error-type>protocol</error-type>
    <error-tag>lock-denied</error-tag>
    <error-severity>error</error-severity>
    <error-message xml:lang="de">gesperrt &amp; belegt</error-message>
    <error-info><session-id> 3 </session-id><x:detail xmlns:x="urn:x"><x:a>1</x:a></x:detail></error-info>
  </rpc-error>
  <rpc-error><error-type>application</error-type><error-tag>invalid-value</error-tag><error-severity>warning</error-severity><error-app-tag>app</error-app-tag><error-path xmlns:t="urn:t">/t:top/t:mtu</error-path></rpc-error>
</rpc-reply>`,
		want: &Reply{
			Body: []byte("\n  <rpc-error xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\">\n    <error-type>protocol</error-type>\n    <error-tag>lock-denied</error-tag>\n    <error-severity>error</error-severity>\n    <error-message xml:lang=\"de\">gesperrt &amp; belegt</error-message>\n    <error-info><session-id> 3 </session-id><x:detail xmlns:x=\"urn:x\"><x:a>1</x:a></x:detail></error-info>\n  </rpc-error>\n  <rpc-error xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\"><error-type>application</error-type><error-tag>invalid-value</error-tag><error-severity>warning</error-severity><error-app-tag>app</error-app-tag><error-path xmlns:t=\"urn:t\">/t:top/t:mtu</error-path></rpc-error>\n"),
			Errors: rpcerror.List{{
				Type: rpcerror.Protocol, Tag: rpcerror.TagLockDenied, Severity: rpcerror.SeverityError,
				Message: "gesperrt & belegt", Lang: "de",
				Info: []rpcerror.Info{{Name: "session-id", Value: "3"}, {Name: "detail", Namespace: "urn:x", Value: `<x:a>1</x:a>`}},
			}, {
				Type: rpcerror.Application, Tag: rpcerror.TagInvalidValue, Severity: rpcerror.SeverityWarning,
				AppTag: "app", Path: "/t:top/t:mtu",
			}},
		},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DecodeReply([]byte(tc.msg))
			if err != nil {
				t.Fatal(err)
			}
			tc.want.Msg = []byte(tc.msg)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReplyErr(t *testing.T) {
	warn := &rpcerror.Error{Type: rpcerror.Application, Tag: rpcerror.TagOperationFailed, Severity: rpcerror.SeverityWarning}
	fail := &rpcerror.Error{Type: rpcerror.Application, Tag: rpcerror.TagOperationFailed}
	if err := (&Reply{Errors: rpcerror.List{warn}}).Err(); err != nil {
		t.Errorf("warnings only: Err() = %v, want nil", err)
	}
	err := (&Reply{Errors: rpcerror.List{warn, fail}}).Err()
	var l rpcerror.List
	if !errors.As(err, &l) {
		t.Fatalf("Err() = %v, want an rpcerror.List", err)
	}
	if diff := cmp.Diff(rpcerror.List{fail}, l); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

func TestDecodeReplyRefuses(t *testing.T) {
	for _, msg := range []string{
		``, `<rpc message-id="1" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><get/></rpc>`,
		`<rpc-reply xmlns="urn:other"/>`, `<!DOCTYPE x><rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"/>`,
		`<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><rpc-error><error-tag>a</error-tag><error-tag>b</error-tag></rpc-error></rpc-reply>`,
		`<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><data><p:x/></data></rpc-reply>`,
	} {
		if _, err := DecodeReply([]byte(msg)); !errors.Is(err, ErrBadReply) {
			t.Errorf("DecodeReply(%q) = %v, want an error wrapping ErrBadReply", msg, err)
		}
	}
}

func TestDecodeNotification(t *testing.T) {
	at := time.Date(2026, 11, 24, 10, 0, 0, 5e8, time.FixedZone("", 3600))
	msg := AppendNotification(nil, at, []byte(`<changed xmlns="urn:t"><id>1</id></changed>`))
	got, err := DecodeNotification(msg)
	if err != nil {
		t.Fatal(err)
	}
	want := &Notification{EventTime: at, Body: []byte(`<changed xmlns="urn:t"><id>1</id></changed>`)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	for _, bad := range []string{
		`<notification xmlns="urn:ietf:params:xml:ns:netconf:notification:1.0"><changed/></notification>`,
		`<notification xmlns="urn:ietf:params:xml:ns:netconf:notification:1.0"><eventTime>yesterday</eventTime></notification>`,
		`<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"/>`,
	} {
		if _, err := DecodeNotification([]byte(bad)); !errors.Is(err, ErrBadNotification) {
			t.Errorf("DecodeNotification(%q) = %v, want an error wrapping ErrBadNotification", bad, err)
		}
	}
}

// FuzzDecodeReply checks that decoding never panics, that the rpc-errors decoded survive
// AppendRPCErrors unchanged, and that Data stands alone: wrapped again, it decodes to itself.
func FuzzDecodeReply(f *testing.F) {
	f.Add(AppendRPCErrors(nil, []Attr{{Name: "message-id", Value: "1"}}, rpcerror.List{
		rpcerror.LockDenied(4), rpcerror.InvalidValue("/a:b", "bad %s", "<x>"),
	}, nil))
	f.Add(AppendData(nil, nil, []byte(`<top xmlns="urn:t"><a>1</a></top><b xmlns="urn:u"/>`)))
	f.Add([]byte(`<nc:rpc-reply xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0" xmlns:t="urn:t"><nc:data><t:top/>x<y/></nc:data><nc:rpc-error><nc:error-info><a><b/></a></nc:error-info></nc:rpc-error></nc:rpc-reply>`))
	f.Fuzz(func(t *testing.T, msg []byte) {
		r, err := DecodeReply(msg)
		if err != nil {
			if !errors.Is(err, ErrBadReply) {
				t.Fatalf("error %v does not wrap ErrBadReply", err)
			}
			return
		}
		want := rpcerror.List{}
		for _, e := range r.Errors {
			n := *e
			n.Severity = n.SeverityOrDefault()
			if n.Message == "" {
				n.Lang = ""
			} else if n.Lang == "" {
				n.Lang = "en"
			}
			want = append(want, &n)
		}
		again, err := DecodeReply(AppendRPCErrors(nil, nil, r.Errors, nil))
		if err != nil {
			t.Fatalf("re-encoded errors: %v", err)
		}
		if diff := cmp.Diff(want, append(rpcerror.List{}, again.Errors...)); diff != "" {
			t.Fatalf("re-encoded errors mismatch (-want +got):\n%s", diff)
		}
		if r.Data != nil {
			back, err := DecodeReply(AppendData(nil, nil, r.Data))
			if err != nil {
				t.Fatalf("data %q does not stand alone: %v", r.Data, err)
			}
			if diff := cmp.Diff(r.Data, back.Data); diff != "" {
				t.Fatalf("data mismatch (-want +got):\n%s", diff)
			}
		}
	})
}
