package yangxml_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ncws/ncws/pkg/data"
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

const wdStateYang = `module wds {
  yang-version 1.1;
  namespace "urn:example:wds";
  prefix s;
  container sys {
    leaf name { type string; default "dev"; }
    leaf up { config false; type uint32; }
    leaf level { config false; type int8; default 1; }
  }
}
`

// TestWithDefaultsState: state data is reported in every with-defaults mode, under a
// non-presence container whose configuration is only defaults too, and a non-configuration node
// holding its schema default is reported in the explicit mode (RFC 6243 section 3.3).
func TestWithDefaultsState(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "wds.yang")
	if err := os.WriteFile(file, []byte(wdStateYang), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := yangload.Load(yangload.Options{Files: []string{file}})
	if err != nil {
		t.Fatal(err)
	}
	v := validate.New(s)
	sys := s.FindNode("/wds:sys")
	up := s.FindNode("/wds:sys/up")
	// defaultsPlusState is a fresh datastore's tree (sys created to hold the default name, so
	// marked Default) to which a node of state was added without clearing that mark.
	defaultsPlusState := func(t *testing.T) *data.Node {
		root := data.NewRoot()
		if errs := v.Validate(root, validate.Options{}); len(errs) > 0 {
			t.Fatal(errs)
		}
		c := root.Child(sys)
		if c == nil || !c.Default {
			t.Fatalf("validation did not create sys marked Default: %v", c)
		}
		val, rerr := data.ParseValue(up.Type, "42", nil)
		if rerr != nil {
			t.Fatal(rerr)
		}
		c.Add(data.NewLeaf(up, val))
		return root
	}
	// stateDefault is a tree of configuration and state validated as data: the default of the
	// state leaf level is in use, marked Default.
	stateDefault := func(t *testing.T) *data.Node {
		root, errs := yangxml.Unmarshal([]byte(`<sys xmlns="urn:example:wds"><up>42</up></sys>`), s, yangxml.DecodeOptions{})
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		if errs := v.Validate(root, validate.Options{Data: true}); len(errs) > 0 {
			t.Fatal(errs)
		}
		return root
	}
	const wdNS = `xmlns:wd="urn:ietf:params:xml:ns:netconf:default:1.0"`
	tests := []struct {
		name string
		tree func(*testing.T) *data.Node
		mode yangxml.WithDefaults
		want string
	}{
		{"report-all", defaultsPlusState, yangxml.ReportAll,
			`<data xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><sys xmlns="urn:example:wds"><name>dev</name><up>42</up></sys></data>`},
		{"explicit", defaultsPlusState, yangxml.Explicit,
			`<data xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><sys xmlns="urn:example:wds"><up>42</up></sys></data>`},
		{"trim", defaultsPlusState, yangxml.Trim,
			`<data xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><sys xmlns="urn:example:wds"><up>42</up></sys></data>`},
		{"report-all-tagged", defaultsPlusState, yangxml.ReportAllTagged,
			`<data xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" ` + wdNS + `><sys xmlns="urn:example:wds"><name wd:default="true">dev</name><up>42</up></sys></data>`},
		{"explicit reports a state default", stateDefault, yangxml.Explicit,
			`<data xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><sys xmlns="urn:example:wds"><up>42</up><level>1</level></sys></data>`},
		{"trim leaves out a state default", stateDefault, yangxml.Trim,
			`<data xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><sys xmlns="urn:example:wds"><up>42</up></sys></data>`},
		{"report-all-tagged tags a state default", stateDefault, yangxml.ReportAllTagged,
			`<data xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" ` + wdNS + `><sys xmlns="urn:example:wds"><name wd:default="true">dev</name><up>42</up><level wd:default="true">1</level></sys></data>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := yangxml.Marshal(tt.tree(t), yangxml.EncodeOptions{Wrapper: "data", WithDefaults: tt.mode})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, string(b)); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
