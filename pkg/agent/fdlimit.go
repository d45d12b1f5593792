package agent

import (
	"errors"
	"io"
	"log/slog"
	"net"
	"os"
	"sync"
	"syscall"
	"time"
)

// fdReserve is how many descriptors besides connections the agent counts on (datastore
// files, listeners, the reserve of shedListener) when it checks MaxConns against the limit.
const fdReserve = 64

// checkFileLimit raises the soft limit on open files to the hard limit (Go does it too at
// start on Linux; this covers the other systems and says what the limit is) and warns when
// the connection caps allow more connections than descriptors.
func checkFileLimit(log *slog.Logger, maxConns, transports int) {
	soft, hard, err := raiseFileLimit()
	if err != nil {
		log.Warn("agent: cannot read or raise the open files limit", "err", err)
		return
	}
	if soft < hard {
		log.Warn("agent: the open files limit could not be raised to its maximum", "soft", soft, "hard", hard)
	}
	if maxConns <= 0 {
		log.Warn("agent: no connection cap (--max-conns negative): connections beyond the open files limit get 503 or are closed",
			"open-files-limit", soft)
		return
	}
	if need := uint64(maxConns)*uint64(transports) + fdReserve; need > soft {
		log.Warn("agent: --max-conns allows more connections than the open files limit: the connections over it get 503 (HTTP) or are closed",
			"max-conns", maxConns, "transports", transports, "open-files-limit", soft)
	}
}

// shedListener answers HTTP 503 (or, plain false, closes the connection) when Accept fails
// for lack of descriptors (EMFILE, ENFILE), rather than leaving the client waiting in the
// listen queue while the HTTP server retries: it keeps one descriptor in reserve, frees it to
// accept the waiting connection, answers it, and takes the reserve again.
type shedListener struct {
	net.Listener
	plain bool // HTTP without TLS: a 503 can be written
	log   *slog.Logger

	mu       sync.Mutex
	reserve  *os.File
	lastWarn time.Time
	shed     uint64
}

func newShedListener(l net.Listener, plain bool, log *slog.Logger) *shedListener {
	s := &shedListener{Listener: l, plain: plain, log: log}
	s.reserve, _ = os.Open(os.DevNull)
	return s
}

// Accept implements net.Listener.
func (l *shedListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err == nil || !outOfDescriptors(err) {
			return c, err
		}
		l.shedOne()
	}
}

// Close implements net.Listener.
func (l *shedListener) Close() error {
	l.mu.Lock()
	if l.reserve != nil {
		l.reserve.Close()
		l.reserve = nil
	}
	l.mu.Unlock()
	return l.Listener.Close()
}

const shed503 = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n" +
	"Retry-After: 5\r\nConnection: close\r\nContent-Length: 40\r\n\r\nserver out of file descriptors; retry.\r\n"

func (l *shedListener) shedOne() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.reserve != nil {
		l.reserve.Close()
		l.reserve = nil
	}
	c, err := l.Listener.Accept()
	if err == nil {
		if l.plain {
			c.SetWriteDeadline(time.Now().Add(time.Second))
			io.WriteString(c, shed503)
		}
		c.Close()
		l.shed++
		if time.Since(l.lastWarn) > 10*time.Second {
			l.lastWarn = time.Now()
			l.log.Warn("agent: out of file descriptors: refusing connections", "addr", l.Addr().String(), "refused", l.shed)
		}
	} else {
		// Someone else took the descriptor: let the connections close before trying again.
		time.Sleep(10 * time.Millisecond)
	}
	l.reserve, _ = os.Open(os.DevNull)
}

// outOfDescriptors reports whether err is EMFILE or ENFILE.
func outOfDescriptors(err error) bool {
	return errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE)
}
