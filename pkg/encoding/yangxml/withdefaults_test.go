package yangxml_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/schema/yangload"
	"github.com/ncws/ncws/pkg/validate"
)

const wdYang = `module wd {
  yang-version 1.1;
  namespace "urn:example:wd";
  prefix wd;
  identity base;
  identity one { base base; }
  identity two { base base; }
  container top {
    leaf a { type int8; default "07"; }
    leaf b { type string; default "x"; }
    leaf id { type identityref { base base; } default wd:one; }
    leaf-list ll { type uint8; default 1; default 2; }
    leaf plain { type string; }
    container np {
      leaf c { type int8; default 3; }
    }
    container pc {
      presence "p";
      leaf d { type int8; default 4; }
    }
    list item {
      key k;
      leaf k { type int8; }
      leaf v { type int8; default 5; }
    }
  }
}
`

func TestWithDefaults(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "wd.yang")
	if err := os.WriteFile(file, []byte(wdYang), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := yangload.Load(yangload.Options{Files: []string{file}})
	if err != nil {
		t.Fatal(err)
	}
	const wdNS = `xmlns:wd="urn:ietf:params:xml:ns:netconf:default:1.0"`
	tests := []struct {
		name    string
		doc     string
		opts    yangxml.EncodeOptions
		want    string
		compare bool
	}{
		{name: "report-all",
			doc: `<top xmlns="urn:example:wd"><a>7</a><plain>p</plain><pc/><item><k>1</k></item></top>`,
			want: `<top xmlns="urn:example:wd"><a>7</a><b>x</b><id xmlns:wd="urn:example:wd">wd:one</id><ll>1</ll><ll>2</ll>` +
				`<plain>p</plain><np><c>3</c></np><pc><d>4</d></pc><item><k>1</k><v>5</v></item></top>`},
		{name: "explicit",
			doc:  `<top xmlns="urn:example:wd"><a>7</a><plain>p</plain><pc/><item><k>1</k></item></top>`,
			opts: yangxml.EncodeOptions{WithDefaults: yangxml.Explicit},
			want: `<top xmlns="urn:example:wd"><a>7</a><plain>p</plain><pc/><item><k>1</k></item></top>`},
		{name: "SkipDefaults is explicit",
			doc:  `<top xmlns="urn:example:wd"><a>7</a><plain>p</plain><pc/><item><k>1</k></item></top>`,
			opts: yangxml.EncodeOptions{SkipDefaults: true},
			want: `<top xmlns="urn:example:wd"><a>7</a><plain>p</plain><pc/><item><k>1</k></item></top>`},
		{name: "explicit keeps explicit default values",
			doc:  `<top xmlns="urn:example:wd"><b>x</b><id>wd:one</id><ll>1</ll><ll>2</ll><np><c>3</c></np></top>`,
			opts: yangxml.EncodeOptions{WithDefaults: yangxml.Explicit},
			want: `<top xmlns="urn:example:wd"><b>x</b><id xmlns:wd="urn:example:wd">wd:one</id><ll>1</ll><ll>2</ll><np><c>3</c></np></top>`},
		{name: "explicit drops an emptied non-presence container",
			doc:  `<top xmlns="urn:example:wd"><np/></top>`,
			opts: yangxml.EncodeOptions{WithDefaults: yangxml.Explicit, Wrapper: "data"},
			want: `<data xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"/>`},
		{name: "trim",
			doc: `<top xmlns="urn:example:wd"><a>7</a><b>y</b><id>wd:one</id><ll>1</ll><ll>2</ll><plain>p</plain>` +
				`<np><c>3</c></np><pc><d>4</d></pc><item><k>1</k><v>5</v></item><item><k>2</k><v>6</v></item></top>`,
			opts: yangxml.EncodeOptions{WithDefaults: yangxml.Trim},
			want: `<top xmlns="urn:example:wd"><b>y</b><plain>p</plain><pc/><item><k>1</k></item><item><k>2</k><v>6</v></item></top>`},
		{name: "trim keeps a leaf-list that differs from its defaults",
			doc:  `<top xmlns="urn:example:wd"><ll>2</ll><ll>1</ll><id>wd:two</id></top>`,
			opts: yangxml.EncodeOptions{WithDefaults: yangxml.Trim},
			want: `<top xmlns="urn:example:wd"><id xmlns:wd="urn:example:wd">wd:two</id><ll>2</ll><ll>1</ll></top>`},
		{name: "trim with nothing left",
			doc:  `<top xmlns="urn:example:wd"><a>+7</a></top>`,
			opts: yangxml.EncodeOptions{WithDefaults: yangxml.Trim, Wrapper: "data"},
			want: `<data xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"/>`},
		{name: "report-all-tagged",
			doc:  `<top xmlns="urn:example:wd"><a>7</a><b>y</b><plain>p</plain><item><k>1</k><v>5</v></item></top>`,
			opts: yangxml.EncodeOptions{WithDefaults: yangxml.ReportAllTagged},
			want: `<top xmlns="urn:example:wd" ` + wdNS + `><a wd:default="true">7</a><b>y</b>` +
				`<id xmlns:wd="urn:example:wd" xmlns:wd1="urn:ietf:params:xml:ns:netconf:default:1.0" wd1:default="true">wd:one</id>` +
				`<ll wd:default="true">1</ll><ll wd:default="true">2</ll><plain>p</plain><np><c wd:default="true">3</c></np>` +
				`<item><k>1</k><v wd:default="true">5</v></item></top>`},
		{name: "report-all-tagged in a wrapper",
			doc:  `<top xmlns="urn:example:wd"><plain>p</plain><ll>3</ll><id>wd:two</id></top>`,
			opts: yangxml.EncodeOptions{WithDefaults: yangxml.ReportAllTagged, Wrapper: "data"},
			want: `<data xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" ` + wdNS + `><top xmlns="urn:example:wd">` +
				`<a wd:default="true">7</a><b wd:default="true">x</b><id xmlns:wd="urn:example:wd">wd:two</id><ll>3</ll>` +
				`<plain>p</plain><np><c wd:default="true">3</c></np></top></data>`},
	}
	v := validate.New(s)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := strings.Replace(tt.doc, `<top xmlns="urn:example:wd">`, `<top xmlns="urn:example:wd" xmlns:wd="urn:example:wd">`, 1)
			root, errs := yangxml.Unmarshal([]byte(doc), s, yangxml.DecodeOptions{})
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			if errs := v.Validate(root, validate.Options{}); len(errs) > 0 {
				t.Fatal(errs)
			}
			b, err := yangxml.Marshal(root, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, string(b)); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
			// What the encoder writes reads back to the same data.
			if tt.opts.WithDefaults == yangxml.ReportAllTagged {
				back, errs := yangxml.Unmarshal(b, s, yangxml.DecodeOptions{})
				if len(errs) > 0 {
					t.Fatalf("reading the output back: %v", errs)
				}
				again, _ := yangxml.Marshal(back, tt.opts)
				if diff := cmp.Diff(string(b), string(again)); diff != "" {
					t.Errorf("round trip mismatch (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestParseWithDefaults(t *testing.T) {
	for _, m := range []yangxml.WithDefaults{yangxml.ReportAll, yangxml.Explicit, yangxml.Trim, yangxml.ReportAllTagged} {
		got, ok := yangxml.ParseWithDefaults(m.String())
		if !ok || got != m {
			t.Errorf("ParseWithDefaults(%q) = %v, %v, want %v", m.String(), got, ok, m)
		}
	}
	if _, ok := yangxml.ParseWithDefaults("all"); ok {
		t.Errorf(`ParseWithDefaults("all") succeeded`)
	}
}
