package data

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ncws/ncws/pkg/schema"
)

// ntSchema builds: container top { leaf a; list item { key id; leaf id (uint32); leaf v };
// leaf-list tag; leaf z }.
func ntSchema() (*schema.Schema, map[string]*schema.Node) {
	m := &schema.Module{Name: "t", Namespace: "urn:t", Prefix: "t", Implemented: true}
	str := &schema.Type{Name: "string", Base: schema.String}
	u32 := &schema.Type{Name: "uint32", Base: schema.Uint32}
	top := &schema.Node{Decl: &schema.Decl{Name: "top"}, Kind: schema.KindContainer, Module: m, Config: true}
	leaf := func(p *schema.Node, name string, t *schema.Type) *schema.Node {
		n := &schema.Node{Decl: &schema.Decl{Name: name}, Kind: schema.KindLeaf, Module: m, Parent: p, Type: t, Config: true}
		p.Children = append(p.Children, n)
		return n
	}
	a := leaf(top, "a", str)
	item := &schema.Node{Decl: &schema.Decl{Name: "item"}, Kind: schema.KindList, Module: m, Parent: top, Config: true}
	top.Children = append(top.Children, item)
	id := leaf(item, "id", u32)
	v := leaf(item, "v", str)
	item.SetKeys([]*schema.Node{id})
	tag := &schema.Node{Decl: &schema.Decl{Name: "tag"}, Kind: schema.KindLeafList, Module: m, Parent: top, Type: str, Config: true}
	top.Children = append(top.Children, tag)
	z := leaf(top, "z", str)
	m.Data = []*schema.Node{top}
	s := &schema.Schema{Modules: []*schema.Module{m}}
	s.Finalize()
	return s, map[string]*schema.Node{"top": top, "a": a, "item": item, "id": id, "v": v, "tag": tag, "z": z}
}

func ntStr(s string) Value { return Value{Str: s} }

func ntEntry(sn map[string]*schema.Node, id int) *Node {
	e := New(sn["item"])
	e.Insert(NewLeaf(sn["id"], Value{Type: sn["id"].Type, Str: strconv.Itoa(id)}))
	return e
}

func ntNames(n *Node) []string {
	var out []string
	for _, c := range n.Children() {
		s := c.Schema.Name
		if c.Schema.Kind == schema.KindList || c.Schema.Kind == schema.KindLeafList {
			s += "=" + c.Key()
		}
		out = append(out, s)
	}
	return out
}

func TestInsertKeepsSchemaOrder(t *testing.T) {
	_, sn := ntSchema()
	top := New(sn["top"])
	top.Insert(NewLeaf(sn["z"], ntStr("z")))
	top.Insert(NewLeaf(sn["tag"], ntStr("x")))
	top.Insert(ntEntry(sn, 2))
	top.Insert(NewLeaf(sn["a"], ntStr("a")))
	top.Insert(ntEntry(sn, 1))
	top.Insert(NewLeaf(sn["tag"], ntStr("y")))
	want := []string{"a", "item=2", "item=1", "tag=x", "tag=y", "z"}
	if diff := cmp.Diff(want, ntNames(top)); diff != "" {
		t.Errorf("children mismatch (-want +got):\n%s", diff)
	}
	if dup := top.Insert(ntEntry(sn, 2)); dup == nil || dup.Key() != "2" {
		t.Errorf("Insert of a duplicate key returned %v, want the existing entry", dup)
	}
	if dup := top.Insert(NewLeaf(sn["tag"], ntStr("x"))); dup == nil {
		t.Error("Insert of a duplicate leaf-list value was accepted")
	}
}

