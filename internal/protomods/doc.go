// Package protomods holds the tests for the protocol modules in yang/: the YANG modules ncws itself
// serves (ietf-netconf of RFC 6241 Appendix C, ietf-netconf-monitoring of RFC 6022,
// ietf-netconf-notifications of RFC 6470, ietf-netconf-with-defaults of RFC 6243,
// ietf-yang-library of RFC 8525, ietf-datastores and ietf-origin of RFC 8342, ietf-yang-metadata
// of RFC 7952, ietf-netconf-nmda of RFC 8526, ietf-netconf-acm of RFC 8341,
// ietf-inet-types and ietf-yang-types of RFC 6991, and the notifications and nc-notifications
// renderings of RFC 5277).
//
// The modules are written in the project's own words; their names, namespaces, revisions, nodes,
// types and other definitions must match the RFCs exactly, since clients depend on them. The tests
// prove that:
//
//	go test ./internal/protomods
//
// compiles yang/*.yang with yangload, compares every module's compiled tree (descriptions aside)
// with the tree of the published module from the shared test models, and has yanglint accept each
// file. The package has no non-test code.
package protomods
