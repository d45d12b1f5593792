package server_test

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/ncws/ncws/pkg/client"
	"github.com/ncws/ncws/pkg/netconf"
)

// The subscribers of `make bench-notify` in a process of their own (BENCH_CLIENT=process, the
// default): TestNotifyFanout starts this test binary again with NCWS_BENCH_NOTIFY_CLIENTS set to
// the server's URL, and TestNotifyFanoutClients there opens the SUBSCRIBERS sessions and reads
// them. So the server's CPU time per delivery is measured alone (its process's rusage), the
// subscribers' apart (theirs), and neither's garbage collector pauses the other.
//
// The subscribers are measuring tools, written to cost as little as a receiver can while still
// receiving every update and checking it: the WebSocket handshake, the hello and the
// establish-subscription are done by hand over a blocking socket; then each socket is handed
// to one of a few epoll loops (level-triggered, non-blocking reads of up to 64 KiB) that parse
// the server's frames (RFC 6455 section 5.2; pings are answered with pongs) and check every
// push-change-update as the in-process readers do (recv.check's rules, here clientSub.check):
// its subscription id, its patch-id commit-N being the commit after the one before (in order,
// no gap), and its one edit setting interface eth(mtu mod 10) to mtu, the bench's rule for
// what each commit does, with every subscriber getting the same mtu for a commit. A receipt's
// time is taken once per read system call.
//
// CLIENT_CPUPROFILE=f writes a CPU profile of the subscriber process in each phase to f.<rate>
// (the warm-up's too, overwritten by a measured phase at the same rate).
//
// The parent drives it over a pipe: a line "reset RATE" before a phase, "collect EXPECTED
// SLOWEST" after it (wait until EXPECTED updates came, 30 s at most, then answer with the
// phase's figures as one JSON line on file descriptor 3).

// clientPhase is what the subscriber process reports of a phase.
type clientPhase struct {
	Received    int64
	P50, P99    time.Duration
	Max         time.Duration
	CPU         time.Duration // the subscriber process's user+sys CPU time in the phase
	Bad         int64
	Why         []string
	Suspensions int
	Slowest     []string
}

