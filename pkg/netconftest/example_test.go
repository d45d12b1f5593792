package netconftest_test

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/ncws/ncws/pkg/netconftest"
)

// Example opens a session over the in-memory transport and reads running.
func Example() {
	t := &testing.T{}
	srv := netconftest.NewServer(t)
	l := netconftest.NewListener()
	go srv.Serve(l)
	defer l.Close()
	ctx := context.Background()
	c, _ := l.Dial(ctx, "alice")
	hello, _ := c.Recv(ctx)
	fmt.Println(regexp.MustCompile(`<session-id>\d+</session-id>`).Match(hello))
	c.Send(ctx, []byte(`<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.1</capability></capabilities></hello>`))
	c.Send(ctx, []byte(`<rpc message-id="1" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><get-config><source><running/></source></get-config></rpc>`))
	reply, _ := c.Recv(ctx)
	fmt.Println(string(reply))
	// Output:
	// true
	// <rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1"><data xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"/></rpc-reply>
}
