package datastore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/datastore/internal/journal"
	"github.com/ncws/ncws/pkg/rpcerror"
)

const (
	blobStartup = "startup"
	blobConfirm = "confirmed-commit"
	blobInit    = "initialized"
)

// DefaultConfirmTimeout is the confirm-timeout of RFC 6241 section 8.4.5.1.
const DefaultConfirmTimeout = 600 * time.Second

// confirmState is a pending confirmed commit.
type confirmState struct {
	base    uint64 // the last commit before it: what a rollback returns to
	session uint32
	user    string
	persist string
	timer   *time.Timer
	gen     int
}

type confirmBlob struct {
	Base    uint64 `json:"base"`
	Persist string `json:"persist,omitempty"`
}

// check verifies that who may confirm, extend or cancel the pending commit.
func (c *confirmState) check(who Who, persistID *string) *rpcerror.Error {
	if c.persist != "" {
		if persistID == nil || *persistID != c.persist {
			return rpcerror.InvalidValue("", "persist-id does not match the pending confirmed commit")
		}
		return nil
	}
	if persistID != nil {
		return rpcerror.InvalidValue("", "the pending confirmed commit has no persist value")
	}
	if who.Session != c.session {
		return rpcerror.New(rpcerror.Protocol, rpcerror.TagInUse,
			"a confirmed commit of session %d is pending; only that session can confirm or cancel it", c.session)
	}
	return nil
}

// startConfirm starts a confirmed commit; saved tells that its marker is on disk already.
func (s *Store) startConfirm(who Who, base uint64, o CommitOptions, saved bool) {
	c := &confirmState{base: base, session: who.Session, user: who.User, persist: o.Persist}
	s.confirm = c
	if !saved {
		s.saveConfirm()
	}
	s.armConfirm(o.Timeout)
}

func (c *confirmState) extend(s *Store, o CommitOptions) {
	if o.Persist != "" {
		c.persist = o.Persist
	}
	s.saveConfirm()
	s.armConfirm(o.Timeout)
}

// armConfirm (re)starts the confirmation timer.
func (s *Store) armConfirm(d time.Duration) {
	if d <= 0 {
		d = DefaultConfirmTimeout
	}
	c := s.confirm
	if c.timer != nil {
		c.timer.Stop()
	}
	c.gen++
	gen := c.gen
	c.timer = time.AfterFunc(d, func() {
		s.mu.Lock()
		if s.closed || s.confirm != c || c.gen != gen {
			s.mu.Unlock()
			return
		}
		since := s.lastID
		errs := s.rollbackConfirm(context.Background(), "the confirm-timeout expired")
		fns := s.onRevert
		s.mu.Unlock()
		if len(errs) == 0 {
			for _, fn := range fns {
				fn(ConfirmRevert{Timeout: true, Who: Who{User: c.user, Session: c.session}, Since: since})
			}
		}
	})
}

// A ConfirmRevert tells that a pending confirmed commit was reverted by the store itself, not by
// a cancel-commit: its confirm-timeout expired, or the session that issued it (without persist)
// ended (RFC 6241 section 8.4). The revert is the commits after Since (CommitsSince).
type ConfirmRevert struct {
	// Timeout is set when the confirm-timeout expired; otherwise the issuing session ended.
	Timeout bool
	// Who issued the confirmed commit.
	Who Who
	// Since is running's newest commit before the revert.
	Since uint64
}

// OnConfirmRevert registers fn to be called after each revert a ConfirmRevert describes (a
// server sends its RFC 6470 events from it). fn is called without the store's lock held, so it
// may read the store; it must not block for long: a timeout's revert runs on a timer, a
// session's in SessionEnded.
func (s *Store) OnConfirmRevert(fn func(ConfirmRevert)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onRevert = append(s.onRevert, fn)
}

func (s *Store) saveConfirm() {
	if s.j == nil {
		return
	}
	if err := s.putConfirm(s.confirm.base, s.confirm.persist); err != nil {
		s.log.Error("datastore: storing the pending confirmed commit failed", "err", err)
	}
}

// putConfirm writes the confirmed-commit marker: a restart reverts running to base.
func (s *Store) putConfirm(base uint64, persist string) error {
	b, _ := json.Marshal(confirmBlob{Base: base, Persist: persist})
	if err := s.j.Put(blobConfirm, b); err != nil {
		s.journalFailed(err, len(b))
		return err
	}
	s.staleConfirm = false
	s.journalOK()
	return nil
}

