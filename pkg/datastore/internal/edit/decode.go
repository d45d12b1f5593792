package edit

import (
	"fmt"
	"strings"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
)

// yangNamespace is the namespace of YANG's insert, key and value attributes (RFC 7950 section
// 7.8.6).
const yangNamespace = "urn:ietf:params:xml:ns:yang:1"

// op is an edit operation: the operation attribute's values (RFC 6241 section 7.2) and none,
// which only default-operation can give.
type op uint8

const (
	opUnset op = iota // no operation attribute: the inherited one applies
	opMerge
	opReplace
	opCreate
	opDelete
	opRemove
	opNone
)

var opNames = [...]string{"", "merge", "replace", "create", "delete", "remove", "none"}

func (o op) String() string { return opNames[o] }

// creating reports whether o puts content in place (merge, replace, create).
func (o op) creating() bool { return o == opMerge || o == opReplace || o == opCreate }

// removing reports whether o takes a node away (delete, remove).
func (o op) removing() bool { return o == opDelete || o == opRemove }

// insertPos is the insert attribute's value.
type insertPos uint8

const (
	insertUnset insertPos = iota
	insertFirst
	insertLast
	insertBefore
	insertAfter
)

// An Edit is the decoded content of an edit-config <config>: the data nodes with their operation
// and insert attributes. Apply may be called several times, each after the previous call's
// changes were undone (see Apply).
type Edit struct {
	tops []*enode
	// adopt: Apply puts the decoded nodes of created subtrees into the datastore instead of
	// copies of them (see adoptMin).
	adopt bool
}

// adoptMin is the number of decoded elements from which an edit gives the datastore the nodes
// it decoded for the subtrees it creates, instead of copies. A bulk load then costs one tree,
// not two (the decoded one and its copy: 90 MB more at the peak of a load of 100k
// interfaces). The decoder allocates its nodes in slabs of up to 128 and its strings in chunks
// of up to 32 KiB, and a node kept keeps its slab and the chunks of its strings: for a large
// edit that is about the memory of the edit itself; a small one (a one-entry edit, repeated
// forever) copies, so that each does not keep its decoder's slabs for a few nodes.
const adoptMin = 1024

// enode is one element of the edit.
type enode struct {
	n      *data.Node // the decoded element: schema node, value, key leaves
	key    string     // n.Key() for list and leaf-list entries
	op     op         // own operation attribute, opUnset if none
	insert insertPos
	anchor string // canonical key (list) or value (leaf-list) of the key/value attribute
	hasAnc bool
	kids   []*enode // children in schema order, list keys left out (see children)
	// lazy: e is bare (no attribute in its subtree) and kids is not made yet: children makes it
	// when the edit is applied below e. A bare subtree that is created is put in place as it
	// was decoded and never needs its enodes (a bulk load made one per element: 96 bytes each,
	// 90 MB at the peak of a load of 100k interfaces).
	lazy bool

	// crea: with a creating operation inherited, something in the subtree is put in place
	// (the node itself when it has no children). creaNone: the same with none inherited.
	// need: with none inherited and nothing created, something in the subtree requires data
	// to exist (a delete, or a node without any operation below).
	crea, creaNone, need bool
	// deep: a descendant has an operation attribute.
	deep bool
	// marked: a descendant has an attribute of the edit (operation, insert, key, value).
	marked bool
}

// bare reports whether e has no attribute of the edit and none below it: creating it puts its
// decoded subtree in place as it is.
func (e *enode) bare() bool {
	return e.op == opUnset && e.insert == insertUnset && !e.hasAnc && !e.marked
}

func (e *enode) leafy() bool {
	k := e.n.Schema.Kind
	return k == schema.KindLeaf || k == schema.KindLeafList || k == schema.KindAnydata || k == schema.KindAnyxml
}

// attrs is what the attributes of one element said.
type attrs struct {
	op     op
	insert insertPos
	anchor string
	hasAnc bool
	ancSet bool // a key or value attribute was given, valid or not
}

