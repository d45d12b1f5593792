package agent

import (
	"testing"
	"time"

	"github.com/ncws/ncws/generated/ncwsserver"
	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/server"
)

// TestMetricsRPCAllocs: counting an rpc allocates nothing (the label values of every
// operation are resolved at New).
func TestMetricsRPCAllocs(t *testing.T) {
	sch := ncwsserver.Schema()
	m := newMetrics(sch, func() *datastore.Store { return nil }, func() *server.Server { return nil })
	op := sch.RPC(sch.Module("ietf-netconf"), "get-config")
	if op == nil || m.ops[op] == nil {
		t.Fatal("get-config is not resolved")
	}
	var o server.Observer = m
	if n := testing.AllocsPerRun(1000, func() {
		o.RPC(op, false, time.Millisecond)
		o.RPC(op, true, time.Millisecond)
		o.RPC(nil, true, time.Microsecond)
	}); n != 0 {
		t.Errorf("%v allocations per rpc counted, want 0", n)
	}
}

// BenchmarkMetricsRPC is the cost the metrics add to one rpc.
func BenchmarkMetricsRPC(b *testing.B) {
	sch := ncwsserver.Schema()
	m := newMetrics(sch, func() *datastore.Store { return nil }, func() *server.Server { return nil })
	op := sch.RPC(sch.Module("ietf-netconf"), "get-config")
	var o server.Observer = m
	b.ReportAllocs()
	for b.Loop() {
		start := time.Now()
		o.RPC(op, false, time.Since(start))
	}
}
