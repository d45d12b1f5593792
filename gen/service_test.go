package gen

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/ncws/ncws/pkg/schema/yangload"
	"github.com/ncws/ncws/yang"
)

// serviceMain serves the example device model through its generated package (schema from the
// embedded descriptor, the typed Server registered, the Notifier sending) and talks to it over a
// real WebSocket connection through the generated client and Notifications.
const serviceMain = `package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"

	"example.com/service/example"
	"github.com/ncws/ncws/pkg/client"
	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/genimpl"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/server"
	"github.com/ncws/ncws/pkg/transport/websocket"
)

// device implements the generated server interface; it embeds the Unimplemented type.
type device struct {
	example.UnimplementedNcwsExampleServer
}

func (device) Reboot(ctx context.Context, in *example.NcwsExample_RebootInput) (*example.NcwsExample_RebootOutput, error) {
	msg := ""
	if in.Message != nil {
		msg = *in.Message
	}
	at := fmt.Sprintf("2026-11-24T10:00:%02dZ", *in.Delay)
	fmt.Println("server: reboot", *in.Delay, msg)
	return &example.NcwsExample_RebootOutput{RebootAt: &at}, nil
}

func (device) InterfaceReset(ctx context.Context, kName string, in *example.NcwsExample_Interfaces_Interface_ResetInput) (*example.NcwsExample_Interfaces_Interface_ResetOutput, error) {
	fmt.Println("server: reset", kName, *in.Delay)
	if kName == "eth1" {
		return nil, rpcerror.OperationFailed("the link does not come back")
	}
	at := "2026-11-24T10:00:00Z"
	return &example.NcwsExample_Interfaces_Interface_ResetOutput{ResetAt: &at}, nil
}

// mtu describes an interface entry for the hook's output.
func mtu(e *example.NcwsExample_Interfaces_Interface) string {
	switch {
	case e == nil:
		return "absent"
	case e.MTU == nil:
		return *e.Name + " mtu unset"
	}
	return fmt.Sprintf("%s mtu %d", *e.Name, *e.MTU)
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run() error {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "service")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	// A device hook seeing typed old and new configuration.
	hook := datastore.HookFuncs{ApplyFunc: func(ctx context.Context, c *datastore.Commit) error {
		chs, err := example.Changes(c)
		if err != nil {
			return err
		}
		for _, ch := range chs {
			old, _ := ch.Old.(*example.NcwsExample_Interfaces_Interface)
			nw, _ := ch.New.(*example.NcwsExample_Interfaces_Interface)
			fmt.Printf("hook: %s %s -> %s\n", ch.Path, mtu(old), mtu(nw))
		}
		return nil
	}}
	st, err := datastore.Open(datastore.Options{Schema: example.Schema(), Dir: dir, Hooks: []datastore.Hook{hook}})
	if err != nil {
		return err
	}
	defer st.Close()
	srv := &server.Server{Store: st}
	if err := example.RegisterNcwsExampleServer(srv, device{}); err != nil {
		return err
	}
	l := websocket.NewListener(websocket.Options{Authenticate: func(r *http.Request) (string, error) { return "admin", nil }})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	go http.Serve(ln, l)
	go srv.Serve(l)
	defer srv.Shutdown(ctx)

	notes := make(chan string, 16)
	handlers := &example.NcwsExampleNotifications{
		ConfigSaved: func(t time.Time, ev *example.NcwsExample_ConfigSaved) { notes <- "config-saved by " + *ev.User },
		InterfaceLinkChange: func(t time.Time, kName string, ev *example.NcwsExample_Interfaces_Interface_LinkChange) {
			notes <- fmt.Sprintf("link-change %s %s", kName, *ev.OperStatus)
		},
	}
	s, err := client.Dial(ctx, "ws://"+ln.Addr().String()+"/", &client.Options{
		OnNotification: func(t time.Time, body []byte) {
			mine, err := handlers.Dispatch(t, body)
			if err != nil {
				notes <- "dispatch error: " + err.Error()
			} else if !mine {
				notes <- "not ours"
			}
		},
	})
	if err != nil {
		return err
	}
	defer s.Close()

	// Configuration from typed structs: two interfaces.
	var root example.Root
	root.Interfaces = new(example.NcwsExample_Interfaces)
	for _, name := range []string{"eth0", "eth1"} {
		e, err := root.Interfaces.NewInterface(name)
		if err != nil {
			return err
		}
		e.Type = genimpl.Ptr(example.NcwsExample_InterfaceType_Ethernet)
	}
	tree, err := root.ToTree(example.Schema())
	if err != nil {
		return err
	}
	cfg, err := yangxml.Marshal(tree, yangxml.EncodeOptions{})
	if err != nil {
		return err
	}
	if err := s.EditConfig(ctx, client.Running, cfg, client.EditOptions{}); err != nil {
		return err
	}

	// A leaf change is reported with its whole entry before and after; a deletion with New nil.
	if err := s.EditConfig(ctx, client.Running, []byte(` + "`" + `<interfaces xmlns="urn:ncws:yang:ncws-example"><interface><name>eth0</name><mtu>9000</mtu></interface></interfaces>` + "`" + `), client.EditOptions{}); err != nil {
		return err
	}
	if err := s.EditConfig(ctx, client.Running, []byte(` + "`" + `<interfaces xmlns="urn:ncws:yang:ncws-example" xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0"><interface nc:operation="delete"><name>eth1</name></interface></interfaces>` + "`" + `), client.EditOptions{}); err != nil {
		return err
	}
	if err := s.EditConfig(ctx, client.Running, []byte(` + "`" + `<interfaces xmlns="urn:ncws:yang:ncws-example" xmlns:ex="urn:ncws:yang:ncws-example"><interface><name>eth1</name><type>ex:ethernet</type></interface></interfaces>` + "`" + `), client.EditOptions{}); err != nil {
		return err
	}

	c := example.NewNcwsExampleClient(s)
	out, err := c.Reboot(ctx, &example.NcwsExample_RebootInput{Delay: genimpl.Ptr(uint32(5)), Message: genimpl.Ptr("bye")})
	if err != nil {
		return err
	}
	fmt.Println("client: reboot-at", *out.RebootAt)
	// The input's default (delay 0) reaches the server when the client leaves it out.
	if _, err := c.Reboot(ctx, &example.NcwsExample_RebootInput{}); err != nil {
		return err
	}
	r, err := c.InterfaceReset(ctx, "eth0", &example.NcwsExample_Interfaces_Interface_ResetInput{Delay: genimpl.Ptr(uint32(2))})
	if err != nil {
		return err
	}
	fmt.Println("client: reset-at", *r.ResetAt)
	var rerrs rpcerror.List
	for _, name := range []string{"eth1", "eth9"} {
		_, err = c.InterfaceReset(ctx, name, &example.NcwsExample_Interfaces_Interface_ResetInput{})
		if !errors.As(err, &rerrs) {
			return fmt.Errorf("reset %s: %v", name, err)
		}
		fmt.Println("client: reset", name, rerrs[0].Tag, rerrs[0].Message)
	}

	// Notifications: subscribe, send typed from the server, receive typed.
	if err := s.CreateSubscription(ctx, client.SubscribeOptions{}); err != nil {
		return err
	}
	n := example.NewNcwsExampleNotifier(srv)
	if err := n.ConfigSaved(ctx, &example.NcwsExample_ConfigSaved{User: genimpl.Ptr("alice")}); err != nil {
		return err
	}
	if err := n.InterfaceLinkChange(ctx, "eth0", &example.NcwsExample_Interfaces_Interface_LinkChange{OperStatus: genimpl.Ptr(example.NcwsExample_OperState_Down)}); err != nil {
		return err
	}
	for range 2 {
		select {
		case m := <-notes:
			fmt.Println("client:", m)
		case <-time.After(10 * time.Second):
			return errors.New("no notification")
		}
	}

	// get-schema serves the module text the package embeds.
	text, err := s.GetSchema(ctx, "ncws-example", "")
	if err != nil {
		return err
	}
	fmt.Println("client: get-schema equal:", text == example.Schema().Module("ncws-example").Source, len(text) > 1000)
	return nil
}
`

