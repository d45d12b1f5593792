package server_test

import "testing"

// BenchmarkGetConfigEmpty is the per-rpc path of the bench-ws/bench-ssh load (ncload's
// get-config of running) over an in-memory connection: decode, dispatch, encode, no transport.
func BenchmarkGetConfigEmpty(b *testing.B) {
	call := benchSession(b, 0)
	b.ReportAllocs()
	for b.Loop() {
		call(`<get-config><source><running/></source></get-config>`)
	}
}
