package yangload

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/ncws/ncws/pkg/schema"
)

// checkDefault reports why default value v does not fit type t ("" if it fits or cannot be checked
// here). It covers the built-in types whose check needs no instance data or prefixes: numbers,
// strings, booleans, enumerations, bits and empty; identityref, instance-identifier and leafref
// defaults are left to the validator.
//
// A number may be surrounded by whitespace (`default "10 ";`), as in instance data (see
// data.ParseValue): yanglint accepts it and uses the number, and so does the validator when it
// creates the default leaf; other types take the text exactly (a string keeps its spaces, " up"
// is no enum).
func checkDefault(t *schema.Type, v string) string {
	switch {
	case t.Base.IsInteger() || t.Base == schema.Decimal64:
		v = strings.Trim(v, " \t\n\r")
		n, err := parseNumber(v, t.Base, t.FractionDigits)
		if err != nil {
			return err.Error()
		}
		if !t.Base.BaseBounds().Contains(n) {
			return fmt.Sprintf("%s is out of the bounds of %s", v, t.Base)
		}
		if t.Range != nil && !inIntervals(t.Range, n) {
			return fmt.Sprintf("%s is outside the range", v)
		}
	case t.Base == schema.String:
		if t.Length != nil && !inIntervals(t.Length, schema.Number{Abs: uint64(utf8.RuneCountInString(v))}) {
			return fmt.Sprintf("the length of %q is outside the allowed length", v)
		}
		for _, p := range t.Patterns {
			if re := p.Regexp(); re != nil && re.MatchString(v) == p.Invert {
				return fmt.Sprintf("%q does not match the pattern %q", v, p.Expr)
			}
		}
	case t.Base == schema.Boolean:
		if v != "true" && v != "false" {
			return fmt.Sprintf("%q is not a boolean", v)
		}
	case t.Base == schema.Enumeration:
		if _, ok := t.EnumByName(v); !ok {
			return fmt.Sprintf("%q is not an enum of the type", v)
		}
	case t.Base == schema.Bits:
		for _, b := range strings.Fields(v) {
			if _, ok := t.BitByName(b); !ok {
				return fmt.Sprintf("%q is not a bit of the type", b)
			}
		}
	case t.Base == schema.Empty:
		return "a leaf of type empty cannot have a default"
	case t.Base == schema.Union:
		var first string
		for _, m := range t.Union {
			msg := checkDefault(m, v)
			if msg == "" {
				return ""
			}
			if first == "" {
				first = msg
			}
		}
		return fmt.Sprintf("%q fits no member of the union", v)
	}
	return ""
}

func inIntervals(ivs []schema.Interval, n schema.Number) bool {
	for _, iv := range ivs {
		if iv.Contains(n) {
			return true
		}
	}
	return false
}
