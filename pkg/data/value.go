package data

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
)

// Resolver maps a prefix inside a value (identityref, instance-identifier) to a module: in XML
// through the element's namespace declarations ("" is the default namespace in scope), in JSON by
// module name ("" is the module of the leaf). It returns nil for an unknown prefix.
type Resolver func(prefix string) *schema.Module

// ParseValue parses lexical text s as a value of type t and checks every restriction of the type
// (range, length, patterns, enum and bit names, identity derivation, fraction digits). The error
// is an invalid-value rpc-error (with the restriction's error-app-tag and error-message when it
// has them) whose Path the caller fills in.
//
// Lexical rules follow RFC 7950 section 9 as yanglint applies them: numbers (integers and
// decimal64) may be surrounded by XML whitespace, which is dropped; every other type takes the
// text exactly as given. Values of the ietf-inet-types address and prefix typedefs are rewritten
// into their RFC 6991 canonical forms (see canon.go). When s is already in canonical form, Value.Str is s itself (no copy).
// A nil r resolves no prefix.
func ParseValue(t *schema.Type, s string, r Resolver) (Value, *rpcerror.Error) {
	return parseValue(t, s, r, 0)
}

// maxLeafrefDepth bounds chains of leafrefs pointing at leafrefs (and unions of them).
const maxLeafrefDepth = 32

func parseValue(t *schema.Type, s string, r Resolver, depth int) (Value, *rpcerror.Error) {
	if t == nil {
		return Value{Str: s}, nil
	}
	if depth > maxLeafrefDepth {
		return Value{}, invalid("value %q: leafref chain too deep", s)
	}
	switch t.Base {
	case schema.Int8, schema.Int16, schema.Int32, schema.Int64,
		schema.Uint8, schema.Uint16, schema.Uint32, schema.Uint64:
		v, _, err := parseInt(t, s)
		return v, err
	case schema.Decimal64:
		v, _, err := parseDecimal(t, s)
		return v, err
	case schema.String:
		if err := checkString(t, s); err != nil {
			return Value{}, err
		}
		if IsNodeInstanceID(t) {
			if err := checkNodeInstanceID(s, r); err != nil {
				return Value{}, invalid("invalid node-instance-identifier %q value - %v", s, err)
			}
			// Stored in the RFC 7951 form, like an instance-identifier: the value no longer
			// depends on the XML prefixes it was written with.
			return Value{Type: t, Str: canonicalNodeInstanceID(s, r)}, nil
		}
		str, err := canonicalString(t, s)
		if err != nil {
			return Value{}, err
		}
		return Value{Type: t, Str: str}, nil
	case schema.Boolean:
		switch s {
		case "true":
			return Value{Type: t, Str: "true"}, nil
		case "false":
			return Value{Type: t, Str: "false"}, nil
		}
		return Value{}, invalid("invalid boolean value %q", s)
	case schema.Empty:
		if s != "" {
			return Value{}, invalid("invalid empty value %q: must have no content", s)
		}
		return Value{Type: t}, nil
	case schema.Enumeration:
		for _, e := range t.Enums {
			if e.Name == s {
				return Value{Type: t, Str: e.Name}, nil
			}
		}
		return Value{}, invalid("invalid enumeration value %q", s)
	case schema.Bits:
		return parseBits(t, s)
	case schema.Binary:
		return parseBinary(t, s)
	case schema.Identityref:
		return parseIdentityref(t, s, r)
	case schema.InstanceIdentifier:
		str, err := CanonicalInstanceID(s, r)
		if err != nil {
			return Value{}, invalid("invalid instance-identifier %q value - %v", s, err)
		}
		return Value{Type: t, Str: str}, nil
	case schema.Leafref:
		if t.Target == nil || t.Target.Type == nil {
			return Value{Type: t, Str: s}, nil
		}
		v, err := parseValue(t.Target.Type, s, r, depth+1)
		if err != nil {
			return Value{}, err
		}
		v.Type = t
		return v, nil
	case schema.Union:
		var first *rpcerror.Error
		for _, m := range t.Union {
			v, err := parseValue(m, s, r, depth+1)
			if err == nil {
				return v, nil
			}
			if first == nil {
				first = err
			}
		}
		e := invalid("invalid union value %q - no matching member type", s)
		if len(t.Union) == 1 && first != nil {
			return Value{}, first
		}
		return Value{}, e
	}
	return Value{}, invalid("value %q: unsupported type %s", s, t.Base)
}

