package websocket_test

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	ws "github.com/coder/websocket"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/netconftest"
	"github.com/ncws/ncws/pkg/server"
	"github.com/ncws/ncws/pkg/transport/websocket"
)

// slowPing makes nctest's ping rpc block until release is closed; started receives one value
// per call as it begins.
func slowPing(t *testing.T, srv *server.Server) (started chan struct{}, release chan struct{}) {
	t.Helper()
	started, release = make(chan struct{}, 16), make(chan struct{})
	sch := srv.Store.Schema()
	srv.Handle(sch.RPC(sch.Module("nctest"), "ping"), func(ctx context.Context, req *server.Request) (*data.Node, error) {
		started <- struct{}{}
		<-release
		return nil, nil
	})
	return started, release
}

const pingRPC = `<ping xmlns="urn:ncws:test:nctest"/>`

func editName(name string) string {
	return `<edit-config><target><running/></target><config><top xmlns="urn:ncws:test:nctest"><name>` +
		name + `</name></top></config></edit-config>`
}

// runningName reads /top/name from running ("" when absent).
func runningName(t *testing.T, st *datastore.Store) string {
	t.Helper()
	sch := st.Schema()
	top := sch.Top(sch.Module("nctest"), "top")
	var name string
	if err := st.Read(datastore.Running, func(root *data.Node) {
		if n := root.Child(top); n != nil {
			if l := n.ChildByName("name"); l != nil {
				name = l.Value.Str
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	return name
}

// logWatch is a slog handler that reports the messages logged.
type logWatch struct {
	mu   sync.Mutex
	msgs []string
}

func (l *logWatch) Enabled(context.Context, slog.Level) bool { return true }
func (l *logWatch) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l *logWatch) WithGroup(string) slog.Handler            { return l }
func (l *logWatch) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.msgs = append(l.msgs, r.Message)
	return nil
}

func (l *logWatch) logged(prefix string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, m := range l.msgs {
		if strings.HasPrefix(m, prefix) {
			return true
		}
	}
	return false
}

// TestShutdownAnswersRequestInFlight: at Shutdown, the request being answered gets its reply,
// then the connection closes with 1001; the requests the client pipelined behind it are not
// executed (their edits do not happen) and not answered.
func TestShutdownAnswersRequestInFlight(t *testing.T) {
	srv := netconftest.NewServer(t)
	lw := &logWatch{}
	srv.Logger = slog.New(lw)
	started, release := slowPing(t, srv)
	_, url := serve(t, srv, websocket.Options{})
	s := open(t, url, "alice")
	idle := open(t, url, "bob")

	s.send(rpc("1", pingRPC))
	<-started
	s.send(rpc("2", editName("pipelined")))
	s.send(rpc("3", editName("pipelined-too")))

	shut := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		shut <- srv.Shutdown(ctx)
	}()
	// The idle session is closed at once, while the busy one still runs its request.
	if code, _ := idle.closed(); code != ws.StatusGoingAway {
		t.Errorf("idle session closed with %d, want 1001", code)
	}
	waitFor(t, func() bool { return lw.logged("server: shutting down") })
	close(release)

	if got := s.recv(); !strings.Contains(got, `message-id="1"`) || !strings.Contains(got, "<ok/>") {
		t.Fatalf("reply to the request in flight: %s", got)
	}
	if code, reason := s.closed(); code != ws.StatusGoingAway {
		t.Errorf("closed with %d %q after the reply, want 1001", code, reason)
	}
	if err := <-shut; err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	if name := runningName(t, srv.Store); name != "" {
		t.Errorf("running /top/name = %q: a request read but not answered was executed", name)
	}
}

// TestShutdownTimeout: a request still running when Shutdown's context ends is abandoned: its
// handler sees its context cancelled and Shutdown returns the context's error.
func TestShutdownTimeout(t *testing.T) {
	srv := netconftest.NewServer(t)
	sch := srv.Store.Schema()
	started := make(chan struct{})
	srv.Handle(sch.RPC(sch.Module("nctest"), "ping"), func(ctx context.Context, req *server.Request) (*data.Node, error) {
		close(started)
		<-ctx.Done()
		return nil, ctx.Err()
	})
	_, url := serve(t, srv, websocket.Options{})
	s := open(t, url, "alice")
	s.send(rpc("1", pingRPC))
	<-started
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if err := srv.Shutdown(ctx); err != context.DeadlineExceeded {
		t.Errorf("Shutdown = %v, want %v", err, context.DeadlineExceeded)
	}
	if code, _ := s.closed(); code != ws.StatusGoingAway {
		t.Errorf("closed with %d, want 1001", code)
	}
}

// TestKeepaliveWhileBusy: a session whose request runs for many ping intervals stays open,
// and so does one waiting behind it: the server keeps reading pongs while requests run.
func TestKeepaliveWhileBusy(t *testing.T) {
	srv := netconftest.NewServer(t)
	started, release := slowPing(t, srv)
	_, url := serve(t, srv, websocket.Options{PingInterval: 250 * time.Millisecond})
	busy := open(t, url, "alice")
	waiting := open(t, url, "bob")
	busy.send(rpc("1", pingRPC))
	<-started
	waiting.send(rpc("2", pingRPC))
	<-started
	// Both clients answer pings only while they read: they read (for their replies) the whole
	// time, so the server must read their pongs while the handlers run.
	replies := make(chan string, 2)
	for _, s := range []*session{busy, waiting} {
		go func() {
			_, msg, err := s.c.Read(ctxT(t))
			if err != nil {
				replies <- "error: " + err.Error()
				return
			}
			replies <- string(msg)
		}()
	}
	time.Sleep(2 * time.Second) // eight ping intervals with the handlers running
	close(release)
	for range 2 {
		if got := <-replies; !strings.Contains(got, "<ok/>") {
			t.Errorf("reply after a long request: %s", got)
		}
	}
}

// TestDeadPeerFreesLocks: a client that stops answering (it no longer reads) is closed after
// missed pings and its lock is freed.
func TestDeadPeerFreesLocks(t *testing.T) {
	srv := netconftest.NewServer(t)
	_, url := serve(t, srv, websocket.Options{PingInterval: 100 * time.Millisecond, MaxMissedPings: 2})
	dead := open(t, url, "alice")
	dead.send(rpc("1", "<lock><target><running/></target></lock>"))
	if got := dead.recv(); !strings.Contains(got, "<ok/>") {
		t.Fatalf("lock: %s", got)
	}
	// From now on the client reads nothing: no pong.
	waitFor(t, func() bool { _, held := srv.Store.LockHolder(datastore.Running); return !held })
	other := open(t, url, "bob")
	other.send(rpc("2", "<lock><target><running/></target></lock>"))
	if got := other.recv(); !strings.Contains(got, "<ok/>") {
		t.Errorf("lock after the dead peer was dropped: %s", got)
	}
}

// TestKillSessionOfStalledPeer: kill-session of a session whose client stopped reading
// returns without waiting for the close handshake, and the victim's lock is free then.
func TestKillSessionOfStalledPeer(t *testing.T) {
	srv := netconftest.NewServer(t)
	_, url := serve(t, srv, websocket.Options{PingInterval: -1})
	victim := open(t, url, "alice")
	victim.send(rpc("1", "<lock><target><running/></target></lock>"))
	if got := victim.recv(); !strings.Contains(got, "<ok/>") {
		t.Fatalf("lock: %s", got)
	}
	// The victim never reads again: it will not answer the close frame.
	killer := open(t, url, "bob")
	start := time.Now()
	killer.send(rpc("2", fmt.Sprintf("<kill-session><session-id>%d</session-id></kill-session>", victim.id)))
	if got := killer.recv(); !strings.Contains(got, "<ok/>") {
		t.Fatalf("kill-session: %s", got)
	}
	t.Logf("kill-session answered in %v", time.Since(start))
	killer.send(rpc("3", "<lock><target><running/></target></lock>"))
	if got := killer.recv(); !strings.Contains(got, "<ok/>") {
		t.Errorf("lock right after kill-session: %s", got)
	}
}

// rawClient is a WebSocket client on a plain TCP connection, for frames a real client library
// never sends.
type rawClient struct {
	t  *testing.T
	c  net.Conn
	br *bufio.Reader
}

func rawUpgrade(t *testing.T, url, user string) *rawClient {
	t.Helper()
	host := strings.TrimPrefix(strings.TrimSuffix(url, "/netconf"), "ws://")
	c, err := net.Dial("tcp", host)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(20 * time.Second))
	fmt.Fprintf(c, "GET /netconf HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: netconf\r\n"+
		"Authorization: Basic %s\r\n\r\n", host, base64.StdEncoding.EncodeToString([]byte(user+":secret")))
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusSwitchingProtocols {
		t.Fatalf("upgrade: %s", resp.Status)
	}
	return &rawClient{t: t, c: c, br: br}
}

