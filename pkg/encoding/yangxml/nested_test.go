package yangxml

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/schema"
)

const opsYang = `module ops {
  yang-version 1.1;
  namespace "urn:ops";
  prefix o;
  container sys {
    list port {
      key "slot num";
      leaf slot { type string; }
      leaf num { type uint8; }
      leaf mtu { type uint16; }
      action reset {
        input { leaf delay { type uint32; } }
        output { leaf at { type string; } leaf-list log { type string; } }
      }
      notification flap { leaf up { type boolean; } }
    }
    container state {
      config false;
      action clear;
    }
  }
  rpc ping {
    input { leaf host { type string; } }
    output { leaf rtt { type uint32; } }
  }
  notification saved { leaf by { type string; } }
}
`

func opsSchema(tb testing.TB) *schema.Schema {
	return loadYANG(tb, map[string]string{"ops": opsYang})
}

// TestUnmarshalNested: the path down to one action or notification is decoded as data, the
// operation node holds its content and hangs below its parent instance; the errors of a
// document that does not hold exactly one operation.
func TestUnmarshalNested(t *testing.T) {
	s := opsSchema(t)
	for _, tc := range []struct {
		name, doc string
		// op is the operation node's schema path and its content encoded; target the path of
		// its parent instance.
		op, content, target string
		errs                []string
	}{
		{name: "action in action wrapper",
			doc: `<action xmlns="urn:ietf:params:xml:ns:yang:1"><sys xmlns="urn:ops"><port><slot>a</slot><num>1</num><reset><delay>3</delay></reset></port></sys></action>`,
			op:  "/ops:sys/port/reset/input", content: `<reset xmlns="urn:ops"><delay>3</delay></reset>`,
			target: "/ops:sys/port[slot='a'][num='1']"},
		{name: "bare nested notification",
			doc: `<sys xmlns="urn:ops"><port><slot>a</slot><num>2</num><flap><up>true</up></flap></port></sys>`,
			op:  "/ops:sys/port/flap", content: `<flap xmlns="urn:ops"><up>true</up></flap>`,
			target: "/ops:sys/port[slot='a'][num='2']"},
		{name: "top-level notification",
			doc: `<saved xmlns="urn:ops"><by>me</by></saved>`,
			op:  "/ops:saved", content: `<saved xmlns="urn:ops"><by>me</by></saved>`},
		{name: "action without input in a container",
			doc: `<sys xmlns="urn:ops"><state><clear/></state></sys>`,
			op:  "/ops:sys/state/clear/input", content: `<clear xmlns="urn:ops"/>`, target: "/ops:sys/state"},
		{name: "no operation",
			doc: `<sys xmlns="urn:ops"><port><slot>a</slot><num>2</num></port></sys>`},
		{name: "two operations",
			doc: `<sys xmlns="urn:ops"><port><slot>a</slot><num>2</num><reset/><flap/></port></sys>`,
			op:  "/ops:sys/port/reset/input", content: `<reset xmlns="urn:ops"/>`, target: "/ops:sys/port[slot='a'][num='2']",
			errs: []string{`1 bad-element /ops:sys/port[slot='a'][num='2']: a second notification "flap": the message must hold exactly one`}},
		{name: "two top-level elements",
			doc: `<saved xmlns="urn:ops"/><sys xmlns="urn:ops"/>`,
			op:  "/ops:saved", content: `<saved xmlns="urn:ops"/>`,
			errs: []string{`1 bad-element : element "sys": only one top-level element may hold the operation`}},
		{name: "missing key",
			doc: `<sys xmlns="urn:ops"><port><slot>a</slot><reset/></port></sys>`,
			op:  "/ops:sys/port/reset/input", content: `<reset xmlns="urn:ops"/>`, target: "/ops:sys/port[slot='a']",
			errs: []string{`1 missing-element /ops:sys/port[slot='a']: list entry "port" has no key "num"`}},
		{name: "unknown element on the path",
			doc:  `<sys xmlns="urn:ops"><prt><reset/></prt></sys>`,
			errs: []string{`1 unknown-element /ops:sys: unknown element "prt" in container "sys"`}},
		{name: "rpc is not nested",
			doc:  `<ping xmlns="urn:ops"/>`,
			errs: []string{`1 unknown-element /: unknown element "ping"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, op, errs := UnmarshalNested([]byte(tc.doc), s, DecodeOptions{})
			if diff := cmp.Diff(tc.errs, errStrings(errs)); diff != "" {
				t.Errorf("errors mismatch (-want +got):\n%s", diff)
			}
			var gotOp, content, target string
			if op != nil {
				gotOp = op.Schema.Path()
				b, err := Marshal(op, EncodeOptions{})
				if err != nil {
					t.Fatal(err)
				}
				content = string(b)
				if op.Parent != nil {
					target = op.Parent.Path()
					for _, c := range op.Parent.Children() {
						if c == op {
							t.Errorf("the operation node is among its parent's children")
						}
					}
				}
			}
			got := []string{gotOp, content, target}
			if diff := cmp.Diff([]string{tc.op, tc.content, tc.target}, got); diff != "" {
				t.Errorf("operation mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestOperationEncodeDecode: an input node encodes as its operation's element, also below
// its parent instance (an action's path); an rpc-reply's content decodes against the output
// node, without a schema too.
func TestOperationEncodeDecode(t *testing.T) {
	s := opsSchema(t)
	m := s.Module("ops")
	port := s.Top(m, "sys").Child(m, "port")
	reset := port.Operation(m, "reset")
	in := data.New(reset.Child(m, "input"))
	delay := in.Schema.Child(m, "delay")
	v, _ := data.ParseValue(delay.Type, "7", nil)
	in.Insert(data.NewLeaf(delay, v))
	top := data.New(s.Top(m, "sys"))
	e := data.New(port)
	for i, k := range port.Keys() {
		kv, _ := data.ParseValue(k.Type, []string{"a", "1"}[i], nil)
		e.Insert(data.NewLeaf(k, kv))
	}
	top.Insert(e)
	e.Insert(in)
	b, err := Marshal(top, EncodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(`<sys xmlns="urn:ops"><port><slot>a</slot><num>1</num><reset><delay>7</delay></reset></port></sys>`, string(b)); diff != "" {
		t.Errorf("action encoding mismatch (-want +got):\n%s", diff)
	}

	out := reset.Child(m, "output")
	for _, sch := range []*schema.Schema{s, nil} {
		o, errs := Unmarshal([]byte(`<at xmlns="urn:ops">now</at><log xmlns="urn:ops">1</log><log xmlns="urn:ops">2</log>`), sch, DecodeOptions{Operation: out})
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		if o.Schema != out {
			t.Errorf("root of %v, want the output node", o.Schema)
		}
		b, err := Marshal(o, EncodeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(`<reset xmlns="urn:ops"><at>now</at><log>1</log><log>2</log></reset>`, string(b)); diff != "" {
			t.Errorf("output mismatch (-want +got):\n%s", diff)
		}
		_, errs = Unmarshal([]byte(`<rtt xmlns="urn:ops">1</rtt>`), sch, DecodeOptions{Operation: out})
		if diff := cmp.Diff([]string{`1 unknown-element /ops:reset: unknown element "rtt" in output "output"`}, errStrings(errs)); diff != "" {
			t.Errorf("errors mismatch (-want +got):\n%s", diff)
		}
	}
}

// FuzzUnmarshalNested decodes arbitrary documents in the nested-operation mode: no panic, a
// syntax error comes alone with nothing decoded, an operation found hangs below its parent.
func FuzzUnmarshalNested(f *testing.F) {
	s := opsSchema(f)
	for _, sd := range []string{
		`<action xmlns="urn:ietf:params:xml:ns:yang:1"><sys xmlns="urn:ops"><port><slot>a</slot><num>1</num><reset><delay>3</delay></reset></port></sys></action>`,
		`<sys xmlns="urn:ops"><port><slot>a</slot><num>2</num><flap><up>true</up></flap></port></sys>`,
		`<saved xmlns="urn:ops"><by>me</by></saved>`,
		`<sys xmlns="urn:ops"><state><clear/></state></sys><x/>`,
		`<sys xmlns="urn:ops"><port><slot>a</slot><num>2</num><reset/><flap/></port></sys>`,
		`<action xmlns="urn:ietf:params:xml:ns:yang:1"><saved xmlns="urn:ops"/></action>`,
	} {
		f.Add([]byte(sd))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		top, op, errs := UnmarshalNested(doc, s, DecodeOptions{MaxDepth: 64})
		if len(errs) > 0 && errs[len(errs)-1].Tag == "malformed-message" {
			if top != nil || op != nil {
				t.Fatal("nodes returned with a syntax error")
			}
			return
		}
		if op == nil {
			return
		}
		switch op.Schema.Kind {
		case schema.KindInput, schema.KindNotification, schema.KindAction:
		default:
			t.Fatalf("operation node of kind %s", op.Schema.Kind)
		}
		if top == nil {
			t.Fatal("an operation without a top-level node")
		}
		if _, err := Marshal(top, EncodeOptions{}); err != nil {
			t.Fatal(err)
		}
	})
}
