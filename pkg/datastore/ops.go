package datastore

import (
	"context"
	"fmt"
	"time"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/datastore/internal/edit"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/validate"
)

// EditOptions are the parameters of <edit-config> (RFC 6241 section 7.2); the zero value is
// merge, test-then-set, stop-on-error.
type EditOptions struct {
	DefaultOperation string // "merge", "replace", "none"
	TestOption       string // "test-then-set", "set", "test-only"
	ErrorOption      string // "stop-on-error", "continue-on-error", "rollback-on-error"
}

// Edit applies an <edit-config> to target (Running or Candidate). config is the content of the
// <config> element (its child elements with their namespace declarations); Edit only reads it
// and keeps no reference to it.
//
// An edit of running is a commit: it is validated (test-option set is treated as test-then-set:
// nothing reaches running unless the result validates), passed to the hooks and stored before
// Edit returns; on any error nothing changes. An edit of the candidate is checked for types and
// operation semantics only; the candidate is validated by <validate> and <commit> (test-only
// validates the would-be candidate and changes nothing). With continue-on-error the elements
// that fail are skipped and reported, the rest applies.
func (s *Store) Edit(ctx context.Context, who Who, target Name, config []byte, o EditOptions) rpcerror.List {
	e, errs := edit.Decode(config, s.sch)
	if len(errs) > 0 {
		return errs
	}
	eo := edit.Options{DefaultOperation: o.DefaultOperation, ErrorOption: o.ErrorOption}
	keep := o.ErrorOption == "continue-on-error"
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return rpcerror.List{rpcerror.OperationFailed("the datastore is closed")}
	}
	if h, ok := s.locks[target]; ok && h != who.Session {
		return rpcerror.List{inUse(target, h)}
	}
	switch target {
	case Running:
		if o.TestOption == "test-only" {
			var t data.Txn
			errs := e.Apply(s.running, &t, eo)
			if len(errs) == 0 || keep {
				errs = append(errs, s.v.ValidateChanges(s.running, t.Locs(), validate.Options{Txn: &t})...)
			}
			t.Undo()
			return errs
		}
		var partial rpcerror.List
		s.recordHint = len(config)
		defer func() { s.recordHint = 0 }()
		errs := s.applyToRunning(ctx, who, "", func(t *data.Txn) rpcerror.List {
			errs := e.Apply(s.running, t, eo)
			if keep {
				partial = errs
				return nil
			}
			return errs
		})
		return append(partial, errs...)
	case Candidate:
		testOnly := o.TestOption == "test-only"
		// A candidate that shares running gets its own copy first; test-only applies the edit
		// to a private copy and leaves the candidate shared.
		root, private := s.candidate, false
		if root == nil && testOnly {
			root, private = s.running.Clone(), true
		} else if root == nil {
			root = s.ownCandidate()
		}
		var t data.Txn
		errs := e.Apply(root, &t, eo)
		if len(errs) > 0 && !keep {
			t.Undo()
			return errs
		}
		if aerrs := s.checkWrite(ctx, who, Candidate, t.Changes()); len(aerrs) > 0 {
			t.Undo()
			return aerrs
		}
		if testOnly {
			// Validate the would-be candidate on a copy: validation fills defaults, and the
			// candidate keeps what was edited, not what was derived.
			if !private {
				root = root.Clone()
			}
			errs = append(errs, s.v.Validate(root, validate.Options{})...)
			t.Undo()
			return errs
		}
		s.dirty = append(s.dirty, t.Locs()...)
		if len(s.dirty) > 0 {
			s.dirtyBytes += len(config)
		}
		return errs
	}
	return rpcerror.List{unsupported(target)}
}

// AccessControl decides which changes a user may make (NACM, RFC 8341 section 3.4.5; pkg/nacm
// implements it). CheckWrite gets every change a request makes to target, before it is
// validated or stored: an error refuses the whole request and nothing changes. The system
// (session 0) is not checked.
type AccessControl interface {
	CheckWrite(ctx context.Context, who Who, target Name, changes []data.Change) rpcerror.List
}

// SetAccessControl installs ac (nil: every change is allowed).
func (s *Store) SetAccessControl(ac AccessControl) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ac = ac
}

