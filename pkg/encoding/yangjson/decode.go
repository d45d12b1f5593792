package yangjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
)

// DefaultMaxDepth is the nesting limit when DecodeOptions.MaxDepth is 0.
const DefaultMaxDepth = 1000

// DecodeOptions configures Unmarshal. The zero value is the default.
type DecodeOptions struct {
	// MaxDepth limits the nesting of objects and arrays; 0 means DefaultMaxDepth.
	MaxDepth int
	// ErrorType is the error-type of semantic errors; empty means application.
	ErrorType rpcerror.Type
}

// Unmarshal decodes an RFC 7951 JSON document (one object whose members are module-qualified
// top-level data nodes) into a new data tree bound to s.
//
// Member names carry "module:" at top level and where the module changes (RFC 7951 section 4).
// Values follow section 6: int8..uint32 as JSON numbers, int64, uint64 and decimal64 as strings,
// boolean as true/false, empty as [null], identityref as "module:identity", instance-identifier
// with module-name prefixes; leaf-lists and lists are arrays; anydata and anyxml keep their
// JSON value as text. Metadata members ("@...", RFC 7952) are ignored.
//
// Semantic errors are collected (with error-path and Line) and decoding goes on; a JSON syntax
// error stops it, ending the list with a malformed-message error, and the tree is then nil.
func Unmarshal(doc []byte, s *schema.Schema, opts DecodeOptions) (*data.Node, rpcerror.List) {
	d := &decoder{doc: doc, s: s, o: opts, root: data.NewRoot(), line: 1}
	if d.o.ErrorType == "" {
		d.o.ErrorType = rpcerror.Application
	}
	if d.o.MaxDepth <= 0 {
		d.o.MaxDepth = DefaultMaxDepth
	}
	d.dec = json.NewDecoder(bytes.NewReader(doc))
	d.dec.UseNumber()
	err := d.run()
	if err != nil {
		msg := err.Error()
		var se *json.SyntaxError
		if errors.As(err, &se) {
			d.lineAt(int(se.Offset))
		} else {
			d.lineAt(int(d.dec.InputOffset()))
		}
		if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
			msg = "unexpected end of document"
		}
		e := rpcerror.MalformedMessage("malformed JSON: %s", msg)
		e.Line = d.line
		d.errs = append(d.errs, pending{err: e})
		return nil, d.list()
	}
	return d.root, d.list()
}

type pending struct {
	err  *rpcerror.Error
	node *data.Node
	// child, when set, is a schema node under node: the error-path is then node's path plus that
	// child's name (for a leaf-list as a whole, which has no instance-identifier of its own).
	child *schema.Node
}

type decoder struct {
	doc   []byte
	s     *schema.Schema
	o     DecodeOptions
	dec   *json.Decoder
	root  *data.Node
	errs  []pending
	depth int
	// badKeys holds the list keys present in an entry whose value was refused: the entry then
	// gets that error only, not also a "has no key" one.
	badKeys map[keyOf]bool

	// line is the line of offset off (computed incrementally).
	line, off int
}

func (d *decoder) lineAt(off int) int {
	if off > len(d.doc) {
		off = len(d.doc)
	}
	if off < d.off {
		d.line, d.off = 1, 0
	}
	d.line += bytes.Count(d.doc[d.off:off], []byte("\n"))
	d.off = off
	return d.line
}

// keyOf names a key leaf of one list entry.
type keyOf struct {
	entry *data.Node
	key   *schema.Node
}

// leafErr reports e for leaf n, remembering a refused key.
func (d *decoder) leafErr(e *rpcerror.Error, n *data.Node, line int) {
	if n.Schema.IsKey() && n.Parent != nil {
		if d.badKeys == nil {
			d.badKeys = map[keyOf]bool{}
		}
		d.badKeys[keyOf{n.Parent, n.Schema}] = true
	}
	d.addErr(e, n, line)
}

func (d *decoder) addErr(e *rpcerror.Error, n *data.Node, line int) {
	if e.Type == "" || e.Type == rpcerror.Application {
		e.Type = d.o.ErrorType
	}
	e.Line = line
	d.errs = append(d.errs, pending{err: e, node: n})
}

