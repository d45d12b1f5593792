package prom

import (
	"bytes"
	"compress/gzip"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// write returns r's exposition text.
func write(t *testing.T, r *Registry) string {
	t.Helper()
	var b bytes.Buffer
	if err := r.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// parse parses exposition text with Prometheus's own parser (which refuses a family declared
// twice, a sample of an undeclared type, bad escapes and bad numbers).
func parse(t *testing.T, text string) map[string]*dto.MetricFamily {
	t.Helper()
	p := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := p.TextToMetricFamilies(strings.NewReader(text))
	if err != nil {
		t.Fatalf("Prometheus's parser refuses the output: %v\n%s", err, text)
	}
	return mfs
}

// TestExposition pins the text of every kind of family: names sorted, series sorted by label
// values, escapes, histogram buckets cumulative with le inclusive, numbers as the format
// writes them.
func TestExposition(t *testing.T) {
	r := NewRegistry()
	rpcs := r.NewCounterVec("t_rpcs_total", "Rpcs by operation\\outcome,\nsecond line.", "operation", "outcome")
	rpcs.With("get", "ok").Inc()
	rpcs.With("get", "ok").Add(2.5)
	rpcs.With("edit", "error").Inc()
	rpcs.With("a\"b\\c\nd", "ok")
	g := r.NewGaugeVec("t_sessions", "Sessions.", "transport")
	g.With("ssh").Inc()
	g.With("ssh").Inc()
	g.With("ssh").Dec()
	g.With("ws").Set(1e21)
	h := r.NewHistogramVec("t_seconds", "Durations.", []float64{0.25, 0.5, 1}, "op")
	for _, v := range []float64{0.125, 0.25, 0.75, 1, 3} {
		h.With("x").Observe(v)
	}
	r.CounterFunc("t_func_total", "A computed counter.", func() float64 { return 7 })
	r.Collect("t_inf", "Special values.", GaugeType, []string{"k"}, func(e *Emitter) {
		e.Sample(math.Inf(1), "inf")
		e.Sample(math.Inf(-1), "minus")
		e.Sample(math.NaN(), "nan")
	})
	r.CollectGroup(func(e *Emitter) {
		e.Family("t_b_summary", "A summary.", SummaryType)
		e.Summary([]float64{0, 0.5, 1}, []float64{1, 2, 3}, 6, 3)
		e.Family("a_first", "Sorted before every other family.", GaugeType)
		e.Sample(-0.25)
	})
	got := write(t, r)
	want := `# HELP a_first Sorted before every other family.
# TYPE a_first gauge
a_first -0.25
# HELP t_b_summary A summary.
# TYPE t_b_summary summary
t_b_summary{quantile="0"} 1
t_b_summary{quantile="0.5"} 2
t_b_summary{quantile="1"} 3
t_b_summary_sum 6
t_b_summary_count 3
# HELP t_func_total A computed counter.
# TYPE t_func_total counter
t_func_total 7
# HELP t_inf Special values.
# TYPE t_inf gauge
t_inf{k="inf"} +Inf
t_inf{k="minus"} -Inf
t_inf{k="nan"} NaN
# HELP t_rpcs_total Rpcs by operation\\outcome,\nsecond line.
# TYPE t_rpcs_total counter
t_rpcs_total{operation="a\"b\\c\nd",outcome="ok"} 0
t_rpcs_total{operation="edit",outcome="error"} 1
t_rpcs_total{operation="get",outcome="ok"} 3.5
# HELP t_seconds Durations.
# TYPE t_seconds histogram
t_seconds_bucket{op="x",le="0.25"} 2
t_seconds_bucket{op="x",le="0.5"} 2
t_seconds_bucket{op="x",le="1"} 4
t_seconds_bucket{op="x",le="+Inf"} 5
t_seconds_sum{op="x"} 5.125
t_seconds_count{op="x"} 5
# HELP t_sessions Sessions.
# TYPE t_sessions gauge
t_sessions{transport="ssh"} 1
t_sessions{transport="ws"} 1e+21
`
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("exposition mismatch (-want +got):\n%s", diff)
	}
	mfs := parse(t, got)
	if v := mfs["t_rpcs_total"].Metric[0].Label[0].GetValue(); v != "a\"b\\c\nd" {
		t.Errorf("label value read back as %q", v)
	}
	if hist := mfs["t_seconds"].Metric[0].Histogram; hist.GetSampleCount() != 5 || hist.GetSampleSum() != 5.125 {
		t.Errorf("histogram read back as count %d sum %v", hist.GetSampleCount(), hist.GetSampleSum())
	}
}

// TestCountNegative: a counter never goes down.
func TestCountNegative(t *testing.T) {
	var c Counter
	c.Add(2)
	c.Add(-1)
	c.Add(math.NaN())
	if v := c.Value(); v != 2 {
		t.Errorf("counter = %v, want 2", v)
	}
}

// TestConcurrent counts from many goroutines at once (run with -race): nothing is lost.
func TestConcurrent(t *testing.T) {
	r := NewRegistry()
	c := r.NewCounterVec("c_total", "c", "k")
	h := r.NewHistogramVec("h_seconds", "h", []float64{1, 2}, "k")
	var g Gauge
	var wg sync.WaitGroup
	const workers, each = 8, 1000
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				c.With("a").Inc()
				c.With("a").Add(0.5)
				h.With("a").Observe(float64(i % 3))
				g.Inc()
				g.Dec()
				if i%100 == 0 {
					_ = write(t, r) // scrapes while counting
				}
			}
			_ = w
		}()
	}
	wg.Wait()
	if v := c.With("a").Value(); v != workers*each*1.5 {
		t.Errorf("counter = %v, want %v", v, workers*each*1.5)
	}
	if n := h.With("a").Count(); n != workers*each {
		t.Errorf("histogram count = %d, want %d", n, workers*each)
	}
	if v := g.Value(); v != 0 {
		t.Errorf("gauge = %v, want 0", v)
	}
}

