package edit

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/rpcerror"
)

// nsDecls declares the prefixes the test edits use.
const nsDecls = ` xmlns="urn:ex" xmlns:ex="urn:ex" xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0"` +
	` xmlns:yang="urn:ietf:params:xml:ns:yang:1" xmlns:e2="urn:ex2"`

// top wraps inner in the top container with the test prefixes declared.
func top(inner string) string { return `<top` + nsDecls + `>` + inner + `</top>` }

// chg returns startDoc with each old string of the pairs replaced by the new one.
func chg(pairs ...string) string {
	s := startDoc
	for i := 0; i+1 < len(pairs); i += 2 {
		if !strings.Contains(s, pairs[i]) {
			panic("chg: " + pairs[i] + " not in startDoc")
		}
		s = strings.Replace(s, pairs[i], pairs[i+1], 1)
	}
	return s
}

// rpcErr is what a test expects of an rpc-error.
type rpcErr struct {
	Type   rpcerror.Type
	Tag    rpcerror.Tag
	AppTag string
	Path   string
	Info   string // name=value pairs of error-info, comma-separated
}

func summarize(l rpcerror.List) []rpcErr {
	var out []rpcErr
	for _, e := range l {
		var info []string
		for _, i := range e.Info {
			info = append(info, i.Name+"="+i.Value)
		}
		out = append(out, rpcErr{e.Type, e.Tag, e.AppTag, e.Path, strings.Join(info, ",")})
	}
	return out
}

const app = rpcerror.Application

type applyCase struct {
	name  string
	start string // the datastore; startDoc when empty
	edit  string
	opts  Options
	want  string   // the datastore after the edit; the start when empty
	errs  []rpcErr // from Decode when decodeErr, else from Apply
	// decodeErr: the errors come from Decode (Apply is not called).
	decodeErr bool
}

func runCases(t *testing.T, cases []applyCase) {
	t.Helper()
	s := loadSchema(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			start := tc.start
			if start == "" {
				start = startDoc
			}
			root := datastore(t, s, start)
			orig := root.Clone()
			ed, errs := Decode([]byte(tc.edit), s)
			if tc.decodeErr {
				if diff := cmp.Diff(tc.errs, summarize(errs)); diff != "" {
					t.Errorf("Decode errors mismatch (-want +got):\n%s", diff)
				}
				if ed != nil {
					t.Errorf("Decode returned an Edit along with errors")
				}
				return
			}
			if len(errs) > 0 {
				t.Fatalf("Decode: %v", errs)
			}
			var txn data.Txn
			errs = ed.Apply(root, &txn, tc.opts)
			if diff := cmp.Diff(tc.errs, summarize(errs)); diff != "" {
				t.Errorf("Apply errors mismatch (-want +got):\n%s", diff)
			}
			want := tc.want
			if want == "" {
				want = start
			}
			// The datastore's validation fills in the defaults after an edit.
			got := root.Clone()
			fillDefaults(t, got)
			wantRoot := datastore(t, s, want)
			if !data.Equal(wantRoot, got) {
				if diff := cmp.Diff(marshal(t, wantRoot, false), marshal(t, got, false)); diff != "" {
					t.Errorf("explicit content mismatch (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(marshal(t, wantRoot, true), marshal(t, got, true)); diff != "" {
					t.Errorf("content with defaults mismatch (-want +got):\n%s", diff)
				}
				if !t.Failed() {
					t.Errorf("trees differ in their default marks:\nwant %s\ngot  %s", marshal(t, wantRoot, false), marshal(t, got, false))
				}
			}
			copied := root.Clone()
			txn.Undo()
			if !data.Equal(orig, root) {
				t.Errorf("Undo did not restore the datastore:\nwant %s\ngot  %s", marshal(t, orig, true), marshal(t, root, true))
			}
			// A large edit puts its decoded nodes in place instead of copies (adoptMin): the
			// same result, undone the same way, and applicable again after the undo.
			ad, _ := Decode([]byte(tc.edit), s)
			ad.adopt = true
			for i := range 2 {
				aerrs := ad.Apply(root, &txn, tc.opts)
				if diff := cmp.Diff(summarize(errs), summarize(aerrs)); diff != "" {
					t.Errorf("adopting, application %d: errors mismatch (-copying +adopting):\n%s", i+1, diff)
				}
				if !data.Equal(copied, root) {
					t.Errorf("adopting, application %d: datastore mismatch:\ncopying  %s\nadopting %s", i+1, marshal(t, copied, true), marshal(t, root, true))
				}
				txn.Undo()
				if !data.Equal(orig, root) {
					t.Errorf("adopting, application %d: Undo did not restore the datastore:\nwant %s\ngot  %s", i+1, marshal(t, orig, true), marshal(t, root, true))
				}
			}
		})
	}
}