// TestNotifyFanoutClients is the subscriber process of TestNotifyFanout (see above); it runs
// only when that test starts it.
func TestNotifyFanoutClients(t *testing.T) {
	u := os.Getenv("NCWS_BENCH_NOTIFY_CLIENTS")
	if u == "" {
		t.Skip("started by TestNotifyFanout (make bench-notify)")
	}
	out := os.NewFile(3, "results")
	subscribers := envInt("SUBSCRIBERS", 1000)
	setup := time.Now()
	workers := envInt("CLIENT_LOOPS", 2)
	loops := make([]*epollLoop, workers)
	for i := range loops {
		l, err := newEpollLoop()
		if err != nil {
			t.Fatal(err)
		}
		loops[i] = l
	}
	var mtuOf mtuRing
	var subs []*clientSub
	for i := range subscribers {
		s, err := dialSubscriber(u, "u"+strconv.Itoa(i%10))
		if err != nil {
			t.Fatalf("session %d: %v", i, err)
		}
		s.mtuOf = &mtuOf
		subs = append(subs, s)
		if err := loops[i%workers].add(s); err != nil {
			t.Fatal(err)
		}
	}
	for _, l := range loops {
		go l.run()
	}
	enc := json.NewEncoder(out)
	enc.Encode(map[string]any{"ready": len(subs), "setup": time.Since(setup).String()})
	sc := bufio.NewScanner(os.Stdin)
	var cpu0 time.Duration
	var start time.Time
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) == 2 && f[0] == "reset":
			rate, _ := strconv.Atoi(f[1])
			duration := time.Duration(envInt("DURATION_MS", 3000)) * time.Millisecond
			for _, l := range loops {
				l.mu.Lock()
				for _, s := range l.subs {
					if n := rate*int(duration/time.Second) + rate; cap(s.lat) < n {
						s.lat = make([]latency, 0, n)
					}
					s.lat = s.lat[:0]
				}
				l.received.Store(0)
				l.mu.Unlock()
			}
			if p := os.Getenv("CLIENT_CPUPROFILE"); p != "" {
				f, err := os.Create(fmt.Sprintf("%s.%d", p, rate))
				if err != nil {
					t.Fatal(err)
				}
				pprof.StartCPUProfile(f)
			}
			cpu0, start = cpuTime(), time.Now()
			enc.Encode(map[string]any{"reset": rate})
		case len(f) == 3 && f[0] == "collect":
			expected, _ := strconv.ParseInt(f[1], 10, 64)
			slowest, _ := strconv.Atoi(f[2])
			received := func() int64 {
				var n int64
				for _, l := range loops {
					n += l.received.Load()
				}
				return n
			}
			deadline := time.Now().Add(30 * time.Second)
			for received() < expected && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			var p clientPhase
			p.CPU = cpuTime() - cpu0
			if os.Getenv("CLIENT_CPUPROFILE") != "" {
				pprof.StopCPUProfile()
			}
			var all []time.Duration
			perCommit := map[uint64][]latency{}
			for _, l := range loops {
				l.mu.Lock()
				p.Received += l.received.Load()
				for _, s := range l.subs {
					for _, x := range s.lat {
						all = append(all, x.lat)
						if slowest > 0 {
							perCommit[x.commit] = append(perCommit[x.commit], x)
						}
					}
					p.Bad += s.bad
					p.Suspensions += s.suspensions
					if s.why != "" && len(p.Why) < 5 {
						p.Why = append(p.Why, "subscription "+s.id+": "+s.why)
					}
					s.why = ""
				}
				l.mu.Unlock()
			}
			sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
			if len(all) > 0 {
				p.P50 = all[min(len(all)-1, len(all)/2)]
				p.P99 = all[min(len(all)-1, int(0.99*float64(len(all))))]
				p.Max = all[len(all)-1]
			}
			if slowest > 0 {
				var b strings.Builder
				// The parent's phase began a little before this process's reset answer
				// reached it: offsets are relative to the reset here.
				printSlowestTo(&b, perCommit, slowest, start, setup)
				p.Slowest = strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
			}
			enc.Encode(p)
		}
	}
	for _, s := range subs {
		syscall.Close(s.fd)
	}
}

// startClientProcess starts the subscriber process for the server at url and waits until its
// subscriptions are established.
func startClientProcess(t *testing.T, url string, subscribers int) *clientProcess {
	rd, wr, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run", "^TestNotifyFanoutClients$", "-test.count", "1", "-test.timeout", "0")
	cmd.Env = append(os.Environ(), "NCWS_BENCH_NOTIFY_CLIENTS="+url, "SUBSCRIBERS="+strconv.Itoa(subscribers),
		// The subscriber process's own profiles and traces are not asked for.
		"CPUPROFILE=", "TRACE=", "ALLOCPROFILE=")
	cmd.ExtraFiles = []*os.File{wr}
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	wr.Close()
	cp := &clientProcess{cmd: cmd, in: in, dec: json.NewDecoder(rd)}
	t.Cleanup(cp.close)
	var ready map[string]any
	if err := cp.dec.Decode(&ready); err != nil {
		t.Fatalf("subscriber process: %v", err)
	}
	t.Logf("subscriber process: %v", ready)
	return cp
}

// clientProcess is the parent's end of the subscriber process.
type clientProcess struct {
	cmd  *exec.Cmd
	in   io.WriteCloser
	dec  *json.Decoder
	once sync.Once
}

func (c *clientProcess) reset(rate int) error {
	fmt.Fprintf(c.in, "reset %d\n", rate)
	var v map[string]any
	return c.dec.Decode(&v)
}

func (c *clientProcess) collect(expected int64, slowest int) (clientPhase, error) {
	fmt.Fprintf(c.in, "collect %d %d\n", expected, slowest)
	var p clientPhase
	err := c.dec.Decode(&p)
	return p, err
}

func (c *clientProcess) close() {
	c.once.Do(func() {
		c.in.Close()
		done := make(chan struct{})
		go func() { c.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			c.cmd.Process.Kill()
			<-done
		}
	})
}

