package validate

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/schema/yangload"
	"github.com/ncws/ncws/pkg/xpath"
)

// incModel is a model of our own where constraints reach across subtrees: musts reading other
// lists, whens on defaults and containers, leafrefs into lists (relative and absolute, from
// leaf-lists, through deref), unique, choices with defaults and mandatory nodes,
// min/max-elements, instance-identifiers.
const incModel = `module inc {
  yang-version 1.1;
  namespace "urn:inc";
  prefix inc;
  container net {
    leaf mode { type enumeration { enum basic; enum advanced; } default basic; }
    leaf mtu { type uint16; default 1500; must ". >= 576"; }
    list ifc {
      key name;
      unique "addr";
      min-elements 1;
      max-elements 5;
      leaf name { type string; }
      leaf addr { type string; }
      leaf enabled { type boolean; default true; }
      leaf speed { type uint32; must ". <= 1000 or ../../mode = 'advanced'"; }
      leaf peer { type leafref { path "../../ifc/name"; } }
      leaf lag { type string; default "none"; when "count(../../route) > 1"; }
      container opts {
        leaf knob { type string; default "k"; }
        leaf adv { type string; default "a"; when "../../../mode = 'advanced'"; }
      }
      choice medium {
        default copper;
        case copper { leaf gauge { type uint8; default 24; } }
        case fiber {
          leaf wavelength { type uint16; mandatory true; }
          container optic { leaf power { type int8; default -3; } }
        }
      }
    }
    container routing {
      when "../mode = 'advanced'";
      leaf-list via { type leafref { path "/net/ifc/name"; } }
      leaf metric { type uint8; default 10; }
    }
    list route {
      key prefix;
      must "count(../route) <= 4";
      leaf prefix { type string; }
      leaf out { type leafref { path "/net/ifc/name"; } mandatory true; }
      leaf next { type instance-identifier; }
      leaf-list tag { type string; max-elements 3; ordered-by user; }
    }
    container extra {
      leaf x { type string; default "d"; when "../../mode = 'advanced'"; }
    }
    choice encap {
      default vlan;
      case vlan {
        container vlan {
          leaf id { type uint16; mandatory true; }
          leaf prio { type uint8; default 0; }
          container qos {
            leaf cls { type string; mandatory true; }
            leaf w { type uint8; default 1; }
          }
        }
      }
      case raw { leaf raw { type string; } }
    }
    leaf oper { config false; type string; }
    container status {
      config false;
      leaf up { type boolean; default false; }
      leaf-list seen { type string; }
    }
    container stats-ctl {
      presence "p";
      leaf interval { type uint16; mandatory true; }
      leaf target { type instance-identifier; }
    }
  }
  container sys {
    leaf host { type string; mandatory true; }
    leaf primary { type leafref { path "/net/ifc/name"; } must "deref(.)/../enabled = 'true'"; }
    // Validate evaluates musts with every non-presence container its defaults pass creates in
    // place, those it prunes afterwards included (/net/extra in basic mode).
    leaf probe { type string; must "count(/net/extra) = 1"; }
    container log {
      leaf level { type enumeration { enum debug; enum info; } default info; }
      leaf file { type string; when "../level = 'debug'"; }
      leaf-list facility { type string; default "kern"; default "user"; }
    }
    choice auth {
      mandatory true;
      leaf password { type string; }
      container radius {
        leaf server { type leafref { path "/net/ifc/addr"; } }
        leaf port { type uint16; default 1812; }
      }
    }
  }
}
`

