package validate

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/xpath"
)

func must(expr, msg, appTag string) opt {
	return func(n *schema.Node) {
		n.SetMusts(append(n.Musts(), &schema.Must{Expr: expr, ErrorMessage: msg, ErrorAppTag: appTag}))
	}
}

func when(expr string, self bool, origin string) opt {
	return func(n *schema.Node) {
		n.SetWhens(append(n.Whens(), &schema.When{Expr: expr, Self: self, Origin: origin}))
	}
}

func requireXPath(t *testing.T) {
	t.Helper()
	if _, err := xpath.Compile("1 = 1", nil, nil, nil); err != nil {
		t.Skipf("xpath not available yet: %v", err)
	}
}

// mustWhenSchema mirrors the must/when part of test/oracle-constraints.yang.
func mustWhenSchema() *schema.Schema {
	return build("w",
		container("top", presence(),
			list("server", "name",
				leaf("name", tString),
				leaf("weight", tUint16, must(". <= 100", "weight must be <= 100", "")),
			),
			leaf("mode", tString, def("basic")),
			container("ext", when("../mode = 'advanced'", true, "node"), leaf("knob", tString)),
			leaf("mtu", tUint16, must(". >= 1280 or ../allow-small = 'true'", "", "")),
			leaf("allow-small", tString, def("false")),
			leaf("level", tUint16, must(". < 10", "", "too-high")),
			// A default whose when is false is not instantiated, nor required when mandatory.
			leaf("adv-knob", tString, def("k"), when("../mode = 'advanced'", true, "node")),
			leaf("adv-name", tString, mandatory(), when("../mode = 'advanced'", true, "node")),
			// dep1 depends on dep2, which goes first: removal repeats until nothing changes.
			leaf("dep1", tString, def("1"), when("../dep2", true, "node")),
			leaf("dep2", tString, def("2"), when("../mode = 'advanced'", true, "node")),
			// Inherited (uses/augment) whens have the parent as context node.
			leaf("aug", tString, when("mode = 'advanced'", false, "augment")),
			choice("ch",
				cas("c1", when("mode = 'advanced'", false, "case"), leaf("c1a", tString, def("x"))),
				cas("c2", leaf("c2a", tString)),
				defaultCase("c1"),
			),
		),
	)
}

