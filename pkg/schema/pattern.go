package schema

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// CompilePattern translates an XML Schema regular expression (XML Schema part 2, Appendix F: the
// dialect of YANG's pattern statement and re-match(), RFC 7950 section 9.4.5) into Go's RE2
// syntax and compiles it anchored at both ends, as XSD expressions always match the whole value.
//
// The translation covers the XSD constructs RE2 lacks or spells differently: '^' and '$' are
// ordinary characters; the multi-character escapes \s \S \i \I \c \C \d \D \w \W have their XSD
// (XML name and Unicode category) meaning; \p{IsBlock} names a Unicode block; character class
// subtraction ([a-z-[aeiou]]) is computed into a plain set. Anything that is not a valid XSD
// expression (an unknown escape or block, an unbalanced bracket, a bad quantifier) is an error.
func CompilePattern(xsd string) (*regexp.Regexp, error) {
	expr, err := translatePattern(xsd)
	if err != nil {
		return nil, err
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, fmt.Errorf("pattern %q: %v", xsd, err)
	}
	return re, nil
}

// CheckPattern reports the error CompilePattern would give for xsd, without keeping a compiled
// expression: it translates xsd and parses the result as regexp.Compile does (Compile's errors
// are all the parser's).
func CheckPattern(xsd string) error {
	expr, err := translatePattern(xsd)
	if err != nil {
		return err
	}
	if _, err := syntax.Parse(expr, syntax.Perl); err != nil {
		return fmt.Errorf("pattern %q: %v", xsd, err)
	}
	return nil
}

// translatePattern translates xsd into Go's syntax, anchored at both ends (CompilePattern).
func translatePattern(xsd string) (string, error) {
	p := &xsdParser{src: xsd}
	var b strings.Builder
	b.WriteString(`^(?:`)
	if err := p.regExp(&b); err != nil {
		return "", fmt.Errorf("pattern %q: %v", xsd, err)
	}
	if p.pos < len(p.src) {
		return "", fmt.Errorf("pattern %q: unexpected %q at offset %d", xsd, p.src[p.pos], p.pos)
	}
	b.WriteString(`)$`)
	return b.String(), nil
}

// NewPattern returns the Pattern of XSD expression xsd, or CheckPattern's error: its regular
// expression is compiled on its first use (Regexp), once for all the patterns with the same
// expression, so that a schema holds no compiled form of the patterns its values never meet
// (SR OS 26.3 nokia-conf: 129 distinct patterns, 1.6 MB compiled).
func NewPattern(xsd string) (*Pattern, error) {
	c := compiledOf(xsd)
	c.checkOnce.Do(func() { c.checkErr = CheckPattern(xsd) })
	if c.checkErr != nil {
		return nil, c.checkErr
	}
	return &Pattern{Expr: xsd, compiled: c}, nil
}

// Regexp returns Expr converted to Go's syntax, anchored at both ends, and compiled (on the first
// call for any pattern with this expression; safe for concurrent use). Nil if Expr is not a
// valid pattern, which NewPattern and the schema loaders refuse.
func (p *Pattern) Regexp() *regexp.Regexp {
	c := p.compiled
	if c == nil {
		c = compiledOf(p.Expr) // a Pattern built without NewPattern
	}
	c.once.Do(func() { c.re, _ = CompilePattern(c.expr) })
	return c.re
}

// compiledPattern is the compiled form of one pattern expression, shared by every Pattern with
// that expression (compiledPatterns): the result of its check and, once a value met it, its
// regular expression.
type compiledPattern struct {
	expr      string
	checkOnce sync.Once
	checkErr  error
	once      sync.Once
	re        *regexp.Regexp
}

// compiledPatterns holds the compiledPattern of every expression a pattern was made of, for the
// life of the process: the loads of one set of modules (a server's schema, tests) share them.
var compiledPatterns sync.Map // string -> *compiledPattern

func compiledOf(expr string) *compiledPattern {
	if v, ok := compiledPatterns.Load(expr); ok {
		return v.(*compiledPattern)
	}
	v, _ := compiledPatterns.LoadOrStore(expr, &compiledPattern{expr: expr})
	return v.(*compiledPattern)
}

type xsdParser struct {
	src   string
	pos   int
	depth int
}

