package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/netconf"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
)

// session is one NETCONF session.
type session struct {
	srv   *Server
	conn  netconf.Conn
	id    uint32
	who   datastore.Who
	info  netconf.ConnInfo
	start time.Time

	ctx    context.Context
	cancel context.CancelFunc

	closeOnce sync.Once
	killed    atomic.Bool // closed by kill-session
	// wmu serializes writes: replies from the session's loop, notifications from its
	// subscription's sender.
	wmu sync.Mutex
	// sub is the session's subscription (RFC 5277), nil when none; guarded by srv.nmu.
	sub *subscription
	// dsubs are the session's dynamic subscriptions (RFC 8639) by id, outq their queue; both
	// guarded by srv.nmu.
	dsubs map[uint32]*dynSub
	outq  *outQueue
	// reason is why close ended the session, for netconf-session-end (RFC 6470).
	reason atomic.Pointer[netconf.CloseReason]
	// done is closed when the session has ended and released what it held.
	done chan struct{}
	// base10 is set when the session speaks base:1.0 only: malformed-message, new in base:1.1,
	// is never sent to it (RFC 6241 Appendix A).
	base10 bool

	// smu guards busy and draining: Shutdown drains a session (it ends after the request it
	// is answering; one read and not started is not executed) and closes an idle one at once.
	smu      sync.Mutex
	busy     bool
	draining bool
	ended    bool          // closed: no request starts any more
	idle     chan struct{} // closed when the request in progress ends, for releaseWhenIdle

	started     atomic.Bool // the hellos were exchanged
	releaseOnce sync.Once

	inRPCs, inBadRPCs, outRPCErrors, outNotifications atomic.Uint32

	// op and failed describe the message being answered, for the Observer: its operation
	// (nil until known) and whether the reply is an rpc-error. Only the session's loop uses
	// them.
	op     *schema.Node
	failed bool
}

// errNoHello is the cause of the hello timeout's context (transports may tell it to the peer).
var errNoHello = errors.New("no hello within the hello timeout")

func newSession(srv *Server, c netconf.Conn) *session {
	info := c.Info()
	id := srv.newSessionID()
	return &session{srv: srv, conn: c, id: id, info: info, start: time.Now(), done: make(chan struct{}),
		who: datastore.Who{User: info.User, Session: id}}
}

// close ends the session, from inside or outside (kill-session, shutdown): the connection
// closes with reason and the session's reader stops.
func (s *session) close(reason netconf.CloseReason) {
	s.closeOnce.Do(func() {
		s.smu.Lock()
		s.ended = true
		s.smu.Unlock()
		s.reason.Store(&reason)
		s.killed.Store(reason.Code == netconf.CloseKilled)
		// The connection closes first, so that a transport that closes itself when a read's
		// context ends (WebSocket) sends this reason and not its own.
		s.conn.Close(reason)
		if s.cancel != nil {
			s.cancel()
		}
	})
}

