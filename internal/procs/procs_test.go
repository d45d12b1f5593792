package procs

import (
	"math"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// tick is one sample given to decide: the process's use in cores and whether goroutines
// waited LongWait to run.
type tick struct {
	load float64
	wait bool
}

func repeat(n int, t tick) []tick {
	s := make([]tick, n)
	for i := range s {
		s[i] = t
	}
	return s
}

func cat(parts ...[]tick) []tick {
	var s []tick
	for _, p := range parts {
		s = append(s, p...)
	}
	return s
}

const tickWall = 10 * time.Millisecond

// feed runs ticks of 10 ms through g from *now and returns the processors after each tick.
func feed(g *governor, now *time.Time, ticks []tick) []int {
	out := make([]int, len(ticks))
	for i, t := range ticks {
		*now = now.Add(tickWall)
		g.procs = g.decide(*now, tickWall, time.Duration(t.load*float64(tickWall)), t.wait)
		out[i] = g.procs
	}
	return out
}

func newGovernor(procs int) *governor {
	o := Options{Max: 4}
	o.defaults()
	return &governor{opts: o, procs: procs, hold: o.Hold}
}

// firstChange is the index of the first tick after which the processors were not from, or -1.
func firstChange(out []int, from int) int {
	for i, p := range out {
		if p != from {
			return i
		}
	}
	return -1
}

func TestDecide(t *testing.T) {
	queued := tick{load: 0.95, wait: true}
	for _, c := range []struct {
		name  string
		procs int
		ticks []tick
		// the index of the tick after which the processors first changed (-1: never), and
		// the processors after the last tick
		change, final int
	}{
		// One busy session uses 0.5-1.3 of a core on every processor (the wake-ups count):
		// one processor once a window of 1 s (100 ticks) averaged under 1.5 cores.
		{"one session drops after a window", 4, cat(repeat(100, tick{load: 1.3}), repeat(200, tick{load: 0.6})), 99, 1},
		{"idle drops", 4, repeat(150, tick{}), 99, 1},
		{"two cores of work stays", 4, repeat(300, tick{load: 2}), -1, 4},
		{"1.6 cores on average stays", 4, cat(repeat(50, tick{load: 0.2}), repeat(50, tick{load: 3}), repeat(200, tick{load: 1.6})), -1, 4},
		// One processor: a session's bursts over RaiseAt with nothing queued stay.
		{"one session on one processor stays", 1,
			cat(repeat(50, tick{load: 0.6}), repeat(4, tick{load: 0.85}), repeat(50, tick{load: 0.6})), -1, 1},
		{"a wait without load stays", 1, repeat(50, tick{load: 0.3, wait: true}), -1, 1},
		// Work queued behind work on a busy processor: raised on the second such tick.
		{"queued work raises", 1, cat(repeat(10, tick{load: 0.5}), repeat(5, queued)), 11, 4},
		// A long computation saturates the processor: raised after SaturatedTicks ticks.
		{"saturated raises", 1, cat(repeat(3, tick{load: 0.2}), repeat(10, tick{load: 1})), 7, 4},
		{"saturated briefly stays", 1, cat(repeat(4, tick{load: 1}), repeat(1, tick{load: 0.5}), repeat(4, tick{load: 1})), -1, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			g := newGovernor(c.procs)
			now := time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)
			out := feed(g, &now, c.ticks)
			if got := firstChange(out, c.procs); got != c.change {
				t.Errorf("first change after tick %d, want %d (processors %v)", got, c.change, out)
			}
			if got := out[len(out)-1]; got != c.final {
				t.Errorf("processors at the end %d, want %d", got, c.final)
			}
		})
	}
}

// TestDecideQueuedApart: queued ticks separated by one that is not never raise.
func TestDecideQueuedApart(t *testing.T) {
	g := newGovernor(1)
	now := time.Now()
	var ticks []tick
	for range 50 {
		ticks = append(ticks, tick{load: 0.95, wait: true}, tick{load: 0.5, wait: true})
	}
	if out := feed(g, &now, ticks); firstChange(out, 1) != -1 {
		t.Errorf("raised: %v", out)
	}
}

