package journal

import (
	"testing"
	"time"
)

// BenchmarkAppend measures a durable 1 KB append: one pwrite and one fdatasync, so it shows
// the disk's sync latency rather than CPU time.
func BenchmarkAppend(b *testing.B) {
	j, _ := mustOpen(b, b.TempDir(), Options{})
	payload := make([]byte, 1024)
	for i := range payload {
		payload[i] = byte(i)
	}
	b.SetBytes(int64(len(payload)))
	b.ReportAllocs()
	id := uint64(0)
	now := time.Now()
	for b.Loop() {
		id++
		if err := j.Append(Record{ID: id, Time: now, User: "admin", Session: 1, Payload: payload}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpen measures recovery of a journal of 1,000 records of 1 KB.
func BenchmarkOpen(b *testing.B) {
	dir := b.TempDir()
	j, _ := mustOpen(b, dir, Options{})
	payload := make([]byte, 1024)
	for id := uint64(1); id <= 1000; id++ {
		mustAppend(b, j, Record{ID: id, Payload: payload})
	}
	j.Close()
	for b.Loop() {
		j, _, err := Open(dir, Options{})
		if err != nil {
			b.Fatal(err)
		}
		j.Close()
	}
}
