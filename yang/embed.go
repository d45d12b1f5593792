// Package yang holds the YANG modules ncws itself serves: the NETCONF protocol modules written
// from their RFCs' definitions (ietf-netconf, ietf-netconf-monitoring, ietf-netconf-notifications,
// ietf-netconf-with-defaults, ietf-yang-library, ietf-datastores, ietf-inet-types,
// ietf-yang-types, RFC 5277's notifications and nc-notifications) and ncws-server, the server's
// own module (commit history and rollback), and ncws-example, the example device `ncws serve`
// serves by default.
package yang

import (
	"embed"
	"io/fs"
	"os"
	"path/filepath"
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
	"ncws-server@2026-11-24.yang",
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
