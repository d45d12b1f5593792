package schema_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"unsafe"

	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/schema/yangload"
)

func TestFindNode(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "f.yang")
	os.WriteFile(file, []byte(`module f { yang-version 1.1; namespace "urn:f"; prefix f;
  container top {
    list item { key id; leaf id { type string; }
      choice how { mandatory true; case one { leaf a { type string; } } leaf b { type string; } }
      action reset { input { leaf force { type boolean; } } }
    }
  }
  rpc ping { output { leaf rtt { type uint32; } } }
}`), 0o644)
	s, err := yangload.Load(yangload.Options{Files: []string{file}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ id, want string }{
		{"/f:top/item/how/one/a", "/f:top/item/a"},
		{"/f:top/item/how/b/b", "/f:top/item/b"},
		{"/f:top/item/how", "/f:top/item"},
		{"/f:top/item/reset/input/force", "/f:top/item/reset/input/force"},
		{"/f:ping/output/rtt", "/f:ping/output/rtt"},
		// Node.Path's form, choice and case left out, resolves too.
		{"/f:top/item/a", "/f:top/item/a"},
		{"/f:top/item/b", "/f:top/item/b"},
	} {
		n := s.FindNode(tt.id)
		if n == nil {
			t.Errorf("FindNode(%q) = nil", tt.id)
			continue
		}
		if got := n.Path(); got != tt.want {
			t.Errorf("FindNode(%q).Path() = %q, want %q", tt.id, got, tt.want)
		}
	}
	for _, bad := range []string{"", "top", "/f:top/a", "/f:top/item/c", "/g:top", "/f:top/item/how/two/a", "/f:top/item/how/one/x"} {
		if n := s.FindNode(bad); n != nil {
			t.Errorf("FindNode(%q) = %s, want nil", bad, n.Path())
		}
	}
}

// TestDerivedNamed: an identity derived (directly or not) from a base is found by its QName,
// with few derived identities (a scan) and with many (the index Finalize builds); the base
// itself, an identity of another base and an unknown name are not.
func TestDerivedNamed(t *testing.T) {
	m := &schema.Module{Name: "m", Prefix: "p", Namespace: "urn:m"}
	id := func(name string, bases ...*schema.Identity) *schema.Identity {
		i := &schema.Identity{Name: name, Module: m, Bases: bases}
		m.Identities = append(m.Identities, i)
		return i
	}
	small, big, other := id("small"), id("big"), id("other")
	a := id("a", small)
	b := id("b", a) // derived from small through a
	var many []*schema.Identity
	for i := range 20 {
		many = append(many, id(fmt.Sprintf("x%d", i), big))
	}
	o := id("o", other)
	(&schema.Schema{Modules: []*schema.Module{m}}).Finalize()
	for _, tc := range []struct {
		base  *schema.Identity
		qname string
		want  *schema.Identity
	}{
		{small, "m:a", a}, {small, "m:b", b}, {small, "m:small", nil}, {small, "m:o", nil}, {small, "m:zz", nil},
		{big, "m:x0", many[0]}, {big, "m:x19", many[19]}, {big, "m:big", nil}, {big, "m:o", nil}, {big, "p:x1", nil},
		{other, "m:o", o},
	} {
		if got := tc.base.DerivedNamed(tc.qname); got != tc.want {
			t.Errorf("%s.DerivedNamed(%q) = %v, want %v", tc.base.Name, tc.qname, got, tc.want)
		}
	}
}

// Keys returns what SetKeys set: none, a few (kept in the Node itself) or more than its count
// holds (kept aside), each replacing the last; a Node stays at 88 bytes (Junos QFX conf has
// 897k of them).
func TestNodeKeys(t *testing.T) {
	n := &schema.Node{Kind: schema.KindList}
	if n.Keys() != nil {
		t.Fatalf("new node: Keys %v", n.Keys())
	}
	for _, count := range []int{1, 3, 255, 256, 300, 2, 0} {
		ks := make([]*schema.Node, count)
		for i := range ks {
			ks[i] = &schema.Node{Kind: schema.KindLeaf, Decl: &schema.Decl{Name: fmt.Sprint("k", i)}}
		}
		n.SetKeys(ks)
		got := n.Keys()
		if len(got) != count {
			t.Fatalf("SetKeys(%d keys): Keys has %d", count, len(got))
		}
		for i := range got {
			if got[i] != ks[i] {
				t.Fatalf("SetKeys(%d keys): key %d is %s", count, i, got[i].Name)
			}
		}
	}
	if n.Keys() != nil {
		t.Errorf("SetKeys(empty): Keys %v", n.Keys())
	}
	if s := unsafe.Sizeof(schema.Node{}); s != 88 {
		t.Errorf("a Node takes %d bytes, not 88", s)
	}
}

// Child finds every data child, through choices and cases, of a node with few children (a
// scan) and of one with many (a search of the sorted index), children of another module with
// the same name told apart; nil for a name or module it does not have.
func TestChild(t *testing.T) {
	for _, count := range []int{3, 8, 9, 40} {
		a := &schema.Module{Name: "a", Namespace: "urn:a"}
		b := &schema.Module{Name: "b", Namespace: "urn:b"}
		top := &schema.Node{Kind: schema.KindContainer, Decl: &schema.Decl{Name: "top"}, Module: a}
		a.Data = []*schema.Node{top}
		leaf := func(parent *schema.Node, m *schema.Module, name string) *schema.Node {
			n := &schema.Node{Kind: schema.KindLeaf, Decl: &schema.Decl{Name: name}, Module: m, Parent: parent,
				Type: &schema.Type{Name: "string", Base: schema.String}}
			parent.Children = append(parent.Children, n)
			return n
		}
		var want []*schema.Node
		for i := count - 1; i >= 0; i-- { // names out of order
			want = append(want, leaf(top, a, fmt.Sprintf("n%02d", i*7%count)))
		}
		want = append(want, leaf(top, b, want[0].Name)) // the same name in another module
		ch := &schema.Node{Kind: schema.KindChoice, Decl: &schema.Decl{Name: "ch"}, Module: a, Parent: top}
		cs := &schema.Node{Kind: schema.KindCase, Decl: &schema.Decl{Name: "cs"}, Module: a, Parent: ch}
		ch.Children = []*schema.Node{cs}
		top.Children = append(top.Children, ch)
		want = append(want, leaf(cs, a, "inchoice"))
		s := &schema.Schema{Modules: []*schema.Module{a, b}}
		s.Finalize()
		for _, w := range want {
			if got := top.Child(w.Module, w.Name); got != w {
				t.Errorf("%d children: Child(%s, %s) = %v", count, w.Module.Name, w.Name, got)
			}
		}
		for _, miss := range []struct {
			m    *schema.Module
			name string
		}{{b, want[1].Name}, {a, "zz"}, {a, "ch"}, {a, "cs"}, {a, ""}} {
			if got := top.Child(miss.m, miss.name); got != nil {
				t.Errorf("%d children: Child(%s, %q) = %s, want none", count, miss.m.Name, miss.name, got.Path())
			}
		}
	}
}
