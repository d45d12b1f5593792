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
package ssh
