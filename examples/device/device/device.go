package device

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ncws/ncws/generated/example"
	"github.com/ncws/ncws/pkg/agent"
	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/genimpl"
	"github.com/ncws/ncws/pkg/rpcerror"
)

// Priorities of the device's commit hooks (agent.Hook): interfaces are applied before the
// routes that use them, and deleted after them.
const (
	InterfacePriority = 10
	RoutePriority     = 20
)

// FailApply in an interface's description makes the device refuse to apply the interface (see
// the package documentation): a knob to show a commit refused by the device and rolled back.
const FailApply = "fail-apply"

// Options configures a Device. A nil *Options, or the zero value of a field, is the default.
type Options struct {
	// Logger receives the device's events (slog.Default() when nil).
	Logger *slog.Logger
	// Now is the device's clock (time.Now when nil): current-time, uptime, the counters and
	// the times the reset action and reboot answer follow it. Tests set a clock they advance.
	// The timers of Run (delays, flaps) run in real time.
	Now func() time.Time
	// FlapInterval is the time between two link events of the flap timer (none when 0): one
	// takes the next flapping interface's link down, the next brings it back up.
	FlapInterval time.Duration
	// FlapInterfaces names the interfaces that flap, in turn; empty: every enabled interface
	// that is not a loopback, in name order. An interface that is not configured or not
	// enabled is skipped.
	FlapInterfaces []string
}

// A Device is the simulated device on an agent: its hooks, state providers and operations are
// registered by New. Its methods are safe for concurrent use.
type Device struct {
	example.UnimplementedNcwsExampleServer

	opts  Options
	log   *slog.Logger
	now   func() time.Time
	notes *example.NcwsExampleNotifier
	wake  chan struct{}

	// sendMu orders the link-change notifications as the changes they report: it is held
	// from a change until its notifications are sent.
	sendMu sync.Mutex

	mu       sync.Mutex
	boot     time.Time
	ports    map[string]*port                              // the hardware's interfaces, by name
	routes   map[string]*example.NcwsExample_Routing_Route // the static routes applied, by prefix
	undo     map[*agent.Commit]*[]func()
	undoOf   *datastore.Commit // the commit undo holds the calls of
	flapping string            // the interface the flap timer took down, "" when none
	flapNext int
	pending  []delayed // delayed resets and reboots, for Run
}

// A port is one interface of the hardware.
type port struct {
	cfg     example.NcwsExample_Interfaces_Interface // the configuration applied
	carrier bool                                     // the simulated link
	in, out uint64                                   // counters at since
	since   time.Time
}

type delayed struct {
	at   time.Time // real time
	what string
	fn   func(ctx context.Context)
}

// A linkEvent is one change of an interface's oper-status, to send as link-change.
type linkEvent struct {
	name string
	oper example.NcwsExample_OperState
}

// New builds the device on a: it registers the state providers of /system, /interfaces and
// /routing/table, the commit hooks of the interfaces and the static routes, and the reboot rpc
// and reset action. Call it before a serves; then run Run for the timers. It fails when a's
// schema lacks the ncws-example module or a already serves.
func New(a *agent.Agent, opts *Options) (*Device, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	d := &Device{
		opts: o, log: o.Logger, now: o.Now,
		notes: example.NewNcwsExampleNotifier(a.Server()),
		wake:  make(chan struct{}, 1),
		ports: map[string]*port{}, routes: map[string]*example.NcwsExample_Routing_Route{},
		undo: map[*agent.Commit]*[]func(){},
	}
	d.boot = d.now()
	for _, reg := range []func() error{
		func() error { return agent.State(a, "/ncws-example:system", d.systemState) },
		func() error { return agent.State(a, "/ncws-example:interfaces", d.interfacesState) },
		func() error { return agent.State(a, "/ncws-example:routing/table", d.tableState) },
		func() error {
			return agent.Watch(a, agent.TypedHook[example.NcwsExample_Interfaces_Interface]{
				Path: "/ncws-example:interfaces/interface", Priority: InterfacePriority,
				Apply: d.applyInterfaces, Abort: abortOf[example.NcwsExample_Interfaces_Interface](d, "interfaces"),
			})
		},
		func() error {
			return agent.Watch(a, agent.TypedHook[example.NcwsExample_Routing_Route]{
				Path: "/ncws-example:routing/route", Priority: RoutePriority,
				Apply: d.applyRoutes, Abort: abortOf[example.NcwsExample_Routing_Route](d, "routes"),
			})
		},
		func() error { return example.RegisterNcwsExampleServer(a.Server(), d) },
	} {
		if err := reg(); err != nil {
			return nil, fmt.Errorf("device: %w", err)
		}
	}
	return d, nil
}

