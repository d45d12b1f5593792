package netconf

import (
	"errors"
	"fmt"

	"github.com/ncws/ncws/internal/xmltok"
)

// DefaultMaxDepth is the deepest element nesting DecodeRPC and DecodeHello accept.
const DefaultMaxDepth = 1000

const (
	xmlNamespace   = "http://www.w3.org/XML/1998/namespace"
	xmlnsNamespace = "http://www.w3.org/2000/xmlns/"
)

// AppendEscaped appends s escaped as XML character data, or as an attribute value when attr.
func AppendEscaped(b []byte, s string, attr bool) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '&':
			b = append(b, "&amp;"...)
		case c == '<':
			b = append(b, "&lt;"...)
		case c == '>':
			b = append(b, "&gt;"...)
		case c == '\r':
			b = append(b, "&#xD;"...)
		case attr && c == '"':
			b = append(b, "&quot;"...)
		case attr && c == '\n':
			b = append(b, "&#xA;"...)
		case attr && c == '\t':
			b = append(b, "&#x9;"...)
		default:
			b = append(b, c)
		}
	}
	return b
}

// binding is one namespace declaration in scope.
type binding struct {
	prefix string // "" for the default namespace
	uri    string
	prev   int // index in nsReader.ns of the binding of prefix this one shadows, -1: none (kept with nsReader.idx)
}

// smallScope is how many declarations may be in scope before nsReader indexes them: a lookup
// then takes constant time rather than time linear in the declarations (an element under
// 200,000 of them must not cost 200,000 comparisons).
const smallScope = 32

// internNS returns b as a string, without allocating for the namespaces of NETCONF's envelope.
func internNS(b []byte) string {
	switch string(b) {
	case BaseNamespace:
		return BaseNamespace
	case NotificationNamespace:
		return NotificationNamespace
	case YANGNamespace:
		return YANGNamespace
	}
	return string(b)
}

// nsReader adds namespace scopes (Namespaces in XML 1.0) to the tokenizer for the elements
// whose names the caller resolves.
type nsReader struct {
	z     *xmltok.Tokenizer
	ns    []binding
	marks []int // len(ns) before each open element's declarations
	buf   []byte
	// idx maps each prefix to the index of its binding in scope, once more than smallScope
	// declarations were in scope (nil before).
	idx map[string]int
}

// push brings b into scope.
func (r *nsReader) push(b binding) {
	b.prev = -1
	if r.idx == nil && len(r.ns) >= smallScope {
		r.idx = make(map[string]int, 2*len(r.ns))
		for i := range r.ns {
			e := &r.ns[i]
			e.prev = -1
			if j, ok := r.idx[e.prefix]; ok {
				e.prev = j
			}
			r.idx[e.prefix] = i
		}
	}
	if r.idx != nil {
		if j, ok := r.idx[b.prefix]; ok {
			b.prev = j
		}
		r.idx[b.prefix] = len(r.ns)
	}
	r.ns = append(r.ns, b)
}

// start processes the declarations of the current start tag and returns the element's
// namespace. It must be paired with end.
func (r *nsReader) start() (string, error) {
	z := r.z
	r.marks = append(r.marks, len(r.ns))
	for _, a := range z.Attrs() {
		var prefix string
		switch {
		case a.Prefix == nil && string(a.Local) == "xmlns":
		case string(a.Prefix) == "xmlns":
			prefix = string(a.Local)
			if prefix == "xmlns" {
				return "", z.Fail(z.TokenLine(), "the prefix xmlns must not be declared")
			}
		default:
			continue
		}
		r.buf = xmltok.AppendAttrValue(r.buf[:0], a.Value)
		uri := internNS(r.buf)
		if prefix != "" && uri == "" {
			return "", z.Fail(z.TokenLine(), "empty namespace for prefix %s", prefix)
		}
		if (prefix == "xml") != (uri == xmlNamespace) {
			return "", z.Fail(z.TokenLine(), "the prefix xml is bound only to %s", xmlNamespace)
		}
		r.push(binding{prefix: prefix, uri: uri})
	}
	for _, a := range z.Attrs() {
		if a.Prefix != nil && string(a.Prefix) != "xmlns" {
			if _, ok := r.lookup(string(a.Prefix)); !ok {
				return "", z.Fail(z.TokenLine(), "unbound namespace prefix %q on attribute %s:%s", a.Prefix, a.Prefix, a.Local)
			}
		}
	}
	uri, ok := r.lookup(string(z.Prefix()))
	if !ok {
		return "", z.Fail(z.TokenLine(), "unbound namespace prefix %q in <%s>", z.Prefix(), z.QName())
	}
	return uri, nil
}

// end closes the scope of the innermost element passed to start.
func (r *nsReader) end() {
	n := len(r.marks) - 1
	if r.idx != nil {
		for i := len(r.ns) - 1; i >= r.marks[n]; i-- {
			if b := &r.ns[i]; b.prev >= 0 {
				r.idx[b.prefix] = b.prev
			} else {
				delete(r.idx, b.prefix)
			}
		}
	}
	r.ns = r.ns[:r.marks[n]]
	r.marks = r.marks[:n]
}

func (r *nsReader) lookup(prefix string) (string, bool) {
	if prefix == "xml" {
		return xmlNamespace, true
	}
	if r.idx != nil {
		if i, ok := r.idx[prefix]; ok {
			return r.ns[i].uri, true
		}
		return "", prefix == ""
	}
	for i := len(r.ns) - 1; i >= 0; i-- {
		if r.ns[i].prefix == prefix {
			return r.ns[i].uri, true
		}
	}
	return "", prefix == ""
}

// syntaxMessage returns the text of a tokenizer error without its line.
func syntaxMessage(err error) (msg string, line int) {
	var se *xmltok.SyntaxError
	if errors.As(err, &se) {
		return se.Msg, se.Line
	}
	return err.Error(), 0
}

// clip shortens b for an error message.
func clip(b []byte) string {
	if len(b) > 40 {
		return fmt.Sprintf("%.40s...", b)
	}
	return string(b)
}