// TestAdoptLargeEdit: an edit of more than adoptMin elements gives the datastore its decoded
// nodes for what it creates (one tree for a bulk load, not two), without their source lines,
// and copies a subtree that holds an attribute of the edit (an insert) as a small edit does.
func TestAdoptLargeEdit(t *testing.T) {
	s := loadSchema(t)
	var b strings.Builder
	b.WriteString(`<other xmlns="urn:ex">` + "\n")
	for i := range adoptMin {
		fmt.Fprintf(&b, "<entry><name>e%d</name><v>x</v></entry>\n", i)
	}
	b.WriteString(`</other>`)
	b.WriteString(top(`<ord><k1>a</k1><k2>1</k2></ord><ord yang:insert="first"><k1>b</k1><k2>2</k2></ord>`))
	ed, errs := Decode([]byte(b.String()), s)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if !ed.adopt {
		t.Fatalf("an edit of %d entries does not adopt its nodes", adoptMin)
	}
	root := data.NewRoot()
	var txn data.Txn
	if errs := ed.Apply(root, &txn, Options{}); len(errs) > 0 {
		t.Fatal(errs)
	}
	other, tp := root.ChildByName("other"), root.ChildByName("top")
	eother, etop := ed.tops[1].n, ed.tops[0].n // the decoded tree, in schema order
	if other == nil || other != eother {
		t.Fatalf("the created container is not the decoded one")
	}
	if tp == etop {
		t.Errorf("a container with an insert attribute inside was adopted")
	} else if got := marshal(t, tp, false); !strings.Contains(got, "<k1>b</k1><k2>2</k2></ord><ord><k1>a</k1>") {
		t.Errorf("insert first not applied: %s", got)
	}
	root.Walk(func(n *data.Node) bool {
		if n.Line != 0 {
			t.Errorf("%s keeps source line %d", n.Path(), n.Line)
			return false
		}
		return true
	})
	small := eother.Children()[0]
	if small.Parent != other {
		t.Errorf("the decoded entries are not in the datastore")
	}
}

func TestMerge(t *testing.T) {
	runCases(t, []applyCase{{
		name: "leaf",
		edit: top(`<name>n2</name>`),
		want: chg(`<name>n1</name>`, `<name>n2</name>`),
	}, {
		name: "same value changes nothing",
		edit: top(`<name>n1</name><mtu>1400</mtu>`),
	}, {
		name: "new list entry with its subtree",
		edit: top(`<item><id>3</id><val>c</val><sub><s>y</s></sub></item>`),
		want: chg(`<ord>`, `<item><id>3</id><val>c</val><sub><s>y</s></sub></item><ord>`),
	}, {
		name: "into an existing entry keeps its other children",
		edit: top(`<item><id>2</id><val>bb</val></item>`),
		want: chg(`<val>b</val>`, `<val>bb</val>`),
	}, {
		name: "default leaf becomes explicit even with the default value",
		edit: top(`<enabled>true</enabled>`),
		want: chg(`<mtu>1400</mtu>`, `<mtu>1400</mtu><enabled>true</enabled>`),
	}, {
		name: "into a container of defaults makes it explicit",
		edit: top(`<inner><b>q</b></inner>`),
		want: chg(`<pres>`, `<inner><b>q</b></inner><pres>`),
	}, {
		name: "empty merge into a container of defaults leaves it default",
		edit: top(`<inner/>`),
	}, {
		name:  "presence container",
		start: `<top xmlns="urn:ex"/>`,
		edit:  top(`<pres/>`),
		want:  `<top xmlns="urn:ex"><pres/></top>`,
	}, {
		name:  "creates the whole path",
		start: `<other xmlns="urn:ex"/>`,
		edit:  top(`<item><id>7</id></item>`),
		want:  `<other xmlns="urn:ex"/><top xmlns="urn:ex"><item><id>7</id></item></top>`,
	}, {
		name: "augmented leaf",
		edit: top(`<e2:extra>5</e2:extra><item><id>1</id><e2:note>hi</e2:note></item>`),
		want: chg(`<val>a</val>`, `<val>a</val><note xmlns="urn:ex2">hi</note>`,
			`</blob>`, `</blob><extra xmlns="urn:ex2">5</extra>`),
	}, {
		name: "anydata content is replaced",
		edit: `<top xmlns="urn:ex"><blob><new xmlns="urn:other">y</new></blob></top>`,
		want: chg(`<any xmlns="urn:other">x</any>`, `<new xmlns="urn:other">y</new>`),
	}, {
		name: "leaf-list entry appended; existing one unchanged",
		edit: top(`<tags>t9</tags><tags>t1</tags>`),
		want: chg(`<tags>t3</tags>`, `<tags>t3</tags><tags>t9</tags>`),
	}, {
		name: "explicit leaf-list entry replaces the default entries",
		edit: top(`<dl>z</dl>`),
		want: chg(`<sys>5</sys>`, `<sys>5</sys><dl>z</dl>`),
	}, {
		name: "merge of a default leaf-list value makes the entries explicit",
		edit: top(`<dl>d2</dl>`),
		want: chg(`<sys>5</sys>`, `<sys>5</sys><dl>d2</dl>`),
	}, {
		name: "identityref value",
		edit: `<top xmlns="urn:ex" xmlns:x="urn:ex"><kind>x:one</kind></top>`,
		want: chg(`<mtu>1400</mtu>`, `<mtu>1400</mtu><kind xmlns:ex="urn:ex">ex:one</kind>`),
	}, {
		name: "empty type leaf",
		edit: top(`<flag/>`),
		want: chg(`</blob>`, `</blob><flag/>`),
	}, {
		name: "several top-level nodes",
		edit: top(`<name>z</name>`) + `<other xmlns="urn:ex"><o>1</o></other>`,
		want: chg(`<name>n1</name>`, `<name>z</name>`) + `<other xmlns="urn:ex"><o>1</o></other>`,
	}, {
		name: "empty edit",
		edit: ``,
	}})
}

