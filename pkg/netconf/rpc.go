package netconf

import (
	"sync"

	"github.com/ncws/ncws/internal/xmltok"
	"github.com/ncws/ncws/pkg/rpcerror"
)

// Kind is the kind of a NETCONF message, named by its root element.
type Kind uint8

// The message kinds DecodeRPC recognises.
const (
	// KindRPC is <rpc> (RFC 6241 section 4.1).
	KindRPC Kind = iota + 1
	// KindReply is <rpc-reply> (RFC 6241 section 4.2).
	KindReply
	// KindHello is <hello> (RFC 6241 section 8.1); DecodeHello reads it.
	KindHello
	// KindNotification is <notification> (RFC 5277 section 4).
	KindNotification
)

// String returns the root element's name.
func (k Kind) String() string {
	switch k {
	case KindRPC:
		return "rpc"
	case KindReply:
		return "rpc-reply"
	case KindHello:
		return "hello"
	case KindNotification:
		return "notification"
	}
	return "unknown"
}

// Attr is one attribute of a root element as written, namespace declarations included.
type Attr struct {
	// Prefix is the prefix as written: "" for none, "xmlns" for a prefixed namespace declaration.
	Prefix string
	// Name is the local name ("xmlns" for a default namespace declaration).
	Name string
	// Namespace is the namespace of a prefixed attribute other than a declaration, else "".
	Namespace string
	// Value is the attribute's value, references replaced and whitespace normalized.
	Value string
}

// RPC is a decoded message envelope: the root element, its attributes and, for <rpc>, where
// the operation element lies so that it can be decoded against the rpc's input schema.
type RPC struct {
	Kind Kind
	// MessageID is the message-id attribute (of <rpc> or <rpc-reply>); HasMessageID tells an
	// empty one from none.
	MessageID    string
	HasMessageID bool
	// Attrs are all the attributes of the root element in document order, to be echoed on the
	// <rpc-reply> (RFC 6241 section 4.2).
	Attrs []Attr
	// Msg is the whole message; Body is the content of the root element (a slice of Msg).
	Msg  []byte
	Body []byte
	// OpNamespace and OpName name the operation element of an <rpc>; OpStart and OpEnd are its
	// offsets in Msg (Msg[OpStart:OpEnd] is the element as written, see Operation).
	OpNamespace string
	OpName      string
	OpStart     int
	OpEnd       int

	rootNS   []binding // declarations on the root element
	opQName  int       // length of the operation's qualified name
	opPrefix []string  // prefixes ("" for the default) declared on the operation element
}

// ReplyAttrs returns the attributes to echo on the reply: r.Attrs, or nil when r is nil (a
// message whose root start tag could not be read).
func (r *RPC) ReplyAttrs() []Attr {
	if r == nil {
		return nil
	}
	return r.Attrs
}

// Operation returns the operation element of an <rpc> as a standalone document: Msg[OpStart:
// OpEnd] with the namespace declarations of <rpc> that are in scope for it copied onto its
// start tag, ready for yangxml against the rpc's input schema.
func (r *RPC) Operation() []byte {
	if r.OpEnd == 0 {
		return nil
	}
	op := r.Msg[r.OpStart:r.OpEnd]
	var arr [256]byte
	decls := arr[:0]
	// A declaration is copied unless the operation element or a later declaration of <rpc>
	// binds its prefix again: with many, the later ones are found through a set (linear time).
	var later map[string]int
	var own map[string]bool
	if len(r.opPrefix) > smallScope {
		own = make(map[string]bool, len(r.opPrefix))
		for _, p := range r.opPrefix {
			own[p] = true
		}
	}
	if len(r.rootNS) > smallScope {
		later = make(map[string]int, len(r.rootNS))
		for i, d := range r.rootNS {
			later[d.prefix] = i
		}
	}
	for i, d := range r.rootNS {
		shadowed := own[d.prefix]
		if own == nil {
			for _, p := range r.opPrefix {
				shadowed = shadowed || p == d.prefix
			}
		}
		if later != nil {
			shadowed = shadowed || later[d.prefix] != i
		} else {
			for _, e := range r.rootNS[i+1:] {
				shadowed = shadowed || e.prefix == d.prefix
			}
		}
		if shadowed {
			continue
		}
		decls = append(decls, " xmlns"...)
		if d.prefix != "" {
			decls = append(decls, ':')
			decls = append(decls, d.prefix...)
		}
		decls = append(decls, `="`...)
		decls = AppendEscaped(decls, d.uri, true)
		decls = append(decls, '"')
	}
	if len(decls) == 0 {
		return op
	}
	n := 1 + r.opQName
	out := make([]byte, 0, len(op)+len(decls))
	out = append(out, op[:n]...)
	out = append(out, decls...)
	return append(out, op[n:]...)
}

