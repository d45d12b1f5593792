package genimpl_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/genimpl"
)

// TestPackageShared: a Package with Shared converts through the shared one, whose union types
// another package registered (the packages of a split tree); registering after the first
// conversion panics, since the tables are built by then.
func TestPackageShared(t *testing.T) {
	s := load(t)
	var shared genimpl.Package
	shared.Register(func() []genimpl.Union {
		return []genimpl.Union{{Type: (*tU)(nil), Members: []any{(*tU_Uint8)(nil), (*tU_String)(nil), (*tU_String)(nil)}}}
	})
	own := genimpl.Package{Shared: &shared}
	tree, errs := yangxml.Unmarshal([]byte(`<c xmlns="urn:t"><u>9</u><l><k>a</k></l></c>`), s, yangxml.DecodeOptions{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var root tRoot
	if err := genimpl.FromTree(&own, &root, tree); err != nil {
		t.Fatal(err)
	}
	if root.C.U != tU(tU_Uint8(9)) || len(root.C.L) != 1 || *root.C.L[0].K != "a" {
		t.Fatalf("FromTree through Shared: %+v", root.C)
	}
	if got := genimpl.UnionText(root.C.U); got != "9" {
		t.Errorf("UnionText = %q, want 9", got)
	}
	back, err := genimpl.ToRoot(&own, &root, s)
	if err != nil {
		t.Fatal(err)
	}
	out, err := yangxml.Marshal(back, yangxml.EncodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(`<c xmlns="urn:t"><u>9</u><l><k>a</k></l></c>`, string(out)); diff != "" {
		t.Errorf("ToRoot through Shared mismatch (-want +got):\n%s", diff)
	}
	u, err := genimpl.UnionOf[tU](&own, tree.Children()[0].Children()[0].Value, tree.Children()[0].Children()[0].Schema.Type)
	if err != nil || u != tU(tU_Uint8(9)) {
		t.Errorf("UnionOf through Shared = %v, %v", u, err)
	}
	defer func() {
		r := recover()
		if r == nil || !strings.Contains(r.(string), "after the package's first conversion") {
			t.Errorf("Register after use: recovered %v, want the panic", r)
		}
	}()
	shared.Register(func() []genimpl.Union { return nil })
}
