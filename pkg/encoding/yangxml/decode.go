package yangxml

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"unsafe"

	"github.com/ncws/ncws/internal/xmltok"
	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
)

// BaseNamespace is the NETCONF base namespace (RFC 6241 section 3.1), the namespace of the
// <config> and <data> wrapper elements.
const BaseNamespace = "urn:ietf:params:xml:ns:netconf:base:1.0"

// xmlNamespace is the namespace bound to the reserved prefix "xml".
const xmlNamespace = "http://www.w3.org/XML/1998/namespace"

// DefaultMaxDepth is the element nesting limit when DecodeOptions.MaxDepth is 0.
const DefaultMaxDepth = 1000

// DecodeOptions configures Unmarshal. The zero value accepts bare top-level data or one
// <config> or <data> wrapper, with the default depth limit.
type DecodeOptions struct {
	// Wrappers lists the local names of the elements in the NETCONF base namespace that may wrap
	// the data as the document's single root. Nil means "config" and "data"; an empty non-nil
	// slice accepts no wrapper.
	Wrappers []string
	// RequireWrapper rejects documents whose root is not one of the Wrappers.
	RequireWrapper bool
	// MaxDepth limits element nesting (wrapper included); 0 means DefaultMaxDepth.
	MaxDepth int
	// AllowEmpty accepts a document without any element (empty, or only whitespace, comments,
	// processing instructions and the XML declaration) as an empty data tree, the way yanglint
	// reads a data file that stands for an empty datastore. Without it such a document is not
	// well-formed XML (a NETCONF message always has a root element).
	AllowEmpty bool
	// RejectState reports every config false node as an error when its start tag is read, and
	// skips its subtree: the reading of a configuration datastore (yanglint -t config), where a
	// state node is the first error even when errors follow inside or after it.
	RejectState bool
	// StrictAttrs reports attributes of data elements that are not metadata annotations
	// (RFC 7952) known to every schema, as yanglint does: only YANG's own insert, value, key and
	// position attributes (namespace urn:ietf:params:xml:ns:yang:1) are accepted. The error is
	// at the element's parent. Attr is still called for the accepted ones.
	StrictAttrs bool
	// ErrorType is the error-type of the semantic errors (unknown elements, bad values ...);
	// empty means application. Syntax errors are always rpc/malformed-message.
	ErrorType rpcerror.Type
	// Attr, when set, is called for every attribute of a data element other than namespace
	// declarations (for example NETCONF's operation attribute, RFC 6241 section 7.2), right after
	// the element's start tag: n is the new node, not yet holding its value nor attached to its
	// parent (n.Parent is set). A returned error is reported at n. When Attr is nil, attributes
	// are ignored.
	Attr func(n *data.Node, a Attr) *rpcerror.Error
	// KeepText, when set, is called for each leaf and leaf-list entry before its value is
	// parsed; when it returns true the text is kept unparsed in n.Value.Str (n.Value.Type nil)
	// and nothing about the value is checked: for example a leaf that an edit deletes, whose
	// value does not matter (RFC 6241 section 7.2). It should return false for list keys, whose
	// values identify their entry.
	KeepText func(n *data.Node) bool
	// Operation, when set to an rpc, action or notification node, decodes that operation's
	// element (the document's single root, in the operation's namespace) instead of data: its
	// children are read against the input (rpc, action) or the notification's own children,
	// and the returned root is a node of the input or notification schema node holding them.
	// A root element naming another operation is unknown-element.
	//
	// Operation may also be an output node (of an rpc or action): the document is then the
	// content of an <rpc-reply> holding that output (RFC 7950 sections 7.14.4 and 7.15.3), bare
	// elements read against the output's children, and the root is a node of the output node.
	//
	// With Operation set, Unmarshal's schema may be nil: namespaces then resolve to the modules
	// of the operation's nodes and to the modules those import (what a generated client has).
	Operation *schema.Node
	// Release, when set, is called now and then (about every ReleaseStep bytes read) with an
	// offset of the document below which the decoder will read nothing more and keeps no
	// reference: a caller that mapped a large document into memory may drop those pages (the
	// decoded tree never refers to the document).
	Release func(offset int)
}

// ReleaseStep is about how many bytes the decoder reads between two DecodeOptions.Release calls.
const ReleaseStep = 256 << 10

// UnmarshalNested decodes a data tree that holds exactly one action or notification somewhere
// inside it: the content of an <action> element (RFC 7950 section 7.15.2), which may be given
// with its <action xmlns="urn:ietf:params:xml:ns:yang:1"> element as the root, or the content
// of a <notification> (RFC 7950 section 7.16.2; a top-level notification element is accepted
// too). The path down to the operation is read as data (containers, list entries with their
// keys); the operation element's children are read against the action's input or the
// notification.
//
// It returns the top-level node of the tree and op, the node of the action's input schema node
// (or of the notification schema node) holding the operation's content. op.Parent is the data
// node the operation is defined in (nil for a top-level notification), attached to its
// ancestors up to top, but op is not among its parent's children. A document without any
// operation returns a nil op and no error (the caller names what is missing); a second
// operation is a bad-element error, and a second top-level element too.
func UnmarshalNested(doc []byte, s *schema.Schema, opts DecodeOptions) (top, op *data.Node, errs rpcerror.List) {
	opts.Operation = nil
	opts.Wrappers = []string{}
	opts.RequireWrapper = false
	d := newDecoder(doc, s, opts)
	defer d.release()
	d.nested = true
	root, errs := d.run()
	if root == nil {
		return nil, nil, errs
	}
	if cs := root.Children(); len(cs) > 0 {
		top = cs[0]
	} else if d.op != nil && d.op.Parent == nil {
		top = d.op
	}
	return top, d.op, errs
}