// envReaders are the tokenizers and namespace scopes DecodeRPCDepth reuses.
var envReaders = sync.Pool{New: func() any { return &nsReader{z: new(xmltok.Tokenizer)} }}

// DecodeRPC decodes the envelope of a NETCONF message with the default depth limit; see
// DecodeRPCDepth.
func DecodeRPC(msg []byte) (*RPC, *rpcerror.Error) {
	return DecodeRPCDepth(msg, DefaultMaxDepth)
}

// DecodeRPCDepth decodes the envelope of a NETCONF message: its root element <rpc>,
// <rpc-reply>, <hello> (all in BaseNamespace, with any prefix) or <notification>
// (NotificationNamespace), the root's attributes and, for <rpc>, its one operation element. The
// whole message is checked to be well-formed XML; elements below the operation are not
// interpreted.
//
// The error, of error-type rpc, is what the server replies: malformed-message for XML that is not
// well-formed (a DOCTYPE included, never processed), for a message with no or several root
// elements, another root element, text directly inside <rpc>, and an <rpc> with no or several
// operation elements; missing-attribute (bad-attribute message-id, bad-element rpc) for an <rpc>
// without message-id. When the root start tag could be read, the returned *RPC is not nil even
// with an error, so that the reply can echo message-id and the other attributes.
func DecodeRPCDepth(msg []byte, maxDepth int) (*RPC, *rpcerror.Error) {
	// Tokenizers are reused across messages (one per message grew its buffers again); nothing
	// returned refers to them: the RPC's strings are copies.
	pr := envReaders.Get().(*nsReader)
	z := pr.z
	z.Reset(msg, maxDepth)
	defer func() {
		z.Reset(nil, 0)
		if cap(pr.buf) > 64<<10 || cap(pr.ns) > 1024 {
			return // a huge message's buffers go with it
		}
		clear(pr.ns[:cap(pr.ns)])
		*pr = nsReader{z: z, ns: pr.ns[:0], marks: pr.marks[:0], buf: pr.buf[:0]}
		envReaders.Put(pr)
	}()
	r := pr
	var (
		m       *RPC
		nOps    int
		bodyPos int
		semErr  *rpcerror.Error // first non-syntax error, reported once the XML is known well-formed
	)
	fail := func(e *rpcerror.Error) {
		if semErr == nil {
			semErr = e
		}
	}
	for {
		k, err := z.Next()
		if err != nil {
			text, line := syntaxMessage(err)
			e := rpcerror.MalformedMessage("malformed XML: %s", text)
			e.Line = line
			return m, e
		}
		depth := z.Depth()
		switch k {
		case xmltok.EOF:
			if semErr == nil && m != nil && m.Kind == KindRPC {
				switch {
				case !m.HasMessageID:
					semErr = rpcerror.MissingAttribute(rpcerror.RPC, "message-id", "rpc")
				case nOps == 0:
					semErr = rpcerror.MalformedMessage("<rpc> has no operation element")
				}
			}
			return m, semErr
		case xmltok.StartElement:
			if depth == 1 && z.Roots() > 1 {
				e := rpcerror.MalformedMessage("more than one root element: <%s> after <%s>", z.QName(), m.Kind)
				e.Line = z.TokenLine()
				return m, e
			}
			if depth > 2 {
				continue
			}
			ns, err := r.start()
			if err != nil {
				text, line := syntaxMessage(err)
				e := rpcerror.MalformedMessage("malformed XML: %s", text)
				e.Line = line
				return m, e
			}
			if depth == 1 {
				m = &RPC{Msg: msg}
				if !setRoot(m, r, ns) {
					e := rpcerror.MalformedMessage("root element <%s> in namespace %q is not a NETCONF message", z.Local(), ns)
					e.Line = z.TokenLine()
					return nil, e
				}
				bodyPos = z.Offset()
				if z.SelfClosing() {
					m.Body = msg[bodyPos:bodyPos]
				}
				continue
			}
			if m.Kind == KindRPC {
				nOps++
				if nOps == 1 {
					m.OpNamespace, m.OpName, m.OpStart = ns, string(z.Local()), z.TokenOffset()
					m.opQName = len(z.QName())
					for _, b := range r.ns[r.marks[len(r.marks)-1]:] {
						m.opPrefix = append(m.opPrefix, b.prefix)
					}
				} else {
					e := rpcerror.MalformedMessage("more than one operation in <rpc>: <%s> after <%s>", z.Local(), m.OpName)
					e.Line = z.TokenLine()
					fail(e)
				}
			}
		case xmltok.EndElement:
			if depth >= 2 {
				continue
			}
			r.end()
			switch {
			case depth == 1 && m.Kind == KindRPC && nOps == 1 && m.OpEnd == 0:
				m.OpEnd = z.Offset()
			case depth == 0 && m.Body == nil:
				m.Body = msg[bodyPos:z.TokenOffset()]
			}
		case xmltok.Text, xmltok.CDATA:
			if depth == 1 && m.Kind == KindRPC && (k == xmltok.CDATA || !xmltok.IsBlank(z.Text())) {
				e := rpcerror.MalformedMessage("text %q inside <rpc>", clip(z.Text()))
				e.Line = z.TokenLine()
				fail(e)
			}
		}
	}
}

