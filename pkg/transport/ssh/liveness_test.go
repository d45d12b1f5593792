package ssh_test

import (
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	xssh "golang.org/x/crypto/ssh"

	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/netconftest"
	"github.com/ncws/ncws/pkg/transport/ssh"
)

// stallProxy forwards TCP between a client and addr until stall is called; from then on it
// reads nothing either way, as a host that is gone (or a peer whose process stopped) would.
type stallProxy struct {
	addr    string
	stopped chan struct{}
	once    sync.Once
	// down counts the bytes forwarded to the client since stallAfter was called; past limit
	// (when > 0) the proxy stalls.
	down, limit atomic.Int64
}

func newStallProxy(t *testing.T, target string) *stallProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &stallProxy{addr: ln.Addr().String(), stopped: make(chan struct{})}
	done := make(chan struct{})
	var conns []net.Conn
	var mu sync.Mutex
	t.Cleanup(func() {
		close(done)
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
	})
	go func() {
		for {
			a, err := ln.Accept()
			if err != nil {
				return
			}
			b, err := net.Dial("tcp", target)
			if err != nil {
				a.Close()
				return
			}
			mu.Lock()
			conns = append(conns, a, b)
			mu.Unlock()
			pipe := func(dst, src net.Conn) {
				buf := make([]byte, 4096)
				for {
					select {
					case <-p.stopped:
						<-done
						return
					default:
					}
					n, err := src.Read(buf)
					select {
					case <-p.stopped:
						<-done
						return
					default:
					}
					if n > 0 {
						dst.Write(buf[:n])
						if dst == a {
							if l := p.limit.Load(); l > 0 && p.down.Add(int64(n)) > l {
								p.stall()
							}
						}
					}
					if err != nil {
						dst.Close()
						return
					}
				}
			}
			go pipe(a, b)
			go pipe(b, a)
		}
	}()
	return p
}

// stallAfter makes the proxy stall once n more bytes went to the client.
func (p *stallProxy) stallAfter(n int64) {
	p.down.Store(0)
	p.limit.Store(n)
}

func (p *stallProxy) stall() { p.once.Do(func() { close(p.stopped) }) }