// systemState reports uptime and the clock, which the device keeps itself (origin system; the
// ports' state is learned, what a provider reports by default).
func (d *Device) systemState(ctx context.Context, req *agent.StateRequest, s *example.NcwsExample_System) error {
	req.Origin = data.OriginSystem
	d.mu.Lock()
	boot := d.boot
	d.mu.Unlock()
	now := d.now()
	up := max(now.Sub(boot), 0)
	// timeticks wrap at 2^32 hundredths of a second (RFC 6991).
	s.Uptime = genimpl.Ptr(uint32(uint64(up / (10 * time.Millisecond))))
	s.CurrentTime = genimpl.Ptr(formatTime(now))
	return nil
}

// interfacesState reports the ports: oper-status and counters.
func (d *Device) interfacesState(ctx context.Context, _ *agent.StateRequest, x *example.NcwsExample_Interfaces) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	now := d.now()
	for _, name := range slices.Sorted(maps.Keys(d.ports)) {
		p := d.ports[name]
		in, out := p.counters(now)
		x.Interface = append(x.Interface, &example.NcwsExample_Interfaces_Interface{
			Name:       genimpl.Ptr(name),
			OperStatus: genimpl.Ptr(p.oper()),
			Statistics: &example.NcwsExample_Interfaces_Interface_Statistics{InOctets: genimpl.Ptr(in), OutOctets: genimpl.Ptr(out)},
		})
	}
	return nil
}

// tableState reports the routing table.
func (d *Device) tableState(ctx context.Context, _ *agent.StateRequest, t *example.NcwsExample_Routing_Table) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	t.Entry = d.table()
	return nil
}

// journal returns the list of undo calls of the hook call c, starting a new set when c
// belongs to another commit than the calls kept (hooks run one commit at a time).
func (d *Device) journal(c *agent.Commit) *[]func() {
	if d.undoOf != c.Commit {
		clear(d.undo)
		d.undoOf = c.Commit
	}
	u := new([]func())
	d.undo[c] = u
	return u
}

// abortOf returns the Abort of a typed hook: what the hook call applied is taken back.
func abortOf[T any](d *Device, what string) func(context.Context, []agent.Change[T], *agent.Commit) {
	return func(_ context.Context, _ []agent.Change[T], c *agent.Commit) { d.abort(c, what) }
}

// abort takes back what the hook call c applied, newest first.
func (d *Device) abort(c *agent.Commit, what string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	u := d.undo[c]
	if u == nil {
		return
	}
	for i := len(*u) - 1; i >= 0; i-- {
		(*u)[i]()
	}
	delete(d.undo, c)
	d.log.Info("device: change taken back", "hook", what, "changes", len(*u))
}

// applyInterfaces carries the interfaces' changes into the ports.
func (d *Device) applyInterfaces(ctx context.Context, chs []agent.Change[example.NcwsExample_Interfaces_Interface], c *agent.Commit) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	undo := d.journal(c)
	now := d.now()
	for _, ch := range chs {
		if ch.New == nil {
			name := *ch.Old.Name
			p := d.ports[name]
			if p == nil {
				continue
			}
			delete(d.ports, name)
			*undo = append(*undo, func() { d.ports[name] = p })
			d.log.Info("device: interface removed", "interface", name)
			continue
		}
		name := *ch.New.Name
		if ch.New.Description != nil && strings.Contains(*ch.New.Description, FailApply) {
			return &rpcerror.Error{Type: rpcerror.Application, Tag: rpcerror.TagOperationFailed, Path: ch.Path,
				Message: fmt.Sprintf("the device refused to apply interface %s: its description asks for %s", name, FailApply)}
		}
		if p := d.ports[name]; p != nil {
			old := *p
			p.settle(now)
			p.cfg = *ch.New
			*undo = append(*undo, func() { *p = old })
			d.log.Info("device: interface changed", "interface", name, "enabled", p.enabled())
			continue
		}
		d.ports[name] = &port{cfg: *ch.New, carrier: true, since: now}
		*undo = append(*undo, func() { delete(d.ports, name) })
		d.log.Info("device: interface added", "interface", name, "initial", c.Initial)
	}
	return nil
}

// applyRoutes carries the static routes' changes into the forwarding table.
func (d *Device) applyRoutes(ctx context.Context, chs []agent.Change[example.NcwsExample_Routing_Route], c *agent.Commit) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	undo := d.journal(c)
	for _, ch := range chs {
		var prefix string
		if ch.New != nil {
			prefix = *ch.New.Prefix
		} else {
			prefix = *ch.Old.Prefix
		}
		old, had := d.routes[prefix]
		if ch.New == nil {
			delete(d.routes, prefix)
			d.log.Info("device: route removed", "prefix", prefix)
		} else {
			d.routes[prefix] = ch.New
			d.log.Info("device: route set", "prefix", prefix)
		}
		*undo = append(*undo, func() {
			if had {
				d.routes[prefix] = old
			} else {
				delete(d.routes, prefix)
			}
		})
	}
	return nil
}

