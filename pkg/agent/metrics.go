package agent

import (
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/server"
)

// Label values of the metrics that are not an operation's name.
const (
	opAction  = "action"  // any YANG action (RFC 7950 section 7.15): one series, not one per action
	opUnknown = "unknown" // a message that named no operation the server knows
)

// latencyBuckets are the histograms' upper bounds in seconds: 100 µs to 30 s (a get-config
// answers in well under a millisecond; a commit waits for an fsync; a large edit takes seconds).
var latencyBuckets = []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}

// metrics are the agent's Prometheus metrics, in a registry of their own (not the global
// default): what Options.MetricsListen and the authenticated /metrics serve. They implement
// server.Observer; the counters of every operation the schema defines are resolved once, at
// New, so that an rpc costs a map lookup and three atomic updates and allocates nothing.
type metrics struct {
	reg *prometheus.Registry

	ops                 map[*schema.Node]*opMetrics // read-only after newMetrics
	action, unknown     *opMetrics
	sessions            *prometheus.GaugeVec
	sessionsTotal       *prometheus.CounterVec
	transportsMu        sync.Mutex
	transports          map[string]*transportMetrics
	commitOK, commitErr prometheus.Observer
	authFailures        *prometheus.CounterVec
}

type opMetrics struct {
	ok, failed prometheus.Counter
	latency    prometheus.Observer
}

type transportMetrics struct {
	active prometheus.Gauge
	total  prometheus.Counter
}

// newMetrics registers the metrics of an agent serving sch, over store and srv.
func newMetrics(sch *schema.Schema, store func() *datastore.Store, srv func() *server.Server) *metrics {
	m := &metrics{reg: prometheus.NewRegistry(), ops: map[*schema.Node]*opMetrics{}, transports: map[string]*transportMetrics{}}
	m.sessions = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "ncws_sessions", Help: "NETCONF sessions open now, by transport.",
	}, []string{"transport"})
	m.sessionsTotal = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "ncws_sessions_total", Help: "NETCONF sessions started, by transport.",
	}, []string{"transport"})
	rpcs := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "ncws_rpcs_total", Help: "NETCONF messages answered, by operation and outcome (ok, error: an rpc-error reply).",
	}, []string{"operation", "outcome"})
	latency := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "ncws_rpc_duration_seconds", Help: "Time from decoding an rpc to its reply being built, by operation.",
		Buckets: latencyBuckets,
	}, []string{"operation"})
	commits := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "ncws_commit_duration_seconds", Help: "Time of a commit to running (validation, device hooks, the journal's durable write), by outcome (ok, error: refused or not stored).",
		Buckets: latencyBuckets,
	}, []string{"outcome"})
	m.authFailures = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "ncws_auth_failures_total", Help: "Failed authentications, by method (basic, login, token, cert, ssh-password).",
	}, []string{"method"})
	overflows := prometheus.NewCounterFunc(prometheus.CounterOpts{
		Name: "ncws_notification_queue_overflows_total", Help: "Subscribers whose session was ended because their notification queue was full.",
	}, func() float64 {
		if s := srv(); s != nil {
			return float64(s.NotificationOverflows())
		}
		return 0
	})

	suspensions := prometheus.NewCounterFunc(prometheus.CounterOpts{
		Name: "ncws_subscription_suspensions_total", Help: "Dynamic subscriptions (RFC 8639) suspended because their session's notification queue was full.",
	}, func() float64 {
		if s := srv(); s != nil {
			return float64(s.SubscriptionSuspensions())
		}
		return 0
	})

	resolve := func(name string) *opMetrics {
		return &opMetrics{ok: rpcs.WithLabelValues(name, "ok"), failed: rpcs.WithLabelValues(name, "error"), latency: latency.WithLabelValues(name)}
	}
	// An operation's label is its name; an rpc whose name two modules define is module:name.
	names := map[string]int{}
	for _, mod := range sch.Modules {
		for _, r := range mod.RPCs {
			names[r.Name]++
		}
	}
	for _, mod := range sch.Modules {
		for _, r := range mod.RPCs {
			name := r.Name
			if names[name] > 1 {
				name = mod.Name + ":" + name
			}
			m.ops[r] = resolve(name)
		}
	}
	m.action, m.unknown = resolve(opAction), resolve(opUnknown)
	for _, t := range []string{"ncws-server:netconf-ws", "ietf-netconf-monitoring:netconf-ssh", "ietf-netconf-monitoring:netconf-tls"} {
		m.transport(t)
	}
	m.commitOK, m.commitErr = commits.WithLabelValues("ok"), commits.WithLabelValues("error")
	for _, method := range []string{"basic", "login", "token", "cert", "ssh-password"} {
		m.authFailures.WithLabelValues(method)
	}

	m.reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.sessions, m.sessionsTotal, rpcs, latency, commits, m.authFailures, overflows, suspensions,
		&healthCollector{store: store},
	)
	return m
}

