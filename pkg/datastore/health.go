package datastore

import (
	"errors"
	"syscall"
	"time"

	"github.com/ncws/ncws/pkg/datastore/internal/journal"
	"github.com/ncws/ncws/pkg/rpcerror"
)

// Backoff of the store's retries after a write to its directory failed.
const (
	// SnapshotRetryMin is the wait before the first retry of a failed snapshot; each further
	// failure doubles it, up to SnapshotRetryMax. Commits are journaled meanwhile, and a
	// snapshot is only ever attempted after a commit.
	SnapshotRetryMin = time.Second
	SnapshotRetryMax = time.Minute
	// ProbeRetryMin and ProbeRetryMax bound the backoff of the probe that checks, while the
	// journal fails and no commit comes to retry it, whether the directory is writable again.
	ProbeRetryMin = time.Second
	ProbeRetryMax = 30 * time.Second
)

// maxProbeSize bounds the probe write (the size of the record that failed, at least a page).
const maxProbeSize = 1 << 20

// blobProbe is the blob the probe writes and removes again.
const blobProbe = "probe"

// Health is the state of the store's persistence (see Store.Health).
type Health struct {
	// Persistent is false for a store kept in memory (Options.Dir empty): its parts are then
	// always OK.
	Persistent bool
	// Journal is the state of the writes to the store's directory: commit records, startup, the
	// confirmed-commit marker. While it fails, commits to running are refused (resource-denied
	// when the disk is full, operation-failed otherwise) and nothing is acknowledged that is
	// not durable; the store retries on its own (every commit, and a probe with backoff between
	// ProbeRetryMin and ProbeRetryMax), so it recovers once the disk has room again, without a
	// restart.
	Journal PartHealth
	// Snapshot is the state of the snapshots of running. While they fail, commits are still
	// journaled (the journal grows), and the snapshot is retried after a commit no sooner than
	// PartHealth.Retry (exponential backoff from SnapshotRetryMin to SnapshotRetryMax).
	Snapshot PartHealth
}

// PartHealth is the state of one part of the store's persistence.
type PartHealth struct {
	// OK is false from a failed write until a write succeeds again.
	OK bool
	// Since is when the part entered its current state (Open when it never failed).
	Since time.Time
	// Err is the error of the last failed attempt while not OK.
	Err error
	// Failures counts the failed attempts since the part was last OK.
	Failures int
	// Retry is when the next attempt is due while not OK.
	Retry time.Time
}

// Writable reports whether commits can be stored (the journal is OK): what a readiness check
// asks.
func (h Health) Writable() bool { return h.Journal.OK }

// OK reports whether every part is OK.
func (h Health) OK() bool { return h.Journal.OK && h.Snapshot.OK }

// Health returns the state of the store's persistence. It does not wait for a commit in
// progress.
func (s *Store) Health() Health {
	s.hmu.Lock()
	defer s.hmu.Unlock()
	return s.health
}

func (s *Store) initHealth() {
	now := s.opts.Now()
	s.health = Health{
		Journal:  PartHealth{OK: true, Since: now},
		Snapshot: PartHealth{OK: true, Since: now},
	}
	s.stopProbe = make(chan struct{})
}

// backoff is min(lo doubled n-1 times, hi).
func backoff(n int, lo, hi time.Duration) time.Duration {
	d := lo
	for i := 1; i < n && d < hi; i++ {
		d *= 2
	}
	return min(d, hi)
}

// writeError is the rpc-error of a commit (or startup write) the disk refused: resource-denied
// when the disk or quota is full (RFC 6241 Appendix A: insufficient resources), else
// operation-failed. The cause itself is logged, not sent.
func writeError(err error, what string) *rpcerror.Error {
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		return rpcerror.New(rpcerror.Application, rpcerror.TagResourceDenied, "%s could not be stored: the datastore's disk is full; nothing was changed", what)
	}
	return rpcerror.OperationFailed("%s could not be stored: the datastore could not write to its disk; nothing was changed", what)
}

