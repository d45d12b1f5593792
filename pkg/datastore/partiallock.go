package datastore

import (
	"fmt"
	"time"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/rpcerror"
)

// A PartialLock is a lock on parts of running (RFC 5717): the nodes at Nodes and everything
// below them. Another session can neither change them nor lock them (partially or with a
// global lock) until the holder releases the lock or its session ends.
type PartialLock struct {
	ID      uint32
	Session uint32
	// Time is when the lock was granted.
	Time time.Time
	// Select are the expressions of the request, as given.
	Select []string
	// Nodes are the locked nodes, as selected when the lock was granted (a node the holder
	// deletes leaves the list).
	Nodes []data.Loc
}

// PartialLockRunning grants who a partial lock on the nodes of running that sel selects
// (sel runs under the store's lock, so that nothing changes between the selection and the
// grant, and must only read running). selects are kept for monitoring.
//
// The selection must be a non-empty set of configuration nodes (invalid-value otherwise). The
// lock is refused with lock-denied, error-info naming the holder, when another session holds
// the global lock on running, has a confirmed commit pending (0 for one with persist: RFC 6241
// section 7.5), or holds a partial lock on any selected node, on an ancestor of one or on a
// descendant of one.
func (s *Store) PartialLockRunning(who Who, selects []string, sel func(running *data.Node) ([]*data.Node, rpcerror.List)) (PartialLock, rpcerror.List) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return PartialLock{}, rpcerror.List{rpcerror.OperationFailed("the datastore is closed")}
	}
	if h, ok := s.locks[Running]; ok && h != who.Session {
		return PartialLock{}, rpcerror.List{rpcerror.LockDenied(h)}
	}
	if c := s.confirm; c != nil && c.session != who.Session {
		holder := c.session
		if c.persist != "" {
			holder = 0
		}
		e := rpcerror.LockDenied(holder)
		e.Message = fmt.Sprintf("a confirmed commit of session %d is pending", c.session)
		return PartialLock{}, rpcerror.List{e}
	}
	nodes, errs := sel(s.running)
	if len(errs) > 0 {
		return PartialLock{}, errs
	}
	var locs []data.Loc
	seen := map[*data.Node]bool{}
	for _, n := range nodes {
		if seen[n] {
			continue
		}
		seen[n] = true
		if n.Schema == nil || n.Parent == nil {
			return PartialLock{}, rpcerror.List{rpcerror.InvalidValue("", "the selection holds the document root, which cannot be locked partially; use <lock>")}
		}
		if !n.Schema.Config || n.Default {
			what := "state data"
			if n.Default {
				what = "a default value, not stored configuration"
			}
			return PartialLock{}, rpcerror.List{rpcerror.InvalidValue("", "the selection holds %s, which is %s: only configuration can be locked", n.Path(), what)}
		}
		locs = append(locs, data.LocOf(n))
	}
	if len(locs) == 0 {
		return PartialLock{}, rpcerror.List{rpcerror.InvalidValue("", "the selection holds no node of running")}
	}
	for _, pl := range s.plocks {
		if pl.Session == who.Session {
			continue
		}
		for _, l := range locs {
			if pl.overlaps(l) {
				e := rpcerror.LockDenied(pl.Session)
				e.Message = fmt.Sprintf("%s is locked by partial lock %d of session %d", l.Path(), pl.ID, pl.Session)
				return PartialLock{}, rpcerror.List{e}
			}
		}
	}
	s.nextPL++
	if s.nextPL == 0 {
		s.nextPL++
	}
	pl := &PartialLock{ID: s.nextPL, Session: who.Session, Time: s.opts.Now(), Select: append([]string(nil), selects...), Nodes: locs}
	s.plocks = append(s.plocks, pl)
	return pl.copy(), nil
}

// PartialUnlock releases the partial lock id of who's session (RFC 5717 section 2.4.2): a lock
// that does not exist or that another session holds is invalid-value.
func (s *Store) PartialUnlock(who Who, id uint32) rpcerror.List {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, pl := range s.plocks {
		if pl.ID != id {
			continue
		}
		if pl.Session != who.Session {
			return rpcerror.List{rpcerror.InvalidValue("", "partial lock %d is held by another session", id)}
		}
		s.plocks = append(s.plocks[:i], s.plocks[i+1:]...)
		return nil
	}
	return rpcerror.List{rpcerror.InvalidValue("", "no partial lock %d", id)}
}

// PartialLocks returns the partial locks held, oldest first.
func (s *Store) PartialLocks() []PartialLock {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]PartialLock, len(s.plocks))
	for i, pl := range s.plocks {
		out[i] = pl.copy()
	}
	return out
}

func (pl *PartialLock) copy() PartialLock {
	c := *pl
	c.Select = append([]string(nil), pl.Select...)
	c.Nodes = append([]data.Loc(nil), pl.Nodes...)
	return c
}

// overlaps reports whether l is at, above or below a node of the lock.
func (pl *PartialLock) overlaps(l data.Loc) bool {
	for _, k := range pl.Nodes {
		if l.HasPrefix(k) || k.HasPrefix(l) {
			return true
		}
	}
	return false
}

// partialLocked reports, for a change of running by who at locs, the first location that
// another session's partial lock covers (in-use, error-info naming the holder), nil if none.
// The server itself (session 0: a confirmed commit's revert) is not held back. s.mu must be held.
func (s *Store) partialLocked(who Who, locs []data.Loc) *rpcerror.Error {
	if len(s.plocks) == 0 || who.Session == 0 {
		return nil
	}
	for _, pl := range s.plocks {
		if pl.Session == who.Session {
			continue
		}
		for _, l := range locs {
			if pl.overlaps(l) {
				e := rpcerror.New(rpcerror.Protocol, rpcerror.TagInUse, "%s is locked by partial lock %d of session %d", l.Path(), pl.ID, pl.Session)
				e.Path = l.Path()
				e.Info = []rpcerror.Info{{Name: "session-id", Value: fmt.Sprint(pl.Session)}}
				return e
			}
		}
	}
	return nil
}

// prunePartialLocks drops from the partial locks the nodes running no longer holds (a lock's
// holder deleted them). s.mu must be held.
func (s *Store) prunePartialLocks() {
	for _, pl := range s.plocks {
		kept := pl.Nodes[:0]
		for _, l := range pl.Nodes {
			if l.Resolve(s.running) != nil {
				kept = append(kept, l)
			}
		}
		pl.Nodes = kept
	}
}

// partialLockHolder returns a session other than who's holding a partial lock, if any. s.mu
// must be held.
func (s *Store) partialLockHolder(who Who) (uint32, bool) {
	for _, pl := range s.plocks {
		if pl.Session != who.Session {
			return pl.Session, true
		}
	}
	return 0, false
}

// releasePartialLocks drops the partial locks of a session. s.mu must be held.
func (s *Store) releasePartialLocks(session uint32) {
	kept := s.plocks[:0]
	for _, pl := range s.plocks {
		if pl.Session != session {
			kept = append(kept, pl)
		}
	}
	for i := len(kept); i < len(s.plocks); i++ {
		s.plocks[i] = nil
	}
	s.plocks = kept
}
