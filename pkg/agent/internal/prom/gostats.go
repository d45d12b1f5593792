package prom

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// RegisterGo registers the Go runtime's metrics under the names Prometheus's Go client gives
// them (go_goroutines, go_threads, go_info, go_gc_duration_seconds, go_memstats_* ...), so
// dashboards made for Go programs work unchanged. They are read at each scrape, from one
// runtime.ReadMemStats (a pause of some microseconds) and runtime/metrics.
func (r *Registry) RegisterGo() {
	r.CollectGroup(collectGo)
}

// gcQuantiles are the quantiles of go_gc_duration_seconds (debug.ReadGCStats's minimum,
// quartiles and maximum).
var gcQuantiles = []float64{0, 0.25, 0.5, 0.75, 1}

func collectGo(e *Emitter) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	gc := debug.GCStats{PauseQuantiles: make([]time.Duration, len(gcQuantiles))}
	debug.ReadGCStats(&gc)
	rm := []metrics.Sample{{Name: "/gc/gogc:percent"}, {Name: "/gc/gomemlimit:bytes"}, {Name: "/sched/gomaxprocs:threads"}}
	metrics.Read(rm)
	threads, _ := runtime.ThreadCreateProfile(nil)

	at := make([]float64, len(gcQuantiles))
	for i, d := range gc.PauseQuantiles {
		at[i] = d.Seconds()
	}
	e.Family("go_gc_duration_seconds", "Stop-the-world pause times of garbage collections, in seconds.", SummaryType)
	e.Summary(gcQuantiles, at, gc.PauseTotal.Seconds(), uint64(gc.NumGC))
	e.Gauge("go_gc_gogc_percent", "The garbage collector's GOGC percent (GOGC, debug.SetGCPercent).", sampleValue(rm[0]))
	e.Gauge("go_gc_gomemlimit_bytes", "The Go runtime's memory limit in bytes (GOMEMLIMIT, debug.SetMemoryLimit).", sampleValue(rm[1]))
	e.Gauge("go_goroutines", "Goroutines that exist now.", float64(runtime.NumGoroutine()))
	e.Family("go_info", "The Go version the program was built with.", GaugeType, "version")
	e.Sample(1, runtime.Version())
	e.Gauge("go_memstats_alloc_bytes", "Bytes of heap objects in use (runtime.MemStats.Alloc).", float64(ms.Alloc))
	e.Counter("go_memstats_alloc_bytes_total", "Bytes allocated for heap objects since the start (runtime.MemStats.TotalAlloc).", float64(ms.TotalAlloc))
	e.Gauge("go_memstats_buck_hash_sys_bytes", "Bytes of the profiling bucket hash table (runtime.MemStats.BuckHashSys).", float64(ms.BuckHashSys))
	e.Counter("go_memstats_frees_total", "Heap objects freed since the start (runtime.MemStats.Frees).", float64(ms.Frees))
	e.Gauge("go_memstats_gc_sys_bytes", "Bytes of garbage collection metadata (runtime.MemStats.GCSys).", float64(ms.GCSys))
	e.Gauge("go_memstats_heap_alloc_bytes", "Bytes of heap objects in use (runtime.MemStats.HeapAlloc).", float64(ms.HeapAlloc))
	e.Gauge("go_memstats_heap_idle_bytes", "Bytes of heap spans holding no object (runtime.MemStats.HeapIdle).", float64(ms.HeapIdle))
	e.Gauge("go_memstats_heap_inuse_bytes", "Bytes of heap spans holding objects (runtime.MemStats.HeapInuse).", float64(ms.HeapInuse))
	e.Gauge("go_memstats_heap_objects", "Heap objects in use (runtime.MemStats.HeapObjects).", float64(ms.HeapObjects))
	e.Gauge("go_memstats_heap_released_bytes", "Bytes of heap returned to the operating system (runtime.MemStats.HeapReleased).", float64(ms.HeapReleased))
	e.Gauge("go_memstats_heap_sys_bytes", "Bytes of heap obtained from the operating system (runtime.MemStats.HeapSys).", float64(ms.HeapSys))
	e.Gauge("go_memstats_last_gc_time_seconds", "Unix time of the end of the last garbage collection, in seconds (0: none yet).", float64(ms.LastGC)/1e9)
	e.Counter("go_memstats_mallocs_total", "Heap objects allocated since the start (runtime.MemStats.Mallocs).", float64(ms.Mallocs))
	e.Gauge("go_memstats_mcache_inuse_bytes", "Bytes of mcache structures in use (runtime.MemStats.MCacheInuse).", float64(ms.MCacheInuse))
	e.Gauge("go_memstats_mcache_sys_bytes", "Bytes of mcache structures obtained from the operating system (runtime.MemStats.MCacheSys).", float64(ms.MCacheSys))
	e.Gauge("go_memstats_mspan_inuse_bytes", "Bytes of mspan structures in use (runtime.MemStats.MSpanInuse).", float64(ms.MSpanInuse))
	e.Gauge("go_memstats_mspan_sys_bytes", "Bytes of mspan structures obtained from the operating system (runtime.MemStats.MSpanSys).", float64(ms.MSpanSys))
	e.Gauge("go_memstats_next_gc_bytes", "Heap size at which the next garbage collection starts (runtime.MemStats.NextGC).", float64(ms.NextGC))
	e.Gauge("go_memstats_other_sys_bytes", "Bytes of other runtime allocations (runtime.MemStats.OtherSys).", float64(ms.OtherSys))
	e.Gauge("go_memstats_stack_inuse_bytes", "Bytes of goroutine stack spans in use (runtime.MemStats.StackInuse).", float64(ms.StackInuse))
	e.Gauge("go_memstats_stack_sys_bytes", "Bytes of stack memory obtained from the operating system (runtime.MemStats.StackSys).", float64(ms.StackSys))
	e.Gauge("go_memstats_sys_bytes", "Bytes obtained from the operating system in all (runtime.MemStats.Sys).", float64(ms.Sys))
	e.Gauge("go_sched_gomaxprocs_threads", "GOMAXPROCS: threads that may run Go code at once.", sampleValue(rm[2]))
	e.Gauge("go_threads", "Operating system threads created.", float64(threads))
}

// sampleValue is a runtime/metrics sample's value as a float (NaN when the runtime does not
// know the metric).
func sampleValue(s metrics.Sample) float64 {
	switch s.Value.Kind() {
	case metrics.KindUint64:
		return float64(s.Value.Uint64())
	case metrics.KindFloat64:
		return s.Value.Float64()
	}
	return math.NaN()
}
