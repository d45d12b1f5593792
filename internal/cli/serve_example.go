package cli

import (
	"context"
	"log/slog"

	"github.com/ncws/ncws/examples/device/device"
	"github.com/ncws/ncws/pkg/agent"
)

// serveExample builds the example device (examples/device/device: interfaces with link state
// and counters, the routing table, the reboot rpc and the interface reset action) on the
// agent and runs its timers until ctx ends or stop is called; stop waits for them. Link flaps
// are off.
func serveExample(ctx context.Context, a *agent.Agent, log *slog.Logger) (stop func(), err error) {
	d, err := device.New(a, &device.Options{Logger: log})
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		d.Run(ctx)
	}()
	return func() {
		cancel()
		<-done
	}, nil
}
