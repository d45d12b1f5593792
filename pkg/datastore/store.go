package datastore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/datastore/internal/journal"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/validate"
)

// Name names a datastore.
type Name string

// The datastores of RFC 6241 and RFC 8342's operational view.
const (
	Running     Name = "running"
	Candidate   Name = "candidate"
	Startup     Name = "startup"
	Operational Name = "operational"
)

// Who identifies the originator of a request: the NETCONF username and session-id. Session 0 is
// the system itself (boot, confirmed-commit timeout).
type Who struct {
	User    string
	Session uint32
}

// ErrClosed is returned by operations on a closed Store.
var ErrClosed = errors.New("datastore: closed")

// ErrInvalidStartup is wrapped by Open when the configuration it would boot from fails
// validation and Options.AllowInvalid is not set.
var ErrInvalidStartup = errors.New("datastore: configuration does not validate")

// Options configures Open. Schema is required; the zero value of every other field is the
// default.
type Options struct {
	Schema *schema.Schema
	// Validator is the schema's validator; nil builds one.
	Validator *validate.Validator
	// Dir is the directory of the persistent store; empty keeps everything in memory.
	Dir string
	// BootFromStartup copies startup into running when the store opens (a device boot).
	BootFromStartup bool
	// AllowInvalid opens a store whose running (or startup, at a boot) fails validation instead
	// of refusing to; the errors are logged.
	AllowInvalid bool
	// KeepHistory is the number of commits kept for History and Rollback; 0 means 1000.
	KeepHistory int
	// SnapshotEvery is the number of commits after which running is written as a new snapshot
	// and older journal segments are dropped; 0 means 1000.
	SnapshotEvery int
	// Hooks are called on every commit to running, in order (see Hook).
	Hooks []Hook
	// CommitObserver, when set, is called after every commit to running that reached the
	// pipeline (validation, hooks, the journal's durable write), with its duration and the
	// errors that refused it (nil when it was stored): for metrics. It is called with the
	// store's write lock held, so it must be fast and must not call the store.
	CommitObserver func(d time.Duration, errs rpcerror.List)
	// Logger receives the store's events; nil means slog.Default().
	Logger *slog.Logger
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
}

// Store holds the datastores of one server. All methods are safe for concurrent use.
type Store struct {
	opts  Options
	sch   *schema.Schema
	v     *validate.Validator
	log   *slog.Logger
	j     *journal.Journal // nil in memory
	hooks []Hook

	mu      versionedLock
	closed  bool
	running *data.Node
	// candidate is the candidate's own tree, or nil while it shares running's nodes: it is
	// then equal to running (unmodified, RFC 6241 section 8.3) and read as running. The first
	// edit gives it a copy of running (ownCandidate); a commit or discard-changes whose work
	// was as large as running itself (a bulk load) drops it again (worthSharing), so that a
	// server at rest after a bulk load holds one tree, not two.
	candidate *data.Node
	startup   *data.Node
	// dirty lists the locations where candidate may differ from running; the candidate is
	// modified when it is not empty.
	dirty []data.Loc
	// dirtyBytes is the size of the edit-config XML that modified the candidate since it last
	// equalled running; recordHint, when set, is the expected size of the next commit's journal
	// record (its XML halves), taken from the XML of the edit that makes it: the record's buffer
	// is then made at its size at once (encodePayload).
	dirtyBytes int
	recordHint int
	locks      map[Name]uint32
	// lockTime is when each lock in locks was taken.
	lockTime map[Name]time.Time
	// plocks are the partial locks on running (RFC 5717), oldest first; nextPL is the last
	// lock-id handed out.
	plocks []*PartialLock
	nextPL uint32
	lastID uint64
	hist   []journal.Record // in-memory history when j is nil
	// recent are the newest commits' records with only their heads as payload (remember).
	recent  []journal.Record
	confirm *confirmState
	// onRevert are told of the reverts of confirmed commits (OnConfirmRevert).
	onRevert []func(ConfirmRevert)
	prov     []provider
	ac       AccessControl

	compacting sync.Mutex

	// watchers are told of every commit to running (see Watch).
	watchMu  sync.Mutex
	watchers map[int]func(*Commit)
	watchID  int

	// hmu guards the persistence health (health.go), apart from mu so that Health does not
	// wait for a commit.
	hmu       sync.Mutex
	health    Health
	jfail     atomic.Bool // !health.Journal.OK, read without hmu on every commit
	probing   bool        // the probe goroutine runs
	closing   bool
	probeSize int
	stopProbe chan struct{}
	// staleConfirm: a confirmed commit failed after writing its marker, and removing it failed
	// too; the next commit removes it first.
	staleConfirm bool
	// freeing: a release of memory to the OS is scheduled (releaseMemory).
	freeing atomic.Bool
}

