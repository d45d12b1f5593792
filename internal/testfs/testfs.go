// Package testfs gives tests a real filesystem that fills up: a small tmpfs mounted for the test
// (Linux, as root), and helpers that fill it and free room again. Disk-full handling is tested
// against the kernel's ENOSPC, not a mock.
package testfs

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// Mount mounts a tmpfs of the given size (as mount's size= option: "1m") on a new temporary
// directory, unmounted at the end of the test, and returns the directory. Without root (or
// CAP_SYS_ADMIN), or off Linux, the test is skipped with a message saying so.
func Mount(t testing.TB, size string) string {
	t.Helper()
	return mount(t, size)
}

// Fill writes the file name in dir until the filesystem is full (ENOSPC) and returns its path:
// removing it frees the room again.
func Fill(t testing.TB, dir, name string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, chunk := range []int{64 << 10, 4 << 10, 512, 1} {
		b := make([]byte, chunk)
		for {
			if _, err := f.Write(b); err != nil {
				if !errors.Is(err, syscall.ENOSPC) {
					t.Fatalf("filling %s: %v", dir, err)
				}
				break
			}
		}
	}
	if err := f.Sync(); err != nil {
		t.Fatal(err)
	}
	return p
}

// Reserve writes a file of n bytes in dir: removing it after a Fill frees exactly that room.
func Reserve(t testing.TB, dir, name string, n int) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, make([]byte, n), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
