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

// BenchmarkGetConfigAdmin is the same rpc as `ncws serve` answers it under bench-ws and
// bench-ssh (make bench-rpc-cpu): NACM on, running holding the configuration the first start
// writes (a 560-byte reply), the user in its admin group.
func BenchmarkGetConfigAdmin(b *testing.B) {
	call := nacmSession(b, 0, "admin")
	b.ReportAllocs()
	var size int
	for b.Loop() {
		size = len(call(`<get-config><source><running/></source></get-config>`))
	}
	b.ReportMetric(float64(size), "reply-bytes")
}
