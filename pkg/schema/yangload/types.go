package yangload

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ncws/ncws/pkg/schema"
)

// resolveType resolves a type statement written in unit u with lexical scope sc into a fresh
// Type the caller may modify (its Union members are fresh too). Nil after an error.
func (l *loader) resolveType(st *stmt, u *unit, sc *scope) *schema.Type {
	name := st.Arg()
	pfx, local := splitPrefix(name)
	var t *schema.Type
	var parent *schema.Type // the type restrictions apply to (nil for a built-in)
	if bk := schema.BaseKindOf(local); bk != 0 && pfx == "" {
		t = l.newType(schema.Type{Name: name, Base: bk, RequireInstance: true})
	} else {
		if u.moduleOf(pfx) == nil {
			l.errf(st, "type %s: unknown prefix %q", name, pfx)
			return nil
		}
		d := l.lookupDef(name, sc, u, false)
		if d == nil {
			l.errf(st, "type %s not found", name)
			return nil
		}
		parent = l.typedefType(d)
		if parent == nil {
			return nil
		}
		t = l.cloneType(parent)
		t.Name = name
		t.Typedef = local
		t.Module = d.u.mod.sm
	}
	if !l.opts.OmitOrigins {
		t.Loc = l.loc(st)
	}
	if !l.restrict(t, parent, st, u, sc) {
		return nil
	}
	if l.opts.OmitOrigins && !l.shareLeafrefs && hasLeafref(t) {
		// The load's errors about a leafref's path name its type statement; the schema does
		// not keep it (typeStmt).
		if l.typeStmts == nil {
			l.typeStmts = map[*schema.Type]at{}
		}
		l.typeStmts[t] = st.at()
	}
	return t
}

// typeErrf reports an error of a leafref of type t at t's statement: its Loc, or with
// Options.OmitOrigins the statement resolveType recorded for it (none while the build shares
// leafref types: the load is done again, finish).
func (l *loader) typeErrf(t *schema.Type, format string, args ...any) {
	l.leafrefErrs++
	if a, ok := l.typeStmts[t]; ok {
		l.errAt(a, format, args...)
		return
	}
	l.errLoc(t.Loc, format, args...)
}

// cloneType copies t and its union members; a copied member keeps the statement recorded for
// its original (typeStmts), as it kept its Loc.
func (l *loader) cloneType(t *schema.Type) *schema.Type {
	c := l.newType(*t)
	if t.Union != nil {
		c.Union = make([]*schema.Type, len(t.Union))
		for i, m := range t.Union {
			c.Union[i] = l.cloneType(m)
			if a, ok := l.typeStmts[m]; ok {
				l.typeStmts[c.Union[i]] = a
			}
		}
	}
	return c
}

// newType returns a Type holding v: a spare one (recycleType) if there is one, else a new one.
func (l *loader) newType(v schema.Type) *schema.Type {
	if n := len(l.spareTypes); n > 0 {
		t := l.spareTypes[n-1]
		l.spareTypes[n-1] = nil
		l.spareTypes = l.spareTypes[:n-1]
		*t = v
		return t
	}
	t := new(schema.Type) // not &v: v would be moved to the heap on every call
	*t = v
	return t
}

// recycleType keeps t and its union members for newType. The caller guarantees that nothing
// refers to them: t is a fresh type from resolveType (its members are its own) that the schema
// does not use (internType returned an equal one).
func (l *loader) recycleType(t *schema.Type) {
	for _, m := range t.Union {
		l.recycleType(m)
	}
	*t = schema.Type{}
	l.spareTypes = append(l.spareTypes, t)
}

// typedefType resolves a typedef (once) into its Type, with the typedef's default and units.
func (l *loader) typedefType(d *def) *schema.Type {
	switch {
	case d.state == 2:
		return d.t
	case d.released:
		// No type statement named it (detachTypedefs): the load is done again, keeping
		// every statement.
		l.restart = true
		return nil
	case d.state == 1:
		l.errf(d.st, "typedef %s refers to itself", d.st.Arg())
		return nil
	}
	ts := sub(d.st, "type")
	if ts == nil {
		l.errf(d.st, "typedef %s has no type", d.st.Arg())
		d.state = 2
		return nil
	}
	d.state = 1
	t := l.resolveType(ts, d.u, l.bodyScope(d.st, d.scope, d.u))
	d.state = 0
	if t != nil {
		if dv := sub(d.st, "default"); dv != nil {
			t.Default = dv.Arg()
		}
		if un := sub(d.st, "units"); un != nil {
			t.Units = un.Arg()
		}
		if dv := sub(d.st, "default"); dv != nil {
			if msg := checkDefault(t, dv.Arg()); msg != "" {
				l.errf(dv, "invalid default of typedef %s: %s", d.st.Arg(), msg)
			}
		}
	}
	d.t, d.state = t, 2
	if l.release {
		d.st = nil // not read again: the type is d.t
	}
	return t
}

