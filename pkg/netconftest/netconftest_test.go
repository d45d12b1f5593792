package netconftest_test

import (
	"testing"

	"github.com/ncws/ncws/pkg/netconftest"
)

// TestInMemory runs the conformance suite over the in-memory transport.
func TestInMemory(t *testing.T) {
	netconftest.Run(t, netconftest.InMemory)
}
