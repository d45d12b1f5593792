// Package yang holds the YANG modules ncws itself serves: the NETCONF protocol modules written
// from their RFCs' definitions (ietf-netconf, ietf-netconf-monitoring, ietf-netconf-notifications,
// ietf-netconf-with-defaults, ietf-yang-library, ietf-datastores, ietf-origin and
// ietf-yang-metadata (RFC 8342, RFC 7952), ietf-netconf-nmda (RFC 8526), ietf-netconf-acm (NACM),
// ietf-netconf-partial-lock (RFC 5717),
// ietf-inet-types, ietf-yang-types, RFC 5277's notifications and nc-notifications, RFC 8639's
// ietf-subscribed-notifications and RFC 8641's ietf-yang-push with the modules they import,
// RFC 8040's ietf-restconf and RFC 8072's ietf-yang-patch) and
// ncws-server, the server's own module (commit history and rollback), and ncws-example, the
// example device `ncws serve` serves by default.
package yang

import (
	"embed"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/schema/yangload"
)

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
	"ietf-origin@2018-02-14.yang",
	"ietf-netconf-nmda@2019-01-07.yang",
	"notifications@2008-07-14.yang",
	"nc-notifications@2008-07-14.yang",
	"ietf-netconf-notifications@2012-02-06.yang",
	"ietf-netconf-acm@2018-02-14.yang",
	"ietf-subscribed-notifications@2019-09-09.yang",
	"ietf-yang-push@2019-09-09.yang",
	"ietf-netconf-partial-lock@2009-10-19.yang",
	"ncws-server@2026-11-24.yang",
}

// ProtocolFeatures are the features of the Protocol modules that ncws implements, enabled by
// Load unless opts.Features names the module: RFC 8639's dynamic subscriptions with XML and
// JSON encodings, replay, subtree and XPath filters (not configured subscriptions, DSCP or QoS), and
// RFC 8641's on-change.
var ProtocolFeatures = map[string][]string{
	"ietf-subscribed-notifications": {"encode-json", "encode-xml", "replay", "subtree", "xpath"},
	"ietf-yang-push":                {"on-change"},
}

// Example is the file of the example device model.
const Example = "ncws-example@2026-11-24.yang"

// WriteFiles writes every module file into dir (which must exist), for loaders that read files.
func WriteFiles(dir string) error {
	return fs.WalkDir(FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(FS, p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, p), b, 0o644)
	})
}

// Load compiles the Protocol modules with opts.Files (paths of .yang files; names of this
// package's files, such as Example, are taken from FS). The embedded files are searched after
// opts.SearchPaths.
func Load(opts yangload.Options) (*schema.Schema, error) {
	dir, err := os.MkdirTemp("", "ncws-yang")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	if err := WriteFiles(dir); err != nil {
		return nil, err
	}
	var files []string
	for _, f := range opts.Files {
		if _, err := fs.Stat(FS, f); err == nil && filepath.Base(f) == f {
			f = filepath.Join(dir, f)
		}
		files = append(files, f)
	}
	for _, p := range Protocol {
		files = append(files, filepath.Join(dir, p))
	}
	opts.Files = files
	features := map[string][]string{}
	for m, fs := range opts.Features {
		features[m] = fs
	}
	for m, fs := range ProtocolFeatures {
		if _, ok := features[m]; !ok {
			features[m] = fs
		}
	}
	opts.Features = features
	opts.SearchPaths = append(append([]string(nil), opts.SearchPaths...), dir)
	return yangload.Load(opts)
}
