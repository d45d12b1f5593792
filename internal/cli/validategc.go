package cli

import (
	"os"
	"runtime/debug"

	"github.com/ncws/ncws/pkg/schema/yangload"
)

// gcPolicy is the collector's policy of ncws validate, whose peak memory is set by the
// schema's compilation (the load's largest live heap, or the validator's) and, for a large
// document, by the decoded tree. GOGC, when set, decides throughout.
//
//   - While the files are parsed: GOGC=100 (gcParsePercent). What is live then (the statements)
//     is a fraction of what the build makes of them (SR OS 26.3 nokia-conf: 12 of 40 MB, Junos
//     QFX conf: 18 of 159 MB), so a heap twice the live one stays below the later peak. At
//     GOGC=10 the parse ran 100 of SR OS's 152 collections, a third of the collector's CPU.
//   - From the build of the schema trees to the validator: GOGC=10 (gcBuildPercent). The
//     compiler's working state and its garbage come and go while the schema grows, and at Go's
//     default the Junos QFX conf set peaked at 293 MB of RSS for 230 MB live (256 MB at 25).
//   - While documents are validated: GOGC=400 (gcDataPercent). A data document's heap is mostly
//     what stays live to the end (the decoded tree): collecting less often than Go's default then
//     saves most of the collector's work for a few percent more memory.
type gcPolicy struct {
	on      bool // GOGC is not set: the policy sets the collector's percent
	restore int  // the percent before startGCPolicy, set again by stop
}

const (
	gcParsePercent = 100
	gcBuildPercent = 10
	gcDataPercent  = 400
)

// startGCPolicy starts the policy and hooks it to the load's stages (opts.Stage).
func startGCPolicy(opts *yangload.Options) *gcPolicy {
	if os.Getenv("GOGC") != "" {
		return &gcPolicy{}
	}
	g := &gcPolicy{on: true, restore: debug.SetGCPercent(gcParsePercent)}
	opts.Stage = func(stage string) {
		if stage == yangload.StageBuild {
			debug.SetGCPercent(gcBuildPercent)
		}
	}
	return g
}

// data switches to the policy of the documents' stage.
func (g *gcPolicy) data() {
	if g.on {
		debug.SetGCPercent(gcDataPercent)
	}
}

// stop ends the policy: GOGC is what it was before startGCPolicy.
func (g *gcPolicy) stop() {
	if g.on {
		debug.SetGCPercent(g.restore)
		g.on = false
	}
}
