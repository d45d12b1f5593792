package journal

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"sync"
	"time"
)

// Errors returned by the journal. Test them with errors.Is.
var (
	// ErrLocked: another Journal (in this process or another) has the directory open.
	ErrLocked = errors.New("journal: directory is locked by another journal")
	// ErrCorrupt: stored data is damaged somewhere a crash cannot explain. The error also
	// names the file and offset (see CorruptError).
	ErrCorrupt = errors.New("journal: corrupt")
	// ErrClosed: the Journal was closed.
	ErrClosed = errors.New("journal: closed")
	// ErrOrder: a record or snapshot id is not above the ids already stored.
	ErrOrder = errors.New("journal: id out of order")
	// ErrTooLarge: a record exceeds MaxRecordSize.
	ErrTooLarge = errors.New("journal: record too large")
	// ErrBadName: a blob name is empty, too long or has characters outside [A-Za-z0-9_-].
	ErrBadName = errors.New("journal: bad blob name")
	// ErrFailed: an earlier write failed at a point where the files may no longer match the
	// Journal's view of them, and the repair that every later write (and Repair) attempts
	// first failed too. The error also wraps the write error and the repair's.
	ErrFailed = errors.New("journal: failed after a write error")
)

// CorruptError describes damage found in a file. It wraps ErrCorrupt.
type CorruptError struct {
	File   string // path of the damaged file
	Offset int64  // byte offset of the damage in File
	Reason string
}

// Error names the file, the offset and what is wrong there.
func (e *CorruptError) Error() string {
	return fmt.Sprintf("journal: corrupt: %s at offset %d: %s", e.File, e.Offset, e.Reason)
}

// Unwrap returns ErrCorrupt.
func (e *CorruptError) Unwrap() error { return ErrCorrupt }

// Options configures a Journal. The zero value means the defaults.
type Options struct {
	// KeepHistory is how many of the newest records History returns, counting records
	// already covered by a snapshot. Older records are deleted, one whole segment at a time,
	// when Compact finds them both covered and outside this window. 0 means 1000.
	KeepHistory int
	// CompactEvery is advice only: NeedCompact reports true once this many records were
	// appended since the last snapshot. 0 means 1000.
	CompactEvery int
}

// State is what Open recovered and what the caller must replay: Snapshot, then Records in order.
type State struct {
	Snapshot   []byte   // the newest snapshot's data; nil when none was ever written
	SnapshotID uint64   // id of the last record the snapshot covers; 0 when there is none
	Records    []Record // records with ID > SnapshotID, in id order
	Discarded  int      // bytes of a torn tail that recovery cut off; 0 normally
}

// LastID is the id the state ends at: the last record's, or SnapshotID when there are no records.
func (s *State) LastID() uint64 {
	if n := len(s.Records); n > 0 {
		return s.Records[n-1].ID
	}
	return s.SnapshotID
}

// Record is one commit. The journal stores Payload opaquely; Time is stored with nanosecond
// precision and read back in UTC; an empty Payload reads back as nil.
type Record struct {
	ID      uint64 // strictly increasing; never 0
	Time    time.Time
	User    string
	Session uint32
	Payload []byte
}

// Journal is an open journal directory. Its methods are safe for concurrent use; writes are
// serialized.
type Journal struct {
	dir  string
	opts Options
	lock *os.File

	mu       sync.Mutex
	closed   bool
	failed   error      // set once a write failed at an unrecoverable point
	segs     []*segment // in id order; the last one is active (appended to)
	index    []entry    // every record held by segs, in id order
	snapID   uint64
	lastID   uint64 // max(snapID, id of the last record)
	sinceSnp int    // records with ID > snapID
	buf      []byte
}

type segment struct {
	first uint64 // from the name: a lower bound of the ids it holds
	prev  uint64 // first id of the segment before it, from the header (0 for the first one)
	path  string
	f     *os.File
	size  int64 // bytes of valid data: the next frame goes here
	count int   // records held
	last  uint64
}

type entry struct {
	id   uint64
	seg  *segment
	off  int64
	size int // whole frame
}

