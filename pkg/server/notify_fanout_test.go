package server_test

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/ncws/ncws/pkg/client"
	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/server"
	"github.com/ncws/ncws/pkg/transport/websocket"
)

// TestNotifyFanout is `make bench-notify` (RFC 8641 on-change fan-out): SUBSCRIBERS WebSocket
// sessions (1,000 by default) each hold an on-change subscription on the example's interface
// list, and one more session commits an mtu change at increasing rates (RATES commits/s, each
// for DURATION_MS, sent by COMMITTERS sessions). It prints, per rate, the deliveries per second, p50/p99 latency from the
// commit's eventTime to the client's receipt, and the updates lost (expected minus received,
// after waiting for stragglers). It runs only with NCWS_BENCH_NOTIFY set; it asserts nothing
// about the figures.
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
	st, err := datastore.Open(datastore.Options{Schema: exampleSchema(t, true)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	srv := &server.Server{Store: st}
	url := serveWSWith(t, srv, websocket.Options{MaxConnsPerAddr: subscribers + 10, MaxConnsPerUser: subscribers + 10})
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

	type recv struct {
		mu  sync.Mutex
		lat []time.Duration
	}
	var received atomic.Int64
	rs := make([]*recv, subscribers)
	sessions := make([]*client.Session, subscribers)
	setup := time.Now()
	for i := range subscribers {
		r := &recv{}
		rs[i] = r
		s, err := client.Dial(ctx, url, &client.Options{Username: "u" + strconv.Itoa(i%10), Password: "x",
			OnNotification: func(at time.Time, body []byte) {
				now := time.Now()
				if !strings.HasPrefix(string(body[:min(len(body), 20)]), "<push-change-update") {
					return
				}
				r.mu.Lock()
				r.lat = append(r.lat, now.Sub(at))
				r.mu.Unlock()
				received.Add(1)
			}})
		if err != nil {
			t.Fatalf("session %d: %v", i, err)
		}
		sessions[i] = s
		establish(t, s, `<yp:datastore>ds:running</yp:datastore><yp:datastore-subtree-filter><interfaces xmlns="urn:ncws:yang:ncws-example"/></yp:datastore-subtree-filter><yp:on-change><yp:sync-on-start>false</yp:sync-on-start></yp:on-change>`)
	}
	t.Cleanup(func() {
		for _, s := range sessions {
			s.Close()
		}
	})
	t.Logf("%d subscribers ready in %v", subscribers, time.Since(setup).Round(time.Millisecond))
	fmt.Printf("bench-notify: %d WebSocket subscribers (on-change on /interfaces/interface), %v per rate\n", subscribers, duration)
	fmt.Printf("%-12s %-12s %-10s %-14s %-10s %-10s %-6s %s\n", "target c/s", "commits/s", "expected", "deliveries/s", "p50", "p99", "lost", "CPU/delivery (server+clients)")
	mtu := 1500
	for _, rate := range rates {
		for _, r := range rs {
			r.mu.Lock()
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
		cpu0 := cpuTime()
		start := time.Now()
		commits := 0
		for next := start; time.Since(start) < duration; next = next.Add(interval) {
			if d := time.Until(next); d > 0 {
				time.Sleep(d)
			}
			mtu++
			if mtu > 9000 {
				mtu = 1500
			}
			work <- fmt.Sprintf(`<interfaces xmlns="urn:ncws:yang:ncws-example"><interface><name>eth%d</name><mtu>%d</mtu></interface></interfaces>`, commits%10, mtu)
			commits++
		}
		close(work)
		wg.Wait()
		if err, _ := failed.Load().(error); err != nil {
			t.Fatal(err)
		}
		sent := time.Since(start)
		expected := int64(commits) * int64(subscribers)
		deadline := time.Now().Add(30 * time.Second)
		for received.Load() < expected && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		elapsed := time.Since(start)
		cpu := cpuTime() - cpu0
		var all []time.Duration
		var last time.Duration
		for _, r := range rs {
			r.mu.Lock()
			all = append(all, r.lat...)
			r.mu.Unlock()
		}
		sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
		q := func(p float64) time.Duration {
			if len(all) == 0 {
				return 0
			}
			return all[min(len(all)-1, int(p*float64(len(all))))]
		}
		if len(all) > 0 {
			last = all[len(all)-1]
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
		fmt.Printf("%-12d %-12.1f %-10d %-14.0f %-10v %-10v %-6d %v\n", rate, float64(commits)/sent.Seconds(), expected,
			float64(got)/span.Seconds(), q(0.50).Round(100*time.Microsecond), q(0.99).Round(100*time.Microsecond), expected-got,
			perDelivery.Round(100*time.Nanosecond))
	}
}

func envStr(name, def string) string {
	if v := os.Getenv(name); v != "" {
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

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
