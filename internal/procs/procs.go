// Package procs runs a server on one Go processor (GOMAXPROCS=1) while its load fits in one
// core, and on all of them (the runtime's default) as soon as it needs more.
//
// Why: Go's scheduler is work-conserving. With an idle processor, every goroutine that a
// running goroutine makes ready wakes a second thread (runtime.wakep: a futex wake-up; that
// thread spins, tries to steal, and sleeps again), golang/go#54622. A NETCONF session over
// SSH makes two such hand-offs per request inside golang.org/x/crypto/ssh (its transport
// reader, its mux, then the channel's reader), so a single busy session on a small machine
// shared with its clients spends a third of its CPU time on wake-ups and context switches
// that one processor avoids (docs/PERFORMANCE.md: 62.9 -> 38.3 us of server CPU per
// sequential get-config over SSH). One processor cannot be the setting for every load, though:
// many busy sessions, a long validation or the garbage collector's marking need the other
// cores.
//
// The governor samples the process's CPU time (getrusage: all threads, user and system) every
// Tick. On one processor it sets Max processors again when the process is saturated: it used
// at least RaiseAt of the core in two ticks in a row while goroutines waited a millisecond or
// more to run (runtime/metrics /sched/latencies: work queued behind work), or it used at
// least Saturated of the core for SaturatedTicks ticks in a row (a long computation, which the
// collector's mark workers would otherwise share). On Max processors it sets one processor when
// the process used less than DropAt cores on average over DropWindow (1.5: a single session
// over SSH can cost a whole core on two processors, of wake-ups and spinning that one
// processor does not have). That is a probe: a
// load that needs more than one processor is back on Max within two ticks, and a raise soon
// after a drop doubles how long the next drop waits (Hold, up to MaxHold), so a load at the
// boundary costs a probe a minute at most. Each change stops the world once (tens of
// microseconds).
package procs

import (
	"runtime"
	"runtime/metrics"
	"sync"
	"time"
)

// Defaults of Options.
const (
	DefaultTick           = 10 * time.Millisecond
	DefaultIdleTick       = 100 * time.Millisecond
	DefaultRaiseAt        = 0.8
	DefaultSaturated      = 0.9
	DefaultSaturatedTicks = 5
	DefaultDropAt         = 1.5
	DefaultDropWindow     = time.Second
	DefaultHold           = time.Second
	DefaultMaxHold        = time.Minute
	// LongWait is the scheduling latency counted as a goroutine queued behind others.
	LongWait = time.Millisecond
)

// Options configures Start; the zero value means the defaults.
type Options struct {
	// Max is the number of processors under load (runtime.GOMAXPROCS(0) at Start when 0).
	Max int
	// Tick is the sampling interval; IdleTick the interval while the process uses almost no
	// CPU on one processor.
	Tick, IdleTick time.Duration
	// RaiseAt, Saturated and DropAt are CPU use in cores; SaturatedTicks a count of ticks
	// (see the package doc).
	RaiseAt, Saturated, DropAt float64
	SaturatedTicks             int
	// DropWindow is the window over which the average use is compared with DropAt.
	DropWindow time.Duration
	// Hold is the shortest time on Max processors after a raise; it doubles, up to MaxHold,
	// when the raise came soon after a drop.
	Hold, MaxHold time.Duration
	// Changed, when set, is called after each change (on the governor's goroutine) with the
	// new GOMAXPROCS and the process's use, in cores, over the last tick.
	Changed func(procs int, load float64)
}

func (o *Options) defaults() {
	if o.Max <= 0 {
		o.Max = runtime.GOMAXPROCS(0)
	}
	if o.Tick <= 0 {
		o.Tick = DefaultTick
	}
	if o.IdleTick <= 0 {
		o.IdleTick = DefaultIdleTick
	}
	if o.RaiseAt <= 0 {
		o.RaiseAt = DefaultRaiseAt
	}
	if o.Saturated <= 0 {
		o.Saturated = DefaultSaturated
	}
	if o.SaturatedTicks <= 0 {
		o.SaturatedTicks = DefaultSaturatedTicks
	}
	if o.DropAt <= 0 {
		o.DropAt = DefaultDropAt
	}
	if o.DropWindow <= 0 {
		o.DropWindow = DefaultDropWindow
	}
	if o.Hold <= 0 {
		o.Hold = DefaultHold
	}
	if o.MaxHold < o.Hold {
		o.MaxHold = max(DefaultMaxHold, o.Hold)
	}
}

// Start runs the governor until stop is called; stop waits for it to end and sets Max
// processors again. It does nothing (stop is a no-op) when Max is 1, or where the process's
// CPU time cannot be read, or while another governor runs in the process. Callers leave it
// off when the user chose GOMAXPROCS.
func Start(opts Options) (stop func()) {
	if !canReadCPU {
		return func() {}
	}
	return start(opts, processCPU, newLatencies().longWaits)
}

