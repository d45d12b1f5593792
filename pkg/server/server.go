package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/netconf"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
)

// Access is what one user may do, as Server.Access answers it for one request.
type Access interface {
	// Exec checks an rpc or action before it runs (target: an action's instance, as
	// Request.Target; nil for an rpc): nil permits, an error (access-denied) is the reply.
	Exec(op *schema.Node, target *data.Node) *rpcerror.Error
	// ReadsAll reports that nothing is hidden from the user (replies need no checks).
	ReadsAll() bool
	// Hidden reports whether the data node n (and its subtree) is left out of what the user
	// reads. It is asked top-down: only about nodes whose ancestors are not hidden.
	Hidden(n *data.Node) bool
	// ReadablePath reports whether the user may read the node at an instance-identifier
	// (RFC 7951 form; the node need not exist).
	ReadablePath(path string) bool
	// Notification reports whether the event notification node ev may be delivered.
	Notification(ev *data.Node) bool
}

// ErrServerClosed is returned by Serve after Shutdown.
var ErrServerClosed = errors.New("server: closed")

// Default limits and timeouts.
const (
	DefaultHelloTimeout = 30 * time.Second
	DefaultMaxDepth     = 1000
)

// A Request is one rpc a Handler answers.
type Request struct {
	// Who sent it.
	Who datastore.Who
	// RPC is the operation's schema node (an rpc, or an action: RFC 7950 section 7.15); Input
	// holds its decoded parameters (a node of the input schema node).
	RPC   *schema.Node
	Input *data.Node
	// Target is the instance an action is invoked on (nil for an rpc): the node of the
	// action's parent schema node as the request named it, attached to its ancestors up to
	// the top-level node, so that every ancestor list entry's keys can be read. It holds
	// only what the request's path held (keys, mostly), not the datastore's content. The
	// server has checked that a configuration target exists in running (data-missing
	// otherwise); a state target is the handler's to check.
	Target *data.Node
	// MessageID is the rpc's message-id.
	MessageID string
}

// A Handler answers an rpc. It returns the content of the rpc-reply: nil for <ok/>, or a tree
// of the rpc's output node (a node of the output schema node) encoded as the reply's content.
// An error becomes the rpc-error as for datastore hooks: an *rpcerror.Error or rpcerror.List
// passes through, anything else is operation-failed, logged and not shown. A panic is
// recovered the same way.
//
// For an rpc or action registered with Handle, the server has validated the input against
// the schema before the call (types, mandatory nodes, must, when, min/max-elements, unique,
// leafrefs against running: RFC 7950 sections 7.14.2 and 7.15.2), with the defaults added: a
// violation is answered without calling the handler. The output a handler returns is
// validated the same way before it is sent; a violation is a handler bug, answered
// operation-failed and logged with the violation.
type Handler func(ctx context.Context, req *Request) (*data.Node, error)

