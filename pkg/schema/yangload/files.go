package yangload

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

var submoduleStmt = regexp.MustCompile(`(?m)^\s*submodule\s`)

// ModuleFiles lists the .yang files under dir (recursively) that hold modules, not submodules
// (those are found through their modules' include statements), in lexical order: the Files of
// an Options that loads a whole directory tree, such as the OpenConfig release.
func ModuleFiles(dir string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yang") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if !submoduleStmt.Match(b) {
			files = append(files, p)
		}
		return nil
	})
	return files, err
}