type decoder struct {
	attrs map[*data.Node]*attrs
	// above holds the ancestors of the nodes with attributes: the others are bare subtrees.
	above map[*data.Node]bool
	errs  rpcerror.List
	nodes int // elements decoded (list keys not counted)
}

// Decode reads the content of an edit-config <config> parameter (its child elements, each
// top-level one carrying the namespace declarations in scope for it, as pkg/encoding/yangxml
// captures anyxml content) into an Edit bound to s.
//
// Every error of the payload is reported, none stops decoding, and the Edit is nil whenever the
// list is not empty: an element that failed to decode cannot be applied with its intended
// meaning (a replace would delete what it failed to carry), so a request with any payload error
// changes nothing, whatever its error-option. The errors are those of yangxml (unknown-element,
// unknown-namespace, invalid-value, bad-element, missing-element; config false nodes are
// unknown-element as pkg/validate reports them) and those of the attributes, all with
// error-type application and the element's instance-identifier as error-path:
//   - an operation attribute value other than the five of RFC 6241 section 7.2: bad-attribute;
//   - merge, replace or create below a delete or remove: bad-attribute (the value is not
//     correct at that place: the subtree of a node being deleted can only identify it);
//   - an operation other than merge on a list key: bad-attribute (a key identifies its entry and
//     cannot be changed or removed on its own, RFC 7950 section 7.8.2);
//   - insert, key or value on a node that is not an ordered-by user list or leaf-list, key on a
//     leaf-list, value on a list, any other attribute in the NETCONF or YANG namespaces, and any
//     attribute without a namespace (an unprefixed "operation" would otherwise be a silent
//     merge): unknown-attribute (RFC 7950 section 8.3.1);
//   - an insert value other than first, last, before, after, and a key or value attribute that
//     is malformed or not valid for the key's or leaf-list's type: bad-attribute (RFC 7950
//     section 8.3.1);
//   - insert before or after without its key (list) or value (leaf-list) attribute:
//     missing-attribute;
//   - data of two cases of one choice under one parent (apart from deleted or removed nodes):
//     bad-element (RFC 7950 section 8.3.1).
//
// Leaves (not keys, not leaf-list entries) inside a delete or remove are not parsed: their value
// does not matter, so <mtu operation="delete"/> is accepted for any type.
func Decode(content []byte, s *schema.Schema) (*Edit, rpcerror.List) {
	d := &decoder{attrs: make(map[*data.Node]*attrs)}
	root, errs := yangxml.Unmarshal(content, s, yangxml.DecodeOptions{
		Wrappers:    []string{},
		AllowEmpty:  true,
		RejectState: true,
		ErrorType:   rpcerror.Application,
		Attr:        d.attr,
		KeepText:    d.keepText,
	})
	if root == nil {
		return nil, errs
	}
	d.above = make(map[*data.Node]bool)
	for n := range d.attrs {
		for p := n.Parent; p != nil && !d.above[p]; p = p.Parent {
			d.above[p] = true
		}
	}
	ed := &Edit{}
	for _, c := range root.Children() {
		ed.tops = append(ed.tops, d.convert(c, opUnset))
	}
	ed.adopt = d.nodes >= adoptMin
	d.checkCases(root, ed.tops)
	errs = append(errs, d.errs...)
	if len(errs) > 0 {
		return nil, errs
	}
	return ed, nil
}

func (d *decoder) get(n *data.Node) *attrs {
	a := d.attrs[n]
	if a == nil {
		a = &attrs{}
		d.attrs[n] = a
	}
	return a
}