// mtuRing remembers, for the last 65,536 commits, the mtu the first subscriber to receive the
// commit's update saw, so that every other subscriber is checked to see the same.
type mtuRing [1 << 16]atomic.Uint64

// agree records mtu for commit, or reports whether it is the mtu recorded for it.
func (r *mtuRing) agree(commit uint64, mtu int) bool {
	slot := &r[commit&(1<<16-1)]
	want := commit<<16 | uint64(mtu)
	for {
		v := slot.Load()
		switch {
		case v>>16 == commit:
			return v == want
		case v>>16 > commit:
			return true // too old to check
		}
		if slot.CompareAndSwap(v, want) {
			return true
		}
	}
}

// clientSub is one subscriber session of the subscriber process.
type clientSub struct {
	fd     int
	id     string
	buf    []byte // unparsed input from buf[off:]
	off    int
	mtuOf  *mtuRing
	frame  []byte // a message's fragments, when one comes in several frames
	closed bool

	// Guarded by the loop's mu.
	lat         []latency
	lastCommit  uint64
	bad         int64
	why         string
	gapOK       bool
	suspensions int
}

// check checks one push-change-update received at now (recv.check's rules; the content rule
// is that commit k's edit sets eth(mtu mod 10) to mtu, the same mtu for every subscriber).
func (s *clientSub) check(msg []byte, now time.Time) bool {
	at, err := time.Parse(time.RFC3339Nano, string(betweenBytes(msg, "<eventTime>", "</eventTime>")))
	if err != nil {
		s.fault(fmt.Sprintf("eventTime: %v", err), msg)
		return false
	}
	id := betweenBytes(msg, "<id>", "</id>")
	commit, _ := strconv.ParseUint(string(betweenBytes(msg, "<patch-id>commit-", "</patch-id>")), 10, 64)
	iface, _ := strconv.Atoi(string(betweenBytes(msg, "/interface=eth", "/")))
	mtu, _ := strconv.Atoi(string(betweenBytes(betweenBytes(msg, "<value>", "</value>"), ">", "<")))
	switch {
	case string(id) != s.id:
		s.fault(fmt.Sprintf("update for subscription %q", id), msg)
	case commit == 0 || (s.lastCommit != 0 && commit != s.lastCommit+1 && !(s.gapOK && commit > s.lastCommit)):
		s.fault(fmt.Sprintf("update of commit %d after commit %d", commit, s.lastCommit), msg)
	case mtu < 1500 || mtu > 9000 || mtu%10 != iface:
		s.fault(fmt.Sprintf("update setting eth%d's mtu to %d, which no commit did", iface, mtu), msg)
	case !s.mtuOf.agree(commit, mtu):
		s.fault(fmt.Sprintf("update of commit %d with an mtu another subscriber did not get", commit), msg)
	}
	s.gapOK = false
	if commit > s.lastCommit {
		s.lastCommit = commit
	}
	s.lat = append(s.lat, latency{commit, at.UnixNano(), now.Sub(at)})
	return true
}

func (s *clientSub) fault(why string, msg []byte) {
	s.bad++
	if s.why == "" {
		s.why = why + ": " + string(msg)
	}
}

// epollLoop reads the sockets of a share of the subscribers.
type epollLoop struct {
	ep       int
	mu       sync.Mutex
	subs     map[int]*clientSub
	received atomic.Int64
}

func newEpollLoop() (*epollLoop, error) {
	ep, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
	if err != nil {
		return nil, err
	}
	return &epollLoop{ep: ep, subs: map[int]*clientSub{}}, nil
}

func (l *epollLoop) add(s *clientSub) error {
	l.mu.Lock()
	l.subs[s.fd] = s
	l.mu.Unlock()
	return syscall.EpollCtl(l.ep, syscall.EPOLL_CTL_ADD, s.fd, &syscall.EpollEvent{Events: syscall.EPOLLIN, Fd: int32(s.fd)})
}

