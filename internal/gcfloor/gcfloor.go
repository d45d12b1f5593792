// Package gcfloor keeps the garbage collector's heap goal a fixed amount above the live heap
// when the live heap is small.
//
// With GOGC=100 the collector runs whenever the heap has doubled since the last collection,
// with a floor of 4 MB. A server whose live heap is a few MB (ncws serve with a small
// configuration: about 2 MB) but which allocates a few KB per request then collects dozens of
// times a second under load: at 30,000 get-config/s, 60 collections/s, each waking the idle
// processors for its mark workers, about a tenth of the server's CPU. A fixed headroom (the
// heap may grow Floor bytes above what is live before a collection) makes the rate follow
// the allocation alone: one collection per Floor bytes allocated. Once the live heap is
// larger than Floor, GOGC=100's doubling already gives more headroom; from twice Floor the
// headroom is half the live heap (GOGC=Large), so that a large datastore's bulk load or commit
// does not take the heap to twice what is live: the collector then runs twice as often per byte
// allocated, which a stream of one-entry edits at 100k entries did not show in its CPU time
// (docs/PERFORMANCE.md, server memory for 100k interfaces).
//
// It is the "memory ballast" effect without a ballast: GOGC is raised (debug.SetGCPercent)
// after each collection from the live heap that collection found. A memory limit
// (GOMEMLIMIT, debug.SetMemoryLimit) still applies: the collector runs when the limit is
// near, whatever GOGC says.
package gcfloor

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
)

// Base is the runtime's default GOGC, set again by stop.
const Base = 100

// Large is the GOGC used when the live heap is at least twice the floor: a heap goal of 1.5
// times the live heap instead of 2.
const Large = 50

// heapMinimum is the runtime's smallest heap goal at GOGC=100; it scales with GOGC.
const heapMinimum = 4 << 20

// Percent is the smallest GOGC that gives a live heap of live bytes at least floor bytes of
// headroom, and never less than Large (half the live heap). The runtime's heap goal is the
// larger of live x (1 + GOGC/100) and heapMinimum x GOGC/100; below 4 MB live, the second one
// decides.
func Percent(live, floor uint64) int {
	p := uint64(math.MaxInt32)
	if live > 0 {
		p = floor * 100 / live
	}
	p = min(p, (live+floor)*100/heapMinimum)
	if p < Large {
		return Large
	}
	return int(p)
}

// Start raises GOGC after each collection so that the heap may grow floor bytes above the
// live heap before the next one (see the package doc). stop ends it and restores GOGC=Base.
// Callers leave it off when the user set GOGC.
func Start(floor uint64) (stop func()) {
	t := &tuner{floor: floor, cur: Base, sample: []metrics.Sample{{Name: "/gc/heap/live:bytes"}}}
	t.arm()
	return func() {
		if t.stopped.CompareAndSwap(false, true) {
			debug.SetGCPercent(Base)
		}
	}
}

type tuner struct {
	floor   uint64
	cur     int // the GOGC last set; only the finalizer goroutine uses it
	sample  []metrics.Sample
	stopped atomic.Bool
}

// sentinel is garbage from birth: its finalizer runs once per collection cycle (in the
// runtime's finalizer goroutine, after the cycle), adjusts GOGC and arms the next one.
type sentinel struct{ _ [32]byte } // over the tiny allocator's 16 bytes, whose objects may share a block and never be finalized

func (t *tuner) arm() {
	runtime.SetFinalizer(&sentinel{}, func(*sentinel) { t.collected() })
}

func (t *tuner) collected() {
	if t.stopped.Load() {
		return
	}
	metrics.Read(t.sample)
	var live uint64
	if t.sample[0].Value.Kind() == metrics.KindUint64 {
		live = t.sample[0].Value.Uint64()
	}
	// Small changes are left alone: SetGCPercent recomputes the pacer's goal.
	if p := Percent(live, t.floor); p*8 < t.cur*7 || p*8 > t.cur*9 {
		debug.SetGCPercent(p)
		t.cur = p
	}
	t.arm()
}
