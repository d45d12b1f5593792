package xmltok

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// Kind is the kind of an XML token.
type Kind uint8

// The token kinds.
const (
	// EOF is the end of a well-formed document.
	EOF Kind = iota
	// StartElement is a start tag (or the start of an empty-element tag, followed by an
	// EndElement token).
	StartElement
	// EndElement is an end tag.
	EndElement
	// Text is character data, raw: it may hold references and CR; see AppendText.
	Text
	// CDATA is a CDATA section's content, which may hold CR.
	CDATA
	// Comment is a comment; its content is not kept.
	Comment
	// ProcInst is a processing instruction or the XML declaration; its content is not kept.
	ProcInst
)

// Attr is one attribute of a start tag, as slices of the input.
type Attr struct {
	// Prefix is the attribute name's prefix, nil when it has none.
	Prefix []byte
	// Local is the local part of the attribute name.
	Local []byte
	// Value is the raw value between the quotes: it may hold references and whitespace to
	// normalize; see AppendAttrValue.
	Value []byte
}

// SyntaxError is an XML well-formedness error.
type SyntaxError struct {
	// Line is the 1-based line where the error was found.
	Line int
	// Msg describes the error.
	Msg string
}

// Error implements the error interface: "line N: MSG".
func (e *SyntaxError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// Tokenizer splits a UTF-8 XML 1.0 document held in memory into tokens, checking
// well-formedness as it goes: names, tag matching, attribute syntax and uniqueness (by
// qualified name), references, characters, comments, CDATA, processing instructions, the XML
// declaration and the BOM. A DOCTYPE is refused. Several top-level elements are accepted (bare
// YANG instance data has several); text between them must be whitespace. Namespaces are left
// to the caller: names come as prefix and local part.
//
// The token's fields are slices of the input, valid until the input changes. The zero value is
// not ready for use; call New or Reset.
type Tokenizer struct {
	src  []byte
	pos  int
	line int // line of src[pos]

	maxDepth   int
	allowEmpty bool // a document without elements is an empty tree, not an error
	// The qualified names of the open elements, copied: open[i] is the end of the i-th in names
	// (the tokenizer reads nothing before the current token again, so a caller may drop what
	// it has read).
	open  []int
	names []byte

	// The current token.
	kind      Kind
	tokLine   int // line where the token starts
	tokPos    int // offset of the token's first byte
	prefix    []byte
	local     []byte
	qname     []byte
	attrs     []Attr
	attrSet   map[string]struct{} // the names in attrs, for start tags with many
	selfClose bool                // a start tag ending in "/>": an end token follows
	pendEnd   bool
	roots     int // top-level elements seen
	text      []byte
	textRaw   bool // text holds '&' or '\r' and needs decoding
	err       error
}

// New returns a tokenizer over src that refuses elements nested deeper than maxDepth.
func New(src []byte, maxDepth int) *Tokenizer {
	z := &Tokenizer{}
	z.Reset(src, maxDepth)
	return z
}

// Reset makes z tokenize src from the start, keeping its buffers; AllowEmpty is cleared.
func (z *Tokenizer) Reset(src []byte, maxDepth int) {
	*z = Tokenizer{src: src, line: 1, maxDepth: maxDepth, open: z.open[:0], names: z.names[:0], attrs: z.attrs[:0]}
	if bytes.HasPrefix(src, []byte("\xef\xbb\xbf")) {
		z.pos = 3
	}
}

// SetAllowEmpty makes a document without any element well-formed (Next returns EOF) instead of
// an error "no root element".
func (z *Tokenizer) SetAllowEmpty(allow bool) { z.allowEmpty = allow }

// Depth returns the number of open elements (after a StartElement, including it).
func (z *Tokenizer) Depth() int { return len(z.open) }

// Source returns the document being tokenized.
func (z *Tokenizer) Source() []byte { return z.src }

// Offset returns the offset of the first byte after the current token.
func (z *Tokenizer) Offset() int { return z.pos }

// Line returns the 1-based line of the first byte after the current token.
func (z *Tokenizer) Line() int { return z.line }

// TokenOffset returns the offset of the current token's first byte ('<' of a tag).
func (z *Tokenizer) TokenOffset() int { return z.tokPos }

// TokenLine returns the line where the current token starts.
func (z *Tokenizer) TokenLine() int { return z.tokLine }

// Prefix returns the prefix of the current element's name, nil when it has none.
func (z *Tokenizer) Prefix() []byte { return z.prefix }

// Local returns the local part of the current element's name.
func (z *Tokenizer) Local() []byte { return z.local }

// QName returns the current element's qualified name as written.
func (z *Tokenizer) QName() []byte { return z.qname }

// Attrs returns the attributes of the current start tag, namespace declarations included, in
// document order. The slice is reused by the next start tag.
func (z *Tokenizer) Attrs() []Attr { return z.attrs }

// SelfClosing reports whether the current start tag is an empty-element tag ("<a/>").
func (z *Tokenizer) SelfClosing() bool { return z.selfClose }

// Roots returns the number of top-level elements started so far.
func (z *Tokenizer) Roots() int { return z.roots }

// Text returns the content of the current Text or CDATA token, raw.
func (z *Tokenizer) Text() []byte { return z.text }

// TextRaw reports whether the current Text holds references or CR and so needs AppendText, or
// the current CDATA holds CR.
func (z *Tokenizer) TextRaw() bool { return z.textRaw }

// Fail records a well-formedness error found by the caller (such as a namespace error) at line
// and returns it; every later Next returns it too. Only the first error is kept.
func (z *Tokenizer) Fail(line int, format string, args ...any) error {
	return z.failAt(line, format, args...)
}

func (z *Tokenizer) fail(format string, args ...any) error {
	if z.err == nil {
		z.err = &SyntaxError{Line: z.line, Msg: fmt.Sprintf(format, args...)}
	}
	return z.err
}

// Next reads the next token. At the end of a well-formed document it returns EOF and a nil
// error; after an error, it returns that error again.
func (z *Tokenizer) Next() (Kind, error) {
	if z.err != nil {
		return EOF, z.err
	}
	if z.pendEnd {
		z.pendEnd = false
		z.kind = EndElement
		z.pop()
		return EndElement, nil
	}
	z.tokLine = z.line
	z.tokPos = z.pos
	if z.pos >= len(z.src) {
		if len(z.open) > 0 {
			return EOF, z.fail("unexpected end of document: element <%s> not closed", z.top())
		}
		if !z.sawRoot() && !z.allowEmpty {
			return EOF, z.fail("no root element")
		}
		z.kind = EOF
		return EOF, nil
	}
	if z.src[z.pos] != '<' {
		return z.charData()
	}
	if z.pos+1 >= len(z.src) {
		return EOF, z.fail("unexpected end of document after '<'")
	}
	switch z.src[z.pos+1] {
	case '/':
		return z.endTag()
	case '?':
		return z.procInst()
	case '!':
		rest := z.src[z.pos+2:]
		switch {
		case bytes.HasPrefix(rest, []byte("--")):
			return z.comment()
		case bytes.HasPrefix(rest, []byte("[CDATA[")):
			if len(z.open) == 0 {
				return EOF, z.fail("CDATA section outside the root element")
			}
			return z.cdata()
		case bytes.HasPrefix(rest, []byte("DOCTYPE")):
			return EOF, z.fail("DOCTYPE is not allowed")
		}
		return EOF, z.fail("invalid markup after '<!'")
	}
	return z.startTag()
}

// sawRoot reports whether a top-level element was read.
func (z *Tokenizer) sawRoot() bool { return z.roots > 0 }

// charData reads text up to the next '<'.
func (z *Tokenizer) charData() (Kind, error) {
	src := z.src
	i := z.pos
	raw := false
	for i < len(src) {
		c := src[i]
		if c >= 0x80 {
			r, n := utf8.DecodeRune(src[i:])
			if r == utf8.RuneError && n <= 1 {
				return EOF, z.fail("invalid UTF-8")
			}
			if !isXMLChar(r) {
				return EOF, z.fail("invalid character U+%04X", r)
			}
			i += n
			continue
		}
		if charClass[c] == 0 {
			i++
			continue
		}
		switch c {
		case '<':
			goto done
		case '\n':
			z.line++
		case '\t':
		case '\r':
			raw = true
		case '&':
			raw = true
			n, err := z.checkRef(src[i:])
			if err != nil {
				return EOF, err
			}
			i += n
			continue
		case ']':
			if bytes.HasPrefix(src[i:], []byte("]]>")) {
				return EOF, z.fail("\"]]>\" in character data")
			}
		default:
			return EOF, z.fail("invalid character U+%04X", c)
		}
		i++
	}
done:
	z.text = src[z.pos:i]
	z.textRaw = raw
	z.pos = i
	if len(z.open) == 0 {
		for i, c := range z.text {
			if !IsSpace(c) {
				return EOF, z.failAt(z.tokLine+bytes.Count(z.text[:i], []byte("\n")), "text outside the root element")
			}
		}
	}
	z.kind = Text
	return Text, nil
}

func (z *Tokenizer) failAt(line int, format string, args ...any) error {
	z.line = line
	return z.fail(format, args...)
}

// checkRef validates the reference at the start of b ("&...;") and returns its length.
func (z *Tokenizer) checkRef(b []byte) (int, error) {
	end := bytes.IndexByte(b, ';')
	if end < 0 || end > 16 {
		return 0, z.fail("unterminated or invalid reference")
	}
	if _, ok := decodeRef(b[1:end]); !ok {
		return 0, z.fail("invalid reference %q", b[:end+1])
	}
	return end + 1, nil
}

// decodeRef decodes the body of a reference (without '&' and ';'): one of the five predefined
// entities or a character reference to a valid XML character.
func decodeRef(name []byte) (rune, bool) {
	switch string(name) {
	case "lt":
		return '<', true
	case "gt":
		return '>', true
	case "amp":
		return '&', true
	case "apos":
		return '\'', true
	case "quot":
		return '"', true
	}
	if len(name) < 2 || name[0] != '#' {
		return 0, false
	}
	var r rune
	digits := name[1:]
	base := rune(10)
	if digits[0] == 'x' {
		base = 16
		digits = digits[1:]
	}
	if len(digits) == 0 || len(digits) > 8 {
		return 0, false
	}
	for _, c := range digits {
		var d rune
		switch {
		case c >= '0' && c <= '9':
			d = rune(c - '0')
		case base == 16 && c >= 'a' && c <= 'f':
			d = rune(c-'a') + 10
		case base == 16 && c >= 'A' && c <= 'F':
			d = rune(c-'A') + 10
		default:
			return 0, false
		}
		r = r*base + d
		if r > utf8.MaxRune {
			return 0, false
		}
	}
	if !isXMLChar(r) {
		return 0, false
	}
	return r, true
}

// charClass marks the ASCII bytes character data scanning must look at.
var charClass = func() (t [256]byte) {
	for c := 0; c < 0x20; c++ {
		t[c] = 1
	}
	for _, c := range "<&]" {
		t[c] = 1
	}
	return t
}()

// IsSpace reports whether c is XML whitespace (space, tab, LF, CR).
func IsSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// IsBlank reports whether b is only XML whitespace (or empty).
func IsBlank(b []byte) bool {
	for _, c := range b {
		if !IsSpace(c) {
			return false
		}
	}
	return true
}

// isXMLChar reports whether r is a Char of XML 1.0.
func isXMLChar(r rune) bool {
	switch {
	case r == 0x9 || r == 0xA || r == 0xD:
		return true
	case r >= 0x20 && r <= 0xD7FF:
		return true
	case r >= 0xE000 && r <= 0xFFFD:
		return true
	case r >= 0x10000 && r <= 0x10FFFF:
		return true
	}
	return false
}

// isNameStartRune and isNameRune are the NameStartChar and NameChar productions of XML 1.0
// (fifth edition) without ':' (names are split at the colon by the namespace rules).
func isNameStartRune(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r == '_':
		return true
	case r < 0xC0:
		return false
	case r <= 0xD6, r >= 0xD8 && r <= 0xF6, r >= 0xF8 && r <= 0x2FF, r >= 0x370 && r <= 0x37D,
		r >= 0x37F && r <= 0x1FFF, r >= 0x200C && r <= 0x200D, r >= 0x2070 && r <= 0x218F,
		r >= 0x2C00 && r <= 0x2FEF, r >= 0x3001 && r <= 0xD7FF, r >= 0xF900 && r <= 0xFDCF,
		r >= 0xFDF0 && r <= 0xFFFD, r >= 0x10000 && r <= 0xEFFFF:
		return true
	}
	return false
}