// run waits for input and parses it, until every socket is closed.
func (l *epollLoop) run() {
	events := make([]syscall.EpollEvent, 128)
	for {
		n, err := syscall.EpollWait(l.ep, events, -1)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return
		}
		now := time.Now()
		l.mu.Lock()
		for _, ev := range events[:n] {
			s := l.subs[int(ev.Fd)]
			if s == nil {
				continue
			}
			if !l.readFrom(s, now) {
				syscall.EpollCtl(l.ep, syscall.EPOLL_CTL_DEL, s.fd, nil)
				delete(l.subs, s.fd)
				s.closed = true
			}
		}
		l.mu.Unlock()
	}
}

// readFrom reads what s's socket holds (one read; level-triggered epoll reports the rest) and
// handles the whole frames in it; false when the connection is over.
func (l *epollLoop) readFrom(s *clientSub, now time.Time) bool {
	if s.off > 0 && s.off == len(s.buf) {
		s.buf, s.off = s.buf[:0], 0
	}
	if cap(s.buf)-len(s.buf) < 16<<10 {
		// Move what is unparsed to the front, or grow.
		if s.off > 0 {
			n := copy(s.buf, s.buf[s.off:])
			s.buf, s.off = s.buf[:n], 0
		}
		if cap(s.buf)-len(s.buf) < 16<<10 {
			s.buf = append(s.buf[:cap(s.buf)], make([]byte, 64<<10)...)[:len(s.buf)]
		}
	}
	n, err := syscall.Read(s.fd, s.buf[len(s.buf):cap(s.buf)])
	if err == syscall.EAGAIN || err == syscall.EINTR {
		return true
	}
	if err != nil || n == 0 {
		return false
	}
	s.buf = s.buf[:len(s.buf)+n]
	for {
		fin, op, payload, size, ok := parseFrame(s.buf[s.off:])
		if !ok {
			return true
		}
		if size < 0 {
			s.fault("masked or malformed frame from the server", s.buf[s.off:min(len(s.buf), s.off+64)])
			return false
		}
		s.off += size
		switch op {
		case 0x9: // ping
			if _, err := syscall.Write(s.fd, maskedFrame(0xA, payload)); err != nil {
				return false
			}
			continue
		case 0xA:
			continue
		case 0x8:
			return false
		case 0x1, 0x0:
		default:
			s.fault(fmt.Sprintf("frame opcode %d", op), nil)
			return false
		}
		msg := payload
		if !fin || s.frame != nil {
			s.frame = append(s.frame, payload...)
			if !fin {
				continue
			}
			msg, s.frame = s.frame, nil
		}
		head := msg[:min(len(msg), 200)]
		if bytes.Contains(head, []byte("<subscription-resumed")) {
			s.gapOK = true
			s.suspensions++
		}
		if !bytes.Contains(head, []byte("<push-change-update")) {
			continue
		}
		if s.check(msg, now) {
			l.received.Add(1)
		}
	}
}

// parseFrame parses the frame at the start of b: ok false when b does not hold all of it; size
// -1 for a frame a server may not send (masked, reserved bits).
func parseFrame(b []byte) (fin bool, op byte, payload []byte, size int, ok bool) {
	if len(b) < 2 {
		return
	}
	if b[1]&0x80 != 0 || b[0]&0x70 != 0 {
		return false, 0, nil, -1, true
	}
	h, n := 2, uint64(b[1]&0x7f)
	switch n {
	case 126:
		if len(b) < 4 {
			return
		}
		n, h = uint64(binary.BigEndian.Uint16(b[2:])), 4
	case 127:
		if len(b) < 10 {
			return
		}
		n, h = binary.BigEndian.Uint64(b[2:]), 10
	}
	if n > 1<<30 {
		return false, 0, nil, -1, true
	}
	if uint64(len(b)-h) < n {
		return
	}
	return b[0]&0x80 != 0, b[0] & 0x0f, b[h : h+int(n)], h + int(n), true
}

// maskedFrame returns a client frame (masked, RFC 6455 section 5.3) with the opcode and payload.
func maskedFrame(op byte, payload []byte) []byte {
	b := []byte{0x80 | op}
	switch n := len(payload); {
	case n < 126:
		b = append(b, 0x80|byte(n))
	case n < 1<<16:
		b = append(b, 0x80|126, byte(n>>8), byte(n))
	default:
		b = append(b, 0x80|127)
		b = binary.BigEndian.AppendUint64(b, uint64(n))
	}
	var key [4]byte
	rand.Read(key[:])
	b = append(b, key[:]...)
	for i, c := range payload {
		b = append(b, c^key[i%4])
	}
	return b
}

