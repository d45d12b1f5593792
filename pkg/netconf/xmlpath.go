package netconf

import (
	"strings"

	"github.com/ncws/ncws/pkg/schema"
)

// PathActionModule is the name that stands, in an RFC 7951 error-path, for the namespace of
// the <action> element (YANGNamespace) when no module has that name: the server writes the
// path of an action's parameter as /ietf-netconf:rpc/yang:action/... (see XMLPath).
const PathActionModule = "yang"

// actionPrefix is the XML prefix of YANGNamespace in a path; a module whose YANG prefix it is
// (ietf-yang-types) is named by its module name instead.
const actionPrefix = "yang"

// A NamespaceDecl is one prefix declaration that an XML-form path needs in scope.
type NamespaceDecl struct {
	Prefix, Namespace string
}

// xmlPrefixes chooses the XML prefix of each module in the paths of one reply: the module's
// YANG prefix when no other module of the schema has the same prefix (and it is usable as an
// XML prefix), the module's name otherwise. Both are unique in the schema, so that a path's
// prefixes never clash.
type xmlPrefixes struct {
	s     *schema.Schema
	count map[string]int
}

func (p *xmlPrefixes) init() {
	if p.count == nil {
		p.count = map[string]int{}
		for _, o := range p.s.Modules {
			p.count[o.Prefix]++
		}
		// A prefix equal to another module's name would clash with that module's fallback.
		for _, o := range p.s.Modules {
			if o.Prefix != o.Name {
				p.count[o.Name] += 2
			}
		}
	}
}

func (p *xmlPrefixes) of(m *schema.Module) string {
	p.init()
	if m.Prefix != "" && m.Prefix != actionPrefix && p.count[m.Prefix] == 1 && !strings.HasPrefix(strings.ToLower(m.Prefix), "xml") {
		return m.Prefix
	}
	return m.Name
}

// XMLPath converts path, an instance-identifier in the RFC 7951 form that rpcerror.Error.Path
// holds (a module name on the first step and wherever the module changes:
// /ietf-interfaces:interfaces/interface[name='eth0']), to the XML form RFC 6241 asks for an
// error-path (and RFC 7950 section 9.13.2 for an instance-identifier): an XPath in which every
// node name, key names included, has a prefix (/if:interfaces/if:interface[if:name='eth0']).
// decls are the declarations the prefixes need, in order of first use. A module's prefix is its
// YANG prefix when that is unique in s, its name otherwise. The pseudo-module PathActionModule
// names YANGNamespace. ok is false, and path should be sent as it is, when path is not in
// that form or names a module s does not have.
func XMLPath(path string, s *schema.Schema) (xpath string, decls []NamespaceDecl, ok bool) {
	p := &xmlPrefixes{s: s}
	return p.convert(path)
}

func (p *xmlPrefixes) convert(path string) (string, []NamespaceDecl, bool) {
	if path == "/" || path == "" || path[0] != '/' || p.s == nil {
		return path, nil, path == "/"
	}
	p.init()
	var b strings.Builder
	var decls []NamespaceDecl
	declare := func(prefix, ns string) bool {
		for _, d := range decls {
			if d.Prefix == prefix {
				return d.Namespace == ns
			}
		}
		decls = append(decls, NamespaceDecl{prefix, ns})
		return true
	}
	// qualified resolves a module name to its prefix, declaring it.
	qualified := func(mod string) (string, bool) {
		if m := p.s.Module(mod); m != nil {
			pfx := p.of(m)
			return pfx, declare(pfx, m.Namespace)
		}
		if mod == PathActionModule {
			return actionPrefix, declare(actionPrefix, YANGNamespace)
		}
		return "", false
	}
	cur := "" // the current step's prefix
	i := 0
	for i < len(path) {
		if path[i] != '/' {
			return path, nil, false
		}
		i++
		mod, name, n := qname(path[i:])
		if name == "" {
			return path, nil, false
		}
		i += n
		if mod != "" {
			pfx, ok := qualified(mod)
			if !ok {
				return path, nil, false
			}
			cur = pfx
		} else if cur == "" {
			return path, nil, false
		}
		b.WriteByte('/')
		b.WriteString(cur)
		b.WriteByte(':')
		b.WriteString(name)
		// Predicates: [key='v'], [mod:key='v'], [.='v'], [N].
		for i < len(path) && path[i] == '[' {
			j := i + 1
			for j < len(path) && path[j] == ' ' {
				j++
			}
			b.WriteByte('[')
			switch {
			case j < len(path) && path[j] == '.':
				b.WriteByte('.')
				j++
			case j < len(path) && path[j] >= '0' && path[j] <= '9':
			default:
				kmod, kname, kn := qname(path[j:])
				if kname == "" {
					return path, nil, false
				}
				kp := cur
				if kmod != "" {
					var ok bool
					if kp, ok = qualified(kmod); !ok {
						return path, nil, false
					}
				}
				b.WriteString(kp)
				b.WriteByte(':')
				b.WriteString(kname)
				j += kn
			}
			// The rest of the predicate: '=' and a quoted literal, or a number, up to ']'.
			for j < len(path) && path[j] != ']' {
				c := path[j]
				if c == '\'' || c == '"' {
					k := strings.IndexByte(path[j+1:], c)
					if k < 0 {
						return path, nil, false
					}
					b.WriteString(path[j : j+k+2])
					j += k + 2
					continue
				}
				b.WriteByte(c)
				j++
			}
			if j >= len(path) {
				return path, nil, false
			}
			b.WriteByte(']')
			i = j + 1
		}
	}
	return b.String(), decls, true
}

// qname reads [prefix ':'] name at the start of s; n is how many bytes it took.
func qname(s string) (prefix, name string, n int) {
	word := func(i int) int {
		if i >= len(s) || !isNameStart(s[i]) {
			return i
		}
		j := i + 1
		for j < len(s) && (isNameStart(s[j]) || s[j] == '-' || s[j] == '.' || (s[j] >= '0' && s[j] <= '9')) {
			j++
		}
		return j
	}
	e := word(0)
	if e == 0 {
		return "", "", 0
	}
	if e < len(s) && s[e] == ':' {
		e2 := word(e + 1)
		if e2 == e+1 {
			return "", "", 0
		}
		return s[:e], s[e+1 : e2], e2
	}
	return "", s[:e], e
}
