package netconf

import (
	"time"

	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
)

// appendRoot appends the start tag of a root element in namespace ns, unprefixed, with attrs
// echoed: all but a default namespace declaration, which would change the element's namespace.
func appendRoot(b []byte, name, ns string, attrs []Attr) []byte {
	b = append(b, '<')
	b = append(b, name...)
	b = append(b, ` xmlns="`...)
	b = append(b, ns...)
	b = append(b, '"')
	for _, a := range attrs {
		if a.Prefix == "" && a.Name == "xmlns" {
			continue
		}
		b = append(b, ' ')
		if a.Prefix != "" {
			b = append(b, a.Prefix...)
			b = append(b, ':')
		}
		b = append(b, a.Name...)
		b = append(b, `="`...)
		b = AppendEscaped(b, a.Value, true)
		b = append(b, '"')
	}
	return append(b, '>')
}

// AppendReply appends an <rpc-reply> in the default namespace BaseNamespace holding body, which
// must be well-formed XML content whose elements declare their own namespaces (or are in the base
// namespace). rpcAttrs are the attributes of the <rpc> (RPC.Attrs), echoed as RFC 6241 section
// 4.2 requires, message-id included; a default namespace declaration among them is not echoed.
func AppendReply(b []byte, rpcAttrs []Attr, body []byte) []byte {
	b = appendRoot(b, "rpc-reply", BaseNamespace, rpcAttrs)
	b = append(b, body...)
	return append(b, "</rpc-reply>"...)
}

// AppendReplyStart appends the start tag of an <rpc-reply> echoing rpcAttrs, as AppendReply
// writes it: a caller encoding the content in place then appends it and ReplyEnd.
func AppendReplyStart(b []byte, rpcAttrs []Attr) []byte {
	return appendRoot(b, "rpc-reply", BaseNamespace, rpcAttrs)
}

// ReplyEnd is the end tag of an <rpc-reply>.
const ReplyEnd = "</rpc-reply>"

// AppendOK appends an <rpc-reply> holding <ok/>.
func AppendOK(b []byte, rpcAttrs []Attr) []byte {
	return AppendReply(b, rpcAttrs, []byte("<ok/>"))
}

// AppendData appends an <rpc-reply> holding <data> with content, encoded instance data (such as
// yangxml's output without a wrapper) inside it.
func AppendData(b []byte, rpcAttrs []Attr, content []byte) []byte {
	b = appendRoot(b, "rpc-reply", BaseNamespace, rpcAttrs)
	b = append(b, "<data>"...)
	b = append(b, content...)
	return append(b, "</data></rpc-reply>"...)
}

// AppendRPCErrors appends an <rpc-reply> holding one <rpc-error> per element of errs, rendered
// as RFC 6241 section 4.3 lays it out: error-type, error-tag, error-severity (error when unset),
// error-app-tag, error-path, error-message (xml:lang="en") and error-info, the optional ones only
// when set. Info elements are in the base namespace unless they name their own.
//
// Error-paths (and the instance-identifiers of YANG-namespace info such as non-unique), held in
// the RFC 7951 form, are sent in the XML form (see XMLPath): an XPath that selects the node,
// every node name prefixed, each prefix declared on the <rpc-error> (RFC 6241 section 4.3, RFC
// 7950 section 9.13.2). A path in another form is sent as it is, with the prefixes that name a
// module of s declared. s may be nil: paths are sent as they are, without declarations.
func AppendRPCErrors(b []byte, rpcAttrs []Attr, errs rpcerror.List, s *schema.Schema) []byte {
	b = appendRoot(b, "rpc-reply", BaseNamespace, rpcAttrs)
	p := &xmlPrefixes{s: s}
	for _, e := range errs {
		b = appendRPCError(b, e, p)
	}
	return append(b, "</rpc-reply>"...)
}