// attr is the yangxml Attr hook: it records the operation, insert, key and value attributes.
func (d *decoder) attr(n *data.Node, a yangxml.Attr) *rpcerror.Error {
	s := n.Schema
	switch a.Namespace {
	case yangxml.BaseNamespace:
		if a.Local != "operation" {
			return rpcerror.UnknownAttribute(rpcerror.Application, a.Local, s.Name)
		}
		o := parseOp(a.Value)
		if o == opUnset {
			return rpcerror.BadAttribute(rpcerror.Application, a.Local, s.Name,
				"invalid operation %q: merge, replace, create, delete or remove", a.Value)
		}
		if s.IsKey() && o != opMerge {
			return rpcerror.BadAttribute(rpcerror.Application, a.Local, s.Name,
				"operation %q on key %q: a list key cannot be changed or removed on its own", a.Value, s.Name)
		}
		d.get(n).op = o
	case yangNamespace:
		switch a.Local {
		case "insert", "key", "value":
		default:
			return rpcerror.UnknownAttribute(rpcerror.Application, a.Local, s.Name)
		}
		listLike := s.Kind == schema.KindList || s.Kind == schema.KindLeafList
		if !listLike || !s.OrderedByUser ||
			(a.Local == "key" && s.Kind != schema.KindList) || (a.Local == "value" && s.Kind != schema.KindLeafList) {
			e := rpcerror.UnknownAttribute(rpcerror.Application, a.Local, s.Name)
			if a.Local == "insert" || !listLike || !s.OrderedByUser {
				e.Message = fmt.Sprintf("attribute %q on %s %q: only ordered-by user lists and leaf-lists take it",
					a.Local, s.Kind, s.Name)
			}
			return e
		}
		at := d.get(n)
		if a.Local != "insert" {
			at.ancSet = true
		}
		switch a.Local {
		case "insert":
			switch a.Value {
			case "first":
				at.insert = insertFirst
			case "last":
				at.insert = insertLast
			case "before":
				at.insert = insertBefore
			case "after":
				at.insert = insertAfter
			default:
				return rpcerror.BadAttribute(rpcerror.Application, a.Local, s.Name,
					"invalid insert %q: first, last, before or after", a.Value)
			}
		case "key":
			k, err := parseKeyPredicates(s, a.Value, a.Resolve)
			if err != "" {
				return rpcerror.BadAttribute(rpcerror.Application, a.Local, s.Name, "key attribute %q: %s", a.Value, err)
			}
			at.anchor, at.hasAnc = k, true
		case "value":
			v, e := data.ParseValue(s.Type, a.Value, a.Resolve)
			if e != nil {
				return rpcerror.BadAttribute(rpcerror.Application, a.Local, s.Name, "value attribute %q: %s", a.Value, e.Message)
			}
			at.anchor, at.hasAnc = v.Str, true
		}
	case "":
		return rpcerror.UnknownAttribute(rpcerror.Application, a.Local, s.Name)
	}
	// Attributes of other namespaces (metadata annotations of other modules) are ignored.
	return nil
}

func parseOp(s string) op {
	for i, n := range opNames[opMerge:opNone] {
		if n == s {
			return op(i) + opMerge
		}
	}
	return opUnset
}

// keepText is the yangxml KeepText hook: a leaf inside a delete or remove keeps its text.
func (d *decoder) keepText(n *data.Node) bool {
	if n.Schema.Kind != schema.KindLeaf || n.Schema.IsKey() {
		return false
	}
	for p := n; p != nil && p.Schema != nil; p = p.Parent {
		if a := d.attrs[p]; a != nil && a.op != opUnset {
			return a.op.removing()
		}
	}
	return false
}

func (d *decoder) fail(e *rpcerror.Error, n *data.Node) {
	e.Path = n.Path()
	e.Line = int(n.Line)
	d.errs = append(d.errs, e)
}

// bareEnode returns the enode of n, a node without attributes in its subtree: its children are
// made on demand (enode.children).
func bareEnode(n *data.Node) *enode {
	e := &enode{n: n}
	s := n.Schema
	if s.Kind == schema.KindList || s.Kind == schema.KindLeafList {
		e.key = n.Key()
	}
	// What convert computes for a subtree without operations: something is put in place
	// (crea), and data must exist for none (need); creaNone, deep and marked are false.
	e.crea, e.need = true, true
	e.lazy = !e.leafy() && len(n.Children()) > 0
	return e
}

