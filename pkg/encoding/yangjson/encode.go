package yangjson

import (
	"encoding/json"
	"unicode/utf8"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/schema"
)

// EncodeOptions configures Marshal. The zero value writes compact JSON.
type EncodeOptions struct {
	// SkipDefaults leaves out nodes marked Default.
	SkipDefaults bool
	// Indent, when set, puts each member on its own line, indented by Indent per level.
	Indent string
}

// Marshal encodes a data tree as an RFC 7951 JSON object: for a root, one member per top-level
// node; for another node, an object with n as its only member. Members are in schema order (list
// keys first), named "module:name" at top level and where the module changes.
func Marshal(n *data.Node, opts EncodeOptions) ([]byte, error) {
	e := &encoder{o: opts}
	e.b = append(e.b, '{')
	if n.IsRoot() {
		e.children(n.Children(), nil, 1)
	} else {
		e.children([]*data.Node{n}, nil, 1)
	}
	e.newline(0)
	e.b = append(e.b, '}')
	if opts.Indent != "" {
		e.b = append(e.b, '\n')
	}
	return e.b, nil
}

type encoder struct {
	b []byte
	o EncodeOptions
}

func (e *encoder) newline(depth int) {
	if e.o.Indent == "" {
		return
	}
	e.b = append(e.b, '\n')
	for i := 0; i < depth; i++ {
		e.b = append(e.b, e.o.Indent...)
	}
}

func (e *encoder) sep() {
	if e.o.Indent != "" {
		e.b = append(e.b, ": "...)
	} else {
		e.b = append(e.b, ':')
	}
}

// children writes the members for nodes cs (instances of one schema node grouped).
func (e *encoder) children(cs []*data.Node, parentMod *schema.Module, depth int) {
	first := true
	for i := 0; i < len(cs); {
		c := cs[i]
		j := i + 1
		if c.Schema.Kind == schema.KindList || c.Schema.Kind == schema.KindLeafList {
			for j < len(cs) && cs[j].Schema == c.Schema {
				j++
			}
		}
		group := cs[i:j]
		i = j
		if e.o.SkipDefaults {
			var kept []*data.Node
			for _, g := range group {
				if !g.Default {
					kept = append(kept, g)
				}
			}
			if len(kept) == 0 {
				continue
			}
			group = kept
		}
		if !first {
			e.b = append(e.b, ',')
		}
		first = false
		e.newline(depth)
		e.b = append(e.b, '"')
		if c.Schema.Module != parentMod {
			e.b = append(e.b, c.Schema.Module.Name...)
			e.b = append(e.b, ':')
		}
		e.b = append(e.b, c.Schema.Name...)
		e.b = append(e.b, '"')
		e.sep()
		switch c.Schema.Kind {
		case schema.KindList, schema.KindLeafList:
			e.b = append(e.b, '[')
			for k, g := range group {
				if k > 0 {
					e.b = append(e.b, ',')
				}
				e.newline(depth + 1)
				e.one(g, depth+1)
			}
			e.newline(depth)
			e.b = append(e.b, ']')
		default:
			e.one(c, depth)
		}
	}
}

// one writes the value of one node.
func (e *encoder) one(n *data.Node, depth int) {
	sn := n.Schema
	switch sn.Kind {
	case schema.KindLeaf, schema.KindLeafList:
		e.value(&n.Value)
	case schema.KindAnydata, schema.KindAnyxml:
		if n.Value.Str != "" && json.Valid([]byte(n.Value.Str)) {
			e.b = append(e.b, n.Value.Str...)
		} else if n.Value.Str == "" {
			e.b = append(e.b, "{}"...)
		} else {
			e.b = appendString(e.b, n.Value.Str)
		}
	default:
		e.b = append(e.b, '{')
		cs := n.Children()
		if sn.Kind == schema.KindList && len(sn.Keys()) > 0 {
			ordered := make([]*data.Node, 0, len(cs))
			for _, k := range sn.Keys() {
				if c := n.Child(k); c != nil {
					ordered = append(ordered, c)
				}
			}
			for _, c := range cs {
				if !c.Schema.IsKey() || c.Schema.Parent != sn {
					ordered = append(ordered, c)
				}
			}
			cs = ordered
		}
		if len(cs) > 0 {
			e.children(cs, sn.Module, depth+1)
			e.newline(depth)
		}
		e.b = append(e.b, '}')
	}
}

func (e *encoder) value(v *data.Value) {
	switch v.Type.ValueBase() {
	case schema.Int8, schema.Int16, schema.Int32, schema.Uint8, schema.Uint16, schema.Uint32:
		e.b = append(e.b, v.Str...)
	case schema.Boolean:
		if v.Str == "true" {
			e.b = append(e.b, "true"...)
		} else {
			e.b = append(e.b, "false"...)
		}
	case schema.Empty:
		e.b = append(e.b, "[null]"...)
	default:
		e.b = appendString(e.b, v.Str)
	}
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string (RFC 8259): quotes, backslash and control characters
// escaped, everything else as UTF-8 (invalid bytes as U+FFFD).
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
