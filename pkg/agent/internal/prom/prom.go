// Package prom is the agent's metrics registry: counters, gauges and histograms, with or
// without labels, metrics computed at each scrape, and the Go runtime's (go_*) and the
// process's (process_*) standard metrics, served in the Prometheus text exposition format
// (version 0.0.4), which every Prometheus-compatible scraper reads.
//
// It replaces prometheus/client_golang in the ncws binary. That library's packages (with
// protobuf, its metric model, expfmt and procfs) run their initialisation in every ncws process
// — `ncws validate` and `ncws gen` included, where no metric is ever read — and that cost about
// 3 MB of resident memory per process (docs/PERFORMANCE.md, "The process floor"). The agent
// needs a small fixed set of metrics and one exposition format, which this package writes in a
// few hundred lines.
//
// Counting is lock-free and allocates nothing (atomic adds); a scrape takes a consistent enough
// snapshot: a histogram's count is the sum of its buckets, so its +Inf bucket always equals its
// count.
//
//	r := prom.NewRegistry()
//	rpcs := r.NewCounterVec("app_rpcs_total", "Rpcs answered.", "operation")
//	ok := rpcs.With("get")
//	ok.Inc()
//	http.Handle("/metrics", r.Handler())
package prom

import (
	"bytes"
	"compress/gzip"
	"io"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// Type is a metric family's type, as the exposition format's TYPE line names it.
type Type string

// The metric types.
const (
	CounterType   Type = "counter"
	GaugeType     Type = "gauge"
	HistogramType Type = "histogram"
	SummaryType   Type = "summary"
)

// ContentType is the media type of the text exposition format the Handler serves.
const ContentType = "text/plain; version=0.0.4; charset=utf-8"

// Registry holds metric families and writes them, sorted by name.
type Registry struct {
	mu       sync.Mutex
	families map[string]*family
	groups   []func(e *Emitter) // collectors writing several families from one reading
}

// family is one registered metric family.
type family struct {
	name, help string
	typ        Type
	labels     []string
	collect    func(e *Emitter) // writes the family's series
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{families: map[string]*family{}} }

// register adds a family; a name registered twice is a programming error.
func (r *Registry) register(f *family) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.families[f.name]; dup {
		panic("prom: metric " + f.name + " registered twice")
	}
	r.families[f.name] = f
}

// Collect registers a family whose series collect writes at each scrape, through
// Emitter.Sample (one call per series, label values in the order of labels).
func (r *Registry) Collect(name, help string, typ Type, labels []string, collect func(e *Emitter)) {
	r.register(&family{name: name, help: help, typ: typ, labels: labels, collect: collect})
}

// CollectGroup registers collect, which writes several families from one reading (of the
// runtime's statistics, of /proc): each through Emitter.Family then its samples. Its family
// names must not be registered otherwise.
func (r *Registry) CollectGroup(collect func(e *Emitter)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.groups = append(r.groups, collect)
}

// CounterFunc registers a counter without labels whose value f gives at each scrape.
func (r *Registry) CounterFunc(name, help string, f func() float64) {
	r.Collect(name, help, CounterType, nil, func(e *Emitter) { e.Sample(f()) })
}

// Counter is a monotonically increasing value. Its methods are safe for concurrent use.
type Counter struct {
	n    atomic.Uint64 // Inc's count
	bits atomic.Uint64 // Add's sum, float64 bits
}

// Inc adds 1.
func (c *Counter) Inc() { c.n.Add(1) }

// Add adds v, which must not be negative (a negative v is ignored: a counter never goes down).
func (c *Counter) Add(v float64) {
	if v < 0 || math.IsNaN(v) {
		return
	}
	addFloat(&c.bits, v)
}

// Value is the counter's value.
func (c *Counter) Value() float64 {
	return float64(c.n.Load()) + math.Float64frombits(c.bits.Load())
}

// Gauge is a value that goes up and down. Its methods are safe for concurrent use.
type Gauge struct{ bits atomic.Uint64 }

