package gen

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ncws/ncws/pkg/genimpl"
	"github.com/ncws/ncws/pkg/schema"
)

// Sharing the types of grouping instances (Options.ShareGroupings).
//
// A grouping used in many places is expanded into a copy of its nodes at each use, and without
// sharing each copy gets its own struct, named by its path: Junos's 33 configuration modules
// each use their grouping under /configuration and again under /configuration/groups, and
// "uses apply-advanced" sits in nearly every container, so the set has ~250k structs. With
// sharing, the containers and lists built from one statement inside a grouping are one Go type
// when every instance of that statement (in one namespace, with one config value) has the same
// generated content:
//
//   - an instance counts only if neither it nor any node below it was changed where the
//     grouping is used: the target of a refine, an augment (from a uses or from another module)
//     or a deviation keeps its path-named struct, and so do the instances above it;
//   - the remaining instances of the statement (per namespace and config value) must be equal
//     in everything the struct's code shows: fields, their Go types, YANG names and modules,
//     keys, cases, defaults, units, descriptions, and the types of the structs below them,
//     which must be shared in turn. Where they are not (a relative leafref resolving to
//     different targets, if-feature pruning a uses differently), none of them is shared;
//   - a struct whose subtree holds an action or notification is never shared (their names
//     follow their parent struct's).
//
// A statement with one unchanged instance is not shared (it would save nothing): it keeps its
// path-named struct.
//
// Every instance keeps its path name (rule 3 of naming.go: the name of its struct without
// sharing) as a type alias of the shared type, declared after it, so code written against path
// names compiles whichever instances share a type: when a vendor release renames the
// grouping, uses it once more, or changes one instance (which then gets its own struct, under
// that same name). A type with more than maxPathAliases instances declares none (see there).
//
// The shared type is named after the statement's place in its grouping, never after where
// the grouping is used, so adding a module that uses the grouping elsewhere renames nothing:
// M(grouping's module) '_' G(grouping name), then '_' G(name) for each data node from the
// grouping down to the node (choices and cases left out), then "__" M(namespace module) when
// the instances are in another module's namespace than the grouping's, then "_State" when they
// are config false; a name already taken (a path-named struct of the grouping's module spelling
// the same) gets a numeric suffix by rule 5:
// grouping interfaces-group of junos-qfx-conf-interfaces, container interfaces, list
// interface-set -> JunosQfxConfInterfaces_InterfacesGroup_Interfaces_InterfaceSet.

// share merges the data structs of identical grouping instances, after fields, field names and
// list helpers are known.
func (g *generator) share() {
	var data []*structType
	for _, st := range g.structs {
		if st.op == nil {
			data = append(data, st)
		}
	}
	// Bottom-up (g.structs holds the data structs in pre-order): taint, operations below,
	// content class.
	// Sized up front: growing maps of 250k entries (Junos) took 0.7 s of CPU.
	tainted := make(map[*structType]bool, len(data))
	ops := make(map[*structType]bool, len(data))
	class := make(map[*structType]int, len(data))
	classes := map[string]int{}
	var sig []byte
	for i := len(data) - 1; i >= 0; i-- {
		st := data[i]
		sn := st.sn
		t := sn.Amended
		o := false
		forOps(sn.Children, func(*schema.Node) { o = true })
		for _, f := range st.fields {
			if f.st != nil {
				t = t || tainted[f.st]
				o = o || ops[f.st]
			}
			t = t || f.sn.Amended || f.via != nil && f.via.Amended
			for _, k := range f.cases {
				t = t || k.Amended || k.Parent.Amended
			}
			for _, tw := range f.twins {
				t = t || tw.sn.Amended
			}
		}
		tainted[st], ops[st] = t, o
		if sn.Grouping() == "" || t || o {
			class[st] = -1
			continue
		}
		sig = g.signature(sig[:0], st, class)
		id, ok := classes[string(sig)]
		if !ok {
			id = len(classes)
			classes[string(sig)] = id
		}
		class[st] = id
	}
	// Group the candidates by statement, namespace and config.
	type group struct {
		members []*structType
		ok      bool
	}
	groups := map[string]*group{}
	keyOf := make(map[*structType]string, len(data))
	var order []string
	for _, st := range data {
		if class[st] < 0 {
			continue
		}
		k := st.sn.Grouping() + "|" + st.sn.Module.Name + "|" + strconv.FormatBool(st.sn.Config)
		keyOf[st] = k
		gr := groups[k]
		if gr == nil {
			gr = &group{ok: true}
			groups[k] = gr
			order = append(order, k)
		}
		if len(gr.members) > 0 && class[gr.members[0]] != class[st] {
			gr.ok = false
		}
		gr.members = append(gr.members, st)
	}
	// One instance saves nothing: it keeps its path-named struct.
	for _, gr := range groups {
		if len(gr.members) < 2 {
			gr.ok = false
		}
	}
	// A struct is shared only if every struct below it is.
	shared := func(st *structType) bool {
		k, ok := keyOf[st]
		return ok && groups[k].ok
	}
	for changed := true; changed; {
		changed = false
		for _, k := range order {
			gr := groups[k]
			if !gr.ok {
				continue
			}
			for _, f := range gr.members[0].fields {
				if f.st != nil && !shared(f.st) {
					gr.ok, changed = false, true
					break
				}
			}
		}
	}
	alias := make(map[*structType]*structType, len(data))
	for _, k := range order {
		gr := groups[k]
		if !gr.ok {
			continue
		}
		rep := gr.members[0]
		if len(gr.members) <= maxPathAliases {
			rep.aliases = make([]string, len(gr.members))
			for i, m := range gr.members {
				rep.aliases[i] = m.name // its path name, claimed in build
			}
		}
		rep.name = g.names.claim(sharedName(rep.sn))
		rep.origin = rep.sn.Grouping()
		for _, m := range gr.members {
			rep.instances = append(rep.instances, m.sn)
			if m != rep {
				alias[m] = rep
			}
		}
	}
	if len(alias) == 0 {
		return
	}
	repoint := func(st *structType) {
		for _, f := range st.fields {
			if r := alias[f.st]; r != nil {
				f.st = r
			}
		}
	}
	repoint(g.root)
	// A new slice: reusing g.structs' array would keep every merged struct (with its fields)
	// reachable beyond kept's length, 400 MB for Junos until the end of the run.
	kept := make([]*structType, 0, len(g.structs)-len(alias))
	for _, st := range g.structs {
		if alias[st] == nil {
			repoint(st)
			kept = append(kept, st)
		}
	}
	g.structs = kept
}

