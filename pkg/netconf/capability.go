package netconf

import (
	"net/url"
	"strings"

	"github.com/ncws/ncws/pkg/schema"
)

// Namespaces of the NETCONF messages.
const (
	// BaseNamespace is the namespace of <hello>, <rpc>, <rpc-reply> and <rpc-error> (RFC 6241
	// section 3.1).
	BaseNamespace = "urn:ietf:params:xml:ns:netconf:base:1.0"
	// NotificationNamespace is the namespace of <notification> and <eventTime> (RFC 5277
	// section 4).
	NotificationNamespace = "urn:ietf:params:xml:ns:netconf:notification:1.0"
	// YANGNamespace is the namespace of the YANG-defined error-info elements such as
	// <non-unique> (RFC 7950 section 15).
	YANGNamespace = "urn:ietf:params:xml:ns:yang:1"
)

// Capability URIs (RFC 6241 section 8, RFC 5277, RFC 6243, RFC 8526).
const (
	CapBase10            = "urn:ietf:params:netconf:base:1.0"
	CapBase11            = "urn:ietf:params:netconf:base:1.1"
	CapWritableRunning   = "urn:ietf:params:netconf:capability:writable-running:1.0"
	CapCandidate         = "urn:ietf:params:netconf:capability:candidate:1.0"
	CapConfirmedCommit10 = "urn:ietf:params:netconf:capability:confirmed-commit:1.0"
	CapConfirmedCommit11 = "urn:ietf:params:netconf:capability:confirmed-commit:1.1"
	CapRollbackOnError   = "urn:ietf:params:netconf:capability:rollback-on-error:1.0"
	CapValidate10        = "urn:ietf:params:netconf:capability:validate:1.0"
	CapValidate11        = "urn:ietf:params:netconf:capability:validate:1.1"
	CapStartup           = "urn:ietf:params:netconf:capability:startup:1.0"
	CapURL               = "urn:ietf:params:netconf:capability:url:1.0"
	CapXPath             = "urn:ietf:params:netconf:capability:xpath:1.0"
	// CapWithDefaults needs a ?basic-mode= parameter (RFC 6243 section 4.3).
	CapWithDefaults  = "urn:ietf:params:netconf:capability:with-defaults:1.0"
	CapNotification  = "urn:ietf:params:netconf:capability:notification:1.0"
	CapInterleave    = "urn:ietf:params:netconf:capability:interleave:1.0"
	CapYangLibrary11 = "urn:ietf:params:netconf:capability:yang-library:1.1"
)

// YangLibraryRevision is the ietf-yang-library revision announced by YangLibraryCapability.
const YangLibraryRevision = "2019-01-04"

// CommonBase returns the highest base protocol version both capability lists announce:
// CapBase11 or CapBase10. ok is false when they share none, in which case the session must
// not go on (RFC 6241 section 8.1).
func CommonBase(a, b []string) (base string, ok bool) {
	has := func(l []string, c string) bool {
		for _, s := range l {
			if s == c {
				return true
			}
		}
		return false
	}
	for _, c := range []string{CapBase11, CapBase10} {
		if has(a, c) && has(b, c) {
			return c, true
		}
	}
	return "", false
}

// InHello reports whether module m is announced in <hello> as a module capability: implemented
// YANG 1.0 modules are. YANG 1.1 modules are announced only through ietf-yang-library (RFC
// 7950 section 5.6.4), whose presence YangLibraryCapability announces; modules that are only
// imported are not announced.
func InHello(m *schema.Module) bool {
	return m.Implemented && m.YangVersion != "1.1"
}

// ModuleCapability returns the capability URI of module m (RFC 6020 section 5.6.4, RFC 7950
// section 5.6.4): its namespace with the parameters module, revision (when it has one),
// features (the enabled ones, in statement order, when any) and deviations (the modules that
// deviate it, when any), each value URL-escaped, list items separated by ','. Whether to put
// it in the hello is InHello's answer.
func ModuleCapability(m *schema.Module) string {
	var b strings.Builder
	b.WriteString(m.Namespace)
	b.WriteString("?module=")
	b.WriteString(url.QueryEscape(m.Name))
	if m.Revision != "" {
		b.WriteString("&revision=")
		b.WriteString(url.QueryEscape(m.Revision))
	}
	sep := "&features="
	for _, f := range m.Features {
		if f.Enabled {
			b.WriteString(sep)
			b.WriteString(url.QueryEscape(f.Name))
			sep = ","
		}
	}
	sep = "&deviations="
	for _, d := range m.Deviations {
		b.WriteString(sep)
		b.WriteString(url.QueryEscape(d))
		sep = ","
	}
	return b.String()
}

// YangLibraryCapability returns the yang-library:1.1 capability URI (RFC 8526 section 2) with
// the library's revision and content-id (URL-escaped): the capability that announces YANG 1.1
// modules, which are listed in ietf-yang-library instead of the hello.
func YangLibraryCapability(contentID string) string {
	return CapYangLibrary11 + "?revision=" + YangLibraryRevision + "&content-id=" + url.QueryEscape(contentID)
}
