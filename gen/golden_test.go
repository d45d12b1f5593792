package gen

import (
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/schema/yangload"
)

var update = flag.Bool("update", false, "rewrite the golden outputs under testdata/<case>/out")

// goldenCases are the directories under testdata holding a golden case: YANG input beside an out/
// directory with the expected package in its own module.
var goldenCases = []string{"anydata", "augment", "choice", "compress", "deviation", "empty", "identityref", "iffeature", "leafref",
	"names", "operations", "orderedby", "prune", "same", "share", "split", "splitsubtree", "stable", "union"}

// TestGolden generates each case's package and compares it with testdata/<case>/out (rewritten
// with -update). TestRoundTripGolden builds and vets every case's out/ as the module it is.
func TestGolden(t *testing.T) {
	for _, name := range goldenCases {
		t.Run(name, func(t *testing.T) {
			t.Parallel() // each case in its own directory
			dir := filepath.Join("testdata", name)
			files := generateCase(t, dir, name)
			out := filepath.Join(dir, "out")
			if *update {
				writeGolden(t, out, name, files)
			}
			got := map[string]string{}
			for n, b := range files {
				got[n] = string(b)
			}
			got["go.mod"] = goMod("example.com/golden/"+name, "../../../..")
			got["go.sum"] = repoGoSum(t)
			want := readGolden(t, out)
			if diff := cmpDiff(want, got); diff != "" {
				t.Fatalf("generated files mismatch (-want +got), run go test ./gen -run TestGolden -update:\n%s", diff)
			}
		})
	}
}

func generateCase(t *testing.T, dir, pkg string) map[string][]byte {
	t.Helper()
	return generateCaseAt(t, dir, pkg, "example.com/golden/"+pkg)
}

// generateCaseAt generates a case whose output directory has Go import path importPath (for the
// imports between the packages of a split case).
func generateCaseAt(t *testing.T, dir, pkg, importPath string) map[string][]byte {
	t.Helper()
	s, opts := loadCase(t, dir, pkg, importPath)
	files, err := Generate(s, opts)
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// loadCase loads a case's modules and returns them with the case's Options (options.txt).
func loadCase(t *testing.T, dir, pkg, importPath string) (*schema.Schema, Options) {
	t.Helper()
	yangFiles, err := filepath.Glob(filepath.Join(dir, "*.yang"))
	if err != nil || len(yangFiles) == 0 {
		t.Fatalf("no YANG files in %s: %v", dir, err)
	}
	sort.Strings(yangFiles)
	s, err := yangload.Load(yangload.Options{Files: yangFiles, SearchPaths: []string{dir}, Features: caseFeatures(t, dir)})
	if err != nil {
		t.Fatal(err)
	}
	opts := Options{Package: pkg}
	if b, err := os.ReadFile(filepath.Join(dir, "options.txt")); err == nil {
		for _, o := range strings.Fields(string(b)) {
			switch o {
			case "compress-paths":
				opts.CompressPaths = true
			case "share-groupings":
				opts.ShareGroupings = true
			case "split-module":
				opts.Split, opts.ImportPath = "module", importPath
			case "prune-schema":
				opts.PruneSchema = true
			default:
				if p, ok := strings.CutPrefix(o, "path="); ok {
					opts.Paths = append(opts.Paths, p)
					continue
				}
				if v, ok := strings.CutPrefix(o, "split-structs="); ok {
					n, err := strconv.Atoi(v)
					if err != nil {
						t.Fatalf("%s/options.txt: %q: %v", dir, o, err)
					}
					opts.SplitStructs = n
					continue
				}
				t.Fatalf("%s/options.txt: unknown option %q", dir, o)
			}
		}
	}
	return s, opts
}

// caseFeatures reads a case's features.txt: lines "module:feature,feature" (yanglint's -F); nil
// (every feature enabled) when there is none.
func caseFeatures(t *testing.T, dir string) map[string][]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "features.txt"))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, l := range strings.Fields(string(b)) {
		mod, list, _ := strings.Cut(l, ":")
		out[mod] = []string{}
		if list != "" {
			out[mod] = strings.Split(list, ",")
		}
	}
	return out
}

// TestGoldenBrokenImport: a module importing a module no search path holds fails to load with
// the loader's error naming the missing module, and nothing is generated.
func TestGoldenBrokenImport(t *testing.T) {
	dir := filepath.Join("testdata", "brokenimport")
	_, err := yangload.Load(yangload.Options{Files: []string{filepath.Join(dir, "brokenimport.yang")}, SearchPaths: []string{dir}})
	if err == nil {
		t.Fatal("loading brokenimport.yang succeeded, want an error")
	}
	want, rerr := os.ReadFile(filepath.Join(dir, "error.txt"))
	if *update {
		writeFile(t, filepath.Join(dir, "error.txt"), err.Error()+"\n")
		want, rerr = []byte(err.Error()+"\n"), nil
	}
	if rerr != nil {
		t.Fatal(rerr)
	}
	if diff := cmpDiff(string(want), err.Error()+"\n"); diff != "" {
		t.Errorf("error mismatch (-want +got):\n%s", diff)
	}
}

func writeGolden(t *testing.T, out, name string, files map[string][]byte) {
	t.Helper()
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	for n := range readGolden(t, out) {
		if strings.HasSuffix(n, ".go") {
			if err := os.Remove(filepath.Join(out, filepath.FromSlash(n))); err != nil {
				t.Fatal(err)
			}
		}
	}
	for n, b := range files {
		writeFile(t, filepath.Join(out, n), string(b))
	}
	writeFile(t, filepath.Join(out, "go.mod"), goMod("example.com/golden/"+name, "../../../.."))
	writeFile(t, filepath.Join(out, "go.sum"), repoGoSum(t))
}

// readGolden returns the files under out by slash-separated relative name (a split case has
// a directory per package).
func readGolden(t *testing.T, out string) map[string]string {
	t.Helper()
	want := map[string]string{}
	err := filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(out, p)
		if err != nil {
			return err
		}
		want[filepath.ToSlash(rel)] = string(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return want
}

// repoGoSum returns the repository's go.sum, which a golden module needs to build offline.
func repoGoSum(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
