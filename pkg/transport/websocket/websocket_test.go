package websocket_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	ws "github.com/coder/websocket"

	"github.com/ncws/ncws/pkg/netconftest"
	"github.com/ncws/ncws/pkg/server"
	"github.com/ncws/ncws/pkg/transport/websocket"
)

// basicUser authenticates anyone who sends Basic credentials, as the user named there: the
// conformance suite needs several users, not passwords (pkg/auth is tested on its own).
func basicUser(r *http.Request) (string, error) {
	u, _, ok := r.BasicAuth()
	if !ok {
		return "", errors.New("no credentials")
	}
	return u, nil
}

// serve runs srv behind a Listener on a real loopback HTTP server and returns its ws:// URL.
func serve(t *testing.T, srv *server.Server, opts websocket.Options) (*websocket.Listener, string) {
	t.Helper()
	if opts.Authenticate == nil {
		opts.Authenticate = basicUser
	}
	l := websocket.NewListener(opts)
	mux := http.NewServeMux()
	mux.Handle("/netconf", l)
	ts := httptest.NewServer(mux)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10e9)
		defer cancel()
		srv.Shutdown(ctx)
		<-done
		ts.Close()
	})
	return l, "ws" + strings.TrimPrefix(ts.URL, "http") + "/netconf"
}

// wsClient is a netconftest.ClientConn over a real WebSocket. It reads all the time, as
// browsers and other clients do, so close frames are answered at once.
type wsClient struct {
	c    *ws.Conn
	msgs chan []byte
	err  error // set before msgs closes
}

func newClient(c *ws.Conn) *wsClient {
	w := &wsClient{c: c, msgs: make(chan []byte, 64)}
	go func() {
		defer close(w.msgs)
		for {
			_, msg, err := c.Read(context.Background())
			if err != nil {
				w.err = err
				return
			}
			w.msgs <- msg
		}
	}()
	return w
}

func (w *wsClient) Send(ctx context.Context, msg []byte) error {
	return w.c.Write(ctx, ws.MessageText, msg)
}

func (w *wsClient) Recv(ctx context.Context) ([]byte, error) {
	select {
	case msg, ok := <-w.msgs:
		if ok {
			return msg, nil
		}
		if ws.CloseStatus(w.err) != -1 {
			return nil, io.EOF
		}
		return nil, w.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (w *wsClient) Close() error { return w.c.Close(ws.StatusNormalClosure, "") }

func dial(ctx context.Context, url, user string) (*ws.Conn, *http.Response, error) {
	h := http.Header{}
	req, _ := http.NewRequest("GET", url, nil)
	req.SetBasicAuth(user, "secret")
	h.Set("Authorization", req.Header.Get("Authorization"))
	c, resp, err := ws.Dial(ctx, url, &ws.DialOptions{HTTPHeader: h, Subprotocols: []string{"netconf"}})
	if err == nil {
		c.SetReadLimit(-1)
	}
	return c, resp, err
}

// TestConformance runs pkg/netconftest's scripts over real WebSocket connections.
func TestConformance(t *testing.T) {
	netconftest.Run(t, func(t *testing.T, srv *server.Server) netconftest.Dialer {
		_, url := serve(t, srv, websocket.Options{})
		return func(ctx context.Context, user string) (netconftest.ClientConn, error) {
			c, _, err := dial(ctx, url, user)
			if err != nil {
				return nil, err
			}
			return newClient(c), nil
		}
	})
}
