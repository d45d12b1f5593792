package yangload

import (
	"strings"

	"github.com/ncws/ncws/pkg/schema"
)

// topStmts lists the top-level augments ("augment") or deviations of every unit of m.
func topStmts(m *module, kw string) []unitStmt {
	var out []unitStmt
	for _, u := range m.units {
		list := u.augments
		if kw == "deviation" {
			list = u.deviations
		}
		for _, s := range list {
			out = append(out, unitStmt{u, s})
		}
	}
	return out
}

type unitStmt struct {
	u *unit
	s *stmt
}

// implementTargets makes the modules that implemented modules augment or deviate implemented
// too (as libyang does; RFC 7950 section 5.6.5 requires it).
func (l *loader) implementTargets() {
	for changed := true; changed; {
		changed = false
		for _, m := range l.modules {
			if !m.implement {
				continue
			}
			for _, kw := range []string{"augment", "deviation"} {
				for _, us := range topStmts(m, kw) {
					// Every module named on the target path must be implemented for the
					// target to exist.
					p := strings.TrimPrefix(strings.TrimSpace(us.s.Arg()), "/")
					for _, step := range strings.Split(p, "/") {
						pfx, _ := splitPrefix(strings.TrimSpace(step))
						if t := us.u.moduleOf(pfx); t != nil && !t.implement {
							t.implement = true
							changed = true
						}
					}
				}
			}
		}
	}
}

// applyAugments applies the top-level augments of the implemented modules, in whatever order
// lets every target resolve (an augment may target nodes another augment adds).
func (l *loader) applyAugments() {
	var pending []unitStmt
	for _, m := range l.modules {
		if m.implement {
			pending = append(pending, topStmts(m, "augment")...)
		}
	}
	for progress := true; progress && len(pending) > 0; {
		progress = false
		rest := pending[:0]
		for _, p := range pending {
			t, ok := l.findAbsolute(p.s.Arg(), p.u, p.s)
			if !ok {
				progress = true
				l.applied(p.u)
				continue
			}
			if t == nil {
				rest = append(rest, p)
				continue
			}
			l.augmentInto(t, p.s, p.u, p.u.mod.top, p.u.mod.sm, false, false, false)
			progress = true
			l.applied(p.u)
		}
		clear(pending[len(rest):])
		pending = rest
	}
	for _, p := range pending {
		l.errf(p.s, "augment target %s not found", p.s.Arg())
		l.applied(p.u)
	}
}

// applyDeviations applies the deviation statements of the implemented modules (RFC 7950 7.20.3).
func (l *loader) applyDeviations() {
	for _, m := range l.modules {
		if !m.implement {
			continue
		}
		for _, us := range topStmts(m, "deviation") {
			t, ok := l.findAbsolute(us.s.Arg(), us.u, us.s)
			if !ok {
				l.applied(us.u)
				continue
			}
			if t == nil {
				l.errf(us.s, "deviation target %s not found", us.s.Arg())
				l.applied(us.u)
				continue
			}
			tm := t.Module
			if tm != m.sm {
				found := false
				for _, d := range tm.Deviations {
					if d == m.name {
						found = true
					}
				}
				if !found {
					tm.Deviations = append(tm.Deviations, m.name)
				}
			}
			for d := range us.s.subStmts() {
				if d.Keyword() == "deviate" {
					l.deviate(t, d, us.u)
				}
			}
			l.applied(us.u)
		}
	}
}

