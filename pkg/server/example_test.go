package server_test

import (
	"context"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/ncws/ncws/pkg/client"
	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/schema/yangload"
	"github.com/ncws/ncws/pkg/server"
	"github.com/ncws/ncws/pkg/transport/websocket"
	"github.com/ncws/ncws/yang"
)

// Example serves the example device model over WebSocket on a loopback port: an rpc answered by
// a Handler, a notification sent with Notify to a subscribed client. (pkg/agent assembles all
// of this, users and persistence included; generated packages register typed handlers.)
func Example() {
	sch, err := yang.Load(yangload.Options{Files: []string{yang.Example}}) // plus the protocol modules
	if err != nil {
		log.Fatal(err)
	}
	st, err := datastore.Open(datastore.Options{Schema: sch}) // in memory
	if err != nil {
		log.Fatal(err)
	}
	defer st.Close()
	quiet := slog.New(slog.DiscardHandler)
	srv := &server.Server{Store: st, Logger: quiet}

	// rpc reboot { input { leaf delay ... } output { leaf reboot-at ... } }
	m := sch.Module("ncws-example")
	reboot := sch.FindNode("/ncws-example:reboot")
	srv.Handle(reboot, func(ctx context.Context, req *server.Request) (*data.Node, error) {
		delay := req.Input.ChildByName("delay").Value.Num().Int() // its default, 0, when not sent
		at := time.Date(2026, 12, 24, 0, 0, 0, 0, time.UTC).Add(time.Duration(delay) * time.Second)
		out := data.New(reboot.Child(m, "output"))
		leaf := out.Schema.Child(m, "reboot-at")
		v, rerr := data.ParseValue(leaf.Type, at.Format(time.RFC3339), nil)
		if rerr != nil {
			return nil, rerr
		}
		out.Insert(data.NewLeaf(leaf, v))
		return out, nil // nil, nil answers <ok/>; an *rpcerror.Error becomes the rpc-error
	})

	// The WebSocket transport is a listener of whole NETCONF messages; Serve runs the sessions.
	l := websocket.NewListener(websocket.Options{Logger: quiet, Authenticate: func(r *http.Request) (string, error) {
		return "admin", nil // pkg/auth checks users and passwords
	}})
	mux := http.NewServeMux()
	mux.Handle("/netconf", l)
	hs := httptest.NewServer(mux)
	defer hs.Close()
	go srv.Serve(l)
	defer srv.Shutdown(context.Background())

	ctx := context.Background()
	notes := make(chan string, 1)
	s, err := client.Dial(ctx, "ws"+strings.TrimPrefix(hs.URL, "http")+"/netconf", &client.Options{
		OnNotification: func(_ time.Time, body []byte) { notes <- string(body) },
	})
	if err != nil {
		log.Fatal(err)
	}
	r, err := s.Call(ctx, []byte(`<reboot xmlns="urn:ncws:yang:ncws-example"><delay>30</delay></reboot>`))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s\n", r.Body)

	filter := client.Filter{Subtree: []byte(`<config-saved xmlns="urn:ncws:yang:ncws-example"/>`)}
	if err := s.CreateSubscription(ctx, client.SubscribeOptions{Filter: filter}); err != nil {
		log.Fatal(err)
	}
	// notification config-saved { leaf user { type string; } }
	saved := sch.FindNode("/ncws-example:config-saved")
	user := saved.Child(m, "user")
	v, rerr := data.ParseValue(user.Type, "alice", nil)
	if rerr != nil {
		log.Fatal(rerr)
	}
	ev := data.New(saved)
	ev.Insert(data.NewLeaf(user, v))
	if err := srv.Notify(ctx, ev, time.Now()); err != nil {
		log.Fatal(err)
	}
	fmt.Println(<-notes)
	fmt.Println(s.CloseSession(ctx))
	// Output:
	// <reboot-at xmlns="urn:ncws:yang:ncws-example">2026-12-24T00:00:30Z</reboot-at>
	// <config-saved xmlns="urn:ncws:yang:ncws-example"><user>alice</user></config-saved>
	// <nil>
}