// restrict applies the restrictions of type statement st to t (a copy of parent, or a fresh
// built-in type when parent is nil).
func (l *loader) restrict(t, parent *schema.Type, st *stmt, u *unit, sc *scope) bool {
	ok := true
	subs := st.SubStatements()
	// fraction-digits first: a decimal64 range depends on it.
	for s := range each(subs) {
		if s.Keyword() != "fraction-digits" {
			continue
		}
		if t.Base != schema.Decimal64 || parent != nil {
			l.errf(s, "fraction-digits is only allowed on the built-in decimal64 type")
			ok = false
			continue
		}
		n, err := strconv.Atoi(s.Arg())
		if err != nil || n < 1 || n > 18 {
			l.errf(s, "invalid fraction-digits %q", s.Arg())
			ok = false
			continue
		}
		t.FractionDigits = n
	}
	if t.Base == schema.Decimal64 && parent == nil && t.FractionDigits == 0 && ok {
		l.errf(st, "decimal64 type without fraction-digits")
		ok = false
	}
	var enums []schema.Enum
	var bitList []schema.Bit
	restrictedEnums, restrictedBits := false, false
	nextEnum, nextBit := int64(0), int64(0)
	haveEnum, haveBit := false, false
	var unionMembers []*schema.Type
	var bases []*schema.Identity
	for s := range each(subs) {
		switch s.Keyword() {
		case "fraction-digits", "description", "reference":
		case "range":
			if !t.Base.IsInteger() && t.Base != schema.Decimal64 {
				l.errf(s, "range is not allowed on type %s", t.Base)
				ok = false
				continue
			}
			ivs, err := parseIntervals(s.Arg(), t.Range, t.Base.BaseBounds(), t.Base, t.FractionDigits)
			if err != nil {
				l.errf(s, "bad range %q: %v", s.Arg(), err)
				ok = false
				continue
			}
			t.Range = ivs
			t.RangeError = restriction(s)
		case "length":
			if t.Base != schema.String && t.Base != schema.Binary {
				l.errf(s, "length is not allowed on type %s", t.Base)
				ok = false
				continue
			}
			ivs, err := parseIntervals(s.Arg(), t.Length, schema.Uint64.BaseBounds(), schema.Uint64, 0)
			if err != nil {
				l.errf(s, "bad length %q: %v", s.Arg(), err)
				ok = false
				continue
			}
			t.Length = ivs
			t.LengthError = restriction(s)
		case "pattern":
			if t.Base != schema.String {
				l.errf(s, "pattern is not allowed on type %s", t.Base)
				ok = false
				continue
			}
			p, err := schema.NewPattern(s.Arg())
			if err != nil {
				l.errf(s, "%v", err)
				ok = false
				continue
			}
			p.Restriction = restriction(s)
			if m := sub(s, "modifier"); m != nil {
				if m.Arg() != "invert-match" {
					l.errf(m, "invalid modifier %q", m.Arg())
					ok = false
				}
				p.Invert = true
			}
			t.Patterns = append(t.Patterns[:len(t.Patterns):len(t.Patterns)], p)
		case "enum":
			if t.Base != schema.Enumeration {
				l.errf(s, "enum is not allowed on type %s", t.Base)
				ok = false
				continue
			}
			on := l.ifFeatures(s, u)
			var val int64
			vs := sub(s, "value")
			if parent != nil {
				restrictedEnums = true
				pe, found := parent.EnumByName(s.Arg())
				if !found {
					l.errf(s, "enum %s is not in the base type", s.Arg())
					ok = false
					continue
				}
				val = int64(pe.Value)
				if vs != nil {
					v, err := strconv.ParseInt(vs.Arg(), 10, 32)
					if err != nil || v != val {
						l.errf(vs, "enum %s: value %s differs from the base type's %d", s.Arg(), vs.Arg(), val)
						ok = false
					}
				}
			} else {
				if vs != nil {
					v, err := strconv.ParseInt(strings.TrimSpace(vs.Arg()), 10, 32)
					if err != nil {
						l.errf(vs, "invalid enum value %q", vs.Arg())
						ok = false
						continue
					}
					val = v
				} else {
					if nextEnum > 2147483647 {
						l.errf(s, "enum %s: no value left to assign", s.Arg())
						ok = false
						continue
					}
					val = nextEnum
				}
				if !haveEnum || val+1 > nextEnum {
					nextEnum = val + 1
				}
				haveEnum = true
			}
			if s.Arg() == "" || strings.TrimSpace(s.Arg()) != s.Arg() {
				l.errf(s, "invalid enum name %q", s.Arg())
				ok = false
			}
			for _, e := range enums {
				if e.Name == s.Arg() {
					l.errf(s, "enum %s defined twice", s.Arg())
					ok = false
				} else if e.Value == int32(val) && parent == nil {
					l.errf(s, "enum %s: value %d already used by %s", s.Arg(), val, e.Name)
					ok = false
				}
			}
			if on {
				enums = append(enums, schema.Enum{Name: s.Arg(), Value: int32(val)})
			}
		case "bit":
			if t.Base != schema.Bits {
				l.errf(s, "bit is not allowed on type %s", t.Base)
				ok = false
				continue
			}
			on := l.ifFeatures(s, u)
			var pos int64
			ps := sub(s, "position")
			if parent != nil {
				restrictedBits = true
				pb, found := parent.BitByName(s.Arg())
				if !found {
					l.errf(s, "bit %s is not in the base type", s.Arg())
					ok = false
					continue
				}
				pos = int64(pb.Position)
			} else {
				if ps != nil {
					v, err := strconv.ParseUint(strings.TrimSpace(ps.Arg()), 10, 32)
					if err != nil {
						l.errf(ps, "invalid bit position %q", ps.Arg())
						ok = false
						continue
					}
					pos = int64(v)
				} else {
					if nextBit > 4294967295 {
						l.errf(s, "bit %s: no position left to assign", s.Arg())
						ok = false
						continue
					}
					pos = nextBit
				}
				if !haveBit || pos+1 > nextBit {
					nextBit = pos + 1
				}
				haveBit = true
			}
			for _, b := range bitList {
				if b.Name == s.Arg() {
					l.errf(s, "bit %s defined twice", s.Arg())
					ok = false
				} else if b.Position == uint32(pos) && parent == nil {
					l.errf(s, "bit %s: position %d already used by %s", s.Arg(), pos, b.Name)
					ok = false
				}
			}
			if on {
				bitList = append(bitList, schema.Bit{Name: s.Arg(), Position: uint32(pos)})
			}
		case "path":
			if t.Base != schema.Leafref || parent != nil {
				l.errf(s, "path is only allowed on the built-in leafref type")
				ok = false
				continue
			}
			t.Path = s.Arg()
			t.PathPrefixes = u.prefixes
		case "require-instance":
			if t.Base != schema.Leafref && t.Base != schema.InstanceIdentifier {
				l.errf(s, "require-instance is not allowed on type %s", t.Base)
				ok = false
				continue
			}
			switch s.Arg() {
			case "true":
				t.RequireInstance = true
			case "false":
				t.RequireInstance = false
			default:
				l.errf(s, "invalid require-instance %q", s.Arg())
				ok = false
			}
		case "base":
			if t.Base != schema.Identityref || parent != nil {
				l.errf(s, "base is only allowed on the built-in identityref type")
				ok = false
				continue
			}
			id := l.lookupIdentity(s.Arg(), u)
			if id == nil {
				l.errf(s, "identity %s not found", s.Arg())
				ok = false
				continue
			}
			if id.on {
				bases = append(bases, id.id)
			}
		case "type":
			if t.Base != schema.Union || parent != nil {
				l.errf(s, "type is only allowed inside the built-in union type")
				ok = false
				continue
			}
			m := l.resolveType(s, u, sc)
			if m == nil {
				ok = false
				continue
			}
			unionMembers = append(unionMembers, m)
		default:
			if !strings.Contains(s.Keyword(), ":") {
				l.errf(s, "unexpected statement %s in type", s.Keyword())
				ok = false
			}
		}
	}
	if !ok {
		return false
	}
	switch t.Base {
	case schema.Enumeration:
		if parent == nil && len(enums) == 0 && !haveEnum {
			l.errf(st, "enumeration type without enum statements")
			return false
		}
		if parent == nil || restrictedEnums {
			t.Enums = enums
		}
	case schema.Bits:
		if parent == nil && len(bitList) == 0 && !haveBit {
			l.errf(st, "bits type without bit statements")
			return false
		}
		if parent == nil || restrictedBits {
			t.Bits = bitList
		}
	case schema.Leafref:
		if parent == nil && t.Path == "" {
			l.errf(st, "leafref type without path")
			return false
		}
	case schema.Identityref:
		if parent == nil {
			if len(bases) == 0 && sub(st, "base") == nil {
				l.errf(st, "identityref type without base")
				return false
			}
			t.Bases = bases
		}
	case schema.Union:
		if parent == nil {
			if len(unionMembers) == 0 {
				l.errf(st, "union type without member types")
				return false
			}
			t.Union = unionMembers
		}
	}
	return true
}

