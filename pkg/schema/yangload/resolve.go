package yangload

import (
	"strings"

	"github.com/ncws/ncws/pkg/schema"
)

// resolveTrees runs the passes that need the complete tree: removal of disabled nodes, config
// inheritance, keys, unique, choice defaults, type defaults and leafref targets.
func (l *loader) resolveTrees() {
	var impl []*module
	for _, m := range l.modules {
		if m.implement {
			impl = append(impl, m)
		}
	}
	for _, m := range impl {
		m.sm.Data = l.prune(m.sm.Data)
		m.sm.RPCs = l.prune(m.sm.RPCs)
		m.sm.Notifications = l.prune(m.sm.Notifications)
	}
	for _, m := range impl {
		for _, n := range m.sm.Data {
			l.resolveNode(n, true, false)
		}
		for _, n := range m.sm.RPCs {
			l.resolveNode(n, false, true)
		}
		for _, n := range m.sm.Notifications {
			l.resolveNode(n, false, true)
		}
	}
	var walk func(n *schema.Node)
	walk = func(n *schema.Node) {
		if n.Type != nil {
			l.resolveLeafrefs(n, n.Type)
		}
		for _, c := range n.Children {
			walk(c)
		}
	}
	for _, m := range impl {
		for _, list := range [][]*schema.Node{m.sm.Data, m.sm.RPCs, m.sm.Notifications} {
			for _, n := range list {
				walk(n)
			}
		}
	}
	for _, m := range impl {
		for _, list := range [][]*schema.Node{m.sm.Data, m.sm.RPCs, m.sm.Notifications} {
			for _, n := range list {
				l.checkLeafrefChains(n)
			}
		}
	}
}

// internLeafrefTypes makes the equal types with a leafref one Type, once their targets are
// resolved (Options.OmitOrigins; leafType interns the others as it builds the nodes). The build
// shared most already (shareLeafref); what is left are types whose paths reach the same targets
// from different nodes (a path with ".." after a name) and types a deviation replaced.
func (l *loader) internLeafrefTypes() {
	var walk func(n *schema.Node)
	walk = func(n *schema.Node) {
		if n.Type != nil && hasLeafref(n.Type) {
			n.Type = l.internType(n.Type)
		}
		for _, c := range n.Children {
			walk(c)
		}
	}
	for _, m := range l.modules {
		if !m.implement {
			continue
		}
		for _, list := range [][]*schema.Node{m.sm.Data, m.sm.RPCs, m.sm.Notifications} {
			for _, n := range list {
				walk(n)
			}
		}
	}
}