func TestReplace(t *testing.T) {
	runCases(t, []applyCase{{
		name: "list entry replaces its whole subtree",
		edit: top(`<item nc:operation="replace"><id>2</id><val>z</val></item>`),
		want: chg(`<val>b</val><sub><s>x</s></sub>`, `<val>z</val>`),
	}, {
		name: "new list entry",
		edit: top(`<item nc:operation="replace"><id>4</id></item>`),
		want: chg(`<ord>`, `<item><id>4</id></item><ord>`),
	}, {
		name: "leaf",
		edit: top(`<mtu nc:operation="replace">1000</mtu>`),
		want: chg(`<mtu>1400</mtu>`, `<mtu>1000</mtu>`),
	}, {
		name: "ordered entry keeps its position",
		edit: top(`<ord nc:operation="replace"><k1>b</k1><k2>2</k2><v>B</v></ord>`),
		want: chg(`<ord><k1>b</k1><k2>2</k2></ord>`, `<ord><k1>b</k1><k2>2</k2><v>B</v></ord>`),
	}, {
		name: "container with nested merge and delete",
		edit: `<top` + nsDecls + ` nc:operation="replace"><name>r</name>` +
			`<item nc:operation="merge"><id>2</id><val>m</val></item>` +
			`<item nc:operation="delete"><id>1</id></item>` +
			`<ord><k1>c</k1><k2>3</k2></ord><ord><k1>a</k1><k2>1</k2></ord></top>`,
		want: `<top xmlns="urn:ex"><name>r</name><item><id>2</id><val>m</val><sub><s>x</s></sub></item>` +
			`<ord><k1>c</k1><k2>3</k2></ord><ord><k1>a</k1><k2>1</k2></ord></top>`,
	}, {
		name: "nested delete of a missing node",
		edit: `<top` + nsDecls + ` nc:operation="replace"><item nc:operation="delete"><id>9</id></item></top>`,
		errs: []rpcErr{{Type: app, Tag: rpcerror.TagDataMissing, Path: "/ex:top/item[id='9']"}},
	}, {
		name: "nested create of an existing node",
		edit: `<top` + nsDecls + ` nc:operation="replace"><item nc:operation="create"><id>1</id></item></top>`,
		errs: []rpcErr{{Type: app, Tag: rpcerror.TagDataExists, Path: "/ex:top/item[id='1']"}},
	}, {
		name: "merge deeper inside a replace sees the existing content",
		edit: `<top` + nsDecls + ` nc:operation="replace"><item><id>2</id><sub nc:operation="merge"/></item></top>`,
		want: `<top xmlns="urn:ex"><item><id>2</id><sub><s>x</s></sub></item></top>`,
	}, {
		name: "default-operation replace replaces the whole datastore",
		edit: `<other xmlns="urn:ex"><o>1</o></other>`,
		opts: Options{DefaultOperation: "replace"},
		want: `<other xmlns="urn:ex"><o>1</o></other>`,
	}, {
		name:  "default-operation replace takes the edit's order of a top-level ordered list",
		start: `<root-list xmlns="urn:ex"><k>a</k></root-list><root-list xmlns="urn:ex"><k>b</k></root-list><root-list xmlns="urn:ex"><k>c</k></root-list>`,
		edit:  `<root-list xmlns="urn:ex"><k>c</k></root-list><root-list xmlns="urn:ex"><k>x</k></root-list><root-list xmlns="urn:ex"><k>a</k></root-list>`,
		opts:  Options{DefaultOperation: "replace"},
		want:  `<root-list xmlns="urn:ex"><k>c</k></root-list><root-list xmlns="urn:ex"><k>x</k></root-list><root-list xmlns="urn:ex"><k>a</k></root-list>`,
	}, {
		name: "default-operation replace with an empty config empties the datastore",
		edit: ``,
		opts: Options{DefaultOperation: "replace"},
		want: ` `,
	}, {
		name: "default-operation replace keeps what a nested merge names",
		edit: `<top` + nsDecls + ` nc:operation="merge"><name>m</name></top>`,
		opts: Options{DefaultOperation: "replace"},
		want: chg(`<name>n1</name>`, `<name>m</name>`),
	}})
}

