package yangload

import (
	"strings"
)

// Letting statements go. A file's statements (two arrays, see convert) are the load's largest
// working state, and without care every one of them lives until the schema is complete: SR OS
// 26.3 nokia-conf's 164k statements in 156 submodules, 7.4 MB, at the build's end, beside the
// compiled schema. But most of a vendor set is groupings used once: nokia-conf's 159 submodules
// each define one grouping that the main module's `container configure` uses once. So the load
// counts, before it builds the trees, the uses statements that may expand each grouping
// (prepareRelease), and lets a grouping go once none is left (unuse); a text (unit) lets its
// statements go once its top level is built, its augments and deviations applied and its
// top-level groupings let go (unpin). Nothing else refers to a statement past its use: the
// nodes' working state copies what the later passes read (nodeInfo), typedefs are copied out
// of their file (they may be used until the end), features and identities are resolved before
// the build.
//
// A uses statement outside any grouping is built once, so its grouping has one use less once
// it is expanded; a uses statement inside grouping G is expanded at every use of G, so it
// counts until G is let go. A uses statement the build never reaches (a misplaced one, or one
// in a module that is not implemented) keeps its grouping: the count errs on keeping.
//
// A load whose trees will be built twice (a leafref into a module that is only imported makes it
// implemented: finish) keeps every statement (mayImplement). Should the build still need a
// grouping it let go (the count disagreeing with the build: a bug), or build the trees again,
// the load is done again from the files keeping every statement (Load): the load as it was before
// statements were let go, so the result is the same either way.

// Test hooks: parsedHook is called with each file's module or submodule statement as the file
// is read, releaseHook with a unit's file as the unit lets its statements go, restartHook as a
// load is done again keeping every statement; miscountHook, given a uses statement's argument,
// makes the count skip it (a count that disagrees with the build, to test the fallback).
var (
	parsedHook   func(file string, st *stmt)
	releaseHook  func(file string)
	restartHook  func()
	miscountHook func(grouping string) bool
	// builtHook is called once the trees are built and resolved, before the leafref types are
	// interned (finish).
	builtHook func(l *loader)
	// preparedHook is called at the end of prepareRelease.
	preparedHook func(l *loader)
	// typeNamesHook is given the names typeNames found (a set missing one, to test the fallback).
	typeNamesHook func(names map[string]bool)
)

// prepareRelease counts the uses of every grouping, copies the typedefs out of their files, and
// lets go what nothing will use. It runs once the modules to implement are known (after
// implementTargets), before the first build.
func (l *loader) prepareRelease() {
	if l.mayImplement() {
		// The trees will likely be built again, reading every statement: keep them.
		l.release = false
		return
	}
	var tracked []*def
	typeNames := l.typeNames()
	for _, m := range l.modules {
		for _, u := range m.units {
			if m.implement {
				u.pins += len(u.augments) + len(u.deviations)
				if u.built = !buildsNothing(u.top); u.built {
					u.pins++ // the top level, until built
				}
				l.countIn(u.top, m.top, u, nil, &tracked)
				continue
			}
			// Only the groupings of a module that is not implemented can be used.
			for s := range each(u.top) {
				if s.Keyword() == "grouping" {
					l.countIn(one(s), m.top, u, nil, &tracked)
				}
			}
		}
		l.detachTypedefs(m, typeNames)
	}
	for _, d := range tracked {
		if d.scope == d.u.mod.top {
			d.u.pins++
		}
	}
	for _, d := range tracked {
		if d.refs == 0 && !d.released {
			l.releaseGrouping(d)
		}
	}
	for _, m := range l.modules {
		for _, u := range m.units {
			if u.pins == 0 {
				l.releaseUnit(u)
			}
		}
	}
	if preparedHook != nil {
		preparedHook(l)
	}
}

