package data

import "testing"

// BenchmarkClone copies a list of 100k entries (id and v leaves): what a candidate that shared
// running pays at its first edit.
func BenchmarkClone(b *testing.B) {
	root, _, _ := txnTree(100000)
	b.ReportAllocs()
	for b.Loop() {
		root.Clone()
	}
}
