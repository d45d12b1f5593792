package yangjson

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/schema/yangload"
)

const exYang = `module ex {
  yang-version 1.1;
  namespace "urn:ex";
  prefix ex;
  identity proto;
  identity tcp { base proto; }
  container top {
    leaf a { type int8; }
    leaf big { type uint64; }
    leaf d { type decimal64 { fraction-digits 2; } }
    leaf s { type string; }
    leaf idr { type identityref { base proto; } }
    leaf iid { type instance-identifier { require-instance false; } }
    leaf e { type empty; }
    leaf u { type union { type int8; type string; } }
    leaf-list ll { type string; }
    list item {
      key "k1 k2";
      leaf v { type string; }
      leaf k1 { type string; }
      leaf k2 { type uint8; }
    }
    container state { config false; leaf-list sl { type uint8; } }
    leaf us { type union { type uint16; type string; } }
    leaf se { type union { type string; type empty; } }
    leaf-list lu { type union { type boolean; type uint8; type string; } }
  }
  leaf flag { type boolean; }
}
`

const augYang = `module aug {
  yang-version 1.1;
  namespace "urn:aug";
  prefix au;
  import ex { prefix ex; }
  identity udp { base ex:proto; }
  augment "/ex:top" { leaf x { type string; } anydata any; }
}
`