// journalFailed records a failed write to the directory; size is what it tried to write. The
// transition is logged once, at Warn, and starts the probe.
func (s *Store) journalFailed(err error, size int) {
	s.hmu.Lock()
	defer s.hmu.Unlock()
	h := &s.health.Journal
	now := s.opts.Now()
	s.probeSize = max(4096, min(size, maxProbeSize), s.probeSize)
	if h.OK {
		*h = PartHealth{Since: now}
		s.jfail.Store(true)
		s.log.Warn("datastore: a write to the datastore directory failed: commits are refused until it works again (retried on every commit and by a probe)", "err", err)
	} else {
		s.log.Debug("datastore: a write to the datastore directory failed again", "err", err)
	}
	h.Err = err
	h.Failures++
	h.Retry = now.Add(backoff(h.Failures, ProbeRetryMin, ProbeRetryMax))
	if !s.probing && !s.closing {
		s.probing = true
		go s.probe()
	}
}

// journalOK records a successful write to the directory.
func (s *Store) journalOK() {
	if !s.jfail.Load() {
		return
	}
	if s.j.Failed() != nil {
		// A write that is not the journal's (a blob) worked, but the journal still needs its
		// repair: the next append or the probe does it.
		return
	}
	s.hmu.Lock()
	defer s.hmu.Unlock()
	h := &s.health.Journal
	if h.OK {
		return
	}
	s.log.Warn("datastore: writes to the datastore directory work again: commits are accepted", "failures", h.Failures, "after", s.opts.Now().Sub(h.Since).Round(time.Millisecond).String())
	*h = PartHealth{OK: true, Since: s.opts.Now()}
	s.probeSize = 0
	s.jfail.Store(false)
}

// probe checks, with backoff, whether the directory is writable again while the journal fails:
// a store whose commits stopped (a load balancer took it out of service on its readiness)
// recovers too. It repairs the journal and writes (fsync) and removes a blob the size of the
// failed write.
func (s *Store) probe() {
	for n := 1; ; n++ {
		t := time.NewTimer(backoff(n, ProbeRetryMin, ProbeRetryMax))
		select {
		case <-s.stopProbe:
			t.Stop()
		case <-t.C:
		}
		if s.probeDone() {
			return
		}
		s.hmu.Lock()
		size := s.probeSize
		s.hmu.Unlock()
		s.probeOnce(size, n)
		if s.probeDone() {
			return
		}
	}
}

// probeDone ends the probe when the journal is OK again or the store is closing; the check and
// the end are one critical section, so that a failure right after starts a new probe.
func (s *Store) probeDone() bool {
	s.hmu.Lock()
	defer s.hmu.Unlock()
	if s.health.Journal.OK || s.closing {
		s.probing = false
		return true
	}
	return false
}

// probeOnce makes the n-th probe attempt.
func (s *Store) probeOnce(size, n int) {
	err := s.j.Repair()
	if err == nil {
		err = s.j.Put(blobProbe, make([]byte, size))
		if rerr := s.j.Remove(blobProbe); err == nil {
			err = rerr
		}
	}
	if errors.Is(err, journal.ErrClosed) {
		return
	}
	if err == nil {
		s.journalOK()
		return
	}
	s.hmu.Lock()
	defer s.hmu.Unlock()
	if h := &s.health.Journal; !h.OK {
		h.Err = err
		h.Failures++
		h.Retry = s.opts.Now().Add(backoff(n+1, ProbeRetryMin, ProbeRetryMax))
	}
}

// snapshotDue reports whether a snapshot may be attempted now (not within a failed one's
// backoff).
func (s *Store) snapshotDue() bool {
	s.hmu.Lock()
	defer s.hmu.Unlock()
	h := &s.health.Snapshot
	return h.OK || !s.opts.Now().Before(h.Retry)
}

// snapshotDone records the outcome of a snapshot attempt; transitions are logged once, at Warn.
func (s *Store) snapshotDone(err error) {
	s.hmu.Lock()
	defer s.hmu.Unlock()
	h := &s.health.Snapshot
	now := s.opts.Now()
	switch {
	case err == nil && h.OK:
	case err == nil:
		s.log.Warn("datastore: snapshots work again", "failures", h.Failures, "after", now.Sub(h.Since).Round(time.Millisecond).String())
		*h = PartHealth{OK: true, Since: now}
	default:
		if h.OK {
			*h = PartHealth{Since: now}
		}
		h.Err = err
		h.Failures++
		d := backoff(h.Failures, SnapshotRetryMin, SnapshotRetryMax)
		h.Retry = now.Add(d)
		if h.Failures == 1 {
			s.log.Warn("datastore: a snapshot failed: commits are still journaled, the snapshot is retried with backoff", "err", err, "retry-in", d.String())
		} else {
			s.log.Debug("datastore: a snapshot failed again", "err", err, "retry-in", d.String())
		}
	}
}