func restriction(s *stmt) schema.Restriction {
	return schema.Restriction{ErrorMessage: subArg(s, "error-message"), ErrorAppTag: subArg(s, "error-app-tag")}
}

// parseIntervals parses a range or length argument. Each part must lie within the parent's
// intervals (or the base bounds when the parent has none): a derived type may only narrow.
func parseIntervals(arg string, parent []schema.Interval, bounds schema.Interval, kind schema.BaseKind, fd int) ([]schema.Interval, error) {
	eff := parent
	if eff == nil {
		eff = []schema.Interval{bounds}
	}
	var out []schema.Interval
	for _, part := range strings.Split(arg, "|") {
		part = strings.TrimSpace(part)
		lo, hi := part, part
		if i := strings.Index(part, ".."); i >= 0 {
			lo, hi = strings.TrimSpace(part[:i]), strings.TrimSpace(part[i+2:])
		}
		a, err := parseBound(lo, eff, bounds, kind, fd)
		if err != nil {
			return nil, err
		}
		b, err := parseBound(hi, eff, bounds, kind, fd)
		if err != nil {
			return nil, err
		}
		if b.Cmp(a) < 0 {
			return nil, fmt.Errorf("%s..%s: upper bound below lower bound", lo, hi)
		}
		if len(out) > 0 && a.Cmp(out[len(out)-1].Max) <= 0 {
			return nil, fmt.Errorf("parts not in ascending order")
		}
		iv := schema.Interval{Min: a, Max: b}
		inside := false
		for _, p := range eff {
			if p.Min.Cmp(a) <= 0 && b.Cmp(p.Max) <= 0 {
				inside = true
				break
			}
		}
		if !inside {
			return nil, fmt.Errorf("%s is not within the base type's range", part)
		}
		out = append(out, iv)
	}
	return out, nil
}

