package xpath

import (
	"fmt"
	"math"
	"regexp"
	"strings"
)

func nan() float64 { return math.NaN() }

// compileXSDFallback translates an XML Schema regular expression (XSD part 2, appendix F, the
// dialect of YANG patterns and re-match) into Go's syntax and compiles it anchored at both ends.
// It covers the multi-character escapes (\i \c \d \s \w and negations), '.', and literal '^' and
// '$'; block escapes (\p{IsBasicLatin}) and class subtraction are rejected.
func compileXSDFallback(pat string) (*regexp.Regexp, error) {
	var b strings.Builder
	b.WriteString(`^(?:`)
	inClass := false
	for i := 0; i < len(pat); i++ {
		c := pat[i]
		switch {
		case c == '\\':
			if i+1 >= len(pat) {
				return nil, fmt.Errorf("trailing backslash")
			}
			i++
			e := pat[i]
			if r, ok := xsdEscape(e, inClass); ok {
				b.WriteString(r)
				continue
			}
			if (e == 'p' || e == 'P') && strings.HasPrefix(pat[i+1:], "{Is") {
				return nil, fmt.Errorf("unicode block escapes are not supported")
			}
			b.WriteByte('\\')
			b.WriteByte(e)
		case inClass:
			if c == '-' && i+1 < len(pat) && pat[i+1] == '[' {
				return nil, fmt.Errorf("character class subtraction is not supported")
			}
			if c == ']' {
				inClass = false
			}
			if c == '[' {
				b.WriteString(`\[`)
				continue
			}
			b.WriteByte(c)
		case c == '[':
			inClass = true
			b.WriteByte(c)
			if i+1 < len(pat) && pat[i+1] == '^' {
				b.WriteByte('^')
				i++
			}
			if i+1 < len(pat) && pat[i+1] == ']' {
				return nil, fmt.Errorf("empty character class")
			}
		case c == '^' || c == '$':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '.':
			b.WriteString(`[^\n\r]`)
		default:
			b.WriteByte(c)
		}
	}
	if inClass {
		return nil, fmt.Errorf("missing ']'")
	}
	b.WriteString(`)$`)
	return regexp.Compile(b.String())
}

// xsdEscape translates XSD multi-character escapes; inside a class only the positive ones can be
// expressed as class items.
func xsdEscape(e byte, inClass bool) (string, bool) {
	const (
		nameStart = `\p{L}\p{Nl}_:`
		nameChar  = `\p{L}\p{Nl}\p{Nd}\p{Mn}\p{Mc}\p{Lm}_:.\-\x{B7}`
		space     = `\x20\t\n\r`
		word      = `\p{L}\p{M}\p{N}\p{S}`
	)
	pos := map[byte]string{'i': nameStart, 'c': nameChar, 's': space, 'd': `\p{Nd}`, 'w': word}
	neg := map[byte]byte{'I': 'i', 'C': 'c', 'S': 's', 'D': 'd', 'W': 'w'}
	if p, ok := pos[e]; ok {
		if inClass {
			return p, true
		}
		return "[" + p + "]", true
	}
	if p, ok := neg[e]; ok && !inClass {
		return "[^" + pos[p] + "]", true
	}
	return "", false
}
