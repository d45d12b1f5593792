package yangload

import (
	"os/exec"
	"path/filepath"
	"testing"
)

const sharedYang = "../../../../shared/yang"

// ocFiles lists every OpenConfig release module (submodules come with their modules).
func ocFiles(t testing.TB) []string {
	files, err := ModuleFiles(filepath.Join(sharedYang, "openconfig", "release", "models"))
	if err != nil {
		t.Skip("OpenConfig models not available:", err)
	}
	return files
}

func TestOpenConfigAll(t *testing.T) {
	files := ocFiles(t)
	if len(files) < 100 {
		t.Fatalf("found only %d OpenConfig modules", len(files))
	}
	s, err := Load(Options{SearchPaths: []string{filepath.Join(sharedYang, "openconfig")}, Files: files})
	if err != nil {
		t.Fatal(err)
	}
	impl := 0
	for _, m := range s.Modules {
		if m.Implemented {
			impl++
		}
	}
	if impl < len(files) {
		t.Errorf("%d modules implemented, want at least %d", impl, len(files))
	}
	ni := lookup(s, "/openconfig-network-instance:network-instances/network-instance")
	if ni == nil || len(ni.Keys()) != 1 || ni.Keys()[0].Name != "name" {
		t.Errorf("network-instance list = %+v", ni)
	}
}

// TestOpenConfigAllOracle compares the whole OpenConfig tree with yanglint's (-i, since
// yanglint rejects an identityref default into a module that is only imported otherwise).
func TestOpenConfigAllOracle(t *testing.T) {
	if testing.Short() {
		t.Skip("yanglint takes several seconds on all of OpenConfig")
	}
	if _, err := exec.LookPath("yanglint"); err != nil {
		t.Skip("yanglint not installed")
	}
	files := ocFiles(t)
	o := Options{SearchPaths: []string{filepath.Join(sharedYang, "openconfig")}, Files: files, ImportsImplemented: true}
	s, err := Load(o)
	if err != nil {
		t.Fatal(err)
	}
	compareWithYanglint(t, s, append([]string{"-i", "-p", o.SearchPaths[0]}, files...))
}

func BenchmarkLoadOCIf(b *testing.B) {
	set := moduleSets[7]
	for b.Loop() {
		if _, err := Load(Options{SearchPaths: set.paths, Files: set.files, ImportsImplemented: true}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoadOpenConfigAll(b *testing.B) {
	files := ocFiles(b)
	for b.Loop() {
		if _, err := Load(Options{SearchPaths: []string{filepath.Join(sharedYang, "openconfig")}, Files: files}); err != nil {
			b.Fatal(err)
		}
	}
}
