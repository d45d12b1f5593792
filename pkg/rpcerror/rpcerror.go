package rpcerror

import (
	"errors"
	"fmt"
	"strings"
)

// Type is the NETCONF error-type (RFC 6241 section 4.3): the conceptual layer where the error occurred.
type Type string

// The error-type values of RFC 6241 section 4.3.
const (
	Transport   Type = "transport"
	RPC         Type = "rpc"
	Protocol    Type = "protocol"
	Application Type = "application"
)

// Tag is the NETCONF error-tag (RFC 6241 Appendix A).
type Tag string

// The error-tag values of RFC 6241 Appendix A.
const (
	TagInUse                 Tag = "in-use"
	TagInvalidValue          Tag = "invalid-value"
	TagTooBig                Tag = "too-big"
	TagMissingAttribute      Tag = "missing-attribute"
	TagBadAttribute          Tag = "bad-attribute"
	TagUnknownAttribute      Tag = "unknown-attribute"
	TagMissingElement        Tag = "missing-element"
	TagBadElement            Tag = "bad-element"
	TagUnknownElement        Tag = "unknown-element"
	TagUnknownNamespace      Tag = "unknown-namespace"
	TagAccessDenied          Tag = "access-denied"
	TagLockDenied            Tag = "lock-denied"
	TagResourceDenied        Tag = "resource-denied"
	TagRollbackFailed        Tag = "rollback-failed"
	TagDataExists            Tag = "data-exists"
	TagDataMissing           Tag = "data-missing"
	TagOperationNotSupported Tag = "operation-not-supported"
	TagOperationFailed       Tag = "operation-failed"
	TagPartialOperation      Tag = "partial-operation"
	TagMalformedMessage      Tag = "malformed-message"
)

// The error-app-tag values defined by RFC 7950 section 15.
const (
	AppTagTooManyElements  = "too-many-elements"
	AppTagTooFewElements   = "too-few-elements"
	AppTagDataNotUnique    = "data-not-unique"
	AppTagMustViolation    = "must-violation"
	AppTagInstanceRequired = "instance-required"
	AppTagMissingChoice    = "missing-choice"
	AppTagMissingInstance  = "missing-instance"
)

// Severity is the NETCONF error-severity.
type Severity string

// The error-severity values.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
)

// Info is one element of <error-info>: BadElement, BadAttribute, BadNamespace, SessionID,
// OKElement, ErrElement, NoOpElement, or a YANG-defined one (non-unique).
type Info struct {
	// Name is the local name of the element, e.g. "bad-element" or "non-unique".
	Name string
	// Namespace is the element's namespace; empty means the NETCONF base namespace.
	Namespace string
	// Value is the element's text content. Decoded from a reply (netconf.DecodeReply), an element
	// with child elements has its content here as the XML received.
	Value string
	// XML, when set, means Value is element content written as it is (well-formed XML whose
	// prefixes are declared within it), not text to escape: a structure such as RFC 8639's
	// establish-subscription-stream-error-info.
	XML bool
}

// Error is one NETCONF <rpc-error> (RFC 6241 section 4.3).
type Error struct {
	Type     Type
	Tag      Tag
	Severity Severity // empty means SeverityError
	AppTag   string
	// Path is the error-path: an instance-identifier of the offending node, in the module-name
	// prefixed form of RFC 7951 section 6.11 (e.g. /ietf-interfaces:interfaces/interface[name='eth0']).
	// On the wire it is sent as an XPath with every step prefixed and the prefixes declared
	// (/if:interfaces/if:interface[if:name='eth0']: netconf.AppendRPCErrors); a parameter of an
	// rpc is named in the request, /ietf-netconf:rpc/mod:op/param. Decoded from a reply
	// (netconf.DecodeReply), it is the error-path as received.
	Path    string
	Message string
	// Lang is the xml:lang of Message; empty means "en".
	Lang string
	Info []Info
	// Line is the source line of the offending node when it came from a document, 0 if unknown.
	// It is not part of the NETCONF reply; tools such as `ncws validate` print it.
	Line int
}

// Error implements the error interface: "PATH: MESSAGE [tag/app-tag]".
func (e *Error) Error() string {
	var b strings.Builder
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	msg := e.Message
	if msg == "" {
		msg = string(e.Tag)
	}
	b.WriteString(msg)
	b.WriteString(" [")
	b.WriteString(string(e.Tag))
	if e.AppTag != "" {
		b.WriteByte('/')
		b.WriteString(e.AppTag)
	}
	b.WriteByte(']')
	return b.String()
}

// SeverityOrDefault returns the severity, SeverityError when unset.
func (e *Error) SeverityOrDefault() Severity {
	if e.Severity == "" {
		return SeverityError
	}
	return e.Severity
}

// List is several rpc-errors reported together in one rpc-reply.
type List []*Error

// Error implements the error interface, one error per line.
func (l List) Error() string {
	parts := make([]string, len(l))
	for i, e := range l {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "\n")
}

// Err returns l as an error, nil when l is empty.
func (l List) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// New returns an error of the given type and tag with a message.
func New(typ Type, tag Tag, format string, args ...any) *Error {
	return &Error{Type: typ, Tag: tag, Message: fmt.Sprintf(format, args...)}
}

// InvalidValue returns an invalid-value error (application layer) at path.
func InvalidValue(path, format string, args ...any) *Error {
	return &Error{Type: Application, Tag: TagInvalidValue, Path: path, Message: fmt.Sprintf(format, args...)}
}

