package server

import (
	"context"
	"fmt"
	"net"
	"sort"
	"strconv"
	"time"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/schema"
)

const (
	nsMonitoring  = "urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring"
	nsYangLibrary = "urn:ietf:params:xml:ns:yang:ietf-yang-library"
)

// builder adds nodes to a state tree by name, parsing values with their types.
type builder struct {
	sch *schema.Schema
	err error
}

func (b *builder) schemaOf(parent *data.Node, name string) *schema.Node {
	var sn *schema.Node
	if parent.Schema == nil {
		return nil
	}
	sn = parent.Schema.Child(parent.Schema.Module, name)
	if sn == nil && b.err == nil {
		b.err = fmt.Errorf("server: no node %q under %s", name, parent.Schema.Name)
	}
	return sn
}

// entry builds a list entry (or container) of name with the given key values, attaches it to
// parent and returns it.
func (b *builder) entry(parent *data.Node, name string, keys ...string) *data.Node {
	sn := b.schemaOf(parent, name)
	if sn == nil {
		return data.New(nil)
	}
	n := data.New(sn)
	for i, k := range sn.Keys() {
		if i < len(keys) {
			b.leafNode(n, k, keys[i])
		}
	}
	if d := parent.Insert(n); d != nil {
		return d
	}
	return n
}

func (b *builder) leaf(parent *data.Node, name, value string) {
	if sn := b.schemaOf(parent, name); sn != nil {
		b.leafNode(parent, sn, value)
	}
}

func (b *builder) leafNode(parent *data.Node, sn *schema.Node, value string) {
	mod := sn.Module
	v, err := data.ParseValue(sn.Type, value, func(p string) *schema.Module {
		if m := b.sch.Module(p); m != nil {
			return m
		}
		return mod
	})
	if err != nil {
		if b.err == nil {
			b.err = fmt.Errorf("server: %s = %q: %s", sn.Name, value, err.Message)
		}
		return
	}
	parent.Insert(data.NewLeaf(sn, v))
}

func (b *builder) top(root *data.Node, ns, name string) *data.Node {
	sn := stateNode(b.sch, ns, name)
	if sn == nil {
		return nil
	}
	n := root.Child(sn)
	if n == nil {
		n = data.New(sn)
		root.Insert(n)
	}
	return n
}

func timeString(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// registerState installs the state providers of the server's own modules (origin system).
func (srv *Server) registerState() {
	sch := srv.Store.Schema()
	if n := stateNode(sch, nsHistory, "commit-history"); n != nil {
		srv.Store.AddStateProvider(n, systemState(srv.historyState))
	}
	if n := stateNode(sch, nsMonitoring, "netconf-state"); n != nil {
		srv.Store.AddStateProvider(n, systemState(srv.monitoringState))
	}
	srv.registerLibrary()
	if n := stateNode(sch, nsNcNotifications, "netconf"); n != nil && srv.createSubscriptionRPC() != nil {
		srv.Store.AddStateProvider(n, systemState(srv.streamsState))
	}
}

func (srv *Server) historyState(ctx context.Context, req *datastore.StateRequest) error {
	hist, err := srv.Store.History()
	if err != nil {
		return err
	}
	b := &builder{sch: srv.Store.Schema()}
	top := b.top(req.Root, nsHistory, "commit-history")
	for _, c := range hist {
		e := b.entry(top, "commit", strconv.FormatUint(c.ID, 10))
		b.leaf(e, "time", timeString(c.Time))
		b.leaf(e, "user", c.User)
		b.leaf(e, "session-id", strconv.FormatUint(uint64(c.Session), 10))
		if c.Comment != "" {
			b.leaf(e, "comment", c.Comment)
		}
		for _, ch := range c.Changes {
			ce := b.entry(e, "change", ch.Path)
			b.leaf(ce, "operation", ch.Operation)
		}
	}
	return b.err
}

func (srv *Server) monitoringState(ctx context.Context, req *datastore.StateRequest) error {
	b := &builder{sch: srv.Store.Schema()}
	top := b.top(req.Root, nsMonitoring, "netconf-state")
	caps := b.entry(top, "capabilities")
	for _, c := range srv.caps {
		b.leaf(caps, "capability", c)
	}
	dss := b.entry(top, "datastores")
	for _, name := range []datastore.Name{datastore.Running, datastore.Candidate, datastore.Startup} {
		d := b.entry(dss, "datastore", string(name))
		if h, since, ok := srv.Store.LockInfo(name); ok {
			locks := b.entry(d, "locks")
			g := b.entry(locks, "global-lock")
			b.leaf(g, "locked-by-session", strconv.FormatUint(uint64(h), 10))
			b.leaf(g, "locked-time", timeString(since))
		} else if name == datastore.Running {
			srv.partialLockState(b, d, srv.Store.PartialLocks())
		}
	}
	schemas := b.entry(top, "schemas")
	for _, m := range srv.Store.Schema().Modules {
		if !m.Implemented {
			continue
		}
		e := b.entry(schemas, "schema", m.Name, m.Revision, "yang")
		b.leaf(e, "namespace", m.Namespace)
		if m.Source != "" {
			// get-schema serves the text (RFC 6022 section 2.1.3).
			b.leaf(e, "location", "NETCONF")
		}
	}
	sessions := b.entry(top, "sessions")
	srv.mu.Lock()
	var ss []*session
	for _, s := range srv.sessions {
		ss = append(ss, s)
	}
	srv.mu.Unlock()
	sort.Slice(ss, func(i, j int) bool { return ss[i].id < ss[j].id })
	for _, s := range ss {
		e := b.entry(sessions, "session", strconv.FormatUint(uint64(s.id), 10))
		tr := s.info.Transport
		if tr == "" {
			tr = "ncws-server:netconf-in-memory"
		}
		b.leaf(e, "transport", tr)
		b.leaf(e, "username", s.info.User)
		if s.info.Remote != nil {
			if host, _, err := net.SplitHostPort(s.info.Remote.String()); err == nil {
				b.leaf(e, "source-host", host)
			}
		}
		b.leaf(e, "login-time", timeString(s.start))
		b.leaf(e, "in-rpcs", strconv.FormatUint(uint64(s.inRPCs.Load()), 10))
		b.leaf(e, "in-bad-rpcs", strconv.FormatUint(uint64(s.inBadRPCs.Load()), 10))
		b.leaf(e, "out-rpc-errors", strconv.FormatUint(uint64(s.outRPCErrors.Load()), 10))
		b.leaf(e, "out-notifications", strconv.FormatUint(uint64(s.outNotifications.Load()), 10))
	}
	st := b.entry(top, "statistics")
	b.leaf(st, "netconf-start-time", timeString(srv.started))
	for _, kv := range []struct {
		name string
		v    uint32
	}{
		{"in-bad-hellos", srv.stats.inBadHellos.Load()}, {"in-sessions", srv.stats.inSessions.Load()},
		{"dropped-sessions", srv.stats.droppedSessions.Load()}, {"in-rpcs", srv.stats.inRPCs.Load()},
		{"in-bad-rpcs", srv.stats.inBadRPCs.Load()}, {"out-rpc-errors", srv.stats.outRPCErrors.Load()},
		{"out-notifications", srv.stats.outNotifications.Load()},
	} {
		b.leaf(st, kv.name, strconv.FormatUint(uint64(kv.v), 10))
	}
	return b.err
}