const (
	defaultKeepHistory  = 1000
	defaultCompactEvery = 1000
	lockName            = "LOCK"
)

// Open opens the journal in dir, creating dir with mode 0700 if it is missing, takes an exclusive
// lock on it (ErrLocked when another Journal holds it, in this process or another), recovers and
// returns the state to replay. A torn tail of the last segment is truncated (State.Discarded);
// any other damage fails Open with an error wrapping ErrCorrupt.
func Open(dir string, opts Options) (*Journal, *State, error) {
	if opts.KeepHistory <= 0 {
		opts.KeepHistory = defaultKeepHistory
	}
	if opts.CompactEvery <= 0 {
		opts.CompactEvery = defaultCompactEvery
	}
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, nil, fmt.Errorf("journal: %w", err)
		}
		if err := syncDir(filepath.Dir(filepath.Clean(dir))); err != nil {
			return nil, nil, fmt.Errorf("journal: %w", err)
		}
	}
	lf, err := os.OpenFile(filepath.Join(dir, lockName), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("journal: %w", err)
	}
	if err := lockFile(lf); err != nil {
		lf.Close()
		if errors.Is(err, ErrLocked) {
			return nil, nil, fmt.Errorf("%w: %s", ErrLocked, dir)
		}
		return nil, nil, fmt.Errorf("journal: lock %s: %w", dir, err)
	}
	j := &Journal{dir: dir, opts: opts, lock: lf}
	st, err := j.recover()
	if err != nil {
		j.closeFiles()
		return nil, nil, err
	}
	return j, st, nil
}

func (j *Journal) path(name string) string { return filepath.Join(j.dir, name) }

func (j *Journal) corrupt(name string, off int64, format string, args ...any) error {
	return &CorruptError{File: j.path(name), Offset: off, Reason: fmt.Sprintf(format, args...)}
}

// recover reads the directory: it removes leftover temporary files and superseded snapshots,
// loads the newest snapshot, scans every segment and truncates a torn tail of the last one.
func (j *Journal) recover() (*State, error) {
	des, err := os.ReadDir(j.dir)
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	var snaps, segIDs []uint64
	dirty := false
	for _, de := range des {
		name := de.Name()
		if id, ok := parseName(name, "snap-", ".snap"); ok {
			snaps = append(snaps, id)
		} else if id, ok := parseName(name, "wal-", ".log"); ok {
			segIDs = append(segIDs, id)
		} else if isTemp(name) {
			// A crash interrupted Compact or Put before the rename: the old file is intact.
			if err := os.Remove(j.path(name)); err != nil {
				return nil, fmt.Errorf("journal: %w", err)
			}
			dirty = true
		}
	}
	slices.Sort(snaps)
	slices.Sort(segIDs)

	st := &State{}
	if n := len(snaps); n > 0 {
		id := snaps[n-1]
		name := snapName(id)
		b, err := os.ReadFile(j.path(name))
		if err != nil {
			return nil, fmt.Errorf("journal: %w", err)
		}
		hid, data, reason := decodeSnapshot(b)
		if reason == "" && hid != id {
			reason = fmt.Sprintf("snapshot header holds id %d", hid)
		}
		if reason != "" {
			return nil, j.corrupt(name, 0, "%s", reason)
		}
		st.Snapshot, st.SnapshotID = data, id
		// Compact removes older snapshots after installing a new one; a crash can leave them.
		for _, old := range snaps[:n-1] {
			if err := os.Remove(j.path(snapName(old))); err != nil {
				return nil, fmt.Errorf("journal: %w", err)
			}
			dirty = true
		}
	}
	j.snapID, j.lastID = st.SnapshotID, st.SnapshotID

	for i, first := range segIDs {
		name := segName(first)
		if st.SnapshotID < math.MaxUint64 && first > st.SnapshotID+1 {
			return nil, j.corrupt(name, 0, "segment begins after id %d, the last one the snapshot covers: records are missing", st.SnapshotID)
		}
		last := i == len(segIDs)-1
		flag := os.O_RDONLY
		if last {
			flag = os.O_RDWR
		}
		f, err := os.OpenFile(j.path(name), flag, 0)
		if err != nil {
			return nil, fmt.Errorf("journal: %w", err)
		}
		seg := &segment{first: first, path: j.path(name), f: f}
		j.segs = append(j.segs, seg)
		var upper uint64 // exclusive bound of ids in seg
		if !last {
			upper = segIDs[i+1]
		}
		if err := j.loadSegment(seg, name, last, upper, st); err != nil {
			return nil, err
		}
		if i > 0 && seg.prev != segIDs[i-1] {
			return nil, j.corrupt(name, 24, "segment follows %016x, the previous file is %016x: a segment is missing", seg.prev, segIDs[i-1])
		}
	}
	if len(j.segs) == 0 {
		if j.snapID == math.MaxUint64 {
			return nil, j.corrupt(snapName(j.snapID), 0, "snapshot id leaves no room for records")
		}
		seg, err := j.createSegment(j.snapID+1, 0)
		if err != nil {
			return nil, err
		}
		j.segs = append(j.segs, seg)
		dirty = false // createSegment synced the directory
	}
	if dirty {
		if err := syncDir(j.dir); err != nil {
			return nil, fmt.Errorf("journal: %w", err)
		}
	}
	return st, nil
}

