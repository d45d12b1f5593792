//go:build !linux

package testfs

import "testing"

func mount(t testing.TB, size string) string {
	t.Skip("skipped: the disk-full tests mount a tmpfs, which needs Linux")
	return ""
}
