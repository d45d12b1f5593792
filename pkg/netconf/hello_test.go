package netconf

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestHelloEncodeGolden(t *testing.T) {
	tests := []struct {
		name  string
		hello Hello
		want  string
	}{
		{"server", Hello{Capabilities: []string{CapBase10, CapBase11, "urn:ex?module=ex&revision=2024-01-01"}, SessionID: 4},
			`<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities>` +
				`<capability>urn:ietf:params:netconf:base:1.0</capability>` +
				`<capability>urn:ietf:params:netconf:base:1.1</capability>` +
				`<capability>urn:ex?module=ex&amp;revision=2024-01-01</capability>` +
				`</capabilities><session-id>4</session-id></hello>`},
		{"client", Hello{Capabilities: []string{CapBase11}},
			`<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities>` +
				`<capability>urn:ietf:params:netconf:base:1.1</capability></capabilities></hello>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(tt.hello.Encode())
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Encode mismatch (-want +got):\n%s", diff)
			}
			back, err := DecodeHello([]byte(got))
			if err != nil {
				t.Fatalf("DecodeHello(Encode()): %v", err)
			}
			if diff := cmp.Diff(&tt.hello, back); diff != "" {
				t.Errorf("round trip mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeHello(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    *Hello
		wantErr string // substring of the error
	}{
		{name: "prefixed", in: `<?xml version="1.0" encoding="UTF-8"?>
<nc:hello xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0">
  <nc:capabilities>
    <nc:capability>
      urn:ietf:params:netconf:base:1.1
    </nc:capability>
    <nc:capability>urn:ex?module=a&amp;revision=1</nc:capability>
  </nc:capabilities>
  <nc:session-id>4294967295</nc:session-id>
</nc:hello>`, want: &Hello{Capabilities: []string{CapBase11, "urn:ex?module=a&revision=1"}, SessionID: 4294967295}},
		{name: "comment and CDATA", in: `<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><!-- c --><capabilities><capability><![CDATA[urn:x]]></capability></capabilities></hello>`,
			want: &Hello{Capabilities: []string{"urn:x"}}},
		{name: "no capabilities element", in: `<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"/>`,
			wantErr: "line 1: no <capabilities> element"},
		{name: "empty capabilities", in: `<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities/></hello>`,
			wantErr: "no capability in <capabilities>"},
		{name: "empty capability", in: `<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability> </capability></capabilities></hello>`,
			wantErr: "empty <capability>"},
		{name: "unknown element", in: `<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:x</capability></capabilities>
<foo/></hello>`, wantErr: "line 2: unknown element <foo> in <hello>"},
		{name: "unknown in capabilities", in: `<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><cap>urn:x</cap></capabilities></hello>`,
			wantErr: "unknown element <cap> in <capabilities>"},
		{name: "nested in capability", in: `<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability><b/></capability></capabilities></hello>`,
			wantErr: "element <b> inside <capability>"},
		{name: "wrong namespace", in: `<hello xmlns="urn:other"><capabilities><capability>urn:x</capability></capabilities></hello>`,
			wantErr: `element <hello> in namespace "urn:other", not urn:ietf:params:xml:ns:netconf:base:1.0`},
		{name: "wrong root", in: `<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"/>`,
			wantErr: "root element <rpc>, not <hello>"},
		{name: "session-id zero", in: `<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:x</capability></capabilities><session-id>0</session-id></hello>`,
			wantErr: `session-id "0" is not a number in 1..4294967295`},
		{name: "session-id too big", in: `<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:x</capability></capabilities><session-id>4294967296</session-id></hello>`,
			wantErr: `session-id "4294967296" is not`},
		{name: "session-id signed", in: `<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:x</capability></capabilities><session-id>+1</session-id></hello>`,
			wantErr: `session-id "+1" is not`},
		{name: "two session-ids", in: `<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:x</capability></capabilities><session-id>1</session-id><session-id>2</session-id></hello>`,
			wantErr: "more than one <session-id> element"},
		{name: "text in hello", in: `<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">x<capabilities><capability>urn:x</capability></capabilities></hello>`,
			wantErr: `text "x" inside <hello>`},
		{name: "doctype", in: `<!DOCTYPE hello><hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"/>`,
			wantErr: "malformed XML: DOCTYPE is not allowed"},
		{name: "unbound prefix", in: `<nc:hello><nc:capabilities/></nc:hello>`,
			wantErr: `malformed XML: unbound namespace prefix "nc" in <nc:hello>`},
		{name: "two roots", in: `<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:x</capability></capabilities></hello><hello/>`,
			wantErr: "element <hello> after the <hello> element"},
		{name: "empty", in: "  ", wantErr: "malformed XML: no root element"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeHello([]byte(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !errors.Is(err, ErrBadHello) {
					t.Fatalf("DecodeHello error = %v, want one wrapping ErrBadHello containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("DecodeHello: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("DecodeHello mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
