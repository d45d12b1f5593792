package server_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	ws "github.com/coder/websocket"

	"github.com/ncws/ncws/pkg/client"
	"github.com/ncws/ncws/pkg/netconf"
	"github.com/ncws/ncws/pkg/server"
	"github.com/ncws/ncws/pkg/transport/websocket"
)

// TestNotifyFanout is `make bench-notify` (RFC 8641 on-change fan-out): SUBSCRIBERS WebSocket
// sessions (1,000 by default) each hold an on-change subscription on the example's interface
// list, and more sessions commit an mtu change at increasing rates (RATES commits/s, each for
// DURATION_MS, sent by COMMITTERS sessions). It prints, per rate, the deliveries per second,
// p50/p99 latency from the commit's eventTime to the client's receipt, the updates lost
// (expected minus received, after waiting for stragglers) and the CPU time per delivery. The
// subscribers are measuring tools; by default (BENCH_CLIENT=process) they run in a process of
// their own (notify_clients_test.go), so that the CPU time per delivery is printed for the
// server's process and the subscribers' apart; BENCH_CLIENT=lean has them in the server's
// process reading lean (dialLean), BENCH_CLIENT=full with pkg/client (the process's CPU time
// then covers both). Every update is checked (clientSub.check, recv.check) and the test fails
// on one out of order, after a gap, or with the wrong content.
// A warm-up phase (WARMUP_MS, default 1 s) at the first rate comes first, its row marked.
// It runs only with NCWS_BENCH_NOTIFY set; it asserts nothing about the figures. CPUPROFILE=f
// writes a CPU profile of each rate's measured phase to f.<rate>.
func TestNotifyFanout(t *testing.T) {
	if os.Getenv("NCWS_BENCH_NOTIFY") == "" {
		t.Skip("set NCWS_BENCH_NOTIFY=1 (make bench-notify)")
	}
	subscribers := envInt("SUBSCRIBERS", 1000)
	duration := time.Duration(envInt("DURATION_MS", 3000)) * time.Millisecond
	var rates []int
	for _, r := range strings.Fields(strings.ReplaceAll(envStr("RATES", "25 50 100 150 200"), ",", " ")) {
		n, err := strconv.Atoi(r)
		if err != nil {
			t.Fatal(err)
		}
		rates = append(rates, n)
	}
	// The store is in memory (no journal fsync): the figures are of the fan-out, not of the
	// disk; a commit's eventTime is taken before its journal write anyway.
	st := memStore(t)
	// COALESCE_MS sets Server.PushCoalesce (-1: none; the default when unset), for experiments.
	srv := &server.Server{Store: st, PushCoalesce: time.Duration(envSigned("COALESCE_MS", 0)) * time.Millisecond}
	// PING_MS sets the WebSocket keepalive's interval (-1: none), for experiments.
	url := serveWSWith(t, srv, websocket.Options{MaxConnsPerAddr: subscribers + 10, MaxConnsPerUser: subscribers + 10,
		PingInterval: time.Duration(envSigned("PING_MS", 0)) * time.Millisecond})
	ctx := context.Background()
	editor, _ := dialNotes(t, url, "admin")
	editors := []*client.Session{editor}
	for range envInt("COMMITTERS", 4) - 1 {
		e, _ := dialNotes(t, url, "admin")
		editors = append(editors, e)
	}
	var cfg strings.Builder
	for i := range 10 {
		fmt.Fprintf(&cfg, "<interface><name>eth%d</name><type>ex:ethernet</type><mtu>1500</mtu></interface>", i)
	}
	if err := editor.EditConfig(ctx, client.Running, []byte(`<interfaces xmlns="urn:ncws:yang:ncws-example" xmlns:ex="urn:ncws:yang:ncws-example">`+cfg.String()+`</interfaces>`), client.EditOptions{}); err != nil {
		t.Fatal(err)
	}

	// Every commit sets interface eth(k) to a new mtu, one higher than the commit before
	// (wrapping at 9000): ifaceOf[mtu] is k+1 once that commit is queued, so that a
	// receiver can check which interface changed to which value.
	var ifaceOf [9001]atomic.Int32
	var received atomic.Int64
	// BENCH_CLIENT: process (the default: the subscribers in a process of their own, see
	// notify_clients_test.go), lean or full (in this process, read by dialLean or pkg/client).
	mode := envStr("BENCH_CLIENT", "process")
	lean := mode == "lean"
	var rs []*recv
	var cp *clientProcess
	var closers []func()
	setup := time.Now()
	if mode == "process" {
		cp = startClientProcess(t, url, subscribers)
	} else {
		rs = make([]*recv, subscribers)
	}
	for i := range len(rs) {
		r := &recv{ifaceOf: &ifaceOf, received: &received}
		rs[i] = r
		user := "u" + strconv.Itoa(i%10)
		if lean {
			c, err := dialLean(ctx, url, user, r)
			if err != nil {
				t.Fatalf("session %d: %v", i, err)
			}
			closers = append(closers, func() { c.CloseNow() })
			continue
		}
		s, err := client.Dial(ctx, url, &client.Options{Username: user, Password: "x",
			OnNotification: func(at time.Time, body []byte) {
				now := time.Now()
				if strings.HasPrefix(string(body[:min(len(body), 30)]), "<subscription-resumed") {
					r.resumed()
				}
				if !strings.HasPrefix(string(body[:min(len(body), 20)]), "<push-change-update") {
					return
				}
				r.check(body, at, now)
			}})
		if err != nil {
			t.Fatalf("session %d: %v", i, err)
		}
		closers = append(closers, func() { s.Close() })
		r.id = establish(t, s, fanoutSubscription)
	}
	t.Cleanup(func() {
		for _, c := range closers {
			c()
		}
	})
	t.Logf("%d subscribers ready in %v", subscribers, time.Since(setup).Round(time.Millisecond))
	fmt.Printf("bench-notify: %d WebSocket subscribers (on-change on /interfaces/interface), %v per rate\n", subscribers, duration)
	if cp != nil {
		fmt.Println("the subscribers in a process of their own (BENCH_CLIENT=process); CPU per delivery: the server's process + the subscribers' = the sum")
	} else {
		fmt.Printf("the subscribers in the server's process (BENCH_CLIENT=%s); CPU per delivery: the process's\n", mode)
	}
	fmt.Printf("%-12s %-12s %-10s %-14s %-10s %-10s %-6s %s\n", "target c/s", "commits/s", "expected", "deliveries/s", "p50", "p99", "lost", "CPU/delivery")
	mtu := 1500
	// A warm-up phase at the first rate (WARMUP_MS, 1 s by default, 0: none) goes first,
	// unmeasured: right after the 1,000 sessions connect the heap is still growing (a GC cycle
	// every few hundred ms) and the goroutine stacks and buffers are grown on the first
	// updates, a start-up transient, not the steady state the figures are about.
	warmup := time.Duration(envSigned("WARMUP_MS", 1000)) * time.Millisecond
	phases := rates
	if warmup > 0 {
		phases = append([]int{rates[0]}, rates...)
	}
	for pi, rate := range phases {
		warm := warmup > 0 && pi == 0
		phase := duration
		if warm {
			phase = warmup
		}
		if cp != nil {
			if err := cp.reset(rate); err != nil {
				t.Fatalf("subscriber process: %v", err)
			}
		}
		for _, r := range rs {
			r.mu.Lock()
			// Room for every update of the rate, so that the slices do not grow (and make
			// garbage) while they are measured.
			if n := rate*int(duration/time.Second) + rate; cap(r.lat) < n {
				r.lat = make([]latency, 0, n)
			}
			r.lat = r.lat[:0]
			r.mu.Unlock()
		}
		received.Store(0)
		// Commits are paced by one ticker and sent by COMMITTERS sessions, so that a slow
		// round trip does not cap the commit rate.
		interval := time.Second / time.Duration(rate)
		work := make(chan string, 1024)
		var wg sync.WaitGroup
		var failed atomic.Value
		for _, ed := range editors {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for body := range work {
					if err := ed.EditConfig(ctx, client.Running, []byte(body), client.EditOptions{}); err != nil {
						failed.Store(err)
					}
				}
			}()
		}
		if p := os.Getenv("CPUPROFILE"); p != "" && !warm {
			f, err := os.Create(fmt.Sprintf("%s.%d", p, rate))
			if err != nil {
				t.Fatal(err)
			}
			pprof.StartCPUProfile(f)
		}
		writeAllocs := func(suffix string) {
			if p := os.Getenv("ALLOCPROFILE"); p != "" && !warm {
				f, err := os.Create(fmt.Sprintf("%s.%d%s", p, rate, suffix))
				if err != nil {
					t.Fatal(err)
				}
				runtime.GC()
				pprof.Lookup("allocs").WriteTo(f, 0)
				f.Close()
			}
		}
		writeAllocs(".base")
		if p := os.Getenv("TRACE"); p != "" && !warm {
			f, err := os.Create(fmt.Sprintf("%s.%d", p, rate))
			if err != nil {
				t.Fatal(err)
			}
			trace.Start(f)
		}
		cpu0, wait0, writes0 := cpuTime(), runDelay(), writeCalls()
		start := time.Now()
		// The trace's clock is not the wall clock: this marks the measured phase's start.
		trace.Log(ctx, "bench", "start")
		commits := 0
		for next := start; time.Since(start) < phase; next = next.Add(interval) {
			if d := time.Until(next); d > 0 {
				time.Sleep(d)
			}
			mtu++
			if mtu > 9000 {
				mtu = 1500
			}
			// The commit that sets mtu m sets it on eth(m mod 10): what the subscriber
			// process checks (ifaceOf is for the in-process subscribers).
			ifaceOf[mtu].Store(int32(mtu%10 + 1))
			work <- fmt.Sprintf(`<interfaces xmlns="urn:ncws:yang:ncws-example"><interface><name>eth%d</name><mtu>%d</mtu></interface></interfaces>`, mtu%10, mtu)
			commits++
		}
		close(work)
		wg.Wait()
		if err, _ := failed.Load().(error); err != nil {
			t.Fatal(err)
		}
		sent := time.Since(start)
		expected := int64(commits) * int64(subscribers)
		var cph clientPhase
		if cp != nil {
			var err error
			if cph, err = cp.collect(expected, envInt("SLOWEST", 0)); err != nil {
				t.Fatalf("subscriber process: %v", err)
			}
			received.Store(cph.Received)
		}
		deadline := time.Now().Add(30 * time.Second)
		for received.Load() < expected && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		elapsed := time.Since(start)
		cpu := cpuTime() - cpu0
		wait := runDelay() - wait0
		writes := writeCalls() - writes0
		if os.Getenv("CPUPROFILE") != "" && !warm {
			pprof.StopCPUProfile()
		}
		if os.Getenv("TRACE") != "" && !warm {
			trace.Stop()
		}
		writeAllocs("")
		var all []time.Duration
		var last time.Duration
		perCommit := map[uint64][]latency{}
		for _, r := range rs {
			r.mu.Lock()
			for _, l := range r.lat {
				all = append(all, l.lat)
				perCommit[l.commit] = append(perCommit[l.commit], l)
			}
			r.mu.Unlock()
		}
		sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
		q := func(p float64) time.Duration {
			if len(all) == 0 {
				return 0
			}
			return all[min(len(all)-1, int(p*float64(len(all))))]
		}
		p50, p99 := q(0.50), q(0.99)
		if len(all) > 0 {
			last = all[len(all)-1]
		}
		if cp != nil {
			p50, p99, last = cph.P50, cph.P99, cph.Max
		}
		// Deliveries over the time from the first commit to the last receipt.
		span := sent + last
		if span > elapsed {
			span = elapsed
		}
		got := received.Load()
		perDelivery := time.Duration(0)
		if got > 0 {
			perDelivery = cpu / time.Duration(got)
		}
		cpuCol := perDelivery.Round(100 * time.Nanosecond).String()
		if cp != nil && got > 0 {
			cl := cph.CPU / time.Duration(got)
			cpuCol = fmt.Sprintf("%v + %v = %v", perDelivery.Round(100*time.Nanosecond), cl.Round(100*time.Nanosecond), (perDelivery + cl).Round(100*time.Nanosecond))
		}
		label := strconv.Itoa(rate)
		if warm {
			label = "(warm-up " + label + ")"
		}
		fmt.Printf("%-12s %-12.1f %-10d %-14.0f %-10v %-10v %-6d %v\n", label, float64(commits)/sent.Seconds(), expected,
			float64(got)/span.Seconds(), p50.Round(100*time.Microsecond), p99.Round(100*time.Microsecond), expected-got, cpuCol)
		if n := envInt("SLOWEST", 0); n > 0 {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			fmt.Printf("  GC cycles so far %d, pauses %v in all (the server's process); its threads waited %v for a CPU (run queue); %.2f deliveries per write system call\n",
				ms.NumGC, time.Duration(ms.PauseTotalNs), wait.Round(time.Millisecond), float64(got)/float64(max(writes, 1)))
			if cp != nil {
				for _, l := range cph.Slowest {
					fmt.Println(l)
				}
			} else {
				printSlowest(perCommit, n, start, setup)
			}
		}
		var bad int64
		suspended := 0
		for _, r := range rs {
			r.mu.Lock()
			bad += r.bad
			suspended += r.suspensions
			if r.bad > 0 && r.why != "" {
				t.Errorf("subscription %s: %s", r.id, r.why)
				r.why = ""
			}
			r.mu.Unlock()
		}
		bad += cph.Bad
		suspended += cph.Suspensions
		for _, w := range cph.Why {
			t.Error(w)
		}
		if bad > 0 {
			t.Errorf("%d updates out of order, with a gap before them, or with the wrong content", bad)
		}
		if suspended > 0 {
			fmt.Printf("%d subscription suspensions so far (queue overflows; their dropped updates count as lost)\n", suspended)
		}
	}
}

