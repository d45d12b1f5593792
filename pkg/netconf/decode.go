package netconf

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ncws/ncws/internal/xmltok"
	"github.com/ncws/ncws/pkg/rpcerror"
)

// Errors wrapped by DecodeReply and DecodeNotification.
var (
	ErrBadReply        = errors.New("netconf: bad rpc-reply")
	ErrBadNotification = errors.New("netconf: bad notification")
)

// Reply is a decoded <rpc-reply> (RFC 6241 section 4.2), as a client reads it.
type Reply struct {
	// MessageID is the message-id attribute; HasMessageID tells an empty one from none (a
	// server answers a message whose message-id it could not read without one).
	MessageID    string
	HasMessageID bool
	// Msg is the whole message.
	Msg []byte
	// OK reports an <ok/> element.
	OK bool
	// Data is the content of <data> (nil when there is none, empty when it is empty) and Body
	// the content of <rpc-reply> (the output of an rpc that has no <data>), as XML content
	// that stands alone: each top-level element carries the namespace declarations in scope
	// for it in the message (the default namespace included, xmlns="" when there is none).
	Data []byte
	Body []byte
	// Errors are the <rpc-error>s, warnings included, in message order.
	Errors rpcerror.List
}

// Err returns the rpc-errors of severity error as an error (an rpcerror.List), nil when there
// are none: warnings alone do not make a reply fail.
func (r *Reply) Err() error {
	var l rpcerror.List
	for _, e := range r.Errors {
		if e.SeverityOrDefault() != rpcerror.SeverityWarning {
			l = append(l, e)
		}
	}
	return l.Err()
}

// Notification is a decoded <notification> (RFC 5277 section 4).
type Notification struct {
	// EventTime is the <eventTime>.
	EventTime time.Time
	// Body is the event content after <eventTime>, standing alone as Reply.Data does.
	Body []byte
}

// DecodeReply decodes an <rpc-reply> in BaseNamespace (any prefix): message-id, <ok/>, <data>
// and the <rpc-error>s with all their fields (RFC 6241 section 4.3; the text of each field
// with surrounding whitespace removed, error-info children as rpcerror.Info, their namespace
// empty for BaseNamespace). It fails with an error wrapping ErrBadReply on XML that is not
// well-formed (a DOCTYPE included, never processed), on another root element and on a
// repeated field of an rpc-error. Other content is accepted and left in Body.
func DecodeReply(msg []byte) (*Reply, error) {
	r := &Reply{Msg: msg}
	if err := decodeReply(msg, r); err != nil {
		return nil, fmt.Errorf("%w: %s", ErrBadReply, err)
	}
	return r, nil
}

// DecodeNotification decodes a <notification> in NotificationNamespace (any prefix): its
// <eventTime> (RFC 3339, required, first) and the event content after it. It fails with an
// error wrapping ErrBadNotification on XML that is not well-formed, another root element, and
// a missing or unreadable eventTime.
func DecodeNotification(msg []byte) (*Notification, error) {
	n, err := decodeNotification(msg)
	if err != nil {
		return nil, fmt.Errorf("%w: %s", ErrBadNotification, err)
	}
	return n, nil
}

// insert is a namespace declaration text to insert at an offset of the message.
type insert struct {
	at   int
	decl []byte
}

// content is a range of the message whose top-level elements receive the declarations in
// scope at its start, so that it stands alone.
type content struct {
	depth      int // depth of the element the content belongs to
	start, end int
	scope      []binding
	inserts    []insert
}

func (c *content) begin(r *nsReader, depth, start int) {
	c.depth, c.start = depth, start
	c.scope = append([]binding(nil), r.ns...)
}