func invalid(format string, args ...any) *rpcerror.Error {
	return rpcerror.InvalidValue("", format, args...)
}

// restricted returns an invalid-value error using the restriction's error-message and
// error-app-tag when it has them, else the default message.
func restricted(res schema.Restriction, format string, args ...any) *rpcerror.Error {
	e := invalid(format, args...)
	if res.ErrorMessage != "" {
		e.Message = res.ErrorMessage
	}
	e.AppTag = res.ErrorAppTag
	return e
}

// isXMLSpace reports whether c is XML whitespace (space, tab, CR, LF).
func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// trimXMLSpace removes leading and trailing XML whitespace.
func trimXMLSpace(s string) string {
	i, j := 0, len(s)
	for i < j && isXMLSpace(s[i]) {
		i++
	}
	for j > i && isXMLSpace(s[j-1]) {
		j--
	}
	return s[i:j]
}

// parseUnsigned parses a non-empty run of decimal digits; ok is false on other characters or
// uint64 overflow (overflow is reported through over).
func parseUnsigned(s string) (v uint64, ok, over bool) {
	if s == "" {
		return 0, false, false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false, false
		}
		d := uint64(c - '0')
		if v > (1<<64-1-d)/10 {
			over = true
			// keep scanning for invalid characters
			for i++; i < len(s); i++ {
				if s[i] < '0' || s[i] > '9' {
					return 0, false, false
				}
			}
			return 0, false, true
		}
		v = v*10 + d
	}
	return v, true, false
}

func parseInt(t *schema.Type, s string) (Value, schema.Number, *rpcerror.Error) {
	orig := s
	s = trimXMLSpace(s)
	body := s
	neg := false
	if body != "" && (body[0] == '+' || body[0] == '-') {
		neg = body[0] == '-'
		body = body[1:]
	}
	abs, ok, over := parseUnsigned(body)
	if !ok && !over {
		return Value{}, schema.Number{}, invalid("invalid %s value %q", t.Base, orig)
	}
	n := schema.Number{Neg: neg && abs != 0, Abs: abs}
	if over || !t.Base.BaseBounds().Contains(n) {
		return Value{}, schema.Number{}, invalid("value %q is out of %s bounds", orig, t.Base)
	}
	if !inRanges(t.Range, n) {
		return Value{}, schema.Number{}, restricted(t.RangeError, "value %q is out of the allowed range", orig)
	}
	str := s
	if !canonicalInt(s) {
		str = n.String()
	}
	return Value{Type: t, Str: str}, n, nil
}

// canonicalInt reports whether s (a valid integer) is in canonical form.
func canonicalInt(s string) bool {
	if s[0] == '+' {
		return false
	}
	d := s
	if d[0] == '-' {
		d = d[1:]
		if d == "0" {
			return false
		}
	}
	return len(d) == 1 || d[0] != '0'
}

func inRanges(ivs []schema.Interval, n schema.Number) bool {
	if len(ivs) == 0 {
		return true
	}
	for _, iv := range ivs {
		if iv.Contains(n) {
			return true
		}
	}
	return false
}

var pow10 = [...]uint64{1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000,
	10000000000, 100000000000, 1000000000000, 10000000000000, 100000000000000, 1000000000000000,
	10000000000000000, 100000000000000000, 1000000000000000000}