// TestDecideFlapping: a load that needs more than one processor but averages under a core
// on Max is probed (dropped, raised two ticks later); each raise soon after a drop doubles the
// time before the next drop, up to MaxHold; a raise long after a drop starts again from Hold.
func TestDecideFlapping(t *testing.T) {
	g := newGovernor(4)
	now := time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)
	queued := []tick{{load: 0.95, wait: true}, {load: 0.95, wait: true}}
	var held []time.Duration
	for range 9 {
		raised := now
		for g.procs != 1 {
			feed(g, &now, []tick{{load: 0.7}})
		}
		held = append(held, now.Sub(raised))
		feed(g, &now, queued)
		if g.procs != 4 {
			t.Fatalf("not raised by queued work")
		}
	}
	// The first drop comes after one window; then 2 s, 4 s, ... (a window's multiple), 60 s.
	want := []time.Duration{1, 2, 4, 8, 16, 32, 60, 60, 60}
	for i := range want {
		want[i] *= time.Second
	}
	for i, h := range held {
		if h < want[i] || h > want[i]+time.Second {
			t.Errorf("drop %d after %v on Max, want %v (all: %v)", i, h, want[i], held)
		}
	}
	// A raise long after the last drop (over 4 holds: 5 minutes on one processor) holds
	// for Hold again.
	for g.procs != 1 {
		feed(g, &now, []tick{{load: 0.5}})
	}
	feed(g, &now, repeat(30_000, tick{load: 0.5}))
	feed(g, &now, queued)
	raised := now
	for g.procs != 1 {
		feed(g, &now, []tick{{load: 0.5}})
	}
	if h := now.Sub(raised); h > 2*time.Second {
		t.Errorf("drop after %v on Max after a quiet spell, want Hold (1 s) rounded to a window", h)
	}
}

// fakeCPU is a process using Load cores, whatever the clock does.
type fakeCPU struct {
	mu   sync.Mutex
	last time.Time
	used time.Duration
	load atomic.Uint64 // math.Float64bits
	wait atomic.Bool
}

func (f *fakeCPU) set(load float64, wait bool) {
	f.load.Store(math.Float64bits(load))
	f.wait.Store(wait)
}

func (f *fakeCPU) cpu() time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := time.Now()
	if !f.last.IsZero() {
		f.used += time.Duration(math.Float64frombits(f.load.Load()) * float64(now.Sub(f.last)))
	}
	f.last = now
	return f.used
}

// waitProcs polls GOMAXPROCS until it is n (the governor's ticks are milliseconds; the
// deadline only bounds a broken governor).
func waitProcs(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for runtime.GOMAXPROCS(0) != n {
		if time.Now().After(deadline) {
			t.Fatalf("GOMAXPROCS %d, want %d", runtime.GOMAXPROCS(0), n)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestGovernorSetsGOMAXPROCS: the running governor sets the runtime's processors from its
// samples, and stop sets Max again; a second governor in the process changes nothing.
func TestGovernorSetsGOMAXPROCS(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(3))
	f := &fakeCPU{}
	f.set(0.5, false)
	var changes atomic.Int32
	stop := start(Options{Max: 3, Tick: time.Millisecond, IdleTick: time.Millisecond,
		DropWindow: 20 * time.Millisecond, Hold: 20 * time.Millisecond,
		Changed: func(int, float64) { changes.Add(1) }}, f.cpu, f.wait.Load)
	defer stop()
	waitProcs(t, 1)
	if changes.Load() != 1 {
		t.Errorf("Changed called %d times, want 1", changes.Load())
	}
	f.set(1, true)
	waitProcs(t, 3)
	f.set(0.2, false)
	waitProcs(t, 1)

	// A second governor (another server in the process) is a no-op.
	stop2 := start(Options{Max: 2}, f.cpu, f.wait.Load)
	stop2()
	if got := runtime.GOMAXPROCS(0); got != 1 {
		t.Errorf("GOMAXPROCS %d after the second governor's stop, want the first's 1", got)
	}
	stop()
	if got := runtime.GOMAXPROCS(0); got != 3 {
		t.Errorf("GOMAXPROCS %d after stop, want Max 3", got)
	}
}

// TestProcessCPU: the process's CPU time grows with work done.
func TestProcessCPU(t *testing.T) {
	if !canReadCPU {
		t.Skip("no getrusage here")
	}
	before := processCPU()
	deadline := time.Now().Add(20 * time.Second)
	x := 0
	for processCPU()-before < 5*time.Millisecond {
		if time.Now().After(deadline) {
			t.Fatalf("CPU time grew %v in 20 s of a busy loop", processCPU()-before)
		}
		for i := range 100_000 {
			x += i
		}
	}
	_ = x
}

// TestLongWaits: goroutines kept from running for 5 ms behind a busy one on one processor
// are seen in the runtime's scheduling latencies.
func TestLongWaits(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	l := newLatencies()
	l.longWaits()
	var wg sync.WaitGroup
	// The runtime tracks the latency of one scheduling in 8; many goroutines make it certain.
	for range 64 {
		wg.Add(1)
		go func() { wg.Done() }()
	}
	end := time.Now().Add(5 * time.Millisecond)
	for time.Now().Before(end) {
	}
	wg.Wait()
	if !l.longWaits() {
		t.Errorf("no scheduling latency of %v or more seen", LongWait)
	}
	if l.longWaits() {
		t.Errorf("a second read saw long waits again with none since")
	}
}