func (p *xsdParser) peek() (rune, bool) {
	if p.pos >= len(p.src) {
		return 0, false
	}
	r, _ := utf8.DecodeRuneInString(p.src[p.pos:])
	return r, true
}

func (p *xsdParser) next() rune {
	r, n := utf8.DecodeRuneInString(p.src[p.pos:])
	p.pos += n
	return r
}

// regExp ::= branch ( '|' branch )*
func (p *xsdParser) regExp(b *strings.Builder) error {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > 200 {
		return fmt.Errorf("groups nested too deeply")
	}
	for {
		if err := p.branch(b); err != nil {
			return err
		}
		r, ok := p.peek()
		if !ok || r != '|' {
			return nil
		}
		p.next()
		b.WriteByte('|')
	}
}

// branch ::= piece*
func (p *xsdParser) branch(b *strings.Builder) error {
	for {
		r, ok := p.peek()
		if !ok || r == '|' || r == ')' {
			return nil
		}
		if err := p.piece(b); err != nil {
			return err
		}
	}
}

// piece ::= atom quantifier?
func (p *xsdParser) piece(b *strings.Builder) error {
	start := p.pos
	r := p.next()
	switch r {
	case '(':
		b.WriteString("(?:")
		if err := p.regExp(b); err != nil {
			return err
		}
		if c, ok := p.peek(); !ok || c != ')' {
			return fmt.Errorf("missing ')' for the group at offset %d", start)
		}
		p.next()
		b.WriteByte(')')
	case '[':
		set, err := p.charClassExpr()
		if err != nil {
			return err
		}
		b.WriteString(set.String())
	case '.':
		b.WriteString(`[^\n\r]`)
	case '\\':
		set, lit, err := p.escape()
		if err != nil {
			return err
		}
		if set != nil {
			b.WriteString(set.String())
		} else {
			writeLiteral(b, lit)
		}
	case '?', '*', '+':
		return fmt.Errorf("quantifier %q at offset %d follows nothing", r, start)
	case '{':
		return fmt.Errorf("quantifier '{' at offset %d follows nothing", start)
	case ']', '}':
		return fmt.Errorf("unescaped %q at offset %d", r, start)
	case ')':
		return fmt.Errorf("unbalanced ')' at offset %d", start)
	default:
		if r == utf8.RuneError {
			return fmt.Errorf("invalid UTF-8 at offset %d", start)
		}
		writeLiteral(b, r)
	}
	return p.quantifier(b)
}