// common returns b as a string, without allocating for the names and values every message
// carries ("message-id", "xmlns", the base namespace).
func common(b []byte) string {
	switch string(b) {
	case "":
		return ""
	case "message-id":
		return "message-id"
	case "xmlns":
		return "xmlns"
	case "nc":
		return "nc"
	case BaseNamespace:
		return BaseNamespace
	}
	return string(b)
}

// setRoot fills m from the root start tag; it reports false for an unknown root.
func setRoot(m *RPC, r *nsReader, ns string) bool {
	z := r.z
	switch local := string(z.Local()); {
	case ns == BaseNamespace && local == "rpc":
		m.Kind = KindRPC
	case ns == BaseNamespace && local == "rpc-reply":
		m.Kind = KindReply
	case ns == BaseNamespace && local == "hello":
		m.Kind = KindHello
	case ns == NotificationNamespace && local == "notification":
		m.Kind = KindNotification
	default:
		return false
	}
	m.rootNS = append(m.rootNS, r.ns...)
	var arr [128]byte
	buf := arr[:0]
	m.Attrs = make([]Attr, 0, len(z.Attrs()))
	for _, a := range z.Attrs() {
		buf = xmltok.AppendAttrValue(buf[:0], a.Value)
		at := Attr{Prefix: common(a.Prefix), Name: common(a.Local), Value: common(buf)}
		if a.Prefix != nil && at.Prefix != "xmlns" {
			at.Namespace, _ = r.lookup(at.Prefix)
		}
		m.Attrs = append(m.Attrs, at)
		if at.Name == "message-id" && (at.Prefix == "" || at.Namespace == BaseNamespace) &&
			(m.Kind == KindRPC || m.Kind == KindReply) && !m.HasMessageID {
			m.MessageID, m.HasMessageID = at.Value, true
		}
	}
	return true
}
