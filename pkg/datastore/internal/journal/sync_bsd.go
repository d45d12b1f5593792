//go:build darwin || freebsd || netbsd || openbsd || dragonfly

package journal

import "os"

// datasync flushes f; on darwin os.File.Sync uses F_FULLFSYNC, which is what durability needs there.
func datasync(f *os.File) error { return f.Sync() }
