// Package ssh is NETCONF over SSH (RFC 6242) for the server: a Listener that accepts SSH
// connections (golang.org/x/crypto/ssh), authenticates them by password, keyboard-interactive
// or public key, and yields each `netconf` subsystem channel as a netconf.Conn, with the
// end-of-message framing for the hellos and base:1.0 and chunked framing once both peers
// announced base:1.1 (the server switches it through netconf.Base11Conn). Framing errors end
// the session (RFC 6242 section 4.2); messages are bounded by Options.ReadLimit.
//
//	keys, _, err := ssh.LoadOrCreateHostKeys(dir)
//	ln, err := net.Listen("tcp", ":830")
//	l, err := ssh.NewListener(ln, ssh.Options{HostKeys: keys, Password: a.CheckPassword, ...})
//	go srv.Serve(l)
//
// One SSH connection may carry several NETCONF sessions (channels); it is closed with its
// last session.
//
// Liveness: every Options.PingInterval (10 s by default) the server sends the connection a
// keepalive@openssh.com global request with want-reply; a ping left unanswered for
// Options.MaxMissedPings intervals (2) closes the connection, so a dead peer (host gone,
// process stopped) and its locks go within 30 s, the WebSocket transport's bound. Replies are
// read by x/crypto/ssh whatever the sessions do, so a session busy with a long request is not
// at fault. Closing a session (close-session, kill-session, shutdown) sends the replies still
// gathered and closes the channel; when that takes longer than framed's CloseTimeout (1 s: a
// peer that stopped reading) the SSH connection is cut, with every channel on it, as a
// channel write waiting for window ends only with the connection. kill-session returns at once.
package ssh
