// Package xmltok is the one XML tokenizer of ncws: a zero-copy, well-formedness-checking XML 1.0
// scanner over a document held in memory, shared by pkg/encoding/yangxml (YANG instance data)
// and pkg/netconf (NETCONF envelopes, RFC 6241 section 3).
//
// It checks names, tag matching, attribute syntax and uniqueness, references (only the five
// predefined entities and character references), characters, comments, CDATA sections,
// processing instructions, the XML declaration (UTF-8 only) and a leading BOM, and it refuses any
// DOCTYPE (RFC 6241 section 3.2), so no entity is ever expanded. Namespaces are the caller's:
// names come as prefix and local part, attributes (declarations included) in document order.
//
//	z := xmltok.New(doc, 1000)
//	for {
//		k, err := z.Next()
//		if err != nil || k == xmltok.EOF {
//			break // err is a *xmltok.SyntaxError with the line
//		}
//		if k == xmltok.StartElement {
//			fmt.Printf("%s\n", z.Local())
//		}
//	}
package xmltok