// Server runs NETCONF sessions over any transport that yields whole messages, the way
// http.Server runs HTTP over a net.Listener. Fields must be set before Serve; Store is
// required.
type Server struct {
	// Store holds the datastores; its schema must include ietf-netconf.
	Store *datastore.Store
	// Logger receives the server's events; nil means slog.Default().
	Logger *slog.Logger
	// HelloTimeout bounds the wait for the client's hello; 0 means DefaultHelloTimeout.
	HelloTimeout time.Duration
	// MaxDepth limits XML nesting in a message; 0 means DefaultMaxDepth.
	MaxDepth int
	// ReplayLogSize is how many notifications the replay log keeps for create-subscription's
	// startTime (RFC 5277 section 3.3), the oldest dropped first; 0 means
	// DefaultReplayLogSize, a negative value turns replay off.
	ReplayLogSize int
	// NotificationQueue is how many notifications may wait for one slow subscriber before its
	// session is ended (an RFC 5277 subscriber, see Notify) or its dynamic subscription
	// suspended (RFC 8639, until the queue drains); 0 means DefaultNotificationQueue.
	NotificationQueue int
	// PushCoalesce is the least time between two wake-ups of the writers of on-change
	// updates (RFC 8641 with a dampening-period of 0): an update of a commit that comes sooner
	// after the previous wake-up waits for the rest of it and goes out in one write with the
	// updates queued meanwhile. Every update is still its own push-change-update, in commit
	// order; only the writes are gathered, which saves a write (and, on the receiving side, a
	// read) per subscriber and commit when commits come fast: with a thousand subscribers
	// and a hundred commits a second, about a third of the fan-out's CPU time. An update after
	// a quiet spell goes out at once. 0 means DefaultPushCoalesce, a negative value none
	// (each commit's updates are sent as soon as they are queued).
	PushCoalesce time.Duration
	// StatePollInterval is how often an on-change subscription (RFC 8641) to ds:operational
	// that selects state data reads it from the state providers to find its changes
	// (yangpushstate.go); 0 means DefaultStatePollInterval.
	StatePollInterval time.Duration
	// Access, when set, returns what a session's user may do (NACM, RFC 8341: pkg/nacm's
	// Engine.For fits): every rpc and action is checked before it runs (access-denied),
	// replies leave out what the user may not read, and notifications are withheld or
	// trimmed. Writes are checked by the store (datastore.AccessControl). Nil: everything is
	// allowed.
	Access func(who datastore.Who) Access
	// URL, when set (a directory or an allow-list), turns on the :url capability (RFC 6241
	// section 8.8) within what it allows; nil: <url> parameters are operation-not-supported
	// and ietf-netconf's url feature is not announced.
	URL *URLOptions
	// Observer, when set, is told about sessions and rpcs (metrics); see Observer.
	Observer Observer

	// replyHints holds the last reply size of each kind of unfiltered read (see dataReply).
	replyHints sync.Map
	// configReplies keeps the last encoded <data> of an unfiltered get-config per datastore and
	// with-defaults mode (see configReply).
	configReplies [3][4]atomic.Pointer[cachedData]

	mu       sync.Mutex
	handlers map[*schema.Node]Handler
	custom   map[*schema.Node]bool // registered with Handle
	builtin  map[*schema.Node]bool // installed by the server itself
	sessions map[uint32]*session
	// leaving holds the sessions whose end the store is processing (their locks freed, their
	// confirmed commit reverted), for the events that name them.
	leaving  map[uint32]*session
	conns    map[netconf.Conn]struct{}
	lns      map[netconf.Listener]struct{}
	closed   bool
	nextID   atomic.Uint32
	started  time.Time
	initOnce sync.Once
	caps     []string
	wg       sync.WaitGroup
	stats    stats
	// overflows counts subscribers ended on a full notification queue.
	overflows atomic.Uint64
	// suspensions counts dynamic subscriptions suspended on a full queue.
	suspensions atomic.Uint64

	// nmu guards the notification state: subs, replayLog and every session's sub.
	nmu       sync.Mutex
	subs      map[*session]struct{}
	replayLog []*notif
	// replayAged is the time of the newest event dropped from the replay log.
	replayAged time.Time
	// dsubs are the dynamic subscriptions (RFC 8639) by id, subSeq the last id given; both
	// guarded by nmu. onChangeSubs counts the on-change ones (RFC 8641): commits are copied
	// for the pusher only when there are any.
	dsubs        map[uint32]*dynSub
	subSeq       uint32
	onChangeSubs atomic.Int32
	pushOnce     sync.Once
	push         *pusher
	// filterOnce starts following running's /sn:filters (subfilters.go); filterSnap is the
	// newest copy of it not applied yet (filterNew set), guarded by filterMu.
	filterOnce   sync.Once
	filterSignal chan struct{}
	filterMu     sync.Mutex
	filterSnap   *data.Node
	filterNew    bool
	// polls are the state polls' readings by selection and tick (yangpushstate.go), shared by
	// the subscriptions that select the same; guarded by pollMu.
	pollMu sync.Mutex
	polls  map[pollKey]*pollReading
}

// stats are the server-wide counters of ietf-netconf-monitoring.
type stats struct {
	inBadHellos, inSessions, droppedSessions, inRPCs, inBadRPCs, outRPCErrors, outNotifications atomic.Uint32
}

// Handle registers h for rpc (an rpc or action node of the store's schema), replacing the
// built-in handler if there is one. It must be called before Serve. A request for an action
// or rpc without a handler is answered operation-not-supported.
func (srv *Server) Handle(rpc *schema.Node, h Handler) {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if srv.handlers == nil {
		srv.handlers = map[*schema.Node]Handler{}
		srv.custom = map[*schema.Node]bool{}
	}
	srv.handlers[rpc] = h
	srv.custom[rpc] = true
}