func TestCreateDeleteRemove(t *testing.T) {
	runCases(t, []applyCase{{
		name: "create of an existing entry",
		edit: top(`<item nc:operation="create"><id>1</id></item>`),
		errs: []rpcErr{{Type: app, Tag: rpcerror.TagDataExists, Path: "/ex:top/item[id='1']"}},
	}, {
		name: "create of a new entry",
		edit: top(`<item nc:operation="create"><id>3</id></item>`),
		want: chg(`<ord>`, `<item><id>3</id></item><ord>`),
	}, {
		name: "create of a default leaf succeeds",
		edit: top(`<enabled nc:operation="create">false</enabled>`),
		want: chg(`<mtu>1400</mtu>`, `<mtu>1400</mtu><enabled>false</enabled>`),
	}, {
		name: "create of a default leaf-list entry succeeds and drops the other defaults",
		edit: top(`<dl nc:operation="create">d1</dl>`),
		want: chg(`<sys>5</sys>`, `<sys>5</sys><dl>d1</dl>`),
	}, {
		name: "create of an explicit leaf",
		edit: top(`<mtu nc:operation="create">1000</mtu>`),
		errs: []rpcErr{{Type: app, Tag: rpcerror.TagDataExists, Path: "/ex:top/mtu"}},
	}, {
		name: "create of a container of defaults succeeds",
		edit: top(`<inner nc:operation="create"><b>q</b></inner>`),
		want: chg(`<pres>`, `<inner><b>q</b></inner><pres>`),
	}, {
		name: "delete of an entry",
		edit: top(`<item nc:operation="delete"><id>2</id></item>`),
		want: chg(`<item><id>2</id><val>b</val><sub><s>x</s></sub></item>`, ``),
	}, {
		name: "delete of a missing entry",
		edit: top(`<item nc:operation="delete"><id>9</id></item>`),
		errs: []rpcErr{{Type: app, Tag: rpcerror.TagDataMissing, Path: "/ex:top/item[id='9']"}},
	}, {
		name: "delete of a default leaf",
		edit: top(`<enabled nc:operation="delete"/>`),
		errs: []rpcErr{{Type: app, Tag: rpcerror.TagDataMissing, Path: "/ex:top/enabled"}},
	}, {
		name: "delete of a container of defaults",
		edit: top(`<inner nc:operation="delete"/>`),
		errs: []rpcErr{{Type: app, Tag: rpcerror.TagDataMissing, Path: "/ex:top/inner"}},
	}, {
		name: "delete of a leaf ignores its value, even one its type refuses",
		edit: top(`<mtu nc:operation="delete">99999</mtu><name nc:operation="delete">other</name>`),
		want: chg(`<name>n1</name>`, ``, `<mtu>1400</mtu>`, ``),
	}, {
		name: "delete of a leaf given empty",
		edit: top(`<mtu nc:operation="delete"/>`),
		want: chg(`<mtu>1400</mtu>`, ``),
	}, {
		name: "leaves inside a deleted container are not parsed",
		edit: top(`<item nc:operation="delete"><id>2</id><val>x</val><sub><s/></sub></item>`),
		want: chg(`<item><id>2</id><val>b</val><sub><s>x</s></sub></item>`, ``),
	}, {
		name: "delete of a leaf-list entry by value",
		edit: top(`<tags nc:operation="delete">t2</tags>`),
		want: chg(`<tags>t2</tags>`, ``),
	}, {
		name: "delete of a presence container",
		edit: top(`<pres nc:operation="delete"/>`),
		want: chg(`<pres><x>p</x></pres>`, ``),
	}, {
		name: "delete of the top container",
		edit: `<top` + nsDecls + ` nc:operation="delete"/><other xmlns="urn:ex"><o>1</o></other>`,
		want: `<other xmlns="urn:ex"><o>1</o></other>`,
	}, {
		name: "remove of a missing entry does nothing",
		edit: top(`<item nc:operation="remove"><id>9</id></item><pres nc:operation="remove"/>`),
		want: chg(`<pres><x>p</x></pres>`, ``),
	}, {
		name: "remove of a default leaf does nothing",
		edit: top(`<enabled nc:operation="remove"/>`),
	}, {
		name: "delete inside a create",
		edit: `<other xmlns="urn:ex" xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0" nc:operation="create"><o nc:operation="delete"/></other>`,
		errs: []rpcErr{{Type: app, Tag: rpcerror.TagDataMissing, Path: "/ex:other/o"}},
	}})
}