// child is called after r.start() for each element at depth c.depth+1.
func (c *content) child(r *nsReader) {
	z := r.z
	own := r.ns[r.marks[len(r.marks)-1]:]
	declared := func(p string) bool {
		for _, b := range own {
			if b.prefix == p {
				return true
			}
		}
		return false
	}
	var decl []byte
	hasDefault := false
	for i := len(c.scope) - 1; i >= 0; i-- {
		b := c.scope[i]
		shadowed := false
		for _, later := range c.scope[i+1:] {
			shadowed = shadowed || later.prefix == b.prefix
		}
		if b.prefix == "" && !shadowed {
			hasDefault = true
		}
		if shadowed || declared(b.prefix) {
			continue
		}
		decl = append(decl, " xmlns"...)
		if b.prefix != "" {
			decl = append(decl, ':')
			decl = append(decl, b.prefix...)
		}
		decl = append(decl, `="`...)
		decl = AppendEscaped(decl, b.uri, true)
		decl = append(decl, '"')
	}
	if !hasDefault && !declared("") {
		decl = append(decl, ` xmlns=""`...)
	}
	if len(decl) > 0 {
		c.inserts = append(c.inserts, insert{z.TokenOffset() + 1 + len(z.QName()), decl})
	}
}

// bytes returns the content with its insertions.
func (c *content) bytes(msg []byte) []byte {
	out := make([]byte, 0, c.end-c.start+64*len(c.inserts))
	pos := c.start
	for _, in := range c.inserts {
		out = append(out, msg[pos:in.at]...)
		out = append(out, in.decl...)
		pos = in.at
	}
	return append(out, msg[pos:c.end]...)
}

// textBuf collects the text of an element.
type textBuf struct {
	b        []byte
	elements bool // the element has child elements
	start    int  // offset of its content
}

func (t *textBuf) add(z *xmltok.Tokenizer, k xmltok.Kind) {
	if k == xmltok.CDATA {
		t.b = append(t.b, z.Text()...)
		return
	}
	t.b = xmltok.AppendText(t.b, z.Text())
}

func decodeReply(msg []byte, rep *Reply) error {
	z := xmltok.New(msg, DefaultMaxDepth)
	r := nsReader{z: z}
	var (
		body, data content
		inData     bool
		hasData    bool
		cur        *rpcerror.Error
		field      string // local name of the rpc-error field being read (depth 3)
		seen       map[string]bool
		text       textBuf
		info       textBuf
		infoName   string
		infoNS     string
		lang       string
	)
	for {
		k, err := z.Next()
		if err != nil {
			return err
		}
		depth := z.Depth()
		switch k {
		case xmltok.EOF:
			rep.Body = body.bytes(msg)
			if hasData {
				rep.Data = data.bytes(msg)
			}
			return nil
		case xmltok.StartElement:
			ns, err := r.start()
			if err != nil {
				return err
			}
			local := string(z.Local())
			switch {
			case depth == 1:
				if ns != BaseNamespace || local != "rpc-reply" {
					return fmt.Errorf("root element <%s> in namespace %q is not <rpc-reply>", local, ns)
				}
				var buf []byte
				for _, a := range z.Attrs() {
					if string(a.Local) == "message-id" && (a.Prefix == nil || func() bool {
						u, _ := r.lookup(string(a.Prefix))
						return u == BaseNamespace && string(a.Prefix) != "xmlns"
					}()) && !rep.HasMessageID {
						buf = xmltok.AppendAttrValue(buf[:0], a.Value)
						rep.MessageID, rep.HasMessageID = string(buf), true
					}
				}
				body.begin(&r, 1, z.Offset())
			case depth == 2:
				body.child(&r)
				if ns != BaseNamespace {
					continue
				}
				switch local {
				case "ok":
					rep.OK = true
				case "data":
					if !hasData {
						inData, hasData = true, true
						data.begin(&r, 2, z.Offset())
					}
				case "rpc-error":
					cur = &rpcerror.Error{}
					seen = map[string]bool{}
				}
			case depth == 3 && inData:
				data.child(&r)
			case depth == 3 && cur != nil:
				field = ""
				if ns == BaseNamespace {
					field = local
				}
				if field != "" && field != "error-info" {
					if seen[field] {
						return fmt.Errorf("line %d: <%s> repeated in <rpc-error>", z.TokenLine(), field)
					}
					seen[field] = true
				}
				text = textBuf{}
				lang = ""
				if field == "error-message" {
					var buf []byte
					for _, a := range z.Attrs() {
						if string(a.Prefix) == "xml" && string(a.Local) == "lang" {
							lang = string(xmltok.AppendAttrValue(buf, a.Value))
						}
					}
				}
			case depth == 4 && cur != nil:
				if field == "error-info" {
					info = textBuf{start: z.Offset()}
					infoName, infoNS = local, ns
					if ns == BaseNamespace {
						infoNS = ""
					}
				} else {
					text.elements = true
				}
			case depth > 4 && cur != nil && field == "error-info":
				info.elements = true
			}
		case xmltok.EndElement:
			r.end()
			switch {
			case depth == 0:
				body.end = max(z.TokenOffset(), body.start)
			case depth == 1 && inData:
				data.end = max(z.TokenOffset(), data.start)
				inData = false
			case depth == 1 && cur != nil:
				rep.Errors = append(rep.Errors, cur)
				cur = nil
			case depth == 2 && cur != nil:
				v := strings.TrimSpace(string(text.b))
				switch field {
				case "error-type":
					cur.Type = rpcerror.Type(v)
				case "error-tag":
					cur.Tag = rpcerror.Tag(v)
				case "error-severity":
					cur.Severity = rpcerror.Severity(v)
				case "error-app-tag":
					cur.AppTag = v
				case "error-path":
					cur.Path = v
				case "error-message":
					cur.Message, cur.Lang = v, lang
				}
				field = ""
			case depth == 3 && cur != nil && field == "error-info":
				v := strings.TrimSpace(string(info.b))
				if info.elements {
					v = strings.TrimSpace(string(msg[info.start:max(z.TokenOffset(), info.start)]))
				}
				cur.Info = append(cur.Info, rpcerror.Info{Name: infoName, Namespace: infoNS, Value: v})
			}
		case xmltok.Text, xmltok.CDATA:
			if cur == nil {
				continue
			}
			switch {
			case depth == 3:
				text.add(z, k)
			case depth == 4 && field == "error-info":
				info.add(z, k)
			}
		}
	}
}

