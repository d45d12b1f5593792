package gen

import (
	"fmt"
	"go/token"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/ncws/ncws/pkg/schema"
)

// One Go package per YANG module (Options.Split "module").
//
// A vendor model set in one package can be more than the Go compiler holds: cmd/compile keeps
// the back-end state of every function until the package ends (Junos QFX: 132k functions,
// 7.8 GB). Split, the tree is a set of packages that compile one at a time (two at once on
// two cores), each holding one module's share:
//
//   - ImportPath (the output directory) is the umbrella package, Options.Package: Root, the
//     document root, with a field per top-level node of every module, Changes, and Schema;
//   - ImportPath/base, package base: the compiled schema (descriptor and module texts), the
//     conversion tables every package shares (base.Conv, a genimpl.Package each package
//     registers its union types with), and the inline unions named after their members
//     (--share-groupings);
//   - ImportPath/<module> per module, the module name lower-cased without '-' and '.'
//     (ietf-interfaces -> ietfinterfaces; a name taken by an earlier module, a Go keyword or a
//     name the generated code uses gets a number): the structs of the containers and lists in
//     the module's namespace (the module that declares the node, or that augments it in), the
//     module's rpcs, actions and notifications with their API, and the enumerations,
//     identityrefs and unions the module's text defines (typedef, identity base or inline
//     statement);
//   - ImportPath/<module>types, only for a module whose structs have fields of another
//     module's nodes (another module augments it): that module's enumerations, identityrefs
//     and unions.
//
// Every type keeps the name it has in one package (the names are claimed in one namespace,
// by the same rules), so splitting renames nothing; a type of another package is written
// qualified. The tree is navigated as before: root.Configuration.Interfaces is the
// augmenting module's struct, reached through the augmented struct's field; only its import
// path differs.
//
// The imports follow YANG's, and YANG forbids circular imports, so the packages have no cycle:
//   - a struct's field of another package's struct is a node another module augments in, and
//     that module imports this one; such a package (call it augmented) has its named types in
//     its types package, so the only packages that import an augmented module's package are
//     those of the modules it augments, and the umbrella;
//   - every other import is of a package holding named types: a types package, or the package
//     of a module no other module augments, whose structs hold only its own nodes. Those
//     packages import only packages holding named types of modules their module imports
//     (directly or through a grouping or typedef that uses them), so a chain of such imports
//     goes down YANG's import graph and never back to an augmented module's package.
//
// Generate checks it anyway and fails naming the cycle.

// The marks around a type name in the code of a split package until the file's package is
// known: the name alone in its own package, qualified in another.
const (
	markL = "⟪"
	markR = "⟫"
)

// splitGuard asserts the runtime's support of split trees (in the umbrella and in base, which
// every package imports).
const splitGuard = "// The generated code needs a runtime that supports its version of the contract.\nconst _ = genimpl.SupportPackageIsVersion5\n\n"

// A goPkg is one package of a split tree.
type goPkg struct {
	name    string // package name
	dir     string // directory under the output directory, the name ("" for the umbrella)
	path    string // import path
	mod     *schema.Module
	structs []*structType
	nameds  []*namedType
	mods    []*schema.Module // modules whose operations' API it holds
	// augmented: a struct of the package has a field of another module's node (an augment).
	augmented bool
	types     *goPkg // the package of the module's named types when augmented or split
	// split: the module's structs are spread over this package and subtree packages (see
	// splitLarge); home is, in a subtree package, the module's package (else nil), and root
	// the struct at the top of its subtree.
	split bool
	home  *goPkg
	root  *structType
	deps  map[*goPkg]bool
}

// family returns the module package p belongs to: itself, or its home for a subtree package.
func (p *goPkg) family() *goPkg {
	if p.home != nil {
		return p.home
	}
	return p
}

// splitter assigns the types of a generator to packages and writes them.
type splitter struct {
	g      *generator
	umb    *goPkg
	base   *goPkg
	byMod  map[*schema.Module]*goPkg
	pkgs   []*goPkg // in creation order
	owner  map[string]*goPkg
	taken  map[string]bool
	byPath map[string]*goPkg
}