func TestNone(t *testing.T) {
	none := Options{DefaultOperation: "none"}
	runCases(t, []applyCase{{
		name: "navigates to a delete",
		edit: top(`<item><id>1</id><val nc:operation="delete"/></item>`),
		opts: none,
		want: chg(`<val>a</val>`, ``),
	}, {
		name: "existing leaves are left as they are",
		edit: top(`<name>zzz</name><item><id>1</id><val>q</val></item>`),
		opts: none,
	}, {
		name: "a missing level is data-missing",
		edit: `<other xmlns="urn:ex" xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0"><o nc:operation="delete"/></other>`,
		opts: none,
		errs: []rpcErr{{Type: app, Tag: rpcerror.TagDataMissing, Path: "/ex:other"}},
	}, {
		name: "a missing leaf is data-missing",
		edit: top(`<e2:extra>1</e2:extra>`),
		opts: none,
		errs: []rpcErr{{Type: app, Tag: rpcerror.TagDataMissing, Path: "/ex:top/ex2:extra"}},
	}, {
		name: "a missing entry is data-missing",
		edit: top(`<item><id>9</id></item>`),
		opts: none,
		errs: []rpcErr{{Type: app, Tag: rpcerror.TagDataMissing, Path: "/ex:top/item[id='9']"}},
	}, {
		name: "a default leaf does not exist",
		edit: top(`<enabled>true</enabled>`),
		opts: none,
		errs: []rpcErr{{Type: app, Tag: rpcerror.TagDataMissing, Path: "/ex:top/enabled"}},
	}, {
		name: "a missing level is created for a create below it",
		edit: `<other xmlns="urn:ex" xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0"><o nc:operation="create">1</o></other>`,
		opts: none,
		want: startDoc + `<other xmlns="urn:ex"><o>1</o></other>`,
	}, {
		name: "a missing entry is created with its keys for a merge below it",
		edit: top(`<item><id>5</id><val nc:operation="merge">v</val></item>`),
		opts: none,
		want: chg(`<ord>`, `<item><id>5</id><val>v</val></item><ord>`),
	}, {
		name: "a missing level with only removes below is fine",
		edit: `<other xmlns="urn:ex" xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0"><o nc:operation="remove"/></other>`,
		opts: none,
	}, {
		name: "a container of defaults is navigated and made explicit for a merge",
		edit: top(`<inner><b nc:operation="merge">q</b></inner>`),
		opts: none,
		want: chg(`<pres>`, `<inner><b>q</b></inner><pres>`),
	}})
}

func TestInsert(t *testing.T) {
	runCases(t, []applyCase{{
		name: "new entry first",
		edit: top(`<ord yang:insert="first"><k1>z</k1><k2>0</k2></ord>`),
		want: chg(`<ord><k1>a</k1>`, `<ord><k1>z</k1><k2>0</k2></ord><ord><k1>a</k1>`),
	}, {
		name: "new entry after another",
		edit: top(`<ord yang:insert="after" yang:key="[ex:k1='a'][ex:k2='1']"><k1>z</k1><k2>0</k2></ord>`),
		want: chg(`<ord><k1>b</k1>`, `<ord><k1>z</k1><k2>0</k2></ord><ord><k1>b</k1>`),
	}, {
		name: "new entry before another, key predicates in any order and unprefixed",
		edit: top(`<ord yang:insert="before" yang:key=" [k2 = &quot;3&quot;] [ex:k1='c'] "><k1>z</k1><k2>0</k2></ord>`),
		want: chg(`<ord><k1>c</k1>`, `<ord><k1>z</k1><k2>0</k2></ord><ord><k1>c</k1>`),
	}, {
		name: "after the last entry",
		edit: top(`<ord yang:insert="after" yang:key="[ex:k1='c'][ex:k2='+3']"><k1>z</k1><k2>0</k2></ord>`),
		want: chg(`<tags>t1`, `<ord><k1>z</k1><k2>0</k2></ord><tags>t1`),
	}, {
		name: "before a missing entry",
		edit: top(`<ord yang:insert="before" yang:key="[ex:k1='q'][ex:k2='1']"><k1>z</k1><k2>0</k2></ord>`),
		errs: []rpcErr{{Type: app, Tag: rpcerror.TagBadAttribute, AppTag: "missing-instance",
			Path: "/ex:top/ord[k1='z'][k2='0']", Info: "bad-attribute=key,bad-element=ord"}},
	}, {
		name: "merge moves an existing entry",
		edit: top(`<ord yang:insert="last"><k1>a</k1><k2>1</k2><v>AA</v></ord>`),
		want: chg(`<ord><k1>a</k1><k2>1</k2><v>A</v></ord>`, ``, `<tags>t1`, `<ord><k1>a</k1><k2>1</k2><v>AA</v></ord><tags>t1`),
	}, {
		name: "replace moves and replaces an existing entry",
		edit: top(`<ord nc:operation="replace" yang:insert="first"><k1>c</k1><k2>3</k2><v>C</v></ord>`),
		want: chg(`<ord><k1>c</k1><k2>3</k2></ord>`, ``, `<ord><k1>a</k1>`, `<ord><k1>c</k1><k2>3</k2><v>C</v></ord><ord><k1>a</k1>`),
	}, {
		name: "before itself leaves an entry in place",
		edit: top(`<ord yang:insert="before" yang:key="[ex:k1='b'][ex:k2='2']"><k1>b</k1><k2>2</k2></ord>`),
	}, {
		name: "entries are inserted one at a time in document order",
		edit: top(`<tags yang:insert="first">n1</tags><tags yang:insert="after" yang:value="n1">n2</tags>`),
		want: chg(`<tags>t1</tags>`, `<tags>n1</tags><tags>n2</tags><tags>t1</tags>`),
	}, {
		name: "leaf-list move before a value",
		edit: top(`<tags yang:insert="before" yang:value="t1">t3</tags>`),
		want: chg(`<tags>t1</tags><tags>t2</tags><tags>t3</tags>`, `<tags>t3</tags><tags>t1</tags><tags>t2</tags>`),
	}, {
		name: "leaf-list after a missing value",
		edit: top(`<tags yang:insert="after" yang:value="nope">t9</tags>`),
		errs: []rpcErr{{Type: app, Tag: rpcerror.TagBadAttribute, AppTag: "missing-instance",
			Path: "/ex:top/tags[.='t9']", Info: "bad-attribute=value,bad-element=tags"}},
	}, {
		name: "create inserts",
		edit: top(`<tags nc:operation="create" yang:insert="first">t0</tags>`),
		want: chg(`<tags>t1</tags>`, `<tags>t0</tags><tags>t1</tags>`),
	}, {
		name:  "inside a new list, relative to the entries built so far",
		start: `<top xmlns="urn:ex"/>`,
		edit:  top(`<ord><k1>a</k1><k2>1</k2></ord><ord yang:insert="first"><k1>b</k1><k2>1</k2></ord>`),
		want:  `<top xmlns="urn:ex"><ord><k1>b</k1><k2>1</k2></ord><ord><k1>a</k1><k2>1</k2></ord></top>`,
	}})
}