// signature appends to b what the generated code of st shows, the types of its struct fields
// given by their classes. Only equality of signatures matters: every part is either a token
// without spaces, a number or a quoted string, so different content gives different bytes. It
// appends to a reused buffer: with fmt and a new builder per struct it took 4 s of ncws gen's CPU
// for Junos (250k structs before sharing).
func (g *generator) signature(b []byte, st *structType, class map[*structType]int) []byte {
	sn := st.sn
	str := func(s string) { b = append(b, s...); b = append(b, ' ') }
	quote := func(s string) { b = strconv.AppendQuote(b, s); b = append(b, ' ') }
	num := func(n int) { b = strconv.AppendInt(b, int64(n), 10); b = append(b, ' ') }
	flag := func(v bool) { b = strconv.AppendBool(b, v); b = append(b, ' ') }
	str(sn.Grouping())
	str(sn.Kind.String())
	str(sn.Module.Name)
	flag(sn.Config)
	quote(sn.Presence())
	num(g.textID(sn.Description()))
	num(len(sn.Keys()))
	for _, k := range sn.Keys() {
		quote(k.Name)
	}
	flag(sn.OrderedByUser)
	b = append(b, '\n')
	for _, f := range st.fields {
		c := f.sn
		str(f.name)
		num(int(f.kind))
		str(c.Kind.String())
		quote(c.Name)
		str(c.Module.Name)
		quote(c.Grouping())
		flag(c.Config)
		num(len(c.Default()))
		for _, d := range c.Default() {
			quote(d)
		}
		quote(c.Units())
		flag(c.Mandatory)
		num(g.textID(c.Description()))
		str(f.get + "/" + f.new + "/" + f.append)
		if c.Type != nil && c.Type.Base == schema.Leafref {
			str("leafref")
			quote(c.Type.Path)
		}
		if f.st != nil {
			str("struct")
			num(class[f.st])
		} else {
			str(f.goType())
		}
		for _, k := range f.cases {
			str("case")
			quote(k.Parent.Name)
			quote(k.Name)
		}
		if f.via != nil {
			str("via")
			str(f.via.Module.Name)
			quote(f.via.Name)
		}
		for _, tw := range f.twins {
			str("twin")
			str(tw.via.Module.Name)
			quote(tw.via.Name)
			quote(tw.sn.Name)
		}
		for _, d := range f.dropped {
			str("dropped")
			str(d.Module.Name)
			quote(d.Name)
		}
		b = append(b, '\n')
	}
	return b
}

// textID numbers the distinct texts (descriptions) in signatures: quoting every description
// of every instance was most of the time share took for Junos.
func (g *generator) textID(s string) int {
	if g.texts == nil {
		g.texts = map[string]int{}
	}
	id, ok := g.texts[s]
	if !ok {
		id = len(g.texts)
		g.texts[s] = id
	}
	return id
}