// dropBuildState lets go what only the build reads, once the trees are built and the deviations
// applied, rather than at the load's end: SR OS 26.3 nokia-conf's largest live heap is in
// resolveTrees, after the build. The top-level typedefs' own Types (1.3k, 0.5 MB): nothing
// resolves a type statement any more (a leaf's type is a copy of its typedef's, cloneType); a
// typedef resolved after this (a bug) makes the load be done again keeping every statement
// (typedefType). The maps that intern types and key statements (0.4 MB): internLeafrefTypes
// interns only leafref types, which never equal a type without leafref, and no key statement is
// read any more.
func (l *loader) dropBuildState() {
	l.types, l.keys = nil, nil
	for _, m := range l.modules {
		if m.top == nil {
			continue
		}
		for _, d := range m.top.typedefs {
			d.st, d.t, d.state, d.released = nil, nil, 0, true
		}
	}
}

// mayImplement reports whether a leafref path of some text names, with a prefix, a module that
// is not implemented: resolving it then makes the module implemented and the trees are built
// again (finish), which needs every statement. Done again from the files, such a load would
// cost twice the CPU (OpenConfig's network-instance alone: its leafrefs into the interfaces
// module). The test errs on yes: any prefixed name in the path counts, in a predicate too.
func (l *loader) mayImplement() bool {
	var walk func(list []stmt, u *unit) bool
	walk = func(list []stmt, u *unit) bool {
		for s := range each(list) {
			if s.Keyword() == "path" {
				for _, pfx := range pathPrefixes(s.Arg()) {
					if m := u.moduleOf(pfx); m != nil && !m.implement {
						return true
					}
				}
			}
			if walk(s.SubStatements(), u) {
				return true
			}
		}
		return false
	}
	for _, m := range l.modules {
		for _, u := range m.units {
			if walk(u.top, u) {
				return true
			}
		}
	}
	return false
}

// pathPrefixes returns the prefixes of the prefixed names in a path expression.
func pathPrefixes(p string) []string {
	var out []string
	start := -1
	for i := 0; i <= len(p); i++ {
		if i < len(p) && isIdentByte(p[i]) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 && i < len(p) && p[i] == ':' {
			out = append(out, p[start:i])
		}
		start = -1
	}
	return out
}

func isIdentByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.'
}

// buildsNothing reports whether buildModule does nothing with the top-level statements list of
// a text (as with a submodule that only defines groupings and typedefs): it builds no node from
// them and finds none of them unexpected. Such a text needs no statement of its own to be built.
func buildsNothing(list []stmt) bool {
	for s := range each(list) {
		kw := s.Keyword()
		if !moduleKeywords[kw] && !strings.Contains(kw, ":") {
			return false
		}
		switch kw {
		case "uses", "input", "output", "rpc", "action", "case", "container", "list", "leaf", "leaf-list",
			"choice", "anydata", "anyxml", "notification":
			return false
		}
	}
	return true
}

// countIn counts the uses statements among list and below (written in u; their names resolve
// in scope sc; grp is the innermost grouping they are in, nil outside groupings), as the build
// will meet them: only through the statements it builds, each in the scope it will give it
// (bodyScope; a new scope's errors wait in it for the build).
func (l *loader) countIn(list []stmt, sc *scope, u *unit, grp *def, tracked *[]*def) {
	for s := range each(list) {
		switch s.Keyword() {
		case "uses":
			if miscountHook != nil && miscountHook(s.Arg()) {
				continue
			}
			if d := l.lookupDef(s.Arg(), sc, u, true); d != nil {
				d.refs++
				if grp != nil {
					grp.inner = append(grp.inner, d)
				}
			}
			l.countIn(s.SubStatements(), sc, u, grp, tracked) // its augments
		case "grouping":
			d := sc.groupings[s.Arg()]
			if d == nil || d.st != s {
				continue // a second definition of the name: never used
			}
			*tracked = append(*tracked, d)
			l.countIn(s.SubStatements(), scopeOf(s, d.scope, u), u, d, tracked)
		case "container", "list", "leaf", "leaf-list", "choice", "case", "anydata", "anyxml", "rpc",
			"action", "input", "output", "notification", "augment":
			l.countIn(s.SubStatements(), scopeOf(s, sc, u), u, grp, tracked)
		}
	}
}