func decodeNotification(msg []byte) (*Notification, error) {
	z := xmltok.New(msg, DefaultMaxDepth)
	r := nsReader{z: z}
	n := &Notification{}
	var (
		body     content
		sawTime  bool
		inTime   bool
		timeText textBuf
		elements int
	)
	for {
		k, err := z.Next()
		if err != nil {
			return nil, err
		}
		depth := z.Depth()
		switch k {
		case xmltok.EOF:
			if !sawTime {
				return nil, errors.New("no <eventTime>")
			}
			n.Body = body.bytes(msg)
			return n, nil
		case xmltok.StartElement:
			ns, err := r.start()
			if err != nil {
				return nil, err
			}
			local := string(z.Local())
			switch depth {
			case 1:
				if ns != NotificationNamespace || local != "notification" {
					return nil, fmt.Errorf("root element <%s> in namespace %q is not <notification>", local, ns)
				}
			case 2:
				elements++
				if elements == 1 {
					if ns != NotificationNamespace || local != "eventTime" {
						return nil, fmt.Errorf("line %d: <%s> before <eventTime>", z.TokenLine(), local)
					}
					inTime = true
					continue
				}
				if elements == 2 {
					body.begin(&r, 1, z.TokenOffset())
					// The declarations of this element itself were pushed by r.start: the
					// scope is its parent's.
					body.scope = body.scope[:r.marks[len(r.marks)-1]]
				}
				body.child(&r)
			case 3:
				if inTime {
					return nil, fmt.Errorf("line %d: element inside <eventTime>", z.TokenLine())
				}
			}
		case xmltok.EndElement:
			r.end()
			switch depth {
			case 1:
				if inTime {
					inTime = false
					t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(string(timeText.b)))
					if err != nil {
						return nil, fmt.Errorf("eventTime: %v", err)
					}
					n.EventTime, sawTime = t, true
				}
			case 0:
				if elements >= 2 {
					body.end = max(z.TokenOffset(), body.start)
				}
			}
		case xmltok.Text, xmltok.CDATA:
			if inTime && depth == 2 {
				timeText.add(z, k)
			}
		}
	}
}
