package data

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/ncws/ncws/pkg/schema"
)

// txnTree builds top{a, item 0..n-1 with v, tag t0..t4}.
func txnTree(n int) (*Node, func(id int) *Node, map[string]*schema.Node) {
	_, sn := ntSchema()
	sn["tag"].OrderedByUser = true
	root := NewRoot()
	top := New(sn["top"])
	root.Insert(top)
	top.Insert(NewLeaf(sn["a"], ntStr("a")))
	entry := func(id int) *Node {
		e := ntEntry(sn, id)
		e.Insert(NewLeaf(sn["v"], ntStr("v"+strconv.Itoa(id))))
		return e
	}
	for i := range n {
		top.Insert(entry(i))
	}
	for i := range 5 {
		top.Insert(NewLeaf(sn["tag"], ntStr("t"+strconv.Itoa(i))))
	}
	return root, entry, sn
}

// TestTxnUndoAndSync applies random edits through a Txn and checks that Undo restores the tree
// exactly and that Sync carries exactly the edits to a copy of the original.
func TestTxnUndoAndSync(t *testing.T) {
	for seed := range uint64(260) {
		r := rand.New(rand.NewPCG(seed, 1))
		size, edits := 5+r.IntN(20), 1+r.IntN(8)
		if seed >= 200 {
			// Lists long enough for Txn's position cache, and runs of edits that use and stale it.
			size, edits = posCacheMin+r.IntN(200), 20+r.IntN(60)
		}
		root, entry, sn := txnTree(size)
		orig := root.Clone()
		var tx Txn
		for range edits {
			top := root.Child(sn["top"])
			items := top.Instances(sn["item"])
			tags := top.Instances(sn["tag"])
			switch r.IntN(8) {
			case 0: // new entry
				id := 100 + r.IntN(100)
				if top.Find(items[0].Schema, strconv.Itoa(id)) == nil {
					tx.Insert(top, entry(id), nil)
				}
			case 1: // delete entry
				if len(items) > 1 {
					tx.Remove(items[r.IntN(len(items))])
				}
			case 2: // change a value
				if len(items) > 0 {
					e := items[r.IntN(len(items))]
					if v := e.Child(sn["v"]); v != nil {
						tx.Replace(v, NewLeaf(v.Schema, ntStr("x"+strconv.Itoa(r.IntN(9)))))
					}
				}
			case 3: // move a tag
				if len(tags) > 1 {
					tx.Move(tags[r.IntN(len(tags))], tags[r.IntN(len(tags))])
				}
			case 4: // delete the leaf a, or recreate it
				if a := top.Child(sn["a"]); a != nil {
					tx.Remove(a)
				} else {
					tx.Put(root, Loc{stepOf(top), {Schema: sn["a"]}}, NewLeaf(sn["a"], ntStr("b")), nil, false)
				}
			case 5: // put an entry (appended: item is system-ordered), or one in a fresh top container
				e := entry(300 + r.IntN(10))
				if r.IntN(3) == 0 {
					tx.Put(root, Loc{stepOf(top)}, New(sn["top"]), nil, false)
				}
				tx.Put(root, Loc{{Schema: sn["top"]}, stepOf(e)}, e, nil, false)
			case 7: // replace a whole entry by a new one with the same key
				if len(items) > 0 {
					e := items[r.IntN(len(items))]
					id, _ := strconv.Atoi(e.Key())
					n := entry(id)
					n.Child(sn["v"]).Value = ntStr("r" + strconv.Itoa(r.IntN(9)))
					tx.Replace(e, n)
				}
			case 6: // remove the whole top, then put an entry (creating top again)
				tx.Remove(top)
				tx.Put(root, Loc{{Schema: sn["top"]}, stepOf(entry(7))}, entry(7), nil, false)
			}
		}
		edited := root.Clone()

		dst := orig.Clone()
		var tx2 Txn
		pre := SyncLocs(dst, root, tx.Locs())
		tx2.Sync(dst, root, tx.Locs())
		// SyncLocs names before the sync what it changes (a commit records running's state
		// there first).
		if got, want := locStrings(pre), locStrings(tx2.Locs()); got != want {
			t.Fatalf("seed %d: SyncLocs = %s, the sync changed %s", seed, got, want)
		}
		if !Equal(dst, edited) {
			t.Fatalf("seed %d: Sync did not reproduce the edit:\n got %v\nwant %v", seed, dump(dst), dump(edited))
		}
		tx2.Undo()
		if !Equal(dst, orig) {
			t.Fatalf("seed %d: Undo of Sync did not restore:\n got %v\nwant %v", seed, dump(dst), dump(orig))
		}
		// SyncMove gives the same result, taking src's nodes; undoing both logs restores both
		// trees, and a Sync back makes src whole again.
		for _, back := range []bool{false, true} {
			src := edited.Clone()
			var tm, ts Txn
			tm.SyncMove(dst, src, tx.Locs(), &ts)
			if !Equal(dst, edited) {
				t.Fatalf("seed %d: SyncMove did not reproduce the edit:\n got %v\nwant %v", seed, dump(dst), dump(edited))
			}
			if back {
				var tb Txn
				tb.Sync(src, dst, tx.Locs())
				if !Equal(src, edited) {
					t.Fatalf("seed %d: Sync after SyncMove did not restore src:\n got %v\nwant %v", seed, dump(src), dump(edited))
				}
				dst = orig.Clone()
				continue
			}
			tm.Undo()
			ts.Undo()
			if !Equal(dst, orig) || !Equal(src, edited) {
				t.Fatalf("seed %d: Undo of SyncMove did not restore:\n dst %v\nwant %v\n src %v\nwant %v", seed, dump(dst), dump(orig), dump(src), dump(edited))
			}
		}
		tx.Undo()
		if !Equal(root, orig) {
			t.Fatalf("seed %d: Undo did not restore:\n got %v\nwant %v", seed, dump(root), dump(orig))
		}
		// The keyed index still answers after all the moves.
		for _, e := range root.Child(sn["top"]).Instances(sn["item"]) {
			if root.Child(sn["top"]).Find(e.Schema, e.Key()) != e {
				t.Fatalf("seed %d: index lost entry %s", seed, e.Key())
			}
		}
	}
}