// quantifier ::= [?*+] | '{' quantity '}'
func (p *xsdParser) quantifier(b *strings.Builder) error {
	r, ok := p.peek()
	if !ok {
		return nil
	}
	switch r {
	case '?', '*', '+':
		p.next()
		b.WriteRune(r)
	case '{':
		start := p.pos
		end := strings.IndexByte(p.src[p.pos:], '}')
		if end < 0 {
			return fmt.Errorf("unterminated quantifier at offset %d", start)
		}
		q := p.src[p.pos+1 : p.pos+end]
		lo, hi, hasComma := q, "", false
		if i := strings.IndexByte(q, ','); i >= 0 {
			lo, hi, hasComma = q[:i], q[i+1:], true
		}
		n, err := strconv.ParseUint(lo, 10, 32)
		if err != nil || !isDigits(lo) {
			return fmt.Errorf("bad quantifier {%s} at offset %d", q, start)
		}
		if hi != "" {
			m, err := strconv.ParseUint(hi, 10, 32)
			if err != nil || !isDigits(hi) {
				return fmt.Errorf("bad quantifier {%s} at offset %d", q, start)
			}
			if m < n {
				return fmt.Errorf("quantifier {%s} at offset %d: maximum below minimum", q, start)
			}
		}
		p.pos += end + 1
		b.WriteByte('{')
		b.WriteString(lo)
		if hasComma {
			b.WriteByte(',')
			b.WriteString(hi)
		}
		b.WriteByte('}')
	default:
		return nil
	}
	if r, ok := p.peek(); ok && (r == '?' || r == '*' || r == '+' || r == '{') {
		return fmt.Errorf("quantifier %q at offset %d follows a quantifier", r, p.pos)
	}
	return nil
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// escape parses what follows a backslash: a single-character escape (returned as lit) or a
// multi-character, category or block escape (returned as set).
func (p *xsdParser) escape() (set runeSet, lit rune, err error) {
	start := p.pos - 1
	r, ok := p.peek()
	if !ok {
		return nil, 0, fmt.Errorf("trailing backslash")
	}
	p.next()
	switch r {
	case 'n':
		return nil, '\n', nil
	case 'r':
		return nil, '\r', nil
	case 't':
		return nil, '\t', nil
	case '\\', '|', '.', '?', '*', '+', '(', ')', '{', '}', '-', '[', ']', '^':
		return nil, r, nil
	case 's', 'S', 'i', 'I', 'c', 'C', 'd', 'D', 'w', 'W':
		s := multiCharEscape(unicode.ToLower(r))
		if unicode.IsUpper(r) {
			s = s.negate()
		}
		return s, 0, nil
	case 'p', 'P':
		if c, ok := p.peek(); !ok || c != '{' {
			return nil, 0, fmt.Errorf("\\%c at offset %d without {name}", r, start)
		}
		end := strings.IndexByte(p.src[p.pos:], '}')
		if end < 0 {
			return nil, 0, fmt.Errorf("unterminated \\%c{ at offset %d", r, start)
		}
		name := p.src[p.pos+1 : p.pos+end]
		p.pos += end + 1
		s, err := propertySet(name)
		if err != nil {
			return nil, 0, err
		}
		if r == 'P' {
			s = s.negate()
		}
		return s, 0, nil
	}
	return nil, 0, fmt.Errorf("unknown escape \\%c at offset %d", r, start)
}

// charClassExpr parses a bracketed character group after its '['; it returns the set and
// consumes the closing ']'.
func (p *xsdParser) charClassExpr() (runeSet, error) {
	start := p.pos - 1
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > 200 {
		return nil, fmt.Errorf("classes nested too deeply")
	}
	neg := false
	if r, ok := p.peek(); ok && r == '^' {
		p.next()
		neg = true
	}
	var set runeSet
	first := true
	for {
		r, ok := p.peek()
		if !ok {
			return nil, fmt.Errorf("missing ']' for the class at offset %d", start)
		}
		if r == ']' {
			if first {
				return nil, fmt.Errorf("empty character class at offset %d", start)
			}
			p.next()
			break
		}
		if r == '-' && !first {
			// Either subtraction "-[", a final '-' before ']', or an error.
			p.next()
			c, ok := p.peek()
			if ok && c == '[' {
				p.next()
				sub, err := p.charClassExpr()
				if err != nil {
					return nil, err
				}
				if c, ok := p.peek(); !ok || c != ']' {
					return nil, fmt.Errorf("subtraction must end the class at offset %d", start)
				}
				p.next()
				if neg {
					set = set.negate()
				}
				return set.subtract(sub), nil
			}
			if ok && c == ']' {
				set = set.union(runeSet{{'-', '-'}})
				continue
			}
			return nil, fmt.Errorf("'-' inside the class at offset %d must be escaped", start)
		}
		first = false
		// A single character or escape, possibly the start of a range.
		var lo rune
		if r == '\\' {
			p.next()
			s, lit, err := p.escape()
			if err != nil {
				return nil, err
			}
			if s != nil {
				set = set.union(s)
				continue
			}
			lo = lit
		} else if r == '[' {
			return nil, fmt.Errorf("unescaped '[' inside the class at offset %d", start)
		} else {
			lo = p.next()
			if lo == utf8.RuneError {
				return nil, fmt.Errorf("invalid UTF-8 in the class at offset %d", start)
			}
		}
		// Range?
		if c, ok := p.peek(); ok && c == '-' && p.pos+1 < len(p.src) && p.src[p.pos+1] != '[' && p.src[p.pos+1] != ']' {
			p.next()
			var hi rune
			c2 := p.next()
			switch c2 {
			case '\\':
				s, lit, err := p.escape()
				if err != nil {
					return nil, err
				}
				if s != nil {
					return nil, fmt.Errorf("a multi-character escape cannot end a range at offset %d", start)
				}
				hi = lit
			case '[':
				return nil, fmt.Errorf("unescaped '[' inside the class at offset %d", start)
			default:
				hi = c2
			}
			if hi < lo {
				return nil, fmt.Errorf("range %q-%q out of order in the class at offset %d", lo, hi, start)
			}
			set = set.union(runeSet{{lo, hi}})
			continue
		}
		set = set.union(runeSet{{lo, lo}})
	}
	if neg {
		set = set.negate()
	}
	return set, nil
}

func writeLiteral(b *strings.Builder, r rune) {
	if r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == ' ' || r == '_') {
		b.WriteRune(r)
		return
	}
	fmt.Fprintf(b, `\x{%x}`, r)
}

