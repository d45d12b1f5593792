package cli

import (
	"context"
	"log/slog"
	"time"

	"github.com/ncws/ncws/generated/example"
	"github.com/ncws/ncws/pkg/agent"
	"github.com/ncws/ncws/pkg/genimpl"
	"github.com/ncws/ncws/pkg/rpcerror"
)

// exampleDevice is the example device model's agent, built on its generated package
// (generated/example) the way a device agent is: the typed server interface for the rpc and the
// action, the Notifier for the notifications, typed structs for the state.
type exampleDevice struct {
	example.UnimplementedNcwsExampleServer
	log   *slog.Logger
	notes *example.NcwsExampleNotifier
	start time.Time
}

// serveExample wires the example device into the agent: the system state (uptime, clock), the
// reboot rpc and the interface reset action.
func serveExample(a *agent.Agent, log *slog.Logger) error {
	d := &exampleDevice{log: log, notes: example.NewNcwsExampleNotifier(a.Server()), start: time.Now()}
	err := agent.State(a, "/ncws-example:system", func(ctx context.Context, _ *agent.StateRequest, s *example.System) error {
		now := time.Now()
		s.Uptime = genimpl.Ptr(uint32(now.Sub(d.start) / (10 * time.Millisecond)))
		s.CurrentTime = genimpl.Ptr(now.UTC().Format(time.RFC3339))
		return nil
	})
	if err != nil {
		return err
	}
	return example.RegisterNcwsExampleServer(a.Server(), d)
}

// Reboot logs the request and answers when the device would restart (it restarts nothing).
func (d *exampleDevice) Reboot(ctx context.Context, in *example.RebootInput) (*example.RebootOutput, error) {
	delay := time.Duration(*in.Delay) * time.Second
	msg := ""
	if in.Message != nil {
		msg = *in.Message
	}
	d.log.Info("serve: reboot requested (the example device restarts nothing)", "delay", delay, "message", msg)
	return &example.RebootOutput{RebootAt: genimpl.Ptr(time.Now().Add(delay).UTC().Format(time.RFC3339))}, nil
}

// InterfaceReset answers the reset action of a configured interface: the link goes down and
// comes back, each change sent as a link-change notification to the subscribed sessions.
func (d *exampleDevice) InterfaceReset(ctx context.Context, kName string, in *example.InterfaceResetInput) (*example.InterfaceResetOutput, error) {
	d.log.Info("serve: interface reset", "interface", kName, "delay", *in.Delay)
	for _, s := range []example.OperState{example.OperState_Down, example.OperState_Up} {
		if err := d.notes.InterfaceLinkChange(ctx, kName, &example.InterfaceLinkChange{OperStatus: genimpl.Ptr(s)}); err != nil {
			return nil, rpcerror.OperationFailed("the link-change notification could not be sent")
		}
	}
	at := time.Now().Add(time.Duration(*in.Delay) * time.Second)
	return &example.InterfaceResetOutput{ResetAt: genimpl.Ptr(at.UTC().Format(time.RFC3339))}, nil
}
