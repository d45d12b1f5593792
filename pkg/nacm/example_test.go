package nacm_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/nacm"
	"github.com/ncws/ncws/pkg/netconftest"
	"github.com/ncws/ncws/pkg/server"
)

// ExampleEngine_Attach serves a schema with access control: the recovery user root writes
// /nacm (alice may do everything), then bob, in no group, may read but not write; the denial is
// logged and answered with the denied node's path.
func ExampleEngine_Attach() {
	sch, err := netconftest.Schema()
	if err != nil {
		fmt.Println(err)
		return
	}
	noTime := func(groups []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}
	eng := nacm.New(sch, nacm.Options{RecoveryUser: "root",
		Logger: slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{ReplaceAttr: noTime}))})
	st, err := datastore.Open(datastore.Options{Schema: sch, Hooks: []datastore.Hook{eng.Hook()}})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer st.Close()
	srv := &server.Server{Store: st}
	if err := eng.Attach(st, srv); err != nil {
		fmt.Println(err)
		return
	}
	l := netconftest.NewListener()
	go srv.Serve(l)
	defer srv.Shutdown(context.Background())

	ctx := context.Background()
	call := func(user, op string) string {
		c, _ := l.Dial(ctx, user)
		defer c.Close()
		c.Recv(ctx) // the server's hello
		c.Send(ctx, []byte(`<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.1</capability></capabilities></hello>`))
		c.Send(ctx, []byte(`<rpc message-id="1" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">`+op+`</rpc>`))
		reply, _ := c.Recv(ctx)
		return string(reply)
	}
	call("root", `<edit-config><target><running/></target><config><nacm xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-acm">
	  <groups><group><name>admin</name><user-name>alice</user-name></group></groups>
	  <rule-list><name>admin</name><group>admin</group><rule><name>permit-all</name><module-name>*</module-name><access-operations>*</access-operations><action>permit</action></rule></rule-list>
	</nacm></config></edit-config>`)
	fmt.Println(call("bob", `<edit-config><target><running/></target><config><top xmlns="urn:ncws:test:nctest"><name>b</name></top></config></edit-config>`))
	fmt.Println(call("alice", `<edit-config><target><running/></target><config><top xmlns="urn:ncws:test:nctest"><name>a</name></top></config></edit-config>`))
	fmt.Println(call("bob", `<get-config><source><running/></source></get-config>`))
	// Output:
	// level=INFO msg="nacm: write denied" user=bob session=2 operation=create path=/nctest:top/name by=write-default
	// <rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1"><rpc-error xmlns:t="urn:ncws:test:nctest"><error-type>application</error-type><error-tag>access-denied</error-tag><error-severity>error</error-severity><error-path>/t:top/t:name</error-path><error-message xml:lang="en">create of /nctest:top/name denied</error-message></rpc-error></rpc-reply>
	// <rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1"><ok/></rpc-reply>
	// <rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1"><data xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><top xmlns="urn:ncws:test:nctest"><name>a</name></top></data></rpc-reply>
}