// runeSet is a sorted list of disjoint, non-adjacent closed rune ranges.
type runeSet []rng

type rng struct{ lo, hi rune }

const maxRune = unicode.MaxRune

// String renders the set as an RE2 bracket expression.
func (s runeSet) String() string {
	if len(s) == 0 {
		return `[^\x00-\x{10ffff}]`
	}
	if len(s) == 1 && s[0].lo == s[0].hi {
		var b strings.Builder
		writeLiteral(&b, s[0].lo)
		return b.String()
	}
	var b strings.Builder
	b.WriteByte('[')
	for _, r := range s {
		writeLiteral(&b, r.lo)
		if r.hi != r.lo {
			if r.hi > r.lo+1 {
				b.WriteByte('-')
			}
			writeLiteral(&b, r.hi)
		}
	}
	b.WriteByte(']')
	return b.String()
}

func normalize(rs []rng) runeSet {
	if len(rs) == 0 {
		return runeSet{}
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i].lo < rs[j].lo })
	out := runeSet{rs[0]}
	for _, r := range rs[1:] {
		last := &out[len(out)-1]
		if r.lo <= last.hi+1 {
			if r.hi > last.hi {
				last.hi = r.hi
			}
			continue
		}
		out = append(out, r)
	}
	return out
}

func (s runeSet) union(t runeSet) runeSet {
	rs := make([]rng, 0, len(s)+len(t))
	rs = append(rs, s...)
	rs = append(rs, t...)
	return normalize(rs)
}

func (s runeSet) negate() runeSet {
	out := runeSet{}
	next := rune(0)
	for _, r := range s {
		if r.lo > next {
			out = append(out, rng{next, r.lo - 1})
		}
		next = r.hi + 1
	}
	if next <= maxRune {
		out = append(out, rng{next, maxRune})
	}
	return out
}

func (s runeSet) subtract(t runeSet) runeSet {
	return s.intersect(t.negate())
}

func (s runeSet) intersect(t runeSet) runeSet {
	out := runeSet{}
	i, j := 0, 0
	for i < len(s) && j < len(t) {
		lo := max(s[i].lo, t[j].lo)
		hi := min(s[i].hi, t[j].hi)
		if lo <= hi {
			out = append(out, rng{lo, hi})
		}
		if s[i].hi < t[j].hi {
			i++
		} else {
			j++
		}
	}
	return out
}

func tableSet(tabs ...*unicode.RangeTable) runeSet {
	var rs []rng
	for _, t := range tabs {
		for _, r := range t.R16 {
			if r.Stride == 1 {
				rs = append(rs, rng{rune(r.Lo), rune(r.Hi)})
				continue
			}
			for c := rune(r.Lo); c <= rune(r.Hi); c += rune(r.Stride) {
				rs = append(rs, rng{c, c})
			}
		}
		for _, r := range t.R32 {
			if r.Stride == 1 {
				rs = append(rs, rng{rune(r.Lo), rune(r.Hi)})
				continue
			}
			for c := rune(r.Lo); c <= rune(r.Hi); c += rune(r.Stride) {
				rs = append(rs, rng{c, c})
			}
		}
	}
	return normalize(rs)
}

var (
	escOnce sync.Once
	escSets map[rune]runeSet
	catMu   sync.Mutex
	catSets = map[string]runeSet{}
)

// multiCharEscape returns the set of \s, \i, \c, \d or \w (lower case letter).
func multiCharEscape(r rune) runeSet {
	escOnce.Do(func() {
		nameStart := runeSet{{':', ':'}, {'A', 'Z'}, {'_', '_'}, {'a', 'z'}, {0xC0, 0xD6}, {0xD8, 0xF6},
			{0xF8, 0x2FF}, {0x370, 0x37D}, {0x37F, 0x1FFF}, {0x200C, 0x200D}, {0x2070, 0x218F},
			{0x2C00, 0x2FEF}, {0x3001, 0xD7FF}, {0xF900, 0xFDCF}, {0xFDF0, 0xFFFD}, {0x10000, 0xEFFFF}}
		nameChar := nameStart.union(runeSet{{'-', '.'}, {'0', '9'}, {0xB7, 0xB7}, {0x300, 0x36F},
			{0x203F, 0x2040}})
		pzc, _ := propertySet("P")
		z, _ := propertySet("Z")
		c, _ := propertySet("C")
		escSets = map[rune]runeSet{
			's': {{'\t', '\n'}, {'\r', '\r'}, {' ', ' '}},
			'i': nameStart,
			'c': nameChar,
			'd': tableSet(unicode.Nd),
			// \w is every character except punctuation, separators and "other" (XSD F.4).
			'w': pzc.union(z).union(c).negate(),
		}
	})
	return escSets[r]
}

