package validate

import (
	"testing"
	"unsafe"
)

// TestRecordSizes pins the sizes of what New keeps per schema node, in the size classes the
// allocator gives them: a node's record (most nodes with one are leaves with a default) and the
// part of a container or list that describes its children (SR OS nokia-conf: 16k and 5.8k of
// them; Junos QFX conf: 57k and 27k).
func TestRecordSizes(t *testing.T) {
	if s := unsafe.Sizeof(nodeInfo{}); s > 48 {
		t.Errorf("a nodeInfo takes %d bytes, more than 48", s)
	}
	if s := unsafe.Sizeof(kids{}); s > 64 {
		t.Errorf("a kids takes %d bytes, more than 64", s)
	}
}
