package genimpl_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/genimpl"
	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/schema/yangload"
)

const testModule = `module t {
  yang-version 1.1;
  namespace "urn:t";
  prefix t;
  identity base;
  identity one { base base; }
  container c {
    leaf i8 { type int8; }
    leaf u64 { type uint64; }
    leaf d { type decimal64 { fraction-digits 2; } }
    leaf bin { type binary; }
    leaf bits { type bits { bit a; bit b; } }
    leaf flag { type boolean; }
    leaf u {
      type union {
        type uint8;
        type union { type identityref { base base; } type string { pattern 'x+'; } }
      }
    }
    leaf ref { type leafref { path "../u"; } }
    leaf-list ll { type string; }
    list l {
      key "k";
      leaf k { type string; }
    }
  }
}
`

func load(t *testing.T) *schema.Schema {
	t.Helper()
	dir := t.TempDir()
	f := filepath.Join(dir, "t.yang")
	if err := os.WriteFile(f, []byte(testModule), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := yangload.Load(yangload.Options{Files: []string{f}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestValues(t *testing.T) {
	s := load(t)
	doc := `<c xmlns="urn:t"><i8>-5</i8><u64>18446744073709551615</u64><d>3.10</d><bin>AQI=</bin>` +
		`<bits>b a</bits><flag>true</flag><u xmlns:t="urn:t">t:one</u><ref>xx</ref></c>`
	root, errs := yangxml.Unmarshal([]byte(doc), s, yangxml.DecodeOptions{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	c := root.Children()[0]
	v := func(name string) data.Value { return c.ChildByName(name).Value }
	type got struct {
		I8    int8
		U64   uint64
		D     string
		Bin   []byte
		Bits  []string
		Flag  bool
		U     int
		UText string
		Ref   int
	}
	u, _ := genimpl.UnionMember(c.ChildByName("u").Schema.Type, v("u"))
	ref, refv := genimpl.UnionMember(c.ChildByName("ref").Schema.Type, v("ref"))
	g := got{
		I8: genimpl.Int[int8](v("i8")), U64: genimpl.Uint[uint64](v("u64")),
		D: genimpl.Decimal(v("d")).String(), Bin: genimpl.Binary(v("bin")), Bits: genimpl.Bits(v("bits")),
		Flag: genimpl.Bool(v("flag")), U: u, UText: v("u").Str, Ref: ref,
	}
	want := got{I8: -5, U64: 18446744073709551615, D: "3.1", Bin: []byte{1, 2}, Bits: []string{"a", "b"},
		Flag: true, U: 1, UText: "t:one", Ref: 2}
	if diff := cmp.Diff(want, g); diff != "" {
		t.Errorf("values mismatch (-want +got):\n%s", diff)
	}
	if refv.Str != "xx" {
		t.Errorf("leafref member value %q, want xx", refv.Str)
	}
}

func TestBuilder(t *testing.T) {
	s := load(t)
	m := s.Module("t")
	c := s.Top(m, "c")
	entry := func(key string) *data.Node {
		b := genimpl.NewBuilder(c.Child(m, "l"))
		if key != "" {
			b.Leaf("t", "k", key)
		}
		n, err := b.Done()
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	tests := []struct {
		name  string
		build func(b *genimpl.Builder)
		want  string // XML, or the error's text
		is    error
	}{
		{"values", func(b *genimpl.Builder) {
			b.Leaf("t", "i8", "-1")
			b.Leaf("t", "d", genimpl.Decimal64{Scaled: 250, Digits: 2}.String())
			b.UnionLeaf("t", "u", genimpl.UnionValue{Member: 1, Text: "t:one"})
			b.Leaf("t", "ll", "a")
			b.Leaf("t", "ll", "b")
			b.Add(entry("x"), nil)
		}, `<c xmlns="urn:t"><i8>-1</i8><d>2.5</d><u xmlns:t="urn:t">t:one</u><ll>a</ll><ll>b</ll><l><k>x</k></l></c>`, nil},
		{"union member that does not take the value", func(b *genimpl.Builder) {
			b.UnionLeaf("t", "u", genimpl.UnionValue{Member: 0, Text: "xxx"})
		}, `<c xmlns="urn:t"><u>xxx</u></c>`, nil},
		{"bad value", func(b *genimpl.Builder) { b.Leaf("t", "i8", "300") }, `genimpl: /t:c/i8: "300": `, nil},
		{"unknown node", func(b *genimpl.Builder) { b.Leaf("t", "nope", "1") }, "genimpl: schema node not found: t:nope under /t:c", genimpl.ErrNoSchema},
		{"duplicate leaf-list value", func(b *genimpl.Builder) {
			b.Leaf("t", "ll", "a")
			b.Leaf("t", "ll", "a")
		}, "genimpl: duplicate entry: /t:c/ll", genimpl.ErrDuplicate},
		{"duplicate list entry", func(b *genimpl.Builder) {
			b.Add(entry("x"), nil)
			b.Add(entry("x"), nil)
		}, "genimpl: duplicate entry: /t:c/l", genimpl.ErrDuplicate},
		{"entry without key", func(b *genimpl.Builder) { b.Add(entry(""), nil) }, "genimpl: list entry without key: /t:c/l: k", genimpl.ErrMissingKey},
		{"child error kept", func(b *genimpl.Builder) {
			b.Add(nil, errors.New("boom"))
			b.Leaf("t", "i8", "1")
		}, "boom", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := genimpl.NewBuilder(c)
			tt.build(b)
			n, err := b.Done()
			var got string
			if err != nil {
				got = err.Error()
				if tt.is != nil && !errors.Is(err, tt.is) {
					t.Errorf("error %v is not %v", err, tt.is)
				}
				if strings.HasSuffix(tt.want, ": ") && strings.HasPrefix(got, tt.want) {
					got = tt.want
				}
			} else {
				out, err := yangxml.Marshal(n, yangxml.EncodeOptions{})
				if err != nil {
					t.Fatal(err)
				}
				got = string(out)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRootBuilder(t *testing.T) {
	s := load(t)
	b := genimpl.NewRootBuilder(s)
	c, err := genimpl.NewBuilder(b.Schema("t", "c")).Done()
	b.Add(c, err) // an empty non-presence container is dropped
	n, err := b.Done()
	if err != nil {
		t.Fatal(err)
	}
	if got := len(n.Children()); got != 0 {
		t.Errorf("root has %d children, want 0", got)
	}
	if _, err := genimpl.NewRootBuilder(nil).Done(); !errors.Is(err, genimpl.ErrNoSchema) {
		t.Errorf("nil schema: error %v, want ErrNoSchema", err)
	}
}

// TestDeflateInflate: what Deflate encodes for a generated package, Inflate gives back, and
// LoadCompressedSchema decodes a compressed descriptor and module text; damaged input is an error.
func TestDeflateInflate(t *testing.T) {
	text := strings.Repeat("container interfaces { list interface { key name; } }\n", 1000)
	z := genimpl.Deflate([]byte(text))
	if len(z) > len(text)/10 {
		t.Errorf("compressed %d bytes to %d, want a tenth or less", len(text), len(z))
	}
	back, err := genimpl.Inflate(z)
	if err != nil || back != text {
		t.Fatalf("Inflate = %d bytes, %v; want the %d bytes given", len(back), err, len(text))
	}
	if _, err := genimpl.Inflate(z[:len(z)/2]); err == nil {
		t.Error("Inflate of a truncated text succeeded")
	}
	desc, err := schema.MarshalDescriptor(load(t), schema.DescriptorOptions{OmitSources: true})
	if err != nil {
		t.Fatal(err)
	}
	got, err := genimpl.LoadCompressedSchema(genimpl.Deflate(desc), map[string]string{"t": genimpl.Deflate([]byte(testModule))})
	if err != nil {
		t.Fatal(err)
	}
	if got.Module("t") == nil || got.Module("t").Source != testModule || got.FindNode("/t:c/i8") == nil {
		t.Errorf("LoadCompressedSchema lost the module, its text or its nodes")
	}
	if _, err := genimpl.LoadCompressedSchema("not base64!", nil); err == nil {
		t.Error("LoadCompressedSchema of a damaged descriptor succeeded")
	}
}
