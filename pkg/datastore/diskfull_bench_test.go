package datastore_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ncws/ncws/internal/testfs"
	"github.com/ncws/ncws/pkg/datastore"
)

// BenchmarkEditNearFullDisk is a one-entry edit of running in a 30k-entry list, on a disk with
// room for the journal's records but not for a snapshot of the whole configuration (full), and
// on one with room (room). With snapshots retried after every commit, each commit near a full
// disk wrote the whole configuration before failing; with their backoff it costs what it costs
// with room. Needs root (a 16 MiB tmpfs); skipped otherwise.
func BenchmarkEditNearFullDisk(b *testing.B) {
	const entries = 30000
	for _, full := range []bool{false, true} {
		name := "room"
		if full {
			name = "full"
		}
		b.Run(name, func(b *testing.B) {
			mnt := testfs.Mount(b, "16m")
			st, err := datastore.Open(datastore.Options{Schema: loadSchema(b), Dir: filepath.Join(mnt, "store"), SnapshotEvery: 100, Logger: quietLogger()})
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			var load strings.Builder
			load.WriteString(`<store xmlns="urn:ncws:test:dstest">`)
			for i := range entries {
				fmt.Fprintf(&load, "<entry><id>%d</id><value>value-%d</value></entry>", i, i)
			}
			load.WriteString(`</store>`)
			ctx := context.Background()
			who := datastore.Who{User: "bench", Session: 1}
			if errs := st.Edit(ctx, who, datastore.Running, []byte(load.String()), datastore.EditOptions{}); len(errs) > 0 {
				b.Fatal(errs)
			}
			if full {
				// 1 MiB of room: some thousands of records, not a snapshot (about 1.4 MB).
				room := testfs.Reserve(b, mnt, "room", 1<<20)
				testfs.Fill(b, mnt, "filler")
				if err := os.Remove(room); err != nil {
					b.Fatal(err)
				}
			}
			i := 0
			for b.Loop() {
				i++
				e := fmt.Sprintf(`<store xmlns="urn:ncws:test:dstest"><entry><id>%d</id><value>changed-%d</value></entry></store>`, (i*7919)%entries, i)
				if errs := st.Edit(ctx, who, datastore.Running, []byte(e), datastore.EditOptions{}); len(errs) > 0 {
					b.Fatalf("commit %d: %v", i, errs)
				}
			}
		})
	}
}
