package ssh_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/netconftest"
	"github.com/ncws/ncws/pkg/server"
	"github.com/ncws/ncws/pkg/transport/ssh"
)

// shutdownLog reports whether the server logged the start of its shutdown.
type shutdownLog struct {
	mu   sync.Mutex
	seen bool
}

func (l *shutdownLog) Enabled(context.Context, slog.Level) bool { return true }
func (l *shutdownLog) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l *shutdownLog) WithGroup(string) slog.Handler            { return l }
func (l *shutdownLog) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.seen = l.seen || strings.HasPrefix(r.Message, "server: shutting down")
	return nil
}

func (l *shutdownLog) started() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.seen
}

// TestShutdownAnswersRequestInFlight: over SSH, the request running at Shutdown gets its
// reply before the channel closes; the edit pipelined behind it is not executed.
func TestShutdownAnswersRequestInFlight(t *testing.T) {
	srv := netconftest.NewServer(t)
	lw := &shutdownLog{}
	srv.Logger = slog.New(lw)
	sch := srv.Store.Schema()
	m := sch.Module("nctest")
	started, release := make(chan struct{}, 1), make(chan struct{})
	srv.Handle(sch.RPC(m, "ping"), func(ctx context.Context, req *server.Request) (*data.Node, error) {
		started <- struct{}{}
		<-release
		return nil, nil
	})
	_, addr := serve(t, srv, ssh.Options{})
	in, out, _ := rawSession(t, addr)
	const hello10 = `<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.0</capability></capabilities></hello>]]>]]>`
	io.WriteString(in, hello10+
		`<rpc message-id="1" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><ping xmlns="urn:ncws:test:nctest"/></rpc>]]>]]>`+
		`<rpc message-id="2" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><edit-config><target><running/></target>`+
		`<config><top xmlns="urn:ncws:test:nctest"><name>pipelined</name></top></config></edit-config></rpc>]]>]]>`)
	<-started
	shut := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		shut <- srv.Shutdown(ctx)
	}()
	for end := time.Now().Add(10 * time.Second); !lw.started(); time.Sleep(time.Millisecond) {
		if time.Now().After(end) {
			t.Fatal("Shutdown did not start")
		}
	}
	close(release)
	got, ok := readAll(t, out)
	if !ok {
		t.Fatal("the channel did not close after the reply")
	}
	if !strings.Contains(got, `message-id="1"`) || !strings.Contains(got, "<ok/>") || strings.Contains(got, `message-id="2"`) {
		t.Errorf("received %q, want the reply to 1 only", got)
	}
	if err := <-shut; err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	top := sch.Top(m, "top")
	srv.Store.Read(datastore.Running, func(root *data.Node) {
		if n := root.Child(top); n != nil && n.ChildByName("name") != nil {
			t.Error("the pipelined edit was executed")
		}
	})
}
