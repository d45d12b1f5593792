//go:build linux

package agent

import (
	"bufio"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestShedOutOfDescriptors runs an HTTP server behind shedListener in a child process (this
// test binary again) whose open files limit is lowered to 64, fills its descriptors with idle
// connections and checks that a further request gets a 503 rather than waiting in the listen
// queue.
func TestShedOutOfDescriptors(t *testing.T) {
	if os.Getenv("NCWS_SHED_CHILD") == "1" {
		shedChild()
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestShedOutOfDescriptors$")
	cmd.Env = append(os.Environ(), "NCWS_SHED_CHILD=1")
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	sc := bufio.NewScanner(out)
	var addr string
	for sc.Scan() {
		if a, ok := strings.CutPrefix(sc.Text(), "addr "); ok {
			addr = a
			break
		}
	}
	if addr == "" {
		t.Fatal("the child printed no address")
	}
	go io.Copy(io.Discard, out)

	// Idle connections (a request line, no end of headers) hold the child's descriptors; the
	// ones past its limit are answered at once, the others not at all.
	const n = 100
	conns := make([]net.Conn, n)
	for i := range conns {
		c, err := net.DialTimeout("tcp", addr, 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		fmt.Fprintf(c, "GET / HTTP/1.1\r\nHost: x\r\n")
		conns[i] = c
	}
	statuses := make(chan int, n)
	for _, c := range conns {
		go func() {
			c.SetReadDeadline(time.Now().Add(3 * time.Second))
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err != nil {
				statuses <- 0
				return
			}
			statuses <- resp.StatusCode
		}()
	}
	answered := 0
	for range n {
		switch st := <-statuses; st {
		case 0:
		case http.StatusServiceUnavailable:
			answered++
		default:
			t.Errorf("status %d, want 503 or nothing", st)
		}
	}
	if answered == 0 {
		t.Fatalf("no 503 among %d connections to a server limited to 64 descriptors", n)
	}
	t.Logf("%d of %d connections answered 503", answered, n)
	// A fresh request also gets its 503 (not a wait in the listen queue).
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(20 * time.Second))
	fmt.Fprintf(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("fresh request: %v, %v; want 503", resp, err)
	}
}

// shedChild is the child of TestShedOutOfDescriptors.
func shedChild() {
	lim := syscall.Rlimit{Cur: 64, Max: 64}
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		fmt.Fprintln(os.Stderr, "setrlimit:", err)
		os.Exit(1)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	sl := newShedListener(l, true, log)
	fmt.Printf("addr %s\n", l.Addr())
	hs := &http.Server{Handler: http.NotFoundHandler(), ReadHeaderTimeout: time.Minute,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	hs.Serve(sl)
	os.Exit(0)
}