func (srv *Server) init() {
	srv.initOnce.Do(func() {
		if srv.Logger == nil {
			srv.Logger = slog.Default()
		}
		if srv.HelloTimeout <= 0 {
			srv.HelloTimeout = DefaultHelloTimeout
		}
		if srv.MaxDepth <= 0 {
			srv.MaxDepth = DefaultMaxDepth
		}
		srv.mu.Lock()
		srv.sessions = map[uint32]*session{}
		srv.conns = map[netconf.Conn]struct{}{}
		srv.lns = map[netconf.Listener]struct{}{}
		if srv.handlers == nil {
			srv.handlers = map[*schema.Node]Handler{}
			srv.custom = map[*schema.Node]bool{}
		}
		srv.builtin = map[*schema.Node]bool{}
		srv.mu.Unlock()
		srv.started = time.Now()
		srv.caps = srv.capabilities()
		srv.registerBuiltins()
		srv.registerSubscriptions()
		srv.registerState()
		srv.Store.OnConfirmRevert(srv.confirmReverted)
	})
}

// capabilities returns the server's hello capabilities (RFC 6241 section 8, RFC 7950 section
// 5.6.4, RFC 8526).
func (srv *Server) capabilities() []string {
	caps := []string{
		netconf.CapBase10, netconf.CapBase11,
		// The 1.0 versions of :confirmed-commit and :validate (RFC 4741) beside the 1.1 ones, for
		// clients that know only those: the operations are the same.
		netconf.CapWritableRunning, netconf.CapCandidate, netconf.CapConfirmedCommit10, netconf.CapConfirmedCommit11,
		netconf.CapRollbackOnError, netconf.CapValidate10, netconf.CapValidate11, netconf.CapStartup, netconf.CapXPath,
		netconf.CapWithDefaults + "?basic-mode=explicit&also-supported=report-all,report-all-tagged,trim",
	}
	if srv.createSubscriptionRPC() != nil {
		caps = append(caps, netconf.CapNotification, netconf.CapInterleave)
	}
	if srv.partialLockModule() != nil {
		caps = append(caps, capPartialLock)
	}
	if srv.urlEnabled() {
		caps = append(caps, srv.urlCapability())
	}
	sch := srv.Store.Schema()
	var mods []string
	for _, m := range sch.Modules {
		if netconf.InHello(m) {
			mods = append(mods, netconf.ModuleCapability(srv.advertised(m)))
		}
	}
	sort.Strings(mods)
	caps = append(caps, srv.nmdaCapabilities()...)
	caps = append(caps, netconf.YangLibraryCapability(srv.contentID()))
	return append(caps, mods...)
}

// contentID identifies the module set (RFC 8525 content-id): a hash of every module's name,
// revision, features and deviations.
func (srv *Server) contentID() string {
	var b strings.Builder
	for _, m := range srv.Store.Schema().Modules {
		fmt.Fprintf(&b, "%s@%s;", netconf.ModuleCapability(srv.advertised(m)), m.Revision)
	}
	h := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(h[:8])
}

// Capabilities returns the capabilities the server announces in its hello.
func (srv *Server) Capabilities() []string {
	srv.init()
	return append([]string(nil), srv.caps...)
}

// Serve accepts connections from l and runs a session on each until l fails or Shutdown is
// called; it then returns ErrServerClosed (after Shutdown) or the Accept error.
func (srv *Server) Serve(l netconf.Listener) error {
	srv.init()
	srv.mu.Lock()
	if srv.closed {
		srv.mu.Unlock()
		return ErrServerClosed
	}
	srv.lns[l] = struct{}{}
	srv.mu.Unlock()
	defer func() {
		srv.mu.Lock()
		delete(srv.lns, l)
		srv.mu.Unlock()
	}()
	for {
		c, err := l.Accept()
		if err != nil {
			srv.mu.Lock()
			closed := srv.closed
			srv.mu.Unlock()
			if closed {
				return ErrServerClosed
			}
			return err
		}
		// Added under mu, before Shutdown sets closed, so that Shutdown's wg.Wait sees every
		// connection it must wait for (a WaitGroup's Add from zero must happen before its Wait:
		// the race detector caught an Accept returning while Shutdown waited). One accepted
		// after that is refused here.
		srv.mu.Lock()
		if srv.closed {
			srv.mu.Unlock()
			c.Close(netconf.CloseReason{Code: netconf.CloseShutdown, Text: "server shutting down"})
			return ErrServerClosed
		}
		srv.wg.Add(1)
		srv.mu.Unlock()
		go func() {
			defer srv.wg.Done()
			srv.ServeConn(context.Background(), c)
		}()
	}
}

