// Package agent assembles a NETCONF device agent: what `ncws serve` runs, as a public API in
// net/http's shape. New takes Options (nil or zero fields are the defaults `ncws serve` uses)
// and opens the datastores, the users file and the server; generated packages register their
// operations on Server(), state providers and commit hooks are added with State, HandleState,
// Watch and AddHook; ListenAndServe (or Serve on a listener) serves NETCONF over WebSocket
// (the draft's `netconf` subprotocol, /netconf) with POST /login for browsers, until the
// context ends or Shutdown.
//
//	a, err := agent.New(&agent.Options{Schemas: []*schema.Schema{example.Schema()}})
//	if err != nil { ... }
//	example.RegisterNcwsExampleServer(a.Server(), &device{})
//	agent.State(a, "/ncws-example:system", func(ctx context.Context, _ *agent.StateRequest, s *example.NcwsExample_System) error { ... })
//	err = a.ListenAndServe(ctx) // until ctx ends: the caller owns signals
//
// For operations the agent serves /healthz and /readyz (no authentication) and Prometheus
// /metrics (the NETCONF endpoint's authentication) on its listener, and all three without
// authentication on Options.MetricsListen (ServeMetrics), in the Prometheus text exposition
// format; the metrics are in a registry of the agent's own (with the Go runtime's go_* and the
// process's process_* metrics), not Prometheus's global one.
//
// The agent installs no signal handler and calls no os.Exit.
package agent