func (s *session) run(parent context.Context) {
	ctx, cancel := context.WithCancel(parent)
	s.ctx, s.cancel = ctx, cancel
	defer close(s.done)
	defer cancel()
	log := s.srv.Logger.With("session", s.id, "user", s.info.User)

	s.srv.mu.Lock()
	if s.srv.closed {
		s.srv.mu.Unlock()
		s.close(netconf.CloseReason{Code: netconf.CloseShutdown, Text: "server shutting down"})
		return
	}
	s.srv.sessions[s.id] = s
	s.srv.mu.Unlock()
	s.srv.stats.inSessions.Add(1)
	if o := s.srv.Observer; o != nil {
		o.SessionStarted(s.info.Transport)
		defer o.SessionEnded(s.info.Transport)
	}
	log.Debug("server: session started")
	// The session exists (kill-session and monitoring see it) from its server hello on; RFC
	// 6022 counts it in in-sessions, and in in-bad-hellos if its hello fails.
	// A session that ends itself (close-session, the peer gone, a broken message) closes its
	// connection only after its locks are freed and its confirmed commit reverted, so a client
	// that sees the connection close sees them gone.
	var final netconf.CloseReason
	defer func() { s.close(final) }()
	defer func() {
		s.release(final)
		log.Debug("server: session ended")
	}()

	// The server's hello goes first, without waiting for the client's (RFC 6241 section 8.1).
	hello := &netconf.Hello{Capabilities: s.srv.caps, SessionID: s.id}
	if err := s.conn.WriteMessage(ctx, hello.Encode()); err != nil {
		s.close(netconf.CloseReason{Code: netconf.CloseInternal, Text: "write failed"})
		return
	}
	hctx, hcancel := context.WithTimeoutCause(ctx, s.srv.HelloTimeout, errNoHello)
	msg, err := s.conn.ReadMessage(hctx)
	hcancel()
	if err != nil {
		if hctx.Err() == context.DeadlineExceeded && ctx.Err() == nil {
			log.Info("server: no hello in time")
			s.close(netconf.CloseReason{Code: netconf.CloseTimeout, Text: "no hello within the hello timeout"})
		} else {
			s.close(netconf.CloseReason{Code: netconf.CloseProtocolError, Text: "no hello"})
		}
		if !s.killed.Load() {
			s.srv.stats.inBadHellos.Add(1)
		}
		return
	}
	ch, err := netconf.DecodeHello(msg)
	if err == nil && ch.SessionID != 0 {
		err = errors.New("a client hello must not carry a session-id")
	}
	var base string
	if err == nil {
		var ok bool
		if base, ok = netconf.CommonBase(s.srv.caps, ch.Capabilities); !ok {
			err = errors.New("no common base protocol version")
		}
	}
	if err != nil {
		log.Info("server: bad hello", "err", err)
		s.srv.stats.inBadHellos.Add(1)
		s.close(netconf.CloseReason{Code: netconf.CloseProtocolError, Text: "bad hello: " + err.Error()})
		return
	}
	if bc, ok := s.conn.(netconf.Base11Conn); ok && base == netconf.CapBase11 {
		bc.UseChunked()
	}
	s.base10 = base == netconf.CapBase10
	s.smu.Lock()
	ended := s.ended // killed meanwhile, and perhaps released already
	s.started.Store(!ended)
	s.smu.Unlock()
	if ended {
		return
	}
	s.srv.sessionStarted(s)

	for {
		msg, err := s.conn.ReadMessage(ctx)
		if err != nil {
			switch {
			case ctx.Err() != nil:
			case errors.Is(err, io.EOF):
				final = netconf.CloseReason{Code: netconf.CloseNormal, Text: "peer closed"}
			case errors.Is(err, netconf.ErrMessageTooBig):
				// The transport cannot skip the rest of the message: the session ends (WebSocket
				// tells the peer with 1009; SSH and TLS carry no reason, hence the log).
				log.Warn("server: a message over the read limit ends the session", "err", err)
				final = netconf.CloseReason{Code: netconf.CloseTooBig, Text: "message too big"}
			default:
				final = netconf.CloseReason{Code: netconf.CloseInternal, Text: "read failed"}
			}
			return
		}
		if !s.begin() {
			// Read during shutdown: not executed, not answered.
			final = shutdownReason
			return
		}
		reply, end, after := s.handle(ctx, msg)
		if reply != nil {
			if err := s.write(ctx, reply); err != nil {
				s.finish()
				final = netconf.CloseReason{Code: netconf.CloseInternal, Text: "write failed"}
				return
			}
		}
		if after != nil {
			after()
		}
		draining := !s.finish()
		if end != nil {
			final = *end
			return
		}
		if draining {
			final = shutdownReason
			return
		}
	}
}

// shutdownReason ends the sessions of a server that shuts down.
var shutdownReason = netconf.CloseReason{Code: netconf.CloseShutdown, Text: "server shutting down"}

// release frees what the session holds (its locks, its unconfirmed commit, its subscription,
// its place among the sessions), once: when the session ends by itself, or, for kill-session,
// as soon as the killed session runs no request, without waiting for its connection to finish
// closing.
func (s *session) release(final netconf.CloseReason) {
	s.releaseOnce.Do(func() {
		s.srv.unsubscribe(s)
		s.srv.endSessionSubs(s)
		if s.started.Load() {
			s.srv.sessionEnded(s, final)
		}
		s.srv.mu.Lock()
		delete(s.srv.sessions, s.id)
		if s.srv.leaving == nil {
			s.srv.leaving = map[uint32]*session{}
		}
		s.srv.leaving[s.id] = s
		s.srv.mu.Unlock()
		// Locks are freed and an unconfirmed commit of this session reverted even when the
		// session was killed.
		s.srv.Store.SessionEnded(context.Background(), s.id)
		s.srv.mu.Lock()
		delete(s.srv.leaving, s.id)
		s.srv.mu.Unlock()
		if s.killed.Load() || final.Code == netconf.CloseProtocolError {
			s.srv.stats.droppedSessions.Add(1)
		}
	})
}

