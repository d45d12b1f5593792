package server_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/server"
)

// TestLockedTime: ietf-netconf-monitoring's locked-time is when the lock was taken (RFC 6022
// section 2.1.3), for a global lock and a partial lock, however much later it is read.
func TestLockedTime(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	st, err := datastore.Open(datastore.Options{Schema: exampleSchema(t, false), Now: func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return now
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	later := func(d time.Duration) {
		mu.Lock()
		now = now.Add(d)
		mu.Unlock()
	}
	srv := &server.Server{Store: st}
	c := dial(t, srv)
	const nc = `xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"`
	rpc := func(id, op string) string {
		return roundTrip(t, c, `<rpc message-id="`+id+`" `+nc+`>`+op+`</rpc>`)
	}
	locks := func(id string) string {
		return rpc(id, `<get><filter><netconf-state xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring"><datastores/></netconf-state></filter></get>`)
	}
	if r := rpc("1", `<lock><target><candidate/></target></lock>`); !strings.Contains(r, "<ok/>") {
		t.Fatalf("lock: %s", r)
	}
	later(time.Hour)
	if r := locks("2"); !strings.Contains(r, "<locked-time>2026-03-04T05:06:07Z</locked-time>") {
		t.Errorf("global lock taken at 05:06:07, read an hour later: %s", r)
	}
	if r := rpc("3", `<edit-config><target><running/></target><config><system xmlns="urn:ncws:yang:ncws-example"><hostname>h</hostname></system></config></edit-config>`); !strings.Contains(r, "<ok/>") {
		t.Fatalf("edit: %s", r)
	}
	if r := rpc("4", `<partial-lock xmlns="urn:ietf:params:xml:ns:netconf:partial-lock:1.0"><select xmlns:ex="urn:ncws:yang:ncws-example">/ex:system</select></partial-lock>`); !strings.Contains(r, ">1</lock-id>") {
		t.Fatalf("partial-lock: %s", r)
	}
	later(time.Hour)
	if r := locks("5"); !strings.Contains(r, "<partial-lock><lock-id>1</lock-id><locked-by-session>1</locked-by-session><locked-time>2026-03-04T06:06:07Z</locked-time>") {
		t.Errorf("partial lock taken at 06:06:07, read an hour later: %s", r)
	}
}
