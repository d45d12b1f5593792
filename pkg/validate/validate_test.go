package validate

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
)

// got is the part of an rpc-error the tables compare.
type got struct {
	Tag    rpcerror.Tag
	AppTag string
	Path   string
	Info   string // first error-info value
}

func project(l rpcerror.List) []got {
	var out []got
	for _, e := range l {
		g := got{Tag: e.Tag, AppTag: e.AppTag, Path: e.Path}
		if len(e.Info) > 0 {
			g.Info = e.Info[0].Value
		}
		if e.Type != rpcerror.Application {
			g.Tag = "wrong-type:" + g.Tag
		}
		out = append(out, g)
	}
	return out
}

// constraintsSchema mirrors the structural part of test/oracle-constraints.yang, plus a few
// nodes for defaults, choices and references.
func constraintsSchema() *schema.Schema {
	return build("t",
		container("top", presence(),
			leaf("name", tString, mandatory()),
			list("server", "name", unique("ip", "port"), minMax(1, 3),
				leaf("name", tString),
				leaf("ip", tString),
				leaf("port", tUint16, def("830")),
			),
			leafList("tag", tString, minMax(0, 2)),
			leaf("primary", leafref("../server/name", true)),
			leaf("backup", leafref("../server/name", false)),
			leaf("first", leafref("/top/server/name", true)),
			leaf("pport", leafref("../server[name = current()/../primary]/port", true)),
			leaf("mode", tString, def("basic")),
			choice("transport",
				cas("ssh", leaf("ssh-port", tUint16), leaf("ssh-key", tString)),
				cas("tls", leaf("tls-port", tUint16)),
			),
			leaf("status", tString, state()),
			container("stats", state(), leaf("uptime", tUint16), leaf("up", tString, def("yes"))),
		),
		container("misc",
			leaf("note", tString),
			container("inner", leaf("d", tString, def("x"))),
			leafList("dl", tString, def("a", "b")),
			choice("proto",
				cas("a", leaf("a1", tString, def("1")), container("ac", leaf("a2", tString, def("2")))),
				cas("b", leaf("b1", tString), leaf("b2", tString, mandatory())),
				defaultCase("a"),
			),
			leafList("refs", instanceID()),
		),
		container("req",
			choice("must-pick", mandatory(), leaf("r1", tString), leaf("r2", tString)),
			container("deep", leaf("m", tString, mandatory())),
			list("ifc", "name", leaf("name", tString), container("cfg", leaf("name", tString)),
				leaf("self", leafref("../cfg/name", true))),
		),
		leaf("flag", tString, state()),
	)
}

