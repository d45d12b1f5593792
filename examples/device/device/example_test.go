package device_test

import (
	"context"
	"fmt"
	"log"
	"log/slog"
	"os"
	"sync/atomic"
	"time"

	"github.com/ncws/ncws/examples/device/device"
	"github.com/ncws/ncws/generated/example"
	"github.com/ncws/ncws/pkg/agent"
	"github.com/ncws/ncws/pkg/client"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/schema"
)

// Example builds the device on an agent, serves it on a loopback port and configures it with a
// client: two interfaces and a default route. The state <get> reports then show the ports'
// counters after ten seconds of the device's clock, and the routing table.
func Example() {
	dir, err := os.MkdirTemp("", "device-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	var password string
	a, err := agent.New(&agent.Options{
		Schemas: []*schema.Schema{example.Schema()}, Dir: dir, Listen: "127.0.0.1:0",
		AdminCreated: func(_, pw string) { password = pw }, Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		log.Fatal(err)
	}
	// A clock that stands still unless moved, so that the output is the same at each run.
	var elapsed atomic.Int64
	start := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return start.Add(time.Duration(elapsed.Load())) }
	d, err := device.New(a, &device.Options{Now: clock, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		log.Fatal(err)
	}
	ln, err := a.Listen()
	if err != nil {
		log.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	go d.Run(ctx)
	served := make(chan error, 1)
	go func() { served <- a.ServeContext(ctx, ln) }()

	s, err := client.Dial(ctx, "ws://"+ln.Addr().String()+"/netconf", &client.Options{Username: "admin", Password: password})
	if err != nil {
		log.Fatal(err)
	}
	err = s.EditConfig(ctx, client.Running, []byte(`
	  <interfaces xmlns="urn:ncws:yang:ncws-example" xmlns:ex="urn:ncws:yang:ncws-example">
	    <interface><name>eth0</name><type>ex:ethernet</type><address>192.0.2.1/24</address></interface>
	    <interface><name>eth1</name><type>ex:ethernet</type><enabled>false</enabled><address>198.51.100.1/24</address></interface>
	  </interfaces>
	  <routing xmlns="urn:ncws:yang:ncws-example">
	    <route><prefix>0.0.0.0/0</prefix><gateway>192.0.2.254</gateway></route>
	  </routing>`), client.EditOptions{})
	if err != nil {
		log.Fatal(err)
	}
	elapsed.Add(int64(10 * time.Second))
	reply, err := s.Get(ctx, client.Filter{})
	if err != nil {
		log.Fatal(err)
	}
	tree, errs := yangxml.Unmarshal([]byte(`<data xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">`+string(reply)+`</data>`),
		example.Schema(), yangxml.DecodeOptions{})
	if len(errs) > 0 {
		log.Fatal(errs)
	}
	var root example.Root
	if err := root.FromTree(tree); err != nil {
		log.Fatal(err)
	}
	fmt.Println("uptime", *root.System.Uptime)
	for _, e := range root.Interfaces.Interface {
		fmt.Println(*e.Name, e.OperStatus, "in", *e.Statistics.InOctets, "out", *e.Statistics.OutOctets)
	}
	for _, e := range root.Routing.Table.Entry {
		fmt.Println(*e.Prefix, e.Protocol, "active", *e.Active)
	}
	s.Close()
	stop()
	fmt.Println("served:", <-served)
	// Output:
	// uptime 1000
	// eth0 up in 12500000 out 6250000
	// eth1 down in 0 out 0
	// 0.0.0.0/0 static active true
	// 192.0.2.0/24 connected active true
	// 198.51.100.0/24 connected active false
	// served: <nil>
}
