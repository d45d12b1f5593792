package cli

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// importPathOf returns the Go import path of directory dir (which may not exist yet): the
// module path of the nearest go.mod above it joined with dir's path below that go.mod.
func importPathOf(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	var rel []string
	for d := abs; ; {
		b, err := os.ReadFile(filepath.Join(d, "go.mod"))
		if err == nil {
			mod := modulePath(b)
			if mod == "" {
				return "", fmt.Errorf("%s has no module line", filepath.Join(d, "go.mod"))
			}
			for i, j := 0, len(rel)-1; i < j; i, j = i+1, j-1 {
				rel[i], rel[j] = rel[j], rel[i]
			}
			return path.Join(append([]string{mod}, rel...)...), nil
		}
		if !errors.Is(err, os.ErrNotExist) {
			return "", err
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", fmt.Errorf("no go.mod in %s or above it", abs)
		}
		rel = append(rel, filepath.Base(d))
		d = parent
	}
}

// modulePath returns the module path of go.mod text b, "" if it has none.
func modulePath(b []byte) string {
	for _, l := range strings.Split(string(b), "\n") {
		l = strings.TrimSpace(l)
		if m, ok := strings.CutPrefix(l, "module"); ok && (strings.HasPrefix(m, " ") || strings.HasPrefix(m, "\t")) {
			m = strings.TrimSpace(m)
			if i := strings.Index(m, "//"); i >= 0 {
				m = strings.TrimSpace(m[:i])
			}
			return strings.Trim(m, "\"`")
		}
	}
	return ""
}
