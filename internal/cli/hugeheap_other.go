//go:build !linux

package cli

// prepareHeap does nothing here (see the Linux version).
func prepareHeap(int) {}
