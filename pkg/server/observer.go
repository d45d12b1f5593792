package server

import (
	"time"

	"github.com/ncws/ncws/pkg/schema"
)

// An Observer is told about the server's sessions and rpcs, for metrics (pkg/agent's Prometheus
// metrics implement it). Its methods are called on the session's goroutine, once per event:
// they must be fast, must not block and must not keep their arguments' referents beyond the
// call other than as map keys.
type Observer interface {
	// SessionStarted and SessionEnded bracket every session the server runs (from its server
	// hello on, as ietf-netconf-monitoring's in-sessions counts), with the transport's
	// identity (netconf.ConnInfo.Transport: "ncws-server:netconf-ws",
	// "ietf-netconf-monitoring:netconf-ssh", ...).
	SessionStarted(transport string)
	SessionEnded(transport string)
	// RPC reports one message answered: op is the rpc's or action's schema node, nil when the
	// message named none the server knows (malformed, unknown operation, an <action> naming no
	// action); failed tells an rpc-error reply from a successful one; d is the time from the
	// message's decoding to its reply being built (the reply's write excluded).
	RPC(op *schema.Node, failed bool, d time.Duration)
}

// NotificationOverflows returns how many subscribers the server ended because their
// notification queue was full (see NotificationQueue).
func (srv *Server) NotificationOverflows() uint64 { return srv.overflows.Load() }

// SubscriptionSuspensions returns how many times a dynamic subscription (RFC 8639) was
// suspended because its session's notification queue was full (see NotificationQueue).
func (srv *Server) SubscriptionSuspensions() uint64 { return srv.suspensions.Load() }

// observe reports the message the session just answered to o.
func (s *session) observe(o Observer, start time.Time) {
	o.RPC(s.op, s.failed, time.Since(start))
}