// releaseWhenIdle releases a closed session once its request in progress, if any, has ended
// (its handler sees its context cancelled), or gives up when ctx ends first.
func (s *session) releaseWhenIdle(ctx context.Context) {
	s.smu.Lock()
	var idle chan struct{}
	if s.busy {
		if s.idle == nil {
			s.idle = make(chan struct{})
		}
		idle = s.idle
	}
	s.smu.Unlock()
	if idle != nil {
		select {
		case <-idle:
		case <-s.done:
		case <-ctx.Done():
			return
		}
	}
	s.release(netconf.CloseReason{})
}

// begin marks the session busy with a request it read; false when the server drains it (the
// request is then dropped).
func (s *session) begin() bool {
	s.smu.Lock()
	defer s.smu.Unlock()
	if s.draining || s.ended {
		return false
	}
	s.busy = true
	return true
}

// finish marks the request answered; false when the server drains the session.
func (s *session) finish() bool {
	s.smu.Lock()
	defer s.smu.Unlock()
	s.busy = false
	if s.idle != nil {
		close(s.idle)
		s.idle = nil
	}
	return !s.draining
}

// drain asks the session to end once its request in progress is answered, and reports
// whether it is idle (waiting for a request, or for its hello): the caller then closes it.
func (s *session) drain() (idle bool) {
	s.smu.Lock()
	defer s.smu.Unlock()
	s.draining = true
	return !s.busy
}

// write sends one message, serialized with the other writers of the session.
func (s *session) write(ctx context.Context, msg []byte) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	return s.conn.WriteMessage(ctx, msg)
}

// handle answers one message; end is set when the session must end after the reply, after
// (when not nil) is called once the reply is written.
func (s *session) handle(ctx context.Context, msg []byte) (reply []byte, end *netconf.CloseReason, after func()) {
	if o := s.srv.Observer; o != nil {
		s.op, s.failed = nil, false
		defer s.observe(o, time.Now())
	}
	m, rerr := netconf.DecodeRPCDepth(msg, s.srv.MaxDepth)
	if m != nil && rerr == nil && m.Kind == netconf.KindHello {
		return nil, &netconf.CloseReason{Code: netconf.CloseProtocolError, Text: "a second hello"}, nil
	}
	s.inRPCs.Add(1)
	s.srv.stats.inRPCs.Add(1)
	if rerr == nil && m.Kind != netconf.KindRPC {
		rerr = rpcerror.MalformedMessage("a client sends <rpc> messages only")
	}
	if rerr != nil {
		s.inBadRPCs.Add(1)
		s.srv.stats.inBadRPCs.Add(1)
		// A base:1.0 client knows no malformed-message (RFC 6241 Appendix A): a message whose
		// message-id could be read gets operation-failed (see errorReply); one without ends the
		// session, since no reply could be matched to it.
		if s.base10 && rerr.Tag == rpcerror.TagMalformedMessage && (m == nil || m.MessageID == "") {
			return nil, &netconf.CloseReason{Code: netconf.CloseProtocolError, Text: "malformed message"}, nil
		}
		return s.errorReply(m.ReplyAttrs(), rpcerror.List{rerr}), nil, nil
	}
	if m.OpNamespace == netconf.YANGNamespace && m.OpName == "action" {
		return s.handleAction(ctx, m)
	}
	sch := s.srv.Store.Schema()
	mod := sch.ModuleByNamespace(m.OpNamespace)
	var rpc *schema.Node
	if mod != nil {
		rpc = sch.RPC(mod, m.OpName)
	}
	s.op = rpc
	if rpc == nil {
		e := rpcerror.OperationNotSupported("operation %q is not supported", m.OpName)
		e.Type = rpcerror.Protocol
		return s.errorReply(m.Attrs, rpcerror.List{e}), nil, nil
	}
	s.srv.mu.Lock()
	h, builtin := s.srv.handlers[rpc], s.srv.builtin[rpc]
	s.srv.mu.Unlock()
	if h == nil {
		e := rpcerror.OperationNotSupported("operation %q is not implemented by this server", m.OpName)
		e.Type = rpcerror.Protocol
		return s.errorReply(m.Attrs, rpcerror.List{e}), nil, nil
	}
	acc := s.access()
	if acc != nil {
		if e := acc.Exec(rpc, nil); e != nil {
			return s.errorReply(m.Attrs, rpcerror.List{e}), nil, nil
		}
	}
	c := s.newCall(m, acc)
	input, errs := yangxml.Unmarshal(m.Operation(), sch, yangxml.DecodeOptions{
		Operation: rpc, MaxDepth: s.srv.MaxDepth, ErrorType: rpcerror.Protocol, Attr: c.attrs.hook,
	})
	opPath := rpcPath(rpc)
	if len(errs) > 0 {
		return s.errorReply(m.Attrs, s.srv.requestPaths(errs, opPath, false)), nil, nil
	}
	// The built-in operations read their parameters' absence themselves and pin their own
	// errors; every other handler gets its input validated, with the defaults in place (RFC
	// 7950 section 7.14.2).
	if !builtin {
		if errs := s.srv.checkInput(input, nil); len(errs) > 0 {
			return s.errorReply(m.Attrs, s.srv.requestPaths(errs, opPath, false)), nil, nil
		}
	}
	req := &Request{Who: s.who, RPC: rpc, Input: input, MessageID: m.MessageID}
	return s.call(ctx, c, h, req, !builtin, opPath)
}

