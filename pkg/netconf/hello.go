package netconf

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/ncws/ncws/internal/xmltok"
)

// ErrBadHello is wrapped by every error DecodeHello returns.
var ErrBadHello = errors.New("netconf: bad hello")

// Hello is the <hello> message each peer sends first (RFC 6241 section 8.1).
type Hello struct {
	// Capabilities are the capability URIs, in the order sent.
	Capabilities []string
	// SessionID is the session-id the server assigns (1..4294967295); 0 in a client's hello,
	// which has none.
	SessionID uint32
}

// Encode returns h as a <hello> in the default namespace BaseNamespace, with no prefixes and
// no XML declaration: the server form with <session-id> when h.SessionID is not 0, the client
// form without it otherwise.
func (h *Hello) Encode() []byte {
	b := make([]byte, 0, 128+64*len(h.Capabilities))
	b = append(b, `<hello xmlns="`+BaseNamespace+`"><capabilities>`...)
	for _, c := range h.Capabilities {
		b = append(b, "<capability>"...)
		b = AppendEscaped(b, c, false)
		b = append(b, "</capability>"...)
	}
	b = append(b, "</capabilities>"...)
	if h.SessionID != 0 {
		b = append(b, "<session-id>"...)
		b = strconv.AppendUint(b, uint64(h.SessionID), 10)
		b = append(b, "</session-id>"...)
	}
	return append(b, "</hello>"...)
}

// DecodeHello decodes a <hello> message. Any prefixes may be used for the base namespace. It
// fails, with an error wrapping ErrBadHello, on malformed XML (a DOCTYPE included), a root other
// than <hello>, elements other than <capabilities> (holding <capability> elements) and
// <session-id>, either repeated, no capability, an empty capability, text where elements are
// expected, and a session-id that is not a decimal number in 1..4294967295. Whether a
// session-id may appear at all (only from the server) is the caller's check.
func DecodeHello(msg []byte) (*Hello, error) {
	h := &Hello{}
	if err := decodeHello(msg, h); err != nil {
		return nil, fmt.Errorf("%w: %s", ErrBadHello, err)
	}
	return h, nil
}

// helloError is a semantic error in a hello, with the line of the offending element.
type helloError struct {
	line int
	msg  string
}

func (e *helloError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

func decodeHello(msg []byte, h *Hello) error {
	z := xmltok.New(msg, DefaultMaxDepth)
	r := nsReader{z: z}
	bad := func(format string, args ...any) error {
		return &helloError{line: z.TokenLine(), msg: fmt.Sprintf(format, args...)}
	}
	var (
		sawCaps, sawSID bool
		text            []byte // content of the <capability> or <session-id> being read
		elem            string // local name of the open element at depth 2 or 3 being read
	)
	for {
		k, err := z.Next()
		if err != nil {
			m, line := syntaxMessage(err)
			return &helloError{line: line, msg: "malformed XML: " + m}
		}
		depth := z.Depth()
		switch k {
		case xmltok.EOF:
			if !sawCaps {
				return &helloError{line: 1, msg: "no <capabilities> element"}
			}
			if len(h.Capabilities) == 0 {
				return &helloError{line: 1, msg: "no capability in <capabilities>"}
			}
			return nil
		case xmltok.StartElement:
			if depth == 1 && z.Roots() > 1 {
				return bad("element <%s> after the <hello> element", z.QName())
			}
			if depth > 3 {
				return bad("element <%s> inside <%s>", z.QName(), elem)
			}
			ns, err := r.start()
			if err != nil {
				m, line := syntaxMessage(err)
				return &helloError{line: line, msg: "malformed XML: " + m}
			}
			local := string(z.Local())
			if ns != BaseNamespace {
				return bad("element <%s> in namespace %q, not %s", local, ns, BaseNamespace)
			}
			switch depth {
			case 1:
				if local != "hello" {
					return bad("root element <%s>, not <hello>", local)
				}
			case 2:
				switch {
				case local == "capabilities" && !sawCaps:
					sawCaps = true
				case local == "session-id" && !sawSID:
					sawSID = true
				case local == "capabilities" || local == "session-id":
					return bad("more than one <%s> element", local)
				default:
					return bad("unknown element <%s> in <hello>", local)
				}
			case 3:
				if elem != "capabilities" {
					return bad("element <%s> inside <%s>", local, elem)
				}
				if local != "capability" {
					return bad("unknown element <%s> in <capabilities>", local)
				}
			}
			elem = local
			text = text[:0]
		case xmltok.EndElement:
			r.end()
			switch depth {
			case 1: // closing <capabilities> or <session-id>
				if elem == "session-id" {
					v := strings.TrimSpace(string(text))
					n, err := strconv.ParseUint(v, 10, 32)
					if err != nil || n == 0 || v[0] < '0' || v[0] > '9' {
						return bad("session-id %q is not a number in 1..4294967295", clip(text))
					}
					h.SessionID = uint32(n)
				}
				elem = "hello"
			case 2: // closing <capability>
				v := strings.Trim(string(text), " \t\r\n")
				if v == "" {
					return bad("empty <capability>")
				}
				h.Capabilities = append(h.Capabilities, v)
				elem = "capabilities"
			}
		case xmltok.Text, xmltok.CDATA:
			switch {
			case elem == "capability" || elem == "session-id":
				if k == xmltok.Text && z.TextRaw() {
					text = xmltok.AppendText(text, z.Text())
				} else {
					text = append(text, z.Text()...)
				}
			case depth > 0 && (k == xmltok.CDATA || !xmltok.IsBlank(z.Text())):
				return bad("text %q inside <%s>", clip(z.Text()), elem)
			}
		}
	}
}
