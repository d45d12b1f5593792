package yangload

import (
	"path/filepath"
	"slices"
	"testing"
)

// Options.Stage is told of the build once, even when a leafref into an imported module makes
// the load build the trees again, and of the finalization only when the load succeeds.
func TestStage(t *testing.T) {
	dir := writeModules(t, map[string]string{
		"a.yang": `module a { namespace "urn:a"; prefix a; import b { prefix b; }
  leaf r { type leafref { path "/b:x"; } }
}`,
		"b.yang":   `module b { namespace "urn:b"; prefix b; leaf x { type string; } }`,
		"bad.yang": `module bad { namespace "urn:bad"; prefix bad; leaf y { type nosuch; } }`,
	})
	for _, c := range []struct {
		file string
		want []string
	}{
		{"a.yang", []string{StageBuild, StageFinalize}},
		{"bad.yang", []string{StageBuild}},
	} {
		var got []string
		s, err := Load(Options{SearchPaths: []string{dir}, Files: []string{filepath.Join(dir, c.file)},
			Stage: func(st string) { got = append(got, st) }})
		if (err == nil) != (c.file == "a.yang") {
			t.Fatalf("%s: Load error %v", c.file, err)
		}
		if c.file == "a.yang" && !s.Module("b").Implemented {
			t.Fatalf("a.yang: b not made implemented by the leafref (the case builds twice)")
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: stages %q, want %q", c.file, got, c.want)
		}
	}
}