var incDocs = []string{`<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">
<net xmlns="urn:inc" xmlns:inc="urn:inc">
  <mode>advanced</mode>
  <ifc><name>e0</name><addr>10.0.0.1</addr><speed>100</speed><peer>e1</peer></ifc>
  <ifc><name>e1</name><addr>10.0.0.2</addr><speed>5000</speed><wavelength>1310</wavelength></ifc>
  <ifc><name>e2</name><addr>10.0.0.3</addr><enabled>false</enabled><opts><knob>z</knob></opts></ifc>
  <routing><via>e0</via><via>e1</via></routing>
  <route><prefix>0/0</prefix><out>e0</out><next>/inc:net/inc:ifc[inc:name='e1']</next><tag>a</tag><tag>b</tag></route>
  <route><prefix>10/8</prefix><out>e2</out></route>
  <stats-ctl><interval>5</interval><target>/inc:sys/inc:host</target></stats-ctl>
</net>
<sys xmlns="urn:inc"><host>h</host><primary>e0</primary><log><level>debug</level><file>f</file></log><password>x</password></sys>
</config>`, `<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">
<net xmlns="urn:inc" xmlns:inc="urn:inc">
  <ifc><name>a</name><addr>1</addr><speed>10</speed></ifc>
  <ifc><name>b</name><addr>2</addr><peer>a</peer><wavelength>850</wavelength><optic><power>1</power></optic></ifc>
  <route><prefix>p1</prefix><out>b</out><next>/inc:net/inc:route[inc:prefix='p1']/inc:out</next></route>
</net>
<sys xmlns="urn:inc"><host>h2</host><primary>a</primary><radius><server>2</server></radius></sys>
</config>`, `<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">
<net xmlns="urn:inc"><mode>advanced</mode><mtu>9000</mtu>
  <ifc><name>x</name><addr>a</addr><speed>2000</speed></ifc>
  <route><prefix>p1</prefix><out>x</out></route>
  <route><prefix>p2</prefix><out>x</out><tag>t</tag></route>
  <vlan><id>7</id><qos><cls>gold</cls></qos></vlan>
</net>
<sys xmlns="urn:inc"><host>h3</host><log><facility>local0</facility></log><password>p</password></sys>
</config>`}

// diffSource is a schema with valid documents to edit.
type diffSource struct {
	name string
	s    *schema.Schema
	v    *Validator
	docs map[string][]byte
}

// diffSources loads the module sets and valid documents of the conformance corpora, testdata/yl,
// testdata/extra and incModel.
func diffSources(t *testing.T) []*diffSource {
	t.Helper()
	bySet := map[string]*diffSource{}
	var out []*diffSource
	src := func(set string) *diffSource {
		if d := bySet[set]; d != nil {
			return d
		}
		s := loadSet(t, set)
		d := &diffSource{name: set, s: s, v: New(s), docs: map[string][]byte{}}
		bySet[set] = d
		out = append(out, d)
		return d
	}
	addFile := func(d *diffSource, file string) {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		d.docs[file] = b
	}
	corpora := []string{corpusDir}
	if m, _ := filepath.Glob("../../internal/cli/testdata/validation*"); len(m) > 0 {
		corpora = append(corpora, m...)
	}
	for _, dir := range corpora {
		b, err := os.ReadFile(filepath.Join(dir, "cases.tsv"))
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(b), "\n") {
			c := strings.Split(line, "\t")
			if len(c) >= 3 && c[2] == "valid" {
				if _, ok := moduleSets[c[1]]; ok {
					addFile(src(c[1]), filepath.Join(dir, "cases", c[0]))
				}
			}
		}
	}
	if b, err := os.ReadFile("testdata/extra/expected.tsv"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if c := strings.Split(line, "\t"); len(c) >= 3 && c[2] == "valid" {
				addFile(src(c[1]), filepath.Join("testdata/extra", c[0]))
			}
		}
	}
	yl, err := yangload.Load(yangload.Options{SearchPaths: []string{"testdata/yl"},
		Files: []string{"testdata/yl/vx.yang"}})
	if err != nil {
		t.Fatal(err)
	}
	ylSrc := &diffSource{name: "yl", s: yl, v: New(yl), docs: map[string][]byte{}}
	if b, err := os.ReadFile("testdata/yl/expected.tsv"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if c := strings.Split(line, "\t"); len(c) >= 2 && c[1] == "valid" {
				addFile(ylSrc, filepath.Join("testdata/yl/cases", c[0]))
			}
		}
	}
	out = append(out, ylSrc)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "inc.yang"), []byte(incModel), 0o644); err != nil {
		t.Fatal(err)
	}
	inc, err := yangload.Load(yangload.Options{Files: []string{filepath.Join(dir, "inc.yang")}})
	if err != nil {
		t.Fatal(err)
	}
	incSrc := &diffSource{name: "inc", s: inc, v: New(inc), docs: map[string][]byte{}}
	for i, d := range incDocs {
		incSrc.docs[fmt.Sprintf("inc-%d", i)] = []byte(d)
	}
	out = append(out, incSrc)
	return out
}

