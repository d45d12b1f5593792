package netconf_test

import (
	"bytes"
	"fmt"
	"os"
	"time"

	"github.com/ncws/ncws/pkg/netconf"
	"github.com/ncws/ncws/pkg/rpcerror"
)

func ExampleDecodeRPC() {
	msg := []byte(`<nc:rpc xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0" nc:message-id="101">` +
		`<nc:lock><nc:target><nc:running/></nc:target></nc:lock></nc:rpc>`)
	m, rerr := netconf.DecodeRPC(msg)
	if rerr != nil {
		fmt.Printf("%s\n", netconf.AppendRPCErrors(nil, m.ReplyAttrs(), rpcerror.List{rerr}, nil))
		return
	}
	fmt.Println(m.Kind, m.MessageID, m.OpName)
	fmt.Printf("%s\n", m.Operation())
	fmt.Printf("%s\n", netconf.AppendOK(nil, m.Attrs))
	// Output:
	// rpc 101 lock
	// <nc:lock xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0"><nc:target><nc:running/></nc:target></nc:lock>
	// <rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0" nc:message-id="101"><ok/></rpc-reply>
}

func ExampleAppendRPCErrors() {
	m, _ := netconf.DecodeRPC([]byte(`<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="5"><frob/></rpc>`))
	errs := rpcerror.List{rpcerror.OperationNotSupported("unknown operation %q", m.OpName)}
	fmt.Printf("%s\n", netconf.AppendRPCErrors(nil, m.Attrs, errs, nil))
	// Output:
	// <rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="5"><rpc-error><error-type>protocol</error-type><error-tag>operation-not-supported</error-tag><error-severity>error</error-severity><error-message xml:lang="en">unknown operation "frob"</error-message></rpc-error></rpc-reply>
}

func ExampleHello_Encode() {
	server := netconf.Hello{Capabilities: []string{netconf.CapBase10, netconf.CapBase11}, SessionID: 1}
	client, _ := netconf.DecodeHello([]byte(`<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">` +
		`<capabilities><capability>urn:ietf:params:netconf:base:1.1</capability></capabilities></hello>`))
	fmt.Printf("%s\n", server.Encode())
	fmt.Println(netconf.CommonBase(server.Capabilities, client.Capabilities))
	// Output:
	// <hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.0</capability><capability>urn:ietf:params:netconf:base:1.1</capability></capabilities><session-id>1</session-id></hello>
	// urn:ietf:params:netconf:base:1.1 true
}

func ExampleAppendNotification() {
	t := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	fmt.Printf("%s\n", netconf.AppendNotification(nil, t, []byte(`<link-up xmlns="urn:ex"/>`)))
	// Output:
	// <notification xmlns="urn:ietf:params:xml:ns:netconf:notification:1.0"><eventTime>2024-05-06T07:08:09Z</eventTime><link-up xmlns="urn:ex"/></notification>
}

func ExampleWriter() {
	w := netconf.NewWriter(os.Stdout)
	w.WriteMessage([]byte("<hello/>")) // hellos: end-of-message framing
	w.SetFraming(netconf.Chunked)      // both announced base:1.1
	w.WriteMessage([]byte("<rpc/>"))

	var buf bytes.Buffer
	netconf.NewWriter(&buf).WriteMessage([]byte("<a/>"))
	m, _ := netconf.NewReader(&buf, 0).ReadMessage()
	fmt.Printf("\n%s\n", m)
	// Output:
	// <hello/>]]>]]>
	// #6
	// <rpc/>
	// ##
	//
	// <a/>
}