// unuse records that one uses statement naming grouping d will not expand it again.
func (l *loader) unuse(d *def) {
	if !l.release || d.refs <= 0 {
		return
	}
	d.refs--
	if d.refs == 0 {
		l.releaseGrouping(d)
	}
}

// releaseGrouping lets grouping d go: its statements are not read again, nor are the uses
// statements in it expanded again.
func (l *loader) releaseGrouping(d *def) {
	inner := d.inner
	d.st, d.inner, d.released = nil, nil, true
	for _, t := range inner {
		l.unuse(t)
	}
	if d.scope == d.u.mod.top {
		l.unpin(d.u)
	}
}

// applied records that one of u's top-level augments or deviations is done with.
func (l *loader) applied(u *unit) {
	if l.release {
		l.unpin(u)
	}
}

// unpin takes one of the things that read u's statements away; at none left, u lets them go.
func (l *loader) unpin(u *unit) {
	u.pins--
	if u.pins == 0 {
		l.releaseUnit(u)
	}
}

// releaseUnit drops what u holds of its statements, and with it the working state kept by
// statement (scopes, leaf types).
func (l *loader) releaseUnit(u *unit) {
	u.top, u.augments, u.deviations, u.scopes, u.leafTypes = nil, nil, nil, nil, nil
	if releaseHook != nil {
		releaseHook(u.src.file)
	}
}

// detachTypedefs copies m's top-level typedefs out of their files, each into two arrays of its
// own: a typedef may be used until the build's end, but it is a small part of its file, and
// once resolved its statements are not read again (typedefType lets them go). A typedef whose
// name no type statement of the load names (typeNames) cannot be used: it is let go now
// (SR OS 26.3 nokia-conf: most of the types modules' typedefs, 0.5 MB of copies that lived
// through the build). Should the build still resolve one (a bug), the load is done again
// keeping every statement (typedefType).
func (l *loader) detachTypedefs(m *module, typeNames map[string]bool) {
	for name, d := range m.top.typedefs {
		if !typeNames[name] {
			d.st, d.released = nil, true
			continue
		}
		d.st = copyStmt(d.st)
	}
}

// typeNames returns the names (less their prefixes) that the load's type statements give:
// those of every text, wherever they are, so that the set errs on keeping a typedef.
func (l *loader) typeNames() map[string]bool {
	names := map[string]bool{}
	var walk func(list []stmt)
	walk = func(list []stmt) {
		for s := range each(list) {
			if s.Keyword() == "type" {
				_, local := splitPrefix(s.Arg())
				names[local] = true
			}
			walk(s.SubStatements())
		}
	}
	for _, m := range l.modules {
		for _, u := range m.units {
			walk(u.top)
		}
	}
	if typeNamesHook != nil {
		typeNamesHook(names)
	}
	return names
}

// copyStmt copies the statement and those below it into one array, as convert lays a file's
// out (the strings are shared: they are not the file's).
func copyStmt(in *stmt) *stmt {
	n := 1
	var count func(s *stmt)
	count = func(s *stmt) {
		n += int(s.nsubs)
		for c := range s.subStmts() {
			count(c)
		}
	}
	count(in)
	all := make([]stmt, n)
	var cp func(s, out *stmt)
	cp = func(s, out *stmt) {
		*out = *s
		out.subs, out.nsubs = 0, 0
		if s.nsubs == 0 {
			return
		}
		list := all[:s.nsubs:s.nsubs]
		all = all[s.nsubs:]
		out.setSubs(list)
		for i := range s.SubStatements() {
			cp(&s.SubStatements()[i], &list[i])
		}
	}
	top := &all[0]
	all = all[1:]
	cp(in, top)
	return top
}
