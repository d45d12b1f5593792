package genimpl_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/genimpl"
)

// Structs as ncws gen writes them for testModule (tags per pkg/genimpl/table.go), union
// member wrappers included.
type tRoot struct {
	C *tC `yang:"t:c"`
}

type tC struct {
	I8   *int8              `yang:"i8"`
	U64  *uint64            `yang:"u64"`
	D    *genimpl.Decimal64 `yang:"d"`
	Bin  []byte             `yang:"bin,binary"`
	Bits []string           `yang:"bits,bits"`
	Flag *bool              `yang:"flag"`
	U    tU                 `yang:"u"`
	LL   []string           `yang:"ll"`
	L    []*tL              `yang:"l"`
}

type tL struct {
	K *string `yang:"k"`
}

type tU interface{ isTU() }

type tU_Uint8 uint8
type tU_String string

func (tU_Uint8) isTU()             {}
func (tU_String) isTU()            {}
func (w tU_Uint8) String() string  { return genimpl.FormatUint(uint8(w)) }
func (w tU_String) String() string { return string(w) }

var tPkg = genimpl.Package{Unions: func() []genimpl.Union {
	return []genimpl.Union{{Type: (*tU)(nil), Members: []any{(*tU_Uint8)(nil), (*tU_String)(nil), (*tU_String)(nil)}}}
}}

func TestTableRoundTrip(t *testing.T) {
	s := load(t)
	doc := `<c xmlns="urn:t"><i8>-5</i8><u64>18446744073709551615</u64><d>3.10</d><bin>AQI=</bin>` +
		`<bits>b a</bits><flag>true</flag><u>xx</u><ll>p</ll><ll>q</ll><l><k>one</k></l><l><k>two</k></l></c>`
	tree, errs := yangxml.Unmarshal([]byte(doc), s, yangxml.DecodeOptions{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var root tRoot
	if err := genimpl.FromTree(&tPkg, &root, tree); err != nil {
		t.Fatal(err)
	}
	k1, k2 := "one", "two"
	want := tRoot{C: &tC{I8: genimpl.Ptr[int8](-5), U64: genimpl.Ptr[uint64](18446744073709551615),
		D: &genimpl.Decimal64{Scaled: 310, Digits: 2}, Bin: []byte{1, 2}, Bits: []string{"a", "b"},
		Flag: genimpl.Ptr(true), U: tU_String("xx"), LL: []string{"p", "q"}, L: []*tL{{K: &k1}, {K: &k2}}}}
	if diff := cmp.Diff(want, root); diff != "" {
		t.Fatalf("FromTree mismatch (-want +got):\n%s", diff)
	}
	back, err := genimpl.ToRoot(&tPkg, &root, s)
	if err != nil {
		t.Fatal(err)
	}
	out, err := yangxml.Marshal(back, yangxml.EncodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	wantXML := `<c xmlns="urn:t"><i8>-5</i8><u64>18446744073709551615</u64><d>3.1</d><bin>AQI=</bin>` +
		`<bits>a b</bits><flag>true</flag><u>xx</u><ll>p</ll><ll>q</ll><l><k>one</k></l><l><k>two</k></l></c>`
	if diff := cmp.Diff(wantXML, string(out)); diff != "" {
		t.Errorf("ToTree mismatch (-want +got):\n%s", diff)
	}

	// A union value its wrapper's member refuses (the pattern x+ refuses "7") is taken by the
	// member of the whole union that accepts it.
	root.C.U = tU_String("7")
	back, err = genimpl.ToRoot(&tPkg, &root, s)
	if err != nil {
		t.Fatal(err)
	}
	var again tRoot
	if err := genimpl.FromTree(&tPkg, &again, back); err != nil {
		t.Fatal(err)
	}
	if again.C.U != tU(tU_Uint8(7)) {
		t.Errorf("union value 7: got %#v, want tU_Uint8(7)", again.C.U)
	}
}

func TestTableErrors(t *testing.T) {
	s := load(t)
	c := s.Top(s.Module("t"), "c")
	if _, err := genimpl.ToTree(&tPkg, &tC{L: []*tL{nil}}, c); !errors.Is(err, genimpl.ErrNilEntry) {
		t.Errorf("nil list entry: got %v, want ErrNilEntry", err)
	}
	if _, err := genimpl.ToTree(&tPkg, &tC{L: []*tL{{}}}, c); !errors.Is(err, genimpl.ErrMissingKey) {
		t.Errorf("entry without key: got %v, want ErrMissingKey", err)
	}
	type bad struct {
		F map[string]int `yang:"f"`
	}
	if _, err := genimpl.ToTree(&tPkg, &bad{}, c); err == nil {
		t.Error("unsupported field type: no error")
	}
	type noUnion struct {
		U interface{ isOther() } `yang:"u"`
	}
	if err := genimpl.FromTree(&tPkg, &noUnion{}, nil); err == nil {
		t.Error("union type missing from Package.Unions: no error")
	}
}

// TestTableConcurrent converts from several goroutines on a Package no conversion has used yet:
// the tables are built once and shared (run under -race).
func TestTableConcurrent(t *testing.T) {
	s := load(t)
	doc := `<c xmlns="urn:t"><i8>1</i8><u>xx</u><l><k>a</k></l></c>`
	tree, errs := yangxml.Unmarshal([]byte(doc), s, yangxml.DecodeOptions{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	pkg := &genimpl.Package{Unions: tPkg.Unions}
	done := make(chan error)
	for i := 0; i < 8; i++ {
		go func() {
			var root tRoot
			err := genimpl.FromTree(pkg, &root, tree)
			if err == nil {
				_, err = genimpl.ToRoot(pkg, &root, s)
			}
			done <- err
		}()
	}
	for i := 0; i < 8; i++ {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}