// fanoutSubscription is the establish-subscription content of TestNotifyFanout's subscribers.
const fanoutSubscription = `<yp:datastore>ds:running</yp:datastore><yp:datastore-subtree-filter><interfaces xmlns="urn:ncws:yang:ncws-example"/></yp:datastore-subtree-filter><yp:on-change><yp:sync-on-start>false</yp:sync-on-start></yp:on-change>`

// recv is what one of TestNotifyFanout's subscribers received.
type recv struct {
	id       string // the subscription id
	ifaceOf  *[9001]atomic.Int32
	received *atomic.Int64

	mu         sync.Mutex
	lat        []latency
	lastCommit uint64
	bad        int64
	why        string // the first bad update's fault, reported once
	// gapOK is set by a subscription-resumed: the subscription was suspended (its session's
	// queue overflowed) and the updates meanwhile were dropped, so the next one may skip
	// commits (they count as lost, not as faults). suspensions counts them.
	gapOK       bool
	suspensions int
}

// latency is one update's latency: commit's eventTime (ns since 1970) to receipt.
type latency struct {
	commit uint64
	at     int64
	lat    time.Duration
}

// printSlowest prints the n commits whose slowest delivery took longest, with their
// eventTime, how many received them and the p50/max over their receivers: SLOWEST=n, to
// find the commits behind a p99 and line them up with a trace (TRACE) or gctrace.
func printSlowest(perCommit map[uint64][]latency, n int, start, setup time.Time) {
	printSlowestTo(os.Stdout, perCommit, n, start, setup)
}

