package yangxml

import "github.com/ncws/ncws/internal/xmltok"

// The tokenizer moved to internal/xmltok; these names keep FuzzTokenizer's differential check
// against encoding/xml reading as it did.

const (
	tokEOF     = xmltok.EOF
	tokStart   = xmltok.StartElement
	tokEnd     = xmltok.EndElement
	tokText    = xmltok.Text
	tokCDATA   = xmltok.CDATA
	tokComment = xmltok.Comment
	tokPI      = xmltok.ProcInst
)

// shimTokenizer mirrors the current token's qualified name and text into fields.
type shimTokenizer struct {
	*xmltok.Tokenizer
	qname, text []byte
}

func newTokenizer(doc []byte, maxDepth int) *shimTokenizer {
	return &shimTokenizer{Tokenizer: xmltok.New(doc, maxDepth)}
}

func (z *shimTokenizer) next() (xmltok.Kind, error) {
	k, err := z.Next()
	z.qname, z.text = z.QName(), z.Text()
	return k, err
}

func appendText(dst, raw []byte) []byte { return xmltok.AppendText(dst, raw) }