// call runs h for req and encodes the reply; with check set, the output h returns is validated
// first (see checkOutput).
//
// opPath is the path of the operation's input (data.Node.Path): errors about its parameters
// point into the request (see requestPaths).
func (s *session) call(ctx context.Context, c *call, h Handler, req *Request, check bool, opPath string) ([]byte, *netconf.CloseReason, func()) {
	m := c.m
	sctx := withCall(ctx, c)
	out, errs := s.srv.callHandler(sctx, h, req)
	if len(errs) == 0 && check && c.raw == nil {
		errs = s.srv.checkOutput(req, out)
	}
	if len(errs) > 0 {
		return s.errorReply(m.Attrs, s.srv.requestPaths(errs, opPath, req.Target != nil)), c.end, nil
	}
	if out == nil && c.raw == nil {
		return netconf.AppendOK(nil, m.Attrs), c.end, c.after
	}
	if c.inPlace && c.raw != nil {
		return append(c.raw, netconf.ReplyEnd...), c.end, c.after
	}
	body, err := encodeOutput(out, sctx)
	if err != nil {
		s.srv.Logger.Error("server: encoding a reply failed", "rpc", m.OpName, "err", err)
		return s.errorReply(m.Attrs, rpcerror.List{rpcerror.OperationFailed("the reply could not be encoded")}), nil, nil
	}
	return netconf.AppendReply(make([]byte, 0, len(body)+replyOverhead(m.Attrs)), m.Attrs, body), c.end, c.after
}

// replyOverhead is room for an <rpc-reply> element around a body: one allocation for the reply.
func replyOverhead(attrs []netconf.Attr) int {
	n := 96
	for _, a := range attrs {
		n += len(a.Prefix) + len(a.Name) + len(a.Value) + 8
	}
	return n
}

func (s *session) errorReply(attrs []netconf.Attr, errs rpcerror.List) []byte {
	s.failed = true
	if s.base10 {
		errs = base10Errors(errs)
	}
	s.outRPCErrors.Add(uint32(len(errs)))
	s.srv.stats.outRPCErrors.Add(uint32(len(errs)))
	return netconf.AppendRPCErrors(nil, attrs, errs, s.srv.Store.Schema())
}

func (s *session) String() string { return fmt.Sprintf("session %d", s.id) }

// access returns the session user's access, nil when the server has no access control.
func (s *session) access() Access {
	if s.srv.Access == nil {
		return nil
	}
	return s.srv.Access(s.who)
}

// base10Errors returns errs with each malformed-message, which RFC 6241 Appendix A forbids
// sending to a base:1.0 client, turned into operation-failed (error-type rpc, the same layer).
func base10Errors(errs rpcerror.List) rpcerror.List {
	var out rpcerror.List
	for i, e := range errs {
		if e.Tag != rpcerror.TagMalformedMessage {
			continue
		}
		if out == nil {
			out = append(rpcerror.List(nil), errs...)
		}
		c := *e
		c.Tag = rpcerror.TagOperationFailed
		if c.Message == "" {
			c.Message = "the message could not be parsed"
		}
		out[i] = &c
	}
	if out == nil {
		return errs
	}
	return out
}