// opModules maps the namespaces of the modules of op's nodes, and of the modules they import,
// to those modules.
func opModules(op *schema.Node) map[string]*schema.Module {
	mods := map[string]*schema.Module{}
	add := func(m *schema.Module) {
		if m == nil || mods[m.Namespace] != nil {
			return
		}
		mods[m.Namespace] = m
		for _, im := range m.Prefixes {
			if im != nil && mods[im.Namespace] == nil {
				mods[im.Namespace] = im
			}
		}
	}
	var walk func(n *schema.Node, depth int)
	walk = func(n *schema.Node, depth int) {
		add(n.Module)
		if depth > 1000 {
			return
		}
		for _, c := range n.Children {
			walk(c, depth+1)
		}
	}
	walk(op, 0)
	return mods
}

// opInput returns the schema node an operation element's children are read against: the
// input of an rpc or action (the operation itself when it has none), a notification itself.
func opInput(op *schema.Node) *schema.Node {
	if op.Kind == schema.KindRPC || op.Kind == schema.KindAction {
		for _, c := range op.Children {
			if c.Kind == schema.KindInput {
				return c
			}
		}
	}
	return op
}

// Attr is an attribute of a data element.
type Attr struct {
	// Namespace is the attribute's namespace URI, empty for an unprefixed attribute.
	Namespace string
	Prefix    string
	Local     string
	// Value is the normalized value (references replaced, whitespace characters as spaces).
	Value string
	// Resolve maps a prefix to a module through the element's in-scope namespace declarations,
	// for attribute values holding prefixed names (YANG's key and value attributes, RFC 7950
	// section 7.8.6). It is only valid during the DecodeOptions.Attr call.
	Resolve data.Resolver
}

// Unmarshal decodes an XML document (RFC 7950 section 7 encoding) into a new data tree bound to
// s. The data may be wrapped in a <config> or <data> element of the NETCONF base namespace (see
// DecodeOptions.Wrappers) or be bare top-level elements, several if need be.
//
// Every value is parsed and checked with data.ParseValue. Semantic errors (unknown elements or
// namespaces, bad values, duplicate instances, missing list keys, text in inner nodes) are
// collected, each with its error-path and Line, and decoding goes on so that all of them are
// reported; the tree then holds the nodes that were correct. A well-formedness error stops
// decoding: the list ends with one malformed-message error and the tree is nil. Unmarshal does
// not retain doc.
func Unmarshal(doc []byte, s *schema.Schema, opts DecodeOptions) (*data.Node, rpcerror.List) {
	d := newDecoder(doc, s, opts)
	defer d.release()
	return d.run()
}

type nsInfo struct {
	uri string
	mod *schema.Module
}

type nsBinding struct {
	prefix string
	info   *nsInfo
	prev   int // index in decoder.ns of the binding this one shadows, -1: none (kept with nsIdx)
}

// smallScope is how many declarations may be in scope before the decoder indexes them: a
// prefix lookup then takes constant time, not time linear in the declarations in scope (each
// element under 200,000 declarations must not cost 200,000 comparisons).
const smallScope = 32

// pushNS brings b into scope.
func (d *decoder) pushNS(b nsBinding) {
	b.prev = -1
	if d.nsIdx == nil && len(d.ns) >= smallScope {
		d.nsIdx = make(map[string]int, 2*len(d.ns))
		for i := range d.ns {
			e := &d.ns[i]
			e.prev = -1
			if j, ok := d.nsIdx[e.prefix]; ok {
				e.prev = j
			}
			d.nsIdx[e.prefix] = i
		}
	}
	if d.nsIdx != nil {
		if j, ok := d.nsIdx[b.prefix]; ok {
			b.prev = j
		}
		d.nsIdx[b.prefix] = len(d.ns)
	}
	d.ns = append(d.ns, b)
}

// popNS takes the declarations from d.ns[top:] out of scope.
func (d *decoder) popNS(top int) {
	if d.nsIdx != nil {
		for i := len(d.ns) - 1; i >= top; i-- {
			if b := &d.ns[i]; b.prev >= 0 {
				d.nsIdx[b.prefix] = b.prev
			} else {
				delete(d.nsIdx, b.prefix)
			}
		}
	}
	d.ns = d.ns[:top]
}

// findNS returns the index in d.ns of prefix's binding in scope, -1 when none.
func (d *decoder) findNS(prefix string) int {
	if d.nsIdx != nil {
		if i, ok := d.nsIdx[prefix]; ok {
			return i
		}
		return -1
	}
	for i := len(d.ns) - 1; i >= 0; i-- {
		if d.ns[i].prefix == prefix {
			return i
		}
	}
	return -1
}

type frameKind uint8

const (
	frameData frameKind = iota
	frameWrapper
	frameSkip // an unknown element's subtree, or an element inside a leaf
	frameAny  // inside anydata/anyxml
)

type frame struct {
	kind  frameKind
	start int        // document offset of the start tag
	node  *data.Node // frameData; frameAny at the anydata element itself
	nsTop int        // len(decoder.ns) before this element's declarations

	// Leaf text.
	text   []byte
	nseg   int
	copied bool // text is in decoder.textBuf
	failed bool // an error was reported for this leaf or text in an inner node

	// Content after markup. yanglint's XML reader (libyang) takes a leaf's value from the text
	// and CDATA before the first comment or processing instruction (cut); any text other than
	// literal whitespace, or any CDATA, after that is an error at the leaf (garbage). In an inner
	// node or at the top level, such text after a comment or child element is an error at the
	// child element closed last (last), or at the node itself when none was (marked).
	cut         bool
	garbage     bool
	garbageLine int
	marked      bool
	last        *data.Node

	// Anydata capture (at the anydata element).
	anyStart  int // content start offset, -1 for a self-closing element
	anyDecl   string
	anyInject []inject
}

type inject struct {
	pos  int
	decl string
}

type pendingErr struct {
	err *rpcerror.Error
	// node, when set, gives the error-path as node.Path() computed once the tree is complete;
	// otherwise err.Path was set when the error was found.
	node *data.Node
}