// start is Start with the sources of the process's CPU time and of long scheduling waits.
func start(opts Options, cpu func() time.Duration, waits func() bool) (stop func()) {
	opts.defaults()
	if opts.Max <= 1 {
		return func() {}
	}
	running.Lock()
	defer running.Unlock()
	if running.on {
		return func() {}
	}
	running.on = true
	g := &governor{opts: opts, procs: runtime.GOMAXPROCS(0), hold: opts.Hold}
	done := make(chan struct{})
	finished := make(chan struct{})
	go g.run(cpu, waits, done, finished)
	var once sync.Once
	return func() {
		once.Do(func() {
			close(done)
			<-finished
			runtime.GOMAXPROCS(opts.Max)
			running.Lock()
			running.on = false
			running.Unlock()
		})
	}
}

// running is set while a governor runs: GOMAXPROCS is the process's, so a second Start (two
// servers in one process, as in tests) leaves it to the first.
var running struct {
	sync.Mutex
	on bool
}

type governor struct {
	opts  Options
	procs int // the GOMAXPROCS set last

	// Decision state (see decide).
	hot, saturated int           // consecutive ticks over RaiseAt with long waits, over Saturated
	window, used   time.Duration // the averaging window on Max processors so far, and its CPU time
	raisedAt       time.Time
	droppedAt      time.Time
	hold           time.Duration
}

func (g *governor) run(cpu func() time.Duration, waits func() bool, done <-chan struct{}, finished chan<- struct{}) {
	defer close(finished)
	last, lastCPU := time.Now(), cpu()
	waits() // the baseline
	t := time.NewTimer(g.opts.Tick)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-t.C:
		}
		now, c := time.Now(), cpu()
		wall, used := now.Sub(last), c-lastCPU
		last, lastCPU = now, c
		if next := g.decide(now, wall, used, waits()); next != g.procs {
			runtime.GOMAXPROCS(next)
			g.procs = next
			if g.opts.Changed != nil {
				g.opts.Changed(next, float64(used)/float64(wall))
			}
		}
		tick := g.opts.Tick
		if g.procs == 1 && float64(used) < 0.05*float64(wall) {
			tick = g.opts.IdleTick
		}
		t.Reset(tick)
	}
}

// decide returns the processors for the next tick, given one that lasted wall, in which the
// process used CPU time used and goroutines did (or did not) wait LongWait to run.
func (g *governor) decide(now time.Time, wall, used time.Duration, longWait bool) int {
	if wall <= 0 {
		return g.procs
	}
	load := float64(used) / float64(wall) // cores
	if g.procs == 1 {
		if load >= g.opts.RaiseAt && longWait {
			g.hot++
		} else {
			g.hot = 0
		}
		if load >= g.opts.Saturated {
			g.saturated++
		} else {
			g.saturated = 0
		}
		if g.hot < 2 && g.saturated < g.opts.SaturatedTicks {
			return 1
		}
		g.hot, g.saturated = 0, 0
		// A raise soon after a drop: the load sits at the boundary; the next drop waits longer.
		if !g.droppedAt.IsZero() && now.Sub(g.droppedAt) < 4*g.hold {
			g.hold = min(2*g.hold, g.opts.MaxHold)
		} else {
			g.hold = g.opts.Hold
		}
		g.raisedAt = now
		g.window, g.used = 0, 0
		return g.opts.Max
	}
	// Max processors: the average over a window of DropWindow decides.
	g.window += wall
	g.used += used
	if g.window < g.opts.DropWindow {
		return g.procs
	}
	avg := float64(g.used) / float64(g.window)
	g.window, g.used = 0, 0
	if avg >= g.opts.DropAt || (!g.raisedAt.IsZero() && now.Sub(g.raisedAt) < g.hold) {
		return g.procs
	}
	g.droppedAt = now
	return 1
}

// latencies reads the runtime's scheduling latency histogram.
type latencies struct {
	sample []metrics.Sample
	counts []uint64 // the histogram's counts at the last read
}

func newLatencies() *latencies {
	return &latencies{sample: []metrics.Sample{{Name: "/sched/latencies:seconds"}}}
}

// longWaits reports whether a goroutine waited LongWait or more to run since the last call.
func (l *latencies) longWaits() bool {
	metrics.Read(l.sample)
	if l.sample[0].Value.Kind() != metrics.KindFloat64Histogram {
		return false
	}
	h := l.sample[0].Value.Float64Histogram()
	long := false
	if len(l.counts) == len(h.Counts) {
		for i, c := range h.Counts {
			// Bucket i holds [Buckets[i], Buckets[i+1]).
			if h.Buckets[i] >= LongWait.Seconds() && c > l.counts[i] {
				long = true
				break
			}
		}
	} else {
		l.counts = make([]uint64, len(h.Counts))
	}
	copy(l.counts, h.Counts)
	return long
}
