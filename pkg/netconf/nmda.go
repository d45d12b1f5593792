package netconf

import "net/url"

// Capability URIs of RFC 8526 and RFC 7950 section 5.6.4.
const (
	// CapWithOperationalDefaults says that get-data's with-defaults applies to the operational
	// datastore (RFC 8526 section 3.1.1.2); it takes :with-defaults's parameters.
	CapWithOperationalDefaults = "urn:ietf:params:netconf:capability:with-operational-defaults:1.0"
	// CapYangLibrary10 is the RFC 7950 yang-library capability, for clients that read the
	// RFC 7895 /modules-state tree.
	CapYangLibrary10 = "urn:ietf:params:netconf:capability:yang-library:1.0"
)

// YangLibrary10Capability returns the yang-library:1.0 capability URI (RFC 7950 section
// 5.6.4) with the library's revision and the module-set-id of /modules-state (URL-escaped).
// A server announces it beside YangLibraryCapability so that clients written before RFC 8525
// find the module list they know.
func YangLibrary10Capability(moduleSetID string) string {
	return CapYangLibrary10 + "?revision=" + YangLibraryRevision + "&module-set-id=" + url.QueryEscape(moduleSetID)
}