type decoder struct {
	z      xmltok.Tokenizer
	s      *schema.Schema
	o      DecodeOptions
	etype  rpcerror.Type
	root   *data.Node
	stack  []frame
	ns     []nsBinding
	nsIdx  map[string]int // prefix -> index in ns, once more than smallScope are in scope
	infos  map[string]*nsInfo
	prefix map[string]string
	errs   []pendingErr

	wrapped bool // a wrapper element was the root
	// output is set when decoding an rpc-reply's content against DecodeOptions.Operation, an
	// output node.
	output bool
	// nested is set by UnmarshalNested; op is the operation node found.
	nested bool
	op     *data.Node
	// opMods maps namespaces to modules when decoding an operation without a schema: the
	// modules of the operation's nodes and those they import.
	opMods    map[string]*schema.Module
	textBuf   []byte
	attrBuf   []byte
	slabSize  int
	arenaSize int
	slab      []data.Node
	arena     []byte
	shorts    map[string]string // see short
	resolver  data.Resolver
	// infoSchema is the schema infos were resolved with: a pooled decoder keeps them for the
	// next document of the same schema.
	infoSchema  *schema.Schema
	nextRelease int // document offset of the next DecodeOptions.Release call
	// kidsHint holds, per container or list, how many children its last instance had: room
	// for as many is made in the next one's children (instances of one node are alike).
	kidsHint map[*schema.Node]int
	// badKeys holds the list keys present in an entry whose element was refused (a bad value):
	// the entry then gets that error only, not also a "has no key" one.
	badKeys map[keyOf]bool
}

// keyOf names a key leaf of one list entry.
type keyOf struct {
	entry *data.Node
	key   *schema.Node
}

// decoders are reused across documents for their tokenizer, stacks, maps and buffers (a
// small rpc paid more for a fresh decoder than for decoding). What a decode returns never
// refers to them: node slabs and the string arena are not reused, and values are parsed from
// the text buffer only when they do not keep it (copyValue).
var decoders = sync.Pool{New: func() any {
	return &decoder{infos: make(map[string]*nsInfo), prefix: make(map[string]string)}
}}

func newDecoder(doc []byte, s *schema.Schema, o DecodeOptions) *decoder {
	maxDepth := o.MaxDepth
	if maxDepth <= 0 {
		maxDepth = DefaultMaxDepth
	}
	d := decoders.Get().(*decoder)
	if s == nil || s != d.infoSchema {
		// The namespaces resolved for one schema hold for the next document of that schema
		// (a session's requests): only another schema, or none, starts afresh.
		clear(d.infos)
	}
	*d = decoder{z: d.z, s: s, o: o, etype: o.ErrorType, infoSchema: s,
		stack: d.stack[:0], ns: d.ns[:0], infos: d.infos, prefix: d.prefix, kidsHint: d.kidsHint,
		textBuf: d.textBuf[:0], attrBuf: d.attrBuf[:0], errs: d.errs[:0], resolver: d.resolver}
	if d.etype == "" {
		d.etype = rpcerror.Application
	}
	if d.o.Wrappers == nil {
		d.o.Wrappers = []string{"config", "data"}
	}
	switch op := o.Operation; {
	case op == nil:
		d.root = data.NewRoot()
	case op.Kind == schema.KindOutput:
		d.root = data.New(op)
		d.output = true
	default:
		d.root = data.New(opInput(op))
	}
	if op := o.Operation; op != nil && s == nil {
		d.opMods = opModules(op)
	}
	d.z.Reset(doc, maxDepth)
	d.z.SetAllowEmpty(o.AllowEmpty)
	if d.resolver == nil {
		d.resolver = d.resolvePrefix // bound to d, which is reused: made once
	}
	return d
}

// xmlInfo and noNS are the namespace of the xml prefix and the absence of a namespace (read
// only).
var (
	xmlInfo = &nsInfo{uri: xmlNamespace}
	noNS    = &nsInfo{}
)

// release gives d back for reuse once the decode's results are out: it keeps no reference to
// them or to the document.
func (d *decoder) release() {
	if cap(d.textBuf) > 64<<10 || cap(d.attrBuf) > 64<<10 || cap(d.stack) > 1024 || len(d.infos) > 64 || len(d.kidsHint) > 256 {
		return // a large document's buffers go with it
	}
	d.z.Reset(nil, 0)
	clear(d.stack[:cap(d.stack)])
	clear(d.ns[:cap(d.ns)])
	clear(d.errs[:cap(d.errs)])
	if d.s == nil {
		clear(d.infos) // resolved through opMods, which go
	}
	clear(d.prefix)
	clear(d.kidsHint)
	*d = decoder{z: d.z, stack: d.stack[:0], ns: d.ns[:0], infos: d.infos, infoSchema: d.infoSchema, prefix: d.prefix,
		kidsHint: d.kidsHint, textBuf: d.textBuf[:0], attrBuf: d.attrBuf[:0], errs: d.errs[:0], resolver: d.resolver}
	decoders.Put(d)
}

// bstr views b as a string without copying; the result must not outlive b's contents.
func bstr(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

const arenaChunk = 32 << 10

// str copies b into the string arena: values share large blocks instead of one allocation each.
// Arena bytes are never written again once a string refers to them.
func (d *decoder) str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if len(b) > arenaChunk/8 {
		return string(b)
	}
	if cap(d.arena)-len(d.arena) < len(b) {
		// Chunks grow from 512 bytes to arenaChunk, as the node slabs do.
		d.arenaSize = min(max(2*d.arenaSize, 512), arenaChunk)
		d.arena = make([]byte, 0, max(d.arenaSize, len(b)))
	}
	start := len(d.arena)
	d.arena = append(d.arena, b...)
	return unsafe.String(&d.arena[start], len(b))
}

// maxShort and maxShorts bound the numbers short copies once: values up to 8 bytes, 1,024 of
// them per document.
const (
	maxShort  = 8
	maxShorts = 1024
)

func isNumber(k schema.BaseKind) bool { return k.IsInteger() || k == schema.Decimal64 }

// short is str for the text of a number: the same short numbers recur (an MTU, a prefix length,
// a VLAN id in every entry of a long list), and share one copy.
func (d *decoder) short(b []byte) string {
	if s, ok := d.shorts[string(b)]; ok {
		return s
	}
	s := d.str(b)
	if len(d.shorts) < maxShorts {
		if d.shorts == nil {
			d.shorts = map[string]string{}
		}
		d.shorts[s] = s
	}
	return s
}