func parseBound(s string, eff []schema.Interval, bounds schema.Interval, kind schema.BaseKind, fd int) (schema.Number, error) {
	switch s {
	case "min":
		return eff[0].Min, nil
	case "max":
		return eff[len(eff)-1].Max, nil
	case "":
		return schema.Number{}, fmt.Errorf("empty bound")
	}
	n, err := parseNumber(s, kind, fd)
	if err != nil {
		return n, err
	}
	if !bounds.Contains(n) {
		return n, fmt.Errorf("%s is out of the bounds of %s", s, kind)
	}
	return n, nil
}

// parseNumber parses an integer, or for decimal64 a decimal scaled by 10^fd.
func parseNumber(s string, kind schema.BaseKind, fd int) (schema.Number, error) {
	var n schema.Number
	t := s
	if strings.HasPrefix(t, "-") {
		n.Neg = true
		t = t[1:]
	} else if strings.HasPrefix(t, "+") {
		t = t[1:]
	}
	if kind != schema.Decimal64 {
		v, err := strconv.ParseUint(t, 10, 64)
		if err != nil || t == "" || t[0] < '0' || t[0] > '9' {
			return n, fmt.Errorf("invalid number %q", s)
		}
		n.Abs = v
		if n.Abs == 0 {
			n.Neg = false
		}
		return n, nil
	}
	ip, frac := t, ""
	if i := strings.IndexByte(t, '.'); i >= 0 {
		ip, frac = t[:i], t[i+1:]
		if frac == "" {
			return n, fmt.Errorf("invalid decimal %q", s)
		}
	}
	if ip == "" || len(frac) > fd {
		return n, fmt.Errorf("invalid decimal %q for fraction-digits %d", s, fd)
	}
	for len(frac) < fd {
		frac += "0"
	}
	v, err := strconv.ParseUint(ip+frac, 10, 64)
	if err != nil || !isNum(ip[:1]) {
		return n, fmt.Errorf("invalid decimal %q", s)
	}
	n.Abs = v
	if n.Abs == 0 {
		n.Neg = false
	}
	return n, nil
}