// TestGeneratedService generates the example device model's package, registers its typed server
// on a real server and drives it over WebSocket with the generated client: rpc and action calls
// with typed input, output and target keys, rpc-errors, typed notifications both ways, get-schema
// of the embedded module text.
func TestGeneratedService(t *testing.T) {
	t.Parallel() // a program built and run in a temporary module of its own
	if testing.Short() {
		t.Skip("builds and runs a program")
	}
	s, err := yang.Load(yangload.Options{Files: []string{yang.Example}})
	if err != nil {
		t.Fatal(err)
	}
	files, err := Generate(s, Options{Package: "example", Modules: []string{"ncws-example"}})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	initModule(t, dir, "example.com/service")
	writeFile(t, filepath.Join(dir, "main.go"), serviceMain)
	for name, b := range files {
		writeFile(t, filepath.Join(dir, "example", name), string(b))
	}
	goCmd(t, dir, false, "vet", "./...")
	out := goCmd(t, dir, false, "run", ".")
	want := strings.Join([]string{
		"hook: /ncws-example:interfaces absent -> absent",
		"hook: /ncws-example:interfaces/interface[name='eth0'] eth0 mtu unset -> eth0 mtu 9000",
		"hook: /ncws-example:interfaces/interface[name='eth1'] eth1 mtu unset -> absent",
		"hook: /ncws-example:interfaces/interface[name='eth1'] absent -> eth1 mtu unset",
		"server: reboot 5 bye",
		"client: reboot-at 2026-11-24T10:00:05Z",
		"server: reboot 0 ",
		"server: reset eth0 2",
		"client: reset-at 2026-11-24T10:00:00Z",
		"server: reset eth1 0",
		"client: reset eth1 operation-failed the link does not come back",
		"client: reset eth9 data-missing the action's target /ncws-example:interfaces/interface[name='eth9'] does not exist",
		"client: config-saved by alice",
		"client: link-change eth0 down",
		"client: get-schema equal: true true",
		"",
	}, "\n")
	if diff := cmpDiff(want, out); diff != "" {
		t.Errorf("program output mismatch (-want +got):\n%s", diff)
	}
}
