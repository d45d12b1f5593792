package device_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ncws/ncws/examples/device/device"
	"github.com/ncws/ncws/generated/example"
	"github.com/ncws/ncws/pkg/agent"
	"github.com/ncws/ncws/pkg/auth"
	"github.com/ncws/ncws/pkg/client"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/genimpl"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
)

// clock is a device clock the test advances.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// testDevice is a device served over WebSocket on a loopback port.
type testDevice struct {
	d    *device.Device
	url  string
	pw   string
	stop func() // stops the agent and the device's timers; the test's end does too
}

// start builds an agent on the example schema in dir (a new temporary directory when empty)
// with the device on it, runs the device's timers and serves the agent on 127.0.0.1:0 until
// stop or the end of the test, which also check that Run returned.
func start(t *testing.T, dir string, opts *device.Options) *testDevice {
	t.Helper()
	if dir == "" {
		dir = filepath.Join(t.TempDir(), "data")
	}
	// The admin the agent would create, at bcrypt's lowest cost: at the default cost a login takes
	// 0.5-2 s under -race on a loaded machine, and every test here logs in.
	pw := "device-test-admin"
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if users := filepath.Join(dir, "users.htpasswd"); !fileExists(users) {
		if err := auth.SetPasswordCost(users, "admin", pw, 4); err != nil {
			t.Fatal(err)
		}
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := agent.New(&agent.Options{
		Schemas: []*schema.Schema{example.Schema()}, Dir: dir, Listen: "127.0.0.1:0", Logger: quiet,
		AdminCreated: func(_, p string) { pw = p },
	})
	if err != nil {
		t.Fatal(err)
	}
	if opts == nil {
		opts = &device.Options{}
	}
	opts.Logger = quiet
	d, err := device.New(a, opts)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := a.Listen()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served, ran := make(chan error, 1), make(chan struct{})
	go func() {
		defer close(ran)
		d.Run(ctx)
	}()
	go func() { served <- a.ServeContext(ctx, ln) }()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			if err := <-served; err != nil {
				t.Errorf("ServeContext: %v", err)
			}
			select {
			case <-ran:
			case <-time.After(10 * time.Second):
				t.Error("Run did not return when its context ended")
			}
		})
	}
	t.Cleanup(stop)
	return &testDevice{d: d, url: "ws://" + ln.Addr().String() + "/netconf", pw: pw, stop: stop}
}