func (l *loader) deviate(t *schema.Node, d *stmt, u *unit) {
	f := t.Info() // t's Decl while it is changed, then interned again
	defer func() { t.Decl = l.declOf(t, &f) }()
	inf := l.infoOf(t)
	t.Amended = true
	if t.Parent != nil {
		t.Parent.Amended = true // not-supported removes t; the others change what t's parent holds
	}
	switch d.Arg() {
	case "not-supported":
		if len(d.SubStatements()) > 0 {
			l.errf(d, "deviate not-supported takes no substatements")
		}
		l.removeNode(t)
		return
	case "add", "replace", "delete":
	default:
		l.errf(d, "invalid deviate %q", d.Arg())
		return
	}
	op := d.Arg()
	var dflts []string
	for s := range d.subStmts() {
		switch s.Keyword() {
		case "units":
			switch op {
			case "add":
				if f.Units != "" {
					l.errf(s, "deviate add: %s already has units", t.Name)
				}
				f.Units = s.Arg()
			case "replace":
				if f.Units == "" {
					l.errf(s, "deviate replace: %s has no units to replace", t.Name)
				}
				f.Units = s.Arg()
			case "delete":
				if f.Units != s.Arg() {
					l.errf(s, "deviate delete: units %q not found", s.Arg())
				}
				f.Units = ""
			}
		case "must":
			switch op {
			case "add":
				t.SetMusts(append(t.Musts(), l.must(s, u, t.Module)))
			case "delete":
				found := false
				for i, mu := range t.Musts() {
					if mu.Expr == s.Arg() {
						t.SetMusts(append(t.Musts()[:i:i], t.Musts()[i+1:]...))
						found = true
						break
					}
				}
				if !found {
					l.errf(s, "deviate delete: must %q not found", s.Arg())
				}
			default:
				l.errf(s, "deviate %s: must cannot be replaced", op)
			}
		case "unique":
			if t.Kind != schema.KindList {
				l.errf(s, "deviate: unique on a %s", t.Kind)
				continue
			}
			switch op {
			case "add":
				m := l.mk(inf)
				m.unique = append(m.unique, uniqueInfo{s.Arg(), s.at()})
			case "delete":
				found := false
				for i, us := range l.uniques(inf) {
					if strings.Join(strings.Fields(us.arg), " ") == strings.Join(strings.Fields(s.Arg()), " ") {
						m := l.moreOf(inf)
						m.unique = append(m.unique[:i:i], m.unique[i+1:]...)
						found = true
						break
					}
				}
				if !found {
					l.errf(s, "deviate delete: unique %q not found", s.Arg())
				}
			default:
				l.errf(s, "deviate %s: unique cannot be replaced", op)
			}
		case "default":
			switch t.Kind {
			case schema.KindChoice:
				switch op {
				case "add":
					if l.dflt(inf) != "" {
						l.errf(s, "deviate add: %s already has a default", t.Name)
					}
					l.setDflt(inf, s)
				case "replace":
					l.setDflt(inf, s)
				case "delete":
					if l.dflt(inf) != s.Arg() {
						l.errf(s, "deviate delete: default %q not found", s.Arg())
					}
					if m := l.moreOf(inf); m != nil {
						m.dflt, m.dfltAt = "", at{}
					}
				}
			case schema.KindLeaf, schema.KindLeafList:
				switch op {
				case "add":
					if t.Kind == schema.KindLeaf && inf.hasDflt {
						l.errf(s, "deviate add: %s already has a default", t.Name)
					}
					dflts = append(dflts, s.Arg())
				case "replace":
					if !inf.hasDflt {
						l.errf(s, "deviate replace: %s has no default to replace", t.Name)
					}
					dflts = append(dflts, s.Arg())
				case "delete":
					found := false
					for i, v := range f.Default {
						if v == s.Arg() {
							f.Default = append(f.Default[:i:i], f.Default[i+1:]...)
							found = true
							break
						}
					}
					if !found || !inf.hasDflt {
						l.errf(s, "deviate delete: default %q not found", s.Arg())
					}
					if len(f.Default) == 0 {
						f.Default = nil
						inf.hasDflt = false
					}
				}
			default:
				l.errf(s, "deviate: default on a %s", t.Kind)
			}
		case "config":
			if op == "delete" {
				l.errf(s, "deviate delete: config cannot be deleted")
				continue
			}
			if op == "replace" && inf.config == 0 {
				l.errf(s, "deviate replace: %s has no config statement to replace", t.Name)
				continue
			}
			if op == "add" && inf.config != 0 {
				l.errf(s, "deviate add: %s already has a config statement", t.Name)
				continue
			}
			l.setConfig(t, s)
		case "mandatory":
			if op == "delete" {
				l.errf(s, "deviate delete: mandatory cannot be deleted")
				continue
			}
			l.setMandatory(t, s)
		case "min-elements", "max-elements":
			if op == "delete" {
				l.errf(s, "deviate delete: %s cannot be deleted", s.Keyword())
				continue
			}
			l.setMinMax(t, s)
		case "type":
			if op != "replace" {
				l.errf(s, "deviate %s: type can only be replaced", op)
				continue
			}
			if t.Kind != schema.KindLeaf && t.Kind != schema.KindLeafList {
				l.errf(s, "deviate: type on a %s", t.Kind)
				continue
			}
			if nt := l.resolveType(s, u, u.mod.top); nt != nil {
				setPathModule(nt, t.Module)
				t.Type = nt
			}
		default:
			if !strings.Contains(s.Keyword(), ":") {
				l.errf(s, "unexpected statement %s in deviate", s.Keyword())
			}
		}
	}
	if len(dflts) > 0 {
		if op == "add" && t.Kind == schema.KindLeafList {
			f.Default = append(f.Default, dflts...)
		} else {
			f.Default = dflts
		}
		inf.hasDflt = true
	}
}

// removeNode takes n out of its parent (deviate not-supported).
func (l *loader) removeNode(n *schema.Node) {
	l.disabled[n] = true
}