// transport returns the session metrics of transport t, an identity of
// ietf-netconf-monitoring's transport ("ncws-server:netconf-ws"), labeled without its module
// ("netconf-ws").
func (m *metrics) transport(t string) *transportMetrics {
	m.transportsMu.Lock()
	defer m.transportsMu.Unlock()
	tm := m.transports[t]
	if tm == nil {
		label := t
		if _, name, ok := strings.Cut(t, ":"); ok {
			label = name
		}
		tm = &transportMetrics{active: m.sessions.WithLabelValues(label), total: m.sessionsTotal.WithLabelValues(label)}
		m.transports[t] = tm
	}
	return tm
}

// SessionStarted implements server.Observer.
func (m *metrics) SessionStarted(t string) {
	tm := m.transport(t)
	tm.active.Inc()
	tm.total.Inc()
}

// SessionEnded implements server.Observer.
func (m *metrics) SessionEnded(t string) { m.transport(t).active.Dec() }

// RPC implements server.Observer.
func (m *metrics) RPC(op *schema.Node, failed bool, d time.Duration) {
	om := m.ops[op]
	if om == nil {
		om = m.unknown
		if op != nil && op.Kind == schema.KindAction {
			om = m.action
		}
	}
	if failed {
		om.failed.Inc()
	} else {
		om.ok.Inc()
	}
	om.latency.Observe(d.Seconds())
}

// commit is the store's CommitObserver.
func (m *metrics) commit(d time.Duration, errs rpcerror.List) {
	if len(errs) > 0 {
		m.commitErr.Observe(d.Seconds())
		return
	}
	m.commitOK.Observe(d.Seconds())
}

// authFailed is the authenticator's OnFailure.
func (m *metrics) authFailed(method string) { m.authFailures.WithLabelValues(method).Inc() }

// handler serves the registry in the Prometheus exposition formats.
func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// healthCollector reports the datastore's persistence health (datastore.Store.Health) at each
// scrape.
type healthCollector struct {
	store func() *datastore.Store
}

var (
	descUp = prometheus.NewDesc("ncws_datastore_up",
		"1 while the part of the datastore's persistence works (journal: commits are stored; snapshot: snapshots are written), 0 while its writes fail.",
		[]string{"part"}, nil)
	descFailures = prometheus.NewDesc("ncws_datastore_failures",
		"Failed write attempts of the part since it last worked (0 while it works).", []string{"part"}, nil)
	descSince = prometheus.NewDesc("ncws_datastore_state_since_seconds",
		"Unix time at which the part entered its current state (working or failing).", []string{"part"}, nil)
)

// Describe implements prometheus.Collector.
func (c *healthCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- descUp
	ch <- descFailures
	ch <- descSince
}

// Collect implements prometheus.Collector.
func (c *healthCollector) Collect(ch chan<- prometheus.Metric) {
	st := c.store()
	if st == nil {
		return
	}
	h := st.Health()
	for _, p := range []struct {
		name string
		ph   datastore.PartHealth
	}{{"journal", h.Journal}, {"snapshot", h.Snapshot}} {
		up := 0.0
		if p.ph.OK {
			up = 1
		}
		ch <- prometheus.MustNewConstMetric(descUp, prometheus.GaugeValue, up, p.name)
		ch <- prometheus.MustNewConstMetric(descFailures, prometheus.GaugeValue, float64(p.ph.Failures), p.name)
		ch <- prometheus.MustNewConstMetric(descSince, prometheus.GaugeValue, float64(p.ph.Since.UnixNano())/1e9, p.name)
	}
}