// frame writes one final frame with opcode op, masked or not.
func (r *rawClient) frame(op byte, payload []byte, masked bool) {
	b := []byte{0x80 | op}
	mbit := byte(0)
	if masked {
		mbit = 0x80
	}
	switch n := len(payload); {
	case n < 126:
		b = append(b, mbit|byte(n))
	case n < 1<<16:
		b = append(b, mbit|126)
		b = binary.BigEndian.AppendUint16(b, uint16(n))
	default:
		b = append(b, mbit|127)
		b = binary.BigEndian.AppendUint64(b, uint64(n))
	}
	p := append([]byte(nil), payload...)
	if masked {
		key := [4]byte{1, 2, 3, 4}
		b = append(b, key[:]...)
		for i := range p {
			p[i] ^= key[i%4]
		}
	}
	if _, err := r.c.Write(append(b, p...)); err != nil {
		r.t.Fatal(err)
	}
}

// next reads one frame from the server: its opcode and payload.
func (r *rawClient) next() (byte, []byte) {
	r.t.Helper()
	var h [2]byte
	if _, err := io.ReadFull(r.br, h[:]); err != nil {
		r.t.Fatalf("reading a frame: %v", err)
	}
	n := uint64(h[1] & 0x7f)
	switch n {
	case 126:
		var l [2]byte
		io.ReadFull(r.br, l[:])
		n = uint64(binary.BigEndian.Uint16(l[:]))
	case 127:
		var l [8]byte
		io.ReadFull(r.br, l[:])
		n = binary.BigEndian.Uint64(l[:])
	}
	p := make([]byte, n)
	if _, err := io.ReadFull(r.br, p); err != nil {
		r.t.Fatalf("reading a frame: %v", err)
	}
	return h[0] & 0x0f, p
}