// Set sets the gauge to v.
func (g *Gauge) Set(v float64) { g.bits.Store(math.Float64bits(v)) }

// Inc adds 1.
func (g *Gauge) Inc() { addFloat(&g.bits, 1) }

// Dec subtracts 1.
func (g *Gauge) Dec() { addFloat(&g.bits, -1) }

// Value is the gauge's value.
func (g *Gauge) Value() float64 { return math.Float64frombits(g.bits.Load()) }

// addFloat adds v to the float64 whose bits p holds.
func addFloat(p *atomic.Uint64, v float64) {
	for {
		old := p.Load()
		if p.CompareAndSwap(old, math.Float64bits(math.Float64frombits(old)+v)) {
			return
		}
	}
}

// Histogram counts observations in buckets of fixed upper bounds. Its methods are safe for
// concurrent use.
type Histogram struct {
	upper  []float64       // the buckets' upper bounds, ascending, without +Inf
	counts []atomic.Uint64 // per bucket (not cumulative), the last one +Inf's
	sum    atomic.Uint64   // float64 bits
}

func newHistogram(upper []float64) *Histogram {
	return &Histogram{upper: upper, counts: make([]atomic.Uint64, len(upper)+1)}
}

// Observe adds one observation of v.
func (h *Histogram) Observe(v float64) {
	i, _ := slices.BinarySearch(h.upper, v) // the first bound >= v: le is inclusive
	h.counts[i].Add(1)
	addFloat(&h.sum, v)
}

// Count is the number of observations.
func (h *Histogram) Count() uint64 {
	var n uint64
	for i := range h.counts {
		n += h.counts[i].Load()
	}
	return n
}

// vec is the series of a family with labels, made on first use of their label values.
type vec[T any] struct {
	labels []string
	make   func() *T
	mu     sync.Mutex
	series map[string]*series[T]
}

type series[T any] struct {
	values []string
	m      *T
}

func newVec[T any](labels []string, mk func() *T) *vec[T] {
	return &vec[T]{labels: labels, make: mk, series: map[string]*series[T]{}}
}

// with returns the series of the label values, made if new. It panics when their number is not
// the family's number of labels (a programming error).
func (v *vec[T]) with(values []string) *T {
	if len(values) != len(v.labels) {
		panic("prom: " + strconv.Itoa(len(values)) + " label values for " + strconv.Itoa(len(v.labels)) + " labels")
	}
	key := strings.Join(values, "\xff")
	v.mu.Lock()
	defer v.mu.Unlock()
	s := v.series[key]
	if s == nil {
		s = &series[T]{values: slices.Clone(values), m: v.make()}
		v.series[key] = s
	}
	return s.m
}

// each calls f for every series, sorted by label values.
func (v *vec[T]) each(f func(values []string, m *T)) {
	v.mu.Lock()
	all := make([]*series[T], 0, len(v.series))
	for _, s := range v.series {
		all = append(all, s)
	}
	v.mu.Unlock()
	slices.SortFunc(all, func(a, b *series[T]) int { return slices.Compare(a.values, b.values) })
	for _, s := range all {
		f(s.values, s.m)
	}
}

// CounterVec is a counter family with labels.
type CounterVec struct{ v *vec[Counter] }

// With returns the counter of the label values (in the order of the family's labels).
func (c *CounterVec) With(values ...string) *Counter { return c.v.with(values) }

// NewCounterVec registers a counter family with the labels.
func (r *Registry) NewCounterVec(name, help string, labels ...string) *CounterVec {
	c := &CounterVec{newVec(labels, func() *Counter { return new(Counter) })}
	r.Collect(name, help, CounterType, labels, func(e *Emitter) {
		c.v.each(func(values []string, m *Counter) { e.Sample(m.Value(), values...) })
	})
	return c
}

// GaugeVec is a gauge family with labels.
type GaugeVec struct{ v *vec[Gauge] }

// With returns the gauge of the label values (in the order of the family's labels).
func (g *GaugeVec) With(values ...string) *Gauge { return g.v.with(values) }

