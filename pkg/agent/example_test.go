package agent_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"os"
	"time"

	"github.com/ncws/ncws/generated/example"
	"github.com/ncws/ncws/pkg/agent"
	"github.com/ncws/ncws/pkg/client"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
)

// rebooter implements the example module's rpcs and actions (example.NcwsExampleServer):
// reboot is written, the interface reset action answers operation-not-supported.
type rebooter struct {
	example.UnimplementedNcwsExampleServer
}

func (rebooter) Reboot(ctx context.Context, in *example.NcwsExample_RebootInput) (*example.NcwsExample_RebootOutput, error) {
	at := time.Date(2026, 12, 24, 0, 0, 0, 0, time.UTC).Add(time.Duration(*in.Delay) * time.Second)
	return &example.NcwsExample_RebootOutput{RebootAt: new(at.Format(time.RFC3339))}, nil
}

// Example serves a generated package with an agent on a loopback port and calls it with a
// client: the typed rpc, and state data from a typed provider.
func Example() {
	dir, err := os.MkdirTemp("", "agent-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	var password string
	a, err := agent.New(&agent.Options{
		Schemas: []*schema.Schema{example.Schema()},
		Dir:     dir, // the datastore and the users file
		Listen:  "127.0.0.1:0",
		// The first start creates the users file with a user admin.
		AdminCreated: func(_, pw string) { password = pw },
		Logger:       slog.New(slog.DiscardHandler),
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := example.RegisterNcwsExampleServer(a.Server(), rebooter{}); err != nil {
		log.Fatal(err)
	}
	err = agent.State(a, "/ncws-example:system", func(ctx context.Context, _ *agent.StateRequest, s *example.NcwsExample_System) error {
		s.Uptime = new(uint32(4200))
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	ln, err := a.Listen()
	if err != nil {
		log.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- a.ServeContext(ctx, ln) }()

	s, err := client.Dial(ctx, "ws://"+ln.Addr().String()+"/netconf", &client.Options{Username: "admin", Password: password})
	if err != nil {
		log.Fatal(err)
	}
	out, err := example.NewNcwsExampleClient(s).Reboot(ctx, &example.NcwsExample_RebootInput{Delay: new(uint32(60))})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("reboot at", *out.RebootAt)
	state, err := s.Get(ctx, client.Filter{Subtree: []byte(`<system xmlns="urn:ncws:yang:ncws-example"><uptime/></system>`)})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s\n", state)
	// An rpc-error comes back as an rpcerror.List: here the action's target is not configured.
	_, err = example.NewNcwsExampleClient(s).InterfaceReset(ctx, "eth0", nil)
	var errs rpcerror.List
	if errors.As(err, &errs) {
		fmt.Println(errs[0].Tag, errs[0].Path)
	}
	s.CloseSession(ctx)

	stop() // ListenAndServe and ServeContext shut down when their context ends
	fmt.Println("served:", <-served)
	// Output:
	// reboot at 2026-12-24T00:01:00Z
	// <system xmlns="urn:ncws:yang:ncws-example"><uptime>4200</uptime></system>
	// data-missing /ex:interfaces/ex:interface[ex:name='eth0']
	// served: <nil>
}

// ExampleWatch registers a typed commit hook: each commit that changes an interface reaches
// it as the generated struct, the whole entry before and after.
func ExampleWatch() {
	dir, err := os.MkdirTemp("", "agent-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	var password string
	a, err := agent.New(&agent.Options{Schemas: []*schema.Schema{example.Schema()}, Dir: dir, Listen: "127.0.0.1:0",
		AdminCreated: func(_, pw string) { password = pw }, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		log.Fatal(err)
	}
	err = agent.Watch(a, agent.TypedHook[example.NcwsExample_Interfaces_Interface]{
		Path: "/ncws-example:interfaces/interface",
		Apply: func(ctx context.Context, chs []agent.Change[example.NcwsExample_Interfaces_Interface], c *agent.Commit) error {
			for _, ch := range chs {
				switch {
				case ch.Old == nil:
					fmt.Println("create", *ch.New.Name, "mtu", *ch.New.MTU)
				case ch.New == nil:
					fmt.Println("delete", *ch.Old.Name)
				default:
					fmt.Println("update", *ch.New.Name, "mtu", *ch.Old.MTU, "->", *ch.New.MTU)
				}
			}
			return nil // an error refuses the commit and becomes the rpc-error
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	ln, err := a.Listen()
	if err != nil {
		log.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- a.ServeContext(ctx, ln) }()
	defer func() { stop(); <-served }()

	s, err := client.Dial(ctx, "ws://"+ln.Addr().String()+"/netconf", &client.Options{Username: "admin", Password: password})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	for _, cfg := range []string{
		`<interfaces xmlns="urn:ncws:yang:ncws-example" xmlns:ex="urn:ncws:yang:ncws-example">
		   <interface><name>eth0</name><type>ex:ethernet</type><mtu>1500</mtu></interface></interfaces>`,
		`<interfaces xmlns="urn:ncws:yang:ncws-example"><interface><name>eth0</name><mtu>9000</mtu></interface></interfaces>`,
		`<interfaces xmlns="urn:ncws:yang:ncws-example" xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0">
		   <interface nc:operation="delete"><name>eth0</name></interface></interfaces>`,
	} {
		if err := s.EditConfig(ctx, client.Running, []byte(cfg), client.EditOptions{}); err != nil {
			log.Fatal(err)
		}
	}
	// Output:
	// create eth0 mtu 1500
	// update eth0 mtu 1500 -> 9000
	// delete eth0
}