// children returns e's children in schema order, list keys left out, making them first for a
// bare subtree.
func (e *enode) children() []*enode {
	if e.lazy {
		e.lazy = false
		list := e.n.Schema.Kind == schema.KindList
		for _, c := range e.n.Children() {
			if list && c.Schema.IsKey() {
				continue
			}
			e.kids = append(e.kids, bareEnode(c))
		}
	}
	return e.kids
}

// bareTree checks the bare subtree of n, whose nearest ancestor with an operation attribute has
// inh, as convert would (the cases of its choices), counts its elements, and returns its enode.
func (d *decoder) bareTree(n *data.Node, inh op) *enode {
	d.walkBare(n, !inh.removing())
	return bareEnode(n)
}

func (d *decoder) walkBare(n *data.Node, cases bool) {
	d.nodes++
	list := n.Schema.Kind == schema.KindList
	var seen []choiceCase
	for _, c := range n.Children() {
		if list && c.Schema.IsKey() {
			continue
		}
		if cases {
			d.noteCase(&seen, c)
		}
		d.walkBare(c, cases)
	}
}

// convert builds the enode of n, whose nearest ancestor with an operation attribute has inh.
func (d *decoder) convert(n *data.Node, inh op) *enode {
	if d.attrs[n] == nil && !d.above[n] {
		return d.bareTree(n, inh)
	}
	e := &enode{n: n}
	d.nodes++
	s := n.Schema
	ancSet := false
	if a := d.attrs[n]; a != nil {
		e.op, e.insert, e.anchor, e.hasAnc, ancSet = a.op, a.insert, a.anchor, a.hasAnc, a.ancSet
	}
	if inh.removing() && e.op.creating() {
		d.fail(rpcerror.BadAttribute(rpcerror.Application, "operation", s.Name,
			"operation %q inside a %s: the subtree of a node being deleted only identifies it", e.op, inh), n)
	}
	if (e.insert == insertBefore || e.insert == insertAfter) && !ancSet {
		name := "key"
		if s.Kind == schema.KindLeafList {
			name = "value"
		}
		me := rpcerror.MissingAttribute(rpcerror.Application, name, s.Name)
		me.Message = fmt.Sprintf("insert %q on %q needs the %s attribute", opInsertName(e.insert), s.Name, name)
		d.fail(me, n)
	}
	if s.Kind == schema.KindList || s.Kind == schema.KindLeafList {
		e.key = n.Key()
	}
	eff := e.op
	if eff == opUnset {
		eff = inh
	}
	leafy := e.leafy()
	anyCrea, anyCreaNone, anyNeed := false, false, false
	for _, c := range n.Children() {
		if c.Schema.IsKey() && s.Kind == schema.KindList {
			e.marked = e.marked || d.attrs[c] != nil
			continue
		}
		k := d.convert(c, eff)
		e.kids = append(e.kids, k)
		anyCrea = anyCrea || k.crea
		anyCreaNone = anyCreaNone || k.creaNone
		anyNeed = anyNeed || k.need
		e.deep = e.deep || k.deep || k.op != opUnset
		e.marked = e.marked || !k.bare() || d.attrs[c] != nil
	}
	if !eff.removing() {
		d.checkCases(n, e.kids)
	}
	if !e.op.removing() {
		e.crea = leafy || len(e.kids) == 0 || anyCrea
	}
	switch {
	case e.op.creating():
		e.creaNone = e.crea
	case e.op == opUnset:
		e.creaNone = anyCreaNone
		e.need = leafy || len(e.kids) == 0 || anyNeed
	case e.op == opDelete:
		e.need = true
	}
	return e
}

func opInsertName(p insertPos) string {
	return [...]string{"", "first", "last", "before", "after"}[p]
}