// removeConfirm removes the confirmed-commit marker.
func (s *Store) removeConfirm() error {
	if err := s.j.Remove(blobConfirm); err != nil {
		s.journalFailed(err, 0)
		return err
	}
	s.staleConfirm = false
	return nil
}

// clearStaleConfirm removes a marker left by a confirmed commit that failed after writing it,
// before another commit is stored: a restart would revert that commit. s.mu is held.
func (s *Store) clearStaleConfirm() error {
	if !s.staleConfirm || s.confirm != nil {
		return nil
	}
	return s.removeConfirm()
}

// endConfirm confirms the pending commit; removed tells that its marker is gone already.
func (s *Store) endConfirm(removed bool) {
	if s.confirm.timer != nil {
		s.confirm.timer.Stop()
	}
	s.confirm = nil
	if s.j != nil && !removed {
		if err := s.removeConfirm(); err != nil {
			s.log.Error("datastore: removing the confirmed-commit marker failed", "err", err)
		}
	}
}

// rollbackConfirm reverts a pending confirmed commit. s.mu must be held.
func (s *Store) rollbackConfirm(ctx context.Context, why string) rpcerror.List {
	base := s.confirm.base
	s.endConfirm(false)
	errs := s.rollbackLocked(ctx, Who{}, base, fmt.Sprintf("confirmed commit reverted: %s", why))
	if len(errs) > 0 {
		s.log.Error("datastore: reverting a confirmed commit failed", "errors", errs.Error())
	} else {
		s.log.Info("datastore: confirmed commit reverted", "reason", why, "to", base)
	}
	return errs
}

// CancelCommit cancels a pending confirmed commit (RFC 6241 section 8.4.4.1).
func (s *Store) CancelCommit(ctx context.Context, who Who, persistID *string) rpcerror.List {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.confirm == nil {
		return rpcerror.List{rpcerror.New(rpcerror.Protocol, rpcerror.TagOperationFailed, "no confirmed commit is pending")}
	}
	if err := s.confirm.check(who, persistID); err != nil {
		return rpcerror.List{err}
	}
	return s.rollbackConfirm(ctx, "cancel-commit")
}

// ConfirmPending reports whether a confirmed commit awaits confirmation.
func (s *Store) ConfirmPending() bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.confirm != nil
}

// recoverConfirm reverts a confirmed commit left pending by the previous run.
func (s *Store) recoverConfirm() error {
	if s.j == nil {
		return nil
	}
	b, ok, err := s.j.Load(blobConfirm)
	if err != nil || !ok {
		return err
	}
	var cb confirmBlob
	if err := json.Unmarshal(b, &cb); err != nil {
		return fmt.Errorf("datastore: confirmed-commit marker: %w", err)
	}
	if errs := s.rollbackLocked(context.Background(), Who{}, cb.Base, "confirmed commit reverted: the server restarted before confirmation"); len(errs) > 0 {
		return fmt.Errorf("datastore: reverting the unconfirmed commit: %w", errs)
	}
	return s.j.Remove(blobConfirm)
}

// records returns the history records after id, oldest first, and whether the history
// reaches back that far.
func (s *Store) records(after uint64) ([]journal.Record, bool, error) {
	var all []journal.Record
	if s.j != nil {
		h, err := s.j.History()
		if err != nil {
			return nil, false, err
		}
		all = h
	} else {
		all = s.hist
	}
	if after == s.lastID {
		return nil, true, nil
	}
	for i, r := range all {
		if r.ID == after+1 {
			return all[i:], true, nil
		}
		if r.ID > after+1 {
			break
		}
	}
	return nil, false, nil
}

// rollbackLocked makes running what it was right after commit id by reverting the commits
// since, newest first, as one new commit. s.mu must be held.
func (s *Store) rollbackLocked(ctx context.Context, who Who, id uint64, comment string) rpcerror.List {
	if id > s.lastID {
		return rpcerror.List{rpcerror.InvalidValue("", "no commit %d", id)}
	}
	recs, ok, err := s.records(id)
	if err != nil {
		s.log.Error("datastore: reading the history failed", "err", err)
		return rpcerror.List{rpcerror.OperationFailed("the commit history could not be read")}
	}
	if !ok {
		return rpcerror.List{rpcerror.InvalidValue("", "commit %d is no longer in the history", id)}
	}
	if len(recs) == 0 {
		return nil
	}
	ps := make([]payload, len(recs))
	for i, r := range recs {
		if ps[i], err = s.decodePayload(r); err != nil {
			s.log.Error("datastore: reading the history failed", "err", err)
			return rpcerror.List{rpcerror.OperationFailed("the commit history could not be read")}
		}
	}
	return s.applyToRunning(ctx, who, comment, func(t *data.Txn) rpcerror.List {
		for i := len(ps) - 1; i >= 0; i-- {
			if err := s.replay(t, s.running, ps[i].Old, ps[i].OldXML); err != nil {
				s.log.Error("datastore: reverting a commit failed", "id", recs[i].ID, "err", err)
				return rpcerror.List{rpcerror.OperationFailed("commit %d could not be reverted", recs[i].ID)}
			}
		}
		return nil
	})
}