// sharedName is the name of the type shared by the instances of grouping node sn (see above).
func sharedName(sn *schema.Node) string {
	mod, rest, _ := strings.Cut(sn.Grouping(), ":")
	steps := strings.Split(rest, "/")
	grp, _, _ := strings.Cut(steps[0], "#")
	var b strings.Builder
	b.WriteString(GoName(mod) + "_" + GoName(grp))
	for _, s := range steps[1:] {
		b.WriteString("_" + GoName(s))
	}
	if sn.Module.Name != mod {
		b.WriteString("__" + modName(sn.Module))
	}
	if !sn.Config {
		b.WriteString("_State")
	}
	return b.String()
}

// nodeWhere is how a comment or error message in the code of st names node sn, one of its
// fields' nodes.
func (st *structType) nodeWhere(sn *schema.Node) string {
	if st.origin != "" && sn.Grouping() != "" {
		return sn.Grouping()
	}
	return sn.Path()
}

// sharedDoc is the first paragraph of the doc comment of a type shared by grouping instances.
func sharedDoc(st *structType, what string) string {
	mod, rest, _ := strings.Cut(st.origin, ":")
	grp, inside, _ := strings.Cut(rest, "/")
	head := fmt.Sprintf("%s is %s %s of grouping %s:%s (%s), one type for its %d identical instances",
		st.name, what, inside, mod, grp, configWord(st.sn), len(st.instances))
	if len(st.aliases) > 0 {
		// The aliases below name every instance; the first path shows where they are.
		return fmt.Sprintf("%s (%s and %d more): each instance's path name is an alias of it, below.", head, st.instances[0].Path(), len(st.instances)-1)
	}
	const show = 4
	var ps []string
	for i, sn := range st.instances {
		if i == show {
			ps = append(ps, fmt.Sprintf("and %d more", len(st.instances)-show))
			break
		}
		ps = append(ps, sn.Path())
	}
	return fmt.Sprintf("%s: %s.", head, strings.Join(ps, ", "))
}

// maxPathAliases is the most instances a shared type declares path aliases for. Past it the
// type is a utility grouping's node repeated all over the tree (Junos's apply-advanced list
// apply-macro and its list data: 28,004 instances each in junos-qfx-conf-logical-systems), whose
// one name, after its grouping, is the name to use. For Junos QFX conf (--share-groupings) the
// aliases of every instance are 248k declarations, 51.6 MB of Go on top of the package's 123:
// past the 150 MB the issue allows. Up to 1,000 instances they are 109k declarations, 22.7 MB,
// and the types left without aliases are the apply-advanced lists of the 9 largest modules.
const maxPathAliases = 1000

// writeAliases writes, after shared struct st, the path name of each of its instances as an
// alias of it (rule 3 of naming.go): code written against the names of the structs without
// ShareGroupings compiles whichever instances share a type, and when a vendor release
// renames the grouping or stops sharing an instance.
func writeAliases(b *strings.Builder, st *structType) {
	if len(st.aliases) == 0 {
		return
	}
	b.WriteString("// The path names of the type's instances:\n")
	for _, a := range st.aliases {
		b.WriteString("type " + a + " = " + st.name + "\n")
	}
	b.WriteString("\n")
}

// sharedUnion returns, under ShareGroupings, the key, name and doc origin of the Go type of an
// inline union (no typedef) whose members are all built-in representations (integers, strings,
// booleans, decimal64, binary, bits, empty: no enumeration or identityref): every such union with
// the same members in the same order is one Go type, named after them
// (Union_String_Uint32), since its code depends on nothing else (the member a value takes is
// decided at run time from the leaf's schema type). Junos's 15,900 union statements have 12
// shapes. "" when vt does not qualify.
func (g *generator) sharedUnion(vt *schema.Type, owner string, leaf *schema.Node, mod *schema.Module, leafName string) (key, name, origin string) {
	if !g.opts.ShareGroupings || vt.Typedef != "" {
		return "", "", ""
	}
	var tags, descs []string
	for _, m := range genimpl.UnionMembers(vt) {
		mt := g.goTypeOf(m, memberOwner(vt, owner), leaf, mod, memberHint(vt, leafName))
		switch mt.kind {
		case gEnum, gIdent, gUnion:
			return "", "", ""
		}
		tags = append(tags, wrapperTag(mt))
		descs = append(descs, mt.gname)
	}
	if len(tags) == 0 {
		return "", "", ""
	}
	return "union shape " + strings.Join(tags, " ") + " " + strings.Join(descs, " "),
		"Union_" + strings.Join(tags, "_"),
		"an inline union of members " + strings.Join(tags, ", ") + " (one type for every such union)"
}
