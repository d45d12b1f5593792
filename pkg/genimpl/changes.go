package genimpl

import (
	"reflect"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/schema"
)

// Commit is what a datastore hook receives (an alias, so that generated signatures name only
// genimpl).
type Commit = datastore.Commit

// An EntryChange is one container or list entry a commit changed: its configuration before and
// after (nil when absent), and where it is.
type EntryChange struct {
	Path     string
	Old, New *data.Node
}

// Entries groups the changes of commit c by the container or list entry of a generated struct
// they change: the changed node itself when has reports a struct for its schema node, else its
// nearest ancestor that has one (a changed leaf reports its list entry). Old is rebuilt from the
// entry in c.Running and the changes' old values, so both sides are whole entries (the cost is
// the entry's size, not the datastore's). Changes with no such ancestor (top-level leaves) are
// left out. Entries of ordered-by user lists inside a rebuilt Old may come in another order.
func Entries(c *Commit, has func(*schema.Node) bool) []EntryChange {
	type group struct {
		loc     data.Loc
		changes []datastore.Change
	}
	var out []EntryChange
	var groups []*group
	byLoc := map[string]*group{}
	for _, ch := range c.Changes {
		k := len(ch.Loc)
		for k > 0 && !has(ch.Loc[k-1].Schema) {
			k--
		}
		switch {
		case k == 0:
		case k == len(ch.Loc):
			out = append(out, EntryChange{Path: ch.Loc.Path(), Old: ch.Old, New: ch.New})
		default:
			key := ch.Loc[:k].String()
			g := byLoc[key]
			if g == nil {
				g = &group{loc: ch.Loc[:k]}
				byLoc[key] = g
				groups = append(groups, g)
			}
			g.changes = append(g.changes, ch)
		}
	}
	for _, g := range groups {
		newE := g.loc.Resolve(c.Running)
		if newE == nil {
			continue
		}
		oldE := newE.Clone()
		for _, ch := range g.changes {
			rel := ch.Loc[len(g.loc):]
			cur := rel.Resolve(oldE)
			parent := rel[:len(rel)-1].Resolve(oldE)
			if parent == nil {
				continue
			}
			if cur != nil {
				parent.Remove(cur)
			}
			if ch.Old != nil {
				parent.Insert(ch.Old.Clone())
			}
		}
		out = append(out, EntryChange{Path: g.loc.Path(), Old: oldE, New: newE})
	}
	return out
}

// A Struct is a generated struct as conversion sees it.
type Struct interface {
	FromTree(*data.Node) error
}

// A TypedChange is an EntryChange converted to a generated package's structs: Old and New point
// to the struct of the entry's schema node, nil when absent.
type TypedChange struct {
	Path     string
	Old, New any
}

// Typed returns the Entries of c converted to the structs of generated package p, whose
// document root struct root points to ((*Root)(nil)): the struct of a schema node is found by
// walking the struct tables from Root by the YANG names of the node's ancestors, so the
// package needs no table of struct paths.
func Typed(c *Commit, p *Package, root any) ([]TypedChange, error) {
	rt := p.table(reflect.TypeOf(root).Elem())
	cache := map[*schema.Node]*table{}
	find := func(sn *schema.Node) *table {
		tb, ok := cache[sn]
		if !ok {
			tb = rt.resolve(sn)
			cache[sn] = tb
		}
		return tb
	}
	var out []TypedChange
	conv := func(n *data.Node) (any, error) {
		if n == nil {
			return nil, nil
		}
		tb := find(n.Schema)
		x := reflect.New(tb.typ)
		if err := tb.fromTree(x.UnsafePointer(), n); err != nil {
			return nil, err
		}
		return x.Interface(), nil
	}
	for _, e := range Entries(c, func(sn *schema.Node) bool { return find(sn) != nil }) {
		old, err := conv(e.Old)
		if err != nil {
			return nil, err
		}
		nw, err := conv(e.New)
		if err != nil {
			return nil, err
		}
		out = append(out, TypedChange{Path: e.Path, Old: old, New: nw})
	}
	return out, nil
}

// resolve returns the table of the struct that holds instances of data node sn, when root is
// the document root's table; nil when the package has none (sn is a leaf, a container that path
// compression removed, or outside the package's modules).
func (root *table) resolve(sn *schema.Node) *table {
	if sn == nil || sn.Kind != schema.KindContainer && sn.Kind != schema.KindList {
		return nil
	}
	var chain []*schema.Node
	for a := sn; a != nil; a = a.DataParent() {
		if !a.Kind.IsData() {
			return nil // in an rpc, action or notification
		}
		chain = append(chain, a)
	}
	tb, mod := root, ""
	for i := len(chain) - 1; i >= 0; i-- {
		n := chain[i]
		e := tb.lookupNode(n, mod)
		switch {
		case e == nil:
			return nil
		case e.slot >= 0:
			f := tb.direct[e.slot].f
			if f.kind != kContainer && f.kind != kList {
				return nil
			}
			tb = f.sub
		default:
			if i == 0 {
				return nil
			}
			i--
			var f *tfield
			for _, sl := range tb.vias[e.via].slots {
				if sl.name == chain[i].Name && sl.module(mod) == chain[i].Module.Name {
					f = sl.f
				}
			}
			if f == nil || f.kind != kContainer && f.kind != kList {
				return nil
			}
			tb = f.sub
		}
		mod = chain[i].Module.Name
	}
	return tb
}

// lookupNode is lookup for a schema node.
func (tb *table) lookupNode(n *schema.Node, mod string) *entry {
	i, ok := tb.byName[n.Name]
	for ok && i >= 0 {
		e := &tb.entries[i]
		if (step{e.mod, ""}).module(mod) == n.Module.Name {
			return e
		}
		i = e.next
	}
	return nil
}