func TestChoice(t *testing.T) {
	runCases(t, []applyCase{{
		name: "creating a node of another case removes the current case's nodes",
		edit: top(`<cb><x>1</x></cb>`),
		want: chg(`<ca>case-a</ca>`, `<cb><x>1</x></cb>`),
	}, {
		name: "shorthand case",
		edit: top(`<short>s</short>`),
		want: chg(`<ca>case-a</ca>`, `<short>s</short>`),
	}, {
		name: "a node of the same case keeps its siblings",
		edit: top(`<ca2>z</ca2>`),
		want: chg(`<ca>case-a</ca>`, `<ca>case-a</ca><ca2>z</ca2>`),
	}, {
		name: "a delete in one case and a create in another",
		edit: top(`<ca nc:operation="delete"/><short>s</short>`),
		want: chg(`<ca>case-a</ca>`, `<short>s</short>`),
	}, {
		name: "the subtree of a deleted node only identifies it",
		edit: `<top` + nsDecls + ` nc:operation="delete"><ca>1</ca><short>s</short></top>`,
		want: ` `,
	}, {
		name:      "two cases in one edit",
		edit:      top(`<ca>1</ca><short>s</short>`),
		decodeErr: true,
		errs: []rpcErr{{Type: app, Tag: rpcerror.TagBadElement, Path: "/ex:top/short",
			Info: "bad-element=short"}},
	}})
}

