// Command device serves the simulated network device of package device (the ncws-example
// model: interfaces with link state and counters, static routes and the routing table, the
// reboot rpc, the interface reset action, link flaps) over NETCONF on WebSocket, on the public
// agent API only.
//
//	go run ./examples/device --listen 127.0.0.1:8080 --datastore device-data --flap-interval 30s
//
// The first start makes DATASTORE/users.htpasswd with a user admin and prints its password.
// SIGINT or SIGTERM shuts the agent down gracefully and stops the device's timers.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/ncws/ncws/examples/device/device"
	"github.com/ncws/ncws/generated/example"
	"github.com/ncws/ncws/pkg/agent"
	"github.com/ncws/ncws/pkg/schema"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	switch {
	case errors.Is(err, flag.ErrHelp):
	case err != nil:
		fmt.Fprintln(os.Stderr, "device:", err)
		os.Exit(1)
	}
}

// run parses the flags, builds the agent and the device, and serves until ctx ends.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("device", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", agent.DefaultListen, "address to listen on")
	dir := fs.String("datastore", "device-data", "datastore directory (running, candidate, startup, users)")
	users := fs.String("users", "", "htpasswd file (default DATASTORE/users.htpasswd, created with an admin user)")
	flap := fs.Duration("flap-interval", 0, "time between link flap events (0: no flaps)")
	flapIfs := fs.String("flap-interfaces", "", "comma-separated interfaces that flap (default every enabled non-loopback interface)")
	level := fs.String("log-level", "info", "debug, info, warn or error")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(*level)); err != nil {
		return fmt.Errorf("--log-level: %w", err)
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: lv}))

	a, err := agent.New(&agent.Options{
		Schemas: []*schema.Schema{example.Schema()}, Dir: *dir, UsersFile: *users, Listen: *listen, Logger: log,
		AdminCreated: func(file, pw string) {
			fmt.Fprintf(stdout, "created %s with user admin, password %s (shown once)\n", file, pw)
		},
	})
	if err != nil {
		return err
	}
	var names []string
	if *flapIfs != "" {
		names = strings.Split(*flapIfs, ",")
	}
	d, err := device.New(a, &device.Options{Logger: log, FlapInterval: *flap, FlapInterfaces: names})
	if err != nil {
		a.Close()
		return err
	}
	ln, err := a.Listen()
	if err != nil {
		a.Close()
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { d.Run(ctx) })
	defer func() {
		cancel()
		wg.Wait()
	}()
	fmt.Fprintf(stdout, "device: serving NETCONF over WebSocket at ws://%s/netconf (datastore %s, started %s)\n",
		ln.Addr(), *dir, time.Now().Format(time.RFC3339))
	return a.ServeContext(ctx, ln)
}