// ServeConn runs one NETCONF session on c and returns when it ends; c is closed. Transports
// that accept connections themselves (an http.Handler for WebSocket) call it directly.
func (srv *Server) ServeConn(ctx context.Context, c netconf.Conn) {
	srv.init()
	srv.mu.Lock()
	if srv.closed {
		srv.mu.Unlock()
		c.Close(netconf.CloseReason{Code: netconf.CloseShutdown, Text: "server shutting down"})
		return
	}
	srv.conns[c] = struct{}{}
	srv.mu.Unlock()
	defer func() {
		srv.mu.Lock()
		delete(srv.conns, c)
		srv.mu.Unlock()
	}()
	s := newSession(srv, c)
	s.run(ctx)
	// A transport whose Close returns before the connection is gone (a WebSocket close
	// handshake, bounded by the transport) says when it is: Shutdown waits for that too, so
	// the peers get their close frames before the process exits.
	if cc, ok := c.(interface{ Closed() <-chan struct{} }); ok {
		<-cc.Closed()
	}
}

// Shutdown shuts the server down gracefully: it stops accepting connections and reading
// requests; a session answering a request finishes it, sends the reply and is then closed; an
// idle session is closed at once (transports tell their peers: WebSocket close 1001). A
// request read but not yet started is neither executed nor answered. Shutdown waits for every
// session to end, or for ctx: sessions still running then are closed (their handlers see their
// context cancelled) and ctx's error is returned.
func (srv *Server) Shutdown(ctx context.Context) error {
	srv.init()
	srv.mu.Lock()
	srv.closed = true
	for l := range srv.lns {
		l.Close()
	}
	var ss []*session
	for _, s := range srv.sessions {
		ss = append(ss, s)
	}
	inSession := map[netconf.Conn]bool{}
	for _, s := range ss {
		inSession[s.conn] = true
	}
	var pending []netconf.Conn
	for c := range srv.conns {
		if !inSession[c] {
			pending = append(pending, c)
		}
	}
	srv.mu.Unlock()
	var idle []*session
	for _, s := range ss {
		if s.drain() {
			idle = append(idle, s)
		}
	}
	if len(ss) > 0 {
		srv.Logger.Info("server: shutting down: no more requests are read; answering those in progress",
			"sessions", len(ss), "busy", len(ss)-len(idle))
	}
	// A close may wait for the transport (a flush, a close handshake): they run side by side.
	var closing sync.WaitGroup
	for _, s := range idle {
		closing.Go(func() { s.close(shutdownReason) })
	}
	for _, c := range pending {
		closing.Go(func() { c.Close(shutdownReason) })
	}
	done := make(chan struct{})
	go func() {
		closing.Wait()
		srv.wg.Wait()
		for {
			srv.mu.Lock()
			n := len(srv.conns)
			srv.mu.Unlock()
			if n == 0 {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
	}
	srv.mu.Lock()
	ss = ss[:0]
	for _, s := range srv.sessions {
		ss = append(ss, s)
	}
	srv.mu.Unlock()
	for _, s := range ss {
		srv.Logger.Warn("server: shutdown timeout: closing a session still answering a request", "session", s.id)
		go s.close(shutdownReason)
	}
	return ctx.Err()
}

// session returns the live session with id.
func (srv *Server) session(id uint32) *session {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	return srv.sessions[id]
}

// newSessionID allocates a session-id (1..2^32-1, never 0).
func (srv *Server) newSessionID() uint32 {
	for {
		id := srv.nextID.Add(1)
		if id != 0 {
			return id
		}
	}
}

// callHandler runs h, turning errors and panics into rpc-errors.
func (srv *Server) callHandler(ctx context.Context, h Handler, req *Request) (out *data.Node, errs rpcerror.List) {
	defer func() {
		if r := recover(); r != nil {
			srv.Logger.Error("server: rpc handler panicked", "rpc", req.RPC.Name, "panic", fmt.Sprint(r))
			out, errs = nil, rpcerror.List{rpcerror.OperationFailed("the %s operation failed", req.RPC.Name)}
		}
	}()
	out, err := h(ctx, req)
	if err != nil {
		errs = rpcerror.From(err)
		if len(errs) == 1 && errs[0].Message == "internal error" {
			srv.Logger.Error("server: rpc handler failed", "rpc", req.RPC.Name, "err", err)
		}
		return nil, errs
	}
	return out, nil
}