func exSchema(tb testing.TB) *schema.Schema {
	tb.Helper()
	dir := tb.TempDir()
	var files []string
	for name, text := range map[string]string{"ex": exYang, "aug": augYang} {
		f := filepath.Join(dir, name+".yang")
		if err := os.WriteFile(f, []byte(text), 0o644); err != nil {
			tb.Fatal(err)
		}
		files = append(files, f)
	}
	s, err := yangload.Load(yangload.Options{SearchPaths: []string{dir}, Files: files})
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func TestRoundTripXMLJSON(t *testing.T) {
	s := exSchema(t)
	doc := `<top xmlns="urn:ex" xmlns:p="urn:aug"><a>-5</a><big>18446744073709551615</big><d>1.50</d>` +
		`<s>a"b\c` + "\n" + `</s><idr>p:udp</idr><iid xmlns:e="urn:ex">/e:top/e:item[e:k1='x'][e:k2='1']/p:x</iid><e/>` +
		`<u>7</u><ll>b</ll><ll>a</ll><item><k1>x</k1><k2>1</k2><v>v</v></item><item><k1>y</k1><k2>2</k2></item>` +
		`<state><sl>1</sl><sl>1</sl></state><x xmlns="urn:aug">y</x></top><flag xmlns="urn:ex">false</flag>`
	root, errs := yangxml.Unmarshal([]byte(doc), s, yangxml.DecodeOptions{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	js, err := Marshal(root, EncodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	wantJSON := `{"ex:top":{"a":-5,"big":"18446744073709551615","d":"1.5","s":"a\"b\\c\n","idr":"aug:udp",` +
		`"iid":"/ex:top/item[k1='x'][k2='1']/aug:x","e":[null],"u":7,"ll":["b","a"],` +
		`"item":[{"k1":"x","k2":1,"v":"v"},{"k1":"y","k2":2}],"state":{"sl":[1,1]},"aug:x":"y"},"ex:flag":false}`
	if diff := cmp.Diff(wantJSON, string(js)); diff != "" {
		t.Errorf("JSON mismatch (-want +got):\n%s", diff)
	}
	root2, errs := Unmarshal(js, s, DecodeOptions{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	x1, err := yangxml.Marshal(root, yangxml.EncodeOptions{Schema: s})
	if err != nil {
		t.Fatal(err)
	}
	x2, err := yangxml.Marshal(root2, yangxml.EncodeOptions{Schema: s})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(x1), string(x2)); diff != "" {
		t.Errorf("XML -> JSON -> XML mismatch (-want +got):\n%s", diff)
	}
	js2, _ := Marshal(root2, EncodeOptions{})
	if diff := cmp.Diff(string(js), string(js2)); diff != "" {
		t.Errorf("JSON round trip mismatch (-want +got):\n%s", diff)
	}
}

func TestMarshalIndent(t *testing.T) {
	s := exSchema(t)
	root, errs := Unmarshal([]byte(`{"ex:top":{"ll":["a"],"aug:any":{"k":[1,2]}}}`), s, DecodeOptions{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	got, _ := Marshal(root, EncodeOptions{Indent: "  "})
	want := "{\n  \"ex:top\": {\n    \"ll\": [\n      \"a\"\n    ],\n    \"aug:any\": {\"k\":[1,2]}\n  }\n}\n"
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

func TestUnmarshalErrors(t *testing.T) {
	s := exSchema(t)
	tests := []struct {
		name string
		doc  string
		want []string
	}{
		{"values", "{\"ex:top\":{\n\"a\":\"5\",\n\"big\":5,\"d\":\"1.555\",\"idr\":\"nope:x\",\"e\":null,\"ll\":[\"a\",\"a\"]}}", []string{
			`2 invalid-value /ex:top/a: invalid JSON value "5" for leaf "a" of type int8`,
			`3 invalid-value /ex:top/big: invalid JSON value 5 for leaf "big" of type uint64`,
			`3 invalid-value /ex:top/d: value "1.555" has more than 2 fraction digits`,
			`3 invalid-value /ex:top/idr: invalid identityref "nope:x" value - unknown prefix "nope"`,
			`3 invalid-value /ex:top/e: invalid JSON value null for leaf "e" of type empty`,
			`3 bad-element /ex:top/ll[.='a']: duplicate instance of "ll"`,
		}},
		{"unknown members", `{"top":{},"zz:top":{},"ex:top":{"q":1,"aug:q":[1]}}`, []string{
			`1 unknown-element /: top-level member "top" without a module name`,
			`1 unknown-namespace /: unknown module "zz" of member "zz:top"`,
			`1 unknown-element /ex:top: unknown member "q" in container "top"`,
			`1 unknown-element /ex:top: unknown member "aug:q" in container "top"`,
		}},
		{"list key missing and duplicate", "{\"ex:top\":{\"item\":[{\"k1\":\"a\"},\n{\"k1\":\"b\",\"k2\":1},{\"k2\":1,\"k1\":\"b\"}]}}", []string{
			`1 missing-element /ex:top/item[k1='a']: list entry "item" has no key "k2"`,
			`2 bad-element /ex:top/item[k1='b'][k2='1']: duplicate instance of "item"`,
		}},
		{"list key of a refused value", `{"ex:top":{"item":[{"k1":"a","k2":"1"},{"k1":"b","k2":300}]}}`, []string{
			`1 invalid-value /ex:top/item[k1='a']/k2: invalid JSON value "1" for leaf "k2" of type uint8`,
			`1 invalid-value /ex:top/item[k1='b']/k2: value "300" is out of uint8 bounds`,
		}},
		{"union members by JSON kind", `{"ex:top":{"a":"5","us":true}}`, []string{
			`1 invalid-value /ex:top/a: invalid JSON value "5" for leaf "a" of type int8`,
			`1 invalid-value /ex:top/us: invalid union value true - no member type accepts it`,
		}},
		{"wrong shapes", `{"ex:top":{"item":{},"ll":"a","state":[]}}`, []string{
			`1 bad-element /ex:top/item: list "item" must be a JSON array`,
			`1 bad-element /ex:top/ll: leaf-list "ll" must be a JSON array`,
			`1 bad-element /ex:top/state: container "state" must be a JSON object`,
		}},
		{"syntax", "{\"ex:top\":\n{\"a\":}}", []string{`2 malformed-message : malformed JSON: invalid character '}' looking for beginning of value`}},
		{"truncated", "{\"ex:top\":{", []string{`1 malformed-message : malformed JSON: unexpected end of document`}},
		{"not an object", `[1]`, []string{`1 malformed-message : malformed JSON: the document must be a JSON object`}},
		{"trailing data", `{} {}`, []string{`1 malformed-message : malformed JSON: data after the top-level object`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := Unmarshal([]byte(tt.doc), s, DecodeOptions{})
			var got []string
			for _, e := range errs {
				got = append(got, fmt.Sprintf("%d %s %s: %s", e.Line, e.Tag, e.Path, e.Message))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestUnionMembers: a union value is parsed as the first member type whose JSON kind it has
// (RFC 7951 section 6.10), as yanglint does: the string "161" is the string member's value even
// when a uint16 member comes first, the number 161 the uint16's, [null] the empty member's. The
// member shows in how the value is encoded again.
func TestUnionMembers(t *testing.T) {
	s := exSchema(t)
	for _, tt := range []struct{ doc, want string }{
		{`{"ex:top":{"us":"161"}}`, `{"ex:top":{"us":"161"}}`},
		{`{"ex:top":{"us":161}}`, `{"ex:top":{"us":161}}`},
		{`{"ex:top":{"u":"7"}}`, `{"ex:top":{"u":"7"}}`},
		{`{"ex:top":{"u":7}}`, `{"ex:top":{"u":7}}`},
		{`{"ex:top":{"se":[null]}}`, `{"ex:top":{"se":[null]}}`},
		{`{"ex:top":{"se":""}}`, `{"ex:top":{"se":""}}`},
		{`{"ex:top":{"lu":[true,"false",1,"2"]}}`, `{"ex:top":{"lu":[true,"false",1,"2"]}}`},
	} {
		root, errs := Unmarshal([]byte(tt.doc), s, DecodeOptions{})
		if len(errs) > 0 {
			t.Errorf("%s: %v", tt.doc, errs)
			continue
		}
		got, err := Marshal(root, EncodeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, string(got)); diff != "" {
			t.Errorf("%s: mismatch (-want +got):\n%s", tt.doc, diff)
		}
	}
}

func FuzzUnmarshal(f *testing.F) {
	s := exSchema(f)
	for _, d := range []string{`{"ex:top":{"a":1,"ll":["x"],"item":[{"k1":"a","k2":1}],"e":[null]}}`,
		`{"ex:flag":true,"ex:top":{"aug:any":{"x":[1,{"y":null}]},"idr":"aug:udp"}}`, `{"a":`} {
		f.Add([]byte(d))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		root, errs := Unmarshal(doc, s, DecodeOptions{MaxDepth: 64})
		if len(errs) > 0 {
			if errs[len(errs)-1].Tag == rpcerror.TagMalformedMessage && root != nil {
				t.Fatal("tree returned with a syntax error")
			}
			return
		}
		out, err := Marshal(root, EncodeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		root2, errs := Unmarshal(out, s, DecodeOptions{})
		if len(errs) > 0 {
			t.Fatalf("re-decoding %s (from %q): %v", out, doc, errs)
		}
		out2, _ := Marshal(root2, EncodeOptions{})
		if string(out) != string(out2) {
			t.Fatalf("round trip not stable:\n%s\n%s", out, out2)
		}
	})
}
