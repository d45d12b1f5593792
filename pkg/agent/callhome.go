package agent

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"time"

	"github.com/ncws/ncws/pkg/netconf"
	"github.com/ncws/ncws/pkg/server"
	"github.com/ncws/ncws/pkg/transport/ssh"
	nctls "github.com/ncws/ncws/pkg/transport/tls"
)

// Call-home reconnection (RFC 8071 section 4.1's "reconnect" strategy): the first retry after
// CallHomeMinBackoff, doubling up to CallHomeMaxBackoff; a session that lasted longer than the
// maximum starts over at the minimum.
const (
	CallHomeMinBackoff = time.Second
	CallHomeMaxBackoff = time.Minute
)

// callHome is one configured NETCONF client the agent dials.
type callHome struct {
	scheme, addr string
}

// parseCallHome checks the call-home targets: ssh://host:port or tls://host:port (4334 and
// 4335 are the IANA ports, used when the port is missing).
func parseCallHome(targets []string) ([]callHome, error) {
	var out []callHome
	for _, t := range targets {
		u, err := url.Parse(t)
		if err != nil || u.Host == "" || (u.Path != "" && u.Path != "/") {
			return nil, fmt.Errorf("agent: call home %q: want ssh://HOST[:PORT] or tls://HOST[:PORT]", t)
		}
		port := u.Port()
		switch u.Scheme {
		case "ssh":
			if port == "" {
				port = "4334"
			}
		case "tls":
			if port == "" {
				port = "4335"
			}
		default:
			return nil, fmt.Errorf("agent: call home %q: scheme %q, want ssh or tls", t, u.Scheme)
		}
		out = append(out, callHome{scheme: u.Scheme, addr: net.JoinHostPort(u.Hostname(), port)})
	}
	return out, nil
}

// startCallHome runs a dialer per call-home target until the agent stops. It is called by
// Start with a.mu held.
func (a *Agent) startCallHome() error {
	if len(a.callHome) == 0 {
		return nil
	}
	var sshL *ssh.Listener
	var tlsL *nctls.Listener
	for _, ch := range a.callHome {
		var err error
		switch {
		case ch.scheme == "ssh" && sshL == nil:
			if sshL, err = ssh.NewListener(nil, a.sshOptions()); err == nil {
				go a.serveCallHome(sshL)
			}
		case ch.scheme == "tls" && tlsL == nil:
			if tlsL, err = nctls.NewListener(nil, a.tlsOptions()); err == nil {
				go a.serveCallHome(tlsL)
			}
		}
		if err != nil {
			return fmt.Errorf("agent: call home: %w", err)
		}
	}
	for _, ch := range a.callHome {
		serve := func(nc net.Conn) { sshL.ServeConn(nc) }
		if ch.scheme == "tls" {
			serve = func(nc net.Conn) { tlsL.ServeConn(nc) }
		}
		go a.dialLoop(ch, serve)
	}
	return nil
}

// serveCallHome serves the sessions of the call-home connections until Shutdown.
func (a *Agent) serveCallHome(l netconf.Listener) {
	if err := a.srv.Serve(l); err != nil && !errors.Is(err, server.ErrServerClosed) {
		a.log.Error("agent: call home", "err", err)
	}
}

// dialLoop connects to one call-home client again and again: RFC 8071's persistent
// connection with reconnection after a failure or the end of the session.
func (a *Agent) dialLoop(ch callHome, serve func(net.Conn)) {
	backoff := CallHomeMinBackoff
	d := net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	for {
		nc, err := d.DialContext(a.stopCtx, "tcp", ch.addr)
		if err != nil {
			if a.stopCtx.Err() != nil {
				return
			}
			a.log.Info("agent: call home: dial failed", "client", ch.scheme+"://"+ch.addr, "err", err, "retry", backoff)
		} else {
			a.log.Info("agent: call home: connected", "client", ch.scheme+"://"+ch.addr)
			start := time.Now()
			stop := context.AfterFunc(a.stopCtx, func() { nc.Close() })
			serve(nc)
			stop()
			nc.Close()
			if a.stopCtx.Err() != nil {
				return
			}
			if time.Since(start) > CallHomeMaxBackoff {
				backoff = CallHomeMinBackoff
			}
			a.log.Info("agent: call home: connection ended", "client", ch.scheme+"://"+ch.addr, "retry", backoff)
		}
		select {
		case <-a.stopCtx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, CallHomeMaxBackoff)
	}
}
