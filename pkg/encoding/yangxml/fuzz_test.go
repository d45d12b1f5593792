package yangxml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/ncws/ncws/pkg/rpcerror"
)

var fuzzSeeds = []string{
	`<a/>`,
	`<?xml version="1.0" encoding="UTF-8"?><a x="1" y='&amp;'>t&lt;<![CDATA[c]]><!--c--><?pi d?></a>`,
	`<p:a xmlns:p="urn:p"><p:b p:c="1">&#x41;&#66;</p:b></p:a>`,
	"<a>\r\n</a>\n<b/>",
	`<a><b></a></b>`,
	`<!DOCTYPE a><a/>`,
	`<a x="1" x="2"/>`,
	`<top xmlns="urn:ex"><a>1</a><item><k2>1</k2><k1>x</k1></item><any><q xmlns="urn:q"/></any></top>`,
}

// tokenStream renders the tokens of a document accepted by our tokenizer: start and end tags by
// qualified name, adjacent character data and CDATA merged and decoded.
func tokenStream(doc []byte) ([]string, error) {
	z := newTokenizer(doc, DefaultMaxDepth)
	var out []string
	var text []byte
	inText := false
	flush := func() {
		if inText {
			out = append(out, "T"+string(text))
			text, inText = text[:0], false
		}
	}
	for {
		k, err := z.next()
		if err != nil {
			return nil, err
		}
		switch k {
		case tokEOF:
			flush()
			return out, nil
		case tokStart:
			flush()
			out = append(out, "S"+string(z.qname))
		case tokEnd:
			flush()
			out = append(out, "E")
		case tokText:
			text, inText = appendText(text, z.text), true
		case tokCDATA:
			text, inText = appendCRLF(text, z.text), true
		case tokComment, tokPI:
			flush()
		}
	}
}

// stdStream is tokenStream computed with encoding/xml.
func stdStream(doc []byte) ([]string, error) {
	doc = bytes.TrimPrefix(doc, []byte("\xef\xbb\xbf"))
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = true
	var out []string
	var text []byte
	inText := false
	flush := func() {
		if inText {
			out = append(out, "T"+string(text))
			text, inText = text[:0], false
		}
	}
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			flush()
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			flush()
			n := tok.Name.Local
			if tok.Name.Space != "" {
				n = tok.Name.Space + ":" + n
			}
			out = append(out, "S"+n)
		case xml.EndElement:
			flush()
			out = append(out, "E")
		case xml.CharData:
			text, inText = append(text, tok...), true
		default:
			flush()
		}
	}
}

// FuzzTokenizer checks the tokenizer against encoding/xml: whatever we accept, encoding/xml
// accepts too, with the same elements and text. (We are stricter in places encoding/xml is not:
// DOCTYPE, duplicate attributes, "]]>" in text, text outside the root, misplaced XML
// declarations, names with several colons, undeclared entities are errors in both.)
func FuzzTokenizer(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		ours, err := tokenStream(doc)
		if err != nil {
			return
		}
		std, serr := stdStream(doc)
		if serr != nil {
			var se *xml.SyntaxError
			if errors.As(serr, &se) && strings.Contains(se.Msg, "invalid XML name") {
				return // encoding/xml follows the XML 1.0 fourth edition name rules; we follow the fifth
			}
			t.Fatalf("we accept %q, encoding/xml rejects it: %v", doc, serr)
		}
		// Tag matching: encoding/xml's RawToken does not check it, we do.
		depth := 0
		for _, tok := range std {
			switch tok[0] {
			case 'S':
				depth++
			case 'E':
				depth--
			}
			if depth < 0 {
				t.Fatalf("we accept %q with an unmatched end tag", doc)
			}
		}
		if strings.Join(ours, "\x00") != strings.Join(std, "\x00") {
			t.Fatalf("token mismatch for %q:\nours %q\nstd  %q", doc, ours, std)
		}
	})
}

// FuzzUnmarshal decodes arbitrary documents against a fixed schema: no panic, a syntax error
// comes alone at the end with no tree, and an accepted tree re-encodes to a document that
// decodes to the same encoding.
func FuzzUnmarshal(f *testing.F) {
	s := exSchema(f)
	for _, sd := range fuzzSeeds {
		f.Add([]byte(sd))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		root, errs := Unmarshal(doc, s, DecodeOptions{MaxDepth: 64})
		if len(errs) > 0 && errs[len(errs)-1].Tag == rpcerror.TagMalformedMessage {
			if root != nil {
				t.Fatal("tree returned with a syntax error")
			}
			return
		}
		if root == nil {
			t.Fatal("no tree and no syntax error")
		}
		if len(errs) > 0 {
			return
		}
		out, err := Marshal(root, EncodeOptions{})
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		root2, errs := Unmarshal(out, s, DecodeOptions{})
		if len(errs) > 0 {
			t.Fatalf("re-decoding %q (from %q): %v", out, doc, errs)
		}
		out2, err := Marshal(root2, EncodeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out, out2) {
			t.Fatalf("round trip not stable:\n%s\n%s", out, out2)
		}
	})
}