// printSlowestTo is printSlowest writing to w.
func printSlowestTo(w io.Writer, perCommit map[uint64][]latency, n int, start, setup time.Time) {
	type row struct {
		commit   uint64
		at       time.Duration
		p50, max time.Duration
		n        int
	}
	var rows []row
	for c, ls := range perCommit {
		sort.Slice(ls, func(i, j int) bool { return ls[i].lat < ls[j].lat })
		rows = append(rows, row{c, time.Duration(ls[0].at - start.UnixNano()), ls[len(ls)/2].lat, ls[len(ls)-1].lat, len(ls)})
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].max > rows[j].max })
	for _, r := range rows[:min(n, len(rows))] {
		fmt.Fprintf(w, "  commit %d at +%v (%v after the subscribers' setup began): %d deliveries, p50 %v, max %v\n", r.commit, r.at.Round(100*time.Microsecond),
			(start.Sub(setup) + r.at).Round(time.Millisecond), r.n, r.p50.Round(100*time.Microsecond), r.max.Round(100*time.Microsecond))
	}
}

// resumed records a subscription-resumed.
func (r *recv) resumed() {
	r.mu.Lock()
	r.gapOK = true
	r.suspensions++
	r.mu.Unlock()
}

// check checks one push-change-update (msg is the notification or its body) received at now,
// whose eventTime is at: it carries the subscription's id, the commit after the one before
// (patch-id commit-N: every commit of the bench changes an interface, and a subscriber that
// keeps up receives each), and one edit whose target and value are the interface and mtu the
// bench committed. It records the latency and counts the delivery.
func (r *recv) check(msg []byte, at, now time.Time) {
	fault := ""
	id := betweenBytes(msg, "<id>", "</id>")
	commit, _ := strconv.ParseUint(string(betweenBytes(msg, "<patch-id>commit-", "</patch-id>")), 10, 64)
	iface, _ := strconv.Atoi(string(betweenBytes(msg, "/interface=eth", "/")))
	mtu, _ := strconv.Atoi(string(betweenBytes(betweenBytes(msg, "<value>", "</value>"), ">", "<")))
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case string(id) != r.id:
		fault = fmt.Sprintf("update for subscription %q", id)
	case commit == 0 || (r.lastCommit != 0 && commit != r.lastCommit+1 && !(r.gapOK && commit > r.lastCommit)):
		fault = fmt.Sprintf("update of commit %d after commit %d", commit, r.lastCommit)
	case mtu <= 0 || mtu >= len(r.ifaceOf) || int(r.ifaceOf[mtu].Load()) != iface+1:
		fault = fmt.Sprintf("update setting eth%d's mtu to %d, which no commit did", iface, mtu)
	}
	if fault != "" {
		r.bad++
		if r.why == "" {
			r.why = fault + ": " + string(msg)
		}
	}
	r.gapOK = false
	if commit > r.lastCommit {
		r.lastCommit = commit
	}
	r.lat = append(r.lat, latency{commit, at.UnixNano(), now.Sub(at)})
	r.received.Add(1)
}