func (d *decoder) list() rpcerror.List {
	if len(d.errs) == 0 {
		return nil
	}
	out := make(rpcerror.List, len(d.errs))
	for i, p := range d.errs {
		if p.node != nil {
			p.err.Path = p.node.Path()
		}
		if c := p.child; c != nil {
			if p.err.Path == "/" {
				p.err.Path = ""
			}
			if p.node.Schema == nil || p.node.Schema.Module != c.Module {
				p.err.Path += "/" + c.Module.Name + ":" + c.Name
			} else {
				p.err.Path += "/" + c.Name
			}
		}
		out[i] = p.err
	}
	return out
}

func (d *decoder) token() (json.Token, error) {
	t, err := d.dec.Token()
	if err != nil {
		return nil, err
	}
	return t, nil
}

func (d *decoder) run() error {
	t, err := d.token()
	if err != nil {
		return err
	}
	if t != json.Delim('{') {
		return fmt.Errorf("the document must be a JSON object")
	}
	if err := d.members(d.root, nil); err != nil {
		return err
	}
	if _, err := d.dec.Token(); err != io.EOF {
		if err == nil {
			return fmt.Errorf("data after the top-level object")
		}
		return err
	}
	return nil
}

// members decodes the members of an object (its '{' already read) as children of parent, whose
// module is mod (nil at top level).
func (d *decoder) members(parent *data.Node, mod *schema.Module) error {
	d.depth++
	defer func() { d.depth-- }()
	if d.depth > d.o.MaxDepth {
		return fmt.Errorf("nested deeper than %d", d.o.MaxDepth)
	}
	for d.dec.More() {
		t, err := d.token()
		if err != nil {
			return err
		}
		name, ok := t.(string)
		if !ok {
			return fmt.Errorf("expected a member name")
		}
		line := d.lineAt(int(d.dec.InputOffset()))
		start := d.dec.InputOffset()
		if strings.HasPrefix(name, "@") {
			if err := d.skip(); err != nil {
				return err
			}
			continue
		}
		sn, m := d.lookup(parent, mod, name, line)
		if sn == nil {
			if err := d.skip(); err != nil {
				return err
			}
			continue
		}
		if err := d.member(parent, sn, m, line, start); err != nil {
			return err
		}
	}
	_, err := d.token() // '}'
	return err
}

// lookup resolves a member name; it reports the error and returns nil when unknown.
func (d *decoder) lookup(parent *data.Node, mod *schema.Module, name string, line int) (*schema.Node, *schema.Module) {
	local := name
	m := mod
	if i := strings.IndexByte(name, ':'); i >= 0 {
		local = name[i+1:]
		m = nil
		if d.s != nil {
			m = d.s.Module(name[:i])
		}
		if m == nil {
			d.addErr(rpcerror.UnknownNamespace(d.o.ErrorType, local, name[:i], ""), parent, line)
			d.errs[len(d.errs)-1].err.Message = fmt.Sprintf("unknown module %q of member %q", name[:i], name)
			return nil, nil
		}
	} else if m == nil {
		d.addErr(rpcerror.UnknownElement(d.o.ErrorType, name, ""), parent, line)
		d.errs[len(d.errs)-1].err.Message = fmt.Sprintf("top-level member %q without a module name", name)
		return nil, nil
	}
	var sn *schema.Node
	if parent.Schema == nil {
		if d.s != nil {
			sn = d.s.Top(m, local)
		}
	} else {
		sn = parent.Schema.Child(m, local)
	}
	if sn == nil || !sn.Kind.IsData() {
		e := rpcerror.UnknownElement(d.o.ErrorType, local, "")
		if parent.Schema != nil {
			e.Message = fmt.Sprintf("unknown member %q in %s %q", name, parent.Schema.Kind, parent.Schema.Name)
		} else {
			e.Message = fmt.Sprintf("unknown member %q", name)
		}
		d.addErr(e, parent, line)
		return nil, nil
	}
	return sn, m
}