// closeFrame reads frames until the close frame and returns its code and reason.
func (r *rawClient) closeFrame() (ws.StatusCode, string) {
	r.t.Helper()
	for {
		op, p := r.next()
		if op == 8 {
			if len(p) < 2 {
				return ws.StatusNoStatusRcvd, ""
			}
			return ws.StatusCode(binary.BigEndian.Uint16(p)), string(p[2:])
		}
	}
}

// TestUnmaskedFrame: a client frame without the mask bit is a protocol error (RFC 6455
// section 5.1): close 1002.
func TestUnmaskedFrame(t *testing.T) {
	srv := netconftest.NewServer(t)
	_, url := serve(t, srv, websocket.Options{})
	r := rawUpgrade(t, url, "alice")
	if op, p := r.next(); op != 1 || !strings.Contains(string(p), "<hello") {
		t.Fatalf("first frame: opcode %d %q, want the server hello", op, p)
	}
	r.frame(1, []byte(clientHello), true)
	r.frame(1, []byte(rpc("1", "<get-config><source><running/></source></get-config>")), false)
	if code, reason := r.closeFrame(); code != ws.StatusProtocolError {
		t.Errorf("closed with %d %q, want 1002", code, reason)
	}
}

// TestOverReadLimitCloseCode: a client sending a message far over the read limit reads the
// close code 1009 and a reason naming the limit, not a reset connection.
func TestOverReadLimitCloseCode(t *testing.T) {
	srv := netconftest.NewServer(t)
	_, url := serve(t, srv, websocket.Options{ReadLimit: 1 << 20})
	s := open(t, url, "alice")
	big := rpc("1", "<edit-config><target><running/></target><config><top xmlns=\"urn:ncws:test:nctest\"><name>"+
		strings.Repeat("x", 24<<20)+"</name></top></config></edit-config>")
	// The write may fail once the server has closed; what the client reads next is the point.
	s.c.Write(ctxT(t), ws.MessageText, []byte(big))
	code, reason := s.closed()
	if code != ws.StatusMessageTooBig || reason != "message over the read limit of 1048576 bytes" {
		t.Errorf("closed with %d %q, want 1009 naming the limit", code, reason)
	}
}
