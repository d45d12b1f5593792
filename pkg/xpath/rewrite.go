package xpath

import "strings"

// RewritePrefixes returns expr with the prefix of each name test and function name replaced by
// fn's answer for it (kept when fn returns ""). Literals, axis names and everything else are
// kept as written. It fails on an expression that does not lex.
//
// A server keeps a client's expression this way with module names as prefixes (RFC 7951's
// form) when the declarations it was written with are gone, as for the select of a partial
// lock (RFC 5717) shown in ietf-netconf-monitoring.
func RewritePrefixes(expr string, fn func(prefix string) string) (string, error) {
	toks, err := lex(expr)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	last := 0
	for _, t := range toks {
		if t.prefix == "" || (t.kind != tName && t.kind != tFunc) {
			continue
		}
		if !strings.HasPrefix(expr[t.pos:], t.prefix+":") {
			continue
		}
		p := fn(t.prefix)
		if p == "" || p == t.prefix {
			continue
		}
		b.WriteString(expr[last:t.pos])
		b.WriteString(p)
		last = t.pos + len(t.prefix)
	}
	b.WriteString(expr[last:])
	return b.String(), nil
}