// enabled reports the interface's administrative state (enabled defaults to true).
func (p *port) enabled() bool { return p.cfg.Enabled == nil || *p.cfg.Enabled }

// up reports the oper-status: enabled and the link up.
func (p *port) up() bool { return p.enabled() && p.carrier }

func (p *port) loopback() bool {
	return p.cfg.Type != nil && *p.cfg.Type == example.NcwsExample_InterfaceType_Loopback
}

func (p *port) oper() example.NcwsExample_OperState {
	if p.up() {
		return example.NcwsExample_OperState_Up
	}
	return example.NcwsExample_OperState_Down
}

// rates returns the octets per second an up port receives and sends: 1% and 0.5% of its
// speed, 1000 Mb/s when auto.
func (p *port) rates() (in, out uint64) {
	mbps := uint64(1000)
	if s, ok := p.cfg.Speed.(example.NcwsExample_Interfaces_Interface_Speed_Uint32); ok {
		mbps = uint64(s)
	}
	in = mbps * 1_000_000 / 8 / 100
	return in, in / 2
}

// counters returns the counters at now: they grow while the port is up.
func (p *port) counters(now time.Time) (in, out uint64) {
	if !p.up() || !now.After(p.since) {
		return p.in, p.out
	}
	ri, ro := p.rates()
	s := now.Sub(p.since).Seconds()
	return p.in + uint64(float64(ri)*s), p.out + uint64(float64(ro)*s)
}

// settle moves the counters' base to now, before a change of the port's state or rates.
func (p *port) settle(now time.Time) {
	p.in, p.out = p.counters(now)
	p.since = now
}

// setCarrier sets the port's link and appends the link-change to send when its oper-status
// changed.
func setCarrier(evs []linkEvent, name string, p *port, carrier bool, now time.Time) []linkEvent {
	was := p.up()
	p.settle(now)
	p.carrier = carrier
	if p.up() != was {
		evs = append(evs, linkEvent{name, p.oper()})
	}
	return evs
}

// change runs f on the hardware and sends the link-changes it returns, in the order of the
// changes.
func (d *Device) change(ctx context.Context, f func(now time.Time) []linkEvent) {
	d.sendMu.Lock()
	defer d.sendMu.Unlock()
	d.mu.Lock()
	evs := f(d.now())
	d.mu.Unlock()
	for _, ev := range evs {
		d.log.Info("device: link change", "interface", ev.name, "oper-status", ev.oper.String())
		err := d.notes.InterfaceLinkChange(ctx, ev.name, &example.NcwsExample_Interfaces_Interface_LinkChange{OperStatus: genimpl.Ptr(ev.oper)})
		if err != nil {
			d.log.Warn("device: link-change notification not sent", "interface", ev.name, "err", err)
		}
	}
}

// Reboot answers the reboot rpc: the simulated hardware restarts after the delay (see the
// package documentation); reboot-at says when on the device's clock.
func (d *Device) Reboot(ctx context.Context, in *example.NcwsExample_RebootInput) (*example.NcwsExample_RebootOutput, error) {
	delay := delayOf(in.Delay)
	msg := ""
	if in.Message != nil {
		msg = *in.Message
	}
	d.log.Info("device: reboot requested", "delay", delay, "message", msg)
	at := d.now().Add(delay)
	if delay == 0 {
		d.reboot(ctx)
	} else {
		d.schedule(delay, "reboot", d.reboot)
	}
	return &example.NcwsExample_RebootOutput{RebootAt: genimpl.Ptr(formatTime(at))}, nil
}

// reboot restarts the hardware: uptime and counters from zero, every link up.
func (d *Device) reboot(ctx context.Context) {
	d.change(ctx, func(now time.Time) []linkEvent {
		d.boot = now
		d.flapping = ""
		var evs []linkEvent
		for _, name := range slices.Sorted(maps.Keys(d.ports)) {
			p := d.ports[name]
			evs = setCarrier(evs, name, p, true, now)
			p.in, p.out = 0, 0
		}
		d.log.Info("device: rebooted (the simulated hardware; configuration and sessions stay)")
		return evs
	})
}

