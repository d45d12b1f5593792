package journal

import (
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// copyDir copies a closed journal directory (without its lock file) to a new temporary directory.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	des, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, de := range des {
		if de.Name() == lockName {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, de.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, de.Name()), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

func fileSize(t *testing.T, p string) int64 {
	t.Helper()
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// offsets appends rs and returns the offset in the active segment each one was written at, and
// the segment's size after the last.
func offsets(t *testing.T, j *Journal, seg string, rs ...Record) []int64 {
	t.Helper()
	var offs []int64
	for _, r := range rs {
		offs = append(offs, fileSize(t, seg))
		mustAppend(t, j, r)
	}
	return append(offs, fileSize(t, seg))
}

// TestTornTail cuts the last segment at every byte offset inside its last frame (or header): Open
// must recover exactly the records before it, report the cut bytes, and accept the record again.
func TestTornTail(t *testing.T) {
	type built struct {
		seg        string  // file name of the segment to cut
		start, end int64   // the frame (or header) the cut falls in
		want       State   // the recovered state, without Discarded
		next       Record  // appended after recovery
		cuts       []int64 // the cuts to try when not every offset in [start, end)
	}
	tests := []struct {
		name  string
		build func(t *testing.T, dir string) built
	}{
		{"last record of the only segment", func(t *testing.T, dir string) built {
			j, _ := mustOpen(t, dir, Options{})
			seg := filepath.Join(dir, segName(1))
			offs := offsets(t, j, seg, records(1, 3, 300)...)
			j.Close()
			return built{segName(1), offs[2], offs[3], State{Records: records(1, 2, 300)}, recordFor(3, 300), nil}
		}},
		{"first record after a compaction", func(t *testing.T, dir string) built {
			j, _ := mustOpen(t, dir, Options{})
			mustAppend(t, j, records(1, 3, 300)...)
			if err := j.Compact(snapshotFor(3), 3); err != nil {
				t.Fatal(err)
			}
			seg := filepath.Join(dir, segName(4))
			offs := offsets(t, j, seg, recordFor(4, 200))
			j.Close()
			return built{segName(4), offs[0], offs[1], State{Snapshot: snapshotFor(3), SnapshotID: 3}, recordFor(4, 200), nil}
		}},
		{"a record whose payload is written apart from its head", func(t *testing.T, dir string) built {
			j, _ := mustOpen(t, dir, Options{})
			seg := filepath.Join(dir, segName(1))
			big := recordFor(3, 10)
			big.Payload = []byte(strings.Repeat("<big/>", 3*splitPayload/6))
			offs := offsets(t, j, seg, recordFor(1, 300), recordFor(2, 300), big)
			j.Close()
			start, end := offs[2], offs[3]
			head := end - int64(len(big.Payload))
			return built{segName(1), start, end, State{Records: []Record{recordFor(1, 300), recordFor(2, 300)}}, big,
				[]int64{start, start + 1, start + frameHeaderSize + 2, head - 1, head, head + 1, (head + end) / 2, end - 1}}
		}},
		{"header of the segment a compaction created", func(t *testing.T, dir string) built {
			j, _ := mustOpen(t, dir, Options{})
			mustAppend(t, j, records(1, 3, 300)...)
			if err := j.Compact(snapshotFor(3), 3); err != nil {
				t.Fatal(err)
			}
			j.Close()
			return built{segName(4), 0, segHeaderSize, State{Snapshot: snapshotFor(3), SnapshotID: 3}, recordFor(4, 200), nil}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			orig := t.TempDir()
			b := tt.build(t, orig)
			cuts := b.cuts
			if cuts == nil {
				for cut := b.start; cut < b.end; cut++ {
					cuts = append(cuts, cut)
				}
			}
			for _, cut := range cuts {
				dir := copyDir(t, orig)
				if err := os.Truncate(filepath.Join(dir, b.seg), cut); err != nil {
					t.Fatal(err)
				}
				j, st, err := Open(dir, Options{})
				if err != nil {
					t.Fatalf("cut at %d: Open: %v", cut, err)
				}
				want := b.want
				want.Discarded = int(cut - b.start)
				if diff := cmp.Diff(&want, st, byteSlices); diff != "" {
					t.Fatalf("cut at %d: state mismatch (-want +got):\n%s", cut, diff)
				}
				mustAppend(t, j, b.next)
				j.Close()
				j, st, err = Open(dir, Options{})
				if err != nil {
					t.Fatalf("cut at %d: reopen: %v", cut, err)
				}
				want.Records = append(append([]Record(nil), b.want.Records...), b.next)
				want.Discarded = 0
				if diff := cmp.Diff(&want, st, byteSlices); diff != "" {
					t.Fatalf("cut at %d: state after re-append mismatch (-want +got):\n%s", cut, diff)
				}
				j.Close()
			}
		})
	}
}

// TestTornTailGarbage: what a crash can leave after the last good record (zeros from a size
// update without data, or stale bytes) is cut off.
func TestTornTailGarbage(t *testing.T) {
	garbage := payloadFor(12345, 5000)
	tests := []struct {
		name string
		tail []byte
	}{
		{"zeros", make([]byte, 4096)},
		{"random bytes", garbage},
		{"a frame header claiming more than follows", []byte{100, 0, 0, 0, 1, 2, 3, 4, 5, 6}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			j, _ := mustOpen(t, dir, Options{})
			mustAppend(t, j, records(1, 3, 300)...)
			j.Close()
			f, err := os.OpenFile(filepath.Join(dir, segName(1)), os.O_WRONLY|os.O_APPEND, 0)
			if err != nil {
				t.Fatal(err)
			}
			f.Write(tt.tail)
			f.Close()
			_, st := mustOpen(t, dir, Options{})
			want := &State{Records: records(1, 3, 300), Discarded: len(tt.tail)}
			if diff := cmp.Diff(want, st, byteSlices); diff != "" {
				t.Errorf("state mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCorrupt: damage a crash cannot explain fails Open with ErrCorrupt naming the file and offset.
func TestCorrupt(t *testing.T) {
	// One segment with records 1..5 at offs[0..4].
	oneSegment := func(t *testing.T, dir string) []int64 {
		j, _ := mustOpen(t, dir, Options{})
		offs := offsets(t, j, filepath.Join(dir, segName(1)), records(1, 5, 300)...)
		j.Close()
		return offs
	}
	// wal-1 (1..3), snapshot 3, wal-4 (4..5), snapshot 5, wal-6 (6); offs are wal-1's.
	threeSegments := func(t *testing.T, dir string) []int64 {
		j, _ := mustOpen(t, dir, Options{})
		offs := offsets(t, j, filepath.Join(dir, segName(1)), records(1, 3, 300)...)
		if err := j.Compact(snapshotFor(3), 3); err != nil {
			t.Fatal(err)
		}
		mustAppend(t, j, records(4, 5, 300)...)
		if err := j.Compact(snapshotFor(5), 5); err != nil {
			t.Fatal(err)
		}
		mustAppend(t, j, recordFor(6, 300))
		j.Close()
		return offs
	}
	modify := func(t *testing.T, p string, f func(b []byte) []byte) {
		t.Helper()
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f(b), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name       string
		build      func(t *testing.T, dir string) []int64
		damage     func(t *testing.T, dir string, offs []int64)
		wantFile   string
		wantOffset func(offs []int64) int64
	}{
		{"payload byte of a middle record", oneSegment, func(t *testing.T, dir string, offs []int64) {
			modify(t, filepath.Join(dir, segName(1)), func(b []byte) []byte { b[offs[2]+20] ^= 1; return b })
		}, segName(1), func(offs []int64) int64 { return offs[2] }},
		{"checksum of a middle record", oneSegment, func(t *testing.T, dir string, offs []int64) {
			modify(t, filepath.Join(dir, segName(1)), func(b []byte) []byte { b[offs[1]+5] ^= 0x80; return b })
		}, segName(1), func(offs []int64) int64 { return offs[1] }},
		{"length of a middle record zeroed", oneSegment, func(t *testing.T, dir string, offs []int64) {
			modify(t, filepath.Join(dir, segName(1)), func(b []byte) []byte { copy(b[offs[3]:], []byte{0, 0, 0, 0}); return b })
		}, segName(1), func(offs []int64) int64 { return offs[3] }},
		{"length of the first record huge", oneSegment, func(t *testing.T, dir string, offs []int64) {
			modify(t, filepath.Join(dir, segName(1)), func(b []byte) []byte { b[offs[0]+3] = 0xff; return b })
		}, segName(1), func(offs []int64) int64 { return offs[0] }},
		{"segment header", oneSegment, func(t *testing.T, dir string, offs []int64) {
			modify(t, filepath.Join(dir, segName(1)), func(b []byte) []byte { b[17] ^= 1; return b })
		}, segName(1), func([]int64) int64 { return 0 }},
		{"last record of an older segment", threeSegments, func(t *testing.T, dir string, offs []int64) {
			modify(t, filepath.Join(dir, segName(1)), func(b []byte) []byte { b[offs[3]-1] ^= 1; return b })
		}, segName(1), func(offs []int64) int64 { return offs[2] }},
		{"older segment truncated", threeSegments, func(t *testing.T, dir string, offs []int64) {
			modify(t, filepath.Join(dir, segName(4)), func(b []byte) []byte { return b[:len(b)-1] })
		}, segName(4), nil},
		{"older segment header", threeSegments, func(t *testing.T, dir string, offs []int64) {
			modify(t, filepath.Join(dir, segName(4)), func(b []byte) []byte { b[0] = 'X'; return b })
		}, segName(4), func([]int64) int64 { return 0 }},
		{"middle segment missing", threeSegments, func(t *testing.T, dir string, offs []int64) {
			os.Remove(filepath.Join(dir, segName(4)))
		}, segName(6), func([]int64) int64 { return 24 }},
		{"snapshot byte", threeSegments, func(t *testing.T, dir string, offs []int64) {
			modify(t, filepath.Join(dir, snapName(5)), func(b []byte) []byte { b[len(b)-1] ^= 1; return b })
		}, snapName(5), func([]int64) int64 { return 0 }},
		{"snapshot truncated", threeSegments, func(t *testing.T, dir string, offs []int64) {
			modify(t, filepath.Join(dir, snapName(5)), func(b []byte) []byte { return b[:len(b)-1] })
		}, snapName(5), func([]int64) int64 { return 0 }},
		{"snapshot missing", threeSegments, func(t *testing.T, dir string, offs []int64) {
			os.Remove(filepath.Join(dir, snapName(5)))
			os.Remove(filepath.Join(dir, segName(1)))
		}, segName(4), func([]int64) int64 { return 0 }},
		{"record ids out of order", func(t *testing.T, dir string) []int64 {
			b := encodeSegHeader(1, 0)
			for _, id := range []uint64{2, 1} {
				r := recordFor(id, 10)
				b, _ = appendFrame(b, &r)
			}
			os.WriteFile(filepath.Join(dir, segName(1)), b, 0o600)
			return nil
		}, func(*testing.T, string, []int64) {}, segName(1), nil},
		{"record id below the segment's first id", func(t *testing.T, dir string) []int64 {
			r := recordFor(3, 10)
			b, _ := appendFrame(encodeSegHeader(5, 0), &r)
			os.WriteFile(filepath.Join(dir, segName(5)), b, 0o600)
			os.WriteFile(filepath.Join(dir, snapName(4)), encodeSnapHeader(4, nil), 0o600)
			return nil
		}, func(*testing.T, string, []int64) {}, segName(5), func([]int64) int64 { return segHeaderSize }},
		{"valid checksum over a bad body", func(t *testing.T, dir string) []int64 {
			b := encodeSegHeader(1, 0)
			body := []byte{0, 0, 0, 0, 0} // id 0
			frame := make([]byte, 8)
			binary.LittleEndian.PutUint32(frame, uint32(len(body)))
			binary.LittleEndian.PutUint32(frame[4:], crc(append(frame[:4:4], body...)))
			b = append(append(b, frame...), body...)
			os.WriteFile(filepath.Join(dir, segName(1)), b, 0o600)
			return nil
		}, func(*testing.T, string, []int64) {}, segName(1), func([]int64) int64 { return segHeaderSize }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			offs := tt.build(t, dir)
			tt.damage(t, dir, offs)
			j, _, err := Open(dir, Options{})
			if err == nil {
				j.Close()
				t.Fatalf("Open succeeded, want an error wrapping ErrCorrupt")
			}
			var ce *CorruptError
			if !errors.Is(err, ErrCorrupt) || !errors.As(err, &ce) {
				t.Fatalf("Open = %v, want a CorruptError", err)
			}
			if got, want := filepath.Base(ce.File), tt.wantFile; got != want {
				t.Errorf("CorruptError.File = %s, want %s (%v)", got, want, err)
			}
			if tt.wantOffset != nil {
				if got, want := ce.Offset, tt.wantOffset(offs); got != want {
					t.Errorf("CorruptError.Offset = %d, want %d (%v)", got, want, err)
				}
			}
		})
	}
}

// TestDamagedLastRecord: the last record of the last segment is the one a crash can tear, so
// damage there is recovered as a torn tail, and reported.
func TestDamagedLastRecord(t *testing.T) {
	dir := t.TempDir()
	j, _ := mustOpen(t, dir, Options{})
	seg := filepath.Join(dir, segName(1))
	offs := offsets(t, j, seg, records(1, 5, 300)...)
	j.Close()
	b, _ := os.ReadFile(seg)
	b[offs[4]+30] ^= 1
	os.WriteFile(seg, b, 0o600)
	_, st := mustOpen(t, dir, Options{})
	want := &State{Records: records(1, 4, 300), Discarded: int(offs[5] - offs[4])}
	if diff := cmp.Diff(want, st, byteSlices); diff != "" {
		t.Errorf("state mismatch (-want +got):\n%s", diff)
	}
}

// TestLeftovers: files a crash leaves during Compact (a temporary snapshot, the superseded
// snapshot) are removed by Open and do not change the state.
func TestLeftovers(t *testing.T) {
	dir := t.TempDir()
	j, _ := mustOpen(t, dir, Options{})
	mustAppend(t, j, records(1, 4, 100)...)
	if err := j.Compact(snapshotFor(4), 4); err != nil {
		t.Fatal(err)
	}
	j.Close()
	os.WriteFile(filepath.Join(dir, snapName(2)), append(encodeSnapHeader(2, []byte("old")), "old"...), 0o600)
	os.WriteFile(filepath.Join(dir, snapName(9)+".tmp"), []byte("partial"), 0o600)
	_, st := mustOpen(t, dir, Options{})
	want := &State{Snapshot: snapshotFor(4), SnapshotID: 4}
	if diff := cmp.Diff(want, st, byteSlices); diff != "" {
		t.Errorf("state mismatch (-want +got):\n%s", diff)
	}
	if got := listFiles(t, dir, "snap-"); !cmp.Equal(got, []string{snapName(4)}) {
		t.Errorf("snapshot files = %v, want [%s]", got, snapName(4))
	}
}