// maxSlab is the number of nodes of a full slab: as many as 8 KiB holds, a size class of its
// own (128 nodes of 56 bytes, 7 KiB, would be rounded up to 8 KiB: 1 KiB lost per slab, 14%).
// Larger slabs (64 KiB) would save ncws validate another 1 MB of span metadata on a million
// nodes, but a datastore keeps decoded nodes: a slab stays alive while any of its nodes does.
const maxSlab = 8192 / int(unsafe.Sizeof(data.Node{}))

// newNode returns a zeroed node from a slab (fewer, larger allocations).
func (d *decoder) newNode(sn *schema.Node) *data.Node {
	if len(d.slab) == 0 {
		// Slabs grow from 4 nodes to maxSlab: a small message (an rpc's parameters) does not
		// pay for a large one.
		d.slabSize = min(max(2*d.slabSize, 4), maxSlab)
		d.slab = make([]data.Node, d.slabSize)
	}
	n := &d.slab[0]
	d.slab = d.slab[1:]
	n.Schema = sn
	return n
}

func (d *decoder) resolvePrefix(prefix string) *schema.Module {
	if i := d.findNS(prefix); i >= 0 {
		return d.ns[i].info.mod
	}
	return nil
}

func (d *decoder) lookupNS(prefix []byte) *nsInfo {
	if i := d.findNS(string(prefix)); i >= 0 {
		return d.ns[i].info
	}
	if string(prefix) == "xml" {
		return xmlInfo
	}
	if len(prefix) == 0 {
		return noNS
	}
	return nil
}

// addErr records an error at node n (nil: the error-path e already has). The error-path is n's path at this
// point of the document, the way yanglint reports errors found while parsing: ancestors are the
// elements being read, and a list entry's predicates name only the keys read so far.
func (d *decoder) addErr(e *rpcerror.Error, n *data.Node, line int) {
	path := e.Path
	if n != nil {
		path = n.Path()
	}
	d.addErrPath(e, path, line)
}

// addErrPath records an error with the given error-path.
func (d *decoder) addErrPath(e *rpcerror.Error, path string, line int) {
	if e.Type == "" || e.Type == rpcerror.Application {
		e.Type = d.etype
	}
	e.Line = line
	e.Path = path
	d.errs = append(d.errs, pendingErr{err: e})
}

// addErrLate records an error whose error-path is n's path in the complete tree (keys included
// even when they follow the point where the error was found).
func (d *decoder) addErrLate(e *rpcerror.Error, n *data.Node, line int) {
	if e.Type == "" || e.Type == rpcerror.Application {
		e.Type = d.etype
	}
	e.Line = line
	d.errs = append(d.errs, pendingErr{err: e, node: n})
}

// childPath returns the path of a child of parent with schema node sn, without predicates of
// its own: the error-path of a value that could not be parsed (yanglint names a leaf-list entry
// whose value is invalid without a value predicate).
func childPath(parent *data.Node, sn *schema.Node) string {
	var b strings.Builder
	if parent != nil && parent.Schema != nil {
		b.WriteString(parent.Path())
	}
	b.WriteByte('/')
	if parent == nil || parent.Schema == nil || parent.Schema.Module != sn.Module {
		b.WriteString(sn.Module.Name)
		b.WriteByte(':')
	}
	b.WriteString(sn.Name)
	return b.String()
}

// openPath returns n's path as yanglint reports it while n's element is still being read: n is
// not yet linked to its parent, so when n is a key of its list entry, the entry's predicates
// leave n out.
func openPath(n *data.Node) string {
	p := n.Parent
	if p == nil || p.Schema == nil || p.Schema.Kind != schema.KindList || !n.Schema.IsKey() || p.Child(n.Schema) != n {
		return n.Path()
	}
	var b strings.Builder
	b.WriteString(childPath(p.Parent, p.Schema))
	for _, ks := range p.Schema.Keys() {
		k := p.Child(ks)
		if k == nil || k == n {
			continue
		}
		q := "'"
		if strings.Contains(k.Value.Str, "'") {
			q = "\""
		}
		b.WriteString("[" + ks.Name + "=" + q + k.Value.Str + q + "]")
	}
	b.WriteString("/" + n.Schema.Name)
	return b.String()
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
		out[i] = p.err
	}
	return out
}

func (d *decoder) run() (*data.Node, rpcerror.List) {
	for {
		k, err := d.z.Next()
		if err == nil {
			switch k {
			case xmltok.EOF:
				if d.o.RequireWrapper && !d.wrapped {
					e := rpcerror.MissingElement(d.etype, d.o.Wrappers[0], "/", "missing <%s> wrapper element", d.o.Wrappers[0])
					d.addErr(e, nil, 1)
				}
				return d.root, d.list()
			case xmltok.StartElement:
				err = d.start()
			case xmltok.EndElement:
				d.end()
			case xmltok.Text, xmltok.CDATA:
				d.text(k)
			case xmltok.Comment, xmltok.ProcInst:
				d.markup()
			}
			if d.o.Release != nil && d.z.Offset() >= d.nextRelease {
				d.releaseDoc()
			}
		}
		if err != nil {
			line := d.z.Line()
			msg := err.Error()
			if se, ok := err.(*xmltok.SyntaxError); ok {
				line, msg = se.Line, se.Msg
			}
			e := rpcerror.MalformedMessage("malformed XML: %s", msg)
			e.Line = line
			d.errs = append(d.errs, pendingErr{err: e})
			return nil, d.list()
		}
	}
}

// releaseDoc tells DecodeOptions.Release how much of the document is done with: everything before
// the next token, except the text of an open leaf (which may still be a view of the document)
// and the content of an open anydata element (copied at its end tag).
func (d *decoder) releaseDoc() {
	bound := d.z.Offset()
	for i := len(d.stack) - 1; i >= 0; i-- {
		f := &d.stack[i]
		if (f.kind == frameAny && f.node != nil) || (i == len(d.stack)-1 && f.kind == frameData && isLeafy(f.node.Schema)) {
			bound = min(bound, f.start)
		}
	}
	d.nextRelease = d.z.Offset() + ReleaseStep
	d.o.Release(bound)
}

