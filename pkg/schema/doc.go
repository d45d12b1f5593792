// Package schema is the compiled, immutable form of a set of YANG modules (RFC 7950): modules,
// features, identities, and the schema tree of data nodes, choices, cases, rpcs, actions and
// notifications with their resolved types and constraints.
//
// Children keep YANG statement order (NETCONF XML needs list keys and rpc parameters in order),
// uses and augment are expanded, refine and deviation applied, disabled if-feature nodes removed,
// and every must/when keeps the prefixes and module of the text it came from. A Schema is built by
// pkg/schema/yangload from YANG text, or by generated code from static tables, then Finalize is
// called once; after that it is read-only and safe for concurrent use.
//
// MarshalDescriptor encodes a compiled schema as a descriptor, a compact, versioned, deterministic
// binary form; UnmarshalDescriptor rebuilds and finalizes the schema from it without any YANG
// parsing (patterns are checked again, and compiled on their first use: Pattern.Regexp).
// Generated packages carry their schema this way, as a string constant. Merge combines the schemas of several packages (each carrying
// the NETCONF protocol modules beside its own) into one that a single server serves.
//
//	s, err := yangload.Load(yangload.Options{Files: []string{"example.yang"}})
//	m := s.Module("example")
//	top := s.Top(m, "device")
//	mtu := top.Child(m, "mtu")
//	fmt.Println(mtu.Path(), mtu.Type.Base) // /example:device/mtu uint16
package schema
