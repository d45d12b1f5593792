package netconf

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/ncws/ncws/pkg/rpcerror"
)

func FuzzDecodeRPC(f *testing.F) {
	for _, s := range []string{
		`<rpc message-id="1" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><get/></rpc>`,
		`<nc:rpc xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="7" xmlns:ex="urn:ex" ex:a="1"><ex:op xmlns:ex="urn:x"><b/></ex:op></nc:rpc>`,
		`<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="3"><ok/></rpc-reply>`,
		`<notification xmlns="urn:ietf:params:xml:ns:netconf:notification:1.0"><eventTime>x</eventTime></notification>`,
		`<!DOCTYPE a><a/>`, `<rpc/><rpc/>`, " ",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, msg []byte) {
		m, rerr := DecodeRPC(msg)
		if rerr != nil && (rerr.Type != rpcerror.RPC || !rpcerror.Legal(rerr.Tag, rerr.Type)) {
			t.Fatalf("error %v with type %s tag %s", rerr, rerr.Type, rerr.Tag)
		}
		if m == nil {
			return
		}
		// The reply echoing the attributes is well-formed and carries them back.
		reply := AppendOK(nil, m.Attrs)
		back, err := DecodeRPC(reply)
		if err != nil || back.Kind != KindReply || back.MessageID != m.MessageID && m.Kind == KindRPC {
			t.Fatalf("reply %q: %v", reply, err)
		}
		if rerr == nil && m.Kind == KindRPC {
			op := m.Operation()
			if len(op) == 0 {
				t.Fatalf("no operation bytes")
			}
			// The operation document stands alone: wrapped in an rpc, it decodes to the same name.
			again, err := DecodeRPC(AppendRPC(nil, "1", op))
			if err != nil || again.OpName != m.OpName || again.OpNamespace != m.OpNamespace {
				t.Fatalf("operation %q re-decoded as {%s}%s, %v; want {%s}%s", op, again.OpNamespace, again.OpName, err, m.OpNamespace, m.OpName)
			}
		}
	})
}

func FuzzDecodeHello(f *testing.F) {
	f.Add((&Hello{Capabilities: []string{CapBase10, CapBase11}, SessionID: 5}).Encode())
	f.Add([]byte(`<nc:hello xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0"><nc:capabilities><nc:capability>a&amp;b</nc:capability></nc:capabilities></nc:hello>`))
	f.Add([]byte(`<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities/><session-id>0</session-id></hello>`))
	f.Fuzz(func(t *testing.T, msg []byte) {
		h, err := DecodeHello(msg)
		if err != nil {
			if !errors.Is(err, ErrBadHello) {
				t.Fatalf("error %v does not wrap ErrBadHello", err)
			}
			return
		}
		if len(h.Capabilities) == 0 {
			t.Fatalf("hello without capabilities accepted")
		}
		back, err := DecodeHello(h.Encode())
		if err != nil {
			t.Fatalf("re-decoding %q: %v", h.Encode(), err)
		}
		if !bytes.Equal(back.Encode(), h.Encode()) {
			t.Fatalf("round trip changed %q into %q", h.Encode(), back.Encode())
		}
	})
}

// fuzzFraming reads in with framing f, then writes the messages back and reads them again.
func fuzzFraming(t *testing.T, f Framing, in []byte) {
	const max = 1 << 16
	r := NewReader(bytes.NewReader(in), max)
	r.SetFraming(f)
	var msgs [][]byte
	for {
		m, err := r.ReadMessage()
		if err != nil {
			break
		}
		if len(m) > max {
			t.Fatalf("message of %d bytes over the maximum", len(m))
		}
		msgs = append(msgs, m)
	}
	var buf bytes.Buffer
	w := NewWriter(&buf)
	w.SetFraming(f)
	w.MaxChunk = 5
	var sent [][]byte
	for _, m := range msgs {
		if err := w.WriteMessage(m); err == nil {
			sent = append(sent, m)
		}
	}
	r = NewReader(&buf, max)
	r.SetFraming(f)
	for i, want := range sent {
		if f == EndOfMessage { // leading whitespace is dropped in end-of-message framing
			want = bytes.TrimLeft(want, " \t\r\n")
		}
		got, err := r.ReadMessage()
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("message %d: read back %q, %v; want %q", i, got, err, want)
		}
	}
	if _, err := r.ReadMessage(); err != io.EOF {
		t.Fatalf("after the messages: %v, want io.EOF", err)
	}
}

func FuzzEndOfMessageReader(f *testing.F) {
	f.Add([]byte("<a/>]]>]]>\n<b/>]]>]]>"))
	f.Add([]byte("]]>]]]>]]>]]>"))
	f.Fuzz(func(t *testing.T, in []byte) { fuzzFraming(t, EndOfMessage, in) })
}

func FuzzChunkedReader(f *testing.F) {
	f.Add([]byte("\n#4\n<a/>\n##\n\n#1\nx\n#2\nyz\n##\n"))
	f.Add([]byte("\n#0\n\n##\n"))
	f.Add([]byte("\n#4294967296\n"))
	f.Fuzz(func(t *testing.T, in []byte) { fuzzFraming(t, Chunked, in) })
}