// UnknownElement returns an unknown-element error; error-info carries bad-element.
func UnknownElement(typ Type, element, path string) *Error {
	return &Error{Type: typ, Tag: TagUnknownElement, Path: path,
		Message: fmt.Sprintf("unknown element %q", element),
		Info:    []Info{{Name: "bad-element", Value: element}}}
}

// UnknownNamespace returns an unknown-namespace error; error-info carries bad-element and bad-namespace.
func UnknownNamespace(typ Type, element, namespace, path string) *Error {
	return &Error{Type: typ, Tag: TagUnknownNamespace, Path: path,
		Message: fmt.Sprintf("unknown namespace %q of element %q", namespace, element),
		Info:    []Info{{Name: "bad-element", Value: element}, {Name: "bad-namespace", Value: namespace}}}
}

// BadElement returns a bad-element error; error-info carries bad-element.
func BadElement(typ Type, element, path, format string, args ...any) *Error {
	return &Error{Type: typ, Tag: TagBadElement, Path: path, Message: fmt.Sprintf(format, args...),
		Info: []Info{{Name: "bad-element", Value: element}}}
}

// MissingElement returns a missing-element error; error-info carries bad-element.
func MissingElement(typ Type, element, path, format string, args ...any) *Error {
	return &Error{Type: typ, Tag: TagMissingElement, Path: path, Message: fmt.Sprintf(format, args...),
		Info: []Info{{Name: "bad-element", Value: element}}}
}

// MissingAttribute returns a missing-attribute error; error-info carries bad-attribute and bad-element.
func MissingAttribute(typ Type, attribute, element string) *Error {
	return &Error{Type: typ, Tag: TagMissingAttribute,
		Message: fmt.Sprintf("missing attribute %q on element %q", attribute, element),
		Info:    []Info{{Name: "bad-attribute", Value: attribute}, {Name: "bad-element", Value: element}}}
}

// BadAttribute returns a bad-attribute error; error-info carries bad-attribute and bad-element.
func BadAttribute(typ Type, attribute, element, format string, args ...any) *Error {
	return &Error{Type: typ, Tag: TagBadAttribute, Message: fmt.Sprintf(format, args...),
		Info: []Info{{Name: "bad-attribute", Value: attribute}, {Name: "bad-element", Value: element}}}
}

// UnknownAttribute returns an unknown-attribute error; error-info carries bad-attribute and bad-element.
func UnknownAttribute(typ Type, attribute, element string) *Error {
	return &Error{Type: typ, Tag: TagUnknownAttribute,
		Message: fmt.Sprintf("unknown attribute %q on element %q", attribute, element),
		Info:    []Info{{Name: "bad-attribute", Value: attribute}, {Name: "bad-element", Value: element}}}
}

// LockDenied returns a lock-denied error naming the session that holds the lock.
func LockDenied(holder uint32) *Error {
	return &Error{Type: Protocol, Tag: TagLockDenied,
		Message: fmt.Sprintf("lock held by session %d", holder),
		Info:    []Info{{Name: "session-id", Value: fmt.Sprint(holder)}}}
}

// MalformedMessage returns a malformed-message error (error-type rpc).
func MalformedMessage(format string, args ...any) *Error {
	return &Error{Type: RPC, Tag: TagMalformedMessage, Message: fmt.Sprintf(format, args...)}
}

// OperationNotSupported returns an operation-not-supported error (error-type protocol).
func OperationNotSupported(format string, args ...any) *Error {
	return &Error{Type: Protocol, Tag: TagOperationNotSupported, Message: fmt.Sprintf(format, args...)}
}

// OperationFailed returns an operation-failed error (error-type application).
func OperationFailed(format string, args ...any) *Error {
	return &Error{Type: Application, Tag: TagOperationFailed, Message: fmt.Sprintf(format, args...)}
}

// From converts err to rpc-errors, as grpc's status.FromError does: an *Error or a List passes
// through (also when wrapped); anything else becomes one operation-failed error with a generic
// message, so that the cause is never leaked to a client. The caller logs the cause.
func From(err error) List {
	if err == nil {
		return nil
	}
	var l List
	if errors.As(err, &l) {
		return l
	}
	var e *Error
	if errors.As(err, &e) {
		return List{e}
	}
	return List{OperationFailed("internal error")}
}

// legal lists, for each error-tag, the error-types RFC 6241 Appendix A allows.
var legal = map[Tag][]Type{
	TagInUse:                 {Protocol, Application},
	TagInvalidValue:          {Protocol, Application},
	TagTooBig:                {Transport, RPC, Protocol, Application},
	TagMissingAttribute:      {RPC, Protocol, Application},
	TagBadAttribute:          {RPC, Protocol, Application},
	TagUnknownAttribute:      {RPC, Protocol, Application},
	TagMissingElement:        {Protocol, Application},
	TagBadElement:            {Protocol, Application},
	TagUnknownElement:        {Protocol, Application},
	TagUnknownNamespace:      {Protocol, Application},
	TagAccessDenied:          {Protocol, Application},
	TagLockDenied:            {Protocol},
	TagResourceDenied:        {Transport, RPC, Protocol, Application},
	TagRollbackFailed:        {Protocol, Application},
	TagDataExists:            {Application},
	TagDataMissing:           {Application},
	TagOperationNotSupported: {Protocol, Application},
	TagOperationFailed:       {RPC, Protocol, Application},
	TagPartialOperation:      {Application},
	TagMalformedMessage:      {RPC},
}

// Legal reports whether RFC 6241 Appendix A allows error-tag tag with error-type typ.
func Legal(tag Tag, typ Type) bool {
	for _, t := range legal[tag] {
		if t == typ {
			return true
		}
	}
	return false
}