// loadSegment scans one segment, appending its records to the index (and those after the
// snapshot to st.Records).
func (j *Journal) loadSegment(seg *segment, name string, last bool, upper uint64, st *State) error {
	data, err := io.ReadAll(seg.f)
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	first, prev, reason := decodeSegHeader(data)
	if reason != "" {
		if last && len(data) <= segHeaderSize {
			// A crash interrupted the segment's creation: nothing was ever appended to it.
			st.Discarded += len(data)
			return j.rewriteHeader(seg)
		}
		return j.corrupt(name, 0, "%s", reason)
	}
	if first != seg.first {
		return j.corrupt(name, 16, "segment header holds first id %016x", first)
	}
	seg.prev = prev
	off := segHeaderSize
	for off < len(data) {
		body, n, ferr := parseFrame(data[off:])
		if ferr != nil {
			if !last {
				return j.corrupt(name, int64(off), "%s", ferr.reason)
			}
			if p, ok := findFrame(data, off+1); ok {
				return j.corrupt(name, int64(off), "%s, followed by a valid record at offset %d", ferr.reason, p)
			}
			// The tail is the one record a crash interrupted: it was never acknowledged.
			st.Discarded += len(data) - off
			if err := seg.f.Truncate(int64(off)); err != nil {
				return fmt.Errorf("journal: %w", err)
			}
			if err := datasync(seg.f); err != nil {
				return fmt.Errorf("journal: %w", err)
			}
			break
		}
		r, err := decodeBody(body, false)
		if err != nil {
			return j.corrupt(name, int64(off), "%v", err)
		}
		switch {
		case len(j.index) > 0 && r.ID <= j.index[len(j.index)-1].id:
			return j.corrupt(name, int64(off), "record id %d does not follow id %d", r.ID, j.index[len(j.index)-1].id)
		case r.ID < seg.first || (upper != 0 && r.ID >= upper):
			return j.corrupt(name, int64(off), "record id %d outside the segment's range", r.ID)
		}
		if r.ID > j.snapID {
			r, _ = decodeBody(body, true)
			st.Records = append(st.Records, r)
			j.sinceSnp++
		}
		j.index = append(j.index, entry{id: r.ID, seg: seg, off: int64(off), size: n})
		j.lastID = max(j.lastID, r.ID)
		seg.count++
		seg.last = r.ID
		off += n
	}
	seg.size = int64(off)
	return nil
}

// findFrame reports whether a valid frame starts anywhere at or after from: evidence that damage
// before it is not a torn tail. Most offsets fail the length check at once, so this is linear in
// practice.
func findFrame(data []byte, from int) (int, bool) {
	for p := from; p+frameHeaderSize+minBodySize <= len(data); p++ {
		if _, _, ferr := parseFrame(data[p:]); ferr == nil {
			return p, true
		}
	}
	return 0, false
}

