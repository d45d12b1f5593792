package agent

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/ncws/ncws/pkg/auth"
	"github.com/ncws/ncws/pkg/datastore"
)

// The paths of the operational endpoints (see Agent.Handler and Options.MetricsListen).
const (
	PathMetrics = "/metrics"
	PathHealthz = "/healthz"
	PathReadyz  = "/readyz"
)

// readiness is the body of /readyz.
type readiness struct {
	Status   string   `json:"status"` // "ready" or "unavailable"
	Reasons  []string `json:"reasons,omitempty"`
	Warnings []string `json:"warnings,omitempty"`
}

// ready says whether the agent can take requests: it serves (Start ran, Shutdown did not) and
// its datastore can store commits. A failing snapshot is a warning only: commits are still
// stored.
func (a *Agent) ready() readiness {
	var r readiness
	a.mu.Lock()
	started, closed := a.started, a.closed
	a.mu.Unlock()
	switch {
	case closed:
		r.Reasons = append(r.Reasons, "shutting down")
	case !started:
		r.Reasons = append(r.Reasons, "not serving yet")
	}
	h := a.store.Health()
	if !h.Journal.OK {
		r.Reasons = append(r.Reasons, partProblem("datastore writes fail", h.Journal))
	}
	if !h.Snapshot.OK {
		r.Warnings = append(r.Warnings, partProblem("datastore snapshots fail (commits are still stored)", h.Snapshot))
	}
	r.Status = "ready"
	if len(r.Reasons) > 0 {
		r.Status = "unavailable"
	}
	return r
}

func partProblem(what string, p datastore.PartHealth) string {
	s := fmt.Sprintf("%s since %s (%d failures)", what, p.Since.UTC().Format(time.RFC3339), p.Failures)
	if p.Err != nil {
		s += ": " + p.Err.Error()
	}
	return s
}

// healthz answers 200 while the process runs (liveness).
func healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprintln(w, "ok")
}

// readyz answers 200 when the agent is ready, else 503, with a JSON body saying why.
func (a *Agent) readyz(w http.ResponseWriter, r *http.Request) {
	rd := a.ready()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	if rd.Status != "ready" {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	json.NewEncoder(w).Encode(rd)
}

// authenticated lets through the requests Authenticator.Authenticate accepts (the credentials
// of the NETCONF endpoint: Basic with a user of the users file, the login token or its cookie,
// a client certificate) and answers the others 401 (or 429).
func (a *Agent) authenticated(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := a.auth.Authenticate(r); err != nil {
			auth.WriteError(w, err)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// MetricsHandler returns the agent's Prometheus metrics handler, without authentication: what
// Options.MetricsListen serves at /metrics. The agent's own Handler serves the same metrics
// at /metrics behind authentication.
func (a *Agent) MetricsHandler() http.Handler { return a.metrics.handler() }

// metricsMux is what the metrics listener serves: /metrics, /healthz and /readyz, without
// authentication (the listener's address is the access control: bind it to a management
// network or localhost).
func (a *Agent) metricsMux() http.Handler {
	mux := http.NewServeMux()
	mux.Handle(PathMetrics, a.metrics.handler())
	mux.HandleFunc(PathHealthz, healthz)
	mux.HandleFunc(PathReadyz, a.readyz)
	return mux
}

// ServeMetrics serves /metrics, /healthz and /readyz without authentication on l (plain HTTP)
// until Shutdown, then returns ErrServerClosed. ListenAndServe calls it for
// Options.MetricsListen. It does not start the agent: /readyz answers 503 until Serve does.
func (a *Agent) ServeMetrics(l net.Listener) error {
	hs := &http.Server{Handler: a.metricsMux(), ReadHeaderTimeout: a.opts.ReadHeaderTimeout, IdleTimeout: 2 * time.Minute}
	return a.serveHTTP(hs, l)
}