var categoryTables = map[string][]*unicode.RangeTable{
	"L": {unicode.L}, "Lu": {unicode.Lu}, "Ll": {unicode.Ll}, "Lt": {unicode.Lt}, "Lm": {unicode.Lm},
	"Lo": {unicode.Lo}, "M": {unicode.M}, "Mn": {unicode.Mn}, "Mc": {unicode.Mc}, "Me": {unicode.Me},
	"N": {unicode.N}, "Nd": {unicode.Nd}, "Nl": {unicode.Nl}, "No": {unicode.No}, "P": {unicode.P},
	"Pc": {unicode.Pc}, "Pd": {unicode.Pd}, "Ps": {unicode.Ps}, "Pe": {unicode.Pe}, "Pi": {unicode.Pi},
	"Pf": {unicode.Pf}, "Po": {unicode.Po}, "Z": {unicode.Z}, "Zs": {unicode.Zs}, "Zl": {unicode.Zl},
	"Zp": {unicode.Zp}, "S": {unicode.S}, "Sm": {unicode.Sm}, "Sc": {unicode.Sc}, "Sk": {unicode.Sk},
	"So": {unicode.So}, "Cc": {unicode.Cc}, "Cf": {unicode.Cf}, "Co": {unicode.Co},
}

// propertySet returns the set named in \p{name}: a general category (L, Lu, Nd ...) or a block
// (IsBasicLatin ...).
func propertySet(name string) (runeSet, error) {
	catMu.Lock()
	defer catMu.Unlock()
	if s, ok := catSets[name]; ok {
		return s, nil
	}
	var s runeSet
	switch {
	case categoryTables[name] != nil:
		s = tableSet(categoryTables[name]...)
	case name == "Cn":
		s = tableSet(unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Z, unicode.Cc,
			unicode.Cf, unicode.Co, unicode.Cs).negate()
	case name == "C":
		// Other: control, format, private use and unassigned.
		assigned := tableSet(unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Z)
		s = assigned.negate()
	case strings.HasPrefix(name, "Is"):
		rs, ok := unicodeBlocks[name[2:]]
		if !ok {
			return nil, fmt.Errorf("unknown Unicode block \\p{%s}", name)
		}
		s = normalize(append([]rng(nil), rs...))
	default:
		return nil, fmt.Errorf("unknown character property \\p{%s}", name)
	}
	catSets[name] = s
	return s, nil
}