// NewGaugeVec registers a gauge family with the labels.
func (r *Registry) NewGaugeVec(name, help string, labels ...string) *GaugeVec {
	g := &GaugeVec{newVec(labels, func() *Gauge { return new(Gauge) })}
	r.Collect(name, help, GaugeType, labels, func(e *Emitter) {
		g.v.each(func(values []string, m *Gauge) { e.Sample(m.Value(), values...) })
	})
	return g
}

// HistogramVec is a histogram family with labels.
type HistogramVec struct{ v *vec[Histogram] }

// With returns the histogram of the label values (in the order of the family's labels).
func (h *HistogramVec) With(values ...string) *Histogram { return h.v.with(values) }

// NewHistogramVec registers a histogram family with the labels and the buckets' upper bounds
// (ascending; +Inf is implied).
func (r *Registry) NewHistogramVec(name, help string, buckets []float64, labels ...string) *HistogramVec {
	if !slices.IsSorted(buckets) {
		panic("prom: buckets of " + name + " not ascending")
	}
	buckets = slices.Clone(buckets)
	h := &HistogramVec{newVec(labels, func() *Histogram { return newHistogram(buckets) })}
	r.Collect(name, help, HistogramType, labels, func(e *Emitter) {
		h.v.each(func(values []string, m *Histogram) {
			cum := make([]uint64, len(m.counts))
			var n uint64
			for i := range m.counts {
				n += m.counts[i].Load()
				cum[i] = n
			}
			e.histogram(values, m.upper, cum, math.Float64frombits(m.sum.Load()))
		})
	})
	return h
}

// Emitter writes the series of families in the text exposition format.
type Emitter struct {
	b      []byte
	cur    *family
	starts []start // where each family's text starts in b
}

type start struct {
	name string
	off  int
}

// Family starts a family of a group collector (Registry.CollectGroup): the samples that follow
// are its series.
func (e *Emitter) Family(name, help string, typ Type, labels ...string) {
	f := &family{name: name, help: help, typ: typ, labels: labels}
	e.header(f)
}

func (e *Emitter) header(f *family) {
	e.cur = f
	e.starts = append(e.starts, start{f.name, len(e.b)})
	e.b = append(e.b, "# HELP "...)
	e.b = append(e.b, f.name...)
	e.b = append(e.b, ' ')
	e.b = appendEscaped(e.b, f.help, false)
	e.b = append(e.b, "\n# TYPE "...)
	e.b = append(e.b, f.name...)
	e.b = append(e.b, ' ')
	e.b = append(e.b, f.typ...)
	e.b = append(e.b, '\n')
}

// Sample writes one series of the current family: its value, and its label values in the
// order of the family's labels.
func (e *Emitter) Sample(v float64, values ...string) {
	e.line("", e.cur.labels, values, "", "", v)
}

// Gauge writes a family of one unlabelled gauge sample.
func (e *Emitter) Gauge(name, help string, v float64) {
	e.Family(name, help, GaugeType)
	e.Sample(v)
}

// Counter writes a family of one unlabelled counter sample.
func (e *Emitter) Counter(name, help string, v float64) {
	e.Family(name, help, CounterType)
	e.Sample(v)
}

// Summary writes one summary series of the current family (of type SummaryType): the values at
// the quantiles, the sum and the count of its observations.
func (e *Emitter) Summary(quantiles, at []float64, sum float64, count uint64, values ...string) {
	for i, q := range quantiles {
		e.line("", e.cur.labels, values, "quantile", formatFloat(q), at[i])
	}
	e.line("_sum", e.cur.labels, values, "", "", sum)
	e.line("_count", e.cur.labels, values, "", "", float64(count))
}

// histogram writes one histogram series: cumulative bucket counts (the last +Inf's).
func (e *Emitter) histogram(values []string, upper []float64, cum []uint64, sum float64) {
	for i, n := range cum {
		le := "+Inf"
		if i < len(upper) {
			le = formatFloat(upper[i])
		}
		e.line("_bucket", e.cur.labels, values, "le", le, float64(n))
	}
	e.line("_sum", e.cur.labels, values, "", "", sum)
	e.line("_count", e.cur.labels, values, "", "", float64(cum[len(cum)-1]))
}