func (j *Journal) rewriteHeader(seg *segment) error {
	var prev uint64
	if n := len(j.segs); n > 1 {
		prev = j.segs[n-2].first
	}
	seg.prev = prev
	if err := seg.f.Truncate(0); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	if _, err := seg.f.WriteAt(encodeSegHeader(seg.first, prev), 0); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	if err := datasync(seg.f); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	seg.size = segHeaderSize
	return nil
}

// createSegment creates and syncs a new, empty segment (and the directory entry).
func (j *Journal) createSegment(first, prev uint64) (*segment, error) {
	p := j.path(segName(first))
	f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	seg := &segment{first: first, prev: prev, path: p, f: f, size: segHeaderSize}
	_, err = f.WriteAt(encodeSegHeader(first, prev), 0)
	if err == nil {
		err = datasync(f)
	}
	if err == nil {
		err = syncDir(j.dir)
	}
	if err != nil {
		f.Close()
		os.Remove(p) // best effort; a torn header left behind is recovered by Open
		return nil, fmt.Errorf("journal: %w", err)
	}
	return seg, nil
}

// usable reports whether the journal may be written, repairing it first after a failed write.
func (j *Journal) usable() error {
	if j.closed {
		return ErrClosed
	}
	if j.failed != nil {
		if err := j.repair(); err != nil {
			return fmt.Errorf("%w: %w (repair: %w)", ErrFailed, j.failed, err)
		}
		j.failed = nil
	}
	return nil
}

// Repair brings a journal whose last write failed back to the files' last good state, as the
// next Append or Compact would do before writing: it is for callers that want to know whether
// the journal is writable again (a health probe) without writing a record. It returns nil at
// once when no write failed, and an error wrapping ErrFailed while the repair fails.
func (j *Journal) Repair() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.usable()
}

// Failed returns the error of the failed write the journal has not yet repaired, nil when it is
// usable.
func (j *Journal) Failed() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.failed
}