// Rollback makes running what it was right after commit id, as a new commit (an rpc of the
// ncws-commit-history module; Netopeer2 and sysrepo have no equivalent).
func (s *Store) Rollback(ctx context.Context, who Who, id uint64) rpcerror.List {
	s.mu.Lock()
	defer s.mu.Unlock()
	if h, ok := s.locks[Running]; ok && h != who.Session {
		return rpcerror.List{inUse(Running, h)}
	}
	if s.confirm != nil {
		return rpcerror.List{rpcerror.New(rpcerror.Protocol, rpcerror.TagInUse, "a confirmed commit is pending")}
	}
	return s.rollbackLocked(ctx, who, id, fmt.Sprintf("rollback to commit %d", id))
}

// CommitInfo is one entry of the commit history.
type CommitInfo struct {
	ID      uint64
	Time    time.Time
	User    string
	Session uint32
	Comment string
	Changes []ChangeInfo
}

// ChangeInfo is one changed location of a commit: its path (an instance-identifier) and
// whether the commit created, deleted or replaced the node there.
type ChangeInfo struct {
	Path      string
	Operation string // "create", "delete", "replace"
}

// History returns the kept commits, oldest first.
func (s *Store) History() ([]CommitInfo, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var recs []journal.Record
	var err error
	if s.j != nil {
		recs, err = s.j.History()
	} else {
		recs = s.hist
	}
	if err != nil {
		return nil, err
	}
	return s.commitInfos(recs)
}

// LastCommit returns the id of running's newest commit, 0 when there is none.
func (s *Store) LastCommit() uint64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.lastID
}

// CommitsSince returns the kept commits newer than commit id, oldest first: what an operation
// committed when id was LastCommit before it. It reads only those commits.
func (s *Store) CommitsSince(id uint64) ([]CommitInfo, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var recs []journal.Record
	if r, ok := s.recentSince(id); ok {
		return s.commitInfos(r)
	}
	switch {
	case s.j != nil:
		for n := id + 1; n <= s.lastID; n++ {
			r, ok, err := s.j.Get(n)
			if err != nil {
				return nil, err
			}
			if ok {
				recs = append(recs, r)
			}
		}
	default:
		for i := len(s.hist) - 1; i >= 0 && s.hist[i].ID > id; i-- {
			recs = append([]journal.Record{s.hist[i]}, recs...)
		}
	}
	return s.commitInfos(recs)
}

// commitInfos decodes journal records into history entries.
func (s *Store) commitInfos(recs []journal.Record) ([]CommitInfo, error) {
	out := make([]CommitInfo, 0, len(recs))
	for _, r := range recs {
		// Only the locations: the XML halves (the whole configuration for a bulk load) are
		// skipped by the JSON scanner instead of being unquoted into strings nobody reads.
		var p payloadHead
		if err := json.Unmarshal(r.Payload, &p); err != nil {
			return nil, fmt.Errorf("datastore: journal record %d: %w", r.ID, err)
		}
		ci := CommitInfo{ID: r.ID, Time: r.Time, User: r.User, Session: r.Session, Comment: p.Comment}
		old := map[string]bool{}
		for _, pl := range p.Old {
			if pl.Present {
				old[fmtPath(pl)] = true
			}
		}
		for _, pl := range p.New {
			op := "delete"
			switch {
			case pl.Present && old[fmtPath(pl)]:
				op = "replace"
			case pl.Present:
				op = "create"
			case !old[fmtPath(pl)]:
				continue
			}
			l, err := s.loc(pl)
			if err != nil {
				return nil, err
			}
			ci.Changes = append(ci.Changes, ChangeInfo{Path: l.Path(), Operation: op})
		}
		out = append(out, ci)
	}
	return out, nil
}

func fmtPath(pl payloadLoc) string {
	b, _ := json.Marshal([2][]string{pl.Path, pl.Keys})
	return string(b)
}