// declare processes the namespace declarations of the current start tag.
func (d *decoder) declare() error {
	z := &d.z
	for i := range z.Attrs() {
		a := &z.Attrs()[i]
		var prefix string
		switch {
		case a.Prefix == nil && string(a.Local) == "xmlns":
		case string(a.Prefix) == "xmlns":
			if string(a.Local) == "xmlns" {
				return z.Fail(z.TokenLine(), "the prefix xmlns must not be declared")
			}
			p, ok := d.prefix[string(a.Local)]
			if !ok {
				p = string(a.Local)
				d.prefix[p] = p
			}
			prefix = p
		default:
			continue
		}
		v := a.Value
		if bytes.ContainsAny(v, "&\t\n\r") {
			d.attrBuf = xmltok.AppendAttrValue(d.attrBuf[:0], v)
			v = d.attrBuf
		}
		if prefix != "" && len(v) == 0 {
			return z.Fail(z.TokenLine(), "namespace prefix %s undeclared (not allowed in XML Namespaces 1.0)", prefix)
		}
		if (prefix == "xml") != (string(v) == xmlNamespace) {
			return z.Fail(z.TokenLine(), "the prefix xml is bound only to %s", xmlNamespace)
		}
		info := d.infos[string(v)]
		if info == nil {
			info = &nsInfo{uri: string(v)}
			if d.s != nil && len(v) > 0 {
				info.mod = d.s.ModuleByNamespace(info.uri)
			} else if d.opMods != nil {
				info.mod = d.opMods[info.uri]
			}
			d.infos[info.uri] = info
		}
		d.pushNS(nsBinding{prefix: prefix, info: info})
	}
	return nil
}

func (d *decoder) start() error {
	z := &d.z
	nsTop := len(d.ns)
	if len(z.Attrs()) > 0 {
		if err := d.declare(); err != nil {
			return err
		}
	}
	info := d.lookupNS(z.Prefix())
	if info == nil {
		return z.Fail(z.TokenLine(), "unbound namespace prefix %q in <%s>", z.Prefix(), z.QName())
	}
	if len(z.Attrs()) > 0 {
		if err := d.checkAttrPrefixes(); err != nil {
			return err
		}
	}
	f := frame{nsTop: nsTop, start: z.TokenOffset()}
	line := z.TokenLine()
	var parent *frame
	if len(d.stack) > 0 {
		parent = &d.stack[len(d.stack)-1]
	}
	switch {
	case parent != nil && parent.kind == frameSkip:
		f.kind = frameSkip
	case parent != nil && parent.kind == frameAny:
		f.kind = frameAny
		if parent.node != nil && parent.anyStart >= 0 {
			// A top-level element of the anydata content: make it carry the declarations it
			// inherits from outside.
			parent.anyInject = append(parent.anyInject,
				inject{pos: z.TokenOffset() + 1 + len(z.QName()), decl: d.outerDecls(parent, nsTop)})
		}
	case parent != nil && parent.kind == frameData && isLeafy(parent.node.Schema):
		f.kind = frameSkip
		if !parent.failed {
			parent.failed = true
			e := rpcerror.BadElement(d.etype, string(z.Local()), "", "element %q inside %s %q",
				z.Local(), parent.node.Schema.Kind, parent.node.Schema.Name)
			d.addErr(e, parent.node, line)
		}
	default:
		parentNode := d.root
		if parent != nil && parent.kind == frameData {
			parentNode = parent.node
		}
		if d.nested && parent == nil {
			if z.Roots() == 1 && info.uri == yangNamespace && string(z.Local()) == "action" {
				d.wrapped = true
				f.kind = frameWrapper
				break
			}
			if z.Roots() > 1 || len(d.root.Children()) > 0 || d.op != nil {
				f.kind = frameSkip
				d.addErr(rpcerror.BadElement(d.etype, string(z.Local()), "", "element %q: only one top-level element may hold the operation",
					z.Local()), nil, line)
				break
			}
		}
		if parent == nil && d.o.Operation != nil && !d.output {
			op := d.o.Operation
			if z.Roots() == 1 && info.mod == op.Module && string(z.Local()) == op.Name {
				d.wrapped = true
				f.kind = frameWrapper
				break
			}
			f.kind = frameSkip
			d.addErr(rpcerror.UnknownElement(d.etype, string(z.Local()), ""), nil, line)
			break
		}
		if parent == nil && !d.output {
			if z.Roots() == 1 && info.uri == BaseNamespace && d.isWrapper(z.Local()) {
				d.wrapped = true
				f.kind = frameWrapper
				break
			}
			if d.wrapped {
				f.kind = frameSkip
				d.addErr(rpcerror.BadElement(d.etype, string(z.Local()), "", "element %q after the <%s> wrapper",
					z.Local(), d.o.Wrappers[0]), d.root, line)
				break
			}
			if d.o.RequireWrapper {
				f.kind = frameSkip
				d.addErr(rpcerror.UnknownElement(d.etype, string(z.Local()), ""), d.root, line)
				break
			}
		}
		sn := d.lookup(parentNode, info, z.Local())
		if sn == nil && d.nested {
			if op := d.lookupOp(parentNode, info, z.Local()); op != nil {
				if d.op != nil {
					f.kind = frameSkip
					d.addErr(rpcerror.BadElement(d.etype, op.Name, "", "a second %s %q: the message must hold exactly one",
						op.Kind, op.Name), parentNode, line)
					break
				}
				n := data.New(opInput(op))
				n.Line = int32(line)
				if !parentNode.IsRoot() {
					n.Parent = parentNode
				}
				d.op = n
				f.kind = frameData
				f.node = n
				if d.o.Attr != nil {
					d.callAttr(n, line)
				}
				break
			}
		}
		if sn == nil {
			f.kind = frameSkip
			var e *rpcerror.Error
			if info.mod == nil {
				e = rpcerror.UnknownNamespace(d.etype, string(z.Local()), info.uri, "")
			} else {
				e = rpcerror.UnknownElement(d.etype, string(z.Local()), "")
				if parentNode.Schema != nil {
					e.Message = "unknown element \"" + string(z.Local()) + "\" in " + parentNode.Schema.Kind.String() +
						" \"" + parentNode.Schema.Name + "\""
				}
			}
			d.addErr(e, parentNode, line)
			break
		}
		if d.o.RejectState && !sn.Config {
			f.kind = frameSkip
			// The same error pkg/validate gives for a state node in configuration.
			e := rpcerror.UnknownElement(d.etype, sn.Name, "")
			e.Message = fmt.Sprintf("state data node %q in configuration", sn.Name)
			d.addErrPath(e, childPath(parentNode, sn), line)
			break
		}
		if d.o.StrictAttrs && len(z.Attrs()) > 0 {
			d.checkAttrs(parentNode, line)
		}
		n := d.newNode(sn)
		n.Line = int32(line)
		n.Parent = parentNode
		f.node = n
		if sn.Kind == schema.KindList || sn.Kind == schema.KindContainer {
			if h := d.kidsHint[sn]; h > 0 {
				n.Reserve(h)
			}
		}
		if sn.Kind == schema.KindAnydata || sn.Kind == schema.KindAnyxml {
			f.kind = frameAny
			f.anyStart = z.Offset()
			if z.SelfClosing() {
				f.anyStart = -1
			}
			f.anyDecl = ""
		}
		if d.o.Attr != nil {
			d.callAttr(n, line)
		}
	}
	d.stack = append(d.stack, f)
	if f.kind == frameAny && f.node != nil && f.anyStart >= 0 {
		// Declarations visible at the anydata element, for its top-level children.
		top := &d.stack[len(d.stack)-1]
		top.anyDecl = d.visibleDecls(len(d.ns), nil)
	}
	return nil
}

