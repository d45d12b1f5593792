// Package data is the instance data tree bound to a compiled schema (RFC 7950 section 3 "data
// tree"): containers, list entries, leaves and leaf-lists with typed values, default and presence
// information, and the source line each node was read from.
//
// Children are kept in schema order (the order the canonical encoders write), list and leaf-list
// entries of one schema node together; entries are indexed by key once a list grows beyond a few
// entries, so a lookup in a 100k-entry list does not scan. Values are parsed by ParseValue, which
// applies every restriction of the type and stores the canonical form (RFC 7950 section 9; for the
// ietf-inet-types addresses and prefixes RFC 6991 section 4 with RFC 5952 text). Path returns the RFC 7951 instance-identifier used in
// error-path.
//
//	root := data.NewRoot()
//	dev := data.New(deviceSchema)
//	root.Insert(dev)
//	v, err := data.ParseValue(mtuSchema.Type, "1500", nil)
//	dev.Insert(data.NewLeaf(mtuSchema, v))
package data