// unicodeBlocks are the block names XSD 1.0 refers to (Unicode 3.1, spaces removed), with the
// later names of renamed blocks.
var unicodeBlocks = map[string][]rng{
	"BasicLatin":                           {{0x0000, 0x007F}},
	"Latin-1Supplement":                    {{0x0080, 0x00FF}},
	"LatinExtended-A":                      {{0x0100, 0x017F}},
	"LatinExtended-B":                      {{0x0180, 0x024F}},
	"IPAExtensions":                        {{0x0250, 0x02AF}},
	"SpacingModifierLetters":               {{0x02B0, 0x02FF}},
	"CombiningDiacriticalMarks":            {{0x0300, 0x036F}},
	"Greek":                                {{0x0370, 0x03FF}},
	"GreekandCoptic":                       {{0x0370, 0x03FF}},
	"Cyrillic":                             {{0x0400, 0x04FF}},
	"CyrillicSupplement":                   {{0x0500, 0x052F}},
	"Armenian":                             {{0x0530, 0x058F}},
	"Hebrew":                               {{0x0590, 0x05FF}},
	"Arabic":                               {{0x0600, 0x06FF}},
	"Syriac":                               {{0x0700, 0x074F}},
	"Thaana":                               {{0x0780, 0x07BF}},
	"Devanagari":                           {{0x0900, 0x097F}},
	"Bengali":                              {{0x0980, 0x09FF}},
	"Gurmukhi":                             {{0x0A00, 0x0A7F}},
	"Gujarati":                             {{0x0A80, 0x0AFF}},
	"Oriya":                                {{0x0B00, 0x0B7F}},
	"Tamil":                                {{0x0B80, 0x0BFF}},
	"Telugu":                               {{0x0C00, 0x0C7F}},
	"Kannada":                              {{0x0C80, 0x0CFF}},
	"Malayalam":                            {{0x0D00, 0x0D7F}},
	"Sinhala":                              {{0x0D80, 0x0DFF}},
	"Thai":                                 {{0x0E00, 0x0E7F}},
	"Lao":                                  {{0x0E80, 0x0EFF}},
	"Tibetan":                              {{0x0F00, 0x0FFF}},
	"Myanmar":                              {{0x1000, 0x109F}},
	"Georgian":                             {{0x10A0, 0x10FF}},
	"HangulJamo":                           {{0x1100, 0x11FF}},
	"Ethiopic":                             {{0x1200, 0x137F}},
	"Cherokee":                             {{0x13A0, 0x13FF}},
	"UnifiedCanadianAboriginalSyllabics":   {{0x1400, 0x167F}},
	"Ogham":                                {{0x1680, 0x169F}},
	"Runic":                                {{0x16A0, 0x16FF}},
	"Tagalog":                              {{0x1700, 0x171F}},
	"Hanunoo":                              {{0x1720, 0x173F}},
	"Buhid":                                {{0x1740, 0x175F}},
	"Tagbanwa":                             {{0x1760, 0x177F}},
	"Khmer":                                {{0x1780, 0x17FF}},
	"Mongolian":                            {{0x1800, 0x18AF}},
	"Limbu":                                {{0x1900, 0x194F}},
	"TaiLe":                                {{0x1950, 0x197F}},
	"KhmerSymbols":                         {{0x19E0, 0x19FF}},
	"PhoneticExtensions":                   {{0x1D00, 0x1D7F}},
	"LatinExtendedAdditional":              {{0x1E00, 0x1EFF}},
	"GreekExtended":                        {{0x1F00, 0x1FFF}},
	"GeneralPunctuation":                   {{0x2000, 0x206F}},
	"SuperscriptsandSubscripts":            {{0x2070, 0x209F}},
	"CurrencySymbols":                      {{0x20A0, 0x20CF}},
	"CombiningMarksforSymbols":             {{0x20D0, 0x20FF}},
	"CombiningDiacriticalMarksforSymbols":  {{0x20D0, 0x20FF}},
	"LetterlikeSymbols":                    {{0x2100, 0x214F}},
	"NumberForms":                          {{0x2150, 0x218F}},
	"Arrows":                               {{0x2190, 0x21FF}},
	"MathematicalOperators":                {{0x2200, 0x22FF}},
	"MiscellaneousTechnical":               {{0x2300, 0x23FF}},
	"ControlPictures":                      {{0x2400, 0x243F}},
	"OpticalCharacterRecognition":          {{0x2440, 0x245F}},
	"EnclosedAlphanumerics":                {{0x2460, 0x24FF}},
	"BoxDrawing":                           {{0x2500, 0x257F}},
	"BlockElements":                        {{0x2580, 0x259F}},
	"GeometricShapes":                      {{0x25A0, 0x25FF}},
	"MiscellaneousSymbols":                 {{0x2600, 0x26FF}},
	"Dingbats":                             {{0x2700, 0x27BF}},
	"MiscellaneousMathematicalSymbols-A":   {{0x27C0, 0x27EF}},
	"SupplementalArrows-A":                 {{0x27F0, 0x27FF}},
	"BraillePatterns":                      {{0x2800, 0x28FF}},
	"SupplementalArrows-B":                 {{0x2900, 0x297F}},
	"MiscellaneousMathematicalSymbols-B":   {{0x2980, 0x29FF}},
	"SupplementalMathematicalOperators":    {{0x2A00, 0x2AFF}},
	"MiscellaneousSymbolsandArrows":        {{0x2B00, 0x2BFF}},
	"CJKRadicalsSupplement":                {{0x2E80, 0x2EFF}},
	"KangxiRadicals":                       {{0x2F00, 0x2FDF}},
	"IdeographicDescriptionCharacters":     {{0x2FF0, 0x2FFF}},
	"CJKSymbolsandPunctuation":             {{0x3000, 0x303F}},
	"Hiragana":                             {{0x3040, 0x309F}},
	"Katakana":                             {{0x30A0, 0x30FF}},
	"Bopomofo":                             {{0x3100, 0x312F}},
	"HangulCompatibilityJamo":              {{0x3130, 0x318F}},
	"Kanbun":                               {{0x3190, 0x319F}},
	"BopomofoExtended":                     {{0x31A0, 0x31BF}},
	"KatakanaPhoneticExtensions":           {{0x31F0, 0x31FF}},
	"EnclosedCJKLettersandMonths":          {{0x3200, 0x32FF}},
	"CJKCompatibility":                     {{0x3300, 0x33FF}},
	"CJKUnifiedIdeographsExtensionA":       {{0x3400, 0x4DBF}},
	"YijingHexagramSymbols":                {{0x4DC0, 0x4DFF}},
	"CJKUnifiedIdeographs":                 {{0x4E00, 0x9FFF}},
	"YiSyllables":                          {{0xA000, 0xA48F}},
	"YiRadicals":                           {{0xA490, 0xA4CF}},
	"HangulSyllables":                      {{0xAC00, 0xD7AF}},
	"HighSurrogates":                       {{0xD800, 0xDB7F}},
	"HighPrivateUseSurrogates":             {{0xDB80, 0xDBFF}},
	"LowSurrogates":                        {{0xDC00, 0xDFFF}},
	"PrivateUse":                           {{0xE000, 0xF8FF}, {0xF0000, 0xFFFFD}, {0x100000, 0x10FFFD}},
	"PrivateUseArea":                       {{0xE000, 0xF8FF}},
	"CJKCompatibilityIdeographs":           {{0xF900, 0xFAFF}},
	"AlphabeticPresentationForms":          {{0xFB00, 0xFB4F}},
	"ArabicPresentationForms-A":            {{0xFB50, 0xFDFF}},
	"VariationSelectors":                   {{0xFE00, 0xFE0F}},
	"CombiningHalfMarks":                   {{0xFE20, 0xFE2F}},
	"CJKCompatibilityForms":                {{0xFE30, 0xFE4F}},
	"SmallFormVariants":                    {{0xFE50, 0xFE6F}},
	"ArabicPresentationForms-B":            {{0xFE70, 0xFEFE}},
	"HalfwidthandFullwidthForms":           {{0xFF00, 0xFFEF}},
	"Specials":                             {{0xFEFF, 0xFEFF}, {0xFFF0, 0xFFFF}},
	"LinearBSyllabary":                     {{0x10000, 0x1007F}},
	"LinearBIdeograms":                     {{0x10080, 0x100FF}},
	"AegeanNumbers":                        {{0x10100, 0x1013F}},
	"OldItalic":                            {{0x10300, 0x1032F}},
	"Gothic":                               {{0x10330, 0x1034F}},
	"Ugaritic":                             {{0x10380, 0x1039F}},
	"Deseret":                              {{0x10400, 0x1044F}},
	"Shavian":                              {{0x10450, 0x1047F}},
	"Osmanya":                              {{0x10480, 0x104AF}},
	"CypriotSyllabary":                     {{0x10800, 0x1083F}},
	"ByzantineMusicalSymbols":              {{0x1D000, 0x1D0FF}},
	"MusicalSymbols":                       {{0x1D100, 0x1D1FF}},
	"TaiXuanJingSymbols":                   {{0x1D300, 0x1D35F}},
	"MathematicalAlphanumericSymbols":      {{0x1D400, 0x1D7FF}},
	"CJKUnifiedIdeographsExtensionB":       {{0x20000, 0x2A6DF}},
	"CJKCompatibilityIdeographsSupplement": {{0x2F800, 0x2FA1F}},
	"Tags":                                 {{0xE0000, 0xE007F}},
	"VariationSelectorsSupplement":         {{0xE0100, 0xE01EF}},
	"SupplementaryPrivateUseArea-A":        {{0xF0000, 0xFFFFF}},
	"SupplementaryPrivateUseArea-B":        {{0x100000, 0x10FFFF}},
}