// checkCases reports data of a second case of a choice among the children kids of parent
// (RFC 7950 section 8.3.1: bad-element); deleted and removed children do not count.
func (d *decoder) checkCases(parent *data.Node, kids []*enode) {
	var seen []choiceCase
	for _, k := range kids {
		if !k.op.removing() {
			d.noteCase(&seen, k.n)
		}
	}
}

// choiceCase is a choice and the case in use among a parent's children.
type choiceCase struct{ choice, cs *schema.Node }

// noteCase records the cases of the choices child k of a parent is in, in *seen (the cases in
// use among the parent's children so far: a node has few choices, a slice is cheaper than a map
// per node of a bulk edit), reporting k when another case of one has data.
func (d *decoder) noteCase(seen *[]choiceCase, k *data.Node) {
	for c := k.Schema; c.Parent != nil && (c.Parent.Kind == schema.KindCase || c.Parent.Kind == schema.KindChoice); c = c.Parent {
		if c.Parent.Kind != schema.KindChoice {
			continue
		}
		known := false
		for _, x := range *seen {
			if x.choice != c.Parent {
				continue
			}
			if x.cs != c {
				d.fail(rpcerror.BadElement(rpcerror.Application, k.Schema.Name, "",
					"%q is in case %q of choice %q, whose case %q has data too", k.Schema.Name, c.Name, c.Parent.Name, x.cs.Name), k)
				return
			}
			known = true
		}
		if !known {
			*seen = append(*seen, choiceCase{c.Parent, c})
		}
	}
}

// parseKeyPredicates parses a key attribute (RFC 7950 section 7.8.6: the key predicates of an
// instance-identifier, section 9.13, such as [ex:name='eth0'][ex:unit='1']) for list s and returns
// the entry's key as data.Node.Key gives it, or an error message.
func parseKeyPredicates(s *schema.Node, v string, r data.Resolver) (string, string) {
	vals := make([]string, len(s.Keys()))
	set := make([]bool, len(s.Keys()))
	p := v
	skip := func() { p = strings.TrimLeft(p, " \t\n\r") }
	skip()
	if p == "" {
		return "", "no key predicates"
	}
	for {
		skip()
		if p == "" {
			break
		}
		if p[0] != '[' {
			return "", "expected '['"
		}
		p = p[1:]
		skip()
		i := strings.IndexAny(p, "= \t\n\r]")
		if i <= 0 {
			return "", "expected a key name"
		}
		name := p[:i]
		p = p[i:]
		skip()
		if p == "" || p[0] != '=' {
			return "", "expected '=' after " + name
		}
		p = p[1:]
		skip()
		if p == "" || (p[0] != '\'' && p[0] != '"') {
			return "", "expected a quoted value for " + name
		}
		q := p[0]
		j := strings.IndexByte(p[1:], q)
		if j < 0 {
			return "", "unterminated value for " + name
		}
		val := p[1 : 1+j]
		p = p[2+j:]
		skip()
		if p == "" || p[0] != ']' {
			return "", "expected ']' after the value of " + name
		}
		p = p[1:]
		mod := s.Module
		if c := strings.IndexByte(name, ':'); c >= 0 {
			if r != nil {
				mod = r(name[:c])
			}
			if r == nil || mod == nil {
				return "", "unknown prefix " + name[:c]
			}
			name = name[c+1:]
		}
		ki := -1
		for i, ks := range s.Keys() {
			if ks.Name == name && ks.Module == mod {
				ki = i
			}
		}
		if ki < 0 {
			return "", fmt.Sprintf("%q is not a key of list %q", name, s.Name)
		}
		if set[ki] {
			return "", fmt.Sprintf("key %q given twice", name)
		}
		pv, err := data.ParseValue(s.Keys()[ki].Type, val, r)
		if err != nil {
			return "", fmt.Sprintf("key %q: %s", name, err.Message)
		}
		vals[ki], set[ki] = pv.Str, true
	}
	for i, ok := range set {
		if !ok {
			return "", fmt.Sprintf("key %q missing", s.Keys()[i].Name)
		}
	}
	return strings.Join(vals, "\x00"), ""
}