func TestMustWhen(t *testing.T) {
	requireXPath(t)
	s := mustWhenSchema()
	v := New(s)
	tests := []struct {
		name  string
		build func(tr tree, root *data.Node)
		want  []got
		tree  []string
	}{
		{
			name: "defaults with false when are not created",
			build: func(tr tree, root *data.Node) {
				tr.c(root, "top")
			},
			tree: []string{"/w:top", "+/w:top/mode=basic", "+/w:top/allow-small=false"},
		},
		{
			name: "when true: defaults created, mandatory required",
			build: func(tr tree, root *data.Node) {
				top := tr.c(root, "top")
				tr.l(top, "mode", "advanced")
			},
			want: []got{{rpcerror.TagMissingElement, "", "/w:top/adv-name", "adv-name"}},
			tree: []string{"/w:top", "/w:top/mode=advanced", "+/w:top/allow-small=false",
				"+/w:top/adv-knob=k", "+/w:top/dep1=1", "+/w:top/dep2=2", "+/w:top/c1a=x"},
		},
		{
			name: "explicit nodes with false when",
			build: func(tr tree, root *data.Node) {
				top := tr.c(root, "top")
				tr.c(top, "ext")
				tr.l(top, "aug", "a")
				tr.l(top, "c1a", "y")
			},
			want: []got{
				{rpcerror.TagUnknownElement, "", "/w:top/ext", "ext"},
				{rpcerror.TagUnknownElement, "", "/w:top/aug", "aug"},
				{rpcerror.TagUnknownElement, "", "/w:top/c1a", "c1a"},
			},
		},
		{
			name: "must with error-message, with defaults, with error-app-tag",
			build: func(tr tree, root *data.Node) {
				top := tr.c(root, "top")
				tr.e(top, "server", "name", "a", "weight", "150")
				tr.l(top, "mtu", "1000")
				tr.l(top, "level", "12")
			},
			want: []got{
				{rpcerror.TagOperationFailed, rpcerror.AppTagMustViolation, "/w:top/server[name='a']/weight", ""},
				{rpcerror.TagOperationFailed, rpcerror.AppTagMustViolation, "/w:top/mtu", ""},
				{rpcerror.TagOperationFailed, "too-high", "/w:top/level", ""},
			},
		},
		{
			name: "must satisfied through an explicit value",
			build: func(tr tree, root *data.Node) {
				top := tr.c(root, "top")
				tr.l(top, "mtu", "1000")
				tr.l(top, "allow-small", "true")
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := data.NewRoot()
			tc.build(tree{t, s}, root)
			errs := v.Validate(root, Options{})
			if diff := cmp.Diff(tc.want, project(errs)); diff != "" {
				t.Errorf("errors mismatch (-want +got):\n%s\nerrors:\n%v", diff, errs)
			}
			if tc.tree != nil {
				if diff := cmp.Diff(tc.tree, dump(root)); diff != "" {
					t.Errorf("tree mismatch (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestLeafrefPredicate(t *testing.T) {
	requireXPath(t)
	s := constraintsSchema()
	v := New(s)
	for _, tc := range []struct {
		pport string
		want  []got
	}{
		{"830", nil}, // the default port of server a
		{"22", []got{{rpcerror.TagDataMissing, rpcerror.AppTagInstanceRequired, "/t:top/pport", ""}}},
	} {
		t.Run(tc.pport, func(t *testing.T) {
			tr := tree{t, s}
			root := data.NewRoot()
			req := tr.c(root, "req")
			tr.l(req, "r1", "x")
			tr.l(tr.c(req, "deep"), "m", "y")
			top := tr.c(root, "top")
			tr.l(top, "name", "n")
			tr.e(top, "server", "name", "a")
			tr.e(top, "server", "name", "b", "port", "22")
			tr.l(top, "primary", "a")
			tr.l(top, "pport", tc.pport)
			if diff := cmp.Diff(tc.want, project(v.Validate(root, Options{}))); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSkipUnreadDefaults: with Options.SkipUnreadDefaults, the defaults a must, a when or a
// unique statement reads are instantiated (and the checks see them), those nothing reads are
// not (note, tags, weight, np/x; np, then empty, is pruned), and the errors are those of a full
// Validate.
func TestSkipUnreadDefaults(t *testing.T) {
	requireXPath(t)
	s := build("u",
		container("top", presence(),
			leaf("mtu", tUint16, must(". >= 1280 or ../allow-small = 'true'", "", "")),
			leaf("allow-small", tString, def("false")),
			leaf("mode", tString, def("basic")),
			container("ext", when("../mode = 'advanced'", true, "node"), leaf("knob", tString)),
			leaf("note", tString, def("unread")),
			leafList("tags", tString, def("a", "b")),
			list("server", "name", unique("port"),
				leaf("name", tString),
				leaf("port", tUint16, def("830")),
				leaf("weight", tUint16, def("1")),
			),
			container("np", leaf("x", tString, def("x"))),
		),
	)
	v := New(s)
	for _, tc := range []struct {
		name string
		doc  string
		want []string // the tree after validation with SkipUnreadDefaults
	}{
		{"valid", `<top xmlns="urn:test:u"><mtu>1500</mtu><server><name>a</name></server></top>`, []string{
			"/u:top", "/u:top/mtu=1500", "+/u:top/allow-small=false", "+/u:top/mode=basic",
			"/u:top/server[name='a']", "/u:top/server[name='a']/name=a", "+/u:top/server[name='a']/port=830",
		}},
		{"must fails on a default", `<top xmlns="urn:test:u"><mtu>1000</mtu></top>`, nil},
		{"when reads a default", `<top xmlns="urn:test:u"><ext><knob>k</knob></ext></top>`, nil},
		{"unique over defaults", `<top xmlns="urn:test:u"><server><name>a</name></server><server><name>b</name></server></top>`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			full, errs := decode(t, s, []byte(tc.doc))
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			lean, _ := decode(t, s, []byte(tc.doc))
			want := errLines(v.Validate(full, Options{}))
			got := errLines(v.Validate(lean, Options{SkipUnreadDefaults: true}))
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("errors mismatch (-full +skip):\n%s", diff)
			}
			if tc.want == nil {
				if len(want) == 0 {
					t.Errorf("want errors, got none")
				}
				return
			}
			if diff := cmp.Diff(tc.want, dump(lean)); diff != "" {
				t.Errorf("tree mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
