package data

import (
	"unicode"

	"github.com/ncws/ncws/pkg/schema"
)

// The patterns of RFC 6991's ietf-inet-types that most data holds (every IPv4 address), matched
// by hand: a Go regexp takes about 20 times as long, and a large document checks hundreds of
// thousands of them. A pattern is recognized by its exact text; any other pattern, including a
// variant of these, goes through its regexp.
const (
	// ipv4-address (with an optional zone).
	patIPv4Zone = `(([0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5])\.){3}([0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5])(%[\p{N}\p{L}]+)?`
	// ipv4-address without zone (also yang:dotted-quad's pattern).
	patIPv4 = `(([0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5])\.){3}([0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5])`
	// ipv4-address-no-zone's own restriction.
	patDigitsDots = `[0-9\.]*`
)

// matchPattern reports whether s (valid UTF-8) matches pattern p, and false for ok if p's
// expression does not compile. The patterns matched by hand are never compiled.
func matchPattern(p *schema.Pattern, s string) (match, ok bool) {
	switch p.Expr {
	case patIPv4Zone:
		return matchIPv4(s, true), true
	case patIPv4:
		return matchIPv4(s, false), true
	case patDigitsDots:
		for i := 0; i < len(s); i++ {
			if c := s[i]; c != '.' && (c < '0' || c > '9') {
				return false, true
			}
		}
		return true, true
	}
	re := p.Regexp()
	if re == nil {
		return false, false
	}
	return re.MatchString(s), true
}

// matchIPv4 matches four decimal octets (0-255, no leading zeros) separated by dots, then, when
// zone is set, optionally '%' and one or more letters or digits (Unicode categories L and N).
func matchIPv4(s string, zone bool) bool {
	for i := 0; i < 4; i++ {
		j, v := 0, 0
		for j < len(s) && j < 3 && s[j] >= '0' && s[j] <= '9' {
			v = v*10 + int(s[j]-'0')
			j++
		}
		// A shorter run of the digits cannot match either: a digit would follow it.
		if j == 0 || v > 255 || (j > 1 && s[0] == '0') {
			return false
		}
		s = s[j:]
		if i < 3 {
			if s == "" || s[0] != '.' {
				return false
			}
			s = s[1:]
		}
	}
	if s == "" {
		return true
	}
	if !zone || s[0] != '%' || len(s) == 1 {
		return false
	}
	for _, r := range s[1:] {
		if !unicode.IsLetter(r) && !unicode.IsNumber(r) {
			return false
		}
	}
	return true
}