// checkSplit checks Options.Split and, with it, Options.ImportPath.
func checkSplit(opts Options) error {
	switch opts.Split {
	case "":
		return nil
	case "module":
	default:
		return fmt.Errorf("gen: Options.Split %q: want \"module\" or nothing", opts.Split)
	}
	p := opts.ImportPath
	if p == "" {
		return fmt.Errorf("gen: Options.Split %q needs Options.ImportPath, the Go import path of the output directory", opts.Split)
	}
	for _, e := range strings.Split(p, "/") {
		if e == "" || e == "." || e == ".." || strings.ContainsAny(e, " \t\"'`\\:") {
			return fmt.Errorf("gen: Options.ImportPath %q is not a Go import path", p)
		}
	}
	return nil
}

// splitLocals are names the generated code uses for locals, parameters and imports: a package
// of one of these names would be shadowed. (A slice, not a map: a map literal is built when the
// program starts, by every ncws command.)
var splitLocals = []string{
	"base", "genimpl", "data", "schema", "context", "errors", "sync",
	"time", "fmt", "ctx", "req", "ks", "kt", "in", "out",
	"it", "op", "o", "err", "s", "x", "e", "w", "v",
	"i", "ok", "c", "n", "t", "srv", "impl", "h", "ev",
	"conv", "p", "b", "u", "ygot", // ncws gen --ygot writes OUTDIR/ygot
}

// claim returns a new package name made from want (a module name): lower-cased, letters and
// digits only, "yang" appended to a name the generated code uses otherwise, numbered from 2
// when taken.
func (sp *splitter) claim(want string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(want) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	s := b.String()
	if s == "" || s[0] >= '0' && s[0] <= '9' {
		s = "m" + s
	}
	if token.IsKeyword(s) || slices.Contains(splitLocals, s) || isPredeclared(s) {
		s += "yang"
	}
	name := s
	for i := 2; sp.taken[name]; i++ {
		name = s + strconv.Itoa(i)
	}
	sp.taken[name] = true
	return name
}

func isPredeclared(s string) bool {
	switch s {
	case "any", "bool", "byte", "comparable", "complex64", "complex128", "error", "float32", "float64",
		"int", "int8", "int16", "int32", "int64", "rune", "string", "uint", "uint8", "uint16", "uint32",
		"uint64", "uintptr", "true", "false", "iota", "nil", "append", "cap", "clear", "close", "complex",
		"copy", "delete", "imag", "len", "make", "max", "min", "new", "panic", "print", "println", "real",
		"recover":
		return true
	}
	return false
}

func (sp *splitter) newPkg(name string, mod *schema.Module) *goPkg {
	p := &goPkg{name: name, dir: name, path: sp.g.opts.ImportPath + "/" + name, mod: mod, deps: map[*goPkg]bool{}}
	sp.pkgs = append(sp.pkgs, p)
	sp.byPath[p.path] = p
	return p
}

func (sp *splitter) modPkg(m *schema.Module) *goPkg {
	if p := sp.byMod[m]; p != nil {
		return p
	}
	p := sp.newPkg(sp.claim(m.Name), m)
	sp.byMod[m] = p
	return p
}

