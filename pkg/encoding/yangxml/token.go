package yangxml

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// tokKind is the kind of an XML token.
type tokKind uint8

const (
	tokEOF tokKind = iota
	tokStart
	tokEnd
	tokText    // character data (raw: may hold references and CR)
	tokCDATA   // a CDATA section's content (may hold CR)
	tokComment // a comment (content not kept)
	tokPI      // a processing instruction (content not kept)
)

// rawAttr is one attribute of a start tag, as slices of the input.
type rawAttr struct {
	prefix, local []byte
	value         []byte // raw, between the quotes: may hold references and whitespace to normalize
}

// syntaxError is an XML well-formedness error.
type syntaxError struct {
	line int
	msg  string
}

func (e *syntaxError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

// tokenizer splits a UTF-8 XML 1.0 document held in memory into tokens, checking
// well-formedness as it goes: names, tag matching, attribute syntax and uniqueness (by
// qualified name), references, characters, comments, CDATA, processing instructions, the XML
// declaration and the BOM. A DOCTYPE is refused. Several top-level elements are accepted (bare
// YANG instance data has several); text between them must be whitespace.
//
// The token's fields are slices of the input, valid until the input changes.
type tokenizer struct {
	src  []byte
	pos  int
	line int // line of src[pos]

	maxDepth   int
	allowEmpty bool     // a document without elements is an empty tree, not an error
	open       [][]byte // qualified names of the open elements

	// The current token.
	kind      tokKind
	tokLine   int // line where the token starts
	tokPos    int // offset of the token's first byte
	prefix    []byte
	local     []byte
	qname     []byte
	attrs     []rawAttr
	selfClose bool // a start tag ending in "/>": an end token follows
	pendEnd   bool
	roots     int // top-level elements seen
	text      []byte
	textRaw   bool // text holds '&' or '\r' and needs decoding
	err       error
}

func newTokenizer(src []byte, maxDepth int) *tokenizer {
	z := &tokenizer{src: src, line: 1, maxDepth: maxDepth}
	z.reset(src, maxDepth)
	return z
}

func (z *tokenizer) reset(src []byte, maxDepth int) {
	*z = tokenizer{src: src, line: 1, maxDepth: maxDepth, open: z.open[:0], attrs: z.attrs[:0]}
	if bytes.HasPrefix(src, []byte("\xef\xbb\xbf")) {
		z.pos = 3
	}
}

func (z *tokenizer) depth() int { return len(z.open) }

func (z *tokenizer) fail(format string, args ...any) error {
	if z.err == nil {
		z.err = &syntaxError{line: z.line, msg: fmt.Sprintf(format, args...)}
	}
	return z.err
}

// next reads the next token into z's fields. At the end of a well-formed document it returns
// tokEOF and a nil error.
func (z *tokenizer) next() (tokKind, error) {
	if z.err != nil {
		return tokEOF, z.err
	}
	if z.pendEnd {
		z.pendEnd = false
		z.kind = tokEnd
		z.open = z.open[:len(z.open)-1]
		return tokEnd, nil
	}
	z.tokLine = z.line
	z.tokPos = z.pos
	if z.pos >= len(z.src) {
		if len(z.open) > 0 {
			return tokEOF, z.fail("unexpected end of document: element <%s> not closed", z.open[len(z.open)-1])
		}
		if !z.sawRoot() && !z.allowEmpty {
			return tokEOF, z.fail("no root element")
		}
		z.kind = tokEOF
		return tokEOF, nil
	}
	if z.src[z.pos] != '<' {
		return z.charData()
	}
	if z.pos+1 >= len(z.src) {
		return tokEOF, z.fail("unexpected end of document after '<'")
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
				return tokEOF, z.fail("CDATA section outside the root element")
			}
			return z.cdata()
		case bytes.HasPrefix(rest, []byte("DOCTYPE")):
			return tokEOF, z.fail("DOCTYPE is not allowed")
		}
		return tokEOF, z.fail("invalid markup after '<!'")
	}
	return z.startTag()
}

// rootSeen records whether a top-level element was read.
func (z *tokenizer) sawRoot() bool { return z.roots > 0 }