// repair makes the directory match the Journal's view again after a failed write, which left
// the journal as it was before the write in memory but perhaps not on disk: it removes what the
// failed write may have left behind (a snapshot installed without a durable directory entry, a
// segment whose creation failed, temporary files), reopens the active segment, cuts it back to
// its last good record, fdatasyncs it and reads that record back. The page cache is not
// trusted after a failed fdatasync, which is why the file is reopened and cut rather than
// written over. j.mu is held.
func (j *Journal) repair() error {
	known := map[string]bool{}
	for _, seg := range j.segs {
		known[filepath.Base(seg.path)] = true
	}
	des, err := os.ReadDir(j.dir)
	if err != nil {
		return err
	}
	for _, de := range des {
		name := de.Name()
		stray := isTemp(name)
		if _, ok := parseName(name, "wal-", ".log"); ok && !known[name] {
			stray = true
		}
		if id, ok := parseName(name, "snap-", ".snap"); ok && id != j.snapID {
			stray = true
		}
		if stray {
			if err := os.Remove(j.path(name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
		}
	}
	seg := j.segs[len(j.segs)-1]
	f, err := os.OpenFile(seg.path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	ok := false
	defer func() {
		if !ok {
			f.Close()
		}
	}()
	if err := f.Truncate(seg.size); err != nil {
		return err
	}
	if err := datasync(f); err != nil {
		return err
	}
	if fi, err := f.Stat(); err != nil {
		return err
	} else if fi.Size() != seg.size {
		return fmt.Errorf("%s holds %d bytes after truncation to %d", seg.path, fi.Size(), seg.size)
	}
	if err := syncDir(j.dir); err != nil {
		return err
	}
	ok = true
	seg.f.Close() // its error was the failure's, or is of no interest now
	seg.f = f
	if n := len(j.index); n > 0 && j.index[n-1].seg == seg {
		if _, err := j.read(j.index[n-1]); err != nil {
			return err
		}
	} else if _, err := f.ReadAt(make([]byte, segHeaderSize), 0); err != nil {
		return err
	}
	return nil
}

// Append stores r and returns once it is durable (written and fdatasynced). r.ID must be
// above every id appended or covered by a snapshot (ErrOrder otherwise). Append writes the one
// record and nothing else. If the write or the sync fails, the record is cut off again when
// possible and the error returned; the next write (Append, Compact, Repair) first repairs the
// journal (see Repair) and fails with ErrFailed while it cannot, so a journal on a full disk
// works again once space is freed, without a restart.
func (j *Journal) Append(r Record) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if err := j.usable(); err != nil {
		return err
	}
	if r.ID <= j.lastID {
		return fmt.Errorf("%w: record %d after id %d", ErrOrder, r.ID, j.lastID)
	}
	// A large payload is written after the frame's head, from where it is, not copied into
	// one buffer with it: both writes are made durable by the one datasync below, and a crash
	// between them leaves a torn frame, as a crash inside one write does.
	split := len(r.Payload) > splitPayload
	var buf []byte
	var err error
	if split {
		buf, err = appendFrameHead(j.buf[:0], &r)
	} else {
		buf, err = appendFrame(j.buf[:0], &r)
	}
	if err != nil {
		return err
	}
	if cap(buf) <= 1<<20 {
		j.buf = buf
	}
	seg := j.segs[len(j.segs)-1]
	size := len(buf)
	_, err = seg.f.WriteAt(buf, seg.size)
	if err == nil && split {
		_, err = seg.f.WriteAt(r.Payload, seg.size+int64(size))
		size += len(r.Payload)
	}
	if err == nil {
		err = datasync(seg.f)
	}
	if err != nil {
		// After a failed fdatasync the page cache cannot be trusted; cut the record off and stop.
		if terr := seg.f.Truncate(seg.size); terr == nil {
			_ = datasync(seg.f)
		}
		j.failed = err
		return fmt.Errorf("journal: append record %d: %w", r.ID, err)
	}
	j.index = append(j.index, entry{id: r.ID, seg: seg, off: seg.size, size: size})
	seg.size += int64(size)
	seg.count++
	seg.last = r.ID
	j.lastID = r.ID
	j.sinceSnp++
	return nil
}

// NeedCompact reports whether Options.CompactEvery records were appended since the last snapshot.
func (j *Journal) NeedCompact() bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.sinceSnp >= j.opts.CompactEvery
}

// LastID returns the id of the last record appended, or the snapshot's id when it is higher.
func (j *Journal) LastID() uint64 {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.lastID
}

// Compact atomically installs snapshot as the state after record id: a later Open returns it
// and only the records after id. id must be at least the last id appended (ErrOrder otherwise).
// Compact then starts a new segment and deletes what neither recovery nor History needs:
// older snapshots and whole segments whose records are all covered and older than the
// KeepHistory window. Its cost is that of writing the snapshot.
func (j *Journal) Compact(snapshot []byte, id uint64) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if err := j.usable(); err != nil {
		return err
	}
	if id < j.lastID || id == 0 || id == math.MaxUint64 {
		return fmt.Errorf("%w: snapshot %d, last id %d", ErrOrder, id, j.lastID)
	}
	name := snapName(id)
	if renamed, err := j.writeAtomic(name, encodeSnapHeader(id, snapshot), snapshot); err != nil {
		if renamed {
			j.failed = err
		}
		return err
	}
	oldSnap := j.snapID
	j.snapID, j.lastID, j.sinceSnp = id, id, 0

	// New records go to a new segment so that this one can be deleted once History lets go of it.
	if act := j.segs[len(j.segs)-1]; act.count > 0 {
		seg, err := j.createSegment(id+1, act.first)
		if err != nil {
			j.failed = err
			return err
		}
		// The old segment is only read from now on; keep its read-write handle.
		j.segs = append(j.segs, seg)
	}

	var errs []error
	removed := false
	if oldSnap != 0 && oldSnap != id {
		if err := os.Remove(j.path(snapName(oldSnap))); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
		removed = true
	}
	var window uint64 // ids below it are outside the History window
	if n := len(j.index); n > j.opts.KeepHistory {
		window = j.index[n-j.opts.KeepHistory].id
	}
	drop := 0
	for _, seg := range j.segs[:len(j.segs)-1] {
		if seg.count > 0 && (seg.last > j.snapID || seg.last >= window) {
			break
		}
		if err := seg.f.Close(); err != nil {
			errs = append(errs, err)
		}
		if err := os.Remove(seg.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
			break
		}
		removed = true
		drop++
	}
	if drop > 0 {
		ndrop := 0
		for ndrop < len(j.index) && j.index[ndrop].seg.first < j.segs[drop].first {
			ndrop++
		}
		j.index = slices.Clone(j.index[ndrop:])
		j.segs = slices.Clone(j.segs[drop:])
	}
	if removed {
		if err := syncDir(j.dir); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("journal: snapshot %d installed, cleanup failed: %w", id, err)
	}
	return nil
}

