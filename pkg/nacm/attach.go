package nacm

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/server"
)

// ErrNoNACM is returned by Attach when the schema has no ietf-netconf-acm.
var ErrNoNACM = errors.New("nacm: the schema has no ietf-netconf-acm")

// Attach makes e the access control of a server and its store: it compiles running's /nacm
// (Load), installs e as the store's AccessControl (every change of a datastore) and as
// srv.Access (every rpc and action, every reply, every notification), and serves the
// denied-operations, denied-data-writes and denied-notifications counters as the state data
// of /nacm. Call it before srv serves. The configuration is compiled again only when a change
// of /nacm is durable: give Hook to datastore.Open, or call Load from a hook of your own with
// the commit's running.
func (e *Engine) Attach(st *datastore.Store, srv *server.Server) error {
	sn := e.sch.FindNode("/ietf-netconf-acm:nacm")
	if sn == nil {
		return ErrNoNACM
	}
	if err := st.Read(datastore.Running, e.Load); err != nil {
		return fmt.Errorf("nacm: reading /nacm: %w", err)
	}
	st.SetAccessControl(e)
	srv.Access = func(who datastore.Who) server.Access { return e.For(who) }
	st.AddStateProvider(sn, func(ctx context.Context, req *datastore.StateRequest) error {
		ops, writes, nots := e.Counters()
		top := data.New(sn)
		for _, kv := range []struct {
			name string
			v    uint32
		}{{"denied-operations", ops}, {"denied-data-writes", writes}, {"denied-notifications", nots}} {
			for _, c := range sn.Children {
				if c.Name == kv.name {
					v, err := data.ParseValue(c.Type, strconv.FormatUint(uint64(kv.v), 10), nil)
					if err != nil {
						return err
					}
					top.Insert(data.NewLeaf(c, v))
				}
			}
		}
		req.Root.Insert(top)
		return nil
	})
	return nil
}

// Hook returns the datastore hook that compiles the configuration again once a commit that
// changed /nacm is durable (datastore.Options.Hooks): the new rules apply from the next
// request on, never to the commit that wrote them.
func (e *Engine) Hook() datastore.CommittedHook { return reloadHook{e} }

type reloadHook struct{ e *Engine }

func (reloadHook) Validate(context.Context, *datastore.Commit) error { return nil }
func (reloadHook) Apply(context.Context, *datastore.Commit) error    { return nil }
func (reloadHook) Abort(context.Context, *datastore.Commit)          {}

// Committed loads c.Running when one of c's changes is at or in /nacm (or replaces the whole
// datastore).
func (h reloadHook) Committed(ctx context.Context, c *datastore.Commit) {
	for _, ch := range c.Changes {
		if len(ch.Loc) == 0 || (ch.Loc[0].Schema.Module.Namespace == Namespace && ch.Loc[0].Schema.Name == "nacm") {
			h.e.Load(c.Running)
			return
		}
	}
}
