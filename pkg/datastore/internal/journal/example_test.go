package journal_test

import (
	"fmt"
	"log"
	"os"
	"time"

	"github.com/ncws/ncws/pkg/datastore/internal/journal"
)

func Example() {
	dir, err := os.MkdirTemp("", "journal-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	j, _, err := journal.Open(dir, journal.Options{})
	if err != nil {
		log.Fatal(err)
	}
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for id, change := range []string{"set mtu 1500", "set mtu 9000"} {
		// Append returns once the record is on disk: now the server may answer <ok/>.
		if err := j.Append(journal.Record{ID: uint64(id + 1), Time: at, User: "admin", Session: 7, Payload: []byte(change)}); err != nil {
			log.Fatal(err)
		}
	}
	if err := j.Compact([]byte("<mtu>9000</mtu>"), 2); err != nil {
		log.Fatal(err)
	}
	if err := j.Append(journal.Record{ID: 3, Time: at, User: "oper", Session: 8, Payload: []byte("set mtu 1400")}); err != nil {
		log.Fatal(err)
	}
	j.Close()

	// After a restart (or a crash): the snapshot, then the records after it.
	j, st, err := journal.Open(dir, journal.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer j.Close()
	fmt.Printf("snapshot %d: %s\n", st.SnapshotID, st.Snapshot)
	for _, r := range st.Records {
		fmt.Printf("replay %d by %s: %s\n", r.ID, r.User, r.Payload)
	}
	h, _ := j.History()
	fmt.Println("history:", len(h), "records")
	// Output:
	// snapshot 2: <mtu>9000</mtu>
	// replay 3 by oper: set mtu 1400
	// history: 3 records
}