// writeAtomic replaces the file name with the concatenation of parts: a temporary file, fsync,
// rename, directory fsync. renamed reports whether the rename happened (so name may hold
// the new content even though err is not nil).
func (j *Journal) writeAtomic(name string, parts ...[]byte) (renamed bool, err error) {
	tmp := j.path(tempName(name))
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return false, fmt.Errorf("journal: %w", err)
	}
	for _, p := range parts {
		if _, err = f.Write(p); err != nil {
			break
		}
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, j.path(name))
	}
	if err != nil {
		os.Remove(tmp)
		return false, fmt.Errorf("journal: write %s: %w", name, err)
	}
	if err := syncDir(j.dir); err != nil {
		return true, fmt.Errorf("journal: write %s: %w", name, err)
	}
	return true, nil
}

// History returns up to Options.KeepHistory of the newest records, oldest first, including
// records a snapshot already covers.
func (j *Journal) History() ([]Record, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.closed {
		return nil, ErrClosed
	}
	es := j.index
	if len(es) > j.opts.KeepHistory {
		es = es[len(es)-j.opts.KeepHistory:]
	}
	out := make([]Record, 0, len(es))
	for _, e := range es {
		r, err := j.read(e)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// Get returns the record with the given id if the journal still holds it (see History).
func (j *Journal) Get(id uint64) (Record, bool, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.closed {
		return Record{}, false, ErrClosed
	}
	i := sort.Search(len(j.index), func(i int) bool { return j.index[i].id >= id })
	if i == len(j.index) || j.index[i].id != id {
		return Record{}, false, nil
	}
	r, err := j.read(j.index[i])
	return r, err == nil, err
}

// read reads and checks the record at e.
func (j *Journal) read(e entry) (Record, error) {
	b := make([]byte, e.size)
	if _, err := e.seg.f.ReadAt(b, e.off); err != nil {
		return Record{}, fmt.Errorf("journal: %w", err)
	}
	name := filepath.Base(e.seg.path)
	body, n, ferr := parseFrame(b)
	if ferr != nil || n != e.size {
		reason := "record changed on disk"
		if ferr != nil {
			reason = ferr.reason
		}
		return Record{}, j.corrupt(name, e.off, "%s", reason)
	}
	r, err := decodeBody(body, true)
	if err == nil && r.ID != e.id {
		err = fmt.Errorf("record id %d, expected %d", r.ID, e.id)
	}
	if err != nil {
		return Record{}, j.corrupt(name, e.off, "%v", err)
	}
	return r, nil
}

// Close releases the files and the lock. Closing twice is not an error.
func (j *Journal) Close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.closed {
		return nil
	}
	j.closed = true
	return j.closeFiles()
}

func (j *Journal) closeFiles() error {
	var errs []error
	for _, s := range j.segs {
		errs = append(errs, s.f.Close())
	}
	j.segs, j.index = nil, nil
	unlockFile(j.lock)
	errs = append(errs, j.lock.Close())
	return errors.Join(errs...)
}