// checkWrite asks the access control about changes. It must be called with s.mu held.
func (s *Store) checkWrite(ctx context.Context, who Who, target Name, changes []data.Change) rpcerror.List {
	if s.ac == nil || who.Session == 0 || len(changes) == 0 {
		return nil
	}
	return s.ac.CheckWrite(ctx, who, target, changes)
}

// Source is the source of <copy-config> and <validate>: a datastore, or inline configuration
// (the content of a <config> element) when Config is not nil.
type Source struct {
	Name   Name
	Config []byte
	// ReportDefaults copies the defaults in use as explicit configuration (copy-config with
	// with-defaults report-all or report-all-tagged, RFC 6243 section 4.5.3); otherwise only
	// what was set explicitly is copied.
	ReportDefaults bool
}

// decodeInline decodes inline configuration.
func (s *Store) decodeInline(b []byte) (*data.Node, rpcerror.List) {
	return yangxml.Unmarshal(b, s.sch, yangxml.DecodeOptions{Wrappers: []string{}, AllowEmpty: true, RejectState: true})
}

// source returns a private copy of a source's tree. It must be called with s.mu held.
func (s *Store) source(src Source) (*data.Node, rpcerror.List) {
	if src.Config != nil {
		return s.decodeInline(src.Config)
	}
	t := s.tree(src.Name)
	if t == nil {
		return nil, rpcerror.List{unsupported(src.Name)}
	}
	c := t.Clone()
	if src.ReportDefaults {
		c.Walk(func(n *data.Node) bool { n.Default = false; return true })
	} else {
		stripDefaults(c)
	}
	return c, nil
}

// topLocs returns the locations of the top-level nodes of the trees.
func topLocs(trees ...*data.Node) []data.Loc {
	var locs []data.Loc
	for _, t := range trees {
		for _, c := range t.Children() {
			locs = append(locs, data.LocOf(c))
		}
	}
	return locs
}

// Copy replaces the whole of target with src (RFC 6241 section 7.3). A copy into running is a
// commit; a copy into startup is validated first and stored durably.
func (s *Store) Copy(ctx context.Context, who Who, target Name, src Source) rpcerror.List {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return rpcerror.List{rpcerror.OperationFailed("the datastore is closed")}
	}
	if src.Config == nil && src.Name == target {
		return rpcerror.List{rpcerror.InvalidValue("", "source and target are the same datastore")}
	}
	if h, ok := s.locks[target]; ok && h != who.Session {
		return rpcerror.List{inUse(target, h)}
	}
	tree, errs := s.source(src)
	if len(errs) > 0 {
		return errs
	}
	return s.copyInto(ctx, who, target, tree, "")
}

// copyInto makes target equal to tree (a private tree). It must be called with s.mu held.
func (s *Store) copyInto(ctx context.Context, who Who, target Name, tree *data.Node, comment string) rpcerror.List {
	switch target {
	case Running:
		// Copied, not taken: a boot from startup passes the startup tree itself.
		return s.syncToRunning(ctx, who, comment, tree, topLocs(s.running, tree), nil)
	case Candidate:
		var t data.Txn
		cand := s.ownCandidate()
		t.Sync(cand, tree, topLocs(cand, tree))
		if errs := s.checkWrite(ctx, who, Candidate, t.Changes()); len(errs) > 0 {
			t.Undo()
			return errs
		}
		s.dirty = append(s.dirty, t.Locs()...)
		return nil
	case Startup:
		if errs := s.checkWrite(ctx, who, Startup, []data.Change{{Old: s.startup, New: tree}}); len(errs) > 0 {
			return errs
		}
		if errs := s.v.Validate(tree, validate.Options{}); len(errs) > 0 {
			return errs
		}
		if s.j != nil {
			b := s.encodeStored(tree)
			if err := s.j.Put(blobStartup, b); err != nil {
				s.journalFailed(err, len(b))
				return rpcerror.List{writeError(err, "the startup configuration")}
			}
			s.journalOK()
		}
		s.startup = tree
		return nil
	}
	return rpcerror.List{unsupported(target)}
}