func TestFindLargeList(t *testing.T) {
	_, sn := ntSchema()
	top := New(sn["top"])
	top.Insert(NewLeaf(sn["a"], ntStr("a")))
	top.Insert(NewLeaf(sn["z"], ntStr("z")))
	const n = 100000
	for i := range n {
		if dup := top.Insert(ntEntry(sn, i)); dup != nil {
			t.Fatalf("entry %d reported as duplicate", i)
		}
	}
	for _, i := range []int{0, 7, 8, 9, 5000, n - 1} {
		e := top.Find(sn["item"], strconv.Itoa(i))
		if e == nil || e.Key() != strconv.Itoa(i) {
			t.Fatalf("Find(%d) = %v", i, e)
		}
	}
	if e := top.Find(sn["item"], "-1"); e != nil {
		t.Errorf("Find(-1) = %v, want nil", e)
	}
	if got := len(top.Instances(sn["item"])); got != n {
		t.Errorf("Instances = %d entries, want %d", got, n)
	}
	e := top.Find(sn["item"], "5000")
	top.Remove(e)
	if top.Find(sn["item"], "5000") != nil || e.Parent != nil {
		t.Error("removed entry still found")
	}
	if got := len(top.Instances(sn["item"])); got != n-1 {
		t.Errorf("after Remove: %d entries, want %d", got, n-1)
	}
	if c := top.Child(sn["z"]); c == nil || c.Value.Str != "z" {
		t.Errorf("Child(z) = %v", c)
	}
}