// skip reads and discards one JSON value.
func (d *decoder) skip() error {
	depth := 0
	for {
		t, err := d.token()
		if err != nil {
			return err
		}
		switch t {
		case json.Delim('{'), json.Delim('['):
			depth++
			if depth > d.o.MaxDepth {
				return fmt.Errorf("nested deeper than %d", d.o.MaxDepth)
			}
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}

func (d *decoder) newNode(parent *data.Node, sn *schema.Node, line int) *data.Node {
	n := data.New(sn)
	n.Parent = parent
	n.Line = int32(line)
	return n
}

func (d *decoder) member(parent *data.Node, sn *schema.Node, mod *schema.Module, line int, start int64) error {
	switch sn.Kind {
	case schema.KindContainer:
		t, err := d.token()
		if err != nil {
			return err
		}
		n := d.newNode(parent, sn, line)
		if t != json.Delim('{') {
			d.addErr(rpcerror.BadElement(d.o.ErrorType, sn.Name, "", "container %q must be a JSON object", sn.Name), n, line)
			return d.skipRest(t)
		}
		if err := d.members(n, sn.Module); err != nil {
			return err
		}
		d.insert(n)
	case schema.KindList:
		t, err := d.token()
		if err != nil {
			return err
		}
		if t != json.Delim('[') {
			d.addErr(rpcerror.BadElement(d.o.ErrorType, sn.Name, "", "list %q must be a JSON array", sn.Name),
				d.newNode(parent, sn, line), line)
			return d.skipRest(t)
		}
		for d.dec.More() {
			t, err := d.token()
			if err != nil {
				return err
			}
			eline := d.lineAt(int(d.dec.InputOffset()))
			n := d.newNode(parent, sn, eline)
			if t != json.Delim('{') {
				d.addErr(rpcerror.BadElement(d.o.ErrorType, sn.Name, "", "list %q entry must be a JSON object", sn.Name), n, eline)
				if err := d.skipRest(t); err != nil {
					return err
				}
				continue
			}
			if err := d.members(n, sn.Module); err != nil {
				return err
			}
			missing := false
			for _, k := range sn.Keys() {
				if n.Child(k) == nil {
					missing = true
					if !d.badKeys[keyOf{n, k}] {
						d.addErr(rpcerror.MissingElement(d.o.ErrorType, k.Name, "", "list entry %q has no key %q", sn.Name, k.Name), n, eline)
					}
				}
			}
			if !missing {
				d.insert(n)
			}
		}
		_, err = d.token() // ']'
		return err
	case schema.KindLeaf:
		return d.leaf(parent, sn, line, false)
	case schema.KindLeafList:
		t, err := d.token()
		if err != nil {
			return err
		}
		if t != json.Delim('[') {
			d.addErr(rpcerror.BadElement(d.o.ErrorType, sn.Name, "", "leaf-list %q must be a JSON array", sn.Name),
				parent, line)
			d.errs[len(d.errs)-1].child = sn
			return d.skipRest(t)
		}
		for d.dec.More() {
			if err := d.leaf(parent, sn, d.lineAt(int(d.dec.InputOffset())), true); err != nil {
				return err
			}
		}
		_, err = d.token()
		return err
	case schema.KindAnydata, schema.KindAnyxml:
		if err := d.skip(); err != nil {
			return err
		}
		raw := bytes.TrimSpace(d.doc[start:d.dec.InputOffset()])
		raw = bytes.TrimSpace(bytes.TrimPrefix(raw, []byte(":")))
		n := d.newNode(parent, sn, line)
		n.Value.Str = string(raw)
		d.insert(n)
	}
	return nil
}

// skipRest skips the rest of a value whose first token t was already read.
func (d *decoder) skipRest(t json.Token) error {
	if t != json.Delim('{') && t != json.Delim('[') {
		return nil
	}
	depth := 1
	for depth > 0 {
		t, err := d.token()
		if err != nil {
			return err
		}
		switch t {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
	}
	return nil
}

// leaf decodes one leaf value (or one leaf-list entry).
func (d *decoder) leaf(parent *data.Node, sn *schema.Node, line int, entry bool) error {
	t, err := d.token()
	if err != nil {
		return err
	}
	n := d.newNode(parent, sn, line)
	lex, ok := d.lexical(sn.Type, t)
	if t == json.Delim('[') {
		// [null] is the empty type's value.
		t2, err := d.token()
		if err != nil {
			return err
		}
		if t2 == nil {
			if t3, err := d.token(); err != nil {
				return err
			} else if t3 == json.Delim(']') {
				lex, ok = "", acceptsEmpty(sn.Type)
				t = nil
			} else if err := d.skipRest(json.Delim('[')); err != nil {
				return err
			}
		} else if t2 != json.Delim(']') {
			if err := d.skipRest(json.Delim('[')); err != nil {
				return err
			}
			if err := d.skipRest(t2); err != nil {
				return err
			}
		}
	} else if t == json.Delim('{') {
		if err := d.skipRest(t); err != nil {
			return err
		}
	}
	if !ok {
		what := "leaf"
		if entry {
			what = "leaf-list entry"
		}
		n.Value.Str = fmt.Sprint(t)
		d.leafErr(rpcerror.InvalidValue("", "invalid JSON value %s for %s %q of type %s", jsonText(t), what, sn.Name,
			typeName(sn.Type)), n, line)
		return nil
	}
	mod := sn.Module
	resolve := func(p string) *schema.Module {
		if p == "" {
			return mod
		}
		if d.s == nil {
			return nil
		}
		return d.s.Module(p)
	}
	var v data.Value
	var verr *rpcerror.Error
	if vt := sn.Type.ValueType(); vt != nil && vt.Base == schema.Union {
		v, verr = d.union(vt, t, lex, resolve)
		if verr == nil && sn.Type.Base == schema.Leafref {
			v.Type = sn.Type
		}
	} else {
		v, verr = data.ParseValue(sn.Type, lex, resolve)
	}
	if verr != nil {
		n.Value.Str = lex
		d.leafErr(verr, n, line)
		return nil
	}
	n.Value = v
	d.insert(n)
	return nil
}

// union parses the value of JSON token tok (lexical form lex; tok nil for [null]) as a value of
// union type u: RFC 7950 section 9.12 tries the member types in order, and RFC 7951 section 6.10
// encodes a value as its member type is encoded, so a member is tried only when the token has
// that member's JSON kind. The JSON string "161" is then a value of a string member, never of a
// uint16 member (a number), and [null] is only an empty member's value, as yanglint decides.
func (d *decoder) union(u *schema.Type, tok json.Token, lex string, r data.Resolver) (data.Value, *rpcerror.Error) {
	var first *rpcerror.Error
	tried := 0
	for _, m := range u.Union {
		var v data.Value
		var err *rpcerror.Error
		if vt := m.ValueType(); vt != nil && vt.Base == schema.Union {
			v, err = d.union(vt, tok, lex, r)
			if err == nil && m.Base == schema.Leafref {
				v.Type = m
			}
		} else {
			if tok == nil && m.ValueBase() != schema.Empty {
				continue
			}
			if _, ok := d.lexical(m, tok); !ok && tok != nil {
				continue
			}
			v, err = data.ParseValue(m, lex, r)
		}
		if err == nil {
			return v, nil
		}
		tried++
		if first == nil {
			first = err
		}
	}
	if tried == 1 && len(u.Union) == 1 {
		return data.Value{}, first
	}
	return data.Value{}, rpcerror.InvalidValue("", "invalid union value %s - no member type accepts it", jsonText(tok))
}

func jsonText(t json.Token) string {
	switch t := t.(type) {
	case nil:
		return "null"
	case string:
		b, _ := json.Marshal(t)
		return string(b)
	case json.Delim:
		return "'" + t.String() + "'"
	}
	return fmt.Sprint(t)
}

func typeName(t *schema.Type) string {
	if t == nil {
		return "unknown"
	}
	if t.Name != "" {
		return t.Name
	}
	return t.Base.String()
}

func acceptsEmpty(t *schema.Type) bool {
	switch t.ValueBase() {
	case schema.Empty:
		return true
	case schema.Union:
		for _, m := range t.Union {
			if acceptsEmpty(m) {
				return true
			}
		}
	}
	return false
}

// lexical returns the lexical form of a JSON scalar for type t, checking that its JSON kind is
// the one RFC 7951 section 6 prescribes.
func (d *decoder) lexical(t *schema.Type, tok json.Token) (string, bool) {
	k := t.ValueBase()
	switch v := tok.(type) {
	case json.Number:
		switch k {
		case schema.Int8, schema.Int16, schema.Int32, schema.Uint8, schema.Uint16, schema.Uint32, schema.Union:
			return string(v), true
		}
	case string:
		switch k {
		case schema.Int8, schema.Int16, schema.Int32, schema.Uint8, schema.Uint16, schema.Uint32,
			schema.Boolean, schema.Empty:
			return "", false
		case schema.Union:
			return v, true
		}
		return v, true
	case bool:
		if k == schema.Boolean || k == schema.Union {
			if v {
				return "true", true
			}
			return "false", true
		}
	}
	return "", false
}

// insert attaches n to its parent, reporting duplicates.
func (d *decoder) insert(n *data.Node) {
	if n.Parent.Add(n) != nil {
		d.dup(n)
	}
}

func (d *decoder) dup(n *data.Node) {
	d.addErr(rpcerror.BadElement(d.o.ErrorType, n.Schema.Name, "", "duplicate instance of %q", n.Schema.Name), n, int(n.Line))
}