// Open opens the store: it recovers running from Dir (snapshot plus journal), boots from
// startup when asked or on first start, validates running, and applies a pending confirmed
// commit's rollback (a restart before confirmation reverts it, RFC 6241 section 8.4).
func Open(opts Options) (*Store, error) {
	if opts.Schema == nil {
		return nil, errors.New("datastore: Options.Schema is required")
	}
	s := &Store{
		opts:     opts,
		sch:      opts.Schema,
		v:        opts.Validator,
		log:      opts.Logger,
		hooks:    opts.Hooks,
		running:  data.NewRoot(),
		startup:  data.NewRoot(),
		locks:    map[Name]uint32{},
		lockTime: map[Name]time.Time{},
	}
	if s.v == nil {
		s.v = validate.New(s.sch)
	}
	// Edits are validated incrementally: the index that needs is built now, not by the first edit.
	s.v.PrepareChanges()
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.opts.Now == nil {
		s.opts.Now = time.Now
	}
	if s.opts.KeepHistory <= 0 {
		s.opts.KeepHistory = 1000
	}
	s.initHealth()
	fresh := true
	if opts.Dir != "" {
		j, st, err := journal.Open(opts.Dir, journal.Options{KeepHistory: s.opts.KeepHistory, CompactEvery: opts.SnapshotEvery})
		if err != nil {
			return nil, fmt.Errorf("datastore: %w", err)
		}
		s.j = j
		s.health.Persistent = true
		// A probe interrupted by a crash may have left its blob.
		if err := j.Remove(blobProbe); err != nil {
			j.Close()
			return nil, fmt.Errorf("datastore: %w", err)
		}
		if err := s.recover(st); err != nil {
			j.Close()
			return nil, err
		}
		// The first start on a directory is a boot; later ones are restarts.
		_, inited, err := j.Load(blobInit)
		if err == nil && !inited {
			err = j.Put(blobInit, []byte("1"))
		}
		if err != nil {
			j.Close()
			return nil, fmt.Errorf("datastore: %w", err)
		}
		fresh = !inited
		if b, ok, err := j.Load(blobStartup); err != nil {
			j.Close()
			return nil, fmt.Errorf("datastore: %w", err)
		} else if ok {
			root, errs := s.decodeStored(b)
			if len(errs) > 0 {
				j.Close()
				return nil, fmt.Errorf("datastore: startup: %w", errs)
			}
			s.startup = root
		}
	}
	boot := (fresh || opts.BootFromStartup) && explicit(s.startup)
	if errs := s.v.Validate(s.startup.Clone(), validate.Options{}); len(errs) > 0 && boot {
		s.log.Error("startup configuration does not validate", "errors", errs.Error())
		if !opts.AllowInvalid {
			s.Close()
			return nil, fmt.Errorf("%w: startup: %v", ErrInvalidStartup, errs)
		}
	}
	if errs := s.v.Validate(s.running, validate.Options{}); len(errs) > 0 {
		s.log.Error("running configuration does not validate", "errors", errs.Error())
		if !opts.AllowInvalid {
			s.Close()
			return nil, fmt.Errorf("%w: running: %v", ErrInvalidStartup, errs)
		}
	}
	if boot {
		if errs := s.copyInto(context.Background(), Who{}, Running, s.startup, "boot from startup"); len(errs) > 0 {
			s.Close()
			return nil, fmt.Errorf("%w: startup: %v", ErrInvalidStartup, errs)
		}
	}
	if err := s.recoverConfirm(); err != nil {
		s.Close()
		return nil, err
	}
	// The candidate shares running until it is edited.
	return s, nil
}

