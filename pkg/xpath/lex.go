package xpath

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokKind is the kind of a lexical token (XPath 1.0 section 3.7).
type tokKind uint8

const (
	tEOF        tokKind = iota
	tLParen             // (
	tRParen             // )
	tLBrack             // [
	tRBrack             // ]
	tDot                // .
	tDotDot             // ..
	tAt                 // @
	tComma              // ,
	tColCol             // ::
	tSlash              // /
	tSlashSlash         // //
	tPipe               // |
	tPlus               // +
	tMinus              // -
	tEq                 // =
	tNeq                // !=
	tLt                 // <
	tLe                 // <=
	tGt                 // >
	tGe                 // >=
	tStar               // * as a name test
	tMul                // * as the multiply operator
	tAnd                // and
	tOr                 // or
	tMod                // mod
	tDiv                // div
	tLiteral            // 'text' or "text"
	tNumber             // 12.5
	tName               // a name test: prefix:local, prefix:*, local
	tFunc               // a function name (followed by '(')
	tNodeType           // comment, text, processing-instruction, node (followed by '(')
	tAxis               // an axis name (followed by '::')
	tVar                // $name
)

var tokNames = [...]string{"end of expression", "'('", "')'", "'['", "']'", "'.'", "'..'", "'@'", "','",
	"'::'", "'/'", "'//'", "'|'", "'+'", "'-'", "'='", "'!='", "'<'", "'<='", "'>'", "'>='", "'*'", "'*'",
	"'and'", "'or'", "'mod'", "'div'", "literal", "number", "name", "function name", "node type",
	"axis name", "variable reference"}

func (k tokKind) String() string { return tokNames[k] }

// token is one lexical token; pos is its byte offset in the expression.
type token struct {
	kind tokKind
	pos  int
	// text is the literal's content, the number's text, the function/axis/node-type name, or for
	// tName the local part ("*" for prefix:*).
	text string
	// prefix is the prefix of a tName or tFunc ("" if none).
	prefix string
}

