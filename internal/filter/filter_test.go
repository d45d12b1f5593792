package filter

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/schema/yangload"
)

const ftYang = `module ft {
  yang-version 1.1;
  namespace "urn:example:ft";
  prefix ft;
  identity proto;
  identity tcp { base proto; }
  identity udp { base proto; }
  container top {
    leaf name { type string; }
    leaf count { type int32; default 5; }
    leaf-list tag { type string; }
    list user {
      key name;
      leaf name { type string; }
      leaf type { type string; }
      leaf uid { type uint16; }
      leaf-list groups { type string; }
      container info {
        leaf dept { type string; }
        leaf phone { type string; }
      }
    }
    list route {
      key "dest len";
      leaf dest { type string; }
      leaf len { type uint8; }
      leaf proto { type identityref { base proto; } }
    }
    anyxml blob;
    container state {
      config false;
      leaf uptime { type uint32; }
      leaf-list sample { type uint8; }
    }
  }
  container other {
    leaf name { type string; }
  }
}
`

const ft2Yang = `module ft2 {
  yang-version 1.1;
  namespace "urn:example:ft2";
  prefix ft2;
  import ft { prefix ft; }
  augment /ft:top {
    leaf extra { type string; }
  }
  container top {
    leaf x { type string; }
  }
}
`

const ftData = `<top xmlns="urn:example:ft">
  <name>box</name>
  <count>5</count>
  <tag>a</tag><tag>b</tag>
  <user><name>root</name><type>superuser</type><uid>0</uid><info><dept>1</dept><phone>100</phone></info></user>
  <user><name>fred</name><type>admin</type><uid>1</uid><groups>wheel</groups><groups>staff</groups><info><dept>2</dept><phone>200</phone></info></user>
  <user><name>barney</name><type>admin</type><uid>2</uid><info><dept>2</dept></info></user>
  <route xmlns:f="urn:example:ft"><dest>10.0.0.0</dest><len>8</len><proto>f:tcp</proto></route>
  <route xmlns:f="urn:example:ft"><dest>10.0.0.0</dest><len>16</len><proto>f:udp</proto></route>
  <blob><any xmlns="urn:x">text</any></blob>
  <state><uptime>7</uptime><sample>3</sample><sample>4</sample></state>
  <extra xmlns="urn:example:ft2">e</extra>
</top>
<top xmlns="urn:example:ft2"><x>1</x></top>
<other xmlns="urn:example:ft"><name>o</name></other>`