func parseDecimal(t *schema.Type, s string) (Value, schema.Number, *rpcerror.Error) {
	orig := s
	fd := t.FractionDigits
	if fd < 1 || fd > 18 {
		return Value{}, schema.Number{}, invalid("decimal64 type with %d fraction-digits", fd)
	}
	s = trimXMLSpace(s)
	body := s
	neg := false
	if body != "" && (body[0] == '+' || body[0] == '-') {
		neg = body[0] == '-'
		body = body[1:]
	}
	ip, fp, dot := strings.Cut(body, ".")
	if ip == "" || (dot && fp == "") {
		return Value{}, schema.Number{}, invalid("invalid decimal64 value %q", orig)
	}
	iv, ok, over := parseUnsigned(ip)
	if !ok && !over {
		return Value{}, schema.Number{}, invalid("invalid decimal64 value %q", orig)
	}
	var fv uint64
	for i := 0; i < len(fp); i++ {
		c := fp[i]
		if c < '0' || c > '9' {
			return Value{}, schema.Number{}, invalid("invalid decimal64 value %q", orig)
		}
		if i >= fd {
			if c != '0' {
				return Value{}, schema.Number{}, invalid("value %q has more than %d fraction digits", orig, fd)
			}
			continue
		}
		fv = fv*10 + uint64(c-'0')
	}
	if len(fp) < fd {
		fv *= pow10[fd-len(fp)]
	}
	scale := pow10[fd]
	bounds := schema.Decimal64.BaseBounds()
	if over || iv > (bounds.Min.Abs-fv)/scale {
		return Value{}, schema.Number{}, invalid("value %q is out of decimal64 bounds", orig)
	}
	n := schema.Number{Neg: neg, Abs: iv*scale + fv}
	if n.Abs == 0 {
		n.Neg = false
	}
	if !bounds.Contains(n) {
		return Value{}, schema.Number{}, invalid("value %q is out of decimal64 bounds", orig)
	}
	if !inRanges(t.Range, n) {
		return Value{}, schema.Number{}, restricted(t.RangeError, "value %q is out of the allowed range", orig)
	}
	var buf [48]byte
	c := appendDecimal(buf[:0], n, fd)
	str := s
	if string(c) != s {
		str = string(c)
	}
	return Value{Type: t, Str: str}, n, nil
}

// appendDecimal appends the canonical form of decimal64 n (scaled by 10^fd): no leading zeros,
// at least one fraction digit, no trailing zeros beyond the first.
func appendDecimal(b []byte, n schema.Number, fd int) []byte {
	if n.Neg && n.Abs != 0 {
		b = append(b, '-')
	}
	scale := pow10[fd]
	b = strconv.AppendUint(b, n.Abs/scale, 10)
	b = append(b, '.')
	frac := n.Abs % scale
	var digits [18]byte
	for i := fd - 1; i >= 0; i-- {
		digits[i] = byte('0' + frac%10)
		frac /= 10
	}
	end := fd
	for end > 1 && digits[end-1] == '0' {
		end--
	}
	return append(b, digits[:end]...)
}

// FormatDecimal returns the canonical form of a decimal64 value n scaled by 10^fractionDigits.
func FormatDecimal(n schema.Number, fractionDigits int) string {
	if fractionDigits < 1 || fractionDigits > 18 {
		return n.String()
	}
	return string(appendDecimal(nil, n, fractionDigits))
}

func checkString(t *schema.Type, s string) *rpcerror.Error {
	if !utf8.ValidString(s) {
		return invalid("value %q is not valid UTF-8", s)
	}
	if len(t.Length) > 0 {
		n := utf8.RuneCountInString(s)
		if !inRanges(t.Length, schema.Number{Abs: uint64(n)}) {
			return restricted(t.LengthError, "length %d of value %q is out of the allowed length", n, s)
		}
	}
	for _, p := range t.Patterns {
		m, ok := matchPattern(p, s)
		if !ok {
			continue // an expression that does not compile (never in a loaded schema)
		}
		if m == p.Invert {
			if p.Invert {
				return restricted(p.Restriction, "value %q matches the inverted pattern %q", s, p.Expr)
			}
			return restricted(p.Restriction, "value %q does not match the pattern %q", s, p.Expr)
		}
	}
	return nil
}