// netconfVia opens a netconf session through addr as user and returns its streams after the
// hellos.
func netconfVia(t *testing.T, addr, user string) (io.Writer, io.Reader) {
	t.Helper()
	c, err := xssh.Dial("tcp", addr, &xssh.ClientConfig{User: user, Auth: []xssh.AuthMethod{xssh.Password("x")},
		HostKeyCallback: xssh.InsecureIgnoreHostKey(), Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	in, _ := s.StdinPipe()
	out, _ := s.StdoutPipe()
	if err := s.RequestSubsystem("netconf"); err != nil {
		t.Fatal(err)
	}
	io.WriteString(in, `<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.0</capability></capabilities></hello>]]>]]>`)
	return in, out
}

// eomReader reads end-of-message framed messages.
type eomReader struct {
	r   io.Reader
	buf []byte
}

func (e *eomReader) next(t *testing.T) string {
	t.Helper()
	for {
		if i := strings.Index(string(e.buf), "]]>]]>"); i >= 0 {
			m := string(e.buf[:i])
			e.buf = e.buf[i+6:]
			return m
		}
		p := make([]byte, 64<<10)
		n, err := e.r.Read(p)
		e.buf = append(e.buf, p[:n]...)
		if err != nil {
			t.Fatalf("reading a reply: %v (got %q)", err, e.buf)
		}
	}
}

func rpc10(id, body string) string {
	return `<rpc message-id="` + id + `" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">` + body + `</rpc>]]>]]>`
}

// hello reads the server hello and returns the session id.
func hello(t *testing.T, r *eomReader) uint32 {
	t.Helper()
	h := r.next(t)
	var id uint32
	if _, err := fmt.Sscan(between(h, "<session-id>", "</session-id>"), &id); err != nil {
		t.Fatalf("server hello: %q", h)
	}
	return id
}

// TestKillSessionOfStalledPeer: over real SSH, a peer that stopped reading (its host stalls:
// nothing it is sent is taken) with a big reply pending is killed by another session; the
// kill-session is answered and the victim's lock is free right after.
func TestKillSessionOfStalledPeer(t *testing.T) {
	srv := netconftest.NewServer(t)
	_, addr := serve(t, srv, ssh.Options{PingInterval: -1})
	proxy := newStallProxy(t, addr)
	vin, vout := netconfVia(t, proxy.addr, "alice")
	vr := &eomReader{r: vout}
	victim := hello(t, vr)
	// A 4 MiB leaf: a get-config reply bigger than the SSH window and the socket buffers.
	io.WriteString(vin, rpc10("1", `<edit-config><target><running/></target><config><top xmlns="urn:ncws:test:nctest"><name>`+
		strings.Repeat("x", 4<<20)+`</name></top></config></edit-config>`))
	if got := vr.next(t); !strings.Contains(got, "<ok/>") {
		t.Fatalf("edit-config: %.300s", got)
	}
	io.WriteString(vin, rpc10("2", "<lock><target><running/></target></lock>"))
	if got := vr.next(t); !strings.Contains(got, "<ok/>") {
		t.Fatalf("lock: %s", got)
	}
	// The proxy stalls in the middle of the reply: the server's write is blocked (SSH window or
	// socket buffers) when kill-session comes.
	proxy.stallAfter(256 << 10)
	io.WriteString(vin, rpc10("3", "<get-config><source><running/></source></get-config>")+
		rpc10("4", "<get-config><source><running/></source></get-config>"))
	for end := time.Now().Add(20 * time.Second); ; time.Sleep(time.Millisecond) {
		select {
		case <-proxy.stopped:
		default:
			if time.Now().After(end) {
				t.Fatal("the reply did not start")
			}
			continue
		}
		break
	}

	kin, kout := netconfVia(t, addr, "bob")
	kr := &eomReader{r: kout}
	hello(t, kr)
	io.WriteString(kin, rpc10("5", fmt.Sprintf("<kill-session><session-id>%d</session-id></kill-session>", victim)))
	if got := kr.next(t); !strings.Contains(got, "<ok/>") {
		t.Fatalf("kill-session: %s", got)
	}
	if h, held := srv.Store.LockHolder(datastore.Running); held {
		t.Errorf("the running lock is still held by %v after kill-session", h)
	}
	io.WriteString(kin, rpc10("6", "<lock><target><running/></target></lock>"))
	if got := kr.next(t); !strings.Contains(got, "<ok/>") {
		t.Errorf("lock right after kill-session: %s", got)
	}
}

// TestDeadPeerFreesLocks: a peer whose host is gone answers no keepalive: its connection is
// closed after MaxMissedPings intervals and its lock freed.
func TestDeadPeerFreesLocks(t *testing.T) {
	srv := netconftest.NewServer(t)
	_, addr := serve(t, srv, ssh.Options{PingInterval: 100 * time.Millisecond, MaxMissedPings: 2})
	proxy := newStallProxy(t, addr)
	in, out := netconfVia(t, proxy.addr, "alice")
	r := &eomReader{r: out}
	hello(t, r)
	io.WriteString(in, rpc10("1", "<lock><target><running/></target></lock>"))
	if got := r.next(t); !strings.Contains(got, "<ok/>") {
		t.Fatalf("lock: %s", got)
	}
	proxy.stall()
	for end := time.Now().Add(20 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if _, held := srv.Store.LockHolder(datastore.Running); !held {
			break
		}
		if time.Now().After(end) {
			t.Fatal("the dead peer's lock is still held")
		}
	}
}

// TestKeepaliveOfLiveIdlePeer: a live client that sends nothing keeps its session through
// many keepalive intervals (x/crypto/ssh answers the pings).
func TestKeepaliveOfLiveIdlePeer(t *testing.T) {
	srv := netconftest.NewServer(t)
	_, addr := serve(t, srv, ssh.Options{PingInterval: 20 * time.Millisecond, MaxMissedPings: 2})
	in, out := netconfVia(t, addr, "alice")
	r := &eomReader{r: out}
	hello(t, r)
	time.Sleep(300 * time.Millisecond) // 15 intervals
	io.WriteString(in, rpc10("1", "<get-config><source><running/></source></get-config>"))
	if got := r.next(t); !strings.Contains(got, "<data") {
		t.Errorf("get-config after idling: %s", got)
	}
}