// assign puts every struct and named type of g into its package and marks their names.
func (sp *splitter) assign() {
	g := sp.g
	pkgOf := map[*structType]*goPkg{}
	for _, st := range g.structs {
		m := st.sn.Module
		if st.op != nil {
			m = st.op.mod
		}
		pkgOf[st] = sp.modPkg(m)
	}
	sp.splitLarge(pkgOf)
	for _, st := range g.structs {
		p := pkgOf[st]
		p.structs = append(p.structs, st)
		fam := p.family()
		for _, f := range st.fields {
			// A node of another module (an augment: a struct or a leaf, whose type may be
			// that module's) makes the package import that module's; its own named types
			// then go to a package of their own, which the other module imports instead.
			if f.st != nil && pkgOf[f.st].family() != fam || sp.byMod[f.sn.Module] != fam {
				fam.augmented = true
			}
		}
	}
	place := sp.namedPlaces(pkgOf)
	for m, a := range g.api {
		if a != nil {
			p := sp.modPkg(m)
			p.mods = append(p.mods, m)
		}
	}
	shape := map[*namedType]bool{}
	for k, nt := range g.named {
		if strings.HasPrefix(k, "union shape ") {
			shape[nt] = true
		}
	}
	for _, nt := range g.nameds {
		if shape[nt] {
			sp.base.nameds = append(sp.base.nameds, nt)
			continue
		}
		p := sp.modPkg(g.namedModule(nt))
		switch {
		case p.split && place[nt] != nil && place[nt].family() == p:
			p = place[nt]
		case p.augmented || p.split:
			if p.types == nil {
				p.types = sp.newPkg(sp.claim(p.name+"types"), p.mod)
			}
			p = p.types
		}
		p.nameds = append(p.nameds, nt)
	}
	for _, p := range sp.pkgs {
		sort.SliceStable(p.mods, func(i, j int) bool { return p.mods[i].Name < p.mods[j].Name })
		for _, st := range p.structs {
			sp.owner[st.name] = p
		}
		for _, nt := range p.nameds {
			sp.owner[nt.name] = p
		}
	}
	// Marks: from here on every struct and named type name is written marked.
	for _, st := range g.structs {
		st.name = markL + st.name + markR
	}
	for _, nt := range g.nameds {
		nt.name = markL + nt.name + markR
	}
	mark := func(t *goType) {
		if t != nil && t.named != nil {
			t.gname = t.named.name
		}
	}
	markFields := func(st *structType) {
		for _, f := range st.fields {
			mark(f.typ)
			for _, tw := range f.twins {
				mark(tw.typ)
			}
		}
	}
	markFields(g.root)
	for _, st := range g.structs {
		markFields(st)
	}
	for _, nt := range g.nameds {
		for _, m := range nt.members {
			mark(m)
		}
		for _, w := range nt.wrappers {
			mark(w.typ)
		}
	}
}

// Below the module (Options.SplitStructs). A module can be more than one package should hold
// (SR OS nokia-conf: one module of 297 submodules, 8,189 structs, whose one package took the
// Go compiler 1.9 GB). A module package of more structs than SplitStructs is split along its
// data tree: walking down from its top structs, a node whose subtree (the structs below it, the
// node's own included) holds more than SplitStructs has each child subtree of at least a
// quarter of SplitStructs moved into a package of its own, and so on down, so that the
// packages are of a few hundred to SplitStructs structs (a node with many small children keeps
// them). The package is named after the module and the nodes' names below its top node
// (nokia-conf's /configure/service/vprn: nokiaconfservicevprn). Only a closed subtree moves: no
// struct in it but its top is a field of a struct of the module outside it, so a package of the
// module imports only the packages of subtrees below it and no cycle arises (another module's
// package that holds such a field imported the module's package, whose imports the subtree's
// are a part of). With --share-groupings a struct can be a field of several of the module's:
// those, with the structs below them, go to the module's types package. The module's enumerations, identityrefs and unions go to the one package
// whose structs use them, else (used in several, by another module, or as a list key, which
// the parent's list helpers and the operations' API also use) to the module's types package.
// Type names do not change; the tree is navigated as before.