func loadSchema(tb testing.TB) *schema.Schema {
	tb.Helper()
	dir := tb.TempDir()
	var files []string
	for name, text := range map[string]string{"ft.yang": ftYang, "ft2.yang": ft2Yang} {
		f := filepath.Join(dir, name)
		if err := os.WriteFile(f, []byte(text), 0o644); err != nil {
			tb.Fatal(err)
		}
		files = append(files, f)
	}
	s, err := yangload.Load(yangload.Options{Files: files})
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func decode(tb testing.TB, s *schema.Schema, doc string) *data.Node {
	tb.Helper()
	root, errs := yangxml.Unmarshal([]byte(doc), s, yangxml.DecodeOptions{})
	if len(errs) > 0 {
		tb.Fatal(errs)
	}
	return root
}

func encode(tb testing.TB, n *data.Node) string {
	tb.Helper()
	b, err := yangxml.Marshal(n, yangxml.EncodeOptions{})
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// Shorthands for expected output.
const (
	nsFT  = `<top xmlns="urn:example:ft">`
	root0 = `<user><name>root</name><type>superuser</type><uid>0</uid><info><dept>1</dept><phone>100</phone></info></user>`
	fred  = `<user><name>fred</name><type>admin</type><uid>1</uid><groups>wheel</groups><groups>staff</groups><info><dept>2</dept><phone>200</phone></info></user>`
	barn  = `<user><name>barney</name><type>admin</type><uid>2</uid><info><dept>2</dept></info></user>`
	r8    = `<route><dest>10.0.0.0</dest><len>8</len><proto xmlns:ft="urn:example:ft">ft:tcp</proto></route>`
	r16   = `<route><dest>10.0.0.0</dest><len>16</len><proto xmlns:ft="urn:example:ft">ft:udp</proto></route>`
)

func TestSubtree(t *testing.T) {
	s := loadSchema(t)
	src := decode(t, s, ftData)
	full := encode(t, src)
	const ns = `xmlns="urn:example:ft"`
	tests := []struct {
		name, filter, want string
	}{
		// RFC 6241 section 6.4 shapes.
		{"empty filter (6.4.2)", ``, ``},
		{"blank filter", " \n <!-- nothing --> ", ``},
		{"whole subtree (6.4.3)", `<top ` + ns + `><user/></top>`, nsFT + root0 + fred + barn + `</top>`},
		{"all names (6.4.4)", `<top ` + ns + `><user><name/></user></top>`,
			nsFT + `<user><name>root</name></user><user><name>fred</name></user><user><name>barney</name></user></top>`},
		{"one entry (6.4.5)", `<top ` + ns + `><user><name>fred</name></user></top>`, nsFT + fred + `</top>`},
		{"elements of one entry (6.4.6)", `<top ` + ns + `><user><name>fred</name><type/><uid/></user></top>`,
			nsFT + `<user><name>fred</name><type>admin</type><uid>1</uid></user></top>`},
		{"multiple subtrees (6.4.7)", `<top ` + ns + `>
			<user><name>root</name><info/></user>
			<user><name>fred</name><info><phone/></info></user>
			<user><name>barney</name><type>superuser</type><info><dept/></info></user>
		</top>`, nsFT + `<user><name>root</name><info><dept>1</dept><phone>100</phone></info></user>` +
			`<user><name>fred</name><info><phone>200</phone></info></user></top>`},
		{"attribute match never holds (6.4.8)", `<top ` + ns + `><user><name ft:ifName="x" xmlns:ft="urn:example:ft"/></user></top>`, ``},

		// Namespace selection.
		{"whole top-level container", `<top ` + ns + `/>`, full[:strings.Index(full, `<other`)]},
		{"no namespace matches every module", `<top><name/></top>`, nsFT + `<name>box</name></top>`},
		{"no namespace, both tops", `<top/>`, full[:strings.Index(full, `<other`)] + `<top xmlns="urn:example:ft2"><x>1</x></top>`},
		{"other namespace", `<top xmlns="urn:example:ft2"/>`, `<top xmlns="urn:example:ft2"><x>1</x></top>`},
		{"augmented node by its namespace", `<top ` + ns + `><extra xmlns="urn:example:ft2"/></top>`,
			nsFT + `<extra xmlns="urn:example:ft2">e</extra></top>`},
		{"augmented node in no namespace", `<top ` + ns + `><extra xmlns=""/></top>`, nsFT + `<extra xmlns="urn:example:ft2">e</extra></top>`},
		{"augmented node in the parent's namespace", `<top ` + ns + `><extra/></top>`, ``},
		{"unknown namespace", `<top xmlns="urn:nowhere"/>`, ``},
		{"unknown element", `<top ` + ns + `><nothing/></top>`, ``},
		{"unknown element beside a selection", `<top ` + ns + `><nothing/><name/></top>`, nsFT + `<name>box</name></top>`},
		{"prefixed elements", `<f:top xmlns:f="urn:example:ft"><f:name/></f:top>`, nsFT + `<name>box</name></top>`},

		// Containment, selection.
		{"containment selects nothing below", `<top ` + ns + `><user><info><nothing/></info></user></top>`, ``},
		{"containment node on a missing child", `<other ` + ns + `><name/></other><top ` + ns + `><state><missing/></state></top>`,
			`<other xmlns="urn:example:ft"><name>o</name></other>`},
		{"selection with whitespace content", `<top ` + ns + `><name>
			</name></top>`, nsFT + `<name>box</name></top>`},
		{"mixed content is containment", `<top ` + ns + `>text<name/></top>`, nsFT + `<name>box</name></top>`},
		{"state data", `<top ` + ns + `><state><uptime/></state></top>`, nsFT + `<state><uptime>7</uptime></state></top>`},
		{"anyxml selection", `<top ` + ns + `><blob/></top>`, nsFT + `<blob><any xmlns="urn:x">text</any></blob></top>`},
		{"containment on anyxml selects all of it", `<top ` + ns + `><blob><any/></blob></top>`, nsFT + `<blob><any xmlns="urn:x">text</any></blob></top>`},
		{"keys always output", `<top ` + ns + `><user><uid/></user></top>`,
			nsFT + `<user><name>root</name><uid>0</uid></user><user><name>fred</name><uid>1</uid></user><user><name>barney</name><uid>2</uid></user></top>`},
		{"both keys always output", `<top ` + ns + `><route><proto/></route></top>`, nsFT + r8 + r16 + `</top>`},

		// Content match nodes.
		{"content match selects all siblings", `<top ` + ns + `><user><type>admin</type></user></top>`, nsFT + fred + barn + `</top>`},
		{"content matches AND", `<top ` + ns + `><user><type>admin</type><uid>2</uid></user></top>`, nsFT + barn + `</top>`},
		{"content match false suppresses the set", `<top ` + ns + `><user><type>admin</type><uid>0</uid><info/></user></top>`, ``},
		{"content match is output with selections", `<top ` + ns + `><user><type>admin</type><uid/></user></top>`,
			nsFT + `<user><name>fred</name><type>admin</type><uid>1</uid></user><user><name>barney</name><type>admin</type><uid>2</uid></user></top>`},
		{"content match output when containment selects nothing", `<top ` + ns + `><user><name>barney</name><info><phone/></info></user></top>`,
			nsFT + `<user><name>barney</name></user></top>`},
		{"content match with surrounding whitespace", `<top ` + ns + `><user><name>
			fred </name><uid/></user></top>`, nsFT + `<user><name>fred</name><uid>1</uid></user></top>`},
		{"canonical integer compare", `<top ` + ns + `><user><uid>+01</uid><type/></user></top>`,
			nsFT + `<user><name>fred</name><type>admin</type><uid>1</uid></user></top>`},
		{"multi-key lookup", `<top ` + ns + `><route><dest>10.0.0.0</dest><len>016</len></route></top>`, nsFT + r16 + `</top>`},
		{"partial key scan", `<top ` + ns + `><route><dest>10.0.0.0</dest></route></top>`, nsFT + r8 + r16 + `</top>`},
		{"identityref through the filter's prefix", `<top ` + ns + `><route><proto xmlns:p="urn:example:ft">p:udp</proto></route></top>`, nsFT + r16 + `</top>`},
		{"identityref through the default namespace", `<top ` + ns + `><route><proto>tcp</proto></route></top>`, nsFT + r8 + `</top>`},
		{"identityref with an unknown prefix", `<top ` + ns + `><route><proto>zz:tcp</proto></route></top>`, ``},
		{"value that does not parse", `<top ` + ns + `><user><uid>abc</uid></user></top>`, ``},
		{"no such entry", `<top ` + ns + `><user><name>wilma</name></user></top>`, ``},
		{"leaf-list content match alone selects all siblings", `<top ` + ns + `><tag>b</tag></top>`, full[:strings.Index(full, `<other`)]},
		{"leaf-list content match with selection", `<top ` + ns + `><tag>b</tag><name/></top>`, nsFT + `<name>box</name><tag>b</tag></top>`},
		{"leaf-list content matches AND", `<top ` + ns + `><user><groups>wheel</groups><groups>staff</groups><uid/></user></top>`,
			nsFT + `<user><name>fred</name><uid>1</uid><groups>wheel</groups><groups>staff</groups></user></top>`},
		{"leaf-list content match missing", `<top ` + ns + `><tag>z</tag><name/></top>`, ``},
		{"state leaf-list content match", `<top ` + ns + `><state><sample>04</sample><sample/></state></top>`, nsFT + `<state><sample>3</sample><sample>4</sample></state></top>`},
		{"state leaf-list content match and selection", `<top ` + ns + `><state><sample>04</sample><uptime/></state></top>`, nsFT + `<state><uptime>7</uptime><sample>4</sample></state></top>`},
		{"content match only at top level", `<other ` + ns + `><name>o</name></other>`, `<other xmlns="urn:example:ft"><name>o</name></other>`},
		{"content match on a container never holds", `<top ` + ns + `><user><info>x</info><uid/></user></top>`, ``},
		{"anyxml content match", `<top ` + ns + `><blob>nope</blob><name/></top>`, ``},
		{"content match with an attribute is false", `<top ` + ns + `><user><name a="1">fred</name><uid/></user></top>`, ``},
		{"xml:lang is not an attribute match", `<top ` + ns + `><user><name xml:lang="en">fred</name><uid/></user></top>`,
			nsFT + `<user><name>fred</name><uid>1</uid></user></top>`},
		{"key content match via prefix in no namespace", `<top><user><name>fred</name><uid/></user></top>`,
			nsFT + `<user><name>fred</name><uid>1</uid></user></top>`},

		// Unions.
		{"union of sibling filters for one list", `<top ` + ns + `><user><name>barney</name><uid/></user><user><name>root</name><type/></user></top>`,
			nsFT + `<user><name>root</name><type>superuser</type></user><user><name>barney</name><uid>2</uid></user></top>`},
		{"union of selection and containment", `<top ` + ns + `><user><name>fred</name><info><dept/></info></user><user><name>fred</name><uid/></user></top>`,
			nsFT + `<user><name>fred</name><uid>1</uid><info><dept>2</dept></info></user></top>`},
		{"selection subsumes containment", `<top ` + ns + `><user/><user><name>fred</name><uid/></user></top>`, nsFT + root0 + fred + barn + `</top>`},
		{"duplicate top-level filters", `<other ` + ns + `/><other ` + ns + `/>`, `<other xmlns="urn:example:ft"><name>o</name></other>`},
		{"two top-level subtrees", `<other ` + ns + `/><top ` + ns + `><name/></top>`,
			nsFT + `<name>box</name></top><other xmlns="urn:example:ft"><name>o</name></other>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Subtree([]byte(tt.filter), s)
			if err != nil {
				t.Fatalf("Subtree: %v", err)
			}
			got := encode(t, f.Apply(src))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
	if got := encode(t, src); got != full {
		t.Errorf("Apply modified its input")
	}
}

func TestSubtreeErrors(t *testing.T) {
	s := loadSchema(t)
	tests := []struct {
		name, filter, want string
	}{
		{"unbound prefix", `<x:top/>`, `unbound namespace prefix "x"`},
		{"not well-formed", `<top>`, `subtree filter: `},
		{"text outside elements", `oops<top/>`, `subtree filter: `},
		{"unbound attribute prefix", `<top a:b="1"/>`, `unbound namespace prefix "a"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Subtree([]byte(tt.filter), s)
			if err == nil {
				t.Fatalf("Subtree = %v, want an error", f)
			}
			if err.Tag != rpcerror.TagInvalidValue || err.Type != rpcerror.Application || !strings.Contains(err.Message, tt.want) {
				t.Errorf("error = %v (%s/%s), want invalid-value/application containing %q", err, err.Type, err.Tag, tt.want)
			}
		})
	}
}

func TestApplyKeepsDefaults(t *testing.T) {
	s := loadSchema(t)
	src := decode(t, s, ftData)
	top := src.Children()[0]
	top.Child(s.FindNode("/ft:top/count")).Default = true
	for _, tt := range []struct {
		name string
		f    func() (*Filter, *rpcerror.Error)
	}{
		{"subtree", func() (*Filter, *rpcerror.Error) {
			return Subtree([]byte(`<top xmlns="urn:example:ft"><count/><name/></top>`), s)
		}},
		{"xpath", func() (*Filter, *rpcerror.Error) {
			return XPath("/f:top/f:count | /f:top/f:name", map[string]string{"f": "urn:example:ft"}, s)
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f, err := tt.f()
			if err != nil {
				t.Fatal(err)
			}
			out := f.Apply(src)
			b, merr := yangxml.Marshal(out, yangxml.EncodeOptions{SkipDefaults: true})
			if merr != nil {
				t.Fatal(merr)
			}
			if diff := cmp.Diff(nsFT+`<name>box</name></top>`, string(b)); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
			// Values are shared with the source, nodes are not.
			c := out.Children()[0].Child(s.FindNode("/ft:top/name"))
			orig := top.Child(s.FindNode("/ft:top/name"))
			if c == orig || c.Value.Str != orig.Value.Str {
				t.Errorf("copy = %p %q, source = %p %q", c, c.Value.Str, orig, orig.Value.Str)
			}
		})
	}
}

func TestXPath(t *testing.T) {
	s := loadSchema(t)
	src := decode(t, s, ftData)
	full := encode(t, src)
	ns := map[string]string{"f": "urn:example:ft", "g": "urn:example:ft2", "": "urn:example:ft2", "u": "urn:unknown"}
	tests := []struct {
		name, expr, want string
	}{
		{"root", "/", full},
		{"container", "/f:other", `<other xmlns="urn:example:ft"><name>o</name></other>`},
		{"leaf with ancestors", "/f:top/f:name", nsFT + `<name>box</name></top>`},
		{"entry by key", "/f:top/f:user[f:name='fred']", nsFT + fred + `</top>`},
		{"leaf of an entry brings the keys", "/f:top/f:user[f:name='fred']/f:info/f:phone",
			nsFT + `<user><name>fred</name><info><phone>200</phone></info></user></top>`},
		{"leaf of each entry", "/f:top/f:user/f:uid",
			nsFT + `<user><name>root</name><uid>0</uid></user><user><name>fred</name><uid>1</uid></user><user><name>barney</name><uid>2</uid></user></top>`},
		{"key leaf itself", "/f:top/f:route/f:len",
			nsFT + `<route><dest>10.0.0.0</dest><len>8</len></route><route><dest>10.0.0.0</dest><len>16</len></route></top>`},
		{"predicate on a value", "/f:top/f:user[f:type='admin']/f:name",
			nsFT + `<user><name>fred</name></user><user><name>barney</name></user></top>`},
		{"union and overlap", "/f:top/f:user[f:name='barney'] | /f:top/f:user/f:info/f:dept",
			nsFT + `<user><name>root</name><info><dept>1</dept></info></user><user><name>fred</name><info><dept>2</dept></info></user>` + barn + `</top>`},
		{"identityref predicate", "/f:top/f:route[f:proto='f:udp']", nsFT + r16 + `</top>`},
		{"descendant axis", "//f:phone",
			nsFT + `<user><name>root</name><info><phone>100</phone></info></user><user><name>fred</name><info><phone>200</phone></info></user></top>`},
		{"unprefixed names match any module", "/other/name", `<other xmlns="urn:example:ft"><name>o</name></other>`},
		{"other module", "/g:top", `<top xmlns="urn:example:ft2"><x>1</x></top>`},
		{"augmented leaf", "/f:top/g:extra", nsFT + `<extra xmlns="urn:example:ft2">e</extra></top>`},
		{"namespace of no module", "/u:top", ``},
		{"nothing", "/f:top/f:user[f:name='wilma']", ``},
		{"leaf-list entry", "/f:top/f:tag[.='b']", nsFT + `<tag>b</tag></top>`},
		{"text node", "/f:top/f:name/text()", nsFT + `<name>box</name></top>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := XPath(tt.expr, ns, s)
			if err != nil {
				t.Fatalf("XPath: %v", err)
			}
			got := encode(t, f.Apply(src))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestXPathErrors(t *testing.T) {
	s := loadSchema(t)
	ns := map[string]string{"f": "urn:example:ft"}
	tests := []struct {
		name, expr, want string
	}{
		{"syntax", "/f:top[", "at offset"},
		{"unknown prefix", "/x:top", `unknown prefix "x"`},
		{"unknown function", "/f:top[nope()]", "at offset"},
		{"not a node-set", "count(/f:top) > 0", "evaluates to a boolean, not a node-set"},
		{"empty", "", "invalid XPath filter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := XPath(tt.expr, ns, s)
			if err == nil {
				t.Fatalf("XPath = %v, want an error", f)
			}
			if err.Tag != rpcerror.TagInvalidValue || err.Type != rpcerror.Application || !strings.Contains(err.Message, tt.want) {
				t.Errorf("error = %v (%s/%s), want invalid-value/application containing %q", err, err.Type, err.Tag, tt.want)
			}
		})
	}
}

func TestMaySelect(t *testing.T) {
	s := loadSchema(t)
	ns := map[string]string{"f": "urn:example:ft"}
	paths := []string{"/ft:top", "/ft:top/state", "/ft:top/state/uptime", "/ft:top/user", "/ft:top/user/name",
		"/ft:top/user/info", "/ft:top/name", "/ft:other", "/ft2:top"}
	tests := []struct {
		name    string
		subtree string // or
		xpath   string
		want    []string // the paths that may be selected
	}{
		{name: "empty", subtree: ``, want: nil},
		{name: "whole container", subtree: `<top xmlns="urn:example:ft"/>`,
			want: []string{"/ft:top", "/ft:top/state", "/ft:top/state/uptime", "/ft:top/user", "/ft:top/user/name", "/ft:top/user/info", "/ft:top/name"}},
		{name: "one leaf", subtree: `<top xmlns="urn:example:ft"><state><uptime/></state></top>`,
			want: []string{"/ft:top", "/ft:top/state", "/ft:top/state/uptime"}},
		{name: "content match needs the leaf", subtree: `<top xmlns="urn:example:ft"><user><name>fred</name><info/></user></top>`,
			want: []string{"/ft:top", "/ft:top/user", "/ft:top/user/name", "/ft:top/user/info"}},
		{name: "content match only: all siblings", subtree: `<top xmlns="urn:example:ft"><user><name>fred</name></user></top>`,
			want: []string{"/ft:top", "/ft:top/user", "/ft:top/user/name", "/ft:top/user/info"}},
		{name: "keys with their list", subtree: `<top xmlns="urn:example:ft"><user><uid/></user></top>`,
			want: []string{"/ft:top", "/ft:top/user", "/ft:top/user/name"}},
		{name: "no namespace", subtree: `<top/>`,
			want: []string{"/ft:top", "/ft:top/state", "/ft:top/state/uptime", "/ft:top/user", "/ft:top/user/name", "/ft:top/user/info", "/ft:top/name", "/ft2:top"}},
		{name: "attribute match", subtree: `<other xmlns="urn:example:ft" a="b"/>`, want: nil},
		// XPath: every node under a node the expression reads (an over-approximation).
		{name: "xpath", xpath: "/f:top/f:state/f:uptime",
			want: []string{"/ft:top", "/ft:top/state", "/ft:top/state/uptime", "/ft:top/user", "/ft:top/user/name", "/ft:top/user/info", "/ft:top/name"}},
		{name: "xpath other module", xpath: "/f:other/f:name", want: []string{"/ft:other"}},
		{name: "xpath descendant", xpath: "//f:name", want: paths},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f *Filter
			var err *rpcerror.Error
			if tt.xpath != "" {
				f, err = XPath(tt.xpath, ns, s)
			} else {
				f, err = Subtree([]byte(tt.subtree), s)
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range paths {
				n := s.FindNode(p)
				if n == nil {
					t.Fatalf("no schema node %s", p)
				}
				if f.MaySelect(n) {
					got = append(got, p)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
