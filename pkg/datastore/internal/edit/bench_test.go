package edit

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
)

// BenchmarkMergeOneEntry merges one list entry into lists of growing size: the cost must not
// depend on the size. Each iteration applies the edit and then, with the timer stopped, undoes
// it (undoing an insertion is data.Txn's cost, not the edit's).
func BenchmarkMergeOneEntry(b *testing.B) {
	s := loadSchema(b)
	for _, n := range []int{1000, 10000, 100000} {
		var doc strings.Builder
		doc.WriteString(`<other xmlns="urn:ex">`)
		for i := range n {
			fmt.Fprintf(&doc, "<entry><name>e%d</name><v>x</v></entry>", i)
		}
		doc.WriteString(`</other>`)
		root, errs := yangxml.Unmarshal([]byte(doc.String()), s, yangxml.DecodeOptions{})
		if len(errs) > 0 {
			b.Fatal(errs)
		}
		for _, c := range []struct{ name, edit string }{
			{"change", fmt.Sprintf(`<other xmlns="urn:ex"><entry><name>e%d</name><v>y</v></entry></other>`, n/2)},
			{"add", `<other xmlns="urn:ex"><entry><name>new</name><v>y</v></entry></other>`},
		} {
			ed, errs := Decode([]byte(c.edit), s)
			if len(errs) > 0 {
				b.Fatal(errs)
			}
			b.Run(fmt.Sprintf("%s/%d", c.name, n), func(b *testing.B) {
				var t data.Txn
				for b.Loop() {
					if errs := ed.Apply(root, &t, Options{}); len(errs) > 0 {
						b.Fatal(errs)
					}
					b.StopTimer()
					t.Undo()
					b.StartTimer()
				}
			})
		}
	}
}

// BenchmarkDecodeApply is the whole cost of one small edit-config on a 100k-entry list.
func BenchmarkDecodeApply(b *testing.B) {
	s := loadSchema(b)
	var doc strings.Builder
	doc.WriteString(`<other xmlns="urn:ex">`)
	for i := range 100000 {
		fmt.Fprintf(&doc, "<entry><name>e%d</name><v>x</v></entry>", i)
	}
	doc.WriteString(`</other>`)
	root, errs := yangxml.Unmarshal([]byte(doc.String()), s, yangxml.DecodeOptions{})
	if len(errs) > 0 {
		b.Fatal(errs)
	}
	edit := []byte(`<other xmlns="urn:ex"><entry><name>e500</name><v>y</v></entry></other>`)
	var t data.Txn
	for b.Loop() {
		ed, errs := Decode(edit, s)
		if len(errs) > 0 {
			b.Fatal(errs)
		}
		if errs := ed.Apply(root, &t, Options{}); len(errs) > 0 {
			b.Fatal(errs)
		}
		t.Undo()
	}
}
