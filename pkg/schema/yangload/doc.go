// Package yangload compiles YANG modules (RFC 7950, and YANG 1.0 of RFC 6020) into a
// *schema.Schema: the only place the project parses YANG text.
//
// goyang's raw statement parser (yang.Parse) reads each file; everything else is resolved here:
// module and submodule structure (include, belongs-to, import by revision-date or newest on the
// search path, section 5), typedef chains with accumulated restrictions (section 9), groupings
// with refine and uses-augment (7.13), top-level augment in any order (7.17), deviation (7.20.3),
// features and if-feature expressions (7.20.1, 7.20.2), identities with several bases (7.18),
// choice shorthand cases (7.9.2), config inheritance (7.21.1), keys and unique (7.8.2, 7.8.3),
// defaults, when conditions with their origin (7.21.5), and leafref targets (9.9), resolved after
// every augment and deviation. Patterns are checked at the load and compiled on their first use (schema.NewPattern).
//
// The defaults follow yanglint: modules given in Options.Files are implemented with all their
// features enabled; imported modules only are not implemented and have no features enabled,
// except that modules augmented, deviated or referenced by a leafref path of an implemented
// module become implemented, as libyang does.
//
//	s, err := yangload.Load(yangload.Options{
//		SearchPaths: []string{"yang"},
//		Files:       []string{"yang/example.yang"},
//	})
//	if err != nil { // an Errors value: every problem as "file:line: message"
//		log.Fatal(err)
//	}
package yangload
