// Package yang holds the YANG modules ncws itself serves: the NETCONF protocol modules written
// from their RFCs' definitions (ietf-netconf, ietf-netconf-monitoring, ietf-netconf-notifications,
// ietf-netconf-with-defaults, ietf-yang-library, ietf-datastores, ietf-inet-types,
// ietf-yang-types, RFC 5277's notifications and nc-notifications) and ncws-server, the server's
// own module (commit history and rollback).
package yang

import "embed"

// FS holds the module files, named module@revision.yang.
//
//go:embed *.yang
var FS embed.FS

// Protocol lists the modules a NETCONF server built with ncws implements, by file name.
var Protocol = []string{
	"ietf-netconf@2011-06-01.yang",
	"ietf-netconf-with-defaults@2011-06-01.yang",
	"ietf-netconf-monitoring@2010-10-04.yang",
	"ietf-yang-library@2019-01-04.yang",
	"ietf-datastores@2018-02-14.yang",
	"ncws-server@2026-11-24.yang",
}