func TestValidate(t *testing.T) {
	s := constraintsSchema()
	v := New(s)
	// okReq fills what the always-present top-level containers require.
	okReq := func(tr tree, root *data.Node) {
		req := tr.c(root, "req")
		tr.l(req, "r1", "x")
		tr.l(tr.c(req, "deep"), "m", "y")
	}
	tests := []struct {
		name  string
		build func(tr tree, root *data.Node)
		opts  Options
		want  []got
	}{
		{
			name:  "valid with absent presence container",
			build: okReq,
		},
		{
			name:  "top-level mandatory nodes are checked without data",
			build: func(tr tree, root *data.Node) {},
			want: []got{
				{rpcerror.TagDataMissing, rpcerror.AppTagMissingChoice, "/t:req", "must-pick"},
				{rpcerror.TagMissingElement, "", "/t:req/deep/m", "m"},
			},
		},
		{
			name: "mandatory leaf and min-elements under a present presence container",
			build: func(tr tree, root *data.Node) {
				okReq(tr, root)
				tr.c(root, "top")
			},
			want: []got{
				{rpcerror.TagMissingElement, "", "/t:top/name", "name"},
				{rpcerror.TagOperationFailed, rpcerror.AppTagTooFewElements, "/t:top/server", ""},
			},
		},
		{
			name: "max-elements reports the first excess entry",
			build: func(tr tree, root *data.Node) {
				okReq(tr, root)
				top := tr.c(root, "top")
				tr.l(top, "name", "n")
				tr.e(top, "server", "name", "a", "ip", "1")
				for _, v := range []string{"a", "b", "c", "d"} {
					tr.l(top, "tag", v)
				}
			},
			want: []got{
				{rpcerror.TagOperationFailed, rpcerror.AppTagTooManyElements, "/t:top/tag[.='c']", ""},
			},
		},
		{
			name: "list max-elements",
			build: func(tr tree, root *data.Node) {
				okReq(tr, root)
				top := tr.c(root, "top")
				tr.l(top, "name", "n")
				for _, v := range []string{"a", "b", "c", "d", "e"} {
					tr.e(top, "server", "name", v, "ip", v)
				}
			},
			want: []got{
				{rpcerror.TagOperationFailed, rpcerror.AppTagTooManyElements, "/t:top/server[name='d']", ""},
			},
		},
		{
			name: "unique counts defaults and reports the later entry",
			build: func(tr tree, root *data.Node) {
				okReq(tr, root)
				top := tr.c(root, "top")
				tr.l(top, "name", "n")
				tr.e(top, "server", "name", "a", "ip", "10.0.0.1")
				tr.e(top, "server", "name", "b", "ip", "10.0.0.1")
			},
			want: []got{
				{rpcerror.TagOperationFailed, rpcerror.AppTagDataNotUnique, "/t:top/server[name='b']",
					"/t:top/server[name='b']/ip"},
			},
		},
		{
			// yanglint's location: with more than two entries, the earlier entry of the pair.
			name: "unique among three entries reports the earlier entry",
			build: func(tr tree, root *data.Node) {
				okReq(tr, root)
				top := tr.c(root, "top")
				tr.l(top, "name", "n")
				tr.e(top, "server", "name", "a", "ip", "10.0.0.1")
				tr.e(top, "server", "name", "b", "ip", "10.0.0.2")
				tr.e(top, "server", "name", "c", "ip", "10.0.0.1")
			},
			want: []got{
				{rpcerror.TagOperationFailed, rpcerror.AppTagDataNotUnique, "/t:top/server[name='a']",
					"/t:top/server[name='c']/ip"},
			},
		},
		{
			name: "unique among three entries, an entry without the leaf still counts",
			build: func(tr tree, root *data.Node) {
				okReq(tr, root)
				top := tr.c(root, "top")
				tr.l(top, "name", "n")
				tr.e(top, "server", "name", "a")
				tr.e(top, "server", "name", "b", "ip", "10.0.0.1")
				tr.e(top, "server", "name", "c", "ip", "10.0.0.1")
			},
			want: []got{
				{rpcerror.TagOperationFailed, rpcerror.AppTagDataNotUnique, "/t:top/server[name='b']",
					"/t:top/server[name='c']/ip"},
			},
		},
		{
			name: "unique does not apply when a referenced leaf is absent",
			build: func(tr tree, root *data.Node) {
				okReq(tr, root)
				top := tr.c(root, "top")
				tr.l(top, "name", "n")
				tr.e(top, "server", "name", "a")
				tr.e(top, "server", "name", "b")
			},
		},
		{
			name: "unique with different values",
			build: func(tr tree, root *data.Node) {
				okReq(tr, root)
				top := tr.c(root, "top")
				tr.l(top, "name", "n")
				tr.e(top, "server", "name", "a", "ip", "1", "port", "1")
				tr.e(top, "server", "name", "b", "ip", "1", "port", "2")
			},
		},
		{
			name: "duplicate list key",
			build: func(tr tree, root *data.Node) {
				okReq(tr, root)
				top := tr.c(root, "top")
				tr.l(top, "name", "n")
				tr.e(top, "server", "name", "a", "ip", "1")
				tr.e(top, "server", "name", "a", "ip", "2")
			},
			want: []got{
				{rpcerror.TagInvalidValue, "", "/t:top/server[name='a']", ""},
			},
		},
		{
			name: "missing list key",
			build: func(tr tree, root *data.Node) {
				okReq(tr, root)
				top := tr.c(root, "top")
				tr.l(top, "name", "n")
				tr.e(top, "server", "ip", "1")
			},
			want: []got{
				{rpcerror.TagMissingElement, "", "/t:top/server", "name"},
			},
		},
		{
			name: "leafref relative and absolute",
			build: func(tr tree, root *data.Node) {
				okReq(tr, root)
				top := tr.c(root, "top")
				tr.l(top, "name", "n")
				tr.e(top, "server", "name", "a", "ip", "1")
				tr.l(top, "primary", "zz")
				tr.l(top, "backup", "zz")
				tr.l(top, "first", "yy")
			},
			want: []got{
				{rpcerror.TagDataMissing, rpcerror.AppTagInstanceRequired, "/t:top/primary", ""},
				{rpcerror.TagDataMissing, rpcerror.AppTagInstanceRequired, "/t:top/first", ""},
			},
		},
		{
			name: "leafref satisfied",
			build: func(tr tree, root *data.Node) {
				okReq(tr, root)
				top := tr.c(root, "top")
				tr.l(top, "name", "n")
				tr.e(top, "server", "name", "a", "ip", "1")
				tr.e(top, "server", "name", "b", "ip", "2")
				tr.l(top, "primary", "b")
				tr.l(top, "first", "a")
			},
		},
		{
			name: "leafref key to a sibling container leaf",
			build: func(tr tree, root *data.Node) {
				okReq(tr, root)
				req := root.Children()[0]
				e := tr.e(req, "ifc", "name", "eth0")
				tr.l(tr.c(e, "cfg"), "name", "eth0")
				tr.l(e, "self", "eth0")
				e2 := tr.e(req, "ifc", "name", "eth1")
				tr.l(e2, "self", "eth1")
			},
			want: []got{
				{rpcerror.TagDataMissing, rpcerror.AppTagInstanceRequired, "/t:req/ifc[name='eth1']/self", ""},
			},
		},
		{
			name: "choice with data from two cases",
			build: func(tr tree, root *data.Node) {
				okReq(tr, root)
				top := tr.c(root, "top")
				tr.l(top, "name", "n")
				tr.e(top, "server", "name", "a", "ip", "1")
				tr.l(top, "ssh-port", "22")
				tr.l(top, "tls-port", "6513")
			},
			want: []got{
				{rpcerror.TagBadElement, "", "/t:top", "tls-port"},
			},
		},
		{
			name: "mandatory node in the active case only",
			build: func(tr tree, root *data.Node) {
				okReq(tr, root)
				tr.l(tr.c(root, "misc"), "b1", "x")
			},
			want: []got{
				{rpcerror.TagMissingElement, "", "/t:misc/b2", "b2"},
			},
		},
		{
			name: "state data in configuration",
			build: func(tr tree, root *data.Node) {
				okReq(tr, root)
				top := tr.c(root, "top")
				tr.l(top, "name", "n")
				tr.e(top, "server", "name", "a", "ip", "1")
				tr.l(top, "status", "up")
				tr.l(tr.c(top, "stats"), "uptime", "5")
				tr.l(root, "flag", "on")
			},
			want: []got{
				{rpcerror.TagUnknownElement, "", "/t:top/status", "status"},
				{rpcerror.TagUnknownElement, "", "/t:top/stats", "stats"},
				{rpcerror.TagUnknownElement, "", "/t:flag", "flag"},
			},
		},
		{
			name: "state data allowed with Options.Data",
			opts: Options{Data: true},
			build: func(tr tree, root *data.Node) {
				okReq(tr, root)
				top := tr.c(root, "top")
				tr.l(top, "name", "n")
				tr.e(top, "server", "name", "a", "ip", "1")
				tr.l(top, "status", "up")
				tr.l(tr.c(top, "stats"), "uptime", "5")
			},
		},
		{
			name: "instance-identifier require-instance",
			build: func(tr tree, root *data.Node) {
				okReq(tr, root)
				top := tr.c(root, "top")
				tr.l(top, "name", "n")
				tr.e(top, "server", "name", "a", "ip", "1")
				misc := tr.c(root, "misc")
				tr.l(misc, "refs", "/t:top/server[name='a']/ip")
				tr.l(misc, "refs", "/t:top/server[name='b']/ip")
				tr.l(misc, "refs", "/t:top/tag[.='x']")
			},
			want: []got{
				{rpcerror.TagDataMissing, rpcerror.AppTagInstanceRequired, `/t:misc/refs[.="/t:top/server[name='b']/ip"]`, ""},
				{rpcerror.TagDataMissing, rpcerror.AppTagInstanceRequired, "/t:misc/refs[.=\"/t:top/tag[.='x']\"]", ""},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := data.NewRoot()
			tc.build(tree{t, s}, root)
			errs := v.Validate(root, tc.opts)
			if diff := cmp.Diff(tc.want, project(errs)); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s\nerrors:\n%v", diff, errs)
			}
		})
	}
}