// splitLarge moves the structs of each module package holding more than SplitStructs into
// packages of their subtrees (see above), updating pkgOf.
func (sp *splitter) splitLarge(pkgOf map[*structType]*goPkg) {
	max := sp.g.opts.SplitStructs
	if max == 0 {
		max = DefaultSplitStructs
	}
	if max < 0 {
		return
	}
	count := map[*goPkg]int{}
	refs := map[*structType][]*structType{}
	for _, st := range sp.g.structs {
		count[pkgOf[st]]++
		for _, f := range st.fields {
			if f.st != nil {
				refs[f.st] = append(refs[f.st], st)
			}
		}
	}
	for _, p := range append([]*goPkg(nil), sp.pkgs...) {
		if p.mod == nil || count[p] <= max {
			continue
		}
		// With --share-groupings a struct can be a field of several: those of p, with the
		// structs below them, go to the module's types package, so that what stays is a tree.
		hoist := map[*structType]bool{}
		var hoisted []*structType
		for _, st := range sp.g.structs {
			if pkgOf[st] != p {
				continue
			}
			var first *structType
			for _, r := range refs[st] {
				if pkgOf[r] != p {
					continue // another module's struct: it imports whichever package holds st
				}
				if first == nil {
					first = r
				} else if r != first {
					hoist[st] = true
					hoisted = append(hoisted, st)
					break
				}
			}
		}
		for i := 0; i < len(hoisted); i++ {
			for _, f := range hoisted[i].fields {
				if c := f.st; c != nil && pkgOf[c] == p && !hoist[c] {
					hoist[c] = true
					hoisted = append(hoisted, c)
				}
			}
		}
		// below returns the structs of p at and below st (a subtree), in walk order.
		below := func(st *structType) []*structType {
			seen := map[*structType]bool{st: true}
			out := []*structType{st}
			for i := 0; i < len(out); i++ {
				for _, f := range out[i].fields {
					if c := f.st; c != nil && !seen[c] && pkgOf[c] == p && !hoist[c] {
						seen[c] = true
						out = append(out, c)
					}
				}
			}
			return out
		}
		closed := func(top *structType, sub []*structType) bool {
			in := map[*structType]bool{}
			for _, s := range sub {
				in[s] = true
			}
			for _, s := range sub {
				for _, r := range refs[s] {
					if s != top && !in[r] && pkgOf[r] == p {
						return false
					}
				}
			}
			return true
		}
		type cut struct {
			top  *structType
			name string
		}
		var cuts []cut
		visited := map[*structType]bool{}
		var walk func(st *structType, name string)
		walk = func(st *structType, name string) {
			if len(below(st)) <= max {
				return
			}
			for _, f := range st.fields {
				c := f.st
				if c == nil || pkgOf[c] != p || hoist[c] || visited[c] {
					continue
				}
				visited[c] = true
				sub := below(c)
				cname := name + "-" + c.sn.Name
				if len(sub) >= max/4 && closed(c, sub) {
					cuts = append(cuts, cut{c, cname})
				}
				walk(c, cname)
			}
		}
		for _, st := range sp.g.structs {
			top := pkgOf[st] == p && !hoist[st]
			for _, r := range refs[st] {
				if pkgOf[r] == p {
					top = false
				}
			}
			if top && !visited[st] {
				visited[st] = true
				walk(st, p.mod.Name)
			}
		}
		// Outer subtrees first: an inner one then takes its structs from the outer's package
		// (closed subtrees nest or are disjoint).
		var subs []*goPkg
		for _, c := range cuts {
			q := sp.newPkg(sp.claim(c.name), p.mod)
			q.home, q.root = p, c.top
			subs = append(subs, q)
		}
		sets := make([][]*structType, len(cuts))
		for i, c := range cuts {
			sets[i] = below(c.top)
		}
		for i := range cuts {
			for _, s := range sets[i] {
				pkgOf[s] = subs[i]
			}
		}
		if len(cuts) > 0 && len(hoisted) > 0 {
			p.types = sp.newPkg(sp.claim(p.name+"types"), p.mod)
			p.types.home = p
			for _, st := range hoisted {
				pkgOf[st] = p.types
			}
		}
		if len(cuts) > 0 {
			p.split = true
		}
	}
}