// charData reads text up to the next '<'.
func (z *tokenizer) charData() (tokKind, error) {
	src := z.src
	i := z.pos
	raw := false
	for i < len(src) {
		c := src[i]
		if c >= 0x80 {
			r, n := utf8.DecodeRune(src[i:])
			if r == utf8.RuneError && n <= 1 {
				return tokEOF, z.fail("invalid UTF-8")
			}
			if !isXMLChar(r) {
				return tokEOF, z.fail("invalid character U+%04X", r)
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
				return tokEOF, err
			}
			i += n
			continue
		case ']':
			if bytes.HasPrefix(src[i:], []byte("]]>")) {
				return tokEOF, z.fail("\"]]>\" in character data")
			}
		default:
			return tokEOF, z.fail("invalid character U+%04X", c)
		}
		i++
	}
done:
	z.text = src[z.pos:i]
	z.textRaw = raw
	z.pos = i
	if len(z.open) == 0 {
		for i, c := range z.text {
			if !isSpace(c) {
				return tokEOF, z.failAt(z.tokLine+bytes.Count(z.text[:i], []byte("\n")), "text outside the root element")
			}
		}
	}
	z.kind = tokText
	return tokText, nil
}

func (z *tokenizer) failAt(line int, format string, args ...any) error {
	z.line = line
	return z.fail(format, args...)
}

