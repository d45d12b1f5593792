package yangxml_test

import (
	"bytes"
	"encoding/xml"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/schema/yangload"
)

// originYang binds the prefix "or" to a namespace of its own, for an identityref value.
const originYang = `module orx {
  yang-version 1.1;
  namespace "urn:example:orx";
  prefix or;
  identity base;
  identity one { base base; }
  container top {
    leaf id { type identityref { base base; } }
    leaf name { type string; }
    list item {
      key k;
      leaf k { type int8; }
      leaf v { type int8; }
    }
  }
}
`

// TestOrigin: EncodeOptions.Origin writes or:origin where a node's origin differs from its
// parent's, with or declared on the wrapper (or on each top-level element without one), and
// another prefix on an element whose value binds or to another namespace.
func TestOrigin(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "orx.yang")
	if err := os.WriteFile(file, []byte(originYang), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := yangload.Load(yangload.Options{Files: []string{file}})
	if err != nil {
		t.Fatal(err)
	}
	root, errs := yangxml.Unmarshal([]byte(`<top xmlns="urn:example:orx" xmlns:or="urn:example:orx"><id>or:one</id><name>n</name>`+
		`<item><k>1</k><v>2</v></item><item><k>2</k></item></top>`), s, yangxml.DecodeOptions{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	origins := map[string]string{"top": "intended", "id": "system", "item=1": "learned", "v": "learned", "item=2": "intended"}
	origin := func(n *data.Node) string {
		if n.Schema.Name == "item" {
			return origins["item="+n.Key()]
		}
		return origins[n.Schema.Name]
	}
	const orNS = yangxml.OriginNamespace
	for _, c := range []struct {
		name    string
		wrapper string
		want    string
	}{
		{"wrapper", "data", `<data xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" xmlns:or="` + orNS + `">` +
			`<top xmlns="urn:example:orx" or:origin="or:intended"><id xmlns:or="urn:example:orx" xmlns:or1="` + orNS + `" or1:origin="or1:system">or:one</id>` +
			`<name>n</name><item or:origin="or:learned"><k>1</k><v>2</v></item><item><k>2</k></item></top></data>`},
		{"no wrapper", "", `<top xmlns="urn:example:orx" xmlns:or="` + orNS + `" or:origin="or:intended">` +
			`<id xmlns:or="urn:example:orx" xmlns:or1="` + orNS + `" or1:origin="or1:system">or:one</id>` +
			`<name>n</name><item or:origin="or:learned"><k>1</k><v>2</v></item><item><k>2</k></item></top>`},
	} {
		t.Run(c.name, func(t *testing.T) {
			b, err := yangxml.Marshal(root, yangxml.EncodeOptions{Wrapper: c.wrapper, Origin: origin})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.want, string(b)); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
			// A namespace-aware reader finds each annotation in ietf-origin's namespace.
			got := map[string]string{}
			d := xml.NewDecoder(bytes.NewReader(b))
			for {
				tok, err := d.Token()
				if err != nil {
					break
				}
				if se, ok := tok.(xml.StartElement); ok {
					for _, a := range se.Attr {
						if a.Name.Space == orNS && a.Name.Local == "origin" {
							got[se.Name.Local] = a.Value
						}
					}
				}
			}
			want := map[string]string{"top": "or:intended", "id": "or1:system", "item": "or:learned"}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("annotations read back mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
