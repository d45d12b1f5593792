package journal

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzRecover feeds arbitrary bytes to Open as the only segment. Open must not panic; when it
// succeeds, the records it returns are in order, recovery is idempotent (a second Open returns
// the same records and discards nothing), and the journal accepts the next record.
func FuzzRecover(f *testing.F) {
	valid := encodeSegHeader(1, 0)
	for id := uint64(1); id <= 3; id++ {
		r := recordFor(id, 200)
		valid, _ = appendFrame(valid, &r)
	}
	f.Add(valid)
	f.Add(valid[:len(valid)-7])
	f.Add(valid[:segHeaderSize+3])
	f.Add(valid[:segHeaderSize])
	f.Add(valid[:10])
	f.Add([]byte{})
	f.Add(append(append([]byte(nil), valid...), make([]byte, 64)...))
	damaged := append([]byte(nil), valid...)
	damaged[segHeaderSize+20] ^= 1
	f.Add(damaged)

	f.Fuzz(func(t *testing.T, seg []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, segName(1)), seg, 0o600); err != nil {
			t.Fatal(err)
		}
		j, st, err := Open(dir, Options{})
		if err != nil {
			return
		}
		for i := 1; i < len(st.Records); i++ {
			if st.Records[i].ID <= st.Records[i-1].ID {
				t.Fatalf("records out of order: %d after %d", st.Records[i].ID, st.Records[i-1].ID)
			}
		}
		if st.Discarded < 0 || st.Discarded > len(seg) {
			t.Fatalf("Discarded = %d of a %d-byte file", st.Discarded, len(seg))
		}
		j.Close()
		j, st2, err := Open(dir, Options{})
		if err != nil {
			t.Fatalf("second Open: %v", err)
		}
		defer j.Close()
		want := *st
		want.Discarded = 0
		if diff := cmp.Diff(&want, st2, byteSlices); diff != "" {
			t.Fatalf("second Open mismatch (-want +got):\n%s", diff)
		}
		if next := st.LastID() + 1; next > st.LastID() {
			if err := j.Append(Record{ID: next, Payload: []byte("next")}); err != nil {
				t.Fatalf("Append after recovery: %v", err)
			}
		}
	})
}
