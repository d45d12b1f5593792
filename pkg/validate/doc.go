// Package validate checks a schema-bound instance data tree against the constraints of its YANG
// schema, as a NETCONF server does when a datastore is validated (RFC 7950 section 8; RFC 6241
// section 8.6), and reports every violation as an rpc-error.
//
// Types are checked when a document is decoded (pkg/encoding/yangxml, data.ParseValue); this
// package checks what depends on the rest of the tree:
//
//   - default leaves and leaf-lists are instantiated first, honouring choice/case and when
//     (RFC 7950 sections 7.6.1, 7.7.2, 7.9.3), and left in the tree;
//   - config false nodes in configuration (Options.Data false);
//   - mandatory leaves, anydata, anyxml and choices (RFC 7950 sections 3, 7.6.5, 7.9.4, 15.6);
//   - min-elements and max-elements (sections 7.7.5, 7.7.6, 15.2, 15.3);
//   - list keys, unique statements and leaf-list uniqueness (sections 7.7, 7.8.2, 7.8.3, 15.1);
//   - data from more than one case of a choice, when and must (sections 8.3.1, 7.5.3, 7.21.5, 15.4);
//   - leafref and instance-identifier require-instance (sections 9.9, 9.13, 15.5), a union's value
//     accepted when any member type accepts it, instance included (section 9.12).
//
// One rule is yanglint's rather than the RFC's: the require-instance of an implicit default (a
// leaf or leaf-list entry the validator created from a default statement, data.Node.Default) is
// never checked, so a model that defaults a reference to an instance not configured yet (SR
// Linux's boot interface "mgmt0") has a valid empty configuration. A value set explicitly is
// checked, whether or not it equals the default.
//
// Errors follow RFC 7950 section 15 and RFC 6241 Appendix A (error-type application). Their Path
// is the instance-identifier of the offending node; a missing node (mandatory, min-elements,
// mandatory choice) is designated by the path it would have, with the names of the choice and case
// nodes above it written as steps, so that without predicates it is the schema node path that
// yanglint reports.
//
// A Validator compiles the must, when and leafref paths of a schema node once, when a validation
// first reaches the node (PrepareChanges compiles them all, for servers); Validate then walks the
// tree in a few linear passes. Leafref targets are looked up through per-target value indexes
// built once per Validate, so validation time grows linearly with the size of the tree.
//
// ValidateChanges validates a tree that was valid before some changes made in place (the
// locations a data.Txn recorded) with the same result as Validate, in time proportional to the
// changes and to the instances of the constraints that can read them: it also indexes every
// must, when, leafref and instance-identifier by the schema nodes its expression reads
// (xpath.Expr.Deps) and by the smallest subtree it can read from. With Options.Txn, the changes
// validation makes (defaults) are recorded so that the caller can undo them with the edit.
//
// ValidateOp validates the input or output of an rpc or action (RFC 7950 sections 7.14 and
// 7.15) with the same checks, the operation's node placed in the accessible tree of section
// 6.4.1 (a copy of the running configuration, or only the parts OpReads says its constraints
// can read: none for most operations), so that errors are located through the operation's node
// (/mod:rpc/param).
//
// Sketch:
//
//	v := validate.New(sch)               // once per schema; safe for concurrent use
//	root := data.NewRoot()               // filled by a decoder
//	if errs := v.Validate(root, validate.Options{}); len(errs) > 0 {
//		return errs                      // rpcerror.List, in document order
//	}
//	tx.Replace(old, updated)             // an edit applied in place
//	if errs := v.ValidateChanges(root, tx.Locs(), validate.Options{Txn: &tx}); len(errs) > 0 {
//		tx.Undo()                        // the edit and the defaults validation changed
//	}
package validate
