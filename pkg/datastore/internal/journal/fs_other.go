//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package journal

import (
	"os"
	"path/filepath"
	"runtime"
	"sync"
)

// On systems without flock(2) the lock only excludes other Opens in the same process.
var locked sync.Map // absolute lock file path -> struct{}

func lockFile(f *os.File) error {
	p, err := filepath.Abs(f.Name())
	if err != nil {
		return err
	}
	if _, dup := locked.LoadOrStore(p, struct{}{}); dup {
		return ErrLocked
	}
	return nil
}

func unlockFile(f *os.File) {
	if p, err := filepath.Abs(f.Name()); err == nil {
		locked.Delete(p)
	}
}

func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil // directories cannot be fsynced there; NTFS journals metadata itself
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

func datasync(f *os.File) error { return f.Sync() }
