// Command mydevice is the agent of the README's five-minute path: the package generated from
// mydevice.yang implemented and served with pkg/agent, with a second generated package (ext,
// from a module augmenting mydevice) served by the same agent. e2e/quickstart_test.go builds it
// in a new module and calls it.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/ncws/ncws/pkg/agent"
	"github.com/ncws/ncws/pkg/schema"

	"example.com/mydevice/ext"
	"example.com/mydevice/mydev"
)

// device implements the rpcs and actions of mydevice (mydev.MydeviceServer).
type device struct {
	mydev.UnimplementedMydeviceServer // operation-not-supported for what is not written yet
	notify                            *mydev.MydeviceNotifier
}

// Ping answers rpc ping. Its input is validated before the call: a ping without its mandatory
// host is refused with missing-element and never gets here.
func (d *device) Ping(ctx context.Context, in *mydev.Mydevice_PingInput) (*mydev.Mydevice_PingOutput, error) {
	return &mydev.Mydevice_PingOutput{Received: in.Count}, nil
}

// PortReset answers action reset of /ports/port[name=name] (the agent checked that the port
// exists) and sends notification reset-done.
func (d *device) PortReset(ctx context.Context, name string, in *mydev.Mydevice_Ports_Port_ResetInput) (*mydev.Mydevice_Ports_Port_ResetOutput, error) {
	if err := d.notify.ResetDone(ctx, &mydev.Mydevice_ResetDone{Name: &name, Hard: in.Hard}); err != nil {
		return nil, err
	}
	return &mydev.Mydevice_Ports_Port_ResetOutput{Result: new("port " + name + " reset")}, nil
}

// locator implements rpc locate of mydevice-ext (ext.MydeviceExtServer): it answers the
// augmented leaf /system/location as the last commit left it.
type locator struct {
	ext.UnimplementedMydeviceExtServer
	mu       sync.Mutex
	location string
}

func (l *locator) Locate(ctx context.Context, in *ext.MydeviceExt_LocateInput) (*ext.MydeviceExt_LocateOutput, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return &ext.MydeviceExt_LocateOutput{Location: new(l.location)}, nil
}

func main() {
	dir := flag.String("dir", "mydevice-data", "datastore `directory`")
	listen := flag.String("listen", "127.0.0.1:8080", "listen `address`")
	flag.Parse()

	a, err := agent.New(&agent.Options{
		// Both generated packages: their schemas are merged (mydevice is in both).
		Schemas: []*schema.Schema{mydev.Schema(), ext.Schema()},
		Dir:     *dir,
		Listen:  *listen,
		// The first start creates DIR/users.htpasswd with the user admin.
		AdminCreated: func(file, password string) {
			fmt.Printf("created %s: user admin, password %s\n", file, password)
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	err = mydev.RegisterMydeviceServer(a.Server(), &device{notify: mydev.NewMydeviceNotifier(a.Server())})
	if err != nil {
		log.Fatal(err)
	}
	loc := &locator{}
	if err := ext.RegisterMydeviceExtServer(a.Server(), loc); err != nil {
		log.Fatal(err)
	}

	// State data: a typed provider fills the config false leaves of /system.
	start := time.Now()
	err = agent.State(a, "/mydevice:system", func(ctx context.Context, _ *agent.StateRequest, s *mydev.Mydevice_System) error {
		s.Uptime = new(uint32(time.Since(start) / time.Second))
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	// Configuration: each commit that changes /system reaches the device as ext.Mydevice_System (which
	// has the augmented leaf), whole before and after; and once at start with running.
	err = agent.Watch(a, agent.TypedHook[ext.Mydevice_System]{
		Path: "/mydevice:system",
		Apply: func(ctx context.Context, chs []agent.Change[ext.Mydevice_System], _ *agent.Commit) error {
			loc.mu.Lock()
			defer loc.mu.Unlock()
			for _, ch := range chs {
				loc.location = ""
				if ch.New != nil && ch.New.Location != nil {
					loc.location = *ch.New.Location
				}
			}
			return nil
		},
	})
	if err != nil {
		log.Fatal(err)
	}

	ln, err := a.Listen()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("serving NETCONF at ws://%s/netconf\n", ln.Addr())
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := a.ServeContext(ctx, ln); err != nil {
		log.Fatal(err)
	}
}
