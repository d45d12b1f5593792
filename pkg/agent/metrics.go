package agent

import (
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/ncws/ncws/pkg/agent/internal/prom"
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
	reg *prom.Registry

	ops                 map[*schema.Node]*opMetrics // read-only after newMetrics
	action, unknown     *opMetrics
	sessions            *prom.GaugeVec
	sessionsTotal       *prom.CounterVec
	transportsMu        sync.Mutex
	transports          map[string]*transportMetrics
	commitOK, commitErr *prom.Histogram
	authFailures        *prom.CounterVec
}

type opMetrics struct {
	ok, failed *prom.Counter
	latency    *prom.Histogram
}

type transportMetrics struct {
	active *prom.Gauge
	total  *prom.Counter
}

// newMetrics registers the metrics of an agent serving sch, over store and srv.
func newMetrics(sch *schema.Schema, store func() *datastore.Store, srv func() *server.Server) *metrics {
	m := &metrics{reg: prom.NewRegistry(), ops: map[*schema.Node]*opMetrics{}, transports: map[string]*transportMetrics{}}
	r := m.reg
	r.RegisterGo()
	r.RegisterProcess()
	m.sessions = r.NewGaugeVec("ncws_sessions", "NETCONF sessions open now, by transport.", "transport")
	m.sessionsTotal = r.NewCounterVec("ncws_sessions_total", "NETCONF sessions started, by transport.", "transport")
	rpcs := r.NewCounterVec("ncws_rpcs_total", "NETCONF messages answered, by operation and outcome (ok, error: an rpc-error reply).", "operation", "outcome")
	latency := r.NewHistogramVec("ncws_rpc_duration_seconds", "Time from decoding an rpc to its reply being built, by operation.", latencyBuckets, "operation")
	commits := r.NewHistogramVec("ncws_commit_duration_seconds", "Time of a commit to running (validation, device hooks, the journal's durable write), by outcome (ok, error: refused or not stored).", latencyBuckets, "outcome")
	m.authFailures = r.NewCounterVec("ncws_auth_failures_total", "Failed authentications, by method (basic, login, token, cert, ssh-password).", "method")
	r.CounterFunc("ncws_notification_queue_overflows_total", "Subscribers whose session was ended because their notification queue was full.", func() float64 {
		if s := srv(); s != nil {
			return float64(s.NotificationOverflows())
		}
		return 0
	})
	r.CounterFunc("ncws_subscription_suspensions_total", "Dynamic subscriptions (RFC 8639) suspended because their session's notification queue was full.", func() float64 {
		if s := srv(); s != nil {
			return float64(s.SubscriptionSuspensions())
		}
		return 0
	})
	registerHealth(r, store)

	resolve := func(name string) *opMetrics {
		return &opMetrics{ok: rpcs.With(name, "ok"), failed: rpcs.With(name, "error"), latency: latency.With(name)}
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
	m.commitOK, m.commitErr = commits.With("ok"), commits.With("error")
	for _, method := range []string{"basic", "login", "token", "cert", "ssh-password"} {
		m.authFailures.With(method)
	}
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
		tm = &transportMetrics{active: m.sessions.With(label), total: m.sessionsTotal.With(label)}
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
func (m *metrics) authFailed(method string) { m.authFailures.With(method).Inc() }

// handler serves the registry in the Prometheus text exposition format.
func (m *metrics) handler() http.Handler { return m.reg.Handler() }

// registerHealth registers the datastore's persistence health (datastore.Store.Health),
// read at each scrape: nothing while there is no store yet.
func registerHealth(r *prom.Registry, store func() *datastore.Store) {
	part := func(name, help string, value func(datastore.PartHealth) float64) {
		r.Collect(name, help, prom.GaugeType, []string{"part"}, func(e *prom.Emitter) {
			st := store()
			if st == nil {
				return
			}
			h := st.Health()
			e.Sample(value(h.Journal), "journal")
			e.Sample(value(h.Snapshot), "snapshot")
		})
	}
	part("ncws_datastore_up",
		"1 while the part of the datastore's persistence works (journal: commits are stored; snapshot: snapshots are written), 0 while its writes fail.",
		func(p datastore.PartHealth) float64 {
			if p.OK {
				return 1
			}
			return 0
		})
	part("ncws_datastore_failures", "Failed write attempts of the part since it last worked (0 while it works).",
		func(p datastore.PartHealth) float64 { return float64(p.Failures) })
	part("ncws_datastore_state_since_seconds", "Unix time at which the part entered its current state (working or failing).",
		func(p datastore.PartHealth) float64 { return float64(p.Since.UnixNano()) / 1e9 })
}