// dump lists the nodes of a tree as paths, "+" marking defaults.
func dump(root *data.Node) []string {
	var out []string
	root.Walk(func(n *data.Node) bool {
		if n.IsRoot() {
			return true
		}
		p := n.Path()
		if n.Schema.Kind == schema.KindLeaf {
			p += "=" + n.Value.Str
		}
		if n.Default {
			p = "+" + p
		}
		out = append(out, p)
		return true
	})
	return out
}

func TestDefaults(t *testing.T) {
	s := constraintsSchema()
	v := New(s)
	tests := []struct {
		name  string
		opts  Options
		build func(tr tree, root *data.Node)
		want  []string
	}{
		{
			name:  "empty document",
			build: func(tr tree, root *data.Node) {},
			want: []string{
				"+/t:misc", "+/t:misc/inner", "+/t:misc/inner/d=x", "+/t:misc/dl[.='a']", "+/t:misc/dl[.='b']",
				"+/t:misc/a1=1", "+/t:misc/ac", "+/t:misc/ac/a2=2",
				// req has no defaults: created to check its mandatory nodes, dropped afterwards.
			},
		},
		{
			name: "explicit case suppresses the default case; defaults inside lists and presence containers",
			build: func(tr tree, root *data.Node) {
				misc := tr.c(root, "misc")
				tr.l(misc, "b1", "x")
				tr.l(misc, "b2", "y")
				tr.l(misc, "dl", "z")
				top := tr.c(root, "top")
				tr.e(top, "server", "name", "a")
			},
			want: []string{
				"/t:top", "/t:top/server[name='a']", "/t:top/server[name='a']/name=a",
				"+/t:top/server[name='a']/port=830", "+/t:top/mode=basic",
				"/t:misc", "+/t:misc/inner", "+/t:misc/inner/d=x", "/t:misc/dl[.='z']",
				"/t:misc/b1=x", "/t:misc/b2=y",
			},
		},
		{
			name: "state defaults only with Options.Data",
			opts: Options{Data: true},
			build: func(tr tree, root *data.Node) {
				misc := tr.c(root, "misc")
				tr.l(misc, "a1", "7")
				tr.c(root, "top")
			},
			want: []string{
				"/t:top", "+/t:top/mode=basic", "+/t:top/stats", "+/t:top/stats/up=yes",
				"/t:misc", "+/t:misc/inner", "+/t:misc/inner/d=x", "+/t:misc/dl[.='a']", "+/t:misc/dl[.='b']",
				"/t:misc/a1=7", "+/t:misc/ac", "+/t:misc/ac/a2=2",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := data.NewRoot()
			tc.build(tree{t, s}, root)
			v.Validate(root, tc.opts)
			if diff := cmp.Diff(tc.want, dump(root)); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDefaultsStaleCase(t *testing.T) {
	s := constraintsSchema()
	v := New(s)
	tr := tree{t, s}
	root := data.NewRoot()
	v.Validate(root, Options{})
	// The default case's nodes are in the tree now; data for the other case replaces them.
	misc := root.Children()[0]
	tr.l(misc, "b1", "x")
	tr.l(misc, "b2", "y")
	v.Validate(root, Options{})
	want := []string{
		"/t:misc", "+/t:misc/inner", "+/t:misc/inner/d=x", "+/t:misc/dl[.='a']", "+/t:misc/dl[.='b']",
		"/t:misc/b1=x", "/t:misc/b2=y",
	}
	if diff := cmp.Diff(want, dump(root)); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

func TestTopLevelChoiceAndState(t *testing.T) {
	s := build("c",
		choice("pick", leaf("p1", tString), leaf("p2", tString)),
		container("st", state(), leaf("must-have", tString, mandatory())),
	)
	v := New(s)
	tr := tree{t, s}
	tests := []struct {
		name  string
		opts  Options
		build func(root *data.Node)
		want  []got
	}{
		{
			name: "two cases of a top-level choice: reported at the root",
			build: func(root *data.Node) {
				tr.l(root, "p1", "a")
				tr.l(root, "p2", "b")
			},
			want: []got{{rpcerror.TagBadElement, "", "/", "p2"}},
		},
		{
			name:  "mandatory state nodes are not required in configuration",
			build: func(root *data.Node) {},
		},
		{
			name:  "mandatory state nodes are required in data",
			opts:  Options{Data: true},
			build: func(root *data.Node) {},
			want:  []got{{rpcerror.TagMissingElement, "", "/c:st/must-have", "must-have"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := data.NewRoot()
			tc.build(root)
			if diff := cmp.Diff(tc.want, project(v.Validate(root, tc.opts))); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestConcurrent(t *testing.T) {
	s := constraintsSchema()
	v := New(s)
	done := make(chan []got)
	for i := 0; i < 4; i++ {
		go func() {
			tr := tree{t, s}
			root := data.NewRoot()
			top := tr.c(root, "top")
			tr.l(top, "name", "n")
			tr.e(top, "server", "name", "a")
			tr.l(top, "primary", "zz")
			done <- project(v.Validate(root, Options{}))
		}()
	}
	want := []got{
		{rpcerror.TagDataMissing, rpcerror.AppTagInstanceRequired, "/t:top/primary", ""},
		{rpcerror.TagDataMissing, rpcerror.AppTagMissingChoice, "/t:req", "must-pick"},
		{rpcerror.TagMissingElement, "", "/t:req/deep/m", "m"},
	}
	for i := 0; i < 4; i++ {
		if diff := cmp.Diff(want, <-done); diff != "" {
			t.Errorf("mismatch (-want +got):\n%s", diff)
		}
	}
}
