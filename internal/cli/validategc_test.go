package cli

import (
	"runtime/debug"
	"runtime/metrics"
	"testing"

	"github.com/ncws/ncws/pkg/schema/yangload"
)

// gcPercent reads the collector's percent (GOGC) without changing it.
func gcPercent() int {
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}}
	metrics.Read(s)
	return int(s[0].Value.Uint64())
}

// TestGCPolicy: ncws validate sets the collector's percent for each stage of its run (parse,
// build to validator, documents) and gives back the one it found. Not parallel: the percent is
// the process's.
func TestGCPolicy(t *testing.T) {
	t.Setenv("GOGC", "")
	defer debug.SetGCPercent(debug.SetGCPercent(123))
	var opts yangload.Options
	g := startGCPolicy(&opts)
	if got := gcPercent(); got != gcParsePercent {
		t.Errorf("while parsing: GOGC %d, want %d", got, gcParsePercent)
	}
	if opts.Stage == nil {
		t.Fatal("the policy is not hooked to the load's stages")
	}
	opts.Stage(yangload.StageBuild)
	if got := gcPercent(); got != gcBuildPercent {
		t.Errorf("from the build: GOGC %d, want %d", got, gcBuildPercent)
	}
	opts.Stage(yangload.StageFinalize)
	if got := gcPercent(); got != gcBuildPercent {
		t.Errorf("after the build (indexes, validator): GOGC %d, want %d", got, gcBuildPercent)
	}
	g.data()
	if got := gcPercent(); got != gcDataPercent {
		t.Errorf("documents: GOGC %d, want %d", got, gcDataPercent)
	}
	g.stop()
	if got := gcPercent(); got != 123 {
		t.Errorf("after the policy: GOGC %d, want the one before it, 123", got)
	}
	g.stop()
	if got := gcPercent(); got != 123 {
		t.Errorf("after a second stop: GOGC %d, want 123", got)
	}
}

// TestGCPolicyUserGOGC: GOGC set by the user decides throughout; the policy changes nothing and
// hooks nothing. Neither does it ever set a memory limit: GOMEMLIMIT (or a limit the program
// set) stays what it was.
func TestGCPolicyUserGOGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(77))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(3 << 30))
	for _, gogc := range []string{"77", "off"} {
		t.Run(gogc, func(t *testing.T) {
			t.Setenv("GOGC", gogc)
			var opts yangload.Options
			g := startGCPolicy(&opts)
			if opts.Stage != nil {
				t.Error("GOGC is set, yet the policy hooks the load's stages")
			}
			g.data()
			if got := gcPercent(); got != 77 {
				t.Errorf("GOGC=%s: percent %d, want 77 (unchanged)", gogc, got)
			}
			g.stop()
			if got := gcPercent(); got != 77 {
				t.Errorf("GOGC=%s: after stop, percent %d, want 77", gogc, got)
			}
		})
	}
	t.Run("unset", func(t *testing.T) {
		t.Setenv("GOGC", "")
		var opts yangload.Options
		g := startGCPolicy(&opts)
		opts.Stage(yangload.StageBuild)
		g.data()
		if got := debug.SetMemoryLimit(-1); got != 3<<30 {
			t.Errorf("memory limit %d during the policy, want 3 GiB (unchanged)", got)
		}
		g.stop()
		if got := debug.SetMemoryLimit(-1); got != 3<<30 {
			t.Errorf("memory limit %d after the policy, want 3 GiB (unchanged)", got)
		}
	})
}