func parseBits(t *schema.Type, s string) (Value, *rpcerror.Error) {
	var set []int // indexes into t.Bits
	rest := s
	for {
		rest = strings.TrimLeft(rest, " \t\n\r")
		if rest == "" {
			break
		}
		end := strings.IndexAny(rest, " \t\n\r")
		if end < 0 {
			end = len(rest)
		}
		name := rest[:end]
		rest = rest[end:]
		idx := -1
		for i, b := range t.Bits {
			if b.Name == name {
				idx = i
				break
			}
		}
		if idx < 0 {
			return Value{}, invalid("invalid bits value %q - unknown bit %q", s, name)
		}
		for _, j := range set {
			if j == idx {
				return Value{}, invalid("invalid bits value %q - duplicate bit %q", s, name)
			}
		}
		set = append(set, idx)
	}
	// Canonical: in position order.
	for i := 1; i < len(set); i++ {
		for j := i; j > 0 && t.Bits[set[j]].Position < t.Bits[set[j-1]].Position; j-- {
			set[j], set[j-1] = set[j-1], set[j]
		}
	}
	var b strings.Builder
	for i, idx := range set {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t.Bits[idx].Name)
	}
	str := b.String()
	if str == s {
		str = s
	}
	return Value{Type: t, Str: str}, nil
}

func parseBinary(t *schema.Type, s string) (Value, *rpcerror.Error) {
	if len(s)%4 != 0 {
		return Value{}, invalid("invalid binary value %q - base64 length must be a multiple of 4", s)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '=') {
			return Value{}, invalid("invalid binary value %q - invalid base64 character %q", s, c)
		}
	}
	raw, err := base64.StdEncoding.Strict().DecodeString(s)
	if err != nil {
		return Value{}, invalid("invalid binary value %q - %v", s, err)
	}
	if len(t.Length) > 0 && !inRanges(t.Length, schema.Number{Abs: uint64(len(raw))}) {
		return Value{}, restricted(t.LengthError, "length %d octets of binary value %q is out of the allowed length", len(raw), s)
	}
	return Value{Type: t, Str: s}, nil
}

func parseIdentityref(t *schema.Type, s string, r Resolver) (Value, *rpcerror.Error) {
	prefix, name, ok := strings.Cut(s, ":")
	if !ok {
		prefix, name = "", s
	}
	var mod *schema.Module
	if r != nil {
		mod = r(prefix)
	}
	if mod == nil {
		if prefix == "" {
			return Value{}, invalid("invalid identityref %q value - no module for an unprefixed identity", s)
		}
		return Value{}, invalid("invalid identityref %q value - unknown prefix %q", s, prefix)
	}
	id := mod.Identity(name)
	if id == nil {
		return Value{}, invalid("invalid identityref %q value - identity %q not found in module %q", s, name, mod.Name)
	}
	for _, b := range t.Bases {
		if !id.DerivedFrom(b) {
			return Value{}, invalid("invalid identityref %q value - identity %q is not derived from the base %q",
				s, id.QName(), b.QName())
		}
	}
	return Value{Type: t, Str: id.QName()}, nil
}

// CanonicalInstanceID parses an instance-identifier (RFC 7950 section 9.13: absolute path steps
// with [key='value'], [.='value'] and [position] predicates), resolves its prefixes through r
// and returns it in the RFC 7951 section 6.11 form: module names instead of prefixes, on the first
// step and wherever the module changes; predicate values quoted with ' (or " when the value holds
// a '). An unprefixed step (and key) takes the module of the step before it; the first step must
// have a prefix.
func CanonicalInstanceID(s string, r Resolver) (string, error) {
	p := iidParser{s: s}
	var b strings.Builder
	var prev *schema.Module
	p.ws()
	if p.eof() {
		return "", fmt.Errorf("empty path")
	}
	for !p.eof() {
		if !p.lit('/') {
			return "", p.fail("expected '/'")
		}
		p.ws()
		prefix, name, err := p.qname()
		if err != nil {
			return "", err
		}
		mod, err := p.resolve(prefix, prev, r)
		if err != nil {
			return "", err
		}
		b.WriteByte('/')
		if mod != prev {
			b.WriteString(mod.Name)
			b.WriteByte(':')
		}
		b.WriteString(name)
		prev = mod
		for p.ws(); p.lit('['); p.ws() {
			if err := p.pred(&b, mod, r); err != nil {
				return "", err
			}
		}
	}
	return b.String(), nil
}

