package journal

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// MaxNameLen is the longest blob name Put accepts.
const MaxNameLen = 64

// checkName accepts 1 to MaxNameLen characters of [A-Za-z0-9_-]: no separators, no dots, so
// a name can neither leave the directory nor collide with the journal's own files.
func checkName(name string) error {
	if name == "" || len(name) > MaxNameLen {
		return fmt.Errorf("%w: %q", ErrBadName, name)
	}
	for _, c := range []byte(name) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return fmt.Errorf("%w: %q", ErrBadName, name)
		}
	}
	return nil
}

// Put atomically replaces the blob name with b (temporary file, fsync, rename, directory fsync):
// after a crash Load returns either the old or the new content, never a mix. Names are 1 to
// MaxNameLen characters of [A-Za-z0-9_-] (ErrBadName otherwise).
func (j *Journal) Put(name string, b []byte) error {
	if err := checkName(name); err != nil {
		return err
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.closed {
		return ErrClosed
	}
	_, err := j.writeAtomic(blobName(name), encodeBlobHeader(b), b)
	return err
}

// Load returns the blob name; ok is false when there is none. A damaged blob gives an error
// wrapping ErrCorrupt.
func (j *Journal) Load(name string) (b []byte, ok bool, err error) {
	if err := checkName(name); err != nil {
		return nil, false, err
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.closed {
		return nil, false, ErrClosed
	}
	raw, err := os.ReadFile(j.path(blobName(name)))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("journal: %w", err)
	}
	data, reason := decodeBlob(raw)
	if reason != "" {
		return nil, false, j.corrupt(blobName(name), 0, "%s", reason)
	}
	return data, true, nil
}

// Remove deletes the blob name durably. Removing a missing blob is not an error.
func (j *Journal) Remove(name string) error {
	if err := checkName(name); err != nil {
		return err
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.closed {
		return ErrClosed
	}
	if err := os.Remove(j.path(blobName(name))); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return fmt.Errorf("journal: %w", err)
	}
	if err := syncDir(j.dir); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	return nil
}
