package yangxml

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ncws/ncws/pkg/data"
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
    leaf s { type string; }
    leaf idr { type identityref { base proto; } }
    leaf iid { type instance-identifier { require-instance false; } }
    leaf e { type empty; }
    leaf-list ll { type string; }
    list item {
      key "k1 k2";
      leaf v { type string; }
      leaf k1 { type string; }
      leaf k2 { type uint8; }
    }
    anydata any;
    container state { config false; leaf-list sl { type uint8; } }
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
  augment "/ex:top" { leaf x { type string; } }
}
`

// loadYANG writes modules to a temporary directory and compiles them.
func loadYANG(tb testing.TB, mods map[string]string) *schema.Schema {
	tb.Helper()
	dir := tb.TempDir()
	var files []string
	for name, text := range mods {
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

func exSchema(tb testing.TB) *schema.Schema {
	return loadYANG(tb, map[string]string{"ex": exYang, "aug": augYang})
}

// errStrings renders errors as "LINE TAG PATH: MESSAGE" for comparison.
func errStrings(errs rpcerror.List) []string {
	var out []string
	for _, e := range errs {
		out = append(out, fmt.Sprintf("%d %s %s: %s", e.Line, e.Tag, e.Path, e.Message))
	}
	return out
}

// manyDecls returns n namespace declarations (xmlns:pI="urn:decl:I") as attribute text.
func manyDecls(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, ` xmlns:p%d="urn:decl:%d"`, i, i)
	}
	return b.String()
}

func TestUnmarshal(t *testing.T) {
	s := exSchema(t)
	tests := []struct {
		name string
		doc  string
		want string // canonical re-encoding
	}{
		{"bare", `<top xmlns="urn:ex"><a>+07</a></top>`, `<top xmlns="urn:ex"><a>7</a></top>`},
		{"several top-level", `<top xmlns="urn:ex"><a>1</a></top><flag xmlns="urn:ex">true</flag>`,
			`<top xmlns="urn:ex"><a>1</a></top><flag xmlns="urn:ex">true</flag>`},
		{"config wrapper", `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
			`<nc:config xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0"><top xmlns="urn:ex"><a>1</a></top></nc:config>`,
			`<top xmlns="urn:ex"><a>1</a></top>`},
		{"data wrapper, BOM", "\xef\xbb\xbf" + `<data xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><top xmlns="urn:ex"/></data>`,
			`<top xmlns="urn:ex"/>`},
		{"prefixed elements", `<e:top xmlns:e="urn:ex"><e:s>v</e:s><a:x xmlns:a="urn:aug">y</a:x></e:top>`,
			`<top xmlns="urn:ex"><s>v</s><x xmlns="urn:aug">y</x></top>`},
		{"schema order", `<top xmlns="urn:ex"><x xmlns="urn:aug">y</x><ll>b</ll><s>v</s><ll>a</ll><a>1</a></top>`,
			`<top xmlns="urn:ex"><a>1</a><s>v</s><ll>b</ll><ll>a</ll><x xmlns="urn:aug">y</x></top>`},
		{"other children before the keys", `<top xmlns="urn:ex"><item><v>x</v><k1>a</k1><k2>01</k2></item></top>`,
			`<top xmlns="urn:ex"><item><k1>a</k1><k2>1</k2><v>x</v></item></top>`},
		{"identityref prefixes", `<top xmlns="urn:ex" xmlns:p="urn:aug"><idr>p:udp</idr></top>`,
			`<top xmlns="urn:ex"><idr xmlns:au="urn:aug">au:udp</idr></top>`},
		{"identityref default namespace", `<top xmlns="urn:ex"><idr>tcp</idr></top>`,
			`<top xmlns="urn:ex"><idr xmlns:ex="urn:ex">ex:tcp</idr></top>`},
		{"instance-identifier", `<top xmlns="urn:ex"><iid xmlns:e="urn:ex" xmlns:a="urn:aug">/e:top/e:item[e:k1="a"][e:k2='1']/a:x</iid></top>`,
			`<top xmlns="urn:ex"><iid xmlns:ex="urn:ex" xmlns:au="urn:aug">/ex:top/ex:item[ex:k1='a'][ex:k2='1']/au:x</iid></top>`},
		{"entities, CDATA, comments", `<top xmlns="urn:ex"><s>a&lt;&#38;&#x3e;<![CDATA[<b>]]>c&#13;<!-- c -->` + "\n" + `<?pi?></s></top>`,
			`<top xmlns="urn:ex"><s>a&lt;&amp;&gt;&lt;b&gt;c&#13;</s></top>`},
		{"CRLF normalized", "<top xmlns=\"urn:ex\"><s>a\r\nb\rc</s></top>", "<top xmlns=\"urn:ex\"><s>a\nb\nc</s></top>"},
		{"empty leaf", `<top xmlns="urn:ex"><e></e></top>`, `<top xmlns="urn:ex"><e/></top>`},
		{"state leaf-list repeats", `<top xmlns="urn:ex"><state><sl>1</sl><sl>1</sl></state></top>`,
			`<top xmlns="urn:ex"><state><sl>1</sl><sl>1</sl></state></top>`},
		{"anydata self-contained", `<top xmlns="urn:ex" xmlns:q="urn:q"><any><q:foo><bar xmlns="urn:b" q:at="1">1</bar></q:foo><z xmlns:q="urn:z"/></any></top>`,
			`<top xmlns="urn:ex"><any><q:foo xmlns:q="urn:q" xmlns="urn:ex"><bar xmlns="urn:b" q:at="1">1</bar></q:foo><z xmlns="urn:ex" xmlns:q="urn:z"/></any></top>`},
		{"foreign attributes ignored", `<top xmlns="urn:ex" xmlns:o="urn:other" o:x="1" y="2"><a o:z="3">1</a></top>`,
			`<top xmlns="urn:ex"><a>1</a></top>`},
		{"default namespace undeclared inside anydata", `<top xmlns="urn:ex"><any><p xmlns="">t</p></any></top>`,
			`<top xmlns="urn:ex"><any><p xmlns="">t</p></any></top>`},
		// Past smallScope declarations the scope is indexed: rebinding and restoring a prefix.
		{"many declarations, a prefix rebound inside", `<e:top xmlns:e="urn:ex"` + manyDecls(40) +
			`><e:s>v</e:s><e:x xmlns:e="urn:aug">y</e:x><e:a>1</e:a></e:top>`,
			`<top xmlns="urn:ex"><a>1</a><s>v</s><x xmlns="urn:aug">y</x></top>`},
		{"many declarations, identityref prefix", `<top xmlns="urn:ex" xmlns:p="urn:aug"` + manyDecls(40) + `><idr>p:udp</idr></top>`,
			`<top xmlns="urn:ex"><idr xmlns:au="urn:aug">au:udp</idr></top>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, errs := Unmarshal([]byte(tt.doc), s, DecodeOptions{})
			if len(errs) > 0 {
				t.Fatalf("Unmarshal: %v", errs)
			}
			got, err := Marshal(root, EncodeOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, string(got)); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestUnmarshalErrors(t *testing.T) {
	s := exSchema(t)
	tests := []struct {
		name string
		doc  string
		opts DecodeOptions
		want []string
	}{
		{"bad values, all reported", "<top xmlns=\"urn:ex\">\n<a>200</a>\n<ll>x</ll><item><k1>a</k1><k2>x</k2></item>\n<idr>zz:tcp</idr></top>",
			DecodeOptions{}, []string{
				`2 invalid-value /ex:top/a: value "200" is out of int8 bounds`,
				`3 invalid-value /ex:top/item[k1='a']/k2: invalid uint8 value "x"`,
				`4 invalid-value /ex:top/idr: invalid identityref "zz:tcp" value - unknown prefix "zz"`,
			}},
		{"unknown element", "<top xmlns=\"urn:ex\">\n<nope><a>1</a></nope><a>1</a></top>", DecodeOptions{},
			[]string{`2 unknown-element /ex:top: unknown element "nope" in container "top"`}},
		{"unknown namespace", `<top xmlns="urn:ex"><a xmlns="urn:zz">1</a></top><b/>`, DecodeOptions{},
			[]string{`1 unknown-namespace /ex:top: unknown namespace "urn:zz" of element "a"`,
				`1 unknown-namespace /: unknown namespace "" of element "b"`}},
		{"unknown top-level element", `<top2 xmlns="urn:ex"/>`, DecodeOptions{},
			[]string{`1 unknown-element /: unknown element "top2"`}},
		{"duplicate leaf", "<top xmlns=\"urn:ex\"><a>1</a>\n<a>2</a></top>", DecodeOptions{},
			[]string{`2 bad-element /ex:top/a: duplicate instance of "a"`}},
		{"duplicate list entry", "<top xmlns=\"urn:ex\"><item><k1>a</k1><k2>1</k2></item>\n<item><k1>a</k1><k2>01</k2></item></top>", DecodeOptions{},
			[]string{`2 bad-element /ex:top/item[k1='a'][k2='1']: duplicate instance of "item"`}},
		{"duplicate leaf-list entry", "<top xmlns=\"urn:ex\"><ll>a</ll><ll>a</ll></top>", DecodeOptions{},
			[]string{`1 bad-element /ex:top/ll[.='a']: duplicate instance of "ll"`}},
		{"duplicate container", "<top xmlns=\"urn:ex\"/><top xmlns=\"urn:ex\"/>", DecodeOptions{},
			[]string{`1 bad-element /ex:top: duplicate instance of "top"`}},
		{"text in container", "<top xmlns=\"urn:ex\">hello<a>1</a></top>", DecodeOptions{},
			[]string{`1 bad-element /ex:top: text "hello" inside container "top"`}},
		// Error-paths are those of the point where the error is found, as yanglint gives them: a
		// list entry names only the keys read so far; a bad leaf-list value has no predicate.
		// A key whose value is refused gets that error only, not also "has no key".
		{"bad value before the keys", `<top xmlns="urn:ex"><item><k2>x</k2><k1>a</k1></item></top>`, DecodeOptions{},
			[]string{`1 invalid-value /ex:top/item/k2: invalid uint8 value "x"`}},
		{"bad key and missing key", `<top xmlns="urn:ex"><item><k2>x</k2></item></top>`, DecodeOptions{},
			[]string{`1 invalid-value /ex:top/item/k2: invalid uint8 value "x"`,
				`1 missing-element /ex:top/item: list entry "item" has no key "k1"`}},
		{"unknown element between the keys", `<top xmlns="urn:ex"><item><k1>a</k1><zz/><k2>1</k2></item></top>`, DecodeOptions{},
			[]string{`1 unknown-element /ex:top/item[k1='a']: unknown element "zz" in list "item"`}},
		{"bad leaf-list value", `<top xmlns="urn:ex"><ll>a</ll></top><flag xmlns="urn:ex">yes</flag>`, DecodeOptions{},
			[]string{`1 invalid-value /ex:flag: invalid boolean value "yes"`}},
		{"keys out of order", `<top xmlns="urn:ex"><item><k2>1</k2><v>x</v><k1>a</k1></item></top>`, DecodeOptions{},
			[]string{`1 bad-element /ex:top/item[k2='1']/k1: key "k1" of list "item" after key "k2": keys must follow the key statement's order`}},
		// A comment or processing instruction ends a value; only whitespace may follow it.
		{"text after a comment in a leaf", "<top xmlns=\"urn:ex\"><s>ab<!-- c -->cd</s><ll>x<?pi?>\n</ll></top>", DecodeOptions{},
			[]string{`1 invalid-value /ex:top/s: text after a comment or processing instruction in leaf "s": the value ends at the first one`}},
		{"CDATA after a comment in a leaf", "<top xmlns=\"urn:ex\"><ll>ab<!-- c --><![CDATA[]]></ll></top>", DecodeOptions{},
			[]string{`1 invalid-value /ex:top/ll[.='ab']: text after a comment or processing instruction in leaf-list "ll": the value ends at the first one`}},
		{"value ends at a comment", "<top xmlns=\"urn:ex\"><a>1<!-- c -->2</a></top>", DecodeOptions{},
			[]string{`1 invalid-value /ex:top/a: text after a comment or processing instruction in leaf "a": the value ends at the first one`}},
		{"empty value before a comment", "<top xmlns=\"urn:ex\"><a><!-- c -->2</a></top>", DecodeOptions{},
			[]string{`1 invalid-value /ex:top/a: invalid int8 value ""`}},
		// Text after a child element is reported at that child (a key: without its own predicate).
		{"text after a child", "<top xmlns=\"urn:ex\">\n<a>1</a>hello<s>x</s></top>", DecodeOptions{},
			[]string{`2 bad-element /ex:top/a: text after the end tag of <a>: only elements may follow`}},
		{"character reference after a child", `<top xmlns="urn:ex"><ll>a</ll>&#32;</top>`, DecodeOptions{},
			[]string{`1 bad-element /ex:top/ll[.='a']: text after the end tag of <ll>: only elements may follow`}},
		{"text after a key", `<top xmlns="urn:ex"><item><k1>a</k1>x<k2>1</k2></item></top>`, DecodeOptions{},
			[]string{`1 bad-element /ex:top/item/k1: text after the end tag of <k1>: only elements may follow`}},
		{"text after a comment in a container", `<top xmlns="urn:ex"><!-- c --><![CDATA[x]]><a>1</a></top>`, DecodeOptions{},
			[]string{`1 bad-element /ex:top: text "x" inside container "top"`}},
		{"text after a top-level element", `<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><top xmlns="urn:ex"/>x</config>`, DecodeOptions{},
			[]string{`1 bad-element /ex:top: text after the end tag of <top>: only elements may follow`}},
		{"state node rejected", `<top xmlns="urn:ex"><state><sl>x</sl></state><zz/></top>`, DecodeOptions{RejectState: true},
			[]string{`1 unknown-element /ex:top/state: state data node "state" in configuration`,
				`1 unknown-element /ex:top: unknown element "zz" in container "top"`}},
		{"state node read", `<top xmlns="urn:ex"><state><sl>1</sl></state></top>`, DecodeOptions{}, nil},
		{"strict attributes", `<top xmlns="urn:ex" xmlns:y="urn:ietf:params:xml:ns:yang:1" xmlns:o="urn:o"><ll y:insert="first">a</ll><item><k1 y:insert="middle">a</k1><k2 o:x="1">1</k2></item></top>`,
			DecodeOptions{StrictAttrs: true}, []string{
				`1 bad-attribute /ex:top/item: invalid metadata annotation y:insert="middle"`,
				`1 bad-attribute /ex:top/item[k1='a']: attribute o:x is not a known metadata annotation`}},
		{"element in leaf", "<top xmlns=\"urn:ex\"><a><b/></a></top>", DecodeOptions{},
			[]string{`1 bad-element /ex:top/a: element "b" inside leaf "a"`}},
		{"wrapper required", `<top xmlns="urn:ex"/>`, DecodeOptions{RequireWrapper: true},
			[]string{`1 unknown-element /: unknown element "top"`, `1 missing-element /: missing <config> wrapper element`}},
		{"wrapper refused", `<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"/>`, DecodeOptions{Wrappers: []string{}},
			[]string{`1 unknown-namespace /: unknown namespace "urn:ietf:params:xml:ns:netconf:base:1.0" of element "config"`}},
		{"element after wrapper", `<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"/><top xmlns="urn:ex"/>`, DecodeOptions{},
			[]string{`1 bad-element /: element "top" after the <config> wrapper`}},
		// Well-formedness errors stop decoding.
		{"mismatched tag", "<top xmlns=\"urn:ex\">\n<a>1</b></top>", DecodeOptions{},
			[]string{`2 malformed-message : malformed XML: end tag </b> does not match <a>`}},
		{"unclosed", "<top xmlns=\"urn:ex\">\n", DecodeOptions{},
			[]string{`2 malformed-message : malformed XML: unexpected end of document: element <top> not closed`}},
		{"doctype", "<!DOCTYPE top [<!ENTITY x \"y\">]><top xmlns=\"urn:ex\"/>", DecodeOptions{},
			[]string{`1 malformed-message : malformed XML: DOCTYPE is not allowed`}},
		{"unknown entity", "<top xmlns=\"urn:ex\"><s>&x;</s></top>", DecodeOptions{},
			[]string{`1 malformed-message : malformed XML: invalid reference "&x;"`}},
		{"bad char ref", "<top xmlns=\"urn:ex\"><s>&#0;</s></top>", DecodeOptions{},
			[]string{`1 malformed-message : malformed XML: invalid reference "&#0;"`}},
		{"duplicate attribute", `<top xmlns="urn:ex" a="1" a="2"/>`, DecodeOptions{},
			[]string{`1 malformed-message : malformed XML: duplicate attribute a in <top>`}},
		{"duplicate expanded attribute", `<top xmlns="urn:ex" xmlns:p="urn:p" xmlns:q="urn:p" p:a="1" q:a="2"/>`, DecodeOptions{},
			[]string{`1 malformed-message : malformed XML: duplicate attribute {urn:p}a`}},
		{"unbound prefix", `<p:top xmlns="urn:ex"/>`, DecodeOptions{},
			[]string{`1 malformed-message : malformed XML: unbound namespace prefix "p" in <p:top>`}},
		{"prefix undeclared", `<top xmlns="urn:ex" xmlns:p=""/>`, DecodeOptions{},
			[]string{`1 malformed-message : malformed XML: namespace prefix p undeclared (not allowed in XML Namespaces 1.0)`}},
		{"text outside root", "<top xmlns=\"urn:ex\"/>\nx", DecodeOptions{},
			[]string{`2 malformed-message : malformed XML: text outside the root element`}},
		{"late xml declaration", "\n<?xml version=\"1.0\"?><top xmlns=\"urn:ex\"/>", DecodeOptions{},
			[]string{`2 malformed-message : malformed XML: XML declaration not at the start of the document`}},
		{"depth limit", strings.Repeat("<any>", 3), DecodeOptions{MaxDepth: 2},
			[]string{`1 unknown-namespace /: unknown namespace "" of element "any"`,
				`1 malformed-message : malformed XML: elements nested deeper than 2`}},
		{"empty document", "  ", DecodeOptions{},
			[]string{`1 malformed-message : malformed XML: no root element`}},
		{"empty document allowed", "<?xml version=\"1.0\"?>\n<!-- nothing -->\n", DecodeOptions{AllowEmpty: true}, nil},
		{"empty document allowed, still well-formed", "<!-- a -- b -->", DecodeOptions{AllowEmpty: true},
			[]string{`1 malformed-message : malformed XML: "--" inside a comment`}},
		{"double hyphen in comment", "<!-- a -- b --><top xmlns=\"urn:ex\"/>", DecodeOptions{},
			[]string{`1 malformed-message : malformed XML: "--" inside a comment`}},
		{"invalid UTF-8", "<top xmlns=\"urn:ex\"><s>\xff</s></top>", DecodeOptions{},
			[]string{`1 malformed-message : malformed XML: invalid UTF-8`}},
		{"CDATA end in text", "<top xmlns=\"urn:ex\"><s>]]></s></top>", DecodeOptions{},
			[]string{`1 malformed-message : malformed XML: "]]>" in character data`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, errs := Unmarshal([]byte(tt.doc), s, tt.opts)
			if diff := cmp.Diff(tt.want, errStrings(errs)); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
			if len(errs) > 0 && errs[len(errs)-1].Tag == rpcerror.TagMalformedMessage && root != nil {
				t.Errorf("tree returned after a syntax error")
			}
		})
	}
}