// namedPlaces returns, for the named types of split modules, the one package whose structs use
// each (nil when several do, another module's do, or none: the module's types package).
func (sp *splitter) namedPlaces(pkgOf map[*structType]*goPkg) map[*namedType]*goPkg {
	split := false
	for _, p := range sp.pkgs {
		split = split || p.split
	}
	if !split {
		return nil
	}
	users := map[*namedType]map[*goPkg]bool{}
	shared := map[*namedType]bool{} // to the types package
	use := func(t *goType, p *goPkg) {
		if t == nil || t.named == nil {
			return
		}
		if users[t.named] == nil {
			users[t.named] = map[*goPkg]bool{}
		}
		users[t.named][p] = true
	}
	for _, st := range sp.g.structs {
		p := pkgOf[st]
		for _, f := range st.fields {
			use(f.typ, p)
			for _, tw := range f.twins {
				use(tw.typ, p)
			}
			if f.kind == fList && f.st != nil && f.sn != nil {
				for _, k := range f.sn.Keys() {
					if kf := keyField(f.st, k); kf != nil && kf.typ != nil && kf.typ.named != nil {
						shared[kf.typ.named] = true
					}
				}
			}
		}
	}
	for _, nt := range sp.g.nameds {
		if len(users[nt]) == 0 {
			shared[nt] = true
		}
	}
	// A union's member types are used where the union is.
	for changed := true; changed; {
		changed = false
		for _, nt := range sp.g.nameds {
			var ms []*goType
			ms = append(ms, nt.members...)
			for _, w := range nt.wrappers {
				ms = append(ms, w.typ)
			}
			for _, m := range ms {
				if m == nil || m.named == nil || m.named == nt {
					continue
				}
				mt := m.named
				if shared[nt] && !shared[mt] {
					shared[mt], changed = true, true
				}
				for q := range users[nt] {
					if users[mt] == nil {
						users[mt] = map[*goPkg]bool{}
					}
					if !users[mt][q] {
						users[mt][q], changed = true, true
					}
				}
			}
		}
	}
	place := map[*namedType]*goPkg{}
	for _, nt := range sp.g.nameds {
		if shared[nt] || len(users[nt]) != 1 {
			continue
		}
		for q := range users[nt] {
			place[nt] = q
		}
	}
	return place
}

// namedModule is the module whose package holds named type nt: the typedef's module, the
// first identity base's, else the module whose text holds the inline statement (the module
// the type was found under when the statement's file is not known).
func (g *generator) namedModule(nt *namedType) *schema.Module {
	vt := nt.t
	switch {
	case nt.kind == gIdent && len(vt.Bases) > 0 && vt.Bases[0].Module != nil:
		return vt.Bases[0].Module
	case vt.Typedef != "" && vt.Module != nil:
		return vt.Module
	}
	if m := g.locModule(vt.Loc); m != nil {
		return m
	}
	return nt.mod
}

