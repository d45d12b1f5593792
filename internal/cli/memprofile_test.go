package cli

import (
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestHeapProfile: no command samples allocations for a heap profile, except `gen --memprofile`,
// whose profile holds the run's allocations (the generator's functions among its stacks). Not
// parallel: it reads and sets the process-wide runtime.MemProfileRate.
func TestHeapProfile(t *testing.T) {
	t.Cleanup(func() { runtime.MemProfileRate = 0 })
	if code, _, stderr := run(t, "version"); code != ExitOK {
		t.Fatalf("version: exit %d, stderr %q", code, stderr)
	}
	if runtime.MemProfileRate != 0 {
		t.Fatalf("after ncws version: runtime.MemProfileRate = %d, want 0 (no heap profile sampled)", runtime.MemProfileRate)
	}

	src := writeModules(t, map[string]string{"gen-base.yang": genBase})
	dir := t.TempDir()
	prof := filepath.Join(dir, "gen.heap")
	code, _, stderr := run(t, "gen", "--memprofile", prof, "-o", filepath.Join(dir, "model"), "--package", "model",
		filepath.Join(src, "gen-base.yang"))
	if code != ExitOK {
		t.Fatalf("gen --memprofile: exit %d, stderr %q", code, stderr)
	}
	if runtime.MemProfileRate != defaultMemProfileRate {
		t.Errorf("during gen --memprofile: runtime.MemProfileRate = %d, want %d", runtime.MemProfileRate, defaultMemProfileRate)
	}
	f, err := os.Open(prof)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("%s is not a gzipped pprof profile: %v", prof, err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	// The profile's string table names the functions of its sampled stacks.
	if !strings.Contains(string(b), "github.com/ncws/ncws/gen.") {
		t.Errorf("the heap profile of gen (%d bytes) samples no allocation of the generator (package gen)", len(b))
	}
}