// dialSubscriber opens a subscriber session: the WebSocket handshake (RFC 6455 section 4.1, the
// netconf subprotocol, basic authentication), the hello exchange and establish-subscription,
// over a blocking socket; then it returns the session with its socket's descriptor (a
// duplicate, non-blocking) for an epoll loop.
func dialSubscriber(rawURL, user string) (*clientSub, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, err
	}
	c, err := net.Dial("tcp", u.Host)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	var key [16]byte
	rand.Read(key[:])
	k := base64.StdEncoding.EncodeToString(key[:])
	req := http.Request{Header: http.Header{}}
	req.SetBasicAuth(user, "x")
	fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"+
		"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: %s\r\nAuthorization: %s\r\n\r\n",
		u.RequestURI(), u.Host, k, client.Subprotocol, req.Header.Get("Authorization"))
	br := bufio.NewReaderSize(c, 64<<10)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		return nil, err
	}
	sum := sha1.Sum([]byte(k + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	if resp.StatusCode != http.StatusSwitchingProtocols || resp.Header.Get("Sec-WebSocket-Accept") != base64.StdEncoding.EncodeToString(sum[:]) ||
		resp.Header.Get("Sec-WebSocket-Protocol") != client.Subprotocol {
		return nil, fmt.Errorf("handshake: %s %v", resp.Status, resp.Header)
	}
	readMsg := func() ([]byte, error) {
		for {
			b, _ := br.Peek(br.Buffered())
			if fin, op, payload, size, ok := parseFrame(b); ok {
				if size < 0 || !fin || (op != 0x1 && op != 0x9) {
					return nil, errors.New("unexpected frame during setup")
				}
				msg := append([]byte(nil), payload...)
				br.Discard(size)
				if op == 0x9 {
					if _, err := c.Write(maskedFrame(0xA, msg)); err != nil {
						return nil, err
					}
					continue
				}
				return msg, nil
			}
			if _, err := br.Peek(br.Buffered() + 1); err != nil {
				return nil, err
			}
		}
	}
	hello, err := readMsg()
	if err != nil || !bytes.Contains(hello, []byte("<hello")) {
		return nil, fmt.Errorf("server hello: %q, %v", hello, err)
	}
	if _, err := c.Write(maskedFrame(0x1, (&netconf.Hello{Capabilities: []string{netconf.CapBase10, netconf.CapBase11}}).Encode())); err != nil {
		return nil, err
	}
	op := `<establish-subscription xmlns="` + nsSN + `" xmlns:yp="` + nsYP + `" xmlns:ds="urn:ietf:params:xml:ns:yang:ietf-datastores">` +
		fanoutSubscription + `</establish-subscription>`
	if _, err := c.Write(maskedFrame(0x1, netconf.AppendRPC(nil, "1", []byte(op)))); err != nil {
		return nil, err
	}
	reply, err := readMsg()
	if err != nil {
		return nil, err
	}
	m := idRe.FindSubmatch(reply)
	if m == nil || bytes.Contains(reply, []byte("<rpc-error")) {
		return nil, fmt.Errorf("establish-subscription: %s", reply)
	}
	s := &clientSub{id: string(m[1])}
	// What the reader holds already (nothing, unless a ping came) is parsed first.
	rest, _ := br.Peek(br.Buffered())
	s.buf = append(make([]byte, 0, 64<<10), rest...)
	sc, err := c.(*net.TCPConn).SyscallConn()
	if err != nil {
		return nil, err
	}
	var derr error
	if err := sc.Control(func(fd uintptr) { s.fd, derr = syscall.Dup(int(fd)) }); err != nil {
		return nil, err
	}
	if derr != nil {
		return nil, derr
	}
	// The duplicate shares the socket's non-blocking mode (the runtime's); said again.
	if err := syscall.SetNonblock(s.fd, true); err != nil {
		return nil, err
	}
	return s, nil
}
