package server

import (
	"context"
	"net"
	"strconv"
	"time"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/netconf"
)

// The server's own events (RFC 6470), sent when the schema has ietf-netconf-notifications.

// ownNotification returns a new node of the ietf-netconf-notifications notification name, nil
// when the schema lacks it.
func (srv *Server) ownNotification(name string) (*data.Node, *builder) {
	sch := srv.Store.Schema()
	m := sch.ModuleByNamespace(nsNetconfNotifs)
	if m == nil {
		return nil, nil
	}
	for _, n := range m.Notifications {
		if n.Name == name {
			return data.New(n), &builder{sch: sch}
		}
	}
	return nil, nil
}

// sessionParams fills the common-session-parms of session id (RFC 6470 section 2).
func (b *builder) sessionParams(n *data.Node, user string, id uint32, remote net.Addr) {
	b.leaf(n, "username", user)
	b.leaf(n, "session-id", strconv.FormatUint(uint64(id), 10))
	if remote != nil {
		if host, _, err := net.SplitHostPort(remote.String()); err == nil {
			b.leaf(n, "source-host", host)
		}
	}
}

// emit sends one of the server's own events, logging a failure to build it (a schema whose
// ietf-netconf-notifications differs from RFC 6470).
func (srv *Server) emit(n *data.Node, b *builder) {
	if b.err != nil {
		srv.Logger.Error("server: building an event failed", "event", n.Schema.Name, "err", b.err)
		return
	}
	if err := srv.Notify(context.Background(), n, time.Now()); err != nil {
		srv.Logger.Error("server: sending an event failed", "event", n.Schema.Name, "err", err)
	}
}

// sessionStarted sends netconf-session-start.
func (srv *Server) sessionStarted(s *session) {
	n, b := srv.ownNotification("netconf-session-start")
	if n == nil {
		return
	}
	b.sessionParams(n, s.info.User, s.id, s.info.Remote)
	srv.emit(n, b)
}

// sessionEnded sends netconf-session-end with why the session ended.
func (srv *Server) sessionEnded(s *session, final netconf.CloseReason) {
	n, b := srv.ownNotification("netconf-session-end")
	if n == nil {
		return
	}
	b.sessionParams(n, s.info.User, s.id, s.info.Remote)
	reason := final
	if r := s.reason.Load(); r != nil {
		reason = *r
	}
	why := "other"
	switch reason.Code {
	case netconf.CloseNormal:
		why = "closed"
		if reason.Text == "peer closed" {
			why = "dropped"
		}
	case netconf.CloseKilled:
		why = "killed"
		b.leaf(n, "killed-by", strconv.FormatUint(uint64(reason.KilledBy), 10))
	case netconf.CloseTimeout:
		why = "timeout"
	case netconf.CloseProtocolError:
		why = "bad-hello"
		if reason.Text == "a second hello" {
			why = "other"
		}
	case netconf.CloseInternal:
		why = "dropped"
	}
	b.leaf(n, "termination-reason", why)
	srv.emit(n, b)
}

// lastCommit returns the id of running's newest commit (0 when none), for configChanged.
func (srv *Server) lastCommit() uint64 {
	if n, _ := srv.ownNotification("netconf-config-change"); n == nil {
		return 0
	}
	return srv.Store.LastCommit()
}

// configChanged sends netconf-config-change for what changed ds: for running, one event per
// commit after commit since, listing its edits; for startup, one event without edits.
func (srv *Server) configChanged(who datastore.Who, ds datastore.Name, since uint64) {
	if n, _ := srv.ownNotification("netconf-config-change"); n == nil {
		return
	}
	event := func(edits []datastore.ChangeInfo) {
		n, b := srv.ownNotification("netconf-config-change")
		cb := b.entry(n, "changed-by")
		if who.Session == 0 {
			b.leaf(cb, "server", "")
		} else {
			srv.mu.Lock()
			s := srv.sessions[who.Session]
			srv.mu.Unlock()
			var remote net.Addr
			if s != nil {
				remote = s.info.Remote
			}
			b.sessionParams(cb, who.User, who.Session, remote)
		}
		b.leaf(n, "datastore", string(ds))
		for _, ch := range edits {
			e := b.entry(n, "edit")
			b.leaf(e, "target", ch.Path)
			b.leaf(e, "operation", ch.Operation)
		}
		srv.emit(n, b)
	}
	if ds != datastore.Running {
		event(nil)
		return
	}
	commits, err := srv.Store.CommitsSince(since)
	if err != nil {
		srv.Logger.Error("server: reading the commit history failed", "err", err)
		return
	}
	for _, c := range commits {
		event(c.Changes)
	}
}

// confirmedCommit sends netconf-confirmed-commit (RFC 6470 section 2.6); timeout is the
// confirm timeout for the start and extend events.
func (srv *Server) confirmedCommit(who datastore.Who, what string, timeout time.Duration) {
	n, b := srv.ownNotification("netconf-confirmed-commit")
	if n == nil {
		return
	}
	var remote net.Addr
	srv.mu.Lock()
	if s := srv.sessions[who.Session]; s != nil {
		remote = s.info.Remote
	} else if s := srv.leaving[who.Session]; s != nil {
		remote = s.info.Remote // a confirmed commit reverted as its session ends
	}
	srv.mu.Unlock()
	// RFC 6470: the session parameters are left out of a timeout's event.
	if what != "timeout" {
		b.sessionParams(n, who.User, who.Session, remote)
	}
	b.leaf(n, "confirm-event", what)
	if what == "start" || what == "extend" {
		b.leaf(n, "timeout", strconv.FormatUint(uint64(timeout/time.Second), 10))
	}
	srv.emit(n, b)
}

// confirmReverted sends the events of a confirmed commit the store reverted by itself (RFC
// 6470): netconf-confirmed-commit (timeout, or cancel when its session ended) and
// netconf-config-change for the revert, made by the server.
func (srv *Server) confirmReverted(r datastore.ConfirmRevert) {
	what := "cancel"
	if r.Timeout {
		what = "timeout"
	}
	srv.confirmedCommit(r.Who, what, 0)
	srv.configChanged(datastore.Who{}, datastore.Running, r.Since)
}