// betweenBytes returns what lies in b between the first start and the end after it, nil when
// either is missing.
func betweenBytes(b []byte, start, end string) []byte {
	i := bytes.Index(b, []byte(start))
	if i < 0 {
		return nil
	}
	b = b[i+len(start):]
	j := bytes.Index(b, []byte(end))
	if j < 0 {
		return nil
	}
	return b[:j]
}

// dialLean opens a subscriber session the lean way, as a measuring tool rather than a NETCONF
// client: coder/websocket, the hello exchange and establish-subscription written by hand, then
// one goroutine reading each message into one reused buffer and checking it with bounded byte
// scans (recv.check) instead of pkg/client's reader, decoder and delivery goroutine. It checks
// what pkg/client's reading would (one message, the subscription's id, the eventTime) and
// what the bench needs (order, gaps, content).
func dialLean(ctx context.Context, url, user string, r *recv) (*ws.Conn, error) {
	h := http.Header{}
	req := http.Request{Header: http.Header{}}
	req.SetBasicAuth(user, "x")
	h.Set("Authorization", req.Header.Get("Authorization"))
	c, _, err := ws.Dial(ctx, url, &ws.DialOptions{HTTPHeader: h, Subprotocols: []string{client.Subprotocol}})
	if err != nil {
		return nil, err
	}
	fail := func(err error) (*ws.Conn, error) {
		c.CloseNow()
		return nil, err
	}
	if _, hello, err := c.Read(ctx); err != nil || !bytes.Contains(hello, []byte("<hello")) {
		return fail(fmt.Errorf("server hello: %q, %v", hello, err))
	}
	if err := c.Write(ctx, ws.MessageText, (&netconf.Hello{Capabilities: []string{netconf.CapBase10, netconf.CapBase11}}).Encode()); err != nil {
		return fail(err)
	}
	op := `<establish-subscription xmlns="` + nsSN + `" xmlns:yp="` + nsYP + `" xmlns:ds="urn:ietf:params:xml:ns:yang:ietf-datastores">` +
		fanoutSubscription + `</establish-subscription>`
	if err := c.Write(ctx, ws.MessageText, netconf.AppendRPC(nil, "1", []byte(op))); err != nil {
		return fail(err)
	}
	_, reply, err := c.Read(ctx)
	if err != nil {
		return fail(err)
	}
	m := idRe.FindSubmatch(reply)
	if m == nil || bytes.Contains(reply, []byte("<rpc-error")) {
		return fail(fmt.Errorf("establish-subscription: %s", reply))
	}
	r.id = string(m[1])
	go func() {
		buf := make([]byte, 0, 4096)
		for {
			_, rd, err := c.Reader(context.Background())
			if err != nil {
				return
			}
			buf = buf[:0]
			for {
				if len(buf) == cap(buf) {
					buf = append(buf, 0)[:len(buf)]
				}
				n, err := rd.Read(buf[len(buf):cap(buf)])
				buf = buf[:len(buf)+n]
				if err == io.EOF {
					break
				}
				if err != nil {
					return
				}
			}
			now := time.Now()
			if bytes.Contains(buf[:min(len(buf), 200)], []byte("<subscription-resumed")) {
				r.resumed()
			}
			if !bytes.Contains(buf[:min(len(buf), 200)], []byte("<push-change-update")) {
				continue
			}
			at, err := time.Parse(time.RFC3339Nano, string(betweenBytes(buf, "<eventTime>", "</eventTime>")))
			if err != nil {
				r.mu.Lock()
				r.bad++
				r.why = fmt.Sprintf("eventTime: %v: %s", err, buf)
				r.mu.Unlock()
				continue
			}
			r.check(buf, at, now)
		}
	}()
	return c, nil
}

func envStr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func envSigned(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// runDelay is the time the process's threads (those alive now) have spent runnable but
// waiting for a CPU (Linux schedstat), 0 where it cannot be read: how much other processes
// (or the process's own threads beyond the cores) delayed it.
func runDelay() time.Duration {
	tasks, _ := os.ReadDir("/proc/self/task")
	var sum time.Duration
	for _, t := range tasks {
		b, err := os.ReadFile("/proc/self/task/" + t.Name() + "/schedstat")
		if err != nil {
			continue
		}
		if f := strings.Fields(string(b)); len(f) >= 2 {
			n, _ := strconv.ParseInt(f[1], 10, 64)
			sum += time.Duration(n)
		}
	}
	return sum
}

// writeCalls is the number of write system calls the process made so far (/proc/self/io's
// syscw), 0 where it cannot be read: with the subscribers in a process of their own, the
// server's writes, so that deliveries per write says how many updates share one.
func writeCalls() int64 {
	b, _ := os.ReadFile("/proc/self/io")
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "syscw: "); ok {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
	}
	return 0
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
