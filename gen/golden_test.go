package gen

import (
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/ncws/ncws/pkg/schema/yangload"
)

var update = flag.Bool("update", false, "rewrite the golden outputs under testdata/<case>/out")

// goldenCases are the directories under testdata holding a golden case: YANG input beside an out/
// directory with the expected package in its own module.
var goldenCases = []string{"anydata", "choice", "identityref", "leafref", "names", "orderedby", "union"}

// TestGolden generates each case's package, compares it with testdata/<case>/out (rewritten with
// -update), and builds and vets the expected output as its own module.
func TestGolden(t *testing.T) {
	for _, name := range goldenCases {
		t.Run(name, func(t *testing.T) {
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
			want := map[string]string{}
			ents, err := os.ReadDir(out)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range ents {
				b, err := os.ReadFile(filepath.Join(out, e.Name()))
				if err != nil {
					t.Fatal(err)
				}
				want[e.Name()] = string(b)
			}
			if diff := cmpDiff(want, got); diff != "" {
				t.Fatalf("generated files mismatch (-want +got), run go test ./gen -run TestGolden -update:\n%s", diff)
			}
			goCmd(t, out, false, "build", "./...")
			goCmd(t, out, false, "vet", "./...")
		})
	}
}

func generateCase(t *testing.T, dir, pkg string) map[string][]byte {
	t.Helper()
	yangFiles, err := filepath.Glob(filepath.Join(dir, "*.yang"))
	if err != nil || len(yangFiles) == 0 {
		t.Fatalf("no YANG files in %s: %v", dir, err)
	}
	sort.Strings(yangFiles)
	s, err := yangload.Load(yangload.Options{Files: yangFiles, SearchPaths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	files, err := Generate(s, Options{Package: pkg})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func writeGolden(t *testing.T, out, name string, files map[string][]byte) {
	t.Helper()
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	ents, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".go") {
			if err := os.Remove(filepath.Join(out, e.Name())); err != nil {
				t.Fatal(err)
			}
		}
	}
	for n, b := range files {
		writeFile(t, filepath.Join(out, n), string(b))
	}
	writeFile(t, filepath.Join(out, "go.mod"), goMod("example.com/golden/"+name, "../../../.."))
}