func locStrings(ls []Loc) string {
	var b strings.Builder
	for _, l := range ls {
		b.WriteString(l.String())
		b.WriteByte(' ')
	}
	return b.String()
}

func dump(n *Node) string {
	s := ""
	n.Walk(func(c *Node) bool {
		if c.Schema != nil {
			s += " " + c.Schema.Name
			if c.Value.Str != "" {
				s += "=" + c.Value.Str
			}
		}
		return true
	})
	return s
}

func TestOutermost(t *testing.T) {
	root, _, sn := txnTree(3)
	top := root.Child(sn["top"])
	e := top.Children()[2]
	got := Outermost([]Loc{LocOf(e.Children()[1]), LocOf(e), LocOf(top.Children()[0]), LocOf(e)})
	want := []string{LocOf(top.Children()[0]).String(), LocOf(e).String()}
	if len(got) != len(want) {
		t.Fatalf("got %d locations, want %d: %v", len(got), len(want), got)
	}
	for i := range got {
		if got[i].String() != want[i] {
			t.Errorf("loc %d = %s, want %s", i, got[i], want[i])
		}
		if got[i].Resolve(root) == nil {
			t.Errorf("loc %s does not resolve", got[i])
		}
	}
}

// InsertCovered records an insertion below a node the Txn attached: Undo takes it back with the
// rest, and Locs lists only the covering location.
func TestTxnInsertCovered(t *testing.T) {
	root, entry, sn := txnTree(3)
	orig := root.Clone()
	top := root.Child(sn["top"])
	var tx Txn
	e := ntEntry(sn, 50)
	tx.Insert(top, e, nil)
	tx.InsertCovered(e, NewLeaf(sn["v"], ntStr("x")), nil)
	tx.Insert(top, entry(60), nil)
	if got := len(tx.Changes()); got != 3 {
		t.Fatalf("%d changes recorded, want 3", got)
	}
	var locs []string
	for _, l := range tx.Locs() {
		locs = append(locs, l.String())
	}
	if len(locs) != 2 || !strings.Contains(locs[0], "50") || !strings.Contains(locs[1], "60") {
		t.Errorf("Locs %v, want the two entries' locations", locs)
	}
	if e.Child(sn["v"]) == nil {
		t.Fatal("the covered leaf was not inserted")
	}
	tx.Undo()
	if !Equal(root, orig) {
		t.Error("Undo did not restore the tree")
	}
	if e.Parent != nil || e.Child(sn["v"]) != nil {
		t.Error("Undo left the detached entry with its covered leaf or attached")
	}
}
