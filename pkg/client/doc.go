// Package client is a NETCONF client over WebSocket (draft-iijima-netconf-websocket-ps-01): Dial
// opens a session (the handshake with the subprotocol `netconf`, then the <hello> exchange of RFC
// 6241 section 8.1), Call sends any operation and returns its <rpc-reply>, and typed methods cover
// the base operations of RFC 6241 sections 7 and 8. Generated clients call Call.
//
// A Session is safe for concurrent use and pipelines: each Call sends its <rpc> at once with its
// own message-id, and one reader goroutine hands every <rpc-reply> to the call waiting for it
// (RFC 6241 section 4.1). <notification>s (RFC 5277 section 4) go to Options.OnNotification
// once CreateSubscription subscribed the session (section 2.1.1: stream, filter, replay with
// startTime and stopTime); GetSchema fetches a module's YANG text (RFC 6022 section 3.1).
// An <rpc-reply> holding <rpc-error>s of severity error makes Call return an rpcerror.List;
// warnings alone do not. When the server closes the connection, pending and later calls
// return a *ClosedError with the WebSocket close code (1000 after <close-session>, 4001 after
// <kill-session>, whose reason names the killer).
//
//	s, err := client.Dial(ctx, "wss://device.example.com/netconf",
//		&client.Options{Username: "admin", Password: pw})
//	if err != nil { ... } // a *client.HandshakeError carries a refusal's HTTP status
//	defer s.CloseSession(ctx)
//	cfg, err := s.GetConfig(ctx, client.Running, client.Filter{})
//	err = s.EditConfig(ctx, client.Candidate, []byte(`<top xmlns="urn:example"/>`), client.EditOptions{})
package client
