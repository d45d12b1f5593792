package cli

import (
	"os"
	"runtime/debug"

	"github.com/ncws/ncws/pkg/schema/yangload"
)

// gcPolicy is the collector's policy of ncws validate, whose peak memory is set by the
// schema's load (the parse's heap, or the build's largest live heap) and, for a large
// document, by the decoded tree. GOGC, when set, decides throughout; GOMEMLIMIT, when set, is
// left to the runtime and bounds every stage (the policy never sets a memory limit).
//
//   - While the files are parsed: GOGC=50 (gcParsePercent). What is live then is the
//     statements (SR OS 26.3 nokia-conf: 10.2-11.0 MB at the parse's end) and what is garbage
//     grows with it (each file's text and tokens): at Go's default the parse's heap reached
//     twice the statements, above the build's own (its largest live heap 14.2 MB, at GOGC 10),
//     and the parse's end set the process's peak (RssAnon 22.9 MB at 100, 20.3 at 50). At 50
//     the parse runs 43 collections instead of 22, each of a small heap: peak RSS 31.8 -> 29.7
//     MiB (medians of 7 runs; yanglint 32.8), CPU 1.10 -> 1.22 s. On the Junos QFX conf set the
//     statements are a small part of the build's peak: the percent changes little there but
//     the parse's collections (peak RSS 150.0-150.9 -> 151.7-152.1 MB, CPU 4.65 -> 4.78 s).
//   - From the build of the schema trees to the validator: GOGC=10 (gcBuildPercent). The
//     compiler's working state and its garbage come and go while the schema grows, and at Go's
//     default the Junos QFX conf set peaked at 293 MB of RSS for 230 MB live (256 MB at 25).
//     On SR OS, 20 gave 1.3 MB more RssAnon at the build's peak (at 83184ee); 5, no lower peak RSS
//     (29.64 vs 29.69 MiB) for more collections, each of Junos's marking ~150 MB.
//   - While documents are validated: GOGC=400 (gcDataPercent). A data document's heap is mostly
//     what stays live to the end (the decoded tree): collecting less often than Go's default then
//     saves most of the collector's work for a few percent more memory.
//
// A soft memory limit that follows the live heap (set after each collection to its goal plus
// what the heap holds besides objects) was measured and not taken: it returns the free pages a
// growing heap faults back in, and on SR OS it cost 15-20% more CPU (more collections, the
// scavenger's madvise and the faults after it) for no peak RSS gain beyond the noise
// (docs/PERFORMANCE.md, scavenge).
type gcPolicy struct {
	on      bool // GOGC is not set: the policy sets the collector's percent
	restore int  // the percent before startGCPolicy, set again by stop
}

const (
	gcParsePercent = 50
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
