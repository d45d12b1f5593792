// Package gen is the ncws code generator: from a compiled schema (pkg/schema) it produces a Go
// package of typed structs for the data nodes of YANG modules (RFC 7950 sections 7.5-7.10 for
// the node kinds, section 9 for the types), with conversion from and to pkg/data trees done by
// the runtime support package pkg/genimpl from the structs' field tags. The runtime never
// imports gen.
//
// Names follow one rule, stated in naming.go (see GoName). A type's name is a function of its
// own schema path, never of the other modules loaded: M(module of the top-level node), then each
// node of the path, joined by '_', a node augmented in by another module written
// "__"M(module)_name (/if:interfaces/if:interface/ip:ipv4 ->
// IetfInterfaces_Interfaces_Interface__IetfIP_IPv4); typedef'd enumerations and unions are
// M(module)_Typedef, identityrefs M(module)_Base. What is left equal (siblings "foo-bar" and
// "foo_bar" of one module) takes numeric suffixes in statement order, among nodes of one module
// and one parent only. So adding modules, or regenerating from a vendor release that adds nodes
// elsewhere, renames no type whose path is unchanged (golden case testdata/stable). Fields keep
// their node's name; only a field augmented in beside a field of the same name is qualified
// (M(module)_Name). Representations:
//   - container: a struct; the field is a pointer, nil when absent (ToTree drops a non-presence
//     container left empty).
//   - list: a struct per entry; the parent holds []*Entry in document order (the order of an
//     ordered-by user list) with Append<Field>, and for keyed lists Get<Field>(keys...) and
//     New<Field>(keys...) (not generated when a key is binary, bits or a union).
//   - leaf: a pointer to its Go value, nil when absent; binary ([]byte) and bits ([]string, set
//     bits in position order) are slices, nil when absent; empty is a bool; a union is an
//     interface value. leaf-list: a slice of the Go value.
//   - choice and case: flattened; each case's fields sit in the parent struct, documented with
//     their choice and case; set the fields of one case only.
//   - integers: the Go integer of the same size; decimal64: genimpl.Decimal64; string,
//     instance-identifier: string; boolean: bool.
//   - enumeration: a named int32 type holding the YANG values, with constants, String and
//     Parse<Type>; identityref: a named string type holding "module:identity", one per set of
//     bases, with a constant per identity derived from them, String and Parse<Type>.
//   - union: an interface with one wrapper type per distinct member representation; a union
//     whose members all share one representation is that representation.
//   - an inline enumeration (no typedef) with the names and values of one before it in the
//     package, and an inline union whose members have the Go types of one before it, are type
//     aliases of the first (type Mod_B_Mode = Mod_A_Mode; its wrappers likewise), keeping their
//     own names, constants and Parse<Type>: one set of methods for the compiler to build (SR OS
//     writes 1,978 inline enumerations of 995 value lists, Junos QFX conf 5,938 of 756). Not
//     under --split module (each package has its own types).
//   - leafref: the Go type of its target; anydata and anyxml: the raw XML content ([]byte).
//
// Under Options.CompressPaths (OpenConfig's path compression, as ygot does it) the config and
// state containers of a container or list entry disappear: their children are fields of the
// entry's struct (a leaf in both is one field, written to config, its state twin not read; a
// list key is one field with its config twin), and a container holding only a list disappears
// with the list a field of its parent. Conversion still reads and writes the full paths.
//
// Operations: per module, the rpcs and actions have typed <Op>Input and <Op>Output structs (an
// action and a nested notification are named after their parent's struct:
// NcwsExample_Interfaces_Interface_ResetInput, its method after its parent node: InterfaceReset), a
// <Module>Server interface with one method per operation (ctx first; an action also gets the
// keys of its target instance, outermost list first), Unimplemented<Module>Server to embed,
// Register<Module>Server(srv, impl) and a <Module>Client from New<Module>Client(session). Each
// notification has a struct, a <Module>Notifier method sending it from a server and a field of
// <Module>Notifications, whose Dispatch fits client.Options.OnNotification.
//
// Changes(commit) converts a commit's changes for a datastore hook: each changed container or list
// entry as its struct before and after (Change.Old, Change.New), a changed leaf reported with its
// whole entry (genimpl.Entries rebuilds the old entry in O(entry)).
//
// The package embeds the whole compiled schema (schema_descriptor*.go: pkg/schema's descriptor,
// file paths reduced to base names) and each module's YANG text (<module>_yang.go), each
// DEFLATE-compressed and base64-encoded (a tenth of the size the compiler has to hold); Schema()
// decompresses and decodes them on first use, without goyang or YANG parsing. A server whose datastore is opened
// with Schema() advertises every module with its revision, features and deviations and serves
// the texts through get-schema.
//
// Each generated struct has FromTree(*data.Node) error, which replaces the struct's content with
// the node's, and ToTree(*schema.Node) (*data.Node, error), which builds a detached node checking
// every value against its YANG type and refusing fields of two cases of one choice; the Root
// type, the document root, has ToTree(*schema.Schema). Both are one call into pkg/genimpl, which
// converts through a table it builds once per struct type from the fields' `yang` tags (the
// node a field holds, relative to the struct's module, and what its Go type leaves open; grammar
// in pkg/genimpl/table.go): the generated package holds no conversion code, so its size and
// build time follow its types. Nodes that other loaded modules augment into an emitted struct
// are fields of it.
//
// Output files, each starting with the "Code generated" line and naming its source modules:
// root.go (package doc, the genimpl version guard, Root), changes.go, schema.go and
// schema_descriptor*.go, per module of the schema <module>_yang.go, and per emitted module
// <module>_types.go, <module>_enums.go, <module>_convert.go, <module>_rpc.go and
// <module>_notify.go. No file is much larger than a megabyte: declarations continue in
// <module>_types2.go ... past about 768 KB, the struct paths of Changes in changes2.go ..., and
// long string constants (the descriptor, a module's text) are cut into 48 KB pieces, each its
// own constant, continued in schema_descriptor2.go ... and <module>_yang2.go ...
//
// Options.ShareGroupings (ncws gen --share-groupings) gives the containers and lists built from
// one statement inside a grouping one Go type when every instance of that statement (in one
// namespace, with one config value) has the same generated content and none was changed where
// the grouping is used (the target of a refine, an augment or a deviation, and the nodes above
// it, keep their path-named types); where the unchanged instances still differ (a relative
// leafref reaching different targets), none is shared. The shared type is named after the
// statement's place in its grouping, never after its uses: M(grouping's module) '_'
// G(grouping) then '_' G(node) for each data node from the grouping down (choices and cases left
// out), "__" M(namespace module) when the nodes are in another module's namespace than the
// grouping's, "_State" when config false, a numeric suffix by rule 5 if the name is taken
// (grouping interfaces-group of junos-qfx-conf-interfaces, container interfaces, list
// interface-set: JunosQfxConfInterfaces_InterfacesGroup_Interfaces_InterfaceSet). Its doc
// comment and error messages name the grouping path; Changes gives it for every path it stands
// for. A struct holding an action or notification is never shared, nor a statement with one
// unchanged instance. Each instance keeps the name its struct has without sharing as a type
// alias of the shared type (type X_Peers_Left_Address = X_Endpoint_Address), declared after
// it: write code against these path names, which stay when a release renames a grouping, uses
// it once more or changes an instance (TestStableNamesShared); the grouping-based names may
// go. A type shared by more than 1,000 instances (Junos's apply-advanced lists, repeated in
// nearly every container: their aliases would be 29 MB of Go) has no aliases. Off by default,
// since it makes the types of grouping nodes aliases (golden case testdata/share).
//
// Options.Split "module" (ncws gen --split module) writes one Go package per module instead of
// one package, for sets the Go compiler cannot build as one in reasonable memory; the file
// names then have directories. The output directory (Options.ImportPath) is the umbrella
// package with Root, Changes and Schema; <module>/ holds the structs of the nodes in the
// module's namespace, its operations and its named types (in <module>types/ when another
// module augments it); base/ the schema and the conversion tables every package shares. The
// type names are those of the one-package output, and the tree is navigated the same way
// through the struct fields (an augmented struct's field is of the augmenting module's type).
// The packages import each other as the modules do in YANG, which has no circular imports;
// split.go has the rules (golden case testdata/split).
//
// Options.Paths (ncws gen --path /MODULE:NODE/...) restricts the Go types to the subtrees at
// those schema nodes and their ancestors; see Options. The embedded schema stays whole unless
// Options.PruneSchema (--prune-schema) is set too: it then holds only the subtrees, their
// ancestors, what their validation reads (keys, mandatory children, leafref targets, what must,
// when and leafref paths reach, identities, typedefs), the protocol modules and the operations
// Paths keeps. A server built on such a package refuses data outside the kept nodes as unknown
// (it cannot validate what it does not know), and stays truthful in hello, yang-library and
// get-schema: the full texts of the modules that stay are served with a generated deviation
// module, ncws-prune-<package>, declaring every node left out of an implemented module "deviate
// not-supported", and the texts compile to exactly the embedded schema (prune.go; golden case
// testdata/prune). A module of which nothing is kept is import-only when a kept module imports
// it, else left out. Off by default, because it changes what a --path package's server accepts.
//
//	s, err := yangload.Load(yangload.Options{Files: []string{"example.yang"}})
//	files, err := gen.Generate(s, gen.Options{Package: "example"})
//	for name, src := range files {
//		os.WriteFile(filepath.Join(dir, name), src, 0o644)
//	}
package gen