type iidParser struct {
	s string
	i int
}

func (p *iidParser) eof() bool { return p.i >= len(p.s) }

func (p *iidParser) fail(what string) error {
	return fmt.Errorf("%s at offset %d", what, p.i)
}

func (p *iidParser) ws() {
	for p.i < len(p.s) && isXMLSpace(p.s[p.i]) {
		p.i++
	}
}

func (p *iidParser) lit(c byte) bool {
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

func isNameStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}

func isNameChar(c byte) bool {
	return isNameStart(c) || c >= '0' && c <= '9' || c == '-' || c == '.'
}

// ident parses a YANG identifier.
func (p *iidParser) ident() (string, error) {
	start := p.i
	if p.eof() || !isNameStart(p.s[p.i]) {
		return "", p.fail("expected a node name")
	}
	for p.i < len(p.s) && isNameChar(p.s[p.i]) {
		p.i++
	}
	return p.s[start:p.i], nil
}

func (p *iidParser) qname() (prefix, name string, err error) {
	name, err = p.ident()
	if err != nil {
		return "", "", err
	}
	if p.lit(':') {
		prefix = name
		if name, err = p.ident(); err != nil {
			return "", "", err
		}
	}
	return prefix, name, nil
}

// predValue parses the rest of a predicate after its name: = 'value' or = "value", then ']'.
func (p *iidParser) predValue() (string, error) {
	p.ws()
	if !p.lit('=') {
		return "", p.fail("expected '='")
	}
	p.ws()
	if p.eof() || (p.s[p.i] != '\'' && p.s[p.i] != '"') {
		return "", p.fail("expected a quoted value")
	}
	q := p.s[p.i]
	p.i++
	end := strings.IndexByte(p.s[p.i:], q)
	if end < 0 {
		return "", p.fail("unterminated quoted value")
	}
	v := p.s[p.i : p.i+end]
	p.i += end + 1
	p.ws()
	if !p.lit(']') {
		return "", p.fail("expected ']'")
	}
	return v, nil
}

func (p *iidParser) resolve(prefix string, prev *schema.Module, r Resolver) (*schema.Module, error) {
	if prefix == "" {
		if prev == nil {
			return nil, p.fail("the first node must have a prefix")
		}
		return prev, nil
	}
	var m *schema.Module
	if r != nil {
		m = r(prefix)
	}
	if m == nil {
		return nil, fmt.Errorf("unknown prefix %q", prefix)
	}
	return m, nil
}

// pred parses one predicate after '[' and writes it in canonical form.
func (p *iidParser) pred(b *strings.Builder, mod *schema.Module, r Resolver) error {
	if p.eof() {
		return p.fail("unterminated predicate")
	}
	c := p.s[p.i]
	switch {
	case c >= '0' && c <= '9':
		start := p.i
		for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
			p.i++
		}
		n, err := strconv.ParseUint(p.s[start:p.i], 10, 63)
		if err != nil || n == 0 {
			return fmt.Errorf("bad position %q", p.s[start:p.i])
		}
		p.ws()
		if !p.lit(']') {
			return p.fail("expected ']'")
		}
		b.WriteByte('[')
		b.WriteString(strconv.FormatUint(n, 10))
		b.WriteByte(']')
		return nil
	case c == '.':
		p.i++
		b.WriteString("[.=")
	default:
		prefix, name, err := p.qname()
		if err != nil {
			return err
		}
		km := mod
		if prefix != "" {
			if km, err = p.resolve(prefix, mod, r); err != nil {
				return err
			}
		}
		b.WriteByte('[')
		if km != mod {
			b.WriteString(km.Name)
			b.WriteByte(':')
		}
		b.WriteString(name)
		b.WriteByte('=')
	}
	v, err := p.predValue()
	if err != nil {
		return err
	}
	oq := byte('\'')
	if strings.IndexByte(v, '\'') >= 0 {
		oq = '"'
	}
	b.WriteByte(oq)
	b.WriteString(v)
	b.WriteByte(oq)
	b.WriteByte(']')
	return nil
}