func TestInsertBefore(t *testing.T) {
	_, sn := ntSchema()
	top := New(sn["top"])
	b := NewLeaf(sn["tag"], ntStr("b"))
	top.Insert(b)
	top.InsertBefore(NewLeaf(sn["tag"], ntStr("a")), b)
	top.InsertBefore(NewLeaf(sn["tag"], ntStr("c")), nil)
	if diff := cmp.Diff([]string{"tag=a", "tag=b", "tag=c"}, ntNames(top)); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

func TestPath(t *testing.T) {
	_, sn := ntSchema()
	root := NewRoot()
	top := New(sn["top"])
	root.Insert(top)
	e := ntEntry(sn, 3)
	top.Insert(e)
	v := NewLeaf(sn["v"], ntStr("it's"))
	e.Insert(v)
	tag := NewLeaf(sn["tag"], ntStr("x"))
	top.Insert(tag)
	for _, tt := range []struct {
		n    *Node
		want string
	}{
		{root, "/"}, {top, "/t:top"}, {e, "/t:top/item[id='3']"},
		{v, `/t:top/item[id='3']/v`}, {tag, "/t:top/tag[.='x']"},
	} {
		if got := tt.n.Path(); got != tt.want {
			t.Errorf("Path() = %q, want %q", got, tt.want)
		}
	}
	q := ntEntry(sn, 4)
	q.Children()[0].Value.Str = "it's"
	top.Insert(q)
	if got, want := q.Path(), `/t:top/item[id="it's"]`; got != want {
		t.Errorf("Path() = %q, want %q", got, want)
	}
}

func ExampleNode_Find() {
	_, sn := ntSchema()
	top := New(sn["top"])
	for i := range 1000 {
		top.Insert(ntEntry(sn, i))
	}
	e := top.Find(sn["item"], "640")
	fmt.Println(e.Path())
	// Output: /t:top/item[id='640']
}

func TestAdd(t *testing.T) {
	_, sn := ntSchema()
	top := New(sn["top"])
	if top.Add(NewLeaf(sn["z"], ntStr("1"))) != nil || top.Add(NewLeaf(sn["a"], ntStr("1"))) != nil {
		t.Fatal("first instances reported as duplicates")
	}
	if d := top.Add(NewLeaf(sn["a"], ntStr("2"))); d == nil || d.Value.Str != "1" {
		t.Errorf("second leaf a: dup = %v, want the first", d)
	}
	if top.Add(ntEntry(sn, 1)) != nil {
		t.Error("first list entry reported as duplicate")
	}
	if top.Add(ntEntry(sn, 1)) == nil {
		t.Error("same key accepted twice")
	}
	if top.Add(NewLeaf(sn["tag"], ntStr("x"))) != nil || top.Add(NewLeaf(sn["tag"], ntStr("x"))) == nil {
		t.Error("config leaf-list: duplicate value not reported")
	}
	sn["tag"].Config = false
	defer func() { sn["tag"].Config = true }()
	if top.Add(NewLeaf(sn["tag"], ntStr("x"))) != nil {
		t.Error("state leaf-list: repeated value refused")
	}
	if diff := cmp.Diff([]string{"a", "item=1", "tag=x", "tag=x", "z"}, ntNames(top)); diff != "" {
		t.Errorf("children mismatch (-want +got):\n%s", diff)
	}
}

// TestFindTwoIndexedGroups: a key index created for one group (tag, past the threshold) must not
// hide the entries another group (item) had before it grows past the threshold too.
func TestFindTwoIndexedGroups(t *testing.T) {
	_, sn := ntSchema()
	top := New(sn["top"])
	for i := range 3 {
		if top.Insert(ntEntry(sn, i)) != nil {
			t.Fatal("unexpected duplicate")
		}
	}
	for i := range 20 {
		top.Insert(NewLeaf(sn["tag"], ntStr(fmt.Sprint("t", i))))
	}
	for i := 3; i < 30; i++ {
		top.Insert(ntEntry(sn, i))
	}
	for i := range 30 {
		if e := top.Find(sn["item"], strconv.Itoa(i)); e == nil || e.Key() != strconv.Itoa(i) {
			t.Fatalf("Find(item %d) = %v", i, e)
		}
		if top.Insert(ntEntry(sn, i)) == nil {
			t.Fatalf("item %d inserted twice", i)
		}
	}
	if top.Find(sn["item"], "30") != nil || top.Find(sn["tag"], "t20") != nil {
		t.Error("Find returned an entry that is not there")
	}
	// Each indexed group has its own map: item's 30 distinct keys are known as such, next to tag.
	if !top.DistinctKeys(sn["item"]) || !top.DistinctKeys(sn["tag"]) {
		t.Error("DistinctKeys false with two indexed groups of distinct keys")
	}
	top.InsertBefore(ntEntry(sn, 7), nil)
	if top.DistinctKeys(sn["item"]) || !top.DistinctKeys(sn["tag"]) {
		t.Error("DistinctKeys: a duplicate item changes item's answer only")
	}
	c := top.Clone()
	if e := c.Find(sn["item"], "1"); e == nil || e.Parent != c {
		t.Errorf("clone: Find(item 1) = %v", e)
	}
	// One indexed group with distinct keys, then a duplicate added without the check.
	l := New(sn["top"])
	for i := range 12 {
		l.Insert(ntEntry(sn, i))
	}
	if !l.DistinctKeys(sn["item"]) {
		t.Error("DistinctKeys false for 12 distinct entries")
	}
	l.InsertBefore(ntEntry(sn, 5), nil)
	if l.DistinctKeys(sn["item"]) {
		t.Error("DistinctKeys true with a duplicate")
	}
}

// TestKeyIndexAfterBulkUndo: a bulk removal undone (entries put back in one pass) and a
// replacement keep the key index to the groups it holds, so Find and DistinctKeys stay exact.
func TestKeyIndexAfterBulkUndo(t *testing.T) {
	_, sn := ntSchema()
	top := New(sn["top"])
	for i := range 100 {
		top.Insert(ntEntry(sn, i))
	}
	var tags []*Node
	for i := range 3 {
		tg := NewLeaf(sn["tag"], ntStr(fmt.Sprint("t", i)))
		top.Insert(tg)
		tags = append(tags, tg)
	}
	var tx Txn
	tx.RemoveAll(top, append(tags[:2:2], top.Instances(sn["item"])[10:60]...))
	tx.Replace(top.Find(sn["item"], "5"), ntEntry(sn, 5))
	tx.Undo()
	for i := range 100 {
		if e := top.Find(sn["item"], strconv.Itoa(i)); e == nil || e.Parent != top {
			t.Fatalf("after undo: Find(item %d) = %v", i, e)
		}
	}
	for i := range 3 {
		if top.Find(sn["tag"], fmt.Sprint("t", i)) == nil {
			t.Fatalf("after undo: tag t%d not found", i)
		}
	}
	if !top.DistinctKeys(sn["item"]) {
		t.Error("DistinctKeys false for 100 distinct items")
	}
	top.InsertBefore(ntEntry(sn, 7), nil)
	if top.DistinctKeys(sn["item"]) {
		t.Error("DistinctKeys true with a duplicate item")
	}
}