func appendRPCError(b []byte, e *rpcerror.Error, p *xmlPrefixes) []byte {
	b = append(b, "<rpc-error"...)
	path := e.Path
	var info []string // the values of YANG-namespace info in XML form
	if p.s != nil {
		var seen []string
		decl := func(prefix, ns string) {
			for _, q := range seen {
				if q == prefix {
					return
				}
			}
			seen = append(seen, prefix)
			b = append(b, " xmlns:"...)
			b = append(b, prefix...)
			b = append(b, `="`...)
			b = AppendEscaped(b, ns, true)
			b = append(b, '"')
		}
		// declare converts an RFC 7951 path to the XML form and declares its prefixes; a path
		// in another form is sent as it is, with the prefixes that name a module declared.
		declare := func(v string) string {
			if x, decls, ok := p.convert(v); ok {
				for _, d := range decls {
					decl(d.Prefix, d.Namespace)
				}
				return x
			}
			for _, pfx := range pathPrefixes(v) {
				if m := p.s.Module(pfx); m != nil && pfx != "xml" && pfx != "xmlns" {
					decl(pfx, m.Namespace)
				}
			}
			return v
		}
		path = declare(path)
		for _, in := range e.Info {
			if in.Namespace == YANGNamespace {
				info = append(info, declare(in.Value))
			}
		}
	}
	b = append(b, '>')
	el := func(name, v string) {
		b = append(b, '<')
		b = append(b, name...)
		b = append(b, '>')
		b = AppendEscaped(b, v, false)
		b = append(b, "</"...)
		b = append(b, name...)
		b = append(b, '>')
	}
	el("error-type", string(e.Type))
	el("error-tag", string(e.Tag))
	el("error-severity", string(e.SeverityOrDefault()))
	if e.AppTag != "" {
		el("error-app-tag", e.AppTag)
	}
	if path != "" {
		el("error-path", path)
	}
	if e.Message != "" {
		lang := e.Lang
		if lang == "" {
			lang = "en"
		}
		b = append(b, `<error-message xml:lang="`...)
		b = AppendEscaped(b, lang, true)
		b = append(b, `">`...)
		b = AppendEscaped(b, e.Message, false)
		b = append(b, "</error-message>"...)
	}
	if len(e.Info) > 0 {
		b = append(b, "<error-info>"...)
		for _, in := range e.Info {
			b = append(b, '<')
			b = append(b, in.Name...)
			if in.Namespace != "" && in.Namespace != BaseNamespace {
				b = append(b, ` xmlns="`...)
				b = AppendEscaped(b, in.Namespace, true)
				b = append(b, '"')
			}
			b = append(b, '>')
			v := in.Value
			if in.Namespace == YANGNamespace && len(info) > 0 {
				v, info = info[0], info[1:]
			}
			if in.XML {
				b = append(b, v...)
			} else {
				b = AppendEscaped(b, v, false)
			}
			b = append(b, "</"...)
			b = append(b, in.Name...)
			b = append(b, '>')
		}
		b = append(b, "</error-info>"...)
	}
	return append(b, "</rpc-error>"...)
}

// pathPrefixes returns the prefixes used in an XPath or instance-identifier: the names followed
// by ':' outside string literals, in order of appearance.
func pathPrefixes(path string) []string {
	var out []string
	for i := 0; i < len(path); {
		c := path[i]
		switch {
		case c == '\'' || c == '"':
			j := i + 1
			for j < len(path) && path[j] != c {
				j++
			}
			i = j + 1
		case isNameStart(c):
			j := i
			for j < len(path) && (isNameStart(path[j]) || path[j] == '-' || path[j] == '.' || (path[j] >= '0' && path[j] <= '9')) {
				j++
			}
			if j < len(path) && path[j] == ':' && (j+1 >= len(path) || path[j+1] != ':') {
				out = append(out, path[i:j])
			}
			i = j
			for i < len(path) && path[i] == ':' {
				i++
			}
		default:
			i++
		}
	}
	return out
}

func isNameStart(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' }

// AppendNotification appends a <notification> (RFC 5277 section 4) in the default namespace
// NotificationNamespace: <eventTime> (RFC 3339, with the time's own offset and fractional
// seconds only when not zero) followed by body, the encoded event element, which must declare its
// own namespace.
func AppendNotification(b []byte, eventTime time.Time, body []byte) []byte {
	b = append(b, `<notification xmlns="`+NotificationNamespace+`"><eventTime>`...)
	b = eventTime.AppendFormat(b, time.RFC3339Nano)
	b = append(b, "</eventTime>"...)
	b = append(b, body...)
	return append(b, "</notification>"...)
}

// AppendRPC appends an <rpc> in the default namespace BaseNamespace with the message-id and op,
// the encoded operation element, which must declare its own namespace unless it is a base
// operation.
func AppendRPC(b []byte, messageID string, op []byte) []byte {
	b = appendRoot(b, "rpc", BaseNamespace, []Attr{{Name: "message-id", Value: messageID}})
	b = append(b, op...)
	return append(b, "</rpc>"...)
}
