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
// Error-paths (and the instance-identifiers of YANG-namespace info such as non-unique) use
// module names as prefixes (RFC 7951 form); RFC 6241 evaluates them with the namespace
// declarations in scope, so each <rpc-error> declares those prefixes that name a module of s
// (s may be nil: no declarations).
func AppendRPCErrors(b []byte, rpcAttrs []Attr, errs rpcerror.List, s *schema.Schema) []byte {
	b = appendRoot(b, "rpc-reply", BaseNamespace, rpcAttrs)
	for _, e := range errs {
		b = appendRPCError(b, e, s)
	}
	return append(b, "</rpc-reply>"...)
}

func appendRPCError(b []byte, e *rpcerror.Error, s *schema.Schema) []byte {
	b = append(b, "<rpc-error"...)
	if s != nil {
		var seen []string
		declare := func(path string) {
			for _, p := range pathPrefixes(path) {
				dup := false
				for _, q := range seen {
					dup = dup || q == p
				}
				if m := s.Module(p); m != nil && !dup && p != "xml" && p != "xmlns" {
					seen = append(seen, p)
					b = append(b, " xmlns:"...)
					b = append(b, p...)
					b = append(b, `="`...)
					b = AppendEscaped(b, m.Namespace, true)
					b = append(b, '"')
				}
			}
		}
		declare(e.Path)
		for _, in := range e.Info {
			if in.Namespace == YANGNamespace {
				declare(in.Value)
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
	if e.Path != "" {
		el("error-path", e.Path)
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
			b = AppendEscaped(b, in.Value, false)
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
