// Package device is a simulated network device built on the public agent API (pkg/agent) and
// the generated package of its model (generated/example, from yang/ncws-example): what a
// device vendor writes on top of ncws. It is the device `ncws serve` runs with no .yang
// arguments and the one the examples/device command serves.
//
// The device holds its "hardware" in memory: the ports (one per configured interface, with a
// simulated link and counters) and the forwarding table's static routes. Typed commit hooks
// (agent.Watch) keep them in step with running, interfaces before the routes that use them
// (InterfacePriority, RoutePriority); the state providers (agent.State) report what the
// hardware holds, not what running says:
//
//   - /system: uptime (since New or the last reboot) and current-time, from Options.Now;
//   - /interfaces/interface: oper-status (up when enabled and the link is up) and statistics:
//     an up interface receives 1% of its speed (1000 Mb/s for auto) and sends 0.5%, counted
//     in octets from the device's clock;
//   - /routing/table: the routing table, computed from the ports and the static routes: one
//     connected route per subnet of an interface address, one static route per configured
//     route, with the interface a gateway is reached through; per prefix the best usable route
//     is active (connected before static, then the lowest metric). A connected route is usable
//     when its interface is up; a static route when the outgoing-interface it names is up, or,
//     with a gateway only, when the subnet of an up interface holds the gateway; a discard
//     route always is.
//
// Operations (generated NcwsExampleServer):
//
//   - reboot: logged; after its delay the device restarts its simulated hardware: uptime and
//     every counter start again from zero and every link comes up. The configuration and the
//     NETCONF sessions stay (the process does not restart; running is kept as the agent keeps
//     it across restarts).
//   - interfaces/interface/reset: after its delay the interface's counters go to zero and its
//     link goes down and comes back up, each change of oper-status sent as the interface's
//     link-change notification (an interface that is disabled changes no oper-status and sends
//     none).
//
// Link flaps: with Options.FlapInterval set, each tick takes the link of the next flapping
// interface down (Options.FlapInterfaces, or every enabled interface that is not a loopback,
// in name order), and the next tick brings it back up; each change is a link-change
// notification and shows in oper-status and in the routing table.
//
// Refused commits: the device refuses to apply an interface whose description contains
// FailApply ("fail-apply"). Its hook's Apply returns an rpc-error (operation-failed, with the
// interface's path): the agent aborts the hooks already applied in that commit (the routes
// hook's deletions, the interfaces of the same commit applied before it), running stays as
// it was and the client gets the error. It is the demonstration of validate, apply and abort.
//
// Delayed resets and reboots and the link flaps are timers of Run, which runs until its
// context ends (give it the context that stops the agent):
//
//	a, err := agent.New(&agent.Options{Schemas: []*schema.Schema{example.Schema()}})
//	if err != nil { ... }
//	d, err := device.New(a, &device.Options{FlapInterval: time.Minute})
//	if err != nil { ... }
//	go d.Run(ctx)
//	err = a.ListenAndServe(ctx)
package device