// lex splits src into tokens, applying the disambiguation rules of XPath 1.0 section 3.7.
func lex(src string) ([]token, error) {
	var toks []token
	i := 0
	// operatorContext reports whether the previous token makes '*' a multiplication and a name an
	// operator name: there is a previous token and it is not @ :: ( [ , or an operator.
	operatorContext := func() bool {
		if len(toks) == 0 {
			return false
		}
		switch toks[len(toks)-1].kind {
		case tAt, tColCol, tLParen, tLBrack, tComma, tAnd, tOr, tMod, tDiv, tMul, tSlash, tSlashSlash,
			tPipe, tPlus, tMinus, tEq, tNeq, tLt, tLe, tGt, tGe:
			return false
		}
		return true
	}
	for {
		for i < len(src) && isSpace(src[i]) {
			i++
		}
		if i >= len(src) {
			toks = append(toks, token{kind: tEOF, pos: i})
			return toks, nil
		}
		start := i
		c := src[i]
		simple := func(k tokKind, n int) {
			toks = append(toks, token{kind: k, pos: start})
			i += n
		}
		switch {
		case c == '(':
			simple(tLParen, 1)
		case c == ')':
			simple(tRParen, 1)
		case c == '[':
			simple(tLBrack, 1)
		case c == ']':
			simple(tRBrack, 1)
		case c == '@':
			simple(tAt, 1)
		case c == ',':
			simple(tComma, 1)
		case c == '|':
			simple(tPipe, 1)
		case c == '+':
			simple(tPlus, 1)
		case c == '-':
			simple(tMinus, 1)
		case c == '=':
			simple(tEq, 1)
		case c == '!':
			if i+1 < len(src) && src[i+1] == '=' {
				simple(tNeq, 2)
			} else {
				return nil, errAt(start, "unexpected '!' (did you mean '!='?)")
			}
		case c == '<':
			if i+1 < len(src) && src[i+1] == '=' {
				simple(tLe, 2)
			} else {
				simple(tLt, 1)
			}
		case c == '>':
			if i+1 < len(src) && src[i+1] == '=' {
				simple(tGe, 2)
			} else {
				simple(tGt, 1)
			}
		case c == '/':
			if i+1 < len(src) && src[i+1] == '/' {
				simple(tSlashSlash, 2)
			} else {
				simple(tSlash, 1)
			}
		case c == ':':
			if i+1 < len(src) && src[i+1] == ':' {
				simple(tColCol, 2)
			} else {
				return nil, errAt(start, "unexpected ':'")
			}
		case c == '*':
			if operatorContext() {
				simple(tMul, 1)
			} else {
				simple(tStar, 1)
			}
		case c == '\'' || c == '"':
			end := strings.IndexByte(src[i+1:], c)
			if end < 0 {
				return nil, errAt(start, "unterminated literal")
			}
			toks = append(toks, token{kind: tLiteral, pos: start, text: src[i+1 : i+1+end]})
			i += end + 2
		case c == '.':
			switch {
			case i+1 < len(src) && src[i+1] == '.':
				simple(tDotDot, 2)
			case i+1 < len(src) && isDigit(src[i+1]):
				i++
				for i < len(src) && isDigit(src[i]) {
					i++
				}
				toks = append(toks, token{kind: tNumber, pos: start, text: src[start:i]})
			default:
				simple(tDot, 1)
			}
		case isDigit(c):
			for i < len(src) && isDigit(src[i]) {
				i++
			}
			if i < len(src) && src[i] == '.' && !(i+1 < len(src) && src[i+1] == '.') {
				i++
				for i < len(src) && isDigit(src[i]) {
					i++
				}
			}
			toks = append(toks, token{kind: tNumber, pos: start, text: src[start:i]})
		case c == '$':
			i++
			n := scanNCName(src, i)
			if n == 0 {
				return nil, errAt(start, "'$' not followed by a variable name")
			}
			name := src[i : i+n]
			i += n
			if i+1 < len(src) && src[i] == ':' && scanNCName(src, i+1) > 0 {
				m := scanNCName(src, i+1)
				name += src[i : i+1+m]
				i += 1 + m
			}
			toks = append(toks, token{kind: tVar, pos: start, text: name})
		default:
			n := scanNCName(src, i)
			if n == 0 {
				r, _ := utf8.DecodeRuneInString(src[i:])
				return nil, errAt(start, fmt.Sprintf("unexpected character %q", r))
			}
			name := src[i : i+n]
			i += n
			if operatorContext() {
				var k tokKind
				switch name {
				case "and":
					k = tAnd
				case "or":
					k = tOr
				case "mod":
					k = tMod
				case "div":
					k = tDiv
				default:
					return nil, errAt(start, fmt.Sprintf("expected an operator, found %q", name))
				}
				toks = append(toks, token{kind: k, pos: start})
				continue
			}
			tok := token{kind: tName, pos: start, text: name}
			// QName or prefix:* (no whitespace allowed around the colon).
			if i+1 < len(src) && src[i] == ':' && src[i+1] != ':' {
				if src[i+1] == '*' {
					tok.prefix, tok.text = name, "*"
					i += 2
				} else if m := scanNCName(src, i+1); m > 0 {
					tok.prefix, tok.text = name, src[i+1:i+1+m]
					i += 1 + m
				} else {
					return nil, errAt(i+1, "expected a name after ':'")
				}
			}
			j := i
			for j < len(src) && isSpace(src[j]) {
				j++
			}
			switch {
			case j < len(src) && src[j] == '(':
				if tok.prefix == "" && (name == "comment" || name == "text" || name == "node" ||
					name == "processing-instruction") {
					tok.kind = tNodeType
				} else if tok.text != "*" {
					tok.kind = tFunc
				}
			case j+1 < len(src) && src[j] == ':' && src[j+1] == ':' && tok.prefix == "":
				tok.kind = tAxis
			}
			toks = append(toks, tok)
		}
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// scanNCName returns the byte length of the NCName at src[i:], 0 if none starts there.
func scanNCName(src string, i int) int {
	j := i
	for j < len(src) {
		r, size := utf8.DecodeRuneInString(src[j:])
		if j == i {
			if !isNameStart(r) {
				return 0
			}
		} else if !isNameChar(r) {
			break
		}
		j += size
	}
	return j - i
}

func isNameStart(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.Is(unicode.Nl, r)
}

func isNameChar(r rune) bool {
	return isNameStart(r) || r == '-' || r == '.' || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) ||
		unicode.Is(unicode.Mc, r) || unicode.Is(unicode.Nd, r) || unicode.Is(unicode.Lm, r) || r == 0xB7
}
