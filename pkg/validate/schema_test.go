package validate

import (
	"strings"
	"testing"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/schema"
)

// A small schema builder for tests that do not need the YANG compiler.

type opt func(*schema.Node)

// keysOf records list keys by name until build resolves them.
var keysOf = map[*schema.Node]string{}

func mandatory() opt { return func(n *schema.Node) { n.Mandatory = true } }
func state() opt     { return func(n *schema.Node) { n.Config = false } }
func presence() opt {
	return func(n *schema.Node) { amendDecl(n, func(d *schema.DeclInfo) { d.Presence = "p" }) }
}
func def(vals ...string) opt {
	return func(n *schema.Node) { amendDecl(n, func(d *schema.DeclInfo) { d.Default = vals }) }
}

// amendDecl gives n a Decl changed by f.
func amendDecl(n *schema.Node, f func(*schema.DeclInfo)) {
	d := n.Info()
	f(&d)
	n.Decl = schema.NewDecl(d)
}
func minMax(lo, hi uint64) opt {
	return func(n *schema.Node) { n.SetMinElements(lo); n.SetMaxElements(hi) }
}
func unique(paths ...string) opt {
	return func(n *schema.Node) { n.SetUnique(append(n.Unique(), &schema.Unique{Paths: paths})) }
}
func defaultCase(name string) opt {
	return func(n *schema.Node) {
		for _, c := range n.Children {
			if c.Name == name {
				n.SetDefaultCase(c)
			}
		}
	}
}

func node(kind schema.Kind, name string, args ...any) *schema.Node {
	n := &schema.Node{Decl: &schema.Decl{Name: name}, Kind: kind, Config: true}
	var opts []opt
	for _, a := range args {
		switch a := a.(type) {
		case *schema.Node:
			n.Children = append(n.Children, a)
		case *schema.Type:
			n.Type = a
		case opt:
			opts = append(opts, a)
		}
	}
	for _, o := range opts {
		o(n)
	}
	return n
}

func leaf(name string, args ...any) *schema.Node {
	return node(schema.KindLeaf, name, args...)
}
func leafList(name string, args ...any) *schema.Node {
	return node(schema.KindLeafList, name, args...)
}
func container(name string, args ...any) *schema.Node {
	return node(schema.KindContainer, name, args...)
}
func choice(name string, args ...any) *schema.Node {
	return node(schema.KindChoice, name, args...)
}
func cas(name string, args ...any) *schema.Node {
	return node(schema.KindCase, name, args...)
}
func list(name, keys string, args ...any) *schema.Node {
	n := node(schema.KindList, name, args...)
	keysOf[n] = keys
	return n
}

var (
	tString = &schema.Type{Name: "string", Base: schema.String}
	tUint16 = &schema.Type{Name: "uint16", Base: schema.Uint16}
)

func leafref(path string, require bool) *schema.Type {
	return &schema.Type{Name: "leafref", Base: schema.Leafref, Path: path, RequireInstance: require}
}

func instanceID() *schema.Type {
	return &schema.Type{Name: "instance-identifier", Base: schema.InstanceIdentifier, RequireInstance: true}
}

// build makes an implemented module of the nodes and returns the finalized schema.
func build(name string, nodes ...*schema.Node) *schema.Schema {
	m := &schema.Module{Name: name, Namespace: "urn:test:" + name, Prefix: name, Implemented: true,
		YangVersion: "1.1", Data: nodes}
	m.Prefixes = schema.Prefixes{name: m}
	var walk func(n, parent *schema.Node)
	walk = func(n, parent *schema.Node) {
		n.Module, n.Parent = m, parent
		if parent != nil && !parent.Config {
			n.Config = false
		}
		if n.Type != nil && n.Type.Base == schema.Leafref {
			t := *n.Type
			t.PathModule, t.PathPrefixes = m, m.Prefixes
			n.Type = &t
		}
		for _, c := range n.Children {
			walk(c, n)
		}
		for _, mu := range n.Musts() {
			mu.Module, mu.Prefixes = m, m.Prefixes
		}
		for _, w := range n.Whens() {
			w.Module, w.Prefixes = m, m.Prefixes
		}
	}
	for _, n := range nodes {
		walk(n, nil)
	}
	s := &schema.Schema{Modules: []*schema.Module{m}}
	s.Finalize()
	var resolve func(n *schema.Node)
	resolve = func(n *schema.Node) {
		if ks, ok := keysOf[n]; ok && ks != "" {
			for _, k := range strings.Fields(ks) {
				n.SetKeys(append(n.Keys(), n.Child(m, k)))
			}
		}
		for _, u := range n.Unique() {
			for _, p := range u.Paths {
				cur := n
				for _, step := range strings.Split(p, "/") {
					cur = cur.Child(m, step)
				}
				u.Leaves = append(u.Leaves, cur)
			}
		}
		for _, c := range n.Children {
			resolve(c)
		}
	}
	for _, n := range nodes {
		resolve(n)
	}
	return s
}

// tree builds instance data by name for tests.
type tree struct {
	t *testing.T
	s *schema.Schema
}

func (tr tree) schemaChild(parent *data.Node, name string) *schema.Node {
	tr.t.Helper()
	if parent.IsRoot() {
		for _, n := range tr.s.TopNodes() {
			if n.Name == name {
				return n
			}
		}
	} else {
		for _, n := range parent.Schema.DataChildren() {
			if n.Name == name {
				return n
			}
		}
	}
	tr.t.Fatalf("no schema node %q under %q", name, parent.Name())
	return nil
}

// c adds a container (or a keyless list entry) named name under parent.
func (tr tree) c(parent *data.Node, name string) *data.Node {
	tr.t.Helper()
	n := data.New(tr.schemaChild(parent, name))
	n.Line = 1
	parent.Insert(n)
	return n
}

// l adds a leaf or leaf-list entry.
func (tr tree) l(parent *data.Node, name, value string) *data.Node {
	tr.t.Helper()
	s := tr.schemaChild(parent, name)
	n := data.NewLeaf(s, data.Value{Type: s.Type, Str: value})
	n.Line = 2
	if d := parent.Insert(n); d != nil {
		tr.t.Fatalf("duplicate %q", name)
	}
	return n
}

// e adds a list entry with key-value pairs (keys first).
func (tr tree) e(parent *data.Node, name string, kv ...string) *data.Node {
	tr.t.Helper()
	n := data.New(tr.schemaChild(parent, name))
	n.Line = 3
	for i := 0; i+1 < len(kv); i += 2 {
		tr.l(n, kv[i], kv[i+1])
	}
	if d := parent.Insert(n); d != nil {
		// Allow duplicates in tests: append after the existing entries.
		parent.InsertBefore(n, nil)
	}
	return n
}