// errKeys returns the errors as a sorted set of their identities.
func errKeys(errs rpcerror.List) []string {
	set := map[string]bool{}
	for _, e := range errs {
		k := fmt.Sprintf("%s %s %s | %s", e.Path, e.Tag, e.AppTag, e.Message)
		for _, in := range e.Info {
			k += " | " + in.Name + "=" + in.Value
		}
		set[k] = true
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// editor applies random edits to a tree through a Txn.
type editor struct {
	rnd  *rand.Rand
	s    *schema.Schema
	tx   *data.Txn
	root *data.Node
	pool []string
	log  []string
}

func (ed *editor) resolve(prefix string) *schema.Module { return ed.s.Module(prefix) }

// nodes returns the nodes of the tree that edits may touch.
func (ed *editor) nodes() []*data.Node {
	var out []*data.Node
	ed.root.Walk(func(n *data.Node) bool {
		if n.Schema != nil && !(n.Schema.Kind == schema.KindLeaf && n.Schema.IsKey()) {
			out = append(out, n)
		}
		return true
	})
	return out
}

// value returns a valid value of leaf or leaf-list s other than old, if one is found.
func (ed *editor) value(s *schema.Node, old string) (data.Value, bool) {
	cands := append([]string(nil), ed.pool...)
	cands = append(cands, s.Default()...)
	if t := s.Type.ValueType(); t != nil && len(t.Enums) > 0 && ed.rnd.IntN(2) == 0 {
		cands = cands[:0]
		for _, e := range t.Enums {
			cands = append(cands, e.Name)
		}
	} else if t != nil && t.Base == schema.Boolean && ed.rnd.IntN(2) == 0 {
		cands = append(cands[:0], "true", "false")
	}
	cands = append(cands, old+"x", fmt.Sprint(ed.rnd.IntN(3000)))
	for range 30 {
		c := cands[ed.rnd.IntN(len(cands))]
		if c == old {
			continue
		}
		v, err := data.ParseValue(s.Type, c, ed.resolve)
		if err == nil && v.Str != old {
			return v, true
		}
	}
	return data.Value{}, false
}

// edit applies one random edit; it reports false when the chosen one was not possible.
func (ed *editor) edit() bool {
	ns := ed.nodes()
	if len(ns) == 0 {
		return false
	}
	n := ns[ed.rnd.IntN(len(ns))]
	s := n.Schema
	switch op := ed.rnd.IntN(8); {
	case op == 0: // delete
		ed.log = append(ed.log, "delete "+n.Path())
		ed.tx.Remove(n)
	case op == 1 && s.Kind == schema.KindList && len(s.Keys()) > 0: // clone an entry, new key
		c := n.Clone()
		for _, k := range s.Keys() {
			kn := c.Child(k)
			if kn == nil {
				return false
			}
			v, ok := ed.value(k, kn.Value.Str)
			if !ok {
				return false
			}
			kn.Value = v
		}
		if n.Parent.Find(s, c.Key()) != nil {
			return false
		}
		ed.log = append(ed.log, "clone "+n.Path()+" as "+c.Key())
		ed.tx.Insert(n.Parent, c, nil)
	case op == 2 && s.Kind == schema.KindLeaf: // change a value
		v, ok := ed.value(s, n.Value.Str)
		if !ok {
			return false
		}
		ed.log = append(ed.log, "set "+n.Path()+" = "+v.Str)
		ed.tx.Replace(n, data.NewLeaf(s, v))
	case op == 3 && s.Kind == schema.KindLeafList: // another entry
		v, ok := ed.value(s, n.Value.Str)
		if !ok || n.Parent.Find(s, v.Str) != nil {
			return false
		}
		ed.log = append(ed.log, "add "+n.Path()+" "+v.Str)
		ed.tx.Insert(n.Parent, data.NewLeaf(s, v), nil)
	case op == 4 && (isParent(s)): // create an absent leaf
		var absent []*schema.Node
		for _, c := range s.DataChildren() {
			if c.Kind == schema.KindLeaf && !c.IsKey() && n.Child(c) == nil {
				absent = append(absent, c)
			}
		}
		if len(absent) == 0 {
			return false
		}
		c := absent[ed.rnd.IntN(len(absent))]
		v, ok := ed.value(c, "")
		if !ok {
			return false
		}
		ed.log = append(ed.log, "create "+n.Path()+"/"+c.Name+" = "+v.Str)
		ed.tx.Insert(n, data.NewLeaf(c, v), nil)
	case op == 5 && s.OrderedByUser: // move first
		is := n.Parent.Instances(s)
		if is[0] == n {
			return false
		}
		ed.log = append(ed.log, "move "+n.Path())
		ed.tx.Move(n, is[0])
	case op == 6 && isParent(s) && n.Parent != nil: // replace by a copy missing a descendant
		c := n.Clone()
		var inner []*data.Node
		c.Walk(func(d *data.Node) bool {
			if d != c && !(d.Schema.Kind == schema.KindLeaf && d.Schema.IsKey()) {
				inner = append(inner, d)
			}
			return true
		})
		if len(inner) == 0 {
			return false
		}
		d := inner[ed.rnd.IntN(len(inner))]
		d.Parent.Remove(d)
		ed.log = append(ed.log, "replace "+n.Path()+" without "+d.Schema.Name)
		ed.tx.Replace(n, c)
	case op == 7: // put a leaf below containers that may not exist yet
		if ed.rnd.IntN(3) == 0 {
			n = ed.root
		}
		if !n.IsRoot() && !isParent(n.Schema) {
			return false
		}
		var kids []*schema.Node
		if n.IsRoot() {
			kids = ed.s.TopNodes()
		} else {
			kids = n.Schema.DataChildren()
		}
		l := data.LocOf(n)
		for len(kids) > 0 {
			k := kids[ed.rnd.IntN(len(kids))]
			if k.Kind == schema.KindList || k.Kind == schema.KindLeafList || !k.Config {
				return false
			}
			l = append(l, data.Step{Schema: k})
			if k.Kind == schema.KindLeaf {
				break
			}
			kids = k.DataChildren()
		}
		last := l[len(l)-1].Schema
		if last.Kind != schema.KindLeaf || last.IsKey() || l.Resolve(ed.root) != nil {
			return false
		}
		v, ok := ed.value(last, "")
		if !ok {
			return false
		}
		ed.log = append(ed.log, "put "+l.String()+" = "+v.Str)
		ed.tx.Put(ed.root, l, data.NewLeaf(last, v), nil, false)
	default:
		return false
	}
	return true
}

// TestValidateChangesDifferential is the proof that ValidateChanges is Validate: for random edits
// of valid documents, both report the same set of errors and leave equal trees; with Options.Txn,
// undoing restores the trees exactly.
func TestValidateChangesDifferential(t *testing.T) {
	requireXPath(t)
	perDoc := 60
	if testing.Short() {
		perDoc = 8
	}
	var st diffStats
	for _, src := range diffSources(t) {
		names := make([]string, 0, len(src.docs))
		for k := range src.docs {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, name := range names {
			if src.name != "inc" {
				diffDoc(t, src, name, Options{}, perDoc, &st)
				continue
			}
			// Our own model gets more cases, and is run as data (state included) too.
			diffDoc(t, src, name, Options{}, perDoc*20, &st)
			diffDoc(t, src, name, Options{Data: true}, perDoc*20, &st)
		}
	}
	t.Logf("%d edited documents compared, %d of them invalid", st.total, st.invalid)
}

type diffStats struct{ total, invalid int }

// diffDoc compares ValidateChanges with Validate for cases random edits of one document.
func diffDoc(t *testing.T, src *diffSource, name string, opts Options, cases int, st *diffStats) {
	t.Helper()
	base, errs := decode(t, src.s, src.docs[name])
	if len(errs) > 0 {
		t.Fatalf("%s: %v", name, errs)
	}
	if errs := src.v.Validate(base, opts); len(errs) > 0 {
		t.Fatalf("%s: not valid: %v", name, errs)
	}
	pool := map[string]bool{}
	base.Walk(func(n *data.Node) bool {
		if n.Schema != nil && n.Value.Str != "" {
			pool[n.Value.Str] = true
		}
		return true
	})
	var poolList []string
	for k := range pool {
		poolList = append(poolList, k)
	}
	sort.Strings(poolList)
	for i := range cases {
		seed := uint64(i)
		tree := base.Clone()
		ed := &editor{rnd: rand.New(rand.NewPCG(seed, uint64(len(name)))), s: src.s, tx: &data.Txn{},
			root: tree, pool: poolList}
		edits := 1 + ed.rnd.IntN(5)
		for tries := 0; tries < 50 && len(ed.log) < edits; tries++ {
			ed.edit()
		}
		if len(ed.log) == 0 {
			continue
		}
		st.total++
		what := fmt.Sprintf("%s/%s (data %v) seed %d: edits %q", src.name, name, opts.Data, seed, ed.log)
		full := tree.Clone()
		edited := tree.Clone()
		ftx := &data.Txn{}
		fopts, iopts := opts, opts
		fopts.Txn, iopts.Txn = ftx, ed.tx
		wantErrs := src.v.Validate(full, fopts)
		if len(wantErrs) > 0 {
			st.invalid++
		}
		gotErrs := src.v.ValidateChanges(tree, ed.tx.Locs(), iopts)
		if diff := cmp.Diff(errKeys(wantErrs), errKeys(gotErrs)); diff != "" {
			t.Errorf("%s: errors mismatch (-want +got):\n%s", what, diff)
			continue
		}
		if !data.Equal(full, tree) {
			t.Errorf("%s: tree mismatch (-want +got):\n%s", what, cmp.Diff(dump(full), dump(tree)))
			continue
		}
		// Both validations recorded their changes: undoing restores the edited tree, and undoing
		// the edits too restores the original.
		ftx.Undo()
		if !data.Equal(edited, full) {
			t.Errorf("%s: Validate then Undo: tree mismatch (-want +got):\n%s", what,
				cmp.Diff(dump(edited), dump(full)))
		}
		ed.tx.Undo()
		if !data.Equal(base, tree) {
			t.Errorf("%s: ValidateChanges then Undo: tree mismatch (-want +got):\n%s", what,
				cmp.Diff(dump(base), dump(tree)))
		}
	}
}

// TestValidateTxnUndo validates freshly decoded documents (every default is created) with a Txn
// and undoes it: the tree is the decoded one again.
func TestValidateTxnUndo(t *testing.T) {
	requireXPath(t)
	for _, src := range diffSources(t) {
		for name, doc := range src.docs {
			t.Run(src.name+"/"+filepath.Base(name), func(t *testing.T) {
				tree, errs := decode(t, src.s, doc)
				if len(errs) > 0 {
					t.Fatal(errs)
				}
				want := tree.Clone()
				var tx data.Txn
				src.v.Validate(tree, Options{Txn: &tx})
				if data.Equal(want, tree) && tx.Len() > 0 {
					t.Errorf("%d changes recorded, tree unchanged", tx.Len())
				}
				tx.Undo()
				if !data.Equal(want, tree) {
					t.Errorf("tree mismatch (-want +got):\n%s", cmp.Diff(dump(want), dump(tree)))
				}
			})
		}
	}
}

// TestValidateChanges pins what a user sees for a few edits of the inc model.
func TestValidateChanges(t *testing.T) {
	requireXPath(t)
	var src *diffSource
	for _, s := range diffSources(t) {
		if s.name == "inc" {
			src = s
		}
	}
	find := func(root *data.Node, path ...string) *data.Node {
		t.Helper()
		n := root
		for _, p := range path {
			name, key, _ := strings.Cut(p, "=")
			var next *data.Node
			for _, c := range n.Children() {
				if c.Schema.Name == name && (key == "" || c.Key() == key) {
					next = c
					break
				}
			}
			if next == nil {
				t.Fatalf("no %s under %s", p, n.Path())
			}
			n = next
		}
		return n
	}
	leafOf := func(n *data.Node, v string) *data.Node {
		return data.NewLeaf(n.Schema, data.Value{Type: n.Schema.Type, Str: v})
	}
	tests := []struct {
		name string
		edit func(root *data.Node, tx *data.Txn)
		want []string
		gone string // a default node the change removes
	}{{
		name: "deleting a leafref target reports every reference",
		edit: func(root *data.Node, tx *data.Txn) { tx.Remove(find(root, "net", "ifc=e0")) },
		want: []string{
			"/inc:net/route[prefix='0/0']/out data-missing instance-required | leafref value \"e0\" has no target instance \"/net/ifc/name\"",
			"/inc:net/routing/via[.='e0'] data-missing instance-required | leafref value \"e0\" has no target instance \"/net/ifc/name\"",
			"/inc:sys/primary data-missing instance-required | leafref value \"e0\" has no target instance \"/net/ifc/name\"",
			"/inc:sys/primary operation-failed must-violation | must condition \"deref(.)/../enabled = 'true'\" not satisfied",
		},
	}, {
		name: "a when turning false reports the explicit node and removes the defaults",
		edit: func(root *data.Node, tx *data.Txn) {
			m := find(root, "net", "mode")
			tx.Replace(m, leafOf(m, "basic"))
		},
		want: []string{
			"/inc:net/ifc[name='e1']/speed operation-failed must-violation | must condition \". <= 1000 or ../../mode = 'advanced'\" not satisfied",
			"/inc:net/routing unknown-element  | when condition \"../mode = 'advanced'\" of \"routing\" not satisfied | bad-element=routing",
		},
		gone: "+/inc:net/ifc[name='e0']/opts/adv=a",
	}, {
		name: "a deleted default comes back",
		edit: func(root *data.Node, tx *data.Txn) { tx.Remove(find(root, "net", "mtu")) },
	}, {
		name: "unique across entries",
		edit: func(root *data.Node, tx *data.Txn) {
			a := find(root, "net", "ifc=e2", "addr")
			tx.Replace(a, leafOf(a, "10.0.0.1"))
		},
		want: []string{
			"/inc:net/ifc[name='e0'] operation-failed data-not-unique | unique \"addr\" violated by /inc:net/ifc[name='e0'] and /inc:net/ifc[name='e2'] | non-unique=/inc:net/ifc[name='e2']/addr",
		},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root, errs := decode(t, src.s, []byte(incDocs[0]))
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			if errs := src.v.Validate(root, Options{}); len(errs) > 0 {
				t.Fatal(errs)
			}
			before := root.Clone()
			var tx data.Txn
			tc.edit(root, &tx)
			got := errKeys(src.v.ValidateChanges(root, tx.Locs(), Options{}))
			if diff := cmp.Diff(tc.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
			if tc.gone != "" {
				if !slices.Contains(dump(before), tc.gone) || slices.Contains(dump(root), tc.gone) {
					t.Errorf("%s: want it before the change only", tc.gone)
				}
			}
			if tc.want == nil && !data.Equal(before, root) {
				t.Errorf("tree mismatch (-want +got):\n%s", cmp.Diff(dump(before), dump(root)))
			}
		})
	}
}

// TestValidateChangesConcurrentFirstUse runs the first ValidateChanges calls of a validator in
// several goroutines at once, as a server's sessions may: the constraint index they build on
// first use is built once, and every call gets the errors of its own edit (run with -race).
func TestValidateChangesConcurrentFirstUse(t *testing.T) {
	requireXPath(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "inc.yang"), []byte(incModel), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := yangload.Load(yangload.Options{Files: []string{filepath.Join(dir, "inc.yang")}})
	if err != nil {
		t.Fatal(err)
	}
	v := New(s)
	want := []string{
		"/inc:net/route[prefix='0/0']/out data-missing instance-required | leafref value \"e0\" has no target instance \"/net/ifc/name\"",
		"/inc:net/routing/via[.='e0'] data-missing instance-required | leafref value \"e0\" has no target instance \"/net/ifc/name\"",
		"/inc:sys/primary data-missing instance-required | leafref value \"e0\" has no target instance \"/net/ifc/name\"",
		"/inc:sys/primary operation-failed must-violation | must condition \"deref(.)/../enabled = 'true'\" not satisfied",
	}
	const n = 8
	roots := make([]*data.Node, n)
	for i := range roots {
		root, errs := decode(t, s, []byte(incDocs[0]))
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		if errs := v.Validate(root, Options{}); len(errs) > 0 {
			t.Fatal(errs)
		}
		roots[i] = root
	}
	got := make([][]string, n)
	done := make(chan int)
	for i, root := range roots {
		go func() {
			defer func() { done <- i }()
			var tx data.Txn
			for _, net := range root.Children() {
				if net.Schema.Name != "net" {
					continue
				}
				for _, c := range net.Children() {
					if c.Schema.Name == "ifc" && c.Key() == "e0" {
						tx.Remove(c)
						break
					}
				}
			}
			got[i] = errKeys(v.ValidateChanges(root, tx.Locs(), Options{}))
		}()
	}
	for range roots {
		<-done
	}
	for i := range got {
		if diff := cmp.Diff(want, got[i]); diff != "" {
			t.Errorf("goroutine %d: mismatch (-want +got):\n%s", i, diff)
		}
	}
}

// TestResolvedLeafrefReads checks what markReadDefaults relies on to mark the defaults a leafref
// can read without compiling it as XPath: for each path resolved to schema nodes, the path's
// compiled Deps are complete and hold no leaf or leaf-list but the target (in every corpus).
func TestResolvedLeafrefReads(t *testing.T) {
	requireXPath(t)
	for _, src := range diffSources(t) {
		n := 0
		for kn, ri := range allRefs(src.v) {
			k := struct {
				t *schema.Type
				n *schema.Node
			}{ri.t, kn}
			if ri.expr != nil || ri.err != nil {
				continue
			}
			n++
			e, err := xpath.Compile(k.t.Path, k.t.PathPrefixes, k.t.PathModule, k.n)
			if err != nil {
				t.Errorf("%s: %s at %s: resolved, but does not compile: %v", src.name, k.t.Path, k.n.Path(), err)
				continue
			}
			if !e.DepsComplete() {
				t.Errorf("%s: %s at %s: resolved, but its deps are not complete", src.name, k.t.Path, k.n.Path())
			}
			target := ri.steps[len(ri.steps)-1]
			var leaves []string
			for _, d := range e.Deps() {
				if d.Kind == schema.KindLeaf || d.Kind == schema.KindLeafList {
					leaves = append(leaves, d.Path())
				}
			}
			if diff := cmp.Diff([]string{target.Path()}, leaves); diff != "" {
				t.Errorf("%s: %s at %s: leaves read mismatch (-want +got):\n%s", src.name, k.t.Path, k.n.Path(), diff)
			}
		}
		t.Logf("%s: %d resolved leafref paths", src.name, n)
	}
}

// allRefs calls yield with each compiled leafref path of v and its leaf, compiling the infos of
// every node of the data trees and of the operations' inputs and outputs.
func allRefs(v *Validator) func(yield func(*schema.Node, *refInfo) bool) {
	return func(yield func(*schema.Node, *refInfo) bool) {
		var nodes []*schema.Node
		v.walkData(func(s *schema.Node) { nodes = append(nodes, s) })
		var walk func(*schema.Node)
		walk = func(s *schema.Node) {
			nodes = append(nodes, s)
			for _, c := range s.Children {
				walk(c)
			}
		}
		v.forOps(func(io *schema.Node) {
			for _, c := range io.Children {
				walk(c)
			}
		})
		for _, s := range nodes {
			in := v.infoOf(s)
			if in == nil {
				continue
			}
			refs := in.refs()
			for i := range refs {
				if !yield(s, &refs[i]) {
					return
				}
			}
		}
	}
}