func (td *testDevice) dial(t *testing.T, opts *client.Options) *client.Session {
	t.Helper()
	o := client.Options{}
	if opts != nil {
		o = *opts
	}
	o.Username, o.Password = "admin", td.pw
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := client.Dial(ctx, td.url, &o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

const ns = `xmlns="urn:ncws:yang:ncws-example" xmlns:ex="urn:ncws:yang:ncws-example"`

func edit(t *testing.T, s *client.Session, config string) {
	t.Helper()
	if err := s.EditConfig(ctxT(t), client.Running, []byte(config), client.EditOptions{}); err != nil {
		t.Fatalf("edit-config: %v\n%s", err, config)
	}
}

// get runs a <get> with a subtree filter and returns the reply's data as typed structs.
func get(t *testing.T, s *client.Session, filter string) *example.Root {
	t.Helper()
	var f client.Filter
	if filter != "" {
		f.Subtree = []byte(filter)
	}
	b, err := s.Get(ctxT(t), f)
	if err != nil {
		t.Fatal(err)
	}
	return decode(t, b)
}

func getConfig(t *testing.T, s *client.Session) *example.Root {
	t.Helper()
	b, err := s.GetConfig(ctxT(t), client.Running, client.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	return decode(t, b)
}

func decode(t *testing.T, b []byte) *example.Root {
	t.Helper()
	doc := `<data xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">` + string(b) + `</data>`
	tree, errs := yangxml.Unmarshal([]byte(doc), example.Schema(), yangxml.DecodeOptions{})
	if len(errs) > 0 {
		t.Fatalf("decoding the reply: %v\n%s", errs, b)
	}
	var root example.Root
	if err := root.FromTree(tree); err != nil {
		t.Fatal(err)
	}
	return &root
}

// ifState is one interface's state as "name oper in out".
func ifState(r *example.Root) []string {
	var out []string
	if r.Interfaces == nil {
		return nil
	}
	for _, e := range r.Interfaces.Interface {
		s := *e.Name
		if e.OperStatus != nil {
			s += " " + e.OperStatus.String()
		}
		if st := e.Statistics; st != nil {
			s += fmt.Sprintf(" in=%d out=%d", *st.InOctets, *st.OutOctets)
		}
		out = append(out, s)
	}
	return out
}

// table is the routing table as "prefix protocol [via NH] [dev IF] [discard] [metric M] active|inactive".
func table(r *example.Root) []string {
	var out []string
	if r.Routing == nil || r.Routing.Table == nil {
		return nil
	}
	for _, e := range r.Routing.Table.Entry {
		s := *e.Prefix + " " + e.Protocol.String()
		if e.NextHop != nil {
			s += " via " + *e.NextHop
		}
		if e.Interface != nil {
			s += " dev " + *e.Interface
		}
		if e.Discard {
			s += " discard"
		}
		if e.Metric != nil {
			s += fmt.Sprintf(" metric %d", *e.Metric)
		}
		if *e.Active {
			s += " active"
		} else {
			s += " inactive"
		}
		out = append(out, s)
	}
	return out
}

const (
	sysFilter   = `<system xmlns="urn:ncws:yang:ncws-example"/>`
	ifsFilter   = `<interfaces xmlns="urn:ncws:yang:ncws-example"/>`
	tableFilter = `<routing xmlns="urn:ncws:yang:ncws-example"><table/></routing>`
)

func TestFreshDeviceState(t *testing.T) {
	t.Parallel()
	clk := newClock()
	td := start(t, "", &device.Options{Now: clk.Now})
	s := td.dial(t, nil)
	clk.Advance(42*time.Second + 500*time.Millisecond)
	r := get(t, s, "")
	if r.System == nil || r.System.Uptime == nil || *r.System.Uptime != 4250 {
		t.Errorf("uptime %v, want 4250 (42.5 s)", r.System)
	} else if got := *r.System.CurrentTime; got != "2026-11-24T12:00:42Z" {
		t.Errorf("current-time %s, want 2026-11-24T12:00:42Z", got)
	}
	if got := ifState(r); got != nil {
		t.Errorf("interfaces on a fresh device: %q", got)
	}
	if got := table(r); got != nil {
		t.Errorf("routing table of a fresh device: %q", got)
	}
}

const twoInterfaces = `<interfaces ` + ns + `>
  <interface><name>eth0</name><type>ex:ethernet</type><address>192.0.2.1/24</address><address>2001:db8::1/64</address></interface>
  <interface><name>eth1</name><type>ex:ethernet</type><address>198.51.100.1/24</address></interface>
</interfaces>`

const staticRoutes = `<routing ` + ns + `>
  <route><prefix>0.0.0.0/0</prefix><gateway>192.0.2.254</gateway></route>
  <route><prefix>10.0.0.0/8</prefix><outgoing-interface>eth1</outgoing-interface><metric>5</metric></route>
  <route><prefix>198.51.100.0/24</prefix><gateway>192.0.2.253</gateway></route>
  <route><prefix>192.168.0.0/16</prefix><discard/></route>
  <route><prefix>172.16.0.0/12</prefix><gateway>203.0.113.9</gateway></route>
</routing>`

func TestRoutingTable(t *testing.T) {
	t.Parallel()
	td := start(t, "", nil)
	s := td.dial(t, nil)
	edit(t, s, twoInterfaces+staticRoutes)
	want := []string{
		"0.0.0.0/0 static via 192.0.2.254 dev eth0 metric 1 active",
		"10.0.0.0/8 static dev eth1 metric 5 active",
		"172.16.0.0/12 static via 203.0.113.9 metric 1 inactive", // no connected subnet holds the gateway
		"192.0.2.0/24 connected dev eth0 active",
		"192.168.0.0/16 static discard metric 1 active",
		"198.51.100.0/24 connected dev eth1 active",
		"198.51.100.0/24 static via 192.0.2.253 dev eth0 metric 1 inactive", // the connected route wins
		"2001:db8::/64 connected dev eth0 active",
	}
	if diff := cmp.Diff(want, table(get(t, s, tableFilter))); diff != "" {
		t.Errorf("routing table mismatch (-want +got):\n%s", diff)
	}

	// eth1 disabled: its connected route and the route through it are inactive, the static
	// route of its subnet through eth0 takes over.
	edit(t, s, `<interfaces `+ns+`><interface><name>eth1</name><enabled>false</enabled></interface></interfaces>`)
	want = []string{
		"0.0.0.0/0 static via 192.0.2.254 dev eth0 metric 1 active",
		"10.0.0.0/8 static dev eth1 metric 5 inactive",
		"172.16.0.0/12 static via 203.0.113.9 metric 1 inactive",
		"192.0.2.0/24 connected dev eth0 active",
		"192.168.0.0/16 static discard metric 1 active",
		"198.51.100.0/24 connected dev eth1 inactive",
		"198.51.100.0/24 static via 192.0.2.253 dev eth0 metric 1 active",
		"2001:db8::/64 connected dev eth0 active",
	}
	r := get(t, s, "")
	if diff := cmp.Diff(want, table(r)); diff != "" {
		t.Errorf("routing table with eth1 disabled mismatch (-want +got):\n%s", diff)
	}
	if got := ifState(r); len(got) != 2 || !strings.HasPrefix(got[1], "eth1 down ") {
		t.Errorf("interfaces with eth1 disabled: %q", got)
	}

	// Deleting the routes and eth1 (routes first: the route via eth1 depends on it).
	edit(t, s, `<routing `+ns+` xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0" nc:operation="delete"/>
	  <interfaces `+ns+` xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0"><interface nc:operation="delete"><name>eth1</name></interface></interfaces>`)
	want = []string{"192.0.2.0/24 connected dev eth0 active", "2001:db8::/64 connected dev eth0 active"}
	if diff := cmp.Diff(want, table(get(t, s, tableFilter))); diff != "" {
		t.Errorf("routing table after the deletions mismatch (-want +got):\n%s", diff)
	}
}

func TestCounters(t *testing.T) {
	t.Parallel()
	clk := newClock()
	td := start(t, "", &device.Options{Now: clk.Now})
	s := td.dial(t, nil)
	edit(t, s, `<interfaces `+ns+`>
	  <interface><name>eth0</name><type>ex:ethernet</type><speed>10000</speed></interface>
	  <interface><name>eth1</name><type>ex:ethernet</type></interface>
	  <interface><name>eth2</name><type>ex:ethernet</type><enabled>false</enabled></interface></interfaces>`)
	want := []string{"eth0 up in=0 out=0", "eth1 up in=0 out=0", "eth2 down in=0 out=0"}
	if diff := cmp.Diff(want, ifState(get(t, s, ifsFilter))); diff != "" {
		t.Errorf("counters at start mismatch (-want +got):\n%s", diff)
	}
	// 1% of the speed in, 0.5% out: 10 Gb/s for 10 s is 125 MB in; auto is 1 Gb/s.
	clk.Advance(10 * time.Second)
	want = []string{"eth0 up in=125000000 out=62500000", "eth1 up in=12500000 out=6250000", "eth2 down in=0 out=0"}
	if diff := cmp.Diff(want, ifState(get(t, s, ifsFilter))); diff != "" {
		t.Errorf("counters after 10 s mismatch (-want +got):\n%s", diff)
	}
	// Disabled, eth1 keeps its counters; enabled, eth2 starts counting.
	edit(t, s, `<interfaces `+ns+`><interface><name>eth1</name><enabled>false</enabled></interface>
	  <interface><name>eth2</name><enabled>true</enabled></interface></interfaces>`)
	clk.Advance(2 * time.Second)
	want = []string{"eth0 up in=150000000 out=75000000", "eth1 down in=12500000 out=6250000", "eth2 up in=2500000 out=1250000"}
	if diff := cmp.Diff(want, ifState(get(t, s, ifsFilter))); diff != "" {
		t.Errorf("counters after 12 s mismatch (-want +got):\n%s", diff)
	}
}

func TestCountersOnRealClock(t *testing.T) {
	t.Parallel()
	td := start(t, "", nil)
	s := td.dial(t, nil)
	edit(t, s, `<interfaces `+ns+`><interface><name>eth0</name><type>ex:ethernet</type></interface></interfaces>`)
	in := func() uint64 {
		r := get(t, s, ifsFilter)
		return *r.Interfaces.GetInterface("eth0").Statistics.InOctets
	}
	first := in()
	deadline := time.Now().Add(20 * time.Second)
	for in() == first {
		if time.Now().After(deadline) {
			t.Fatalf("in-octets stayed %d", first)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestReboot(t *testing.T) {
	t.Parallel()
	clk := newClock()
	td := start(t, "", &device.Options{Now: clk.Now})
	s := td.dial(t, nil)
	c := example.NewNcwsExampleClient(s)
	edit(t, s, `<interfaces `+ns+`><interface><name>eth0</name><type>ex:ethernet</type></interface></interfaces>`)
	clk.Advance(100 * time.Second)
	r := get(t, s, "")
	if *r.System.Uptime != 10000 || *r.Interfaces.Interface[0].Statistics.InOctets == 0 {
		t.Fatalf("before the reboot: uptime %d, %q", *r.System.Uptime, ifState(r))
	}
	out, err := c.Reboot(ctxT(t), &example.NcwsExample_RebootInput{Message: genimpl.Ptr("maintenance")})
	if err != nil {
		t.Fatal(err)
	}
	if got := *out.RebootAt; got != "2026-11-24T12:01:40Z" {
		t.Errorf("reboot-at %s, want now, 2026-11-24T12:01:40Z", got)
	}
	r = get(t, s, "")
	if *r.System.Uptime != 0 {
		t.Errorf("uptime after the reboot: %d", *r.System.Uptime)
	}
	if diff := cmp.Diff([]string{"eth0 up in=0 out=0"}, ifState(r)); diff != "" {
		t.Errorf("interfaces after the reboot mismatch (-want +got):\n%s", diff)
	}
	cfg := getConfig(t, s)
	if cfg.Interfaces.GetInterface("eth0") == nil {
		t.Error("the reboot lost the configuration")
	}

	// A delayed reboot happens later, on Run's timer.
	clk.Advance(50 * time.Second)
	out, err = c.Reboot(ctxT(t), &example.NcwsExample_RebootInput{Delay: genimpl.Ptr(uint32(1))})
	if err != nil {
		t.Fatal(err)
	}
	if got := *out.RebootAt; got != "2026-11-24T12:02:31Z" {
		t.Errorf("reboot-at %s, want in 1 s, 2026-11-24T12:02:31Z", got)
	}
	deadline := time.Now().Add(20 * time.Second)
	for *get(t, s, sysFilter).System.Uptime != 0 {
		if time.Now().After(deadline) {
			t.Fatal("the delayed reboot did not happen")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// linkChanges collects the link-change notifications of a session.
type linkChanges struct {
	ch chan string
}

func newLinkChanges() *linkChanges { return &linkChanges{ch: make(chan string, 100)} }

func (l *linkChanges) options(t *testing.T) *client.Options {
	h := &example.NcwsExampleNotifications{
		InterfaceLinkChange: func(_ time.Time, name string, ev *example.NcwsExample_Interfaces_Interface_LinkChange) {
			l.ch <- name + " " + ev.OperStatus.String()
		},
	}
	return &client.Options{OnNotification: func(at time.Time, body []byte) {
		if _, err := h.Dispatch(at, body); err != nil {
			t.Errorf("notification %s: %v", body, err)
		}
	}}
}

// next returns the next n link changes.
func (l *linkChanges) next(t *testing.T, n int) []string {
	t.Helper()
	var got []string
	timeout := time.After(20 * time.Second)
	for len(got) < n {
		select {
		case s := <-l.ch:
			got = append(got, s)
		case <-timeout:
			t.Fatalf("link changes: got %q, want %d", got, n)
		}
	}
	return got
}

func TestResetAction(t *testing.T) {
	t.Parallel()
	clk := newClock()
	td := start(t, "", &device.Options{Now: clk.Now})
	notes := newLinkChanges()
	w := td.dial(t, notes.options(t))
	if err := w.CreateSubscription(ctxT(t), client.SubscribeOptions{}); err != nil {
		t.Fatal(err)
	}
	s := td.dial(t, nil)
	c := example.NewNcwsExampleClient(s)
	edit(t, s, `<interfaces `+ns+`><interface><name>eth0</name><type>ex:ethernet</type></interface>
	  <interface><name>eth1</name><type>ex:ethernet</type></interface>
	  <interface><name>eth2</name><type>ex:ethernet</type><enabled>false</enabled></interface></interfaces>`)
	clk.Advance(10 * time.Second)
	out, err := c.InterfaceReset(ctxT(t), "eth0", &example.NcwsExample_Interfaces_Interface_ResetInput{})
	if err != nil {
		t.Fatal(err)
	}
	if got := *out.ResetAt; got != "2026-11-24T12:00:10Z" {
		t.Errorf("reset-at %s", got)
	}
	if diff := cmp.Diff([]string{"eth0 down", "eth0 up"}, notes.next(t, 2)); diff != "" {
		t.Errorf("notifications mismatch (-want +got):\n%s", diff)
	}
	want := []string{"eth0 up in=0 out=0", "eth1 up in=12500000 out=6250000", "eth2 down in=0 out=0"}
	if diff := cmp.Diff(want, ifState(get(t, s, ifsFilter))); diff != "" {
		t.Errorf("counters after the reset mismatch (-want +got):\n%s", diff)
	}

	// A disabled interface's reset clears its counters and sends nothing; a delayed reset
	// happens on Run's timer.
	if _, err := c.InterfaceReset(ctxT(t), "eth2", &example.NcwsExample_Interfaces_Interface_ResetInput{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.InterfaceReset(ctxT(t), "eth1", &example.NcwsExample_Interfaces_Interface_ResetInput{Delay: genimpl.Ptr(uint32(1))}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"eth1 down", "eth1 up"}, notes.next(t, 2)); diff != "" {
		t.Errorf("notifications of the delayed reset mismatch (-want +got):\n%s", diff)
	}
	want = []string{"eth0 up in=0 out=0", "eth1 up in=0 out=0", "eth2 down in=0 out=0"}
	if diff := cmp.Diff(want, ifState(get(t, s, ifsFilter))); diff != "" {
		t.Errorf("counters after the delayed reset mismatch (-want +got):\n%s", diff)
	}

	_, err = c.InterfaceReset(ctxT(t), "eth9", &example.NcwsExample_Interfaces_Interface_ResetInput{})
	var errs rpcerror.List
	if !errors.As(err, &errs) || errs[0].Tag != rpcerror.TagDataMissing {
		t.Errorf("reset of an unconfigured interface: %v, want data-missing", err)
	}
}

func TestLinkFlaps(t *testing.T) {
	t.Parallel()
	td := start(t, "", &device.Options{FlapInterval: 20 * time.Millisecond})
	notes := newLinkChanges()
	w := td.dial(t, notes.options(t))
	if err := w.CreateSubscription(ctxT(t), client.SubscribeOptions{}); err != nil {
		t.Fatal(err)
	}
	s := td.dial(t, nil)
	edit(t, s, `<interfaces `+ns+`><interface><name>eth0</name><type>ex:ethernet</type></interface>
	  <interface><name>eth1</name><type>ex:ethernet</type></interface>
	  <interface><name>lo0</name><type>ex:loopback</type></interface>
	  <interface><name>eth2</name><type>ex:ethernet</type><enabled>false</enabled></interface></interfaces>`)
	// The enabled non-loopback interfaces flap in turn, each down for one interval.
	want := []string{"eth0 down", "eth0 up", "eth1 down", "eth1 up", "eth0 down", "eth0 up"}
	if diff := cmp.Diff(want, notes.next(t, len(want))); diff != "" {
		t.Errorf("flap notifications mismatch (-want +got):\n%s", diff)
	}
	// A flapped link shows in oper-status.
	deadline := time.Now().Add(20 * time.Second)
	for {
		r := get(t, s, ifsFilter)
		if e := r.Interfaces.GetInterface("eth0"); *e.OperStatus == example.NcwsExample_OperState_Down {
			break
		}
		if e := r.Interfaces.GetInterface("eth1"); *e.OperStatus == example.NcwsExample_OperState_Down {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no flapped interface seen down")
		}
	}
}

func TestFlapInterfaces(t *testing.T) {
	t.Parallel()
	td := start(t, "", &device.Options{FlapInterval: 20 * time.Millisecond, FlapInterfaces: []string{"lo0", "eth9"}})
	notes := newLinkChanges()
	w := td.dial(t, notes.options(t))
	if err := w.CreateSubscription(ctxT(t), client.SubscribeOptions{}); err != nil {
		t.Fatal(err)
	}
	s := td.dial(t, nil)
	edit(t, s, `<interfaces `+ns+`><interface><name>eth0</name><type>ex:ethernet</type></interface>
	  <interface><name>lo0</name><type>ex:loopback</type></interface></interfaces>`)
	want := []string{"lo0 down", "lo0 up", "lo0 down", "lo0 up"}
	if diff := cmp.Diff(want, notes.next(t, len(want))); diff != "" {
		t.Errorf("flap notifications mismatch (-want +got):\n%s", diff)
	}
}

func TestFailApplyAborts(t *testing.T) {
	t.Parallel()
	td := start(t, "", nil)
	s := td.dial(t, nil)
	edit(t, s, `<interfaces `+ns+`><interface><name>eth0</name><type>ex:ethernet</type><address>192.0.2.1/24</address></interface></interfaces>
	  <routing `+ns+`><route><prefix>10.0.0.0/8</prefix><gateway>192.0.2.254</gateway></route></routing>`)
	before := getConfig(t, s)
	wantTable := []string{"10.0.0.0/8 static via 192.0.2.254 dev eth0 metric 1 active", "192.0.2.0/24 connected dev eth0 active"}
	if diff := cmp.Diff(wantTable, table(get(t, s, tableFilter))); diff != "" {
		t.Fatalf("routing table mismatch (-want +got):\n%s", diff)
	}

	// One commit: the route's deletion (applied first, routes before interfaces on deletion),
	// eth2 (applied), eth3 (refused by the device).
	refused := `<routing ` + ns + ` xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0"><route nc:operation="delete"><prefix>10.0.0.0/8</prefix></route></routing>
	  <interfaces ` + ns + `><interface><name>eth2</name><type>ex:ethernet</type></interface>
	  <interface><name>eth3</name><type>ex:ethernet</type><description>lab: fail-apply</description></interface></interfaces>`
	err := s.EditConfig(ctxT(t), client.Running, []byte(refused), client.EditOptions{})
	var errs rpcerror.List
	if !errors.As(err, &errs) || len(errs) != 1 {
		t.Fatalf("edit with fail-apply: %v, want one rpc-error", err)
	}
	if e := errs[0]; e.Tag != rpcerror.TagOperationFailed || e.Path != "/ex:interfaces/ex:interface[ex:name='eth3']" ||
		!strings.Contains(e.Message, "refused to apply interface eth3") {
		t.Errorf("rpc-error %+v", e)
	}
	if diff := cmp.Diff(before, getConfig(t, s)); diff != "" {
		t.Errorf("running changed by the refused edit (-want +got):\n%s", diff)
	}
	// The device took its changes back: the route is in the table again, eth2 is not a port.
	r := get(t, s, "")
	if diff := cmp.Diff(wantTable, table(r)); diff != "" {
		t.Errorf("routing table after the abort mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"eth0 up in=0 out=0"}, ifState(r), cmp.Comparer(sameName)); diff != "" {
		t.Errorf("interfaces after the abort mismatch (-want +got):\n%s", diff)
	}
}

// sameName compares ifState lines by name and oper-status only.
func sameName(a, b string) bool {
	f := func(s string) string {
		w := strings.Fields(s)
		return strings.Join(w[:min(2, len(w))], " ")
	}
	return f(a) == f(b)
}

func TestRestartReappliesRunning(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	td := start(t, dir, nil)
	s := td.dial(t, nil)
	edit(t, s, twoInterfaces+`<routing `+ns+`><route><prefix>0.0.0.0/0</prefix><gateway>192.0.2.254</gateway></route></routing>`)
	s.Close()
	// A second agent and device on the same directory (after the first stopped) get the
	// hardware state from running through the hooks' initial apply.
	td.stop()
	td2 := start(t, dir, nil)
	td2.pw = td.pw
	s2 := td2.dial(t, nil)
	r := get(t, s2, "")
	want := []string{
		"0.0.0.0/0 static via 192.0.2.254 dev eth0 metric 1 active",
		"192.0.2.0/24 connected dev eth0 active",
		"198.51.100.0/24 connected dev eth1 active",
		"2001:db8::/64 connected dev eth0 active",
	}
	if diff := cmp.Diff(want, table(r)); diff != "" {
		t.Errorf("routing table after the restart mismatch (-want +got):\n%s", diff)
	}
	if got := ifState(r); len(got) != 2 {
		t.Errorf("interfaces after the restart: %q", got)
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
