package cli

import (
	"os"
	"syscall"
)

// mapMin is the size from which a data file is mapped rather than read.
const mapMin = 4 << 20

// readData returns the content of a data file. A large file is mapped read-only instead of
// copied onto the heap, and release(off) drops the mapped pages before off from memory once
// the decoder is done with them (they are re-read from the file if touched again), so that
// validating a large document does not hold the document and its decoded tree at once. done
// unmaps the file; the content must not be used after it.
func readData(file string) (doc []byte, release func(off int), done func(), err error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, nil, nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, nil, err
	}
	if !st.Mode().IsRegular() || st.Size() < mapMin || int64(int(st.Size())) != st.Size() {
		doc, err := os.ReadFile(file)
		return doc, nil, func() {}, err
	}
	doc, err = syscall.Mmap(int(f.Fd()), 0, int(st.Size()), syscall.PROT_READ, syscall.MAP_PRIVATE)
	if err != nil {
		doc, err := os.ReadFile(file)
		return doc, nil, func() {}, err
	}
	_ = syscall.Madvise(doc, syscall.MADV_SEQUENTIAL)
	page := os.Getpagesize()
	released := 0
	release = func(off int) {
		off &^= page - 1
		if off > released {
			_ = syscall.Madvise(doc[released:off], syscall.MADV_DONTNEED)
			released = off
		}
	}
	return doc, release, func() { _ = syscall.Munmap(doc) }, nil
}