func TestDecodeErrors(t *testing.T) {
	cases := []applyCase{{
		name: "invalid operation",
		edit: top(`<name nc:operation="dlete">x</name>`),
		errs: []rpcErr{{Type: app, Tag: rpcerror.TagBadAttribute, Path: "/ex:top/name",
			Info: "bad-attribute=operation,bad-element=name"}},
	}, {
		name: "none is not an operation attribute value",
		edit: top(`<name nc:operation="none">x</name>`),
		errs: []rpcErr{{Type: app, Tag: rpcerror.TagBadAttribute, Path: "/ex:top/name",
			Info: "bad-attribute=operation,bad-element=name"}},
	}, {
		name: "create inside a delete",
		edit: top(`<item nc:operation="delete"><id>1</id><val nc:operation="create">v</val></item>`),
		errs: []rpcErr{{Type: app, Tag: rpcerror.TagBadAttribute, Path: "/ex:top/item[id='1']/val",
			Info: "bad-attribute=operation,bad-element=val"}},
	}, {
		name: "merge inside a remove",
		edit: `<top` + nsDecls + ` nc:operation="remove"><pres nc:operation="merge"/></top>`,
		errs: []rpcErr{{Type: app, Tag: rpcerror.TagBadAttribute, Path: "/ex:top/pres",
			Info: "bad-attribute=operation,bad-element=pres"}},
	}, {
		name: "operation on a key",
		edit: top(`<item><id nc:operation="delete">1</id></item>`),
		errs: []rpcErr{{Type: app, Tag: rpcerror.TagBadAttribute, Path: "/ex:top/item[id='1']/id",
			Info: "bad-attribute=operation,bad-element=id"}},
	}, {
		name: "insert on a list not ordered by user",
		edit: top(`<item yang:insert="first"><id>1</id></item>`),
		errs: []rpcErr{{Type: app, Tag: rpcerror.TagUnknownAttribute, Path: "/ex:top/item[id='1']",
			Info: "bad-attribute=insert,bad-element=item"}},
	}, {
		name: "insert on a leaf-list not ordered by user",
		edit: top(`<sys yang:insert="first">1</sys>`),
		errs: []rpcErr{{Type: app, Tag: rpcerror.TagUnknownAttribute, Path: "/ex:top/sys[.='1']",
			Info: "bad-attribute=insert,bad-element=sys"}},
	}, {
		name: "insert before without key",
		edit: top(`<ord yang:insert="before"><k1>z</k1><k2>0</k2></ord>`),
		errs: []rpcErr{{Type: app, Tag: rpcerror.TagMissingAttribute, Path: "/ex:top/ord[k1='z'][k2='0']",
			Info: "bad-attribute=key,bad-element=ord"}},
	}, {
		name: "insert after without value",
		edit: top(`<tags yang:insert="after">x</tags>`),
		errs: []rpcErr{{Type: app, Tag: rpcerror.TagMissingAttribute, Path: "/ex:top/tags[.='x']",
			Info: "bad-attribute=value,bad-element=tags"}},
	}, {
		name: "invalid insert value",
		edit: top(`<tags yang:insert="middle">x</tags>`),
		errs: []rpcErr{{Type: app, Tag: rpcerror.TagBadAttribute, Path: "/ex:top/tags[.='x']",
			Info: "bad-attribute=insert,bad-element=tags"}},
	}, {
		name: "key attribute with a value its type refuses",
		edit: top(`<ord yang:insert="after" yang:key="[ex:k1='a'][ex:k2='x']"><k1>z</k1><k2>0</k2></ord>`),
		errs: []rpcErr{{Type: app, Tag: rpcerror.TagBadAttribute, Path: "/ex:top/ord[k1='z'][k2='0']",
			Info: "bad-attribute=key,bad-element=ord"}},
	}, {
		name: "key attribute missing a key",
		edit: top(`<ord yang:insert="after" yang:key="[ex:k1='a']"><k1>z</k1><k2>0</k2></ord>`),
		errs: []rpcErr{{Type: app, Tag: rpcerror.TagBadAttribute, Path: "/ex:top/ord[k1='z'][k2='0']",
			Info: "bad-attribute=key,bad-element=ord"}},
	}, {
		name: "key attribute on a leaf-list",
		edit: top(`<tags yang:insert="after" yang:key="[ex:k1='a']">x</tags>`),
		errs: []rpcErr{
			{Type: app, Tag: rpcerror.TagUnknownAttribute, Path: "/ex:top/tags[.='x']", Info: "bad-attribute=key,bad-element=tags"},
			{Type: app, Tag: rpcerror.TagMissingAttribute, Path: "/ex:top/tags[.='x']", Info: "bad-attribute=value,bad-element=tags"},
		},
	}, {
		name: "unprefixed operation attribute",
		edit: top(`<name operation="delete">x</name>`),
		errs: []rpcErr{{Type: app, Tag: rpcerror.TagUnknownAttribute, Path: "/ex:top/name",
			Info: "bad-attribute=operation,bad-element=name"}},
	}, {
		name: "unknown attribute in the NETCONF namespace",
		edit: top(`<name nc:op="merge">x</name>`),
		errs: []rpcErr{{Type: app, Tag: rpcerror.TagUnknownAttribute, Path: "/ex:top/name",
			Info: "bad-attribute=op,bad-element=name"}},
	}, {
		name: "config false leaf",
		edit: top(`<counter>1</counter>`),
		errs: []rpcErr{{Type: app, Tag: rpcerror.TagUnknownElement, Path: "/ex:top/counter",
			Info: "bad-element=counter"}},
	}, {
		name: "unknown element",
		edit: top(`<nope>1</nope>`),
		errs: []rpcErr{{Type: app, Tag: rpcerror.TagUnknownElement, Path: "/ex:top",
			Info: "bad-element=nope"}},
	}, {
		name: "unknown namespace",
		edit: `<top xmlns="urn:nope"/>`,
		errs: []rpcErr{{Type: app, Tag: rpcerror.TagUnknownNamespace, Path: "/",
			Info: "bad-element=top,bad-namespace=urn:nope"}},
	}, {
		name: "invalid value",
		edit: top(`<mtu>1</mtu>`),
		errs: []rpcErr{{Type: app, Tag: rpcerror.TagInvalidValue, Path: "/ex:top/mtu"}},
	}, {
		name: "invalid value of a leaf-list entry being deleted",
		edit: top(`<sys nc:operation="delete">x</sys>`),
		errs: []rpcErr{{Type: app, Tag: rpcerror.TagInvalidValue, Path: "/ex:top/sys"}},
	}, {
		name: "not well-formed",
		edit: `<top xmlns="urn:ex">`,
		errs: []rpcErr{{Type: rpcerror.RPC, Tag: rpcerror.TagMalformedMessage}},
	}}
	for i := range cases {
		cases[i].decodeErr = true
	}
	runCases(t, cases)
}