// Close closes the store; a pending confirmed commit stays pending on disk and is rolled back
// by the next Open.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	s.hmu.Lock()
	s.closing = true
	if s.stopProbe != nil {
		close(s.stopProbe)
	}
	s.hmu.Unlock()
	if s.confirm != nil && s.confirm.timer != nil {
		s.confirm.timer.Stop()
	}
	if s.j != nil {
		return s.j.Close()
	}
	return nil
}

// Schema returns the store's schema.
func (s *Store) Schema() *schema.Schema { return s.sch }

// Validator returns the store's validator.
func (s *Store) Validator() *validate.Validator { return s.v }

// Read calls fn with the root of datastore name (Running, Candidate or Startup) under a read
// lock: fn must not modify the tree nor keep it after returning. Default nodes are present,
// marked data.Node.Default.
func (s *Store) Read(name Name, fn func(root *data.Node)) error {
	return s.ReadVersion(name, func(root *data.Node, _ uint64) { fn(root) })
}

// ReadVersion is Read, with the store's version: a number that changes whenever any datastore
// may have changed (every write the store makes, and some that change nothing, count). Two
// reads that see the same version see the same trees, so a reader may keep what it derived
// from a tree (an encoded reply) for as long as the version stays.
func (s *Store) ReadVersion(name Name, fn func(root *data.Node, version uint64)) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return ErrClosed
	}
	root := s.tree(name)
	if root == nil {
		return fmt.Errorf("datastore: no datastore %q", name)
	}
	fn(root, s.mu.version)
	return nil
}

// versionedLock is the store's lock. The trees change only under its write lock, and each
// write lock counts a new version (ReadVersion), read under the read lock.
type versionedLock struct {
	sync.RWMutex
	version uint64
}

// Lock takes the write lock and counts a version.
func (l *versionedLock) Lock() {
	l.RWMutex.Lock()
	l.version++
}

// Modified reports whether the candidate holds changes not committed nor discarded.
func (s *Store) Modified() bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.dirty) > 0
}

func (s *Store) tree(name Name) *data.Node {
	switch name {
	case Running:
		return s.running
	case Candidate:
		if s.candidate == nil {
			return s.running
		}
		return s.candidate
	case Startup:
		return s.startup
	}
	return nil
}

// explicit reports whether root holds any node that is not a default.
func explicit(root *data.Node) bool {
	for _, c := range root.Children() {
		if !c.Default {
			return true
		}
	}
	return false
}

// decodeStored decodes configuration the store itself wrote.
func (s *Store) decodeStored(b []byte) (*data.Node, rpcerror.List) {
	if len(b) == 0 {
		return data.NewRoot(), nil
	}
	return yangxml.Unmarshal(b, s.sch, yangxml.DecodeOptions{AllowEmpty: true})
}

// encodeStored encodes the explicit configuration of root (defaults are recomputed on reading).
// The schema resolves the modules instance-identifier values name (a NACM rule's path), which
// need not be among the modules of root's nodes.
func (s *Store) encodeStored(root *data.Node) []byte {
	b, err := yangxml.Marshal(root, yangxml.EncodeOptions{SkipDefaults: true, Schema: s.sch})
	if err != nil {
		// Marshal fails only on trees the decoders cannot build.
		panic(fmt.Sprintf("datastore: encoding a datastore: %v", err))
	}
	return b
}

func unsupported(name Name) *rpcerror.Error {
	e := rpcerror.New(rpcerror.Protocol, rpcerror.TagInvalidValue, "datastore %q is not supported here", name)
	return e
}

func inUse(name Name, holder uint32) *rpcerror.Error {
	e := rpcerror.New(rpcerror.Protocol, rpcerror.TagInUse, "the %s datastore is locked by session %d", name, holder)
	e.Info = []rpcerror.Info{{Name: "session-id", Value: fmt.Sprint(holder)}}
	return e
}
