package validate

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/schema/yangload"
)

const opYANG = `module op {
  yang-version 1.1;
  namespace "urn:op";
  prefix op;

  container sys {
    leaf hostname { type string; }
    leaf max { type uint8; default 10; }
  }
  list dev {
    key name;
    leaf name { type string; }
    leaf speed { type uint32; }
    container port {
      action reset {
        input {
          leaf who { type string; must ". != ../../../name"; }
          leaf speed { type uint32; must ". <= ../../../speed"; }
          leaf n { type uint8; must ". <= /op:sys/op:max"; }
        }
      }
      action named {
        input {
          leaf self { type string; must ". = ../../../name"; }
        }
      }
    }
  }
  rpc alone {
    input {
      leaf a { type string; mandatory true; }
      leaf b { type string; default "x"; must ". != ../a"; }
      container c { leaf d { type string; default "y"; } }
    }
    output {
      leaf r { type uint8 { range "1..9"; } }
      leaf id { type instance-identifier; }
    }
  }
  rpc host {
    input {
      leaf h { type leafref { path "/op:sys/op:hostname"; } }
    }
  }
  rpc any {
    input {
      leaf w { type string; must "count(/*) > 0"; }
    }
  }
}
`

func loadOpSchema(t *testing.T) *schema.Schema {
	t.Helper()
	f := filepath.Join(t.TempDir(), "op.yang")
	if err := os.WriteFile(f, []byte(opYANG), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := yangload.Load(yangload.Options{Files: []string{f}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func ioOf(op *schema.Node, kind schema.Kind) *schema.Node {
	for _, c := range op.Children {
		if c.Kind == kind {
			return c
		}
	}
	return nil
}

// TestOpReads: what an operation's constraints read outside it, so that a server reads the
// datastore only when they need it.
func TestOpReads(t *testing.T) {
	requireXPath(t)
	s := loadOpSchema(t)
	v := New(s)
	m := s.Module("op")
	port := s.Top(m, "dev").Child(m, "port")
	type reads struct {
		Tops []string
		All  bool
	}
	for _, tc := range []struct {
		name string
		io   *schema.Node
		want reads
	}{
		{"constraints inside the rpc", ioOf(s.RPC(m, "alone"), schema.KindInput), reads{}},
		{"output", ioOf(s.RPC(m, "alone"), schema.KindOutput), reads{All: true}}, // instance-identifier
		{"leafref to running", ioOf(s.RPC(m, "host"), schema.KindInput), reads{Tops: []string{"/op:sys"}}},
		{"unbounded xpath", ioOf(s.RPC(m, "any"), schema.KindInput), reads{All: true}},
		{"action reading its target and running", ioOf(port.Operation(m, "reset"), schema.KindInput),
			reads{Tops: []string{"/op:dev", "/op:sys"}}},
		{"action reading its target's key only", ioOf(port.Operation(m, "named"), schema.KindInput), reads{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tops, all := v.OpReads(tc.io)
			got := reads{All: all}
			for _, n := range tops {
				got.Tops = append(got.Tops, n.Path())
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("OpReads mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestValidateOp: input and output validated in the accessible tree, errors located through
// the operation's node; the tree given and the operation's parameters are left as they were,
// with the defaults in use added to the parameters.
func TestValidateOp(t *testing.T) {
	requireXPath(t)
	s := loadOpSchema(t)
	v := New(s)
	m := s.Module("op")
	running, errs := yangxml.Unmarshal([]byte(`<sys xmlns="urn:op"><hostname>r1</hostname></sys>`+
		`<dev xmlns="urn:op"><name>d1</name><speed>100</speed></dev>`), s, yangxml.DecodeOptions{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if errs := v.Validate(running, Options{}); len(errs) > 0 {
		t.Fatal(errs)
	}
	before := running.Clone()
	type e struct{ Type, Tag, AppTag, Path string }
	rpc := func(name, doc string) *data.Node {
		t.Helper()
		in, errs := yangxml.Unmarshal([]byte(doc), s, yangxml.DecodeOptions{Operation: s.RPC(m, name)})
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		return in
	}
	action := func(doc string) *data.Node {
		t.Helper()
		_, in, errs := yangxml.UnmarshalNested([]byte(doc), s, yangxml.DecodeOptions{})
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		return in
	}
	leaf := func(n *schema.Node, v string) *data.Node { return data.NewLeaf(n, data.Value{Type: n.Type, Str: v}) }
	alone := s.RPC(m, "alone")
	out := ioOf(alone, schema.KindOutput)
	for _, tc := range []struct {
		name string
		io   func() *data.Node
		opts OpOptions
		want []e
		// kids are the paths of the parameters afterwards, in the operation's node.
		kids []string
	}{
		{name: "valid, defaults added", io: func() *data.Node { return rpc("alone", `<alone xmlns="urn:op"><a>1</a></alone>`) },
			kids: []string{"/op:alone/a", "/op:alone/b", "/op:alone/c", "/op:alone/c/d"}},
		{name: "mandatory, protocol", io: func() *data.Node { return rpc("alone", `<alone xmlns="urn:op"/>`) },
			opts: OpOptions{ErrorType: rpcerror.Protocol},
			// b != ../a with no a is false (XPath compares with an empty node-set).
			want: []e{{"protocol", "missing-element", "", "/op:alone/a"},
				{"application", "operation-failed", "must-violation", "/op:alone/b"}},
			kids: []string{"/op:alone/b", "/op:alone/c", "/op:alone/c/d"}},
		{name: "must", io: func() *data.Node { return rpc("alone", `<alone xmlns="urn:op"><a>x</a></alone>`) },
			want: []e{{"application", "operation-failed", "must-violation", "/op:alone/b"}},
			kids: []string{"/op:alone/a", "/op:alone/b", "/op:alone/c", "/op:alone/c/d"}},
		{name: "leafref in running", io: func() *data.Node { return rpc("host", `<host xmlns="urn:op"><h>r1</h></host>`) },
			opts: OpOptions{Tree: running}, kids: []string{"/op:host/h"}},
		{name: "leafref without running", io: func() *data.Node { return rpc("host", `<host xmlns="urn:op"><h>r1</h></host>`) },
			want: []e{{"application", "data-missing", "instance-required", "/op:host/h"}}, kids: []string{"/op:host/h"}},
		{name: "action: target's data and running",
			io: func() *data.Node {
				return action(`<dev xmlns="urn:op"><name>d1</name><port><reset><who>d1</who><speed>200</speed><n>11</n></reset></port></dev>`)
			},
			opts: OpOptions{Tree: running},
			want: []e{
				{"application", "operation-failed", "must-violation", "/op:dev[name='d1']/port/reset/who"},
				{"application", "operation-failed", "must-violation", "/op:dev[name='d1']/port/reset/speed"},
				{"application", "operation-failed", "must-violation", "/op:dev[name='d1']/port/reset/n"},
			},
			kids: []string{"/op:dev[name='d1']/port/reset/who", "/op:dev[name='d1']/port/reset/speed", "/op:dev[name='d1']/port/reset/n"}},
		{name: "action: target absent from the tree",
			io: func() *data.Node {
				return action(`<dev xmlns="urn:op"><name>d2</name><port><named><self>d2</self></named></port></dev>`)
			},
			opts: OpOptions{Tree: running}, kids: []string{"/op:dev[name='d2']/port/named/self"}},
		{name: "output: values and schema checked",
			io: func() *data.Node {
				o := data.New(out)
				o.Insert(leaf(out.Child(m, "r"), "10"))
				return o
			},
			opts: OpOptions{CheckValues: true},
			want: []e{{"application", "invalid-value", "", "/op:alone/r"}}, kids: []string{"/op:alone/r"}},
		{name: "output: instance-identifier",
			io: func() *data.Node {
				o := data.New(out)
				o.Insert(leaf(out.Child(m, "id"), "/op:sys/op:hostname"))
				return o
			},
			opts: OpOptions{Tree: running, CheckValues: true}, kids: []string{"/op:alone/id"}},
		{name: "output: node of another schema",
			io: func() *data.Node {
				o := data.New(out)
				o.Insert(leaf(ioOf(alone, schema.KindInput).Child(m, "a"), "1"))
				return o
			},
			want: []e{{"application", "unknown-element", "", "/op:alone/a"}}, kids: []string{"/op:alone/a"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			io := tc.io()
			var got []e
			for _, err := range v.ValidateOp(io, tc.opts) {
				got = append(got, e{string(err.Type), string(err.Tag), err.AppTag, err.Path})
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("errors mismatch (-want +got):\n%s", diff)
			}
			var kids []string
			io.Walk(func(n *data.Node) bool {
				if n != io {
					if n.Parent == nil {
						t.Errorf("%s has no parent", n.Schema.Name)
					}
					kids = append(kids, n.Path())
				}
				return true
			})
			if diff := cmp.Diff(tc.kids, kids); diff != "" {
				t.Errorf("parameters mismatch (-want +got):\n%s", diff)
			}
			if !data.Equal(before, running) {
				t.Errorf("the tree was changed")
			}
		})
	}
}