func TestErrorOption(t *testing.T) {
	edit := top(`<name>x</name><item nc:operation="create"><id>1</id></item>` +
		`<item nc:operation="create"><id>5</id></item><item nc:operation="delete"><id>9</id></item>`)
	runCases(t, []applyCase{{
		name: "stop-on-error keeps what was done before the error",
		edit: edit,
		want: chg(`<name>n1</name>`, `<name>x</name>`),
		errs: []rpcErr{{Type: app, Tag: rpcerror.TagDataExists, Path: "/ex:top/item[id='1']"}},
	}, {
		name: "continue-on-error applies the rest and reports every error",
		edit: edit,
		opts: Options{ErrorOption: "continue-on-error"},
		want: chg(`<name>n1</name>`, `<name>x</name>`, `<ord>`, `<item><id>5</id></item><ord>`),
		errs: []rpcErr{
			{Type: app, Tag: rpcerror.TagDataExists, Path: "/ex:top/item[id='1']"},
			{Type: app, Tag: rpcerror.TagDataMissing, Path: "/ex:top/item[id='9']"},
		},
	}, {
		name: "continue-on-error inside a new subtree skips just the failing element",
		edit: `<other xmlns="urn:ex" xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0" nc:operation="create">` +
			`<o nc:operation="delete"/></other>` + top(`<name>y</name>`),
		opts: Options{ErrorOption: "continue-on-error"},
		want: chg(`<name>n1</name>`, `<name>y</name>`) + `<other xmlns="urn:ex"/>`,
		errs: []rpcErr{{Type: app, Tag: rpcerror.TagDataMissing, Path: "/ex:other/o"}},
	}, {
		name: "continue-on-error undoes the failing element's own changes",
		edit: top(`<tags nc:operation="create">t0</tags><ord yang:insert="after" yang:key="[ex:k1='q'][ex:k2='1']"><k1>a</k1><k2>1</k2><v>changed</v></ord>`),
		opts: Options{ErrorOption: "continue-on-error"},
		want: chg(`<tags>t3</tags>`, `<tags>t3</tags><tags>t0</tags>`),
		errs: []rpcErr{{Type: app, Tag: rpcerror.TagBadAttribute, AppTag: "missing-instance",
			Path: "/ex:top/ord[k1='a'][k2='1']", Info: "bad-attribute=key,bad-element=ord"}},
	}, {
		name: "rollback-on-error undoes everything",
		edit: edit,
		opts: Options{ErrorOption: "rollback-on-error"},
		errs: []rpcErr{{Type: app, Tag: rpcerror.TagDataExists, Path: "/ex:top/item[id='1']"}},
	}, {
		name: "invalid error-option",
		edit: edit,
		opts: Options{ErrorOption: "ignore"},
		errs: []rpcErr{{Type: rpcerror.Protocol, Tag: rpcerror.TagInvalidValue, Info: "bad-element=error-option"}},
	}, {
		name: "invalid default-operation",
		edit: edit,
		opts: Options{DefaultOperation: "create"},
		errs: []rpcErr{{Type: rpcerror.Protocol, Tag: rpcerror.TagInvalidValue, Info: "bad-element=default-operation"}},
	}})
}

// TestBulkDelete covers runs of deleted entries (deleteEntries: one pass over the list instead of
// one per entry) with the errors and partial results one-by-one application gives.
func TestBulkDelete(t *testing.T) {
	entries := func(from, to int, op string) string {
		var b strings.Builder
		for i := from; i < to; i++ {
			if op == "" {
				fmt.Fprintf(&b, `<entry><name>e%d</name></entry>`, i)
			} else {
				fmt.Fprintf(&b, `<entry nc:operation=%q><name>e%d</name></entry>`, op, i)
			}
		}
		return b.String()
	}
	other := func(inner string) string {
		return `<other xmlns="urn:ex" xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0">` + inner + `</other>`
	}
	start := other(entries(0, 100, ""))
	missing := `<entry nc:operation="delete"><name>e500</name></entry>`
	missingErr := rpcErr{Type: app, Tag: rpcerror.TagDataMissing, Path: "/ex:other/entry[name='e500']"}
	runCases(t, []applyCase{{
		name:  "delete and remove a run",
		start: start,
		edit:  other(entries(10, 40, "delete") + `<entry nc:operation="remove"><name>e501</name></entry>` + entries(60, 70, "remove")),
		want:  other(entries(0, 10, "") + entries(40, 60, "") + entries(70, 100, "")),
	}, {
		name:  "stop-on-error keeps the entries deleted before the missing one",
		start: start,
		edit:  other(entries(10, 20, "delete") + missing + entries(20, 30, "delete")),
		want:  other(entries(0, 10, "") + entries(20, 100, "")),
		errs:  []rpcErr{missingErr},
	}, {
		name:  "continue-on-error deletes the others",
		start: start,
		edit:  other(entries(10, 20, "delete") + missing + entries(20, 30, "delete")),
		opts:  Options{ErrorOption: "continue-on-error"},
		want:  other(entries(0, 10, "") + entries(30, 100, "")),
		errs:  []rpcErr{missingErr},
	}, {
		name:  "rollback-on-error deletes nothing",
		start: start,
		edit:  other(entries(10, 20, "delete") + missing + entries(20, 30, "delete")),
		opts:  Options{ErrorOption: "rollback-on-error"},
		errs:  []rpcErr{missingErr},
	}, {
		name:  "a run from the first entry, under an explicit merge",
		start: start,
		edit:  `<other xmlns="urn:ex" xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0" nc:operation="merge">` + entries(0, 50, "delete") + `</other>`,
		want:  other(entries(50, 100, "")),
	}})
}
