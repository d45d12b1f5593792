package yangload

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestIETFAll loads every IETF module of the shared models (both revisions sets), which also
// compiles every pattern they contain.
func TestIETFAll(t *testing.T) {
	for _, dir := range [][]string{{"ietf"}, {"ietf-nmda", "ietf"}} {
		files, err := filepath.Glob(filepath.Join(sharedYang, dir[0], "*.yang"))
		if err != nil || len(files) == 0 {
			t.Skip("IETF models not available")
		}
		for _, f := range files {
			t.Run(filepath.Base(f), func(t *testing.T) {
				var paths []string
				for _, d := range dir {
					paths = append(paths, filepath.Join(sharedYang, d))
				}
				b, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				if submoduleStmt.Match(b) {
					t.Skip("a submodule")
				}
				_, err = Load(Options{SearchPaths: paths, Files: []string{f}})
				if bytes.Contains(b, []byte("import yuma-ncx")) || filepath.Base(f) == "nc-notifications.yang" {
					// notifications.yang imports a module that is not in the shared set.
					if err == nil || !strings.Contains(err.Error(), "imported module yuma-ncx not found") {
						t.Errorf("error = %v, want the missing yuma-ncx import", err)
					}
					return
				}
				if err != nil {
					t.Error(err)
				}
			})
		}
	}
}
