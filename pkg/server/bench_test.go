package server_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ncws/ncws/pkg/netconftest"
	"github.com/ncws/ncws/pkg/schema"
)

// flatSchema loads the protocol modules and the flat-list model of Clixon's large-list study
// (pkg/datastore/testdata/dstest.yang: list entry {uint32 id; string value}).
func flatSchema(tb testing.TB) *schema.Schema {
	tb.Helper()
	s, err := netconftest.LoadSchema("../datastore/testdata/dstest.yang")
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// benchSession starts a server with a persistent store holding n entries and returns a client
// session to it (no access control).
func benchSession(b *testing.B, n int) func(rpc string) []byte { return nacmSession(b, n, "none") }

// BenchmarkEditCommit is one-entry edit-config of the candidate plus commit (durable: fsync)
// in a flat list of 1k, 10k and 100k entries.
func BenchmarkEditCommit(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			call := benchSession(b, n)
			i := 0
			for b.Loop() {
				i++
				call(fmt.Sprintf(`<edit-config><target><candidate/></target><config><store xmlns="urn:ncws:test:dstest"><entry><id>%d</id><value>changed-%d</value></entry></store></config></edit-config>`, (i*7919)%n, i))
				call(`<commit/>`)
			}
		})
	}
}

// BenchmarkEditRunning is one-entry edit-config of running (durable) in a flat list.
func BenchmarkEditRunning(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			call := benchSession(b, n)
			i := 0
			for b.Loop() {
				i++
				call(fmt.Sprintf(`<edit-config><target><running/></target><config><store xmlns="urn:ncws:test:dstest"><entry><id>%d</id><value>changed-%d</value></entry></store></config></edit-config>`, (i*7919)%n, i))
			}
		})
	}
}

// BenchmarkEditCreate1000 creates 1,000 entries in one edit-config of running and deletes them
// again (the second rpc is not timed).
func BenchmarkEditCreate1000(b *testing.B) {
	call := benchSession(b, 0)
	var create, del strings.Builder
	create.WriteString(`<edit-config><target><running/></target><config><store xmlns="urn:ncws:test:dstest">`)
	del.WriteString(`<edit-config><target><running/></target><config><store xmlns="urn:ncws:test:dstest" xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0">`)
	for i := range 1000 {
		fmt.Fprintf(&create, "<entry><id>%d</id><value>value-%d</value></entry>", i, i)
		fmt.Fprintf(&del, `<entry nc:operation="delete"><id>%d</id></entry>`, i)
	}
	create.WriteString(`</store></config></edit-config>`)
	del.WriteString(`</store></config></edit-config>`)
	for b.Loop() {
		call(create.String())
		b.StopTimer()
		call(del.String())
		b.StartTimer()
	}
}

// BenchmarkGetConfig100k is get-config of running holding 100k entries.
func BenchmarkGetConfig100k(b *testing.B) {
	call := benchSession(b, 100000)
	b.ReportAllocs()
	var size int
	for b.Loop() {
		size = len(call(`<get-config><source><running/></source></get-config>`))
	}
	b.ReportMetric(float64(size), "reply-bytes")
}

// BenchmarkBulk10k adds 10k entries to a flat list of 10k or 100k through the candidate (one
// edit-config and a commit), then deletes them the same way: one iteration is the four rpcs.
// What each costs should not grow with the entries already there.
func BenchmarkBulk10k(b *testing.B) {
	for _, n := range []int{10000, 100000} {
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			call := benchSession(b, n)
			var add, del strings.Builder
			add.WriteString(`<edit-config><target><candidate/></target><config><store xmlns="urn:ncws:test:dstest">`)
			del.WriteString(`<edit-config><target><candidate/></target><config><store xmlns="urn:ncws:test:dstest" xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0">`)
			for i := n; i < n+10000; i++ {
				fmt.Fprintf(&add, "<entry><id>%d</id><value>bulk-%d</value></entry>", i, i)
				fmt.Fprintf(&del, `<entry nc:operation="delete"><id>%d</id></entry>`, i)
			}
			add.WriteString(`</store></config></edit-config>`)
			del.WriteString(`</store></config></edit-config>`)
			for b.Loop() {
				for _, rpc := range []string{add.String(), `<commit/>`, del.String(), `<commit/>`} {
					if r := call(rpc); !strings.Contains(string(r), "<ok/>") {
						b.Fatalf("%.60s: %s", rpc, r)
					}
				}
			}
		})
	}
}