func isLeafy(sn *schema.Node) bool {
	return sn.Kind == schema.KindLeaf || sn.Kind == schema.KindLeafList
}

// wrapperName is the local name of the wrapper element for messages.
func (d *decoder) wrapperName() string {
	switch {
	case d.nested:
		return "action"
	case d.o.Operation != nil:
		return d.o.Operation.Name
	case len(d.o.Wrappers) > 0:
		return d.o.Wrappers[0]
	}
	return "config"
}

func (d *decoder) isWrapper(local []byte) bool {
	for _, w := range d.o.Wrappers {
		if w == string(local) {
			return true
		}
	}
	return false
}

// lookup finds the schema node for a child element of parent.
func (d *decoder) lookup(parent *data.Node, info *nsInfo, local []byte) *schema.Node {
	if info.mod == nil || (d.s == nil && parent.Schema == nil) {
		return nil
	}
	name := bstr(local) // only used as a map key for the lookup
	var sn *schema.Node
	if parent.Schema == nil {
		sn = d.s.Top(info.mod, name)
	} else {
		sn = parent.Schema.Child(info.mod, name)
	}
	if sn == nil || !sn.Kind.IsData() {
		return nil
	}
	return sn
}

// lookupOp finds the action or notification a child element of parent names (UnmarshalNested):
// a notification at the top level, an action or notification inside a container or list entry.
func (d *decoder) lookupOp(parent *data.Node, info *nsInfo, local []byte) *schema.Node {
	if info.mod == nil || d.s == nil {
		return nil
	}
	name := string(local)
	if parent.Schema == nil {
		for _, n := range info.mod.Notifications {
			if n.Name == name {
				return n
			}
		}
		return nil
	}
	if k := parent.Schema.Kind; k != schema.KindContainer && k != schema.KindList {
		return nil
	}
	return parent.Schema.Operation(info.mod, name)
}

// yangNamespace is the namespace of YANG's own metadata annotations (RFC 7950 section 7.8.6:
// insert, value, key; position is libyang's addition).
const yangNamespace = "urn:ietf:params:xml:ns:yang:1"

// checkAttrs reports the first attribute of the current start tag that is not one of YANG's
// own annotations with a valid value (DecodeOptions.StrictAttrs), at the element's parent.
func (d *decoder) checkAttrs(parent *data.Node, line int) {
	z := &d.z
	for i := range z.Attrs() {
		a := &z.Attrs()[i]
		if (a.Prefix == nil && string(a.Local) == "xmlns") || string(a.Prefix) == "xmlns" {
			continue
		}
		var msg string
		switch {
		case a.Prefix == nil:
			msg = "attribute " + string(a.Local) + " without a namespace is not a metadata annotation"
		case d.lookupNS(a.Prefix).uri != yangNamespace:
			msg = "attribute " + string(a.Prefix) + ":" + string(a.Local) + " is not a known metadata annotation"
		default:
			v := string(xmltok.AppendAttrValue(nil, a.Value))
			ok := false
			switch string(a.Local) {
			case "insert":
				ok = v == "first" || v == "last" || v == "before" || v == "after"
			case "value":
				ok = true
			case "key":
				ok = strings.HasPrefix(v, "[")
			case "position":
				ok = isDigits(v)
			}
			if !ok {
				msg = "invalid metadata annotation " + string(a.Prefix) + ":" + string(a.Local) + "=\"" + v + "\""
			}
		}
		if msg != "" {
			d.addErr(rpcerror.BadAttribute(d.etype, string(a.Local), string(z.Local()), "%s", msg), parent, line)
			return
		}
	}
}

// isDigits reports whether s is a non-empty run of at most 10 decimal digits (a uint32).
func isDigits(s string) bool {
	if s == "" || len(s) > 10 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) < 10 || s <= "4294967295"
}

