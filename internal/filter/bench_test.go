package filter

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/schema"
)

// userTree returns a tree with n entries in /ft:top/user.
func userTree(b *testing.B, s *schema.Schema, n int) *data.Node {
	top := s.FindNode("/ft:top")
	user := s.FindNode("/ft:top/user")
	name := s.FindNode("/ft:top/user/name")
	uid := s.FindNode("/ft:top/user/uid")
	root := data.NewRoot()
	t := data.New(top)
	root.Insert(t)
	for i := range n {
		e := data.New(user)
		v, err := data.ParseValue(name.Type, "u"+strconv.Itoa(i), nil)
		if err != nil {
			b.Fatal(err)
		}
		e.Insert(data.NewLeaf(name, v))
		u, err := data.ParseValue(uid.Type, strconv.Itoa(i%65536), nil)
		if err != nil {
			b.Fatal(err)
		}
		e.Insert(data.NewLeaf(uid, u))
		t.Insert(e)
	}
	return root
}

// BenchmarkSelectOneEntry selects one list entry by key, by a subtree filter and by an XPath
// filter. The time per operation must not grow with the number of entries.
func BenchmarkSelectOneEntry(b *testing.B) {
	s := loadSchema(b)
	for _, n := range []int{1000, 100000} {
		root := userTree(b, s, n)
		key := "u" + strconv.Itoa(n/2)
		sub, err := Subtree([]byte(`<top xmlns="urn:example:ft"><user><name>`+key+`</name></user></top>`), s)
		if err != nil {
			b.Fatal(err)
		}
		xp, err := XPath(`/f:top/f:user[f:name='`+key+`']`, map[string]string{"f": "urn:example:ft"}, s)
		if err != nil {
			b.Fatal(err)
		}
		for _, c := range []struct {
			name string
			f    *Filter
		}{{"subtree", sub}, {"xpath", xp}} {
			b.Run(fmt.Sprintf("%s/entries=%d", c.name, n), func(b *testing.B) {
				for b.Loop() {
					out := c.f.Apply(root)
					if len(out.Children()[0].Children()) != 1 {
						b.Fatal("not one entry")
					}
				}
			})
		}
	}
}
