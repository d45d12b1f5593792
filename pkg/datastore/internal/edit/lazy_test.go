package edit

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
)

// A bulk edit without attributes is applied from the decoded tree: it makes no edit node per
// element (the top-level one is left lazy), and gives the same result as the same entries
// merged into a list that has some of them already, where the entries' nodes are made.
func TestBareEditLazy(t *testing.T) {
	s := loadSchema(t)
	var doc strings.Builder
	doc.WriteString(`<other xmlns="urn:ex">`)
	for i := range 2000 {
		fmt.Fprintf(&doc, "<entry><name>e%d</name><v>x%d</v></entry>", i, i)
	}
	doc.WriteString(`</other>`)
	encode := func(root *data.Node) string {
		t.Helper()
		b, err := yangxml.Marshal(root, yangxml.EncodeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}

	ed, errs := Decode([]byte(doc.String()), s)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if len(ed.tops) != 1 || !ed.tops[0].lazy || ed.tops[0].kids != nil {
		t.Fatalf("the bare edit's top node: lazy %v, %d children made", ed.tops[0].lazy, len(ed.tops[0].kids))
	}
	root := data.NewRoot()
	var txn data.Txn
	if errs := ed.Apply(root, &txn, Options{}); len(errs) > 0 {
		t.Fatal(errs)
	}
	if !ed.tops[0].lazy {
		t.Error("creating the bare subtree made its edit nodes")
	}
	want := encode(root)
	if !strings.Contains(want, "<name>e1999</name><v>x1999</v>") {
		t.Fatalf("the created list lacks its last entry: %.200s", want)
	}

	// The same entries merged into a list holding two of them with other values: the list's
	// children are made (one level), each entry's as needed; the existing entries keep their
	// places.
	var merged strings.Builder
	merged.WriteString(`<other xmlns="urn:ex"><entry><name>e5</name><v>x5</v></entry><entry><name>e7</name><v>x7</v></entry>`)
	for i := range 2000 {
		if i != 5 && i != 7 {
			fmt.Fprintf(&merged, "<entry><name>e%d</name><v>x%d</v></entry>", i, i)
		}
	}
	merged.WriteString(`</other>`)
	want = merged.String()
	start, errs := yangxml.Unmarshal([]byte(`<other xmlns="urn:ex"><entry><name>e5</name><v>old</v></entry><entry><name>e7</name></entry></other>`), s, yangxml.DecodeOptions{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	ed2, errs := Decode([]byte(doc.String()), s)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if errs := ed2.Apply(start, &txn, Options{}); len(errs) > 0 {
		t.Fatal(errs)
	}
	if got := encode(start); got != want {
		t.Errorf("merged into a list with some entries:\n got %.300s\nwant %.300s", got, want)
	}
	if ed2.tops[0].lazy || len(ed2.tops[0].kids) != 2000 {
		t.Errorf("merge into the existing list: %d entry nodes made, want 2000", len(ed2.tops[0].kids))
	}
	// Undone and applied again (Apply's contract), the result is the same.
	txn.Undo()
	if errs := ed2.Apply(start, &txn, Options{}); len(errs) > 0 {
		t.Fatal(errs)
	}
	if got := encode(start); got != want {
		t.Errorf("the second application after an undo differs:\n got %.300s\nwant %.300s", got, want)
	}
}