// checkAttrPrefixes checks that every attribute prefix is bound and that no two attributes have
// the same expanded name.
func (d *decoder) checkAttrPrefixes() error {
	z := &d.z
	var seen map[expandedName]bool
	for i := range z.Attrs() {
		a := &z.Attrs()[i]
		if a.Prefix == nil || string(a.Prefix) == "xmlns" {
			continue
		}
		ai := d.lookupNS(a.Prefix)
		if ai == nil {
			return z.Fail(z.TokenLine(), "unbound namespace prefix %q on attribute %s:%s", a.Prefix, a.Prefix, a.Local)
		}
		if len(z.Attrs()) > 16 {
			// Many attributes: a set of expanded names keeps the check linear.
			if seen == nil {
				seen = map[expandedName]bool{}
			}
			k := expandedName{ai, string(a.Local)}
			if seen[k] {
				return z.Fail(z.TokenLine(), "duplicate attribute {%s}%s", ai.uri, a.Local)
			}
			seen[k] = true
			continue
		}
		for j := 0; j < i; j++ {
			b := &z.Attrs()[j]
			if b.Prefix == nil || string(b.Prefix) == "xmlns" || !bytes.Equal(a.Local, b.Local) {
				continue
			}
			if d.lookupNS(b.Prefix) == ai {
				return z.Fail(z.TokenLine(), "duplicate attribute {%s}%s", ai.uri, a.Local)
			}
		}
	}
	return nil
}

// expandedName is an attribute's namespace and local name.
type expandedName struct {
	ns    *nsInfo
	local string
}

func (d *decoder) callAttr(n *data.Node, line int) {
	z := &d.z
	for i := range z.Attrs() {
		a := &z.Attrs()[i]
		if (a.Prefix == nil && string(a.Local) == "xmlns") || string(a.Prefix) == "xmlns" {
			continue
		}
		at := Attr{Prefix: string(a.Prefix), Local: string(a.Local),
			Value: string(xmltok.AppendAttrValue(nil, a.Value)), Resolve: d.resolver}
		if a.Prefix != nil {
			at.Namespace = d.lookupNS(a.Prefix).uri
		}
		if e := d.o.Attr(n, at); e != nil {
			d.addErrLate(e, n, line)
		}
	}
}

// visibleDecls returns the namespace declarations in scope among d.ns[:top], as attribute text,
// leaving out the prefixes in skip.
func (d *decoder) visibleDecls(top int, skip map[string]bool) string {
	var b strings.Builder
	seen := map[string]bool{}
	for p := range skip {
		seen[p] = true
	}
	for i := top - 1; i >= 0; i-- {
		nb := d.ns[i]
		if seen[nb.prefix] {
			continue
		}
		seen[nb.prefix] = true
		if nb.prefix == "" {
			if nb.info.uri == "" {
				continue
			}
			b.WriteString(" xmlns=\"")
		} else {
			b.WriteString(" xmlns:")
			b.WriteString(nb.prefix)
			b.WriteString("=\"")
		}
		b.Write(escapeAttr(nil, nb.info.uri))
		b.WriteByte('"')
	}
	return b.String()
}

// outerDecls returns the declarations of the anydata element's scope that a top-level child
// (whose own declarations are d.ns[nsTop:]) does not redeclare.
func (d *decoder) outerDecls(any *frame, nsTop int) string {
	if nsTop == len(d.ns) {
		return any.anyDecl
	}
	own := map[string]bool{}
	for _, nb := range d.ns[nsTop:] {
		own[nb.prefix] = true
	}
	return d.visibleDecls(nsTop, own)
}

func (d *decoder) text(k xmltok.Kind) {
	if len(d.stack) == 0 {
		return
	}
	f := &d.stack[len(d.stack)-1]
	z := &d.z
	// After markup, only literal whitespace may follow (a character reference or a CDATA
	// section, even blank, may not).
	stray := k == xmltok.CDATA || !xmltok.IsBlank(z.Text())
	switch f.kind {
	case frameSkip, frameAny:
		return
	case frameWrapper:
		if f.marked && f.last != nil {
			if stray && !f.failed {
				f.failed = true
				d.strayText(f.last, z.TokenLine())
			}
			return
		}
		if !f.failed && ((f.marked && stray) || !xmltok.IsBlank(z.Text())) {
			f.failed = true
			e := rpcerror.BadElement(d.etype, d.wrapperName(), "", "text %q inside the wrapper element", clip(z.Text()))
			d.addErr(e, d.root, z.TokenLine())
		}
		return
	}
	if !isLeafy(f.node.Schema) {
		if f.marked && f.last != nil {
			if stray && !f.failed {
				f.failed = true
				d.strayText(f.last, z.TokenLine())
			}
			return
		}
		if !f.failed && ((f.marked && stray) || !xmltok.IsBlank(z.Text())) {
			f.failed = true
			e := rpcerror.BadElement(d.etype, f.node.Schema.Name, "", "text %q inside %s %q",
				clip(z.Text()), f.node.Schema.Kind, f.node.Schema.Name)
			d.addErr(e, f.node, z.TokenLine())
		}
		return
	}
	if f.cut {
		if stray && !f.garbage {
			f.garbage, f.garbageLine = true, z.TokenLine()
		}
		return
	}
	raw := z.TextRaw()
	if f.nseg == 0 && !raw {
		f.text = z.Text()
		f.nseg = 1
		return
	}
	if !f.copied {
		d.textBuf = append(d.textBuf[:0], f.text...)
		f.copied = true
	}
	if raw {
		if k == xmltok.CDATA {
			d.textBuf = appendCRLF(d.textBuf, z.Text())
		} else {
			d.textBuf = xmltok.AppendText(d.textBuf, z.Text())
		}
	} else {
		d.textBuf = append(d.textBuf, z.Text()...)
	}
	f.text = d.textBuf
	f.nseg++
}

// strayText reports text found after the end tag of child element n (and before the next tag
// of its parent) at n, as yanglint does.
func (d *decoder) strayText(n *data.Node, line int) {
	e := rpcerror.BadElement(d.etype, n.Schema.Name, "", "text after the end tag of <%s>: only elements may follow",
		n.Schema.Name)
	d.addErrPath(e, openPath(n), line)
}