// TestCountAllocs: counting and observing allocate nothing.
func TestCountAllocs(t *testing.T) {
	r := NewRegistry()
	c := r.NewCounterVec("c_total", "c", "k").With("a")
	h := r.NewHistogramVec("h_seconds", "h", []float64{.1, 1, 10}, "k").With("a")
	g := r.NewGaugeVec("g", "g", "k").With("a")
	if n := testing.AllocsPerRun(1000, func() {
		c.Inc()
		c.Add(2)
		h.Observe(0.5)
		g.Inc()
		g.Set(3)
	}); n != 0 {
		t.Errorf("%v allocations per count, want 0", n)
	}
}

// TestHandler serves a registry over a real socket: the text format's content type, gzip when
// the client accepts it, identity when it refuses it.
func TestHandler(t *testing.T) {
	r := NewRegistry()
	r.NewCounterVec("c_total", "c", "k").With("v").Inc()
	srv := httptest.NewServer(r.Handler())
	defer srv.Close()
	tr := &http.Transport{DisableCompression: true}
	defer tr.CloseIdleConnections()
	for _, c := range []struct {
		accept string
		gzip   bool
	}{{"", false}, {"gzip", true}, {"deflate, gzip;q=0.5", true}, {"gzip;q=0", false}, {"br", false}} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
		if c.accept != "" {
			req.Header.Set("Accept-Encoding", c.accept)
		}
		res, err := tr.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		var body io.Reader = res.Body
		if got := res.Header.Get("Content-Encoding") == "gzip"; got != c.gzip {
			t.Errorf("Accept-Encoding %q: gzip %v, want %v", c.accept, got, c.gzip)
		}
		if c.gzip {
			zr, err := gzip.NewReader(res.Body)
			if err != nil {
				t.Fatal(err)
			}
			body = zr
		}
		b, err := io.ReadAll(body)
		res.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if ct := res.Header.Get("Content-Type"); ct != ContentType {
			t.Errorf("Content-Type %q, want %q", ct, ContentType)
		}
		if want := "# HELP c_total c\n# TYPE c_total counter\nc_total{k=\"v\"} 1\n"; string(b) != want {
			t.Errorf("Accept-Encoding %q: body %q, want %q", c.accept, b, want)
		}
	}
}

// TestGoAndProcess: the runtime's and the process's metrics parse, under the names scrapers
// know, with values that describe this process.
func TestGoAndProcess(t *testing.T) {
	r := NewRegistry()
	r.RegisterGo()
	r.RegisterProcess()
	runtime.GC()
	mfs := parse(t, write(t, r))
	gauge := func(name string) float64 {
		t.Helper()
		mf := mfs[name]
		if mf == nil || len(mf.Metric) != 1 {
			t.Fatalf("no single series %s", name)
		}
		switch m := mf.Metric[0]; {
		case m.Gauge != nil:
			return m.Gauge.GetValue()
		case m.Counter != nil:
			return m.Counter.GetValue()
		}
		t.Fatalf("%s is neither a gauge nor a counter", name)
		return 0
	}
	if n := gauge("go_goroutines"); n < 1 {
		t.Errorf("go_goroutines = %v", n)
	}
	if v := mfs["go_info"].Metric[0].Label[0].GetValue(); v != runtime.Version() {
		t.Errorf("go_info version %q, want %q", v, runtime.Version())
	}
	if s := mfs["go_gc_duration_seconds"].Metric[0].Summary; s.GetSampleCount() < 1 || len(s.Quantile) != 5 {
		t.Errorf("go_gc_duration_seconds after a GC: %v", s)
	}
	if v := gauge("go_memstats_heap_alloc_bytes"); v <= 0 {
		t.Errorf("go_memstats_heap_alloc_bytes = %v", v)
	}
	if v := gauge("go_sched_gomaxprocs_threads"); v != float64(runtime.GOMAXPROCS(0)) {
		t.Errorf("go_sched_gomaxprocs_threads = %v, want %d", v, runtime.GOMAXPROCS(0))
	}
	if runtime.GOOS != "linux" {
		return
	}
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc")
	}
	if v := gauge("process_resident_memory_bytes"); v < 1<<20 {
		t.Errorf("process_resident_memory_bytes = %v", v)
	}
	now := float64(time.Now().Unix())
	if v := gauge("process_start_time_seconds"); v > now+1 || v < now-24*3600 {
		t.Errorf("process_start_time_seconds = %v, now %v", v, now)
	}
	if v := gauge("process_open_fds"); v < 3 {
		t.Errorf("process_open_fds = %v", v)
	}
	for _, name := range []string{"process_cpu_seconds_total", "process_max_fds", "process_virtual_memory_bytes", "process_virtual_memory_max_bytes"} {
		if v := gauge(name); v < 0 {
			t.Errorf("%s = %v", name, v)
		}
	}
}