// InterfaceReset answers the reset action of interface kName: after the delay its counters go
// to zero and its link goes down and up (see the package documentation).
func (d *Device) InterfaceReset(ctx context.Context, kName string, in *example.NcwsExample_Interfaces_Interface_ResetInput) (*example.NcwsExample_Interfaces_Interface_ResetOutput, error) {
	d.mu.Lock()
	_, ok := d.ports[kName]
	d.mu.Unlock()
	if !ok {
		// The server checked running holds the interface; the hardware does not (its initial
		// apply failed).
		return nil, rpcerror.New(rpcerror.Application, rpcerror.TagDataMissing, "interface %s is not on the device", kName)
	}
	delay := delayOf(in.Delay)
	d.log.Info("device: interface reset requested", "interface", kName, "delay", delay)
	at := d.now().Add(delay)
	reset := func(ctx context.Context) { d.reset(ctx, kName) }
	if delay == 0 {
		reset(ctx)
	} else {
		d.schedule(delay, "reset of "+kName, reset)
	}
	return &example.NcwsExample_Interfaces_Interface_ResetOutput{ResetAt: genimpl.Ptr(formatTime(at))}, nil
}

// reset zeroes the port's counters and takes its link down and up.
func (d *Device) reset(ctx context.Context, name string) {
	d.change(ctx, func(now time.Time) []linkEvent {
		p := d.ports[name]
		if p == nil {
			return nil
		}
		evs := setCarrier(nil, name, p, false, now)
		p.in, p.out = 0, 0
		if d.flapping == name {
			d.flapping = ""
		}
		return setCarrier(evs, name, p, true, now)
	})
}

func delayOf(s *uint32) time.Duration {
	if s == nil {
		return 0
	}
	return time.Duration(*s) * time.Second
}

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// schedule has Run call fn after delay.
func (d *Device) schedule(delay time.Duration, what string, fn func(ctx context.Context)) {
	d.mu.Lock()
	d.pending = append(d.pending, delayed{at: time.Now().Add(delay), what: what, fn: fn})
	d.mu.Unlock()
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Run runs the device's timers until ctx ends: the delayed resets and reboots and the link
// flaps of Options.FlapInterval, sending their notifications with ctx. Delayed operations
// still pending when ctx ends are dropped, as a device that stops would. Call it once.
func (d *Device) Run(ctx context.Context) {
	var flaps <-chan time.Time
	if d.opts.FlapInterval > 0 {
		t := time.NewTicker(d.opts.FlapInterval)
		defer t.Stop()
		flaps = t.C
	}
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		var due <-chan time.Time
		timer.Stop()
		if next, ok := d.nextDue(); ok {
			timer.Reset(time.Until(next))
			due = timer.C
		}
		select {
		case <-ctx.Done():
			d.mu.Lock()
			for _, p := range d.pending {
				d.log.Info("device: stopped before a delayed operation", "operation", p.what)
			}
			d.pending = nil
			d.mu.Unlock()
			return
		case <-flaps:
			d.flap(ctx)
		case <-due:
			d.runDue(ctx)
		case <-d.wake:
		}
	}
}

func (d *Device) nextDue() (time.Time, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var next time.Time
	for i, p := range d.pending {
		if i == 0 || p.at.Before(next) {
			next = p.at
		}
	}
	return next, len(d.pending) > 0
}

// runDue runs the delayed operations whose time has come, in their order.
func (d *Device) runDue(ctx context.Context) {
	now := time.Now()
	d.mu.Lock()
	var due []delayed
	rest := d.pending[:0]
	for _, p := range d.pending {
		if !p.at.After(now) {
			due = append(due, p)
		} else {
			rest = append(rest, p)
		}
	}
	d.pending = rest
	d.mu.Unlock()
	slices.SortStableFunc(due, func(a, b delayed) int { return a.at.Compare(b.at) })
	for _, p := range due {
		p.fn(ctx)
	}
}

// flap is one tick of the flap timer: the link it took down comes back up, or the next
// flapping interface's link goes down.
func (d *Device) flap(ctx context.Context) {
	d.change(ctx, func(now time.Time) []linkEvent {
		if name := d.flapping; name != "" {
			d.flapping = ""
			if p := d.ports[name]; p != nil && !p.carrier {
				return setCarrier(nil, name, p, true, now)
			}
			return nil
		}
		names := d.flapCandidates()
		if len(names) == 0 {
			return nil
		}
		name := names[d.flapNext%len(names)]
		d.flapNext++
		d.flapping = name
		return setCarrier(nil, name, d.ports[name], false, now)
	})
}

// flapCandidates returns the interfaces that may flap now: enabled, link up.
func (d *Device) flapCandidates() []string {
	names := d.opts.FlapInterfaces
	if len(names) == 0 {
		for _, name := range slices.Sorted(maps.Keys(d.ports)) {
			if !d.ports[name].loopback() {
				names = append(names, name)
			}
		}
	}
	var out []string
	for _, name := range names {
		if p := d.ports[name]; p != nil && p.up() {
			out = append(out, name)
		}
	}
	return out
}