// markup records a comment or processing instruction in the current element.
func (d *decoder) markup() {
	if len(d.stack) == 0 {
		return
	}
	f := &d.stack[len(d.stack)-1]
	if f.kind == frameData && isLeafy(f.node.Schema) {
		f.cut = true
	} else {
		f.marked = true
	}
}

func appendCRLF(dst, raw []byte) []byte {
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c == '\r' {
			c = '\n'
			if i+1 < len(raw) && raw[i+1] == '\n' {
				i++
			}
		}
		dst = append(dst, c)
	}
	return dst
}

func clip(b []byte) string {
	b = bytes.TrimSpace(b)
	if len(b) > 40 {
		return string(b[:40]) + "..."
	}
	return string(b)
}

func (d *decoder) end() {
	f := d.stack[len(d.stack)-1]
	d.stack = d.stack[:len(d.stack)-1]
	switch f.kind {
	case frameData:
		d.finish(&f)
	case frameAny:
		if f.node != nil {
			d.finishAny(&f)
		}
	}
	if len(d.stack) > 0 {
		p := &d.stack[len(d.stack)-1]
		p.marked = true
		p.last = f.node // nil after an unknown element
	}
	d.popNS(f.nsTop)
}

// copyValue reports whether values of type t may keep the text they were parsed from (so that
// the text must be copied into stable memory before parsing).
func copyValue(t *schema.Type, depth int) bool {
	if t == nil || depth > 8 {
		return true
	}
	switch t.Base {
	case schema.Enumeration, schema.Boolean, schema.Empty, schema.Identityref, schema.InstanceIdentifier:
		return false
	case schema.Leafref:
		if t.Target != nil {
			return copyValue(t.Target.Type, depth+1)
		}
	}
	return true
}

func (d *decoder) finish(f *frame) {
	n := f.node
	sn := n.Schema
	if n == d.op {
		// The operation stays out of its parent's children (UnmarshalNested).
		return
	}
	switch sn.Kind {
	case schema.KindLeaf, schema.KindLeafList:
		if sn.IsKey() {
			// A key whose element was refused is not "missing" from its entry: remember it.
			before := len(d.errs)
			defer func() {
				if f.failed || len(d.errs) > before {
					if d.badKeys == nil {
						d.badKeys = map[keyOf]bool{}
					}
					d.badKeys[keyOf{n.Parent, sn}] = true
				}
			}()
		}
		if f.failed {
			return
		}
		if d.o.KeepText != nil && d.o.KeepText(n) {
			n.Value = data.Value{Str: d.str(f.text)}
			d.insert(n)
			return
		}
		var s string
		switch {
		case !copyValue(sn.Type, 0):
			s = bstr(f.text)
		case len(f.text) <= maxShort && isNumber(sn.Type.ValueBase()):
			s = d.short(f.text)
		default:
			s = d.str(f.text)
		}
		v, err := data.ParseValue(sn.Type, s, d.resolver)
		if err != nil {
			n.Value.Str = string(f.text)
			d.addErrPath(err, childPath(n.Parent, sn), int(n.Line))
			return
		}
		n.Value = v
		if f.garbage {
			e := rpcerror.InvalidValue("", "text after a comment or processing instruction in %s %q: "+
				"the value ends at the first one", sn.Kind, sn.Name)
			d.addErr(e, n, f.garbageLine)
			return
		}
		if sn.IsKey() {
			d.checkKeyOrder(n)
		}
	case schema.KindList, schema.KindContainer:
		if k := len(n.Children()); k > 0 || d.kidsHint[sn] > 0 {
			if d.kidsHint == nil {
				d.kidsHint = map[*schema.Node]int{}
			}
			d.kidsHint[sn] = k
		}
		if sn.Kind != schema.KindList {
			break
		}
		missing := false
		for _, k := range sn.Keys() {
			if n.Child(k) == nil {
				missing = true
				if !d.badKeys[keyOf{n, k}] {
					d.addErr(rpcerror.MissingElement(d.etype, k.Name, "", "list entry %q has no key %q", sn.Name, k.Name),
						n, int(n.Line))
				}
			}
		}
		if missing {
			return
		}
	}
	d.insert(n)
}

func (d *decoder) finishAny(f *frame) {
	n := f.node
	if f.anyStart >= 0 {
		content := d.z.Source()[f.anyStart:d.z.TokenOffset()]
		if len(f.anyInject) == 0 {
			n.Value.Str = string(content)
		} else {
			var b []byte
			at := f.anyStart
			for _, in := range f.anyInject {
				b = append(b, d.z.Source()[at:in.pos]...)
				b = append(b, in.decl...)
				at = in.pos
			}
			b = append(b, d.z.Source()[at:d.z.TokenOffset()]...)
			n.Value.Str = string(b)
		}
	}
	d.insert(n)
}

// checkKeyOrder reports key leaf n when a key that follows it in the list's key statement was
// already read (RFC 7950 section 7.8.2 encodes keys in key order; yanglint rejects keys out of
// their relative order, though it accepts other children before the keys).
func (d *decoder) checkKeyOrder(n *data.Node) {
	p := n.Parent
	if p == nil || p.Schema == nil || p.Schema.Kind != schema.KindList {
		return
	}
	keys := p.Schema.Keys()
	i := 0
	for i < len(keys) && keys[i] != n.Schema {
		i++
	}
	for _, k := range keys[min(i+1, len(keys)):] {
		if p.Child(k) != nil {
			e := rpcerror.BadElement(d.etype, n.Schema.Name, "", "key %q of list %q after key %q: keys must follow the key statement's order",
				n.Schema.Name, p.Schema.Name, k.Name)
			d.addErr(e, n, int(n.Line))
			return
		}
	}
}

// insert attaches n to its parent, reporting duplicates.
func (d *decoder) insert(n *data.Node) {
	if n.Parent.Add(n) != nil {
		d.dup(n)
	}
}

func (d *decoder) dup(n *data.Node) {
	e := rpcerror.BadElement(d.etype, n.Schema.Name, "", "duplicate instance of %q", n.Schema.Name)
	d.addErr(e, n, int(n.Line))
}