func TestUnmarshalLines(t *testing.T) {
	s := exSchema(t)
	doc := "<top xmlns=\"urn:ex\">\n  <a>1</a>\n  <item>\n    <k1>a</k1><k2>1</k2>\n  </item>\n</top>\n"
	root, errs := Unmarshal([]byte(doc), s, DecodeOptions{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var got []string
	root.Walk(func(n *data.Node) bool {
		if !n.IsRoot() {
			got = append(got, fmt.Sprintf("%s:%d", n.Name(), n.Line))
		}
		return true
	})
	want := []string{"top:1", "a:2", "item:3", "k1:4", "k2:4"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

func TestUnmarshalAttrHook(t *testing.T) {
	s := exSchema(t)
	doc := `<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0">` +
		`<top xmlns="urn:ex" nc:operation="merge"><a nc:operation="delete" plain="x &amp; y">1</a></top></config>`
	var got []string
	opts := DecodeOptions{Attr: func(n *data.Node, a Attr) *rpcerror.Error {
		got = append(got, fmt.Sprintf("%s {%s}%s=%q", n.Name(), a.Namespace, a.Local, a.Value))
		if a.Value == "delete" {
			return rpcerror.BadAttribute(rpcerror.Protocol, a.Local, n.Name(), "no delete here")
		}
		return nil
	}}
	_, errs := Unmarshal([]byte(doc), s, opts)
	want := []string{
		`top {urn:ietf:params:xml:ns:netconf:base:1.0}operation="merge"`,
		`a {urn:ietf:params:xml:ns:netconf:base:1.0}operation="delete"`,
		`a {}plain="x & y"`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("attributes mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"1 bad-attribute /ex:top/a: no delete here"}, errStrings(errs)); diff != "" {
		t.Errorf("errors mismatch (-want +got):\n%s", diff)
	}
}

func TestUnmarshalAttrResolve(t *testing.T) {
	s := exSchema(t)
	doc := `<top xmlns="urn:ex" xmlns:p="urn:aug"><s xmlns:q="urn:ex" q:x="1">v</s></top>`
	var got []string
	opts := DecodeOptions{Attr: func(n *data.Node, a Attr) *rpcerror.Error {
		for _, p := range []string{"p", "q", "", "z"} {
			name := "<nil>"
			if m := a.Resolve(p); m != nil {
				name = m.Name
			}
			got = append(got, p+"="+name)
		}
		return nil
	}}
	if _, errs := Unmarshal([]byte(doc), s, opts); len(errs) > 0 {
		t.Fatal(errs)
	}
	if diff := cmp.Diff([]string{"p=aug", "q=ex", "=ex", "z=<nil>"}, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

func TestUnmarshalKeepText(t *testing.T) {
	s := exSchema(t)
	doc := `<top xmlns="urn:ex"><a>not a number</a><s>kept</s><ll>x</ll></top>`
	opts := DecodeOptions{KeepText: func(n *data.Node) bool { return n.Name() == "a" }}
	root, errs := Unmarshal([]byte(doc), s, opts)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var got []string
	root.Walk(func(n *data.Node) bool {
		if n.Schema != nil && n.Schema.Type != nil {
			got = append(got, fmt.Sprintf("%s=%q typed=%v", n.Name(), n.Value.Str, n.Value.Type != nil))
		}
		return true
	})
	want := []string{`a="not a number" typed=false`, `s="kept" typed=true`, `ll="x" typed=true`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}