// line writes name+suffix{labels,extra} value.
func (e *Emitter) line(suffix string, labels, values []string, extra, extraValue string, v float64) {
	e.b = append(e.b, e.cur.name...)
	e.b = append(e.b, suffix...)
	if len(labels) > 0 || extra != "" {
		e.b = append(e.b, '{')
		for i, l := range labels {
			if i > 0 {
				e.b = append(e.b, ',')
			}
			e.b = append(e.b, l...)
			e.b = append(e.b, `="`...)
			if i < len(values) {
				e.b = appendEscaped(e.b, values[i], true)
			}
			e.b = append(e.b, '"')
		}
		if extra != "" {
			if len(labels) > 0 {
				e.b = append(e.b, ',')
			}
			e.b = append(e.b, extra...)
			e.b = append(e.b, `="`...)
			e.b = append(e.b, extraValue...)
			e.b = append(e.b, '"')
		}
		e.b = append(e.b, '}')
	}
	e.b = append(e.b, ' ')
	e.b = append(e.b, formatFloat(v)...)
	e.b = append(e.b, '\n')
}

// appendEscaped appends s escaped as the format requires: backslash and newline in HELP text,
// and the double quote too in a label value.
func appendEscaped(b []byte, s string, quote bool) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\':
			b = append(b, `\\`...)
		case c == '\n':
			b = append(b, `\n`...)
		case c == '"' && quote:
			b = append(b, `\"`...)
		default:
			b = append(b, c)
		}
	}
	return b
}

// formatFloat formats v as the format writes numbers: shortest representation, +Inf, -Inf and
// NaN by name.
func formatFloat(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case math.IsNaN(v):
		return "NaN"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// Write writes every family, sorted by name, in the text exposition format.
func (r *Registry) Write(w io.Writer) error {
	r.mu.Lock()
	fams := make([]*family, 0, len(r.families))
	for _, f := range r.families {
		fams = append(fams, f)
	}
	groups := slices.Clone(r.groups)
	r.mu.Unlock()

	// Each family's text is made on its own, then all are written in name order.
	type block struct {
		name string
		text []byte
	}
	var blocks []block
	for _, f := range fams {
		e := &Emitter{}
		e.header(f)
		f.collect(e)
		blocks = append(blocks, block{f.name, e.b})
	}
	for _, g := range groups {
		e := &Emitter{}
		g(e)
		for i, st := range e.starts {
			end := len(e.b)
			if i+1 < len(e.starts) {
				end = e.starts[i+1].off
			}
			blocks = append(blocks, block{st.name, e.b[st.off:end]})
		}
	}
	slices.SortFunc(blocks, func(a, b block) int { return strings.Compare(a.name, b.name) })
	for _, b := range blocks {
		if _, err := w.Write(b.text); err != nil {
			return err
		}
	}
	return nil
}

// Handler serves the registry in the text exposition format, gzip-compressed when the client
// accepts it.
func (r *Registry) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		var buf bytes.Buffer
		if err := r.Write(&buf); err != nil {
			http.Error(w, "metrics: "+err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", ContentType)
		w.Header().Add("Vary", "Accept-Encoding")
		if acceptsGzip(req.Header.Get("Accept-Encoding")) {
			w.Header().Set("Content-Encoding", "gzip")
			zw := gzip.NewWriter(w)
			_, _ = buf.WriteTo(zw)
			_ = zw.Close()
			return
		}
		w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
		_, _ = buf.WriteTo(w)
	})
}

// acceptsGzip reports whether an Accept-Encoding header value accepts gzip (not with q=0).
func acceptsGzip(h string) bool {
	for part := range strings.SplitSeq(h, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			continue
		}
		if q, ok := strings.CutPrefix(strings.ReplaceAll(params, " ", ""), "q="); ok {
			if f, err := strconv.ParseFloat(q, 64); err == nil && f == 0 {
				return false
			}
		}
		return true
	}
	return false
}