// resolve replaces the marked names in body: bare in package cur and after an identifier
// character (a name derived from a type's, such as its enum table), qualified elsewhere.
func (sp *splitter) resolve(body string, cur *goPkg) string {
	if !strings.Contains(body, markL) {
		return body
	}
	var b strings.Builder
	b.Grow(len(body))
	for {
		i := strings.Index(body, markL)
		if i < 0 {
			break
		}
		j := strings.Index(body[i:], markR)
		if j < 0 {
			break
		}
		name := body[i+len(markL) : i+j]
		b.WriteString(body[:i])
		if p := sp.owner[name]; p != nil && p != cur && !(i > 0 && isIdentByte(body[i-1])) {
			b.WriteString(p.name + ".")
		}
		b.WriteString(name)
		body = body[i+j+len(markR):]
	}
	b.WriteString(body)
	return b.String()
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// splitFiles renders the packages of a split tree; file names are relative to the output
// directory ("base/schema.go").
func (g *generator) splitFiles() (map[string][]byte, error) {
	sp := &splitter{g: g, byMod: map[*schema.Module]*goPkg{}, owner: map[string]*goPkg{},
		taken: map[string]bool{g.opts.Package: true}, byPath: map[string]*goPkg{}}
	sp.umb = &goPkg{name: g.opts.Package, path: g.opts.ImportPath, deps: map[*goPkg]bool{}}
	sp.base = sp.newPkg("base", nil)
	sp.taken["base"] = true
	// Module packages in the schema's module order, so that a package's name does not depend
	// on which types are found first.
	for _, m := range g.schema.Modules {
		if g.emit[m] {
			sp.modPkg(m)
		}
	}
	sp.assign()

	out := map[string][]byte{}
	fmtr := newFormatter(out)
	defer fmtr.stop()
	std := []string{"context", "errors", "sync", "time"}
	ext := []string{"github.com/ncws/ncws/pkg/data", "github.com/ncws/ncws/pkg/genimpl", "github.com/ncws/ncws/pkg/schema"}
	var own []string
	for _, p := range sp.pkgs {
		own = append(own, p.path)
	}
	// add adds file name of package p; body is written in gofmt's layout once its names are
	// resolved when pre is set (the declarations of types, conversion, enumerations, module
	// texts and descriptor: gofmt.go), and goes through go/format otherwise.
	add := func(p *goPkg, name, doc string, mods []*schema.Module, body string, pre bool) error {
		if body == "" && doc == "" {
			return nil
		}
		body = layoutFunc1s(sp.resolve(body, p))
		var b strings.Builder
		fmt.Fprintf(&b, "// Code generated by ncws gen v%s. DO NOT EDIT.\n", g.opts.Version)
		b.WriteString("// Source modules:")
		for _, m := range mods {
			b.WriteString(" " + moduleID(m))
		}
		b.WriteString("\n\n")
		if doc != "" {
			comment(&b, "", doc)
		}
		fmt.Fprintf(&b, "package %s\n\n", p.name)
		refs := packageRefs(body)
		var us, ue, uo []string
		for _, imp := range std {
			if refs[imp] {
				us = append(us, strconv.Quote(imp))
			}
		}
		for _, imp := range ext {
			if refs[path.Base(imp)] {
				ue = append(ue, strconv.Quote(imp))
			}
		}
		for _, imp := range own {
			if q := sp.byPath[imp]; q != p && refs[q.name] {
				uo = append(uo, strconv.Quote(imp))
				p.deps[q] = true
			}
		}
		sort.Strings(uo) // as gofmt sorts them
		var groups []string
		for _, gr := range [][]string{us, ue, uo} {
			if len(gr) > 0 {
				groups = append(groups, "\t"+strings.Join(gr, "\n\t"))
			}
		}
		if len(groups) > 0 {
			fmt.Fprintf(&b, "import (\n%s\n)\n\n", strings.Join(groups, "\n\n"))
		}
		file := name
		if p.dir != "" {
			file = p.dir + "/" + name
		}
		if !pre {
			b.WriteString(body)
			return fmtr.add(file, b.String())
		}
		body = strings.TrimRight(body, "\n")
		src := make([]byte, 0, b.Len()+len(body)+1)
		src = append(src, b.String()...)
		src = append(src, body...)
		fmtr.put(file, append(src, '\n'))
		return nil
	}

	// The umbrella: Root, Changes, Schema.
	var rb strings.Builder
	rb.WriteString(splitGuard)
	rb.WriteString("// Root is the document root: the top-level data nodes of the modules.\n")
	g.writeStruct(&rb, g.root)
	g.writeConvert(&rb, g.root)
	rb.WriteString("// conv is the conversion of the whole tree, base.Conv.\nvar conv = genimpl.Package{Shared: &base.Conv}\n\n")
	g.writeSchemaRef(&rb, false)
	for _, body := range g.writeChanges() {
		rb.WriteString(body)
	}
	umbDoc := fmt.Sprintf("Package %s holds typed Go structs for the data nodes of YANG modules, generated by ncws gen with --split module, with conversion from and to github.com/ncws/ncws/pkg/data trees. Root is the document root; the structs, enumerations and operations of each module are in the package of that module under this one (%s/<module>), the compiled schema in %s/base.", g.opts.Package, g.opts.ImportPath, g.opts.ImportPath)
	if err := add(sp.umb, "root.go", umbDoc, g.mods, rb.String(), false); err != nil {
		return nil, err
	}

	bases := fileBases(g.schema.Modules)
	for _, p := range sp.pkgs {
		if p == sp.base {
			continue
		}
		if err := g.writeSplitPkg(sp, p, bases, add); err != nil {
			return nil, err
		}
	}

	// base: the schema, the shared conversion, the unions named after their members.
	var bb strings.Builder
	var eb chunks
	for _, nt := range sp.base.nameds {
		var w strings.Builder
		g.writeNamed(&w, nt)
		eb.add(&w)
	}
	bb.WriteString(splitGuard)
	g.writeSplitConv(&bb, sp.base, true)
	baseDoc := "Package base holds what the packages of a tree generated by ncws gen with --split module share: the compiled schema (Schema), the conversion tables (Conv, with every package's union types) and the inline unions named after their member types."
	if err := add(sp.base, "conv.go", baseDoc, g.mods, bb.String(), false); err != nil {
		return nil, err
	}
	for i, body := range eb.bodies {
		name := "unions.go"
		if i > 0 {
			name = fmt.Sprintf("unions%d.go", i+1)
		}
		if err := add(sp.base, name, "", g.mods, body.String(), true); err != nil {
			return nil, err
		}
	}
	err := g.schemaFiles(bases, func(name string, mods []*schema.Module, _ []string, body string, pre bool) error {
		return add(sp.base, name, "", mods, body, pre)
	}, nil)
	if err != nil {
		return nil, err
	}
	if err := fmtr.stop(); err != nil {
		return nil, err
	}
	if err := sp.checkCycles(); err != nil {
		return nil, err
	}
	return out, nil
}

// writeSplitPkg writes module package p (or a module's types package).
func (g *generator) writeSplitPkg(sp *splitter, p *goPkg, bases map[*schema.Module]string,
	add func(p *goPkg, name, doc string, mods []*schema.Module, body string, pre bool) error) error {
	mods := []*schema.Module{p.mod}
	base := bases[p.mod]
	var tb, cb, eb chunks
	for _, st := range p.structs {
		var w strings.Builder
		if st.sn != nil {
			g.writeStructDoc(&w, st)
		}
		g.writeStruct(&w, st)
		tb.add(&w)
		g.writeConvert(&w, st)
		cb.add(&w)
	}
	for _, nt := range p.nameds {
		var w strings.Builder
		g.writeNamed(&w, nt)
		eb.add(&w)
	}
	for _, c := range []struct {
		name string
		ch   *chunks
	}{{"_types", &tb}, {"_convert", &cb}, {"_enums", &eb}} {
		for i, body := range c.ch.bodies {
			name := base + c.name + ".go"
			if i > 0 {
				name = fmt.Sprintf("%s%s%d.go", base, c.name, i+1)
			}
			if err := add(p, name, "", mods, body.String(), true); err != nil {
				return err
			}
		}
	}
	for _, m := range p.mods {
		a := g.api[m]
		var ob, nb strings.Builder
		if a.server != "" {
			g.writeServer(&ob, m, a)
		}
		if a.notifier != "" {
			g.writeNotifications(&nb, m, a)
		}
		mb := bases[m]
		if err := add(p, mb+"_rpc.go", "", []*schema.Module{m}, ob.String(), false); err != nil {
			return err
		}
		if err := add(p, mb+"_notify.go", "", []*schema.Module{m}, nb.String(), false); err != nil {
			return err
		}
	}
	var vb strings.Builder
	g.writeSplitConv(&vb, p, false)
	if len(p.structs) > 0 || len(p.mods) > 0 {
		g.writeSchemaRef(&vb, len(p.mods) > 0)
	}
	doc := fmt.Sprintf("Package %s holds the Go types of YANG module %s, generated by ncws gen with --split module: the structs of its containers and lists (those of its namespace, including what it augments into other modules' nodes), its operations, and its enumerations, identityrefs and unions.", p.name, moduleID(p.mod))
	switch home := sp.byMod[p.mod]; {
	case p.root != nil:
		doc = fmt.Sprintf("Package %s holds the Go types of the subtree %s of YANG module %s, generated by ncws gen with --split module (the module is more structs than one package should hold, so its largest subtrees have packages of their own beside %s): the structs of the subtree, but those of its own large subtrees, and the enumerations and unions only they use.", p.name, p.root.sn.Path(), moduleID(p.mod), home.name)
	case p.mod != nil && home != p && home.split && !home.augmented:
		doc = fmt.Sprintf("Package %s holds the enumerations, identityrefs and unions of YANG module %s that more than one of its packages use, generated by ncws gen with --split module (the module's structs are in %s and its subtree packages).", p.name, moduleID(p.mod), home.name)
	case p.mod != nil && home != p:
		doc = fmt.Sprintf("Package %s holds the enumerations, identityrefs and unions of YANG module %s, generated by ncws gen with --split module (in a package of their own because other modules augment %s's nodes and use these types).", p.name, moduleID(p.mod), p.mod.Name)
	}
	if p.mod != nil && p.root == nil && sp.byMod[p.mod] != p && len(p.structs) > 0 {
		doc += " It also holds the module's structs that are fields of several structs (one type for the instances of a grouping's node, --share-groupings), with those below them, which the module's packages share."
	}
	switch {
	case p.root != nil || p.mod != nil && sp.byMod[p.mod] != p:
	case p.split:
		doc += " The module is more structs than one package should hold: its largest subtrees have packages of their own"
		if p.types != nil {
			doc += fmt.Sprintf(", and what several of its packages use is in package %s", p.types.name)
		}
		doc += "."
	case p.types != nil:
		doc += fmt.Sprintf(" Its enumerations, identityrefs and unions are in package %s.", p.types.name)
	}
	name := "conv.go"
	if vb.Len() == 0 {
		name = "doc.go"
	}
	return add(p, name, doc, mods, vb.String(), false)
}

// writeSplitConv writes the package's part of the conversion: in base, Conv with base's
// unions; in a package with structs or operations, conv sharing base.Conv; in any package with
// unions, an init registering them with base.Conv.
func (g *generator) writeSplitConv(b *strings.Builder, p *goPkg, isBase bool) {
	var us []*namedType
	for _, nt := range p.nameds {
		if nt.kind == gUnion {
			us = append(us, nt)
		}
	}
	const convDoc = "// Conv is the conversion of every package of the tree: their union types are registered with it.\n"
	switch {
	case isBase && len(us) == 0:
		b.WriteString(convDoc + "var Conv genimpl.Package\n\n")
	case isBase:
		b.WriteString(convDoc + "var Conv = genimpl.Package{Unions: convUnions}\n\n")
	case len(p.structs) > 0 || len(p.mods) > 0:
		b.WriteString("// conv is the conversion of the whole tree, base.Conv.\nvar conv = genimpl.Package{Shared: &base.Conv}\n\n")
	}
	if len(us) == 0 {
		return
	}
	if !isBase {
		b.WriteString("func init() { base.Conv.Register(convUnions) }\n\n")
	}
	writeConvUnions(b, us)
}

// writeSchemaRef writes Schema (base.Schema) and, for a package with operations, schemaOp.
func (g *generator) writeSchemaRef(b *strings.Builder, ops bool) {
	b.WriteString("// Schema returns the compiled schema the tree was generated from (base.Schema): open the server's datastore with it.\nfunc Schema() *schema.Schema { return base.Schema() }\n\n")
	if ops {
		b.WriteString("// schemaOp returns the package's own rpc, action or notification at path.\nfunc schemaOp(path string) *schema.Node {\nop, err := genimpl.Op(Schema(), path)\nif err != nil {\npanic(err)\n}\nreturn op\n}\n\n")
	}
}

// checkCycles reports an import cycle among the packages (which YANG's import rules exclude:
// see above) as an error naming it.
func (sp *splitter) checkCycles() error {
	state := map[*goPkg]int{} // 1 on the stack, 2 done
	var stack []*goPkg
	var visit func(p *goPkg) []*goPkg
	visit = func(p *goPkg) []*goPkg {
		state[p] = 1
		stack = append(stack, p)
		var deps []*goPkg
		for q := range p.deps {
			deps = append(deps, q)
		}
		sort.Slice(deps, func(i, j int) bool { return deps[i].path < deps[j].path })
		for _, q := range deps {
			switch state[q] {
			case 1:
				for i, s := range stack {
					if s == q {
						return append(append([]*goPkg(nil), stack[i:]...), q)
					}
				}
			case 0:
				if c := visit(q); c != nil {
					return c
				}
			}
		}
		stack = stack[:len(stack)-1]
		state[p] = 2
		return nil
	}
	for _, p := range append([]*goPkg{sp.umb}, sp.pkgs...) {
		if state[p] == 0 {
			if c := visit(p); c != nil {
				var names []string
				for _, q := range c {
					names = append(names, q.name)
				}
				return fmt.Errorf("gen: --split module: the packages form an import cycle (%s); the modules' augments and imports are circular", strings.Join(names, " -> "))
			}
		}
	}
	return nil
}