// prune drops disabled nodes (if-feature false, deviate not-supported) recursively.
func (l *loader) prune(ns []*schema.Node) []*schema.Node {
	out := ns[:0]
	for _, n := range ns {
		if l.disabled[n] {
			continue
		}
		n.Children = l.prune(n.Children)
		out = append(out, n)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// resolveNode computes config and resolves keys, unique, defaults for n and its subtree.
func (l *loader) resolveNode(n *schema.Node, parentConfig, inOp bool) {
	inf := l.infoOf(n)
	switch {
	case inOp || isOp(n.Kind) || n.Kind == schema.KindInput || n.Kind == schema.KindOutput:
		n.Config = false
		inOp = true
	case inf != nil && inf.config != 0:
		n.Config = inf.config > 0
		if n.Config && !parentConfig {
			l.errAt(l.moreOf(inf).configAt, "config true %s %s under a config false node", n.Kind, n.Name)
			n.Config = false
		}
	default:
		n.Config = parentConfig
	}
	for _, c := range n.Children {
		l.resolveNode(c, n.Config, inOp)
	}
	if inf == nil {
		inf = &nodeInfo{}
	}
	if n.Type != nil && inf.hasDflt {
		for _, v := range n.Default() {
			if msg := checkDefault(n.Type, v); msg != "" {
				l.errLoc(n.Loc, "invalid default of %s %s: %s", n.Kind, n.Name, msg)
			}
		}
	}
	switch n.Kind {
	case schema.KindList:
		l.resolveKeys(n, inf, inOp)
		for _, us := range l.uniques(inf) {
			l.resolveUnique(n, us)
		}
		l.checkMinMax(n, inf)
	case schema.KindLeafList:
		l.checkMinMax(n, inf)
		if inf.hasDflt && n.MinElements() > 0 {
			l.errLoc(n.Loc, "leaf-list %s has defaults and min-elements %d", n.Name, n.MinElements())
		}
		l.typeDefaults(n, n.MinElements() == 0)
	case schema.KindLeaf:
		if n.Mandatory && len(n.Default()) > 0 && inf.hasDflt {
			l.errLoc(n.Loc, "leaf %s is mandatory and has a default", n.Name)
		}
		l.typeDefaults(n, !n.Mandatory && !n.IsKey())
	case schema.KindChoice:
		n.SetDefaultCase(nil)
		if dflt := l.dflt(inf); dflt != "" {
			pfx, name := splitPrefix(dflt)
			_ = pfx
			for _, c := range n.Children {
				if c.Kind == schema.KindCase && c.Name == name {
					n.SetDefaultCase(c)
				}
			}
			if n.DefaultCase() == nil {
				l.errAt(l.moreOf(inf).dfltAt, "default case %s not found in choice %s", dflt, n.Name)
			} else if n.Mandatory {
				l.errAt(l.moreOf(inf).dfltAt, "choice %s is mandatory and has a default case", n.Name)
			}
		}
	}
}

func (l *loader) checkMinMax(n *schema.Node, inf *nodeInfo) {
	if n.MaxElements() != 0 && n.MinElements() > n.MaxElements() {
		l.errLoc(n.Loc, "%s %s: min-elements %d exceeds max-elements %d", n.Kind, n.Name, n.MinElements(), n.MaxElements())
	}
}

func (l *loader) resolveKeys(n *schema.Node, inf *nodeInfo, inOp bool) {
	n.SetKeys(nil)
	keySt := inf.key
	if keySt == nil || keySt.arg == "" {
		if n.Config && !inOp && inf.built {
			l.errLoc(n.Loc, "list %s has no key", n.Name)
		}
		return
	}
	seen := map[string]bool{}
	var keys []*schema.Node
	for _, k := range strings.Fields(keySt.arg) {
		_, name := splitPrefix(k)
		if seen[name] {
			l.errAt(keySt.at, "list %s: key %s given twice", n.Name, name)
			continue
		}
		seen[name] = true
		var leaf *schema.Node
		for _, c := range n.Children {
			if c.Name == name && c.Kind.IsData() {
				leaf = c
				break
			}
		}
		if leaf == nil || leaf.Kind != schema.KindLeaf {
			l.errAt(keySt.at, "list %s: key %s is not a child leaf", n.Name, name)
			continue
		}
		if leaf.Type != nil && leaf.Type.Base == schema.Empty && inf.v10 {
			l.errAt(keySt.at, "list %s: key %s of type empty", n.Name, name)
		}
		if lf := l.infoOf(leaf); lf != nil && lf.config != 0 && (lf.config > 0) != n.Config {
			l.errAt(l.moreOf(lf).configAt, "list %s: key %s has a different config value than its list", n.Name, name)
		}
		keys = append(keys, leaf)
	}
	n.SetKeys(keys)
}

func (l *loader) resolveUnique(n *schema.Node, s uniqueInfo) {
	file, line := s.at.pos()
	un := &schema.Unique{Loc: schema.NewLoc(file, line)}
	for _, p := range strings.Fields(s.arg) {
		cur := n
		for _, st := range strings.Split(p, "/") {
			_, name := splitPrefix(st)
			cur = dataChildByName(cur, name)
			if cur == nil {
				break
			}
		}
		if cur == nil || cur.Kind != schema.KindLeaf {
			l.errAt(s.at, "list %s: unique %s does not name a descendant leaf", n.Name, p)
			return
		}
		un.Leaves = append(un.Leaves, cur)
		un.Paths = append(un.Paths, p)
	}
	n.SetUnique(append(n.Unique(), un))
}

// dataChildByName finds a child by name, looking through choice and case (and also matching
// choice and case names themselves, which schema node identifiers may contain).
func dataChildByName(n *schema.Node, name string) *schema.Node {
	for _, c := range n.Children {
		if c.Name == name {
			return c
		}
	}
	for _, c := range n.Children {
		if c.Kind == schema.KindChoice || c.Kind == schema.KindCase {
			if r := dataChildByName(c, name); r != nil && r.Kind != schema.KindChoice && r.Kind != schema.KindCase {
				return r
			}
		}
	}
	return nil
}

// dataChild finds the data child (module, name) of n, looking through choice and case.
func dataChild(n *schema.Node, mod *schema.Module, name string) *schema.Node {
	for _, c := range n.Children {
		switch c.Kind {
		case schema.KindChoice, schema.KindCase:
			if r := dataChild(c, mod, name); r != nil {
				return r
			}
		case schema.KindInput, schema.KindOutput:
			if c.Name == name {
				return c
			}
		default:
			if c.Name == name && c.Module == mod {
				return c
			}
		}
	}
	return nil
}

func dataParent(n *schema.Node) *schema.Node {
	p := n.Parent
	for p != nil && (p.Kind == schema.KindChoice || p.Kind == schema.KindCase) {
		p = p.Parent
	}
	return p
}

// resolveLeafrefs resolves the path of every leafref in t (the type of leaf n). A type the
// build shares between leaves (shareLeafref) is resolved for the first and checked for each.
func (l *loader) resolveLeafrefs(n *schema.Node, t *schema.Type) {
	if t.Base == schema.Leafref && t.Path != "" {
		target := t.Target
		if target == nil {
			var msg string
			target, msg = l.followPath(n, t, t.Path)
			if target == nil {
				l.typeErrf(t, "leafref path %q of %s: %s", t.Path, n.Path(), msg)
			}
			t.Target = target
		}
		if target != nil && n.Config && t.RequireInstance && !target.Config && target.Kind.IsData() && !inOperation(n) {
			l.typeErrf(t, "leafref path %q of config node %s refers to the state node %s", t.Path, n.Path(), target.Path())
		}
	}
	for _, m := range t.Union {
		l.resolveLeafrefs(n, m)
	}
}

func inOperation(n *schema.Node) bool {
	for p := n; p != nil; p = p.Parent {
		if isOp(p.Kind) {
			return true
		}
	}
	return false
}

func (l *loader) errLoc(loc schema.Loc, format string, args ...any) {
	l.errs = append(l.errs, &Error{File: loc.File(), Line: loc.Line(), Msg: sprintf(format, args...)})
}

// followPath walks a leafref path (RFC 7950 9.9.2) from leaf n and returns the target leaf or
// leaf-list, or nil and why not.
func (l *loader) followPath(n *schema.Node, t *schema.Type, path string) (*schema.Node, string) {
	p := strings.TrimSpace(path)
	var cur *schema.Node
	root := false
	switch {
	case strings.HasPrefix(p, "deref("):
		// RFC 7950 9.9.2: path-arg starts with a path (deref() belongs to XPath, as yanglint says).
		return nil, "deref() is not allowed in a leafref path"
	case strings.HasPrefix(p, "/"):
		root = true
		p = p[1:]
	default:
		cur = n
	}
	steps := schema.SplitPath(p)
	if len(steps) == 0 {
		return nil, "empty path"
	}
	for _, st := range steps {
		st = pathStep(st)
		if st == ".." {
			if root || cur == nil {
				return nil, "\"..\" goes above the top level"
			}
			cur = dataParent(cur)
			if cur == nil {
				root = true
			}
			continue
		}
		if st == "." || st == "" {
			return nil, "bad step " + strconvQuote(st)
		}
		pfx, name := splitPrefix(st)
		mod := t.PathModule
		if pfx != "" {
			mod = t.PathPrefixes[pfx]
			if mod == nil {
				return nil, "unknown prefix " + strconvQuote(pfx)
			}
			if m := l.bySM[mod]; m != nil && !m.implement {
				l.needImpl[m] = true
				return nil, "module " + m.name + " is not implemented"
			}
		}
		var next *schema.Node
		if root || cur == nil {
			next = l.topChild(mod, name)
			root = false
		} else {
			next = dataChild(cur, mod, name)
		}
		if next == nil {
			return nil, "node " + st + " not found"
		}
		cur = next
	}
	if cur.Kind != schema.KindLeaf && cur.Kind != schema.KindLeafList {
		return nil, "the target " + cur.Path() + " is not a leaf or leaf-list"
	}
	return cur, ""
}

// pathStep returns a leafref path's step as followPath reads it: its node name, or "..".
func pathStep(st string) string {
	st = strings.TrimSpace(st)
	if i := strings.IndexByte(st, '['); i >= 0 {
		st = strings.TrimSpace(st[:i])
	}
	return st
}

// leafrefAnchor returns the node from which followPath walks down a leafref path of leaf n (the
// data node its leading ".." steps reach, n itself if none; nil for the top level), on which the
// target depends (the path's module and prefixes aside); false if the path is not followed.
func leafrefAnchor(n *schema.Node, path string) (*schema.Node, bool) {
	p := strings.TrimSpace(path)
	switch {
	case strings.HasPrefix(p, "deref("):
		return nil, false
	case strings.HasPrefix(p, "/"):
		return nil, true
	}
	cur := n
	for more := true; more; {
		var st string
		st, p, more = schema.CutPath(p)
		if pathStep(st) != ".." {
			break
		}
		if cur == nil {
			return nil, false // above the top level
		}
		cur = dataParent(cur)
	}
	return cur, true
}

func (l *loader) topChild(mod *schema.Module, name string) *schema.Node {
	root := &schema.Node{Children: mod.Data}
	return dataChild(root, mod, name)
}

// checkLeafrefChains reports leafrefs that lead back to themselves.
func (l *loader) checkLeafrefChains(n *schema.Node) {
	if n.Type != nil && n.Type.Base == schema.Leafref && n.Type.Target != nil {
		seen := map[*schema.Node]bool{n: true}
		for t := n.Type.Target; t != nil && t.Type != nil && t.Type.Base == schema.Leafref; t = t.Type.Target {
			if seen[t] {
				l.typeErrf(n.Type, "leafref %s leads back to itself", n.Path())
				n.Type.Target = nil
				break
			}
			seen[t] = true
		}
	}
	for _, c := range n.Children {
		l.checkLeafrefChains(c)
	}
}

// typeDefaults gives a leaf or leaf-list without a default or units of its own those of its
// type (the default only when dflt is set).
func (l *loader) typeDefaults(n *schema.Node, dflt bool) {
	if n.Type == nil {
		return
	}
	setDflt := len(n.Default()) == 0 && n.Type.Default != "" && dflt
	setUnits := n.Units() == "" && n.Type.Units != ""
	if setDflt || setUnits {
		l.amend(n, func(d *schema.DeclInfo) {
			if setDflt {
				d.Default = []string{n.Type.Default}
			}
			if setUnits {
				d.Units = n.Type.Units
			}
		})
	}
}
