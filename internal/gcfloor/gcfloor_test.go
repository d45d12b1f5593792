package gcfloor

import (
	"os"
	"runtime"
	"runtime/debug"
	"testing"
)

func TestPercent(t *testing.T) {
	const mb = 1 << 20
	for _, c := range []struct {
		live, floor uint64
		want        int
	}{
		{2 * mb, 32 * mb, 850},     // small heap: the heap minimum (4 MB x 8.5) gives 32 MB of headroom
		{8 * mb, 32 * mb, 400},     // 8 MB x (1 + 4)
		{32 * mb, 32 * mb, Base},   // headroom equal to the live heap: GOGC=100 gives it
		{48 * mb, 32 * mb, 66},     // 32 MB of headroom: less than doubling
		{300 * mb, 32 * mb, Large}, // big heap: half of it as headroom
		{0, 32 * mb, 800},
	} {
		if got := Percent(c.live, c.floor); got != c.want {
			t.Errorf("Percent(%d, %d) = %d, want %d", c.live, c.floor, got, c.want)
		}
	}
}

var sink []byte

// churn allocates n bytes of short-lived garbage in 4 KB pieces, as a server's requests do.
func churn(n int) {
	for range n / 4096 {
		sink = make([]byte, 4096)
	}
	sink = nil
}

// collections counts the collections while n bytes of garbage are allocated.
func collections(n int) uint32 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	churn(n)
	runtime.ReadMemStats(&after)
	return after.NumGC - before.NumGC
}

// TestFloorCutsCollections: with a small live heap, 256 MB of garbage costs dozens of
// collections at GOGC=100 and about one per 64 MB with a 64 MB floor; stop restores GOGC=100.
func TestFloorCutsCollections(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates 512 MB of garbage")
	}
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		t.Skip("GOGC or GOMEMLIMIT is set: the collection counts below assume the defaults")
	}
	defer debug.SetGCPercent(debug.SetGCPercent(Base))
	const total = 256 << 20
	runtime.GC()
	without := collections(total)

	stop := Start(64 << 20)
	runtime.GC() // a cycle for the tuner to see the live heap
	runtime.GC()
	with := collections(total)
	stop()

	t.Logf("collections for 256 MB of garbage: %d at GOGC=100, %d with a 64 MB floor", without, with)
	if without < 16 {
		t.Fatalf("GOGC=100 ran %d collections for 256 MB with a small live heap; expected dozens", without)
	}
	if with < 2 || with > 8 {
		t.Fatalf("with a 64 MB floor: %d collections for 256 MB (GOGC=100: %d); expected about 4 (one per ~64 MB)", with, without)
	}
	if p := debug.SetGCPercent(Base); p != Base {
		t.Fatalf("GOGC after stop = %d, want %d", p, Base)
	}
}