// checkRef validates the reference at the start of b ("&...;") and returns its length.
func (z *tokenizer) checkRef(b []byte) (int, error) {
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

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

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
func (z *tokenizer) ncName() ([]byte, error) {
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
func (z *tokenizer) qName() (prefix, local, qname []byte, err error) {
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
func (z *tokenizer) skipSpace() bool {
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

func (z *tokenizer) startTag() (tokKind, error) {
	z.pos++ // '<'
	var err error
	if z.prefix, z.local, z.qname, err = z.qName(); err != nil {
		return tokEOF, err
	}
	z.attrs = z.attrs[:0]
	for {
		sp := z.skipSpace()
		if z.pos >= len(z.src) {
			return tokEOF, z.fail("unexpected end of document in a start tag")
		}
		c := z.src[z.pos]
		if c == '>' {
			z.pos++
			z.selfClose = false
			break
		}
		if c == '/' {
			if z.pos+1 >= len(z.src) || z.src[z.pos+1] != '>' {
				return tokEOF, z.fail("expected '>' after '/' in a start tag")
			}
			z.pos += 2
			z.selfClose = true
			break
		}
		if !sp {
			return tokEOF, z.fail("expected whitespace before an attribute in <%s>", z.qname)
		}
		var a rawAttr
		var aq []byte
		if a.prefix, a.local, aq, err = z.qName(); err != nil {
			return tokEOF, err
		}
		for i := range z.attrs {
			p := &z.attrs[i]
			if bytes.Equal(p.local, a.local) && bytes.Equal(p.prefix, a.prefix) && (p.prefix == nil) == (a.prefix == nil) {
				return tokEOF, z.fail("duplicate attribute %s in <%s>", aq, z.qname)
			}
		}
		z.skipSpace()
		if z.pos >= len(z.src) || z.src[z.pos] != '=' {
			return tokEOF, z.fail("expected '=' after attribute %s", aq)
		}
		z.pos++
		z.skipSpace()
		if a.value, err = z.attrValue(); err != nil {
			return tokEOF, err
		}
		z.attrs = append(z.attrs, a)
	}
	if len(z.open) >= z.maxDepth {
		return tokEOF, z.failAt(z.tokLine, "elements nested deeper than %d", z.maxDepth)
	}
	if len(z.open) == 0 {
		z.roots++
	}
	z.open = append(z.open, z.qname)
	z.kind = tokStart
	if z.selfClose {
		z.pendEnd = true
	}
	return tokStart, nil
}

// attrValue scans a quoted attribute value and returns its raw content.
func (z *tokenizer) attrValue() ([]byte, error) {
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

func (z *tokenizer) endTag() (tokKind, error) {
	z.pos += 2 // "</"
	var err error
	if z.prefix, z.local, z.qname, err = z.qName(); err != nil {
		return tokEOF, err
	}
	z.skipSpace()
	if z.pos >= len(z.src) || z.src[z.pos] != '>' {
		return tokEOF, z.fail("expected '>' in the end tag </%s>", z.qname)
	}
	z.pos++
	if len(z.open) == 0 {
		return tokEOF, z.failAt(z.tokLine, "end tag </%s> without a start tag", z.qname)
	}
	if top := z.open[len(z.open)-1]; !bytes.Equal(top, z.qname) {
		return tokEOF, z.failAt(z.tokLine, "end tag </%s> does not match <%s>", z.qname, top)
	}
	z.open = z.open[:len(z.open)-1]
	z.kind = tokEnd
	return tokEnd, nil
}

func (z *tokenizer) comment() (tokKind, error) {
	start := z.pos + 4
	end := bytes.Index(z.src[start:], []byte("--"))
	if end < 0 {
		return tokEOF, z.fail("unterminated comment")
	}
	body := z.src[start : start+end]
	if start+end+2 >= len(z.src) || z.src[start+end+2] != '>' {
		return tokEOF, z.fail("\"--\" inside a comment")
	}
	if err := z.checkChars(body); err != nil {
		return tokEOF, err
	}
	z.pos = start + end + 3
	z.kind = tokComment
	return tokComment, nil
}

// checkChars checks that b holds only XML characters, counting lines.
func (z *tokenizer) checkChars(b []byte) error {
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

func (z *tokenizer) cdata() (tokKind, error) {
	start := z.pos + len("<![CDATA[")
	end := bytes.Index(z.src[start:], []byte("]]>"))
	if end < 0 {
		return tokEOF, z.fail("unterminated CDATA section")
	}
	body := z.src[start : start+end]
	if err := z.checkChars(body); err != nil {
		return tokEOF, err
	}
	z.text = body
	z.textRaw = bytes.IndexByte(body, '\r') >= 0
	z.pos = start + end + 3
	z.kind = tokCDATA
	return tokCDATA, nil
}

func (z *tokenizer) procInst() (tokKind, error) {
	z.pos += 2
	atStart := z.tokPos == 0 || (z.tokPos == 3 && bytes.HasPrefix(z.src, []byte("\xef\xbb\xbf")))
	target, err := z.ncName()
	if err != nil {
		return tokEOF, err
	}
	if z.pos < len(z.src) && z.src[z.pos] == ':' {
		return tokEOF, z.fail("processing instruction target with ':'")
	}
	isDecl := len(target) == 3 && (target[0]|0x20) == 'x' && (target[1]|0x20) == 'm' && (target[2]|0x20) == 'l'
	if isDecl {
		if !atStart || string(target) != "xml" {
			return tokEOF, z.fail("XML declaration not at the start of the document")
		}
		return z.xmlDecl()
	}
	sp := z.skipSpace()
	end := bytes.Index(z.src[z.pos:], []byte("?>"))
	if end < 0 {
		return tokEOF, z.fail("unterminated processing instruction")
	}
	if end > 0 && !sp {
		return tokEOF, z.fail("expected whitespace after the processing instruction target")
	}
	if err := z.checkChars(z.src[z.pos : z.pos+end]); err != nil {
		return tokEOF, err
	}
	z.pos += end + 2
	z.kind = tokPI
	return tokPI, nil
}

// xmlDecl parses the rest of an XML declaration: version, then optional encoding and
// standalone, in that order.
func (z *tokenizer) xmlDecl() (tokKind, error) {
	seen := 0
	for {
		sp := z.skipSpace()
		if bytes.HasPrefix(z.src[z.pos:], []byte("?>")) {
			if seen == 0 {
				return tokEOF, z.fail("XML declaration without version")
			}
			z.pos += 2
			z.kind = tokPI
			return tokPI, nil
		}
		if !sp {
			return tokEOF, z.fail("malformed XML declaration")
		}
		name, err := z.ncName()
		if err != nil {
			return tokEOF, err
		}
		z.skipSpace()
		if z.pos >= len(z.src) || z.src[z.pos] != '=' {
			return tokEOF, z.fail("malformed XML declaration")
		}
		z.pos++
		z.skipSpace()
		val, err := z.attrValue()
		if err != nil {
			return tokEOF, err
		}
		switch {
		case string(name) == "version" && seen == 0:
			if string(val) != "1.0" {
				return tokEOF, z.fail("unsupported XML version %q", val)
			}
			seen = 1
		case string(name) == "encoding" && seen == 1:
			if !bytes.EqualFold(val, []byte("UTF-8")) && !bytes.EqualFold(val, []byte("UTF8")) {
				return tokEOF, z.fail("unsupported encoding %q (only UTF-8)", val)
			}
			seen = 2
		case string(name) == "standalone" && seen >= 1 && seen < 3:
			if string(val) != "yes" && string(val) != "no" {
				return tokEOF, z.fail("invalid standalone value %q", val)
			}
			seen = 3
		default:
			return tokEOF, z.fail("unexpected %q in the XML declaration", name)
		}
	}
}

// appendText appends the decoded content of a text token (references replaced, CR LF and lone CR
// turned into LF) to dst.
func appendText(dst, raw []byte) []byte {
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

// appendAttrValue appends the normalized value of an attribute (XML 1.0 section 3.3.3, CDATA
// type): references replaced, each whitespace character (after line-end normalization) a space.
func appendAttrValue(dst, raw []byte) []byte {
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
