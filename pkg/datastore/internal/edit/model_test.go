package edit

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/schema/yangload"
)

// The test model: containers, a keyed list, an ordered-by user list and leaf-list, a presence
// container, a choice, defaults (leaf, leaf-list, in a non-presence container), anydata, a
// config false leaf and an augment from a second module.
const exYang = `module ex {
  yang-version 1.1;
  namespace "urn:ex";
  prefix ex;
  identity base;
  identity one { base base; }
  container top {
    leaf name { type string; }
    leaf mtu { type uint16 { range "68..9000"; } default 1500; }
    leaf enabled { type boolean; default true; }
    leaf kind { type identityref { base base; } }
    container inner {
      leaf a { type int8; default 3; }
      leaf b { type string; }
    }
    container pres {
      presence "enables pres";
      leaf x { type string; }
    }
    list item {
      key id;
      leaf id { type uint8; }
      leaf val { type string; }
      container sub { leaf s { type string; } }
    }
    list ord {
      key "k1 k2";
      ordered-by user;
      leaf k1 { type string; }
      leaf k2 { type int8; }
      leaf v { type string; }
    }
    leaf-list tags { type string; ordered-by user; }
    leaf-list sys { type int8; }
    leaf-list dl { type string; default d1; default d2; }
    choice proto {
      case a { leaf ca { type string; } leaf ca2 { type string; } }
      case b { container cb { leaf x { type string; } } }
      leaf short { type string; }
    }
    anydata blob;
    leaf counter { type uint32; config false; }
    leaf flag { type empty; }
  }
  container other {
    leaf o { type string; }
    list entry {
      key name;
      leaf name { type string; }
      leaf v { type string; }
    }
  }
  list root-list {
    key k;
    ordered-by user;
    leaf k { type string; }
  }
}`

const ex2Yang = `module ex2 {
  yang-version 1.1;
  namespace "urn:ex2";
  prefix e2;
  import ex { prefix ex; }
  augment "/ex:top" { leaf extra { type int32; } }
  augment "/ex:top/ex:item" { leaf note { type string; } }
}`

var (
	schemaOnce sync.Once
	testSchema *schema.Schema
	schemaErr  error
)

func loadSchema(t testing.TB) *schema.Schema {
	t.Helper()
	schemaOnce.Do(func() {
		dir, err := os.MkdirTemp("", "edit-test")
		if err != nil {
			schemaErr = err
			return
		}
		defer os.RemoveAll(dir)
		files := []string{filepath.Join(dir, "ex.yang"), filepath.Join(dir, "ex2.yang")}
		os.WriteFile(files[0], []byte(exYang), 0o644)
		os.WriteFile(files[1], []byte(ex2Yang), 0o644)
		testSchema, schemaErr = yangload.Load(yangload.Options{SearchPaths: []string{dir}, Files: files})
	})
	if schemaErr != nil {
		t.Fatal(schemaErr)
	}
	return testSchema
}

// datastore decodes doc and fills in the defaults of the model the way the datastore's
// validation does (pkg/validate), marked data.Node.Default.
func datastore(t testing.TB, s *schema.Schema, doc string) *data.Node {
	t.Helper()
	root, errs := yangxml.Unmarshal([]byte(doc), s, yangxml.DecodeOptions{AllowEmpty: true})
	if len(errs) > 0 {
		t.Fatalf("datastore: %v", errs)
	}
	fillDefaults(t, root)
	return root
}

// fillDefaults adds the model's missing defaults under root, as validation does after an edit.
func fillDefaults(t testing.TB, root *data.Node) {
	t.Helper()
	top := root.ChildByName("top")
	if top == nil {
		return
	}
	ts := top.Schema
	leaf := func(p *data.Node, name, v string) {
		sn := p.Schema.Child(ts.Module, name)
		if sn.Kind == schema.KindLeaf && p.Child(sn) != nil {
			return
		}
		val, err := data.ParseValue(sn.Type, v, nil)
		if err != nil {
			t.Fatal(err)
		}
		n := data.NewLeaf(sn, val)
		n.Default = true
		p.Insert(n)
	}
	leaf(top, "mtu", "1500")
	leaf(top, "enabled", "true")
	if top.ChildByName("dl") == nil {
		leaf(top, "dl", "d1")
		leaf(top, "dl", "d2")
	}
	in := top.ChildByName("inner")
	if in == nil {
		in = data.New(ts.Child(ts.Module, "inner"))
		in.Default = true
		top.Insert(in)
	}
	leaf(in, "a", "3")
}

// marshal returns the explicit content of root (defaults left out), or with all set the
// defaults too.
func marshal(t testing.TB, root *data.Node, all bool) string {
	t.Helper()
	out, err := yangxml.Marshal(root, yangxml.EncodeOptions{SkipDefaults: !all})
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// startDoc is the datastore most tests start from.
const startDoc = `<top xmlns="urn:ex">
  <name>n1</name>
  <mtu>1400</mtu>
  <pres><x>p</x></pres>
  <item><id>1</id><val>a</val></item>
  <item><id>2</id><val>b</val><sub><s>x</s></sub></item>
  <ord><k1>a</k1><k2>1</k2><v>A</v></ord>
  <ord><k1>b</k1><k2>2</k2></ord>
  <ord><k1>c</k1><k2>3</k2></ord>
  <tags>t1</tags><tags>t2</tags><tags>t3</tags>
  <sys>5</sys>
  <ca>case-a</ca>
  <blob><any xmlns="urn:other">x</any></blob>
</top>`
