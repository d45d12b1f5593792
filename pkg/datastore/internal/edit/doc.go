// Package edit is the <edit-config> engine of the datastores: it reads the content of an
// edit-config <config> parameter with its operation, insert, key and value attributes, and
// applies it to a datastore tree through a data.Txn, so that every change is recorded and can be
// undone.
//
// Specifications:
//   - RFC 6241 section 7.2: the operation attribute (merge, replace, create, delete, remove),
//     default-operation (merge, replace, none) and error-option (stop-on-error,
//     continue-on-error, rollback-on-error); Appendix A for the error tags.
//   - RFC 7950 sections 7.5.8, 7.6.7, 7.7.9 and 7.8.6: edit-config on containers, leaves,
//     leaf-lists and lists; the insert, key and value attributes of ordered-by user nodes;
//     section 7.9 (a node created in one case of a choice deletes the other cases' nodes);
//     section 8.3.1 (payload errors) and 8.3.2 (edit-config errors); section 15.7 (insert
//     before or after a missing entry).
//   - RFC 6243 section 4.5.3 ("explicit" basic mode): nodes the server filled with their
//     defaults (data.Node.Default) do not exist for create and delete; a merge or replace makes
//     them explicit.
//
// Decode runs the schema-directed XML decoder (pkg/encoding/yangxml) once, checks the attributes
// and the operations' nesting, and keeps the result as an Edit. A small Edit is immutable and
// may be applied to several trees; a large one puts its own decoded nodes into the tree (no
// second copy of a bulk load), so it is applied again only after the previous application was
// undone. Apply costs O(size of the edit × depth): list entries are found through the
// tree's key index, new subtrees are built detached and attached with one Txn.Insert, and the
// target is never walked.
//
//	ed, errs := edit.Decode(configContent, schema)
//	if errs != nil {
//		return errs // the reply's rpc-errors; nothing was changed
//	}
//	var t data.Txn
//	if errs := ed.Apply(candidate, &t, edit.Options{DefaultOperation: "merge"}); errs != nil {
//		t.Undo()
//		return errs
//	}
package edit