func isNameRune(r rune) bool {
	switch {
	case isNameStartRune(r):
		return true
	case r == '-', r == '.', r >= '0' && r <= '9', r == 0xB7, r >= 0x300 && r <= 0x36F, r >= 0x203F && r <= 0x2040:
		return true
	}
	return false
}

var asciiName = func() (t [128]byte) {
	for c := 0; c < 128; c++ {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_':
			t[c] = 2 // start or inner
		case c >= '0' && c <= '9', c == '-', c == '.':
			t[c] = 1 // inner only
		}
	}
	return t
}()

// ncName scans an NCName at z.pos and returns it.
func (z *Tokenizer) ncName() ([]byte, error) {
	src := z.src
	start := z.pos
	i := start
	for i < len(src) {
		c := src[i]
		if c < 0x80 {
			k := asciiName[c]
			if k == 0 || (k == 1 && i == start) {
				break
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && n <= 1 {
			return nil, z.fail("invalid UTF-8 in a name")
		}
		if i == start && !isNameStartRune(r) || i > start && !isNameRune(r) {
			break
		}
		i += n
	}
	if i == start {
		if i < len(src) {
			return nil, z.fail("invalid name character %q", rune(src[i]))
		}
		return nil, z.fail("unexpected end of document in a name")
	}
	z.pos = i
	return src[start:i], nil
}

// qName scans a qualified name (NCName or NCName:NCName).
func (z *Tokenizer) qName() (prefix, local, qname []byte, err error) {
	start := z.pos
	local, err = z.ncName()
	if err != nil {
		return nil, nil, nil, err
	}
	if z.pos < len(z.src) && z.src[z.pos] == ':' {
		z.pos++
		prefix = local
		if local, err = z.ncName(); err != nil {
			return nil, nil, nil, err
		}
	}
	return prefix, local, z.src[start:z.pos], nil
}

// skipSpace skips whitespace, counting lines, and reports whether there was any.
func (z *Tokenizer) skipSpace() bool {
	start := z.pos
	for z.pos < len(z.src) {
		c := z.src[z.pos]
		if c == '\n' {
			z.line++
		} else if c != ' ' && c != '\t' && c != '\r' {
			break
		}
		z.pos++
	}
	return z.pos > start
}

func (z *Tokenizer) startTag() (Kind, error) {
	z.pos++ // '<'
	var err error
	if z.prefix, z.local, z.qname, err = z.qName(); err != nil {
		return EOF, err
	}
	z.attrs = z.attrs[:0]
	for {
		sp := z.skipSpace()
		if z.pos >= len(z.src) {
			return EOF, z.fail("unexpected end of document in a start tag")
		}
		c := z.src[z.pos]
		if c == '>' {
			z.pos++
			z.selfClose = false
			break
		}
		if c == '/' {
			if z.pos+1 >= len(z.src) || z.src[z.pos+1] != '>' {
				return EOF, z.fail("expected '>' after '/' in a start tag")
			}
			z.pos += 2
			z.selfClose = true
			break
		}
		if !sp {
			return EOF, z.fail("expected whitespace before an attribute in <%s>", z.qname)
		}
		var a Attr
		var aq []byte
		if a.Prefix, a.Local, aq, err = z.qName(); err != nil {
			return EOF, err
		}
		if z.duplicateAttr(a, aq) {
			return EOF, z.fail("duplicate attribute %s in <%s>", aq, z.qname)
		}
		z.skipSpace()
		if z.pos >= len(z.src) || z.src[z.pos] != '=' {
			return EOF, z.fail("expected '=' after attribute %s", aq)
		}
		z.pos++
		z.skipSpace()
		if a.Value, err = z.attrValue(); err != nil {
			return EOF, err
		}
		z.attrs = append(z.attrs, a)
	}
	if len(z.open) >= z.maxDepth {
		return EOF, z.failAt(z.tokLine, "elements nested deeper than %d", z.maxDepth)
	}
	if len(z.open) == 0 {
		z.roots++
	}
	z.names = append(z.names, z.qname...)
	z.open = append(z.open, len(z.names))
	z.kind = StartElement
	if z.selfClose {
		z.pendEnd = true
	}
	return StartElement, nil
}

// smallAttrs is how many attributes a start tag may have before the duplicate check switches
// from comparing with each to a set.
const smallAttrs = 16

// duplicateAttr reports whether the current start tag has an attribute named as a (qualified
// name aq) already. It takes time linear in the number of attributes over the whole tag (a
// tag with 200,000 attributes is a known attack).
func (z *Tokenizer) duplicateAttr(a Attr, aq []byte) bool {
	if len(z.attrs) < smallAttrs {
		for i := range z.attrs {
			p := &z.attrs[i]
			if bytes.Equal(p.Local, a.Local) && bytes.Equal(p.Prefix, a.Prefix) && (p.Prefix == nil) == (a.Prefix == nil) {
				return true
			}
		}
		return false
	}
	if len(z.attrs) == smallAttrs {
		if z.attrSet == nil {
			z.attrSet = map[string]struct{}{}
		}
		clear(z.attrSet)
		for i := range z.attrs {
			z.attrSet[attrKey(&z.attrs[i])] = struct{}{}
		}
	}
	k := attrKey(&a)
	if _, dup := z.attrSet[k]; dup {
		return true
	}
	z.attrSet[k] = struct{}{}
	return false
}

// attrKey is an attribute's qualified name as a set key.
func attrKey(a *Attr) string {
	if a.Prefix == nil {
		return string(a.Local)
	}
	return string(a.Prefix) + ":" + string(a.Local)
}

// attrValue scans a quoted attribute value and returns its raw content.
func (z *Tokenizer) attrValue() ([]byte, error) {
	if z.pos >= len(z.src) || (z.src[z.pos] != '"' && z.src[z.pos] != '\'') {
		return nil, z.fail("expected a quoted attribute value")
	}
	q := z.src[z.pos]
	z.pos++
	start := z.pos
	src := z.src
	i := start
	for {
		if i >= len(src) {
			return nil, z.fail("unterminated attribute value")
		}
		c := src[i]
		switch {
		case c == q:
			z.pos = i + 1
			return src[start:i], nil
		case c == '<':
			return nil, z.fail("'<' in an attribute value")
		case c == '&':
			n, err := z.checkRef(src[i:])
			if err != nil {
				return nil, err
			}
			i += n
			continue
		case c == '\n':
			z.line++
		case c >= 0x80:
			r, n := utf8.DecodeRune(src[i:])
			if r == utf8.RuneError && n <= 1 {
				return nil, z.fail("invalid UTF-8")
			}
			if !isXMLChar(r) {
				return nil, z.fail("invalid character U+%04X", r)
			}
			i += n
			continue
		case c < 0x20 && c != '\t' && c != '\r':
			return nil, z.fail("invalid character U+%04X", c)
		}
		i++
	}
}

func (z *Tokenizer) endTag() (Kind, error) {
	z.pos += 2 // "</"
	var err error
	if z.prefix, z.local, z.qname, err = z.qName(); err != nil {
		return EOF, err
	}
	z.skipSpace()
	if z.pos >= len(z.src) || z.src[z.pos] != '>' {
		return EOF, z.fail("expected '>' in the end tag </%s>", z.qname)
	}
	z.pos++
	if len(z.open) == 0 {
		return EOF, z.failAt(z.tokLine, "end tag </%s> without a start tag", z.qname)
	}
	if top := z.top(); !bytes.Equal(top, z.qname) {
		return EOF, z.failAt(z.tokLine, "end tag </%s> does not match <%s>", z.qname, top)
	}
	z.pop()
	z.kind = EndElement
	return EndElement, nil
}

// top returns the name of the innermost open element.
func (z *Tokenizer) top() []byte {
	start := 0
	if n := len(z.open); n > 1 {
		start = z.open[n-2]
	}
	return z.names[start:z.open[len(z.open)-1]]
}

// pop closes the innermost open element.
func (z *Tokenizer) pop() {
	z.open = z.open[:len(z.open)-1]
	end := 0
	if n := len(z.open); n > 0 {
		end = z.open[n-1]
	}
	z.names = z.names[:end]
}

func (z *Tokenizer) comment() (Kind, error) {
	start := z.pos + 4
	end := bytes.Index(z.src[start:], []byte("--"))
	if end < 0 {
		return EOF, z.fail("unterminated comment")
	}
	body := z.src[start : start+end]
	if start+end+2 >= len(z.src) || z.src[start+end+2] != '>' {
		return EOF, z.fail("\"--\" inside a comment")
	}
	if err := z.checkChars(body); err != nil {
		return EOF, err
	}
	z.pos = start + end + 3
	z.kind = Comment
	return Comment, nil
}

// checkChars checks that b holds only XML characters, counting lines.
func (z *Tokenizer) checkChars(b []byte) error {
	for i := 0; i < len(b); {
		c := b[i]
		if c < 0x80 {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return z.fail("invalid character U+%04X", c)
			}
			if c == '\n' {
				z.line++
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return z.fail("invalid UTF-8")
		}
		if !isXMLChar(r) {
			return z.fail("invalid character U+%04X", r)
		}
		i += n
	}
	return nil
}

func (z *Tokenizer) cdata() (Kind, error) {
	start := z.pos + len("<![CDATA[")
	end := bytes.Index(z.src[start:], []byte("]]>"))
	if end < 0 {
		return EOF, z.fail("unterminated CDATA section")
	}
	body := z.src[start : start+end]
	if err := z.checkChars(body); err != nil {
		return EOF, err
	}
	z.text = body
	z.textRaw = bytes.IndexByte(body, '\r') >= 0
	z.pos = start + end + 3
	z.kind = CDATA
	return CDATA, nil
}

func (z *Tokenizer) procInst() (Kind, error) {
	z.pos += 2
	atStart := z.tokPos == 0 || (z.tokPos == 3 && bytes.HasPrefix(z.src, []byte("\xef\xbb\xbf")))
	target, err := z.ncName()
	if err != nil {
		return EOF, err
	}
	if z.pos < len(z.src) && z.src[z.pos] == ':' {
		return EOF, z.fail("processing instruction target with ':'")
	}
	isDecl := len(target) == 3 && (target[0]|0x20) == 'x' && (target[1]|0x20) == 'm' && (target[2]|0x20) == 'l'
	if isDecl {
		if !atStart || string(target) != "xml" {
			return EOF, z.fail("XML declaration not at the start of the document")
		}
		return z.xmlDecl()
	}
	sp := z.skipSpace()
	end := bytes.Index(z.src[z.pos:], []byte("?>"))
	if end < 0 {
		return EOF, z.fail("unterminated processing instruction")
	}
	if end > 0 && !sp {
		return EOF, z.fail("expected whitespace after the processing instruction target")
	}
	if err := z.checkChars(z.src[z.pos : z.pos+end]); err != nil {
		return EOF, err
	}
	z.pos += end + 2
	z.kind = ProcInst
	return ProcInst, nil
}

// xmlDecl parses the rest of an XML declaration: version, then optional encoding and
// standalone, in that order.
func (z *Tokenizer) xmlDecl() (Kind, error) {
	seen := 0
	for {
		sp := z.skipSpace()
		if bytes.HasPrefix(z.src[z.pos:], []byte("?>")) {
			if seen == 0 {
				return EOF, z.fail("XML declaration without version")
			}
			z.pos += 2
			z.kind = ProcInst
			return ProcInst, nil
		}
		if !sp {
			return EOF, z.fail("malformed XML declaration")
		}
		name, err := z.ncName()
		if err != nil {
			return EOF, err
		}
		z.skipSpace()
		if z.pos >= len(z.src) || z.src[z.pos] != '=' {
			return EOF, z.fail("malformed XML declaration")
		}
		z.pos++
		z.skipSpace()
		val, err := z.attrValue()
		if err != nil {
			return EOF, err
		}
		switch {
		case string(name) == "version" && seen == 0:
			if string(val) != "1.0" {
				return EOF, z.fail("unsupported XML version %q", val)
			}
			seen = 1
		case string(name) == "encoding" && seen == 1:
			if !bytes.EqualFold(val, []byte("UTF-8")) && !bytes.EqualFold(val, []byte("UTF8")) {
				return EOF, z.fail("unsupported encoding %q (only UTF-8)", val)
			}
			seen = 2
		case string(name) == "standalone" && seen >= 1 && seen < 3:
			if string(val) != "yes" && string(val) != "no" {
				return EOF, z.fail("invalid standalone value %q", val)
			}
			seen = 3
		default:
			return EOF, z.fail("unexpected %q in the XML declaration", name)
		}
	}
}

// AppendText appends the decoded content of a text token (references replaced, CR LF and lone CR
// turned into LF) to dst.
func AppendText(dst, raw []byte) []byte {
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch c {
		case '\r':
			dst = append(dst, '\n')
			if i+1 < len(raw) && raw[i+1] == '\n' {
				i++
			}
		case '&':
			end := bytes.IndexByte(raw[i:], ';')
			r, _ := decodeRef(raw[i+1 : i+end])
			dst = utf8.AppendRune(dst, r)
			i += end
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// AppendAttrValue appends the normalized value of an attribute (XML 1.0 section 3.3.3, CDATA
// type): references replaced, each whitespace character (after line-end normalization) a space.
func AppendAttrValue(dst, raw []byte) []byte {
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch c {
		case '\r':
			dst = append(dst, ' ')
			if i+1 < len(raw) && raw[i+1] == '\n' {
				i++
			}
		case '\n', '\t':
			dst = append(dst, ' ')
		case '&':
			end := bytes.IndexByte(raw[i:], ';')
			r, _ := decodeRef(raw[i+1 : i+end])
			dst = utf8.AppendRune(dst, r)
			i += end
		default:
			dst = append(dst, c)
		}
	}
	return dst
}