// IsNodeInstanceID reports whether t is ietf-netconf-acm's node-instance-identifier (RFC 8341
// section 3.5.1), a string typedef whose values are instance-identifiers with optional key
// predicates. Its values are kept in the RFC 7951 form (module names as prefixes, where the
// module changes), as instance-identifiers are, and encoded in XML with declared prefixes.
func IsNodeInstanceID(t *schema.Type) bool {
	return t != nil && t.Typedef == "node-instance-identifier" && t.Module != nil && t.Module.Name == "ietf-netconf-acm"
}

// canonicalNodeInstanceID rewrites a checked node-instance-identifier in the RFC 7951 form:
// each step and key name carries its module's name when the module differs from the enclosing
// step's (always on the first step), without the prefixes of the text; quoted values and
// positions are kept.
func canonicalNodeInstanceID(s string, r Resolver) string {
	if strings.TrimSpace(s) == "/" {
		return "/"
	}
	var b strings.Builder
	var cur *schema.Module
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\'' || c == '"':
			j := strings.IndexByte(s[i+1:], c)
			if j < 0 {
				b.WriteString(s[i:])
				return b.String()
			}
			b.WriteString(s[i : i+j+2])
			i += j + 2
		case c == '/' || c == '[':
			b.WriteByte(c)
			i++
			for i < len(s) && isXMLSpace(s[i]) {
				i++
			}
			j := i
			for j < len(s) && (isNameChar(s[j]) || s[j] == ':') {
				j++
			}
			name := s[i:j]
			i = j
			if name == "" || name == "." || name[0] >= '0' && name[0] <= '9' {
				b.WriteString(name)
				continue
			}
			m := cur
			local := name
			if pfx, l, ok := strings.Cut(name, ":"); ok {
				local = l
				if r != nil {
					if rm := r(pfx); rm != nil {
						m = rm
					}
				}
			}
			if m != nil && m != cur {
				b.WriteString(m.Name)
				b.WriteByte(':')
			}
			b.WriteString(local)
			if c == '/' {
				cur = m
			}
		case isXMLSpace(c):
			i++
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

// checkNodeInstanceID checks a node-instance-identifier the way yanglint does: "/" (the whole
// datastore) or an absolute path whose every step is prefixed with a prefix bound to an
// implemented module and names an existing schema node; a list step may have predicates on its
// keys (each at most once, with a valid key value), a leaf-list step a [.='value'] predicate,
// and a non-configuration list a position.
func checkNodeInstanceID(s string, r Resolver) error {
	if s == "/" {
		return nil
	}
	p := iidParser{s: s}
	p.ws()
	if p.eof() {
		return fmt.Errorf("empty path")
	}
	var cur *schema.Node
	for !p.eof() {
		if !p.lit('/') {
			return p.fail("expected '/'")
		}
		p.ws()
		if p.lit('*') {
			return fmt.Errorf("wildcard step")
		}
		prefix, name, err := p.qname()
		if err != nil {
			return err
		}
		if prefix == "" {
			return fmt.Errorf("prefix missing for %q", name)
		}
		mod, err := p.resolve(prefix, nil, r)
		if err != nil {
			return err
		}
		if !mod.Implemented {
			return fmt.Errorf("module %q is not implemented", mod.Name)
		}
		var next *schema.Node
		if cur == nil {
			next = topNode(mod.Data, name)
			for _, n := range append(append([]*schema.Node(nil), mod.RPCs...), mod.Notifications...) {
				if next == nil && n.Name == name {
					next = n
				}
			}
		} else if next = cur.Child(mod, name); next == nil {
			next = cur.Operation(mod, name)
		}
		if next == nil || next.Module != mod {
			return fmt.Errorf("node %q not found", name)
		}
		cur = next
		seen := map[*schema.Node]bool{}
		for p.ws(); p.lit('['); p.ws() {
			if err := p.nodePred(cur, seen, r); err != nil {
				return err
			}
		}
	}
	return nil
}

// topNode finds a top-level data node among nodes, looking through choices and cases.
func topNode(nodes []*schema.Node, name string) *schema.Node {
	for _, n := range nodes {
		if n.Kind == schema.KindChoice || n.Kind == schema.KindCase {
			if c := topNode(n.Children, name); c != nil {
				return c
			}
		} else if n.Name == name {
			return n
		}
	}
	return nil
}

// nodePred checks one predicate (after '[') of step n of a node-instance-identifier.
func (p *iidParser) nodePred(n *schema.Node, seen map[*schema.Node]bool, r Resolver) error {
	if p.eof() {
		return p.fail("unterminated predicate")
	}
	var target *schema.Node
	switch c := p.s[p.i]; {
	case c >= '0' && c <= '9':
		if (n.Kind != schema.KindList && n.Kind != schema.KindLeafList) || n.Config {
			return fmt.Errorf("positional predicate on %s %q", n.Kind, n.Name)
		}
		for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
			p.i++
		}
		p.ws()
		if !p.lit(']') {
			return p.fail("expected ']'")
		}
		return nil
	case c == '.':
		p.i++
		if n.Kind != schema.KindLeafList {
			return fmt.Errorf("[.=value] predicate on %s %q", n.Kind, n.Name)
		}
		target = n
	default:
		prefix, name, err := p.qname()
		if err != nil {
			return err
		}
		if prefix == "" {
			return fmt.Errorf("prefix missing for %q", name)
		}
		mod, err := p.resolve(prefix, nil, r)
		if err != nil {
			return err
		}
		if n.Kind == schema.KindList {
			for _, k := range n.Keys() {
				if k.Name == name && k.Module == mod {
					target = k
				}
			}
		}
		if target == nil {
			return fmt.Errorf("key expected instead of %q", name)
		}
	}
	if seen[target] {
		return fmt.Errorf("duplicate predicate %q", target.Name)
	}
	seen[target] = true
	v, err := p.predValue()
	if err != nil {
		return err
	}
	if _, err := ParseValue(target.Type, v, r); err != nil {
		return fmt.Errorf("predicate value %q: %s", v, err.Message)
	}
	return nil
}

// numOf reads the number text s holds as a value of type t (see Value.Num).
func numOf(t *schema.Type, s string, depth int) schema.Number {
	if t == nil || depth > maxLeafrefDepth {
		return schema.Number{}
	}
	switch t.Base {
	case schema.Int8, schema.Int16, schema.Int32, schema.Int64,
		schema.Uint8, schema.Uint16, schema.Uint32, schema.Uint64:
		_, n, _ := parseInt(t, s)
		return n
	case schema.Decimal64:
		_, n, _ := parseDecimal(t, s)
		return n
	case schema.Boolean:
		if s == "true" {
			return schema.Number{Abs: 1}
		}
	case schema.Enumeration:
		for _, e := range t.Enums {
			if e.Name == s {
				return schema.NumberOf(int64(e.Value))
			}
		}
	case schema.Leafref:
		if t.Target != nil {
			return numOf(t.Target.Type, s, depth+1)
		}
	case schema.Union:
		// A leafref to a union: the member the text parses as.
		if v, err := parseValue(t, s, nil, depth+1); err == nil && v.Type != t {
			return numOf(v.Type, s, depth+1)
		}
	}
	return schema.Number{}
}
