package cli

import (
	"bytes"

	"github.com/ncws/ncws/internal/xmltok"
)

// indentXML returns doc with one element per line, indented by two spaces per level. Elements
// holding only text stay on one line; whitespace between elements is replaced; tags, text and
// namespace declarations are kept as written; comments and processing instructions are dropped.
// A document that is not well-formed is returned unchanged.
func indentXML(doc []byte) []byte {
	z := xmltok.New(doc, 1000)
	z.SetAllowEmpty(true)
	var (
		out bytes.Buffer
		// children[d] reports whether the open element at depth d has child elements.
		children []bool
		text     []byte // pending text of the innermost open element
	)
	newline := func(depth int) {
		if out.Len() > 0 {
			out.WriteByte('\n')
		}
		for range depth {
			out.WriteString("  ")
		}
	}
	for {
		k, err := z.Next()
		if err != nil {
			return doc
		}
		switch k {
		case xmltok.EOF:
			if out.Len() > 0 {
				out.WriteByte('\n')
			}
			return out.Bytes()
		case xmltok.StartElement:
			d := z.Depth() - 1 // depth of the parent
			if d > 0 {
				children[d-1] = true
			}
			if !xmltok.IsBlank(text) { // mixed content: the text goes on its own line
				newline(d)
				out.Write(bytes.TrimSpace(text))
			}
			text = text[:0]
			newline(d)
			out.Write(doc[z.TokenOffset():z.Offset()])
			children = append(children, false)
		case xmltok.EndElement:
			d := z.Depth()
			raw := doc[z.TokenOffset():z.Offset()]
			selfClosing := z.TokenOffset() >= z.Offset() || raw[1] != '/'
			if !selfClosing {
				if children[d] {
					if !xmltok.IsBlank(text) {
						newline(d + 1)
						out.Write(bytes.TrimSpace(text))
					}
					newline(d)
				} else {
					out.Write(text)
				}
				out.Write(raw)
			}
			text = text[:0]
			children = children[:d]
		case xmltok.Text:
			if z.Depth() > 0 {
				text = append(text, z.Text()...)
			}
		case xmltok.CDATA:
			if z.Depth() > 0 {
				text = append(text, "<![CDATA["...)
				text = append(text, z.Text()...)
				text = append(text, "]]>"...)
			}
		}
	}
}
