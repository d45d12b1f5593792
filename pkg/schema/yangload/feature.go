package yangload

import (
	"strings"

	"github.com/ncws/ncws/pkg/schema"
)

// checkFeatureOptions reports Options.Features entries naming unknown modules.
func (l *loader) checkFeatureOptions() {
	for name := range l.opts.Features {
		found := false
		for _, m := range l.modules {
			if m.name == name {
				found = true
			}
		}
		if !found {
			l.errs = append(l.errs, &Error{Msg: "features given for module " + name + ", which is not loaded"})
		}
	}
}

func (l *loader) collectFeatures(m *module) {
	m.features = map[string]*feature{}
	list, inMap := l.opts.Features[m.name]
	want := map[string]bool{}
	all := !inMap && m.src.explicit
	for _, f := range list {
		if f == "*" {
			all = true
		}
		want[f] = true
	}
	for _, u := range m.units {
		for s := range u.src.stmt.subStmts() {
			if s.Keyword() != "feature" {
				continue
			}
			if _, dup := m.features[s.Arg()]; dup {
				l.errf(s, "feature %s defined twice", s.Arg())
				continue
			}
			f := &schema.Feature{Name: s.Arg(), Module: m.sm, Description: subArg(s, "description"),
				Enabled: all || want[s.Arg()]}
			m.features[s.Arg()] = &feature{st: s, u: u, f: f}
			m.sm.Features = append(m.sm.Features, f)
		}
	}
	for f := range want {
		if f != "*" && m.features[f] == nil {
			l.errs = append(l.errs, &Error{File: m.src.file, Msg: "feature " + f + " not defined in module " + m.name})
		}
	}
}

// featureEnabled evaluates a feature's own if-feature statements (once).
func (l *loader) featureEnabled(f *feature) bool {
	if f == nil {
		return false
	}
	switch f.state {
	case 1:
		l.errf(f.st, "feature %s depends on itself", f.f.Name)
		f.state = 2
		f.f.Enabled = false
		return false
	case 2:
		return f.f.Enabled
	}
	f.state = 1
	if f.f.Enabled {
		f.f.Enabled = l.ifFeatures(f.st, f.u)
	}
	f.state = 2
	return f.f.Enabled
}

// ifFeatures evaluates every if-feature substatement of st (written in unit u).
func (l *loader) ifFeatures(st *stmt, u *unit) bool {
	ok := true
	for s := range st.subStmts() {
		if s.Keyword() == "if-feature" {
			if !l.evalIfFeature(s, u) {
				ok = false
			}
		}
	}
	return ok
}

// evalIfFeature evaluates an if-feature expression (RFC 7950 section 7.20.2):
// expr = term *("or" term); term = factor *("and" factor); factor = "not" factor / "(" expr ")" / name.
func (l *loader) evalIfFeature(st *stmt, u *unit) bool {
	toks := tokenizeIfFeature(st.Arg())
	p := &ifParser{l: l, st: st, u: u, toks: toks}
	v := p.expr()
	if p.err == "" && p.pos < len(p.toks) {
		p.err = "unexpected " + p.toks[p.pos]
	}
	if p.err != "" {
		l.errf(st, "if-feature %q: %s", st.Arg(), p.err)
		return false
	}
	return v
}

func tokenizeIfFeature(s string) []string {
	var toks []string
	cur := strings.Builder{}
	flush := func() {
		if cur.Len() > 0 {
			toks = append(toks, cur.String())
			cur.Reset()
		}
	}
	for _, r := range s {
		switch r {
		case '(', ')':
			flush()
			toks = append(toks, string(r))
		case ' ', '\t', '\n', '\r':
			flush()
		default:
			cur.WriteRune(r)
		}
	}
	flush()
	return toks
}

type ifParser struct {
	l     *loader
	st    *stmt
	u     *unit
	toks  []string
	pos   int
	err   string
	depth int
}

func (p *ifParser) peek() string {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	return ""
}

func (p *ifParser) expr() bool {
	v := p.term()
	for p.err == "" && p.peek() == "or" {
		p.pos++
		w := p.term()
		v = v || w
	}
	return v
}

func (p *ifParser) term() bool {
	v := p.factor()
	for p.err == "" && p.peek() == "and" {
		p.pos++
		w := p.factor()
		v = v && w
	}
	return v
}

func (p *ifParser) factor() bool {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > 100 {
		p.err = "nested too deeply"
		return false
	}
	t := p.peek()
	switch t {
	case "":
		p.err = "unexpected end"
		return false
	case "not":
		p.pos++
		return !p.factor()
	case "(":
		p.pos++
		v := p.expr()
		if p.err == "" && p.peek() != ")" {
			p.err = "missing )"
		}
		p.pos++
		return v
	case ")", "and", "or":
		p.err = "unexpected " + t
		return false
	}
	p.pos++
	pfx, name := splitPrefix(t)
	m := p.u.moduleOf(pfx)
	if m == nil {
		p.err = "unknown prefix " + pfx
		return false
	}
	f := m.features[name]
	if f == nil {
		p.err = "unknown feature " + t
		return false
	}
	return p.l.featureEnabled(f)
}

// collectIdentities creates the module's identities (bases resolved later).
func (l *loader) collectIdentities(m *module) {
	m.idents = map[string]*identity{}
	for _, u := range m.units {
		for s := range u.src.stmt.subStmts() {
			if s.Keyword() != "identity" {
				continue
			}
			if _, dup := m.idents[s.Arg()]; dup {
				l.errf(s, "identity %s defined twice", s.Arg())
				continue
			}
			id := &schema.Identity{Name: s.Arg(), Module: m.sm, Description: subArg(s, "description")}
			m.idents[s.Arg()] = &identity{st: s, u: u, id: id, on: l.ifFeatures(s, u)}
			m.sm.Identities = append(m.sm.Identities, id)
		}
	}
}

// lookupIdentity finds an identity by (possibly prefixed) name as seen from unit u.
func (l *loader) lookupIdentity(name string, u *unit) *identity {
	pfx, local := splitPrefix(name)
	m := u.moduleOf(pfx)
	if m == nil || m.idents == nil {
		return nil
	}
	return m.idents[local]
}

func (l *loader) resolveIdentity(id *identity) {
	if id == nil || id.res == 2 {
		return
	}
	if id.res == 1 {
		l.errf(id.st, "identity %s is derived from itself", id.id.Name)
		id.on = false
		return
	}
	id.res = 1
	for s := range id.st.subStmts() {
		if s.Keyword() != "base" {
			continue
		}
		b := l.lookupIdentity(s.Arg(), id.u)
		if b == nil {
			l.errf(s, "base identity %s not found", s.Arg())
			continue
		}
		l.resolveIdentity(b)
		if b.res == 1 || b == id {
			l.errf(s, "identity %s is derived from itself", id.id.Name)
			id.on = false
			continue
		}
		if !b.on {
			// A base disabled by if-feature disables the derived identity (RFC 7950 7.18.2).
			id.on = false
			continue
		}
		id.id.Bases = append(id.id.Bases, b.id)
	}
	id.res = 2
}

// pruneIdentities drops identities disabled by if-feature.
func (l *loader) pruneIdentities(m *module) {
	out := m.sm.Identities[:0]
	for _, id := range m.sm.Identities {
		if m.idents[id.Name].on {
			out = append(out, id)
		}
	}
	m.sm.Identities = out
}