// Delete deletes the startup configuration (RFC 6241 section 7.4; running cannot be deleted).
func (s *Store) Delete(who Who, target Name) rpcerror.List {
	s.mu.Lock()
	defer s.mu.Unlock()
	if target != Startup {
		return rpcerror.List{unsupported(target)}
	}
	if h, ok := s.locks[target]; ok && h != who.Session {
		return rpcerror.List{inUse(target, h)}
	}
	if errs := s.checkWrite(context.Background(), who, Startup, []data.Change{{Old: s.startup, New: data.NewRoot()}}); len(errs) > 0 {
		return errs
	}
	if s.j != nil {
		if err := s.j.Remove(blobStartup); err != nil {
			s.journalFailed(err, 0)
			return rpcerror.List{rpcerror.OperationFailed("the startup configuration could not be deleted: the datastore could not write to its disk")}
		}
	}
	s.startup = data.NewRoot()
	return nil
}

// Validate validates a datastore or inline configuration completely (RFC 6241 section 8.6).
func (s *Store) Validate(src Source) rpcerror.List {
	s.mu.RLock()
	tree, errs := s.source(src)
	s.mu.RUnlock()
	if len(errs) > 0 {
		return errs
	}
	return s.v.Validate(tree, validate.Options{})
}

// Lock locks a datastore for a session (RFC 6241 section 7.5).
func (s *Store) Lock(who Who, name Name) rpcerror.List {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tree(name) == nil {
		return rpcerror.List{unsupported(name)}
	}
	if h, ok := s.locks[name]; ok {
		return rpcerror.List{rpcerror.LockDenied(h)}
	}
	// RFC 6241 section 7.5: no lock on running while another session's confirmed commit is
	// pending (one with persist outlives its session: error-info session-id 0).
	if c := s.confirm; name == Running && c != nil && c.session != who.Session {
		holder := c.session
		if c.persist != "" {
			holder = 0
		}
		e := rpcerror.LockDenied(holder)
		e.Message = fmt.Sprintf("a confirmed commit of session %d is pending", c.session)
		return rpcerror.List{e}
	}
	if name == Candidate && len(s.dirty) > 0 {
		e := rpcerror.LockDenied(0)
		e.Message = "the candidate holds changes that are neither committed nor discarded"
		return rpcerror.List{e}
	}
	if h, ok := s.partialLockHolder(who); ok && name == Running {
		e := rpcerror.LockDenied(h)
		e.Message = fmt.Sprintf("session %d holds a partial lock on running", h)
		return rpcerror.List{e}
	}
	s.locks[name] = who.Session
	s.lockTime[name] = s.opts.Now()
	return nil
}

// Unlock releases a lock the session holds (RFC 6241 section 7.6).
func (s *Store) Unlock(who Who, name Name) rpcerror.List {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tree(name) == nil {
		return rpcerror.List{unsupported(name)}
	}
	h, ok := s.locks[name]
	if !ok || h != who.Session {
		e := rpcerror.New(rpcerror.Protocol, rpcerror.TagOperationFailed, "the %s datastore is not locked by this session", name)
		return rpcerror.List{e}
	}
	delete(s.locks, name)
	delete(s.lockTime, name)
	return nil
}

// LockHolder returns the session holding a lock on name, if any.
func (s *Store) LockHolder(name Name) (uint32, bool) {
	h, _, ok := s.LockInfo(name)
	return h, ok
}

// LockInfo returns the session holding a lock on name and when it took it, if any.
func (s *Store) LockInfo(name Name) (holder uint32, since time.Time, ok bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	h, ok := s.locks[name]
	return h, s.lockTime[name], ok
}

// SessionEnded releases what a session held: its locks (a locked, modified candidate is
// discarded, as the lock promised nobody else changed it) and a confirmed commit it issued
// without persist, which is rolled back (RFC 6241 section 8.4.1).
func (s *Store) SessionEnded(ctx context.Context, session uint32) {
	var revert *ConfirmRevert
	var fns []func(ConfirmRevert)
	defer func() {
		if revert != nil {
			for _, fn := range fns {
				fn(*revert)
			}
		}
	}()
	s.mu.Lock()
	defer s.mu.Unlock()
	for name, h := range s.locks {
		if h != session {
			continue
		}
		delete(s.locks, name)
		delete(s.lockTime, name)
		if name == Candidate {
			s.discardLocked()
		}
	}
	s.releasePartialLocks(session)
	if c := s.confirm; c != nil && c.persist == "" && c.session == session {
		since := s.lastID
		if errs := s.rollbackConfirm(ctx, "its session ended"); len(errs) == 0 {
			revert = &ConfirmRevert{Who: Who{User: c.user, Session: c.session}, Since: since}
			fns = s.onRevert
		}
	}
}
